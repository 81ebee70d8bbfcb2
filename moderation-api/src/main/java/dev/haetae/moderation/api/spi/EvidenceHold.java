package dev.haetae.moderation.api.spi;

import dev.haetae.moderation.api.ContentId;
import java.time.Instant;
import java.util.Objects;
import java.util.Optional;

/**
 * A duty to keep removed content (and its metadata) as evidence until a given instant: removal hides
 * content from users, a hold keeps the host from deleting it. Immutable and thread-safe. Kept by an
 * {@link EvidenceHoldStore}.
 *
 * @param id the hold's id: the content id and the basis, so the same basis never holds twice; not
 *     null
 * @param content the content held; not null
 * @param basis what placed the hold: an obligation id or {@code decision:<id>}; not null
 * @param citation the legal ground of the preservation duty; not null
 * @param from when the hold started (the removal); not null
 * @param until the earliest instant at which this hold allows the content to be deleted; not null
 * @param expiredAt when the engine's clock saw the hold expire, if it has; not null
 * @since 0.1
 */
public record EvidenceHold(String id, ContentId content, String basis, String citation, Instant from, Instant until,
    Optional<Instant> expiredAt) {

  /**
   * Validates.
   *
   * @param id the id component, as described on the record
   * @param content the content component, as described on the record
   * @param basis the basis component, as described on the record
   * @param citation the citation component, as described on the record
   * @param from the from component, as described on the record
   * @param until the until component, as described on the record
   * @param expiredAt the expiredAt component, as described on the record
   * @throws NullPointerException when a component is null
   * @throws IllegalArgumentException when {@code until} is before {@code from}
   */
  public EvidenceHold {
    Objects.requireNonNull(id, "id");
    Objects.requireNonNull(content, "content");
    Objects.requireNonNull(basis, "basis");
    Objects.requireNonNull(citation, "citation");
    Objects.requireNonNull(from, "from");
    Objects.requireNonNull(until, "until");
    Objects.requireNonNull(expiredAt, "expiredAt");
    if (until.isBefore(from)) {
      throw new IllegalArgumentException("a hold cannot end before it starts: " + from + " > " + until);
    }
  }

  /**
   * The id of the hold a basis places on a piece of content: {@code <content id>|<basis>}. Every
   * {@link EvidenceHoldStore} uses it, so that one basis never holds the same content twice.
   *
   * @param content the content; not null
   * @param basis what places the hold; not null
   * @return the id; never null
   * @throws NullPointerException when an argument is null
   * @since 0.1
   */
  public static String idOf(ContentId content, String basis) {
    return content.value() + "|" + Objects.requireNonNull(basis, "basis");
  }

  /**
   * Whether the hold still binds at an instant.
   *
   * @param now the instant; not null
   * @return true when {@code now} is before {@link #until()}
   */
  public boolean activeAt(Instant now) {
    return now.isBefore(until);
  }
}
