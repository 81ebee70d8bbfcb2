package dev.haetae.moderation.core.engine;

import static dev.haetae.moderation.core.engine.Fixtures.T0;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.haetae.moderation.api.Action;
import dev.haetae.moderation.api.ActionExecutionException;
import dev.haetae.moderation.api.Category;
import dev.haetae.moderation.api.Decision;
import dev.haetae.moderation.api.DecisionLogException;
import dev.haetae.moderation.api.MatchType;
import dev.haetae.moderation.api.Signal;
import dev.haetae.moderation.core.hash.HashBanks;
import dev.haetae.moderation.core.simulate.SettableClock;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;

class PipelineTest {

  @Test
  void decisionIsLoggedBeforeTheHostActs() {
    List<String> events = new CopyOnWriteArrayList<>();
    RecordingLog log = new RecordingLog(events);
    HashBanks banks = HashBanks.inMemory();
    banks.add("stopncii", Category.NCII, MatchType.PDQ, Fixtures.PDQ_A);
    try (ModerationEngine engine = ModerationEngine.builder().clock(new SettableClock(T0)).banks(banks)
        .decisionLog(log).actionExecutor((req, d) -> events.add("act:" + d.id().value())).build()) {
      Decision d = engine.evaluate(Fixtures.upload("c1", "u1", "r1", Fixtures.PDQ_A));
      assertTrue(d.has(Action.Remove.class), d.toString());
      assertEquals(List.of("log:" + d.id().value(), "act:" + d.id().value()), events);
      assertEquals(1, log.entries.size());
      assertEquals(d, log.entries.get(0).decision());
    }
  }

  @Test
  void aDecisionThatCannotBeLoggedIsNeverActedOn() {
    List<String> events = new CopyOnWriteArrayList<>();
    RecordingLog log = new RecordingLog(events);
    log.fail = true;
    try (ModerationEngine engine = ModerationEngine.builder().clock(new SettableClock(T0)).decisionLog(log)
        .actionExecutor((req, d) -> events.add("act")).build()) {
      assertThrows(DecisionLogException.class, () -> engine.evaluate(Fixtures.upload("c1")));
      assertTrue(events.isEmpty(), events.toString());
      log.fail = false;
      engine.evaluate(Fixtures.upload("c2"));
      assertEquals(1, log.entries.size());
    }
  }

  /** Issue 15, item 10: a closed engine with a host-supplied log refuses work instead of blaming the plugins. */
  @Test
  void evaluateAfterCloseIsRefusedEvenWithAHostLog() {
    RecordingLog log = new RecordingLog(new CopyOnWriteArrayList<>());
    ModerationEngine engine = ModerationEngine.builder().clock(new SettableClock(T0)).decisionLog(log)
        .policyIsolation(PolicyIsolation.THREADS).build();
    engine.evaluate(Fixtures.upload("c1"));
    int logged = log.entries.size();
    engine.close();
    IllegalStateException e = assertThrows(IllegalStateException.class, () -> engine.evaluate(Fixtures.upload("c2")));
    assertEquals("the moderation engine is closed", e.getMessage());
    assertEquals(logged, log.entries.size(), "nothing is logged after close");
  }

  @Test
  void executorFailureCarriesTheLoggedDecision() {
    RecordingLog log = new RecordingLog(new CopyOnWriteArrayList<>());
    try (ModerationEngine engine = ModerationEngine.builder().clock(new SettableClock(T0)).decisionLog(log)
        .actionExecutor((req, d) -> {
          throw new IllegalStateException("platform API down");
        }).build()) {
      ActionExecutionException e = assertThrows(ActionExecutionException.class,
          () -> engine.evaluate(Fixtures.upload("c1")));
      assertEquals(log.entries.get(0).decision(), e.decision());
    }
  }

  @Test
  void evidenceIsStampedWithTheInjectedClockAndRecordsVersions() {
    RecordingLog log = new RecordingLog(new CopyOnWriteArrayList<>());
    SettableClock clock = new SettableClock(T0);
    HashBanks banks = HashBanks.inMemory();
    banks.add("stopncii", Category.NCII, MatchType.PDQ, Fixtures.PDQ_A);
    try (ModerationEngine engine = ModerationEngine.builder().clock(clock).banks(banks).decisionLog(log).build()) {
      clock.advance(Duration.ofMinutes(5));
      Decision d = engine.evaluate(Fixtures.upload("c1", "u1", "r1", Fixtures.PDQ_A));
      assertEquals(T0.plus(Duration.ofMinutes(5)), d.at());
      var ev = log.entries.get(0).evidence();
      assertEquals(d.at(), ev.now());
      assertTrue(ev.versions().get("bank:stopncii").startsWith("1-"), "change counter, then content digest");
      assertEquals(1, ev.signals(Signal.HashMatch.class).size());
    }
  }

  @Test
  void zeroConfigurationEngineWritesItsLogToATemporaryDirectory() throws Exception {
    try (ModerationEngine engine = ModerationEngine.builder().build()) {
      Decision d = engine.evaluate(Fixtures.upload("c1"));
      assertTrue(d.has(Action.Allow.class));
      assertTrue(engine.logDirectory().isPresent());
      assertTrue(java.nio.file.Files.list(engine.logDirectory().get()).findAny().isPresent());
    }
  }

  @Test
  void blockReuploadAddsTheRemovedContentToThePlatformBank() {
    RecordingLog log = new RecordingLog(new CopyOnWriteArrayList<>());
    HashBanks banks = HashBanks.inMemory();
    banks.add("stopncii", Category.NCII, MatchType.PDQ, Fixtures.PDQ_A);
    try (ModerationEngine engine = ModerationEngine.builder().clock(new SettableClock(T0)).banks(banks)
        .decisionLog(log).build()) {
      engine.evaluate(Fixtures.upload("c1", "u1", "r1", Fixtures.PDQ_A));
      assertTrue(banks.versions().containsKey("bank:" + ModerationEngine.PLATFORM_BANK));
      Decision again = engine.evaluate(Fixtures.upload("c2", "u2", "r2", Fixtures.PDQ_A));
      assertTrue(again.has(Action.Remove.class));
      assertTrue(log.entries.get(1).evidence().signals(Signal.HashMatch.class).stream()
          .anyMatch(m -> m.bank().equals(ModerationEngine.PLATFORM_BANK)));
    }
  }
}
