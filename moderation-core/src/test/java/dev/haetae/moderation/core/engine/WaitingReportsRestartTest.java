package dev.haetae.moderation.core.engine;

import static dev.haetae.moderation.core.engine.Fixtures.T0;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.haetae.moderation.api.AccountEvent;
import dev.haetae.moderation.api.AccountId;
import dev.haetae.moderation.api.Action;
import dev.haetae.moderation.api.Category;
import dev.haetae.moderation.api.ContentId;
import dev.haetae.moderation.api.Decision;
import dev.haetae.moderation.api.ReporterId;
import dev.haetae.moderation.api.Target;
import dev.haetae.moderation.api.UserReport;
import dev.haetae.moderation.api.spi.ReportRecord;
import dev.haetae.moderation.core.audit.AuditLog;
import dev.haetae.moderation.core.audit.ProgressListener;
import dev.haetae.moderation.core.audit.ReplayReport;
import dev.haetae.moderation.core.audit.Replayer;
import dev.haetae.moderation.core.policy.PolicyPack;
import dev.haetae.moderation.core.simulate.SettableClock;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The tick's index of waiting reports is rebuilt from the reputation store's pending reports on an
 * engine's first tick: after a restart, or on another instance sharing the stores, a report that
 * waits is still re-checked at its bound, once across the instances (a report the re-check queued
 * opened an item, so the other instance drops it). Time is an injected clock.
 */
class WaitingReportsRestartTest {
  private final SettableClock clock = new SettableClock(T0);
  private final Stores shared = Stores.inMemory();

  private ModerationEngine engine(Path dir) {
    return ModerationEngine.builder().clock(clock).logDirectory(dir).stores(shared)
        .policyIsolation(PolicyIsolation.INLINE).build();
  }

  private static UserReport spam(String reporter, String content) {
    return UserReport.of(ReporterId.of(reporter), Target.content(ContentId.of(content)), Category.SPAM);
  }

  private static boolean queuedOnRecheck(Decision d) {
    return d.action(Action.QueueForReview.class).map(q -> q.lane().equals("uncorroborated")).orElse(false);
  }

  private static void replaysIdentically(Path dir) {
    ReplayReport r = Replayer.of(PolicyPack.defaults()).replay(AuditLog.open(dir), ProgressListener.NONE);
    assertTrue(r.allIdentical(), r.findings().isEmpty() ? r.toString() : r.findings().get(0).toString());
  }

  /** A day-old account's spam report: it waits for corroboration, 24 hours by default. */
  private void waitingReport(ModerationEngine e, String reporter, String content) {
    e.evaluate(Fixtures.upload(content));
    e.evaluate(new AccountEvent(AccountId.of(reporter), T0.minus(Duration.ofDays(1)), false, Optional.empty(),
        List.of()));
    Decision first = e.evaluate(spam(reporter, content));
    assertFalse(first.has(Action.QueueForReview.class), first.toString());
    assertEquals(1, e.waitingReports());
  }

  @Test
  void afterARestartTheWaitingReportIsStillRecheckedAtItsBound(@TempDir Path before, @TempDir Path after) {
    try (ModerationEngine e = engine(before)) {
      waitingReport(e, "newbie", "post");
    }
    clock.advance(Duration.ofHours(2));
    try (ModerationEngine restarted = engine(after)) {
      assertEquals(0, restarted.waitingReports(), "a new process starts with an empty index");
      assertEquals(List.of(), restarted.recheckWaitingReports(clock.instant()), "nothing is due yet");
      assertEquals(1, restarted.waitingReports(), "the first tick rebuilt the index from the store");
      clock.advance(Duration.ofHours(21).plusMinutes(59));
      assertEquals(List.of(), restarted.recheckWaitingReports(clock.instant()));
      clock.advance(Duration.ofMinutes(1));
      List<RecheckedReport> done = restarted.recheckWaitingReports(clock.instant());
      assertEquals(1, done.size(), done.toString());
      assertEquals(spam("newbie", "post"), done.get(0).report());
      assertTrue(queuedOnRecheck(done.get(0).decision()), done.get(0).decision().toString());
      clock.advance(Duration.ofHours(1));
      assertEquals(List.of(), restarted.recheckWaitingReports(clock.instant()), "once");
    }
    replaysIdentically(after);
  }

  @Test
  void aReportPastItsBoundWhileNoEngineRanIsRecheckedOnTheFirstTick(@TempDir Path before, @TempDir Path after) {
    try (ModerationEngine e = engine(before)) {
      waitingReport(e, "newbie", "post");
    }
    clock.advance(Duration.ofHours(30));
    try (ModerationEngine restarted = engine(after)) {
      List<RecheckedReport> done = restarted.recheckWaitingReports(clock.instant());
      assertEquals(1, done.size(), "due at once: " + done);
      assertTrue(queuedOnRecheck(done.get(0).decision()), done.get(0).decision().toString());
    }
    replaysIdentically(after);
  }

  @Test
  void twoInstancesOnOneStoreRecheckAWaitingReportOnce(@TempDir Path dirA, @TempDir Path dirB) {
    try (ModerationEngine a = engine(dirA); ModerationEngine b = engine(dirB)) {
      b.recheckWaitingReports(clock.instant()); // B's first tick comes before the report: nothing to load
      waitingReport(a, "newbie", "post");
      assertEquals(0, b.waitingReports(), "B loads once, on its first tick");
      try (ModerationEngine c = engine(dirB.resolve("c"))) {
        clock.advance(Duration.ofHours(24));
        List<RecheckedReport> byC = c.recheckWaitingReports(clock.instant());
        assertEquals(1, byC.size(), "another instance re-checks what A left waiting: " + byC);
        assertTrue(queuedOnRecheck(byC.get(0).decision()), byC.get(0).decision().toString());
        List<RecheckedReport> byA = a.recheckWaitingReports(clock.instant());
        assertEquals(List.of(), byA, "A drops it: the re-check on C opened an item");
      }
      ReportRecord r = shared.reputation().reports(Target.content(ContentId.of("post"))).get(0);
      assertTrue(r.decision().isPresent() && !r.attachedOnly(), r.toString());
      assertEquals(List.of(), shared.reputation().pendingReports(10).stream()
          .filter(x -> x.decision().isEmpty() || x.attachedOnly()).toList(), "nothing waits any more");
    }
    replaysIdentically(dirA);
  }
}
