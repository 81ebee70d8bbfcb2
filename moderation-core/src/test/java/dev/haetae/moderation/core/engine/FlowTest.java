package dev.haetae.moderation.core.engine;

import static dev.haetae.moderation.core.engine.Fixtures.T0;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.haetae.moderation.api.AccountEvent;
import dev.haetae.moderation.api.AccountId;
import dev.haetae.moderation.api.Action;
import dev.haetae.moderation.api.Appeal;
import dev.haetae.moderation.api.Category;
import dev.haetae.moderation.api.ContentId;
import dev.haetae.moderation.api.Decision;
import dev.haetae.moderation.api.LegalNotice;
import dev.haetae.moderation.api.NoticeSender;
import dev.haetae.moderation.api.ObligationEvent;
import dev.haetae.moderation.api.Priority;
import dev.haetae.moderation.api.ReporterId;
import dev.haetae.moderation.api.ReviewOutcome;
import dev.haetae.moderation.api.Signal;
import dev.haetae.moderation.api.Target;
import dev.haetae.moderation.api.UserReport;
import dev.haetae.moderation.api.Verdict;
import dev.haetae.moderation.api.spi.ObligationRecord;
import dev.haetae.moderation.core.simulate.SettableClock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;

/**
 * End-to-end flows. Policies run inline: these tests are about what the engine decides, and a 50 ms
 * budget measured on a shared, loaded build machine made them fail at random ({@link
 * IsolationTest} covers time budgets).
 */
class FlowTest {
  private static final Map<String, String> TAKE_IT_DOWN = Map.of("signature", "J. Doe", "identification",
      "photo of me", "location", "room r1, message c1", "good_faith_statement", "not consensual", "contact",
      "jdoe@example.org");

  @Test
  void aValidNoticeOpensAnObligationWithItsDeadlineAndRemovalFulfilsIt() {
    SettableClock clock = new SettableClock(T0);
    List<ObligationEvent> events = new CopyOnWriteArrayList<>();
    RecordingLog log = new RecordingLog(new CopyOnWriteArrayList<>());
    try (ModerationEngine engine = ModerationEngine.builder().policyIsolation(PolicyIsolation.INLINE).clock(clock).decisionLog(log)
        .obligationListener(events::add).build()) {
      engine.evaluate(Fixtures.upload("c1"));
      clock.advance(Duration.ofMinutes(10));
      Decision d = engine.evaluate(new LegalNotice("n1", "US-TAKE-IT-DOWN", ContentId.of("c1"), NoticeSender.VICTIM,
          TAKE_IT_DOWN, clock.instant().minus(Duration.ofMinutes(5))));
      assertTrue(d.has(Action.Remove.class), d.toString());
      assertEquals(Optional.of(T0.plus(Duration.ofMinutes(5)).plus(Duration.ofHours(48))), d.deadline());
      assertTrue(d.reasons().get(0).ground().get().citation().contains("TAKE IT DOWN"));
      assertEquals(List.of(ObligationEvent.Type.OPENED, ObligationEvent.Type.FULFILLED),
          events.stream().map(ObligationEvent::type).toList());
      assertEquals(ObligationRecord.Status.FULFILLED, engine.obligations().get(0).status());

      // the same notice again is idempotent
      engine.evaluate(new LegalNotice("n1", "US-TAKE-IT-DOWN", ContentId.of("c1"), NoticeSender.VICTIM,
          TAKE_IT_DOWN, T0));
      assertEquals(1, engine.obligations().size());
      assertTrue(log.entries.get(2).evidence().signals(Signal.NoticeCheck.class).get(0).duplicate());
    }
  }

  @Test
  void anInvalidNoticeListsExactlyWhatIsMissingAndOpensNothing() {
    RecordingLog log = new RecordingLog(new CopyOnWriteArrayList<>());
    try (ModerationEngine engine = ModerationEngine.builder().policyIsolation(PolicyIsolation.INLINE).clock(new SettableClock(T0)).decisionLog(log).build()) {
      Decision d = engine.evaluate(new LegalNotice("n2", "US-TAKE-IT-DOWN", ContentId.of("c1"), NoticeSender.VICTIM,
          Map.of("signature", "J. Doe", "location", "c1"), T0));
      assertFalse(d.restrictive(), d.toString());
      assertEquals(Action.Recipient.NOTICE_SENDER, d.action(Action.NotifyUser.class).get().recipient());
      Signal.NoticeCheck check = log.entries.get(0).evidence().signals(Signal.NoticeCheck.class).get(0);
      assertFalse(check.valid());
      assertEquals(3, check.missing().size(), check.missing().toString());
      assertTrue(check.missing().stream().anyMatch(m -> m.startsWith("good_faith_statement:")));
      assertTrue(engine.obligations().isEmpty());
    }
  }

  @Test
  void anAssessmentNoticeEscalatesAndThenBreaches() {
    SettableClock clock = new SettableClock(T0);
    List<ObligationEvent> events = new CopyOnWriteArrayList<>();
    try (ModerationEngine engine = ModerationEngine.builder().policyIsolation(PolicyIsolation.INLINE).clock(clock)
        .decisionLog(new RecordingLog(new CopyOnWriteArrayList<>())).obligationListener(events::add).build()) {
      Decision d = engine.evaluate(new LegalNotice("n3", "EU-DSA-16", ContentId.of("c9"), NoticeSender.USER,
          Map.of("explanation", "defamatory", "location", "c9", "name", "A", "email", "a@example.org",
              "good_faith_statement", "yes"), T0));
      assertEquals(List.of(new Action.QueueForReview(Priority.URGENT, false, "legal")), d.actions());
      clock.advance(Duration.ofHours(37));
      assertEquals(List.of(ObligationEvent.Type.ESCALATED),
          engine.tick().stream().map(ObligationEvent::type).toList());
      clock.advance(Duration.ofHours(40));
      List<ObligationEvent> late = engine.tick();
      assertEquals(List.of(ObligationEvent.Type.ESCALATED, ObligationEvent.Type.BREACHED),
          late.stream().map(ObligationEvent::type).toList());
      assertEquals(Duration.ofHours(5), late.get(1).lateness());
      assertTrue(engine.tick().isEmpty(), "a breach is reported once");
    }
  }

  @Test
  void reportsQueueReviewAndTheVerdictMovesReporterCredibility() {
    SettableClock clock = new SettableClock(T0);
    RecordingLog log = new RecordingLog(new CopyOnWriteArrayList<>());
    try (ModerationEngine engine = ModerationEngine.builder().policyIsolation(PolicyIsolation.INLINE).clock(clock).decisionLog(log).build()) {
      engine.evaluate(Fixtures.upload("c1"));
      engine.evaluate(new AccountEvent(AccountId.of("u2"), T0.minus(Duration.ofDays(400)), false, Optional.empty()));
      Decision r = engine.evaluate(UserReport.of(ReporterId.of("u2"), Target.content(ContentId.of("c1")),
          Category.NCII));
      assertEquals(Priority.HIGH, r.action(Action.QueueForReview.class).get().priority());
      double before = log.entries.get(2).evidence().signals(Signal.Reports.class).get(0).maxReporterCredibility();
      clock.advance(Duration.ofHours(1));
      Decision v = engine.evaluate(ReviewOutcome.ofContent(ContentId.of("c1"), Verdict.VIOLATING, Category.NCII));
      assertTrue(v.has(Action.Remove.class));
      engine.evaluate(Fixtures.upload("c2"));
      engine.evaluate(UserReport.of(ReporterId.of("u2"), Target.content(ContentId.of("c2")), Category.NCII));
      double after = log.entries.get(5).evidence().signals(Signal.Reports.class).get(0).maxReporterCredibility();
      assertTrue(after > before, before + " -> " + after);
    }
  }

  @Test
  void appealsInsideTheWindowAreReviewedAndLateOnesAnswered() {
    SettableClock clock = new SettableClock(T0);
    try (ModerationEngine engine = ModerationEngine.builder().policyIsolation(PolicyIsolation.INLINE).clock(clock)
        .decisionLog(new RecordingLog(new CopyOnWriteArrayList<>())).build()) {
      Decision removed = engine.evaluate(ReviewOutcome.ofContent(ContentId.of("c1"), Verdict.VIOLATING,
          Category.HARASSMENT));
      clock.advance(Duration.ofDays(30));
      Decision a = engine.evaluate(new Appeal("a1", removed.id(), ContentId.of("c1"), AccountId.of("u1"), T0,
          Optional.of("it was satire")));
      assertEquals("appeal", a.action(Action.QueueForReview.class).get().lane());
      clock.advance(Duration.ofDays(200));
      Decision late = engine.evaluate(new Appeal("a2", removed.id(), ContentId.of("c1"), AccountId.of("u1"), T0,
          Optional.empty()));
      assertEquals(List.of(new Action.Allow()), late.actions());
      assertEquals("appeal_out_of_window", late.reasons().get(0).code());
    }
  }
}
