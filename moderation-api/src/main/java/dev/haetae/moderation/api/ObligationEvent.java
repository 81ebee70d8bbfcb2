package dev.haetae.moderation.api;

import dev.haetae.moderation.api.spi.ObligationRecord;
import java.time.Duration;
import java.time.Instant;
import java.util.Objects;

/**
 * A change in a legal obligation's life: opened by a valid notice, escalated as its deadline
 * nears, breached when the deadline passes, fulfilled when its duties are done, closed without
 * action. Hosts receive these through the engine's obligation listener (e.g. to page the on-call
 * moderator on an escalation). Immutable and thread-safe.
 *
 * @param type what happened; not null
 * @param obligation the obligation after the change; not null
 * @param at when it happened (the engine clock, or the notice's receipt time for openings); not null
 * @param lateness for breaches and late fulfilment, how late; zero otherwise; not null
 * @since 0.1
 */
public record ObligationEvent(Type type, ObligationRecord obligation, Instant at, Duration lateness) {

  /**
   * The kinds of change.
   *
   * @since 0.1
   */
  public enum Type {
    /** A valid notice opened the obligation. */
    OPENED,
    /** An escalation threshold (a fraction of the time allowed) passed. */
    ESCALATED,
    /** The deadline passed with the duties not done. */
    BREACHED,
    /** The duties were done (possibly late). */
    FULFILLED,
    /** Closed without action (e.g. the content was already gone). */
    CLOSED;

    /**
     * The lower-case wire name.
     *
     * @return the wire name
     */
    public String wireName() {
      return WireName.of(this);
    }
  }

  /**
   * Validates.
   *
   * @param type the type component, as described on the record
   * @param obligation the obligation component, as described on the record
   * @param at the at component, as described on the record
   * @param lateness the lateness component, as described on the record
   * @throws NullPointerException when a component is null
   */
  public ObligationEvent {
    Objects.requireNonNull(type, "type");
    Objects.requireNonNull(obligation, "obligation");
    Objects.requireNonNull(at, "at");
    Objects.requireNonNull(lateness, "lateness");
  }
}
