package dev.haetae.moderation.core.legal;

import dev.haetae.moderation.api.ContentId;
import java.time.Instant;
import java.util.Objects;
import java.util.Optional;

/**
 * A duty to keep removed content (and its metadata) as evidence until a given instant: removal hides
 * content from users, a hold keeps the host from deleting it. Immutable and thread-safe.
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
   * Whether the hold still binds at an instant.
   *
   * @param now the instant; not null
   * @return true when {@code now} is before {@link #until()}
   */
  public boolean activeAt(Instant now) {
    return now.isBefore(until);
  }
}
