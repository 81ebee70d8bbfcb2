package dev.haetae.moderation.core.audit;

import dev.haetae.moderation.api.Decision;
import dev.haetae.moderation.api.Evidence;
import dev.haetae.moderation.api.ObligationEvent;
import dev.haetae.moderation.api.spi.DecisionLog;
import dev.haetae.moderation.core.effect.Effect;
import java.util.List;
import java.util.Objects;

/**
 * A decision log that records everything the engine changes: each decision with its effects (the
 * state changes it implies) and the obligation events they give, the engine's own events (the legal
 * clock, its configuration, bank changes, deliveries, recoveries), and an <em>outbox</em> of the
 * decisions whose effects have not been carried out yet.
 *
 * <p><b>The outbox.</b> The log itself holds only pseudonyms, but the engine's stores are keyed by
 * the host's raw ids. So that a decision logged just before a crash can still be carried out, the
 * log keeps, durably and in the same write as the record, the decision's effects and request with
 * raw ids, until the engine marks the decision {@link #done(long) done}; after a restart, {@link
 * #pending()} gives those not marked, and the engine carries them out again (every effect is
 * idempotent) and hands them to the host's executor again (at least once, idempotent by decision
 * id). Raw ids are kept only for that short time, and only there.
 *
 * <p>Thread-safe: every method may be called from any thread.
 *
 * @since 0.2
 */
public interface EngineLog extends DecisionLog {

  /**
   * Appends a decision record with its effects and obligation events, and its outbox entry, and
   * makes both durable.
   *
   * @param evidence the evidence; not null
   * @param decision the decision; not null
   * @param effects the state changes it implies, in order; not null
   * @param events the obligation events those changes give; not null
   * @return the record's sequence number
   * @throws dev.haetae.moderation.api.DecisionLogException when the record could not be made
   *     durable; the engine then neither changes state nor acts
   */
  long append(Evidence evidence, Decision decision, List<Effect> effects, List<ObligationEvent> events);

  /**
   * Appends an event record and makes it durable.
   *
   * @param event the event; not null
   * @return the record's sequence number
   * @throws dev.haetae.moderation.api.DecisionLogException when the record could not be made durable
   */
  long append(LogEvent event);

  /**
   * The decisions appended (by this or an earlier process on the same log) whose outbox entries are
   * not marked done, oldest first, with the host's raw ids.
   *
   * @return the pending decisions; never null
   * @throws dev.haetae.moderation.api.DecisionLogException when the outbox cannot be read
   */
  List<Pending> pending();

  /**
   * Marks a decision's effects carried out and its delivery made, so that recovery does not repeat
   * them. Need not be durable at once: a mark lost in a crash means the decision is carried out and
   * delivered again, which every effect and the executor's contract allow.
   *
   * @param seq the decision record's sequence number
   */
  void done(long seq);

  /**
   * A decision whose effects may not have been carried out, as its outbox entry holds it: with the
   * host's raw ids and text.
   *
   * @param seq the decision record's sequence number
   * @param evidence the evidence; not null
   * @param decision the decision; not null
   * @param effects its effects; not null
   * @param events its planned obligation events; not null
   */
  record Pending(long seq, Evidence evidence, Decision decision, List<Effect> effects, List<ObligationEvent> events) {
    /**
     * Validates and copies.
     *
     * @param seq the seq component, as described on the record
     * @param evidence the evidence component, as described on the record
     * @param decision the decision component, as described on the record
     * @param effects the effects component, as described on the record
     * @param events the events component, as described on the record
     * @throws NullPointerException when a component is null
     */
    public Pending {
      Objects.requireNonNull(evidence, "evidence");
      Objects.requireNonNull(decision, "decision");
      effects = List.copyOf(effects);
      events = List.copyOf(events);
    }
  }
}
