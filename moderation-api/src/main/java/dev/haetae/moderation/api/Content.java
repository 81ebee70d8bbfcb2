package dev.haetae.moderation.api;

import java.util.Optional;
import java.util.Set;

/**
 * Describes one piece of content without carrying its bytes: what it is, where it was posted,
 * which jurisdictions' laws apply to it, and its fingerprints. Immutable and thread-safe.
 *
 * @param id the host's content id; not null
 * @param kind what kind of content it is; not null
 * @param surface where it was posted; not null
 * @param jurisdictions the jurisdictions whose law applies (e.g. the users' countries); not null,
 *     may be empty (then only terms of service apply); copied
 * @param fingerprints known fingerprints; not null ({@link Fingerprints#none()} when the engine
 *     should compute them from the bytes)
 * @param text accompanying text such as a caption, if any; not null
 * @since 0.1
 */
public record Content(
    ContentId id,
    ContentKind kind,
    Surface surface,
    Set<Jurisdiction> jurisdictions,
    Fingerprints fingerprints,
    Optional<String> text) {

  /**
   * Validates and copies.
   *
   * @param id the id component, as described on the record
   * @param kind the kind component, as described on the record
   * @param surface the surface component, as described on the record
   * @param jurisdictions the jurisdictions component, as described on the record
   * @param fingerprints the fingerprints component, as described on the record
   * @param text the text component, as described on the record
   * @throws InvalidRequestException naming the first null component
   */
  public Content {
    InvalidRequestException.requireNonNull("content.id", id);
    InvalidRequestException.requireNonNull("content.kind", kind);
    InvalidRequestException.requireNonNull("content.surface", surface);
    InvalidRequestException.requireNonNull("content.jurisdictions", jurisdictions);
    InvalidRequestException.requireNonNull("content.fingerprints", fingerprints);
    InvalidRequestException.requireNonNull("content.text", text);
    jurisdictions = Set.copyOf(jurisdictions);
  }

  /**
   * Content with no jurisdictions, no fingerprints and no text.
   *
   * @param id the content id; not null
   * @param kind the kind; not null
   * @param surface the surface; not null
   * @return the descriptor
   */
  public static Content of(ContentId id, ContentKind kind, Surface surface) {
    return new Content(id, kind, surface, Set.of(), Fingerprints.none(), Optional.empty());
  }

  /**
   * A copy with other fingerprints.
   *
   * @param value the fingerprints; not null
   * @return a new descriptor
   */
  public Content withFingerprints(Fingerprints value) {
    return new Content(id, kind, surface, jurisdictions, value, text);
  }

  /**
   * A copy with other jurisdictions.
   *
   * @param value the jurisdictions; not null
   * @return a new descriptor
   */
  public Content withJurisdictions(Set<Jurisdiction> value) {
    return new Content(id, kind, surface, value, fingerprints, text);
  }

  /**
   * A copy with a caption or message text.
   *
   * @param value the text; not null
   * @return a new descriptor
   */
  public Content withText(String value) {
    return new Content(id, kind, surface, jurisdictions, fingerprints, Optional.of(value));
  }
}
