package dev.haetae.moderation.core.engine;

import static dev.haetae.moderation.core.engine.Fixtures.T0;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.haetae.moderation.api.Action;
import dev.haetae.moderation.api.Category;
import dev.haetae.moderation.api.Decision;
import dev.haetae.moderation.api.Evidence;
import dev.haetae.moderation.api.FailMode;
import dev.haetae.moderation.api.ModerationRequest;
import dev.haetae.moderation.api.Outcome;
import dev.haetae.moderation.api.PolicyFailure;
import dev.haetae.moderation.api.PolicyId;
import dev.haetae.moderation.api.Reason;
import dev.haetae.moderation.api.Signal;
import dev.haetae.moderation.api.spi.Policy;
import dev.haetae.moderation.api.spi.SignalProvider;
import dev.haetae.moderation.core.decide.Decider;
import dev.haetae.moderation.core.simulate.SettableClock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import org.junit.jupiter.api.Test;

/**
 * Closes the class of item 9 and 11 defects: engines with seeded random sets of misbehaving
 * policies and signal providers (throwing exceptions and errors, overflowing their stacks,
 * returning nulls, forged or foreign signals, unjustified actions, throwing from {@code id()} or
 * {@code failMode()}, hanging with or without honouring interrupts), evaluated over a seeded clock.
 * Properties: {@code evaluate} always returns a decision and logs it; each misbehaving plugin is a
 * recorded failure of the kind its misbehaviour implies, its fail mode applied; each provider's
 * version or failure is in the evidence, and the decider alone derives the same provider failures
 * from it (as replay does); a well-behaved policy is never failed, however many threads are stuck
 * (the worker pool is not exhausted). Quick by default; {@code -Plong-fuzz} multiplies the cases by
 * {@code haetae.fuzz.scale}, {@code -Dhaetae.fuzz.seed=N} explores another sequence. A failure
 * names its seed and case.
 */
class PluginIsolationPropertyTest {
  private static final long SEED = Long.getLong("haetae.fuzz.seed", 0x150915L);
  private static final int SCALE = Integer.getInteger("haetae.fuzz.scale", 1);

  enum PolicyBehaviour {
    GOOD, NONE, NULL, THROW, OVERFLOW, ERROR, UNJUSTIFIED, STUBBORN, COOPERATIVE, THROWING_ID, THROWING_FAIL_MODE
  }

  enum ProviderBehaviour {
    GOOD, NULL_LIST, NULL_ELEMENT, FOREIGN, TYPED, NULL_VERSION, THROWING_VERSION, OVERFLOW, STUBBORN
  }

  private static final Set<PolicyBehaviour> HANGS = EnumSet.of(PolicyBehaviour.STUBBORN, PolicyBehaviour.COOPERATIVE);

  private static int depth(int n) {
    return n == Integer.MIN_VALUE ? n : depth(n + 1) + 1;
  }

  /** Waits for the case's latch; a stubborn caller swallows interrupts. */
  private static void hang(CountDownLatch release, boolean stubborn) {
    while (true) {
      try {
        release.await();
        return;
      } catch (InterruptedException e) {
        if (!stubborn) {
          Thread.currentThread().interrupt();
          return;
        }
      }
    }
  }

  static Policy policy(int i, PolicyBehaviour b, FailMode mode, CountDownLatch release) {
    String name = "p" + i + "-" + b.name().toLowerCase(java.util.Locale.ROOT);
    PolicyId id = PolicyId.of(name, "1");
    return new Policy() {
      @Override
      public PolicyId id() {
        if (b == PolicyBehaviour.THROWING_ID) {
          throw new IllegalStateException("id of " + name);
        }
        return id;
      }

      @Override
      public Outcome evaluate(Evidence evidence) {
        switch (b) {
          case GOOD:
          case THROWING_ID:
            return Outcome.of(List.of(new Action.Remove()), List.of(Fixtures.grounded(name, Category.NCII)));
          case NONE:
            return Outcome.none();
          case NULL:
            return null;
          case THROW:
          case THROWING_FAIL_MODE:
            throw new IllegalArgumentException("bug in " + name);
          case OVERFLOW:
            return Outcome.of(List.of(), List.of(Reason.note(id, "n", "depth " + depth(0))));
          case ERROR:
            throw i % 2 == 0 ? new AssertionError("assert " + name) : new NoClassDefFoundError("Missing" + i);
          case UNJUSTIFIED:
            return Outcome.of(List.of(new Action.Remove()), List.of(Reason.note(id, "x", "no ground")));
          case STUBBORN:
          case COOPERATIVE:
            hang(release, b == PolicyBehaviour.STUBBORN);
            return Outcome.none();
          default:
            throw new IllegalStateException(b.name());
        }
      }

      @Override
      public FailMode failMode() {
        if (b == PolicyBehaviour.THROWING_FAIL_MODE) {
          throw new UnsupportedOperationException("no fail mode");
        }
        return mode;
      }

      @Override
      public Duration timeBudget() {
        // hanging ones time out quickly; the others get a budget no loaded machine misses
        return HANGS.contains(b) ? Duration.ofMillis(10) : Duration.ofSeconds(5);
      }
    };
  }

  static SignalProvider provider(int i, ProviderBehaviour b, FailMode mode, CountDownLatch release) {
    String id = "s" + i;
    return new SignalProvider() {
      @Override
      public String id() {
        return id;
      }

      @Override
      public String version() {
        if (b == ProviderBehaviour.THROWING_VERSION) {
          throw new IllegalStateException("version of " + id);
        }
        return b == ProviderBehaviour.NULL_VERSION ? null : "1";
      }

      @Override
      public List<Signal> signals(ModerationRequest request, Instant now) {
        switch (b) {
          case NULL_LIST:
            return null;
          case NULL_ELEMENT:
            return Arrays.asList(new Signal.Custom(id, "a", Map.of()), null);
          case FOREIGN:
            return List.of(new Signal.Custom("haetae", "a", Map.of()));
          case TYPED:
            return List.of(new Signal.NotHashed("forged"));
          case OVERFLOW:
            return List.of(new Signal.Custom(id, "n", Map.of("n", Integer.toString(depth(0)))));
          case STUBBORN:
            hang(release, true);
            return List.of();
          default:
            return List.of(new Signal.Custom(id, "score", Map.of("score", "0.5", "email", "x@example.org")));
        }
      }

      @Override
      public Duration timeBudget() {
        return b == ProviderBehaviour.STUBBORN ? Duration.ofMillis(10) : Duration.ofSeconds(5);
      }

      @Override
      public FailMode failMode() {
        return mode;
      }

      @Override
      public Set<String> safeAttributes() {
        return Set.of("score");
      }
    };
  }

  private static Set<PolicyFailure.Kind> expected(PolicyBehaviour b) {
    switch (b) {
      case NULL:
        return EnumSet.of(PolicyFailure.Kind.RETURNED_NULL);
      case THROW:
      case THROWING_FAIL_MODE:
      case OVERFLOW:
      case ERROR:
        return EnumSet.of(PolicyFailure.Kind.THREW);
      case UNJUSTIFIED:
        return EnumSet.of(PolicyFailure.Kind.UNJUSTIFIED);
      case STUBBORN:
      case COOPERATIVE:
        return EnumSet.of(PolicyFailure.Kind.TIMED_OUT, PolicyFailure.Kind.TRIPPED);
      default:
        return EnumSet.noneOf(PolicyFailure.Kind.class);
    }
  }

  private static Set<String> expected(ProviderBehaviour b, FailMode m) {
    String mode = "; fail mode " + m.name().toLowerCase(java.util.Locale.ROOT);
    switch (b) {
      case GOOD:
        return Set.of("1");
      case THROWING_VERSION:
      case OVERFLOW:
        return Set.of("failed: threw" + mode);
      case STUBBORN:
        return Set.of("failed: timed_out" + mode, "failed: tripped" + mode);
      default:
        return Set.of("failed: invalid" + mode);
    }
  }

  @Test
  void misbehavingPluginsAreAlwaysContainedRecordedAndLeaveTheOthersTheirWorkers() {
    Random r = new Random(SEED);
    int cases = 24 * SCALE;
    for (int c = 0; c < cases; c++) {
      runCase(r, c);
    }
  }

  private static <T> T pick(Random r, T[] values) {
    return values[r.nextInt(values.length)];
  }

  private static void runCase(Random r, int c) {
    String where = "seed " + SEED + " case " + c;
    boolean threads = r.nextInt(4) != 0;
    int nPolicies = 1 + r.nextInt(4);
    int nProviders = r.nextInt(4);
    int tripAfter = 1 + r.nextInt(3);
    CountDownLatch release = new CountDownLatch(1);
    List<PolicyBehaviour> behaviours = new ArrayList<>();
    List<FailMode> modes = new ArrayList<>();
    List<Policy> policies = new ArrayList<>();
    int hangs = 0;
    for (int i = 0; i < nPolicies; i++) {
      PolicyBehaviour b = pick(r, PolicyBehaviour.values());
      if (!threads && HANGS.contains(b)) {
        b = PolicyBehaviour.NONE;
      }
      hangs += HANGS.contains(b) ? 1 : 0;
      FailMode m = pick(r, FailMode.values());
      behaviours.add(b);
      modes.add(m);
      policies.add(policy(i, b, m, release));
    }
    List<ProviderBehaviour> pb = new ArrayList<>();
    List<FailMode> pm = new ArrayList<>();
    SettableClock clock = new SettableClock(T0);
    RecordingLog log = new RecordingLog(new CopyOnWriteArrayList<>());
    ModerationEngineBuilder builder = ModerationEngine.builder().clock(clock).decisionLog(log).defaultPolicies(false)
        .serviceLoader(false, null).policyIsolation(threads ? PolicyIsolation.THREADS : PolicyIsolation.INLINE)
        .policies(policies.toArray(new Policy[0]));
    for (int i = 0; i < nProviders; i++) {
      ProviderBehaviour b = pick(r, ProviderBehaviour.values());
      if (!threads && b == ProviderBehaviour.STUBBORN) {
        b = ProviderBehaviour.GOOD;
      }
      hangs += b == ProviderBehaviour.STUBBORN ? 1 : 0;
      FailMode m = pick(r, FailMode.values());
      pb.add(b);
      pm.add(m);
      builder.signalProvider(provider(i, b, m, release));
    }
    Duration coolDown = Duration.ofSeconds(30);
    // enough replacements for every hanging plugin to be stuck until tripped, and a probe each
    builder.policyThreads(1 + r.nextInt(2), hangs * (tripAfter + 1)).policyBreaker(tripAfter, coolDown);
    int evaluations = 2 + r.nextInt(5);
    try (ModerationEngine engine = builder.build()) {
      for (int e = 0; e < evaluations; e++) {
        if (r.nextInt(3) == 0) {
          clock.advance(coolDown.plusSeconds(r.nextInt(5)));
        }
        Decision d = engine.evaluate(Fixtures.upload("c" + c + "-" + e));
        String at = where + " evaluation " + e + ": " + behaviours + " " + pb + " -> " + d.failures();
        assertEquals(e + 1, log.entries.size(), at);
        assertEquals(d, log.entries.get(e).decision(), at);
        Evidence ev = log.entries.get(e).evidence();
        boolean review = false;
        for (int i = 0; i < nPolicies; i++) {
          PolicyId id = Decider.idOf(policies.get(i));
          List<PolicyFailure> fs = new ArrayList<>();
          for (PolicyFailure f : d.failures()) {
            if (f.policy().equals(id)) {
              fs.add(f);
            }
          }
          Set<PolicyFailure.Kind> kinds = expected(behaviours.get(i));
          if (kinds.isEmpty()) {
            assertTrue(fs.isEmpty(), "a well-behaved policy is never failed: " + at);
          } else {
            assertEquals(1, fs.size(), at);
            assertTrue(kinds.contains(fs.get(0).kind()), at);
            FailMode applied = behaviours.get(i) == PolicyBehaviour.THROWING_FAIL_MODE ? FailMode.REVIEW : modes.get(i);
            assertEquals(applied, fs.get(0).applied(), at);
            review |= applied == FailMode.REVIEW;
          }
          if (behaviours.get(i) == PolicyBehaviour.GOOD || behaviours.get(i) == PolicyBehaviour.THROWING_ID) {
            assertTrue(d.has(Action.Remove.class), at);
          }
        }
        for (int i = 0; i < nProviders; i++) {
          String v = ev.versions().get("provider:s" + i);
          assertTrue(expected(pb.get(i), pm.get(i)).contains(v), at + " version " + v);
          review |= !v.equals("1") && pm.get(i) == FailMode.REVIEW;
        }
        assertEquals(review, d.has(Action.QueueForReview.class), at);
        for (Signal s : ev.signals()) {
          assertTrue(!(s instanceof Signal.NotHashed), "no forged engine signal: " + at);
          if (s instanceof Signal.Custom) {
            assertEquals(Set.of("score"), ((Signal.Custom) s).safe(), "the declaration is applied: " + at);
          }
        }
        List<PolicyFailure> providerFailures = new ArrayList<>();
        for (PolicyFailure f : d.failures()) {
          if (f.policy().name().startsWith("provider:")) {
            providerFailures.add(f);
          }
        }
        assertEquals(providerFailures, Decider.decide(d.id(), ev, List.of(), List.of()).failures(),
            "the decider alone derives the provider failures from the evidence: " + at);
      }
      PluginHealth h = engine.pluginHealth();
      assertTrue(h.stuckThreads() <= hangs * evaluations, where + " " + h);
      assertTrue(h.replacedThreads() <= (long) hangs * evaluations, where + " " + h);
    } finally {
      release.countDown();
    }
  }
}
