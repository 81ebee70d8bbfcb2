package dev.haetae.moderation.core.engine;

import static dev.haetae.moderation.core.engine.Fixtures.T0;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.haetae.moderation.api.AccountEvent;
import dev.haetae.moderation.api.AccountId;
import dev.haetae.moderation.api.Action;
import dev.haetae.moderation.api.Category;
import dev.haetae.moderation.api.ContentId;
import dev.haetae.moderation.api.Decision;
import dev.haetae.moderation.api.InvalidRequestException;
import dev.haetae.moderation.api.Priority;
import dev.haetae.moderation.api.ReporterId;
import dev.haetae.moderation.api.ReviewOutcome;
import dev.haetae.moderation.api.Signal;
import dev.haetae.moderation.api.Target;
import dev.haetae.moderation.api.UserReport;
import dev.haetae.moderation.api.Verdict;
import dev.haetae.moderation.core.audit.AuditLog;
import dev.haetae.moderation.core.audit.LoggedRecord;
import dev.haetae.moderation.core.audit.ProgressListener;
import dev.haetae.moderation.core.audit.ReplayReport;
import dev.haetae.moderation.core.audit.Replayer;
import dev.haetae.moderation.core.policy.PolicyPack;
import dev.haetae.moderation.core.reputation.ReputationModel;
import dev.haetae.moderation.core.simulate.SettableClock;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The engine's tick re-checks waiting reports: at their category's bound (one hour for NCII,
 * sexual deepfakes and CSAM, 24 hours otherwise, by default), and earlier when a verdict on their
 * target comes in. Each re-check is a logged decision whose evidence holds what it read, and the log
 * replays identically. Time is an injected clock.
 */
class WaitingReportRecheckTest {
  private final SettableClock clock = new SettableClock(T0);

  private ModerationEngine engine(Path dir) {
    return ModerationEngine.builder().clock(clock).logDirectory(dir).policyIsolation(PolicyIsolation.INLINE).build();
  }

  /** A reporter whose account is a day old (new: its reports wait for corroboration). */
  private static void newAccount(ModerationEngine e, String id) {
    e.evaluate(new AccountEvent(AccountId.of(id), T0.minus(Duration.ofDays(1)), false, Optional.empty(), List.of()));
  }

  private static UserReport report(String reporter, String content, Category c) {
    return UserReport.of(ReporterId.of(reporter), Target.content(ContentId.of(content)), c);
  }

  /**
   * The logged report decisions claiming a category, in log order (the log names reporters and
   * content by pseudonym only; each test has one reporter and one target per claim).
   */
  private static List<LoggedRecord> decisionsOn(Path dir, Category claim) {
    List<LoggedRecord> out = new ArrayList<>();
    AuditLog.open(dir).forEach(ProgressListener.NONE, r -> {
      if (r.evidence().request() instanceof UserReport) {
        UserReport u = (UserReport) r.evidence().request();
        if (u.category() == claim) {
          out.add(r);
        }
      }
    });
    return out;
  }

  private static List<Decision> decisions(List<RecheckedReport> rechecked) {
    return rechecked.stream().map(RecheckedReport::decision).toList();
  }

  private static void replaysIdentically(Path dir) {
    ReplayReport r = Replayer.of(PolicyPack.defaults()).replay(AuditLog.open(dir), ProgressListener.NONE);
    assertTrue(r.allIdentical(), r.findings().isEmpty() ? r.toString() : r.findings().get(0).toString());
  }

  @Test
  void aWaitingReportIsQueuedByTheTickAtItsBoundAndOnlyOnce(@TempDir Path dir) {
    try (ModerationEngine e = engine(dir)) {
      e.evaluate(Fixtures.upload("post"));
      newAccount(e, "newbie");
      Decision first = e.evaluate(report("newbie", "post", Category.SPAM));
      assertFalse(first.has(Action.QueueForReview.class), first.toString());
      assertEquals(1, e.waitingReports());

      clock.advance(Duration.ofHours(23).plusMinutes(59));
      e.tick();
      assertEquals(1, decisionsOn(dir, Category.SPAM).size(), "nothing is due before the bound");

      clock.advance(Duration.ofMinutes(1));
      e.tick();
      List<LoggedRecord> logged = decisionsOn(dir, Category.SPAM);
      assertEquals(2, logged.size(), "the tick logs the re-check as a decision of its own");
      LoggedRecord recheck = logged.get(1);
      Action.QueueForReview q = recheck.decision().action(Action.QueueForReview.class).orElseThrow();
      assertEquals("uncorroborated", q.lane());
      assertEquals(Priority.LOW, q.priority());
      Signal.ReportIntake in = recheck.evidence().signals(Signal.ReportIntake.class).get(0);
      assertEquals(Optional.of(T0.plus(Duration.ofHours(24))), in.recheckAt(), "the bound is in the evidence");
      assertEquals(0, e.waitingReports());

      clock.advance(Duration.ofDays(3));
      e.tick();
      assertEquals(2, decisionsOn(dir, Category.SPAM).size(), "a queued report is not re-checked again");
    }
    replaysIdentically(dir);
  }

  @Test
  void anNciiClaimFromANewAccountWaitsAnHourAtMost(@TempDir Path dir) {
    try (ModerationEngine e = engine(dir)) {
      e.evaluate(Fixtures.upload("photo"));
      newAccount(e, "her-new-account");
      Decision first = e.evaluate(report("her-new-account", "photo", Category.NCII));
      assertFalse(first.has(Action.QueueForReview.class), first.toString());

      clock.advance(Duration.ofMinutes(59));
      assertTrue(e.recheckWaitingReports(clock.instant()).isEmpty());
      clock.advance(Duration.ofMinutes(1));
      List<Decision> rechecks = decisions(e.recheckWaitingReports(clock.instant()));
      assertEquals(1, rechecks.size());
      assertTrue(rechecks.get(0).has(Action.QueueForReview.class), rechecks.get(0).toString());
      assertEquals(rechecks.get(0).id(), decisionsOn(dir, Category.NCII).get(1).decision().id());
    }
    replaysIdentically(dir);
  }

  @Test
  void aVerdictOnTheItemItWaitedOnBringsTheRecheckForward(@TempDir Path dir) {
    try (ModerationEngine e = engine(dir)) {
      e.evaluate(Fixtures.upload("thread"));
      e.evaluate(new AccountEvent(AccountId.of("helpline"), T0.minus(Duration.ofDays(400)), true,
          Optional.of("organisation helpline"), List.of()));
      Decision queued = e.evaluate(report("helpline", "thread", Category.HARASSMENT));
      assertTrue(queued.has(Action.QueueForReview.class), queued.toString());
      newAccount(e, "bystander");
      Decision attached = e.evaluate(report("bystander", "thread", Category.SPAM));
      assertFalse(attached.has(Action.QueueForReview.class), "it attaches to the open item: " + attached);
      assertEquals(1, e.waitingReports());

      clock.advance(Duration.ofHours(2));
      // the item closes on a verdict that judges harassment only: the spam claim was never looked at
      e.evaluate(ReviewOutcome.ofContent(ContentId.of("thread"), Verdict.NOT_VIOLATING, Category.HARASSMENT));
      List<Decision> rechecks = decisions(e.recheckWaitingReports(clock.instant()));
      assertEquals(1, rechecks.size(), "re-checked on the verdict, long before its bound");
      assertEquals(2, decisionsOn(dir, Category.SPAM).size());
      assertEquals(1, e.waitingReports(), "still waiting, so it is re-checked again at its bound");

      clock.advance(Duration.ofHours(22));
      List<Decision> atBound = decisions(e.recheckWaitingReports(clock.instant()));
      assertEquals(1, atBound.size());
      assertEquals(0, e.waitingReports());
      assertEquals(3, decisionsOn(dir, Category.SPAM).size());
    }
    replaysIdentically(dir);
  }

  @Test
  void aReportAVerdictResolvedIsNotRechecked(@TempDir Path dir) {
    try (ModerationEngine e = engine(dir)) {
      e.evaluate(Fixtures.upload("post"));
      newAccount(e, "newbie");
      e.evaluate(report("newbie", "post", Category.SPAM));
      clock.advance(Duration.ofHours(1));
      e.evaluate(ReviewOutcome.ofContent(ContentId.of("post"), Verdict.NOT_VIOLATING, Category.SPAM));
      clock.advance(Duration.ofDays(2));
      assertTrue(e.recheckWaitingReports(clock.instant()).isEmpty());
      assertEquals(1, decisionsOn(dir, Category.SPAM).size());
      assertEquals(0, e.waitingReports());
    }
  }

  @Test
  void theBoundIsPerCategoryAndInTheModelVersion() {
    ReputationModel d = ReputationModel.defaults();
    assertEquals(Duration.ofHours(1), d.recheck(Category.NCII));
    assertEquals(Duration.ofHours(1), d.recheck(Category.SEXUAL_DEEPFAKE));
    assertEquals(Duration.ofHours(1), d.recheck(Category.CSAM));
    assertEquals(Duration.ofHours(24), d.recheck(Category.SPAM));
    ReputationModel m = ReputationModel.builder().recheck(Duration.ofMinutes(30)).recheck(Category.SPAM,
        Duration.ofDays(2)).build();
    assertEquals(Duration.ofMinutes(30), m.recheck(Category.NCII), "a shorter general bound wins");
    assertEquals(Duration.ofDays(2), m.recheck(Category.SPAM));
    assertTrue(m.version().contains("spam=PT48H"), m.version());
    assertThrows(IllegalArgumentException.class, () -> ReputationModel.builder().recheck(Category.SPAM, Duration.ZERO));
    assertThrows(NullPointerException.class, () -> ReputationModel.builder().recheck(null, Duration.ofHours(1)));
    assertThrows(NullPointerException.class, () -> d.recheck(null));
  }

  @Test
  void aNullInstantIsRefused(@TempDir Path dir) {
    try (ModerationEngine e = engine(dir)) {
      assertThrows(InvalidRequestException.class, () -> e.recheckWaitingReports(null));
    }
  }
}
