package dev.haetae.moderation.core.audit;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.haetae.moderation.api.Action;
import dev.haetae.moderation.api.ActionConfirmation;
import dev.haetae.moderation.api.Decision;
import dev.haetae.moderation.api.DecisionId;
import dev.haetae.moderation.api.Signal;
import dev.haetae.moderation.core.engine.ModerationEngine;
import dev.haetae.moderation.core.simulate.SettableClock;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A host's confirmation is checked against what the engine's memory remembers of its decision when
 * it arrives, and the finding is in the confirmation's own evidence ({@code confirmation_check}):
 * planned, not planned (stray), or an unknown decision (stray, e.g. an allow-only upload, which the
 * memory does not keep). The log replays identical.
 */
class ConfirmationCheckTest {
  @Test
  void eachConfirmationsEvidenceSaysWhetherItsDecisionPlannedTheAction(@TempDir Path dir) throws Exception {
    SettableClock clock = new SettableClock(TemporaryMeasureTest.T0);
    List<Decision> executed = new CopyOnWriteArrayList<>();
    Decision upload;
    Decision measure;
    try (ModerationEngine engine = TemporaryMeasureTest.engine(dir, clock, executed)) {
      upload = engine.evaluate(TemporaryMeasureTest.upload("c1"));
      measure = engine.evaluate(TemporaryMeasureTest.request("n1", "c1", clock.instant()));
      clock.advance(Duration.ofHours(1));
      engine.evaluate(ActionConfirmation.carriedOut(measure.id(), Action.Kind.TEMPORARY_MEASURE, clock.instant()));
      engine.evaluate(ActionConfirmation.carriedOut(measure.id(), Action.Kind.REMOVE, clock.instant()));
      engine.evaluate(ActionConfirmation.carriedOut(DecisionId.of("made-up"), Action.Kind.REMOVE, clock.instant()));
      engine.evaluate(ActionConfirmation.carriedOut(upload.id(), Action.Kind.ALLOW, clock.instant()));
    }
    List<Signal.ConfirmationCheck.Standing> found = new ArrayList<>();
    AuditLog audit = AuditLog.open(dir);
    audit.forEach(ProgressListener.NONE, rec -> {
      if (rec.evidence().request() instanceof ActionConfirmation) {
        List<Signal.ConfirmationCheck> checks = rec.evidence().signals(Signal.ConfirmationCheck.class);
        assertEquals(1, checks.size(), rec.evidence().toString());
        found.add(checks.get(0).standing());
      }
    });
    assertEquals(List.of(Signal.ConfirmationCheck.Standing.PLANNED, Signal.ConfirmationCheck.Standing.NOT_PLANNED,
        Signal.ConfirmationCheck.Standing.UNKNOWN_DECISION, Signal.ConfirmationCheck.Standing.UNKNOWN_DECISION),
        found);
    // the log-wide check agrees on the three stray ones
    assertEquals(3, Explanation.strayConfirmations(audit, ProgressListener.NONE).size());
    TemporaryMeasureTest.verifiesAndReplays(dir);
  }
}
