package dev.haetae.moderation.core.engine;

import dev.haetae.moderation.api.ActionExecutionException;
import dev.haetae.moderation.api.Decision;
import dev.haetae.moderation.api.ModerationRequest;
import dev.haetae.moderation.api.ObligationEvent;
import dev.haetae.moderation.api.spi.ActionExecutor;
import dev.haetae.moderation.core.audit.EngineLog;
import dev.haetae.moderation.core.audit.LogEvent;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The last step of a decision, and the recovery of decisions that never reached it: hands a logged
 * and applied decision to the host's executor, logs a failed or repeated delivery, marks the
 * decision done in the log's outbox; and carries out what the outbox still holds. Thread-safe as the
 * executor and the log are.
 */
final class Delivery {
  private static final Logger LOG = LoggerFactory.getLogger(Delivery.class);

  private final ActionExecutor executor;
  private final Optional<EngineLog> log;
  private final Clock clock;
  private final Applier applier;
  private final Consumer<ObligationEvent> listener;

  Delivery(ActionExecutor executor, Optional<EngineLog> log, Clock clock, Applier applier,
      Consumer<ObligationEvent> listener) {
    this.executor = executor;
    this.log = log;
    this.clock = clock;
    this.applier = applier;
    this.listener = listener;
  }

  /** Hands a logged and applied decision to the executor; marks it done in the outbox when that worked. */
  void deliver(ModerationRequest request, Decision decision, long seq, boolean again) {
    try {
      executor.execute(request, decision);
    } catch (RuntimeException e) {
      log.ifPresent(l -> {
        try {
          l.append(new LogEvent.Delivery(clock.instant(), decision.id(), seq, "failed",
              Optional.of(e.getClass().getSimpleName() + ": " + e.getMessage())));
        } catch (RuntimeException ex) {
          LOG.warn("could not log the failed delivery of decision {}", decision.id().value(), ex);
        }
      });
      throw new ActionExecutionException(decision, e);
    }
    if (again) {
      log.ifPresent(l -> l.append(new LogEvent.Delivery(clock.instant(), decision.id(), seq, "redelivered",
          Optional.empty())));
    }
    log.ifPresent(l -> l.done(seq));
  }

  /** Carries out the decisions the log's outbox holds, in log order; see {@link ModerationEngine#recover()}. */
  List<Long> recover() {
    if (log.isEmpty()) {
      return List.of();
    }
    EngineLog l = log.get();
    List<EngineLog.Pending> pending = l.pending();
    if (pending.isEmpty()) {
      return List.of();
    }
    List<Long> done = new ArrayList<>();
    List<Long> failed = new ArrayList<>();
    for (EngineLog.Pending p : pending) {
      try {
        for (ObligationEvent e : applier.apply(p.effects(), p.events())) {
          listener.accept(e);
        }
        deliver(p.evidence().request(), p.decision(), p.seq(), true);
        done.add(p.seq());
      } catch (RuntimeException e) {
        LOG.warn("recovery of decision {} (record {}) failed; it stays pending", p.decision().id().value(), p.seq(),
            e);
        failed.add(p.seq());
      }
    }
    l.append(new LogEvent.Recovery(clock.instant(), done, failed));
    LOG.info("recovered {} decision(s) from the log's outbox; {} failed", done.size(), failed.size());
    return done;
  }
}
