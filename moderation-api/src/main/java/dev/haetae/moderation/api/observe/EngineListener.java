package dev.haetae.moderation.api.observe;

import dev.haetae.moderation.api.ObligationEvent;
import dev.haetae.moderation.api.PolicyFailure;
import java.util.List;

/**
 * Told what a running engine did: for metrics, traces and alerts, without a dependency in the
 * engine. Every method has an empty default; implement only what you use. Hand one to the engine
 * builder ({@code ModerationEngine.builder().listener(...)}); several are combined with {@link
 * #composite}.
 *
 * <p><b>When and on which thread.</b> The engine calls a listener on the thread that did the work
 * (an evaluating request thread, a {@code tick} caller or the engine's legal-clock thread, a bank
 * import's caller), after the work is done: after the decision was logged, applied and handed to the
 * action executor, and never while the decision log's lock is held. Calls for one evaluation come in
 * this order: {@link #policyFailed} for each failure, then {@link #evaluated}. Implementations must
 * be thread-safe and fast (count, record a timing, hand over to another thread); they run on the
 * request path.
 *
 * <p><b>Failures.</b> An exception thrown by a listener is caught by the engine, counted (the engine
 * exposes the count) and logged at debug level; it never fails or changes a decision.
 *
 * <p><b>Cost.</b> An engine built without a listener reads no extra clock and allocates nothing for
 * observation.
 *
 * @since 0.2
 */
public interface EngineListener {

  /** A listener that does nothing: the engine's default. */
  EngineListener NONE = new EngineListener() {
    @Override
    public String toString() {
      return "EngineListener.NONE";
    }
  };

  /**
   * An evaluation returned a decision.
   *
   * @param evaluation the decision and its stage timings; never null
   */
  default void evaluated(Evaluation evaluation) {}

  /**
   * An evaluation threw: the request was invalid, the log could not record it, a store or the
   * executor failed. The exception itself still reaches the caller of {@code evaluate}.
   *
   * @param failure the stage and the exception's class; never null
   */
  default void evaluationFailed(EvaluationFailure failure) {}

  /**
   * A policy of a decision failed (threw, timed out, returned nothing, was tripped, proposed a
   * restrictive action without legal ground) and its fail mode was applied.
   *
   * @param failure the failure, as the decision records it; never null
   * @param shadow true when the policy runs in shadow mode (its outcome does not act)
   */
  default void policyFailed(PolicyFailure failure, boolean shadow) {}

  /**
   * Hash-bank entries changed through the engine.
   *
   * @param change what changed; never null
   */
  default void bankChanged(BankChange change) {}

  /**
   * A legal obligation was opened, escalated, breached, fulfilled or closed.
   *
   * @param event the event, as the obligation listener receives it; never null
   */
  default void obligationEvent(ObligationEvent event) {}

  /**
   * The engine's decision log made a group-commit batch durable. Called by a log that supports it
   * (the file, PostgreSQL and Kafka logs; see {@link dev.haetae.moderation.api.spi.DecisionLog#observe})
   * on the thread that wrote the batch (one of the appending request threads), after the batch is
   * durable and outside the log's lock; the batch's other appenders may wait for it, so keep it to a
   * counter or a histogram.
   *
   * @param batch the batch's size and write time; never null
   * @since 0.2
   */
  default void logBatchWritten(LogBatch batch) {}

  /**
   * One listener that calls each of the given listeners in order. Each is called even when an
   * earlier one threw; the first exception is then rethrown with the later ones suppressed, so the
   * engine counts it.
   *
   * @param listeners the listeners; not null, no null elements; copied
   * @return the combined listener ({@link #NONE} for an empty list, the listener itself for one)
   * @throws NullPointerException when the list or an element is null
   */
  static EngineListener composite(List<EngineListener> listeners) {
    List<EngineListener> all = List.copyOf(listeners);
    if (all.isEmpty()) {
      return NONE;
    }
    if (all.size() == 1) {
      return all.get(0);
    }
    return new CompositeListener(all);
  }
}
