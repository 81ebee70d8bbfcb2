package dev.haetae.moderation.api.spi;

import dev.haetae.moderation.api.Category;
import dev.haetae.moderation.api.ReporterId;
import dev.haetae.moderation.api.Target;
import java.time.Instant;
import java.util.Objects;

/**
 * One stored report: who reported what, when, and what review later said of it. Immutable and
 * thread-safe.
 *
 * @param reporter the reporter; not null
 * @param target the target; not null
 * @param category the alleged harm; not null
 * @param at when it was received; not null
 * @param status the review status; not null
 * @since 0.1
 */
public record ReportRecord(ReporterId reporter, Target target, Category category, Instant at, Status status) {

  /**
   * What review said of a report.
   *
   * @since 0.1
   */
  public enum Status {
    /** Not reviewed yet. */
    PENDING,
    /** Review found the target violating. */
    CONFIRMED,
    /** Review found the target not violating. */
    REJECTED
  }

  /**
   * Validates.
   *
   * @param reporter the reporter component, as described on the record
   * @param target the target component, as described on the record
   * @param category the category component, as described on the record
   * @param at the at component, as described on the record
   * @param status the status component, as described on the record
   * @throws NullPointerException when a component is null
   */
  public ReportRecord {
    Objects.requireNonNull(reporter, "reporter");
    Objects.requireNonNull(target, "target");
    Objects.requireNonNull(category, "category");
    Objects.requireNonNull(at, "at");
    Objects.requireNonNull(status, "status");
  }

  /**
   * A copy with another status.
   *
   * @param value the status; not null
   * @return a new record
   */
  public ReportRecord withStatus(Status value) {
    return new ReportRecord(reporter, target, category, at, value);
  }
}
