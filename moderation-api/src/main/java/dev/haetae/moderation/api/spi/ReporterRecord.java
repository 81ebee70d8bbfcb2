package dev.haetae.moderation.api.spi;

import dev.haetae.moderation.api.AccountEvent;
import dev.haetae.moderation.api.ReporterId;
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
 * @since 0.1
 */
public record ReporterRecord(ReporterId reporter, Optional<Instant> accountCreated, boolean trustedFlagger,
    double confirmed, double rejected, Instant updatedAt, int warnings, Optional<Instant> suspendedUntil,
    List<AccountEvent.RoomJoin> rooms, List<Instant> unfounded, Optional<Instant> warnedAt) {

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
        List.of(), List.of(), Optional.empty());
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
}
