package dev.haetae.moderation.api.spi;

import dev.haetae.moderation.api.Category;
import dev.haetae.moderation.api.DecisionId;
import dev.haetae.moderation.api.ReporterId;
import dev.haetae.moderation.api.Target;
import java.time.Instant;
import java.util.Objects;
import java.util.Optional;

/**
 * One stored report: who reported what, when, and what review later said of it. Immutable and
 * thread-safe.
 *
 * @param reporter the reporter; not null
 * @param target the target; not null
 * @param category the alleged harm; not null
 * @param at when it was received; not null
 * @param status the review status; not null
 * @param decision the decision this report is attached to: the one that queued (or escalated or
 *     re-flagged) the target's review item, which is the report's own decision when it opened the
 *     item; later reports on the same target attach to it instead of queueing again; not null
 * @param filedBy the logged decision that took this report in (its own decision), once stored by the
 *     apply phase; empty for reports stored by version 0.1; not null
 * @param firstParty whether the reporter said the report is about themselves ("this is me")
 * @param resolvedBy the logged decision (a review verdict, or the reversal of one on appeal) that
 *     last set the report's status; it claims the report atomically, so that two deliveries of one
 *     verdict resolve it once, and a re-delivery after a crash finds what it resolved; empty while
 *     pending and for reports resolved by version 0.1; not null
 * @since 0.1
 */
public record ReportRecord(ReporterId reporter, Target target, Category category, Instant at, Status status,
    Optional<DecisionId> decision, Optional<DecisionId> filedBy, boolean firstParty,
    Optional<DecisionId> resolvedBy) {

  /**
   * A report not attached to any decision (the form of version 0.1).
   *
   * @param reporter the reporter; not null
   * @param target the target; not null
   * @param category the alleged harm; not null
   * @param at when it was received; not null
   * @param status the review status; not null
   * @throws NullPointerException when an argument is null
   */
  public ReportRecord(ReporterId reporter, Target target, Category category, Instant at, Status status) {
    this(reporter, target, category, at, status, Optional.empty(), Optional.empty(), false, Optional.empty());
  }

  /**
   * A report without the apply-phase facts of version 0.2 (the form of version 0.1).
   *
   * @param reporter the reporter; not null
   * @param target the target; not null
   * @param category the alleged harm; not null
   * @param at when it was received; not null
   * @param status the review status; not null
   * @param decision the decision it is attached to; not null
   * @throws NullPointerException when an argument is null
   */
  public ReportRecord(ReporterId reporter, Target target, Category category, Instant at, Status status,
      Optional<DecisionId> decision) {
    this(reporter, target, category, at, status, decision, Optional.empty(), false, Optional.empty());
  }

  /**
   * A report as stored by the intake, not yet resolved.
   *
   * @param reporter the reporter; not null
   * @param target the target; not null
   * @param category the alleged harm; not null
   * @param at when it was received; not null
   * @param status the review status; not null
   * @param decision the decision it is attached to; not null
   * @param filedBy the decision that took it in; not null
   * @param firstParty whether first-party
   * @throws NullPointerException when a reference argument is null
   * @since 0.2
   */
  public ReportRecord(ReporterId reporter, Target target, Category category, Instant at, Status status,
      Optional<DecisionId> decision, Optional<DecisionId> filedBy, boolean firstParty) {
    this(reporter, target, category, at, status, decision, filedBy, firstParty, Optional.empty());
  }

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
    REJECTED,
    /**
     * Received while the reporter's report processing was suspended for misuse (DSA Art. 23):
     * kept for the record, never weighed, and not counted by a later review.
     */
    UNPROCESSED
  }

  /**
   * Validates.
   *
   * @param reporter the reporter component, as described on the record
   * @param target the target component, as described on the record
   * @param category the category component, as described on the record
   * @param at the at component, as described on the record
   * @param status the status component, as described on the record
   * @param decision the decision component, as described on the record
   * @param filedBy the filedBy component, as described on the record
   * @param firstParty the firstParty component, as described on the record
   * @param resolvedBy the resolvedBy component, as described on the record
   * @throws NullPointerException when a component is null
   */
  public ReportRecord {
    Objects.requireNonNull(reporter, "reporter");
    Objects.requireNonNull(target, "target");
    Objects.requireNonNull(category, "category");
    Objects.requireNonNull(at, "at");
    Objects.requireNonNull(status, "status");
    Objects.requireNonNull(decision, "decision");
    Objects.requireNonNull(filedBy, "filedBy");
    Objects.requireNonNull(resolvedBy, "resolvedBy");
  }

  /**
   * A copy with another status.
   *
   * @param value the status; not null
   * @return a new record
   */
  public ReportRecord withStatus(Status value) {
    return new ReportRecord(reporter, target, category, at, value, decision, filedBy, firstParty, resolvedBy);
  }

  /**
   * A copy with another status, resolved by a decision.
   *
   * @param value the status; not null
   * @param by the decision that resolved it; not null
   * @return a new record
   * @since 0.2
   */
  public ReportRecord resolved(Status value, DecisionId by) {
    return new ReportRecord(reporter, target, category, at, value, decision, filedBy, firstParty, Optional.of(by));
  }

  /**
   * A copy attached to a decision.
   *
   * @param value the decision; not null
   * @return a new record
   */
  public ReportRecord withDecision(DecisionId value) {
    return new ReportRecord(reporter, target, category, at, status, Optional.of(value), filedBy, firstParty,
        resolvedBy);
  }

  /**
   * Whether this report only attached to a review item another report had already opened: it added
   * no information a moderator did not already have in front of them.
   *
   * @return true when attached to a decision other than its own
   * @since 0.2
   */
  public boolean attachedOnly() {
    return decision.isPresent() && filedBy.isPresent() && !decision.equals(filedBy);
  }
}
