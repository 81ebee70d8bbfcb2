package dev.haetae.moderation.api.spi;

import dev.haetae.moderation.api.AccountEvent;
import dev.haetae.moderation.api.Category;
import dev.haetae.moderation.api.DecisionId;
import dev.haetae.moderation.api.ReporterId;
import dev.haetae.moderation.api.Target;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * What a {@link ReputationStore} keeps about one reporter: the evidence for their credibility
 * (confirmed and rejected reports, already decayed to {@code updatedAt}), account facts, and the
 * state of misuse handling. Immutable and thread-safe.
 *
 * @param reporter the reporter; not null
 * @param accountCreated when the reporter's account was created, if known; not null
 * @param trustedFlagger whether the reporter is a registered trusted flagger
 * @param confirmed decayed count of reports confirmed by review, at {@code updatedAt}; &gt;= 0
 * @param rejected decayed count of reports rejected by review, at {@code updatedAt}; &gt;= 0
 * @param updatedAt the instant the counts are decayed to; not null
 * @param warnings misuse warnings given (DSA Art. 23)
 * @param suspendedUntil when report processing for this reporter resumes, if suspended; not null
 * @param rooms rooms the account joined and when, most recent last, as far as the reputation model
 *     keeps them; not null; copied
 * @param unfounded when the reporter's recent reports were rejected by review (manifestly
 *     unfounded, DSA Art. 23) since the last misuse step, oldest first; not null; copied
 * @param warnedAt when the reporter was last warned about misuse, if ever; not null
 * @param reported the reporter's own recent reports, oldest first, as far as the reputation model
 *     keeps them (it links reporters who keep reporting the same targets together); not null; copied
 * @param received recent reports against this account's content and the account itself, oldest
 *     first, as far as the reputation model keeps them (it sees a campaign against one person
 *     spread over many targets); not null; copied
 * @param applied the most recent logged decisions whose effects this record already holds, oldest
 *     first, so that applying a decision's effects again (after a crash) changes nothing; not null;
 *     copied
 * @param sanction the open step of the reporter's misuse case that waits for a person (a proposal
 *     to suspend, a suspension, an appeal against it), if any; not null
 * @since 0.1 (sanction since 0.3)
 */
public record ReporterRecord(ReporterId reporter, Optional<Instant> accountCreated, boolean trustedFlagger,
    double confirmed, double rejected, Instant updatedAt, int warnings, Optional<Instant> suspendedUntil,
    List<AccountEvent.RoomJoin> rooms, List<Instant> unfounded, Optional<Instant> warnedAt, List<Trace> reported,
    List<Trace> received, List<DecisionId> applied, Optional<Sanction> sanction) {

  /**
   * Where a reporter's misuse case stands, as logged decisions left it: the engine accepts a
   * person's {@link dev.haetae.moderation.api.ReporterSanction} only when it names this case's
   * decision in the matching state.
   *
   * @param decision the logged decision that opened this state: the review decision that proposed
   *     the suspension ({@link State#PROPOSED}), or the confirmation that suspended ({@link
   *     State#SUSPENDED}, {@link State#APPEALED}); not null
   * @param state the state; not null
   * @since 0.3
   */
  public record Sanction(DecisionId decision, State state) {
    /**
     * The states of a misuse case that wait for someone.
     *
     * @since 0.3
     */
    public enum State {
      /** The model proposed a suspension; a person confirms or rejects it. */
      PROPOSED,
      /** A person confirmed the suspension; the reporter may appeal it while it runs. */
      SUSPENDED,
      /** The reporter appealed the suspension; a person upholds or dismisses the appeal. */
      APPEALED
    }

    /**
     * Validates.
     *
     * @param decision the decision component, as described on the record
     * @param state the state component, as described on the record
     * @throws NullPointerException when a component is null
     */
    public Sanction {
      Objects.requireNonNull(decision, "decision");
      Objects.requireNonNull(state, "state");
    }
  }

  /**
   * A record without a misuse case waiting for a person (the form of version 0.2).
   *
   * @param reporter the reporter; not null
   * @param accountCreated when the account was created, if known; not null
   * @param trustedFlagger whether a registered trusted flagger
   * @param confirmed decayed count of confirmed reports; &gt;= 0
   * @param rejected decayed count of rejected reports; &gt;= 0
   * @param updatedAt the instant the counts are decayed to; not null
   * @param warnings misuse warnings given
   * @param suspendedUntil when report processing resumes, if suspended; not null
   * @param rooms rooms joined, most recent last; not null
   * @param unfounded rejected reports since the last misuse step, oldest first; not null
   * @param warnedAt when last warned, if ever; not null
   * @param reported the reporter's recent reports; not null
   * @param received recent reports against the account; not null
   * @param applied decisions already applied; not null
   * @throws NullPointerException when a reference argument is null
   * @throws IllegalArgumentException when a count is negative or not finite
   * @since 0.2
   */
  public ReporterRecord(ReporterId reporter, Optional<Instant> accountCreated, boolean trustedFlagger,
      double confirmed, double rejected, Instant updatedAt, int warnings, Optional<Instant> suspendedUntil,
      List<AccountEvent.RoomJoin> rooms, List<Instant> unfounded, Optional<Instant> warnedAt, List<Trace> reported,
      List<Trace> received, List<DecisionId> applied) {
    this(reporter, accountCreated, trustedFlagger, confirmed, rejected, updatedAt, warnings, suspendedUntil, rooms,
        unfounded, warnedAt, reported, received, applied, Optional.empty());
  }

  /**
   * One report as remembered in a reporter's or an owner's record.
   *
   * @param target what was reported; not null
   * @param reporter who reported it; not null
   * @param category the alleged harm; not null
   * @param at when it was received; not null
   * @param proven whether the reporter had a track record (or was a trusted flagger) at the time
   * @since 0.2
   */
  public record Trace(Target target, ReporterId reporter, Category category, Instant at, boolean proven) {
    /**
     * Validates.
     *
     * @param target the target component, as described on the record
     * @param reporter the reporter component, as described on the record
     * @param category the category component, as described on the record
     * @param at the at component, as described on the record
     * @param proven the proven component, as described on the record
     * @throws NullPointerException when a reference component is null
     */
    public Trace {
      Objects.requireNonNull(target, "target");
      Objects.requireNonNull(reporter, "reporter");
      Objects.requireNonNull(category, "category");
      Objects.requireNonNull(at, "at");
    }
  }

  /**
   * A record without the report traces and applied decisions of version 0.2.
   *
   * @param reporter the reporter; not null
   * @param accountCreated when the account was created, if known; not null
   * @param trustedFlagger whether a registered trusted flagger
   * @param confirmed decayed count of confirmed reports; &gt;= 0
   * @param rejected decayed count of rejected reports; &gt;= 0
   * @param updatedAt the instant the counts are decayed to; not null
   * @param warnings misuse warnings given
   * @param suspendedUntil when report processing resumes, if suspended; not null
   * @param rooms rooms joined, most recent last; not null
   * @param unfounded rejected reports since the last misuse step, oldest first; not null
   * @param warnedAt when last warned, if ever; not null
   * @throws NullPointerException when a reference argument is null
   * @throws IllegalArgumentException when a count is negative or not finite
   */
  public ReporterRecord(ReporterId reporter, Optional<Instant> accountCreated, boolean trustedFlagger,
      double confirmed, double rejected, Instant updatedAt, int warnings, Optional<Instant> suspendedUntil,
      List<AccountEvent.RoomJoin> rooms, List<Instant> unfounded, Optional<Instant> warnedAt) {
    this(reporter, accountCreated, trustedFlagger, confirmed, rejected, updatedAt, warnings, suspendedUntil, rooms,
        unfounded, warnedAt, List.of(), List.of(), List.of(), Optional.empty());
  }

  /**
   * A record without room memberships or misuse history (the form of version 0.1).
   *
   * @param reporter the reporter; not null
   * @param accountCreated when the account was created, if known; not null
   * @param trustedFlagger whether a registered trusted flagger
   * @param confirmed decayed count of confirmed reports; &gt;= 0
   * @param rejected decayed count of rejected reports; &gt;= 0
   * @param updatedAt the instant the counts are decayed to; not null
   * @param warnings misuse warnings given
   * @param suspendedUntil when report processing resumes, if suspended; not null
   * @throws NullPointerException when a reference argument is null
   * @throws IllegalArgumentException when a count is negative or not finite
   */
  public ReporterRecord(ReporterId reporter, Optional<Instant> accountCreated, boolean trustedFlagger,
      double confirmed, double rejected, Instant updatedAt, int warnings, Optional<Instant> suspendedUntil) {
    this(reporter, accountCreated, trustedFlagger, confirmed, rejected, updatedAt, warnings, suspendedUntil,
        List.of(), List.of(), Optional.empty(), List.of(), List.of(), List.of(), Optional.empty());
  }

  /**
   * Validates.
   *
   * @param reporter the reporter component, as described on the record
   * @param accountCreated the accountCreated component, as described on the record
   * @param trustedFlagger the trustedFlagger component, as described on the record
   * @param confirmed the confirmed component, as described on the record
   * @param rejected the rejected component, as described on the record
   * @param updatedAt the updatedAt component, as described on the record
   * @param warnings the warnings component, as described on the record
   * @param suspendedUntil the suspendedUntil component, as described on the record
   * @param rooms the rooms component, as described on the record
   * @param unfounded the unfounded component, as described on the record
   * @param warnedAt the warnedAt component, as described on the record
   * @param reported the reported component, as described on the record
   * @param received the received component, as described on the record
   * @param applied the applied component, as described on the record
   * @param sanction the sanction component, as described on the record
   * @throws NullPointerException when a reference component or element is null
   * @throws IllegalArgumentException when a count is negative or not finite
   */
  public ReporterRecord {
    Objects.requireNonNull(reporter, "reporter");
    Objects.requireNonNull(accountCreated, "accountCreated");
    Objects.requireNonNull(updatedAt, "updatedAt");
    Objects.requireNonNull(suspendedUntil, "suspendedUntil");
    rooms = List.copyOf(rooms);
    unfounded = List.copyOf(unfounded);
    Objects.requireNonNull(warnedAt, "warnedAt");
    reported = List.copyOf(reported);
    received = List.copyOf(received);
    applied = List.copyOf(applied);
    Objects.requireNonNull(sanction, "sanction");
    if (!(confirmed >= 0) || !(rejected >= 0) || Double.isInfinite(confirmed) || Double.isInfinite(rejected)) {
      throw new IllegalArgumentException("counts must be finite and >= 0: " + confirmed + ", " + rejected);
    }
    if (warnings < 0) {
      throw new IllegalArgumentException("warnings must be >= 0: " + warnings);
    }
  }

  /**
   * A reporter the store has never seen.
   *
   * @param reporter the reporter; not null
   * @param now the instant of first sight; not null
   * @return a record with no history
   */
  public static ReporterRecord unknown(ReporterId reporter, Instant now) {
    return new ReporterRecord(reporter, Optional.empty(), false, 0, 0, now, 0, Optional.empty());
  }

  /**
   * Whether report processing is suspended at an instant.
   *
   * @param now the instant; not null
   * @return true when {@link #suspendedUntil()} is after {@code now}
   */
  public boolean suspendedAt(Instant now) {
    return suspendedUntil.isPresent() && suspendedUntil.get().isAfter(now);
  }

  /**
   * This record with another misuse case state.
   *
   * @param value the state; not null
   * @return a copy; never null
   * @throws NullPointerException when {@code value} is null
   * @since 0.3
   */
  public ReporterRecord withSanction(Optional<Sanction> value) {
    return new ReporterRecord(reporter, accountCreated, trustedFlagger, confirmed, rejected, updatedAt, warnings,
        suspendedUntil, rooms, unfounded, warnedAt, reported, received, applied, value);
  }
}
