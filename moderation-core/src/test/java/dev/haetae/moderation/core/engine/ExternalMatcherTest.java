package dev.haetae.moderation.core.engine;

import static dev.haetae.moderation.core.engine.Fixtures.T0;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.haetae.moderation.api.Action;
import dev.haetae.moderation.api.Category;
import dev.haetae.moderation.api.ConfigurationException;
import dev.haetae.moderation.api.ContentId;
import dev.haetae.moderation.api.Decision;
import dev.haetae.moderation.api.Evidence;
import dev.haetae.moderation.api.ExternalHit;
import dev.haetae.moderation.api.ExternalProvenance;
import dev.haetae.moderation.api.FailMode;
import dev.haetae.moderation.api.InvalidRequestException;
import dev.haetae.moderation.api.LegalGround;
import dev.haetae.moderation.api.LimitExceededException;
import dev.haetae.moderation.api.ModerationRequest;
import dev.haetae.moderation.api.Outcome;
import dev.haetae.moderation.api.PolicyFailure;
import dev.haetae.moderation.api.PolicyId;
import dev.haetae.moderation.api.Reason;
import dev.haetae.moderation.api.ReporterId;
import dev.haetae.moderation.api.Signal;
import dev.haetae.moderation.api.Target;
import dev.haetae.moderation.api.UserReport;
import dev.haetae.moderation.api.spi.ExternalMatcher;
import dev.haetae.moderation.api.spi.Policy;
import dev.haetae.moderation.core.audit.AuditLog;
import dev.haetae.moderation.core.audit.LoggedRecord;
import dev.haetae.moderation.core.audit.ProgressListener;
import dev.haetae.moderation.core.audit.ReplayReport;
import dev.haetae.moderation.core.audit.Replayer;
import dev.haetae.moderation.core.simulate.SettableClock;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The external-matcher interface: a certified filter's hit becomes typed evidence with its provenance,
 * a policy acts on it, the log records it and a replay reproduces the decision without the matcher;
 * a matcher that throws, hangs or answers badly gets its fail mode.
 */
class ExternalMatcherTest {
  static final ExternalProvenance CERTIFIED = new ExternalProvenance("Example Filtering Co.", "ExampleFilter", "3.1",
      Optional.of("TTA test certificate TTA-V-0000"), "feature-db 2026-12-01");
  static final ExternalHit HIT = new ExternalHit("kcsc_feature", "kcsc-illegal-filming", "F-000123", 0.97,
      ExternalHit.Measure.SIMILARITY, 0.9, Category.NCII);

  /** A matcher answering with a function of the request, counting its calls. */
  static class Matcher implements ExternalMatcher {
    final AtomicInteger calls = new AtomicInteger();
    final String id;
    final Function<ModerationRequest, List<ExternalHit>> answer;
    final FailMode mode;
    final Duration budget;

    Matcher(String id, Function<ModerationRequest, List<ExternalHit>> answer, FailMode mode, Duration budget) {
      this.id = id;
      this.answer = answer;
      this.mode = mode;
      this.budget = budget;
    }

    Matcher(Function<ModerationRequest, List<ExternalHit>> answer) {
      this("certified-filter", answer, FailMode.REVIEW, Duration.ofMillis(500));
    }

    @Override
    public String id() {
      return id;
    }

    @Override
    public Set<String> signalTypes() {
      return Set.of("kcsc_feature");
    }

    @Override
    public ExternalProvenance provenance() {
      return CERTIFIED;
    }

    @Override
    public List<ExternalHit> match(ModerationRequest request, Instant now) {
      calls.incrementAndGet();
      return answer.apply(request);
    }

    @Override
    public FailMode failMode() {
      return mode;
    }

    @Override
    public Duration timeBudget() {
      return budget;
    }
  }

  /** What a host's policy over certified-filter hits looks like: remove on a hit within its threshold. */
  static final Policy CERTIFIED_POLICY = Fixtures.policy("certified-filter-hits", e -> {
    for (Signal.ExternalMatch m : e.signals(Signal.ExternalMatch.class)) {
      if (m.hit().withinThreshold()) {
        return Outcome.of(List.of(new Action.Remove(), new Action.BlockReupload()), List.of(Reason.of(
            PolicyId.of("certified-filter-hits", "1"), "certified_filter_hit", "matched entry " + m.hit().entry()
                + " of " + m.hit().list() + " by " + m.provenance().summary(), m.hit().category(),
            LegalGround.law("KR-TBA-22-5", "Telecommunications Business Act Art. 22-5(2)"))));
      }
    }
    return Outcome.none();
  });

  private static ModerationEngine engine(PolicyIsolation iso, Path dir, ExternalMatcher... matchers) {
    ModerationEngineBuilder b = ModerationEngine.builder().clock(new SettableClock(T0)).logDirectory(dir)
        .defaultPolicies(false).serviceLoader(false, null).policyIsolation(iso).policies(CERTIFIED_POLICY);
    for (ExternalMatcher m : matchers) {
      b.externalMatcher(m);
    }
    return b.build();
  }

  private static List<LoggedRecord> records(Path dir) {
    List<LoggedRecord> out = new ArrayList<>();
    AuditLog.open(dir).forEach(ProgressListener.NONE, out::add);
    return out;
  }

  @ParameterizedTest
  @EnumSource(PolicyIsolation.class)
  void aHitBecomesTypedEvidenceThePolicyActsOnTheLogRecordsAndReplayReproduces(PolicyIsolation iso,
      @TempDir Path dir) {
    Matcher m = new Matcher(r -> r.contentId().get().value().equals("c1") ? List.of(HIT) : List.of());
    Decision hit;
    Decision clean;
    try (ModerationEngine engine = engine(iso, dir, m)) {
      hit = engine.evaluate(Fixtures.upload("c1"));
      clean = engine.evaluate(Fixtures.upload("c2"));
    }
    assertTrue(hit.has(Action.Remove.class), hit.toString());
    assertTrue(hit.reasons().get(0).explanation().contains("TTA test certificate TTA-V-0000"), hit.reasons().toString());
    assertFalse(clean.restrictive());
    assertTrue(hit.failures().isEmpty() && clean.failures().isEmpty());
    assertEquals(2, m.calls.get());

    List<LoggedRecord> logged = records(dir);
    assertEquals(2, logged.size());
    Evidence e = logged.get(0).evidence();
    assertEquals(List.of(new Signal.ExternalMatch("certified-filter", CERTIFIED, HIT)),
        e.signals(Signal.ExternalMatch.class), "the hit with its provenance, as the matcher gave it");
    assertEquals(CERTIFIED.summary(), e.versions().get("matcher:certified-filter"));
    assertEquals(hit, logged.get(0).decision());

    ReplayReport report = Replayer.of(List.of(CERTIFIED_POLICY)).replay(AuditLog.open(dir), ProgressListener.NONE);
    assertTrue(report.allIdentical(), report.toString());
    assertEquals(2, report.identical());
    assertEquals(2, m.calls.get(), "the replay did not call the matcher");
  }

  @ParameterizedTest
  @EnumSource(PolicyIsolation.class)
  void aMatcherThatThrowsGetsItsFailModeAndTheReplayAgrees(PolicyIsolation iso, @TempDir Path dir) {
    Matcher review = new Matcher("throws-review", r -> {
      throw new IllegalStateException("vendor API down");
    }, FailMode.REVIEW, Duration.ofMillis(500));
    Decision d;
    try (ModerationEngine engine = engine(iso, dir, review)) {
      d = engine.evaluate(Fixtures.upload("c1"));
    }
    assertTrue(d.has(Action.QueueForReview.class), "fail mode review: " + d);
    assertFalse(d.has(Action.Remove.class));
    PolicyFailure f = d.failures().get(0);
    assertEquals(PolicyFailure.Kind.THREW, f.kind());
    assertEquals("matcher:throws-review", f.policy().name());
    assertTrue(f.message().contains("external matcher throws-review"), f.message());
    assertEquals("failed: threw; fail mode review", records(dir).get(0).evidence().versions()
        .get("matcher:throws-review"));
    assertTrue(Replayer.of(List.of(CERTIFIED_POLICY)).replay(AuditLog.open(dir), ProgressListener.NONE)
        .allIdentical());
  }

  @Test
  void aMatcherWithFailModeIgnoreDecidesWithoutItsHits(@TempDir Path dir) {
    Matcher ignore = new Matcher("throws-ignore", r -> {
      throw new IllegalStateException("down");
    }, FailMode.IGNORE, Duration.ofMillis(500));
    try (ModerationEngine engine = engine(PolicyIsolation.INLINE, dir, ignore)) {
      Decision d = engine.evaluate(Fixtures.upload("c1"));
      assertFalse(d.has(Action.QueueForReview.class), d.toString());
      assertEquals(PolicyFailure.Kind.THREW, d.failures().get(0).kind());
      assertEquals(FailMode.IGNORE, d.failures().get(0).applied());
    }
  }

  @Test
  void aHungMatcherTimesOutAndTheDecisionGoesToReview(@TempDir Path dir) {
    CountDownLatch never = new CountDownLatch(1);
    Matcher hung = new Matcher("hung", r -> {
      try {
        never.await();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
      return List.of(HIT);
    }, FailMode.REVIEW, Duration.ofMillis(20));
    try (ModerationEngine engine = engine(PolicyIsolation.THREADS, dir, hung)) {
      Decision d = engine.evaluate(Fixtures.upload("c1"));
      assertEquals(PolicyFailure.Kind.TIMED_OUT, d.failures().get(0).kind());
      assertTrue(d.has(Action.QueueForReview.class));
      assertFalse(d.has(Action.Remove.class), "no hit arrived");
    } finally {
      never.countDown();
    }
  }

  @Test
  void badAnswersAreRefusedAsInvalidNeverAccepted(@TempDir Path dir) {
    ExternalHit undeclared = new ExternalHit("tmk_pdqf", "l", "e", 1, ExternalHit.Measure.DISTANCE, 2, Category.CSAM);
    List<ExternalHit> withNull = new ArrayList<>();
    withNull.add(null);
    List<Function<ModerationRequest, List<ExternalHit>>> bad = List.of(r -> null, r -> withNull,
        r -> List.of(HIT, undeclared));
    List<String> why = List.of("returned null instead of a list", "returned a null hit",
        "signal type 'tmk_pdqf', which it did not declare [kcsc_feature]");
    for (int i = 0; i < bad.size(); i++) {
      try (ModerationEngine engine = engine(PolicyIsolation.INLINE, dir.resolve("b" + i), new Matcher(bad.get(i)))) {
        Decision d = engine.evaluate(Fixtures.upload("c1"));
        assertEquals(PolicyFailure.Kind.INVALID, d.failures().get(0).kind(), why.get(i));
        assertFalse(d.has(Action.Remove.class), "the valid hit beside a bad one is not taken either");
        assertTrue(d.has(Action.QueueForReview.class));
      }
      assertTrue(records(dir.resolve("b" + i)).get(0).evidence().signals(Signal.ExternalMatch.class).isEmpty());
    }
    ExternalMatcher noProvenance = new Matcher(r -> List.of(HIT)) {
      @Override
      public ExternalProvenance provenance() {
        return null;
      }
    };
    try (ModerationEngine engine = engine(PolicyIsolation.INLINE, dir.resolve("p"), noProvenance)) {
      assertEquals(PolicyFailure.Kind.INVALID, engine.evaluate(Fixtures.upload("c1")).failures().get(0).kind());
    }
  }

  @Test
  void matchersAreCalledOnContentEventsOnly(@TempDir Path dir) {
    Matcher m = new Matcher(r -> List.of(HIT));
    try (ModerationEngine engine = engine(PolicyIsolation.INLINE, dir, m)) {
      engine.evaluate(Fixtures.upload("c1"));
      engine.evaluate(UserReport.of(ReporterId.of("rep"), Target.content(ContentId.of("c1")), Category.NCII));
    }
    assertEquals(1, m.calls.get());
  }

  @Test
  void invalidDeclarationsAreRefusedWhenTheEngineIsBuilt(@TempDir Path dir) {
    List<ExternalMatcher> bad = List.of(new Matcher(r -> List.of()) {
      @Override
      public Set<String> signalTypes() {
        return Set.of();
      }
    }, new Matcher(r -> List.of()) {
      @Override
      public Set<String> signalTypes() {
        return Set.of("Not A Token");
      }
    }, new Matcher(" ", r -> List.of(), FailMode.REVIEW, Duration.ofMillis(5)),
        new Matcher("x", r -> List.of(), FailMode.REVIEW, Duration.ZERO),
        new Matcher("x", r -> List.of(), null, Duration.ofMillis(5)));
    for (ExternalMatcher m : bad) {
      ConfigurationException e = assertThrows(ConfigurationException.class, () -> engine(PolicyIsolation.INLINE,
          dir, m));
      assertTrue(e.getMessage().contains("external matcher") || e.getMessage().contains("failMode()"),
          e.getMessage());
    }
    ConfigurationException twice = assertThrows(ConfigurationException.class, () -> engine(PolicyIsolation.INLINE,
        dir, new Matcher(r -> List.of()), new Matcher(r -> List.of())));
    assertTrue(twice.getMessage().contains("registered twice"), twice.getMessage());
  }

  @Test
  void precomputedHitsAreLookedUpByContentAndBounded(@TempDir Path dir) {
    PrecomputedMatches pre = PrecomputedMatches.of("vpdq-offline", Set.of("kcsc_feature"), CERTIFIED, 2);
    pre.put(ContentId.of("c1"), List.of(HIT), CERTIFIED);
    pre.put(ContentId.of("c2"), List.of(), CERTIFIED);
    LimitExceededException full = assertThrows(LimitExceededException.class, () -> pre.put(ContentId.of("c3"),
        List.of(), CERTIFIED));
    assertEquals(2, full.limit());
    pre.put(ContentId.of("c2"), List.of(), CERTIFIED); // replacing a held content is not a new one
    InvalidRequestException wrongType = assertThrows(InvalidRequestException.class, () -> pre.put(
        ContentId.of("c2"), List.of(new ExternalHit("vpdq", "l", "e", 90, ExternalHit.Measure.SIMILARITY, 80,
            Category.NCII)), CERTIFIED));
    assertEquals("external_hit.signal_type", wrongType.field());
    try (ModerationEngine engine = engine(PolicyIsolation.THREADS, dir, pre)) {
      assertTrue(engine.evaluate(Fixtures.upload("c1")).has(Action.Remove.class));
      assertFalse(engine.evaluate(Fixtures.upload("c2")).restrictive());
    }
    assertTrue(pre.remove(ContentId.of("c1")));
    assertFalse(pre.remove(ContentId.of("c1")));
    assertEquals(1, pre.size());
    assertTrue(Replayer.of(List.of(CERTIFIED_POLICY)).replay(AuditLog.open(dir), ProgressListener.NONE)
        .allIdentical());
  }
}
