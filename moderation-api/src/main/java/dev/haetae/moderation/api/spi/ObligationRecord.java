package dev.haetae.moderation.api.spi;

import dev.haetae.moderation.api.Category;
import dev.haetae.moderation.api.ContentId;
import dev.haetae.moderation.api.Duty;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * One legal obligation: a duty opened by a valid notice, with its clock. Immutable and thread-safe.
 *
 * @param id the obligation's id (derived from the notice id, so duplicates are idempotent); not null
 * @param instrument the instrument id; not null
 * @param citation the legal citation; not null
 * @param category the harm concerned; not null
 * @param content the content concerned; not null
 * @param receivedAt when the notice was received (the clock's start); not null
 * @param deadline when the duties must be done; not null
 * @param duties what must be done; not null; copied
 * @param preserveFor how long removed content must be preserved, or zero; not null
 * @param status the obligation's state; not null
 * @param nextCheck when the engine must look at it next (next escalation or the deadline); not null
 * @param escalations how many escalation steps have fired
 * @param closedAt when it was fulfilled or closed, if it was; not null
 * @since 0.1
 */
public record ObligationRecord(String id, String instrument, String citation, Category category, ContentId content,
    Instant receivedAt, Instant deadline, List<Duty> duties, Duration preserveFor, Status status, Instant nextCheck,
    int escalations, Optional<Instant> closedAt) {

  /**
   * An obligation's state.
   *
   * @since 0.1
   */
  public enum Status {
    /** Open, deadline not passed. */
    OPEN,
    /** Open, deadline passed: breached (still to be done). */
    BREACHED,
    /** Done: the duties were carried out (possibly late). */
    FULFILLED,
    /** Closed without action (content already gone, notice withdrawn). */
    CLOSED
  }

  /**
   * Validates and copies.
   *
   * @param id the id component, as described on the record
   * @param instrument the instrument component, as described on the record
   * @param citation the citation component, as described on the record
   * @param category the category component, as described on the record
   * @param content the content component, as described on the record
   * @param receivedAt the receivedAt component, as described on the record
   * @param deadline the deadline component, as described on the record
   * @param duties the duties component, as described on the record
   * @param preserveFor the preserveFor component, as described on the record
   * @param status the status component, as described on the record
   * @param nextCheck the nextCheck component, as described on the record
   * @param escalations the escalations component, as described on the record
   * @param closedAt the closedAt component, as described on the record
   * @throws NullPointerException when a reference component is null
   */
  public ObligationRecord {
    Objects.requireNonNull(id, "id");
    Objects.requireNonNull(instrument, "instrument");
    Objects.requireNonNull(citation, "citation");
    Objects.requireNonNull(category, "category");
    Objects.requireNonNull(content, "content");
    Objects.requireNonNull(receivedAt, "receivedAt");
    Objects.requireNonNull(deadline, "deadline");
    duties = List.copyOf(duties);
    Objects.requireNonNull(preserveFor, "preserveFor");
    Objects.requireNonNull(status, "status");
    Objects.requireNonNull(nextCheck, "nextCheck");
    Objects.requireNonNull(closedAt, "closedAt");
  }

  /**
   * Whether the obligation still awaits action.
   *
   * @return true for {@link Status#OPEN} and {@link Status#BREACHED}
   */
  public boolean isOpen() {
    return status == Status.OPEN || status == Status.BREACHED;
  }
}
