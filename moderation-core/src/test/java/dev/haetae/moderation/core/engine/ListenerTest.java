package dev.haetae.moderation.core.engine;

import static dev.haetae.moderation.core.engine.Fixtures.PDQ_A;
import static dev.haetae.moderation.core.engine.Fixtures.T0;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.haetae.moderation.api.Action;
import dev.haetae.moderation.api.Category;
import dev.haetae.moderation.api.ConfigurationException;
import dev.haetae.moderation.api.ContentId;
import dev.haetae.moderation.api.Decision;
import dev.haetae.moderation.api.InvalidRequestException;
import dev.haetae.moderation.api.LegalNotice;
import dev.haetae.moderation.api.NoticeSender;
import dev.haetae.moderation.api.ObligationEvent;
import dev.haetae.moderation.api.PolicyFailure;
import dev.haetae.moderation.api.observe.BankChange;
import dev.haetae.moderation.api.observe.EngineListener;
import dev.haetae.moderation.api.observe.Evaluation;
import dev.haetae.moderation.api.observe.EvaluationFailure;
import dev.haetae.moderation.api.observe.Stage;
import dev.haetae.moderation.core.audit.LogEvent;
import dev.haetae.moderation.core.simulate.SettableClock;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Issue 17: the engine tells its listeners what it did, and a failing listener changes nothing. */
class ListenerTest {

  /** Records every call. */
  static final class Recorder implements EngineListener {
    final List<Evaluation> evaluations = new CopyOnWriteArrayList<>();
    final List<EvaluationFailure> failures = new CopyOnWriteArrayList<>();
    final List<String> policyFailures = new CopyOnWriteArrayList<>();
    final List<BankChange> banks = new CopyOnWriteArrayList<>();
    final List<ObligationEvent> obligations = new CopyOnWriteArrayList<>();

    @Override
    public void evaluated(Evaluation evaluation) {
      evaluations.add(evaluation);
    }

    @Override
    public void evaluationFailed(EvaluationFailure failure) {
      failures.add(failure);
    }

    @Override
    public void policyFailed(PolicyFailure failure, boolean shadow) {
      policyFailures.add(failure.policy().name() + ":" + failure.kind() + ":" + shadow);
    }

    @Override
    public void bankChanged(BankChange change) {
      banks.add(change);
    }

    @Override
    public void obligationEvent(ObligationEvent event) {
      obligations.add(event);
    }
  }

  /** Throws from every method. */
  static final class Thrower implements EngineListener {
    @Override
    public void evaluated(Evaluation evaluation) {
      throw new IllegalStateException("listener bug");
    }

    @Override
    public void evaluationFailed(EvaluationFailure failure) {
      throw new IllegalStateException("listener bug");
    }

    @Override
    public void policyFailed(PolicyFailure failure, boolean shadow) {
      throw new IllegalStateException("listener bug");
    }

    @Override
    public void bankChanged(BankChange change) {
      throw new IllegalStateException("listener bug");
    }

    @Override
    public void obligationEvent(ObligationEvent event) {
      throw new IllegalStateException("listener bug");
    }
  }

  private static ModerationEngineBuilder builder(Path dir, EngineListener... listeners) {
    ModerationEngineBuilder b = ModerationEngine.builder().clock(new SettableClock(T0)).logDirectory(dir)
        .policyIsolation(PolicyIsolation.INLINE).serviceLoader(false, null)
        .shadowPolicy(Fixtures.policy("shadow-broken", e -> {
          throw new IllegalStateException("boom");
        }));
    for (EngineListener l : listeners) {
      b.listener(l);
    }
    return b;
  }

  @Test
  void everyStageIsTimedAndTheDecisionReachesTheListener(@TempDir Path dir) {
    Recorder r = new Recorder();
    try (ModerationEngine engine = builder(dir, r).policies(Fixtures.policy("broken", e -> {
      throw new IllegalStateException("boom");
    })).build()) {
      engine.changeBanks("host", List.of(new LogEvent.BankEntryChange("add", "stopncii", "pdq", PDQ_A,
          Category.NCII, "a victim's submission")));
      Decision d = engine.evaluate(Fixtures.upload("c1", "u1", "r1", PDQ_A));
      assertTrue(d.has(Action.Remove.class), d.toString());
      assertEquals(1, r.evaluations.size());
      Evaluation ev = r.evaluations.get(0);
      assertSame(d, ev.decision());
      assertEquals("content", ev.requestType());
      long sum = 0;
      for (Stage s : Stage.values()) {
        assertTrue(ev.nanos(s) >= 0, s.tag());
        sum += ev.nanos(s);
      }
      assertEquals(sum, ev.totalNanos());
      assertTrue(ev.nanos(Stage.LOG) > 0, "the durable append takes measurable time");
      assertEquals(List.of("broken:THREW:false", "shadow-broken:THREW:true"), r.policyFailures);
      assertEquals(List.of(new BankChange("host", "stopncii", 1)), r.banks);
      assertEquals(0, engine.listenerFailures());
    }
  }

  /** Issue 18: the stage timings come from the clock the host gives, read once per stage. */
  @Test
  void theStageClockTimesEveryStage(@TempDir Path dir) {
    Recorder r = new Recorder();
    java.util.concurrent.atomic.AtomicLong ticks = new java.util.concurrent.atomic.AtomicLong();
    try (ModerationEngine engine = builder(dir, r).stageClock(() -> ticks.addAndGet(1000)).build()) {
      Decision d = engine.evaluate(Fixtures.upload("c1"));
      Evaluation ev = r.evaluations.get(0);
      assertSame(d, ev.decision());
      for (Stage s : Stage.values()) {
        assertEquals(1000, ev.nanos(s), s.tag());
      }
      assertEquals(1000L * (Stage.values().length + 1), ticks.get(), "one reading to start, one per stage");
    }
    assertThrows(ConfigurationException.class, () -> ModerationEngine.builder().stageClock(null));
  }

  /** A stage clock that throws or goes backwards gives zeros and fails no evaluation. */
  @Test
  void aBrokenStageClockFailsNoEvaluation(@TempDir Path dir) {
    Decision quiet;
    try (ModerationEngine engine = builder(dir.resolve("a")).build()) {
      quiet = engine.evaluate(Fixtures.upload("c1"));
    }
    Recorder r = new Recorder();
    java.util.concurrent.atomic.AtomicLong reads = new java.util.concurrent.atomic.AtomicLong();
    try (ModerationEngine engine = builder(dir.resolve("b"), r).stageClock(() -> {
      long n = reads.incrementAndGet();
      if (n % 2 == 0) {
        throw new IllegalStateException("clock bug");
      }
      return -n; // backwards
    }).build()) {
      Decision d = engine.evaluate(Fixtures.upload("c1"));
      assertEquals(quiet.actions(), d.actions());
      assertEquals(quiet.reasons(), d.reasons());
      Evaluation ev = r.evaluations.get(0);
      for (Stage s : Stage.values()) {
        assertEquals(0, ev.nanos(s), s.tag());
      }
      assertEquals(0, engine.listenerFailures());
    }
  }

  @Test
  void aFailedEvaluationNamesItsStage(@TempDir Path dir) {
    Recorder r = new Recorder();
    try (ModerationEngine engine = builder(dir, r).build()) {
      assertThrows(InvalidRequestException.class, () -> engine.evaluate(null));
      assertEquals(List.of(new EvaluationFailure("invalid", Stage.VALIDATE, "InvalidRequestException")), r.failures);
      assertTrue(r.evaluations.isEmpty());
    }
  }

  @Test
  void obligationEventsReachTheListener(@TempDir Path dir) {
    Recorder r = new Recorder();
    List<ObligationEvent> heard = new CopyOnWriteArrayList<>();
    try (ModerationEngine engine = builder(dir, r).obligationListener(heard::add).build()) {
      engine.evaluate(Fixtures.upload("c1"));
      engine.evaluate(new LegalNotice("n1", "EU-DSA-16", ContentId.of("c1"), NoticeSender.USER,
          LegalFlowTest.DSA, T0));
      assertTrue(!heard.isEmpty());
      assertEquals(heard, r.obligations);
    }
  }

  @Test
  void aThrowingListenerIsCountedAndChangesNoDecision(@TempDir Path dir) {
    Recorder after = new Recorder();
    Decision quiet;
    try (ModerationEngine engine = builder(dir.resolve("a")).build()) {
      quiet = engine.evaluate(Fixtures.upload("c1"));
    }
    try (ModerationEngine engine = builder(dir.resolve("b"), new Thrower(), after).build()) {
      Decision d = engine.evaluate(Fixtures.upload("c1"));
      assertEquals(quiet.actions(), d.actions());
      assertEquals(quiet.reasons(), d.reasons());
      assertThrows(InvalidRequestException.class, () -> engine.evaluate(null));
      // one evaluation: the shadow failure and the evaluation; one failed evaluation
      assertEquals(3, engine.listenerFailures());
      assertEquals(1, after.evaluations.size(), "a composite calls later listeners after one threw");
      assertEquals(1, after.failures.size());
    }
  }

  /**
   * Concurrent evaluations: every record the file log made durable was reported in exactly one
   * batch, and a listener that throws from {@code logBatchWritten} is counted and fails no append.
   */
  @Test
  void theFileLogReportsEveryGroupCommitBatch(@TempDir Path dir) throws Exception {
    List<dev.haetae.moderation.api.observe.LogBatch> batches = new CopyOnWriteArrayList<>();
    EngineListener heard = new EngineListener() {
      @Override
      public void logBatchWritten(dev.haetae.moderation.api.observe.LogBatch batch) {
        batches.add(batch);
      }
    };
    EngineListener throwing = new EngineListener() {
      @Override
      public void logBatchWritten(dev.haetae.moderation.api.observe.LogBatch batch) {
        throw new IllegalStateException("listener bug");
      }
    };
    int threads = 4;
    int each = 25;
    long failures;
    try (ModerationEngine engine = builder(dir, heard, throwing).build()) {
      java.util.concurrent.ExecutorService pool = java.util.concurrent.Executors.newFixedThreadPool(threads);
      java.util.concurrent.CountDownLatch start = new java.util.concurrent.CountDownLatch(1);
      List<java.util.concurrent.Future<?>> done = new java.util.ArrayList<>();
      for (int t = 0; t < threads; t++) {
        int thread = t;
        done.add(pool.submit(() -> {
          start.await();
          for (int i = 0; i < each; i++) {
            engine.evaluate(Fixtures.upload("c" + thread + "-" + i));
          }
          return null;
        }));
      }
      start.countDown();
      for (java.util.concurrent.Future<?> f : done) {
        f.get(); // an append failed by the throwing listener would surface here
      }
      pool.shutdown();
      failures = engine.listenerFailures();
    }
    long reported = 0;
    for (dev.haetae.moderation.api.observe.LogBatch b : batches) {
      assertEquals("file", b.log());
      assertTrue(b.records() >= 1 && b.nanos() >= 0, b.toString());
      reported += b.records();
    }
    long records = dev.haetae.moderation.core.audit.AuditLog.open(dir).verify().records();
    assertTrue(records >= threads * each, "one record per decision at least: " + records);
    assertEquals(records, reported, "every durable record was in exactly one reported batch");
    assertEquals(batches.size(), failures, "each batch reached the throwing listener too, and was counted");
  }

  @Test
  void noListenerOrNoneMeansNoObserver(@TempDir Path dir) {
    try (ModerationEngine engine = builder(dir, EngineListener.NONE).build()) {
      engine.evaluate(Fixtures.upload("c1"));
      assertEquals(0, engine.listenerFailures());
    }
    assertThrows(ConfigurationException.class, () -> ModerationEngine.builder().listener(null));
  }
}
