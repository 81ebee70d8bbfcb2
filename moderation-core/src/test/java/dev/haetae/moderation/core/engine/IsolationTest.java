package dev.haetae.moderation.core.engine;

import static dev.haetae.moderation.core.engine.Fixtures.T0;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.haetae.moderation.api.Action;
import dev.haetae.moderation.api.Category;
import dev.haetae.moderation.api.Decision;
import dev.haetae.moderation.api.Evidence;
import dev.haetae.moderation.api.FailMode;
import dev.haetae.moderation.api.Outcome;
import dev.haetae.moderation.api.PolicyFailure;
import dev.haetae.moderation.api.PolicyId;
import dev.haetae.moderation.api.Reason;
import dev.haetae.moderation.api.spi.Policy;
import dev.haetae.moderation.core.simulate.SettableClock;
import java.net.URL;
import java.net.URLClassLoader;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.api.Test;

class IsolationTest {

  private static ModerationEngine engine(PolicyIsolation iso, RecordingLog log, Policy... policies) {
    return ModerationEngine.builder().clock(new SettableClock(T0)).decisionLog(log).defaultPolicies(false)
        .serviceLoader(false, null).policyIsolation(iso).policies(policies).build();
  }

  @ParameterizedTest
  @EnumSource(PolicyIsolation.class)
  void throwingAndNullPoliciesAreRecordedAndSentToReview(PolicyIsolation iso) {
    RecordingLog log = new RecordingLog(new CopyOnWriteArrayList<>());
    Policy thrower = Fixtures.policy("thrower", e -> {
      throw new IllegalStateException("boom");
    });
    Policy nuller = Fixtures.policy("nuller", e -> null);
    Policy good = Fixtures.remover("good");
    try (ModerationEngine engine = engine(iso, log, thrower, nuller, good)) {
      Decision d = engine.evaluate(Fixtures.upload("c1"));
      assertTrue(d.has(Action.Remove.class), "the good policy still counts: " + d);
      assertTrue(d.has(Action.QueueForReview.class), "fail mode REVIEW applies: " + d);
      assertEquals(2, d.failures().size());
      assertEquals(PolicyFailure.Kind.THREW, d.failures().get(0).kind());
      assertTrue(d.failures().get(0).message().contains("boom"));
      assertEquals(PolicyFailure.Kind.RETURNED_NULL, d.failures().get(1).kind());
      assertEquals(3, d.policies().size());
      assertEquals(d, log.entries.get(0).decision());
    }
  }

  @Test
  void aHungPolicyTimesOutWithoutHoldingUpTheDecision() {
    CountDownLatch never = new CountDownLatch(1);
    Policy hung = new Policy() {
      @Override
      public PolicyId id() {
        return PolicyId.of("hung", "1");
      }

      @Override
      public Outcome evaluate(Evidence evidence) {
        try {
          never.await();
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
        }
        return Outcome.none();
      }

      @Override
      public Duration timeBudget() {
        return Duration.ofMillis(20);
      }
    };
    RecordingLog log = new RecordingLog(new CopyOnWriteArrayList<>());
    try (ModerationEngine engine = engine(PolicyIsolation.THREADS, log, hung, Fixtures.remover("good"))) {
      Decision d = engine.evaluate(Fixtures.upload("c1"));
      assertEquals(PolicyFailure.Kind.TIMED_OUT, d.failures().get(0).kind());
      assertTrue(d.has(Action.Remove.class));
      assertTrue(d.has(Action.QueueForReview.class));
    }
  }

  @Test
  void unjustifiedRestrictiveActionsAreRejected() {
    Policy noGround = Fixtures.policy("no-ground", e -> Outcome.of(List.of(new Action.Remove()),
        List.of(Reason.note(PolicyId.of("no-ground", "1"), "x", "no legal ground given"))));
    RecordingLog log = new RecordingLog(new CopyOnWriteArrayList<>());
    try (ModerationEngine engine = engine(PolicyIsolation.INLINE, log, noGround)) {
      Decision d = engine.evaluate(Fixtures.upload("c1"));
      assertFalse(d.has(Action.Remove.class));
      assertEquals(PolicyFailure.Kind.UNJUSTIFIED, d.failures().get(0).kind());
    }
  }

  @Test
  void failModeIgnoreContributesNothing() {
    Policy ignorable = new Policy() {
      @Override
      public PolicyId id() {
        return PolicyId.of("ignorable", "1");
      }

      @Override
      public Outcome evaluate(Evidence evidence) {
        throw new UnsupportedOperationException("not today");
      }

      @Override
      public FailMode failMode() {
        return FailMode.IGNORE;
      }
    };
    RecordingLog log = new RecordingLog(new CopyOnWriteArrayList<>());
    try (ModerationEngine engine = engine(PolicyIsolation.INLINE, log, ignorable)) {
      Decision d = engine.evaluate(Fixtures.upload("c1"));
      assertEquals(List.of(new Action.Allow()), d.actions());
      assertEquals(FailMode.IGNORE, d.failures().get(0).applied());
    }
  }

  @Test
  void shadowPoliciesAreRecordedButNeverEnforced() {
    RecordingLog log = new RecordingLog(new CopyOnWriteArrayList<>());
    Policy thrower = Fixtures.policy("shadow-thrower", e -> {
      throw new IllegalStateException("shadow bug");
    });
    try (ModerationEngine engine = ModerationEngine.builder().clock(new SettableClock(T0)).decisionLog(log)
        .defaultPolicies(false).serviceLoader(false, null).shadowPolicy(Fixtures.remover("candidate"))
        .shadowPolicy(thrower).build()) {
      Decision d = engine.evaluate(Fixtures.upload("c1"));
      assertEquals(List.of(new Action.Allow()), d.actions());
      assertTrue(d.failures().isEmpty(), "shadow failures do not affect the decision");
      assertEquals(2, d.shadow().size());
      assertEquals(List.of(new Action.Remove()), d.shadow().get(0).outcome().actions());
      assertTrue(d.shadow().get(1).failure().isPresent());
    }
  }

  @Test
  void aBrokenServiceLoaderProviderIsReportedAndSkipped() throws Exception {
    URL plugins = getClass().getResource("/plugins/");
    try (URLClassLoader loader = new URLClassLoader(new URL[] {plugins}, getClass().getClassLoader())) {
      RecordingLog log = new RecordingLog(new CopyOnWriteArrayList<>());
      try (ModerationEngine engine = ModerationEngine.builder().clock(new SettableClock(T0)).decisionLog(log)
          .defaultPolicies(false).serviceLoader(true, loader).build()) {
        assertEquals(1, engine.policies().size(), engine.policies().toString());
        assertEquals("test-plugin", engine.policies().get(0).id().name());
        assertEquals(2, engine.pluginFailures().size(), engine.pluginFailures().toString());
        assertTrue(engine.pluginFailures().stream().anyMatch(m -> m.contains("NoSuchPolicy")));
        assertTrue(engine.pluginFailures().stream().anyMatch(m -> m.contains("ExplodingPolicy")));
        Decision d = engine.evaluate(Fixtures.upload("c1"));
        assertTrue(d.has(Action.Blur.class));
      }
    }
  }

  /** Loaded through the test plugin class loader. */
  public static final class TestPlugin implements Policy {
    @Override
    public PolicyId id() {
      return PolicyId.of("test-plugin", "1");
    }

    @Override
    public Outcome evaluate(Evidence evidence) {
      return Outcome.of(List.of(new Action.Blur("sensitive")), List.of(Fixtures.grounded("test-plugin",
          Category.OTHER)));
    }
  }

  /** A provider whose constructor fails. */
  public static final class ExplodingPolicy implements Policy {
    /** Always fails. */
    public ExplodingPolicy() {
      throw new IllegalStateException("cannot start");
    }

    @Override
    public PolicyId id() {
      return PolicyId.of("exploding", "1");
    }

    @Override
    public Outcome evaluate(Evidence evidence) {
      return Outcome.none();
    }
  }
}
