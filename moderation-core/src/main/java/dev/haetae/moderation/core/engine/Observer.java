package dev.haetae.moderation.core.engine;

import dev.haetae.moderation.api.Decision;
import dev.haetae.moderation.api.ModerationRequest;
import dev.haetae.moderation.api.ObligationEvent;
import dev.haetae.moderation.api.PolicyFailure;
import dev.haetae.moderation.api.ShadowOutcome;
import dev.haetae.moderation.api.observe.BankChange;
import dev.haetae.moderation.api.observe.EngineListener;
import dev.haetae.moderation.api.observe.Evaluation;
import dev.haetae.moderation.api.observe.EvaluationFailure;
import dev.haetae.moderation.api.observe.Stage;
import java.util.List;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.LongSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The engine's side of {@link EngineListener}: times the stages of one evaluation and hands the
 * events to the listener, catching and counting what it throws. The engine holds none when no
 * listener was given, so an unobserved evaluation reads no extra clock.
 */
final class Observer {
  private static final Logger LOG = LoggerFactory.getLogger(Observer.class);
  private static final Stage[] STAGES = Stage.values();

  private final EngineListener listener;
  private final LongAdder failures;
  private final LongSupplier clock;

  private Observer(EngineListener listener, LongAdder failures, LongSupplier clock) {
    this.listener = listener;
    this.failures = failures;
    this.clock = clock;
  }

  /**
   * The observer of the given listeners, or null when there is none to tell; {@code clock} gives
   * the nanoseconds the stage timings are read from.
   */
  static Observer of(List<EngineListener> listeners, LongAdder failures, LongSupplier clock) {
    EngineListener l = EngineListener.composite(listeners);
    return l == EngineListener.NONE ? null : new Observer(l, failures, clock);
  }

  /** The stage timings of an evaluation starting now. */
  Laps laps() {
    return new Laps(clock);
  }

  /** The stage timings of one evaluation; used by the evaluating thread alone. */
  static final class Laps {
    final long[] nanos = new long[STAGES.length];
    private final LongSupplier clock;
    private long last;
    private int next;

    Laps(LongSupplier clock) {
      this.clock = clock;
      this.last = read();
    }

    /** The clock's reading; a clock that throws gives the previous one (a stage of zero), never a failure. */
    private long read() {
      try {
        return clock.getAsLong();
      } catch (RuntimeException e) {
        return last;
      }
    }

    /** Ends {@code stage}: the time since the previous lap is its time. */
    void lap(Stage stage) {
      long now = read();
      nanos[stage.ordinal()] = Math.max(0, now - last);
      last = now;
      next = stage.ordinal() + 1;
    }

    /** The stage running now: the one after the last lap. */
    Stage current() {
      return STAGES[Math.min(next, STAGES.length - 1)];
    }
  }

  void evaluated(ModerationRequest request, Decision decision, Laps laps) {
    for (PolicyFailure f : decision.failures()) {
      policyFailed(f, false);
    }
    for (ShadowOutcome s : decision.shadow()) {
      if (s.failure().isPresent()) {
        policyFailed(s.failure().get(), true);
      }
    }
    try {
      listener.evaluated(new Evaluation(request.type(), decision, laps.nanos));
    } catch (RuntimeException e) {
      failed(e);
    }
  }

  private void policyFailed(PolicyFailure f, boolean shadow) {
    try {
      listener.policyFailed(f, shadow);
    } catch (RuntimeException e) {
      failed(e);
    }
  }

  void evaluationFailed(ModerationRequest request, Laps laps, RuntimeException thrown) {
    try {
      listener.evaluationFailed(new EvaluationFailure(request == null ? "invalid" : request.type(), laps.current(),
          thrown.getClass().getSimpleName()));
    } catch (RuntimeException e) {
      failed(e);
    }
  }

  void bankChanged(String source, String bank, long changed) {
    try {
      listener.bankChanged(new BankChange(source, bank, changed));
    } catch (RuntimeException e) {
      failed(e);
    }
  }

  void obligationEvent(ObligationEvent event) {
    try {
      listener.obligationEvent(event);
    } catch (RuntimeException e) {
      failed(e);
    }
  }

  /** What the engine hands its decision log: batches reach the listener, its exceptions are counted. */
  EngineListener forLog() {
    return new EngineListener() {
      @Override
      public void logBatchWritten(dev.haetae.moderation.api.observe.LogBatch batch) {
        try {
          listener.logBatchWritten(batch);
        } catch (RuntimeException e) {
          failed(e);
        }
      }

      @Override
      public String toString() {
        return "log batches to " + listener;
      }
    };
  }

  private void failed(RuntimeException e) {
    failures.increment();
    LOG.debug("engine listener {} failed", listener, e);
  }
}
