package dev.haetae.moderation.core.engine;

import static dev.haetae.moderation.core.engine.Fixtures.T0;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.haetae.moderation.api.Action;
import dev.haetae.moderation.api.ConfigurationException;
import dev.haetae.moderation.api.Decision;
import dev.haetae.moderation.api.Evidence;
import dev.haetae.moderation.api.FailMode;
import dev.haetae.moderation.api.ModerationRequest;
import dev.haetae.moderation.api.Outcome;
import dev.haetae.moderation.api.PolicyFailure;
import dev.haetae.moderation.api.PolicyId;
import dev.haetae.moderation.api.Signal;
import dev.haetae.moderation.api.TimeOutOfRangeException;
import dev.haetae.moderation.api.spi.Policy;
import dev.haetae.moderation.api.spi.SignalProvider;
import dev.haetae.moderation.core.decide.Decider;
import dev.haetae.moderation.core.simulate.SettableClock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Issue 15 item 9: failures that escaped isolation. Each gets its fail mode and a recorded failure,
 * or, when it is a configuration mistake, a {@link ConfigurationException} naming the plugin.
 */
class PluginFailureTest {

  static Policy policy(String name, Supplier<Outcome> body, Duration budget) {
    return new Policy() {
      @Override
      public PolicyId id() {
        return PolicyId.of(name, "1");
      }

      @Override
      public Outcome evaluate(Evidence evidence) {
        return body.get();
      }

      @Override
      public Duration timeBudget() {
        return budget;
      }
    };
  }

  private static int depth(int n) {
    return n == Integer.MIN_VALUE ? n : depth(n + 1) + 1;
  }

  static ModerationEngine engine(PolicyIsolation iso, RecordingLog log, List<Policy> policies,
      SignalProvider... providers) {
    ModerationEngineBuilder b = ModerationEngine.builder().clock(new SettableClock(T0)).decisionLog(log)
        .defaultPolicies(false).serviceLoader(false, null).policyIsolation(iso)
        .policies(policies.toArray(new Policy[0]));
    for (SignalProvider p : providers) {
      b.signalProvider(p);
    }
    return b.build();
  }

  @ParameterizedTest
  @EnumSource(PolicyIsolation.class)
  void aStackOverflowAndOtherErrorsAreContainedAndSentToReview(PolicyIsolation iso) {
    RecordingLog log = new RecordingLog(new CopyOnWriteArrayList<>());
    Policy overflow = Fixtures.policy("overflow", e -> {
      depth(0);
      return Outcome.none();
    });
    Policy assertion = Fixtures.policy("asserts", e -> {
      throw new AssertionError("invariant broken");
    });
    Policy linkage = Fixtures.policy("linkage", e -> {
      throw new NoClassDefFoundError("com/example/Missing");
    });
    try (ModerationEngine engine = engine(iso, log, List.of(overflow, assertion, linkage, Fixtures.remover("good")))) {
      Decision d = engine.evaluate(Fixtures.upload("c1"));
      assertEquals(3, d.failures().size(), d.failures().toString());
      assertEquals(PolicyFailure.Kind.THREW, d.failures().get(0).kind());
      assertTrue(d.failures().get(0).message().startsWith("java.lang.StackOverflowError"),
          d.failures().get(0).message());
      assertTrue(d.failures().get(1).message().contains("invariant broken"));
      assertTrue(d.failures().get(2).message().contains("NoClassDefFoundError"));
      assertTrue(d.has(Action.Remove.class), "the good policy still counts");
      assertTrue(d.has(Action.QueueForReview.class), "fail mode REVIEW applies");
      assertEquals(d, log.entries.get(0).decision(), "the failures are in the logged record");
      // and the engine goes on
      assertEquals(3, engine.evaluate(Fixtures.upload("c2")).failures().size());
    }
  }

  @ParameterizedTest
  @EnumSource(PolicyIsolation.class)
  void outOfMemoryIsNotContained(PolicyIsolation iso) {
    RecordingLog log = new RecordingLog(new CopyOnWriteArrayList<>());
    Policy oom = Fixtures.policy("oom", e -> {
      throw new OutOfMemoryError("simulated");
    });
    try (ModerationEngine engine = engine(iso, log, List.of(oom))) {
      assertThrows(OutOfMemoryError.class, () -> engine.evaluate(Fixtures.upload("c1")));
      assertTrue(log.entries.isEmpty(), "nothing is decided after an out-of-memory error");
    }
  }

  @Test
  void aPolicyWhoseIdThrowsAStackOverflowIsStillNamed() {
    Policy p = new Policy() {
      @Override
      public PolicyId id() {
        return PolicyId.of("x" + depth(0), "1");
      }

      @Override
      public Outcome evaluate(Evidence evidence) {
        throw new IllegalStateException("no");
      }
    };
    assertEquals(PolicyId.of(p.getClass().getName(), "unknown"), Decider.idOf(p));
  }

  @Test
  void badTimeBudgetsAreRefusedWhenThePolicyIsRegistered() {
    List<Duration> bad = Arrays.asList(null, Duration.ZERO, Duration.ofMillis(-5), Duration.ofDays(365 * 1000L),
        Duration.ofSeconds(Long.MAX_VALUE), Duration.ofMinutes(2));
    for (Duration d : bad) {
      Policy p = policy("budget", Outcome::none, d);
      ConfigurationException e = assertThrows(ConfigurationException.class, () -> ModerationEngine.builder()
          .decisionLog(new RecordingLog(new CopyOnWriteArrayList<>())).policies(p).build(), String.valueOf(d));
      assertTrue(e.getMessage().contains("budget@1") && e.getMessage().contains("timeBudget()"), e.getMessage());
      assertThrows(ConfigurationException.class, () -> ModerationEngine.builder()
          .decisionLog(new RecordingLog(new CopyOnWriteArrayList<>())).shadowPolicy(p).build());
    }
    Policy throwing = new Policy() {
      @Override
      public PolicyId id() {
        return PolicyId.of("throwing-budget", "1");
      }

      @Override
      public Outcome evaluate(Evidence evidence) {
        return Outcome.none();
      }

      @Override
      public Duration timeBudget() {
        throw new UnsupportedOperationException("no budget");
      }
    };
    ConfigurationException e = assertThrows(ConfigurationException.class, () -> ModerationEngine.builder()
        .decisionLog(new RecordingLog(new CopyOnWriteArrayList<>())).policies(throwing).build());
    assertTrue(e.getMessage().contains("no budget"), e.getMessage());
    // the largest accepted budget is one minute
    try (ModerationEngine ok = ModerationEngine.builder().decisionLog(new RecordingLog(new CopyOnWriteArrayList<>()))
        .policies(policy("minute", Outcome::none, Duration.ofMinutes(1))).build()) {
      assertTrue(ok.policies().stream().anyMatch(x -> x.id().name().equals("minute")));
    }
  }

  @Test
  void aBudgetThatGoesBadAfterRegistrationIsClamped() {
    Duration[] budget = {Duration.ofSeconds(1)};
    Policy p = new Policy() {
      @Override
      public PolicyId id() {
        return PolicyId.of("drifting", "1");
      }

      @Override
      public Outcome evaluate(Evidence evidence) {
        return Outcome.none();
      }

      @Override
      public Duration timeBudget() {
        return budget[0];
      }
    };
    RecordingLog log = new RecordingLog(new CopyOnWriteArrayList<>());
    try (ModerationEngine engine = engine(PolicyIsolation.THREADS, log, List.of(p))) {
      budget[0] = null;
      assertTrue(engine.evaluate(Fixtures.upload("c1")).failures().isEmpty());
      budget[0] = Duration.ofSeconds(Long.MAX_VALUE);
      assertTrue(engine.evaluate(Fixtures.upload("c2")).failures().isEmpty());
    }
  }

  /** A provider whose every answer a test can set. */
  static class Provider implements SignalProvider {
    final String id;
    volatile Supplier<List<Signal>> signals = List::of;
    volatile Supplier<String> version = () -> "1";
    FailMode failMode = FailMode.IGNORE;
    Duration budget = Duration.ofMillis(500);
    Set<String> safe = Set.of();
    volatile int calls;

    Provider(String id) {
      this.id = id;
    }

    @Override
    public String id() {
      return id;
    }

    @Override
    public String version() {
      return version.get();
    }

    @Override
    public List<Signal> signals(ModerationRequest request, Instant now) {
      calls++;
      return signals.get();
    }

    @Override
    public Duration timeBudget() {
      return budget;
    }

    @Override
    public FailMode failMode() {
      return failMode;
    }

    @Override
    public Set<String> safeAttributes() {
      return safe;
    }
  }

  @ParameterizedTest
  @EnumSource(PolicyIsolation.class)
  void providerFailuresAreRecordedAndTheirFailModeApplies(PolicyIsolation iso) {
    Provider nullElement = new Provider("null-element");
    nullElement.signals = () -> Arrays.asList((Signal) null);
    Provider nullVersion = new Provider("null-version");
    nullVersion.version = () -> null;
    nullVersion.signals = () -> List.of(new Signal.Custom("null-version", "x", Map.of()));
    Provider nullList = new Provider("null-list");
    nullList.signals = () -> null;
    Provider foreign = new Provider("foreign");
    foreign.signals = () -> List.of(new Signal.Custom("someone-else", "x", Map.of()));
    Provider typed = new Provider("typed");
    typed.signals = () -> List.of(new Signal.NotHashed("forged"));
    Provider overflow = new Provider("overflow");
    overflow.failMode = FailMode.REVIEW;
    overflow.signals = () -> List.of(new Signal.Custom("overflow", "n", Map.of("n", "" + depth(0))));
    Provider good = new Provider("good");
    good.signals = () -> List.of(new Signal.Custom("good", "score", Map.of("score", "0.5")));
    RecordingLog log = new RecordingLog(new CopyOnWriteArrayList<>());
    try (ModerationEngine engine = engine(iso, log, List.of(), nullElement, nullVersion, nullList, foreign, typed,
        overflow, good)) {
      Decision d = engine.evaluate(Fixtures.upload("c1"));
      Evidence e = log.entries.get(0).evidence();
      assertEquals("failed: invalid; fail mode ignore", e.versions().get("provider:null-element"));
      assertEquals("failed: invalid; fail mode ignore", e.versions().get("provider:null-version"));
      assertEquals("failed: invalid; fail mode ignore", e.versions().get("provider:null-list"));
      assertEquals("failed: invalid; fail mode ignore", e.versions().get("provider:foreign"));
      assertEquals("failed: invalid; fail mode ignore", e.versions().get("provider:typed"));
      assertEquals("failed: threw; fail mode review", e.versions().get("provider:overflow"));
      assertEquals("1", e.versions().get("provider:good"));
      List<Signal.Custom> custom = e.signals(Signal.Custom.class);
      assertEquals(1, custom.size(), "only the good provider's signal is kept: " + custom);
      assertTrue(e.signals(Signal.NotHashed.class).isEmpty(), "a forged engine signal is dropped");
      assertEquals(6, d.failures().size(), d.failures().toString());
      assertTrue(d.failures().stream().allMatch(f -> f.policy().name().startsWith("provider:")));
      assertTrue(d.has(Action.QueueForReview.class), "the overflowing provider's fail mode is REVIEW: " + d);
      // the failures come from the evidence, so the decider alone (as replay runs it) agrees
      assertEquals(d, Decider.decide(d.id(), e, List.of(), List.of()));
    }
  }

  @Test
  void invalidProviderDeclarationsAreRefusedAtRegistration() {
    Provider throwingId = new Provider("x") {
      @Override
      public String id() {
        throw new IllegalStateException("no id today");
      }
    };
    Provider nullId = new Provider(null);
    Provider blankId = new Provider(" ");
    Provider badBudget = new Provider("bad-budget");
    badBudget.budget = Duration.ZERO;
    Provider nullSafe = new Provider("null-safe");
    nullSafe.safe = null;
    Provider nullMode = new Provider("null-mode");
    nullMode.failMode = null;
    for (Provider p : List.of(throwingId, nullId, blankId, badBudget, nullSafe, nullMode)) {
      ConfigurationException e = assertThrows(ConfigurationException.class, () -> ModerationEngine.builder()
          .decisionLog(new RecordingLog(new CopyOnWriteArrayList<>())).signalProvider(p).build());
      assertTrue(e.getMessage().startsWith("signal provider"), e.getMessage());
    }
    ConfigurationException twice = assertThrows(ConfigurationException.class, () -> ModerationEngine.builder()
        .decisionLog(new RecordingLog(new CopyOnWriteArrayList<>())).signalProvider(new Provider("same"))
        .signalProvider(new Provider("same")).build());
    assertTrue(twice.getMessage().contains("registered twice"), twice.getMessage());
  }

  @Test
  void aProviderIsCalledUnderItsTimeBudget() throws Exception {
    java.util.concurrent.CountDownLatch release = new java.util.concurrent.CountDownLatch(1);
    Provider slow = new Provider("slow");
    slow.budget = Duration.ofMillis(20);
    slow.signals = () -> {
      try {
        release.await();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
      return List.of();
    };
    RecordingLog log = new RecordingLog(new CopyOnWriteArrayList<>());
    try (ModerationEngine engine = engine(PolicyIsolation.THREADS, log, List.of(Fixtures.remover("good")), slow)) {
      Decision d = engine.evaluate(Fixtures.upload("c1"));
      assertTrue(d.has(Action.Remove.class));
      assertEquals("failed: timed_out; fail mode ignore",
          log.entries.get(0).evidence().versions().get("provider:slow"));
      assertEquals(PolicyFailure.Kind.TIMED_OUT, d.failures().get(0).kind());
      assertFalse(d.has(Action.QueueForReview.class), "fail mode IGNORE adds nothing");
    } finally {
      release.countDown();
    }
  }

  @Test
  void theEnginesClockIsRangeCheckedOncePerEvaluation() {
    SettableClock clock = new SettableClock(T0);
    RecordingLog log = new RecordingLog(new CopyOnWriteArrayList<>());
    List<Instant> seen = new ArrayList<>();
    Provider watcher = new Provider("watcher") {
      @Override
      public List<Signal> signals(ModerationRequest request, Instant now) {
        seen.add(now);
        return List.of();
      }
    };
    try (ModerationEngine engine = ModerationEngine.builder().clock(clock).decisionLog(log).signalProvider(watcher)
        .build()) {
      engine.evaluate(Fixtures.upload("c0"));
      for (Instant bad : List.of(Instant.parse("9999-12-31T00:00:00Z"), TimeOutOfRangeException.LATEST,
          Instant.parse("1969-12-31T23:59:59Z"), Instant.MAX, Instant.MIN)) {
        clock.set(bad);
        TimeOutOfRangeException e = assertThrows(TimeOutOfRangeException.class,
            () -> engine.evaluate(Fixtures.upload("c1")));
        assertEquals("engine clock", e.field());
        assertEquals(bad, e.instant());
      }
      assertEquals(1, log.entries.size(), "nothing refused reaches the log");
      assertEquals(List.of(T0), seen, "no provider was called with an instant out of range");
      clock.set(TimeOutOfRangeException.LATEST.minusSeconds(1));
      assertEquals(clock.instant(), engine.evaluate(Fixtures.upload("c2")).at(), "the last second in range is fine");
    }
  }
}
