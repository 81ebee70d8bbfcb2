package dev.haetae.moderation.core.engine;

import static dev.haetae.moderation.core.engine.Fixtures.T0;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.haetae.moderation.api.Action;
import dev.haetae.moderation.api.Decision;
import dev.haetae.moderation.api.Evidence;
import dev.haetae.moderation.api.Outcome;
import dev.haetae.moderation.api.PolicyFailure;
import dev.haetae.moderation.api.PolicyId;
import dev.haetae.moderation.api.spi.Policy;
import dev.haetae.moderation.core.simulate.SettableClock;
import java.time.Duration;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/**
 * Issue 15 item 11: a policy that ignores interrupts used to hold every worker thread it was given,
 * until each later evaluation waited its budget for a worker. It is now tripped after three
 * time-outs in a row, its stuck threads are replaced up to a cap, and it is re-admitted after a
 * cool-down (on the injected clock) by a probe call. No sleeps: the stuck policy waits on a latch
 * the test opens, and the cool-down is the settable clock's.
 */
class BreakerTest {

  /** A policy that, while {@code stuck}, waits for {@code release} and swallows interrupts. */
  static final class Stubborn implements Policy {
    final CountDownLatch release = new CountDownLatch(1);
    final AtomicInteger calls = new AtomicInteger();
    final AtomicInteger returned = new AtomicInteger();
    volatile boolean stuck = true;

    @Override
    public PolicyId id() {
      return PolicyId.of("stubborn", "1");
    }

    @Override
    public Outcome evaluate(Evidence evidence) {
      calls.incrementAndGet();
      try {
        while (stuck) {
          try {
            if (release.await(1, TimeUnit.DAYS)) {
              break;
            }
          } catch (InterruptedException e) {
            // ignores the interrupt: this is the defect the breaker guards against
          }
        }
        return Outcome.none();
      } finally {
        returned.incrementAndGet();
      }
    }

    @Override
    public Duration timeBudget() {
      return Duration.ofMillis(25);
    }
  }

  @Test
  void aPolicyThatKeepsTimingOutIsTrippedItsThreadsReplacedAndLaterReadmitted() throws Exception {
    SettableClock clock = new SettableClock(T0);
    Stubborn stubborn = new Stubborn();
    RecordingLog log = new RecordingLog(new CopyOnWriteArrayList<>());
    // one base worker: without replacements the good policy would queue behind the stuck thread
    try (ModerationEngine engine = ModerationEngine.builder().clock(clock).decisionLog(log).defaultPolicies(false)
        .serviceLoader(false, null).policies(stubborn, Fixtures.remover("good")).policyThreads(1, 4)
        .policyBreaker(3, Duration.ofMinutes(5)).build()) {
      for (int i = 0; i < 3; i++) {
        Decision d = engine.evaluate(Fixtures.upload("c" + i));
        assertEquals(PolicyFailure.Kind.TIMED_OUT, d.failures().get(0).kind(), d.failures().toString());
        assertTrue(d.has(Action.Remove.class), "the good policy still got a worker: " + d);
        assertTrue(d.has(Action.QueueForReview.class));
      }
      PluginHealth h = engine.pluginHealth();
      assertEquals(1, h.tripped().size(), h.toString());
      assertEquals("stubborn@1#-", h.tripped().get(0).name());
      assertEquals(T0.plus(Duration.ofMinutes(5)), h.tripped().get(0).until());
      assertFalse(h.tripped().get(0).probing());
      assertEquals(3, h.stuckThreads());
      assertEquals(3, h.replacedThreads());
      assertEquals(1, h.trips());

      // tripped: not called, its fail mode at once, recorded as tripped
      for (int i = 0; i < 20; i++) {
        Decision d = engine.evaluate(Fixtures.upload("t" + i));
        assertEquals(PolicyFailure.Kind.TRIPPED, d.failures().get(0).kind());
        assertTrue(d.has(Action.Remove.class));
        assertTrue(d.has(Action.QueueForReview.class), "fail mode REVIEW applies while tripped");
      }
      assertEquals(3, stubborn.calls.get(), "a tripped policy is not called");
      assertEquals(PolicyFailure.Kind.TRIPPED, log.entries.get(log.entries.size() - 1).decision().failures().get(0)
          .kind());

      // the cool-down ends; the policy recovers; the probe call re-admits it
      stubborn.stuck = false;
      stubborn.release.countDown();
      clock.advance(Duration.ofMinutes(5));
      assertTrue(engine.pluginHealth().tripped().get(0).probing());
      Decision probe = engine.evaluate(Fixtures.upload("p"));
      assertTrue(probe.failures().isEmpty(), probe.failures().toString());
      assertEquals(4, stubborn.calls.get());
      assertTrue(engine.pluginHealth().tripped().isEmpty());
      assertTrue(engine.evaluate(Fixtures.upload("q")).failures().isEmpty());

      // the stuck threads returned once released; their replacements end with them
      awaitReturned(stubborn, 5);
      waitUntil(() -> engine.pluginHealth().stuckThreads() == 0);
      assertEquals(0, engine.pluginHealth().stuckThreads());
    }
  }

  @Test
  void aProbeThatTimesOutTripsAgainAndStuckThreadsBeyondTheCapAreNotReplaced() throws Exception {
    SettableClock clock = new SettableClock(T0);
    Stubborn stubborn = new Stubborn();
    RecordingLog log = new RecordingLog(new CopyOnWriteArrayList<>());
    try (ModerationEngine engine = ModerationEngine.builder().clock(clock).decisionLog(log).defaultPolicies(false)
        .serviceLoader(false, null).policies(stubborn, Fixtures.remover("good")).policyThreads(2, 2)
        .policyBreaker(2, Duration.ofSeconds(30)).build()) {
      engine.evaluate(Fixtures.upload("a"));
      engine.evaluate(Fixtures.upload("b"));
      assertEquals(1, engine.pluginHealth().tripped().size());
      assertEquals(2, engine.pluginHealth().stuckThreads());
      clock.advance(Duration.ofSeconds(30));
      // the cap of replacements is reached: no probe is let through, the policy stays tripped
      Decision d = engine.evaluate(Fixtures.upload("c"));
      assertEquals(PolicyFailure.Kind.TRIPPED, d.failures().get(0).kind());
      assertEquals(2, stubborn.calls.get());
      assertTrue(d.has(Action.Remove.class), "the good policy still runs on the base threads");
    } finally {
      stubborn.release.countDown();
    }
  }

  @Test
  void aFailedProbeTripsThePolicyForAnotherCoolDown() throws Exception {
    SettableClock clock = new SettableClock(T0);
    Stubborn stubborn = new Stubborn();
    RecordingLog log = new RecordingLog(new CopyOnWriteArrayList<>());
    try (ModerationEngine engine = ModerationEngine.builder().clock(clock).decisionLog(log).defaultPolicies(false)
        .serviceLoader(false, null).policies(stubborn).policyThreads(1, 8)
        .policyBreaker(1, Duration.ofSeconds(30)).build()) {
      engine.evaluate(Fixtures.upload("a"));
      assertEquals(1, engine.pluginHealth().trips());
      clock.advance(Duration.ofSeconds(30));
      Decision probe = engine.evaluate(Fixtures.upload("b"));
      assertEquals(PolicyFailure.Kind.TIMED_OUT, probe.failures().get(0).kind(), "the probe was called");
      assertEquals(2, stubborn.calls.get());
      PluginHealth h = engine.pluginHealth();
      assertEquals(2, h.trips());
      assertEquals(clock.instant().plusSeconds(30), h.tripped().get(0).until());
      assertEquals(PolicyFailure.Kind.TRIPPED, engine.evaluate(Fixtures.upload("c")).failures().get(0).kind());
    } finally {
      stubborn.release.countDown();
    }
  }

  private static void awaitReturned(Stubborn s, int n) throws InterruptedException {
    waitUntil(() -> s.returned.get() >= n);
    assertEquals(n, s.returned.get());
  }

  /**
   * Waits for a condition another thread makes true, by yielding, without a timing assertion (the
   * surefire timeout bounds a hang).
   */
  private static void waitUntil(java.util.function.BooleanSupplier c) throws InterruptedException {
    while (!c.getAsBoolean()) {
      Thread.onSpinWait();
      Thread.yield();
      if (Thread.interrupted()) {
        throw new InterruptedException();
      }
    }
  }
}
