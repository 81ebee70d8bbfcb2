package dev.haetae.moderation.api;

import java.util.Optional;

/**
 * Where an external matcher's hits come from: who made the matcher, which product and version, the
 * certification it holds (e.g. a TTA test certificate for a Korean filtering product), and the
 * version of the list or database it matched against. Recorded with every hit, so that an auditor
 * reads which certified product and which database edition found the content. Immutable and
 * thread-safe.
 *
 * @param vendor who makes the matcher, e.g. {@code Example Filtering Co.}; not null, 1 to 256
 *     characters, no control characters
 * @param product the product or algorithm, e.g. {@code ExampleFilter} or {@code vPDQ}; same rules
 * @param version the matcher's own version; same rules
 * @param certification the certification the matcher holds (body and certificate number), when any;
 *     not null; when present, same rules
 * @param listVersion the version of the list or database matched against (e.g. the edition of the
 *     regulator's feature database); same rules
 * @since 0.2
 */
public record ExternalProvenance(String vendor, String product, String version, Optional<String> certification,
    String listVersion) {
  /**
   * Validates.
   *
   * @param vendor the vendor component, as described on the record
   * @param product the product component, as described on the record
   * @param version the version component, as described on the record
   * @param certification the certification component, as described on the record
   * @param listVersion the listVersion component, as described on the record
   * @throws InvalidRequestException when a component is null, blank, longer than 256 characters or
   *     holds a control character, naming it
   */
  public ExternalProvenance {
    ExternalHit.text("external_provenance.vendor", vendor);
    ExternalHit.text("external_provenance.product", product);
    ExternalHit.text("external_provenance.version", version);
    InvalidRequestException.requireNonNull("external_provenance.certification", certification);
    certification.ifPresent(c -> ExternalHit.text("external_provenance.certification", c));
    ExternalHit.text("external_provenance.list_version", listVersion);
  }

  /**
   * The provenance as one line, recorded as the matcher's version in the evidence, e.g. {@code
   * Example Co./ExampleFilter 3.1 (TTA-2026-0001) list 2026-12-01}.
   *
   * @return the line; never null
   */
  public String summary() {
    return vendor + "/" + product + " " + version + certification.map(c -> " (" + c + ")").orElse("") + " list "
        + listVersion;
  }
}
