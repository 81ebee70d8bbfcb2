package dev.haetae.moderation.core.engine;

import static dev.haetae.moderation.core.engine.Fixtures.T0;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.haetae.moderation.api.Action;
import dev.haetae.moderation.api.Category;
import dev.haetae.moderation.api.ConfigurationException;
import dev.haetae.moderation.api.ContentId;
import dev.haetae.moderation.api.Decision;
import dev.haetae.moderation.api.ObligationEvent;
import dev.haetae.moderation.api.ReporterId;
import dev.haetae.moderation.api.ReviewOutcome;
import dev.haetae.moderation.api.Target;
import dev.haetae.moderation.api.UserReport;
import dev.haetae.moderation.api.Verdict;
import dev.haetae.moderation.core.audit.AuditLog;
import dev.haetae.moderation.core.audit.ProgressListener;
import dev.haetae.moderation.core.audit.Replayer;
import dev.haetae.moderation.core.legal.Compliance;
import dev.haetae.moderation.core.policy.PolicyPack;
import dev.haetae.moderation.core.simulate.SettableClock;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Korea's reporter-notification clock (KCC notice under Telecommunications Business Act Art.
 * 22-5(2)): a report opens a 14-day obligation per reporter and content, the review verdict on the
 * content fulfils it, an unanswered report breaches on the clock's tick, and the records replay.
 */
class ReportOutcomeClockTest {
  static final String KR_REPORT = "KR-TBA-22-5-REPORT";

  @Test
  void aReportOpensA14DayClockTheVerdictMeetsAndSilenceBreaches(@TempDir Path dir) {
    SettableClock clock = new SettableClock(T0);
    List<ObligationEvent> events = new CopyOnWriteArrayList<>();
    try (ModerationEngine engine = ModerationEngine.builder().clock(clock).logDirectory(dir)
        .reportOutcomeClock(KR_REPORT).obligationListener(events::add).policyIsolation(PolicyIsolation.INLINE)
        .build()) {
      engine.evaluate(Fixtures.upload("c1"));
      engine.evaluate(Fixtures.upload("c2"));
      engine.evaluate(UserReport.of(ReporterId.of("rep-1"), Target.content(ContentId.of("c1")), Category.NCII));
      engine.evaluate(UserReport.of(ReporterId.of("rep-1"), Target.content(ContentId.of("c1")), Category.NCII));
      engine.evaluate(UserReport.of(ReporterId.of("rep-2"), Target.content(ContentId.of("c2")), Category.NCII));
      List<ObligationEvent> opened = of(events, ObligationEvent.Type.OPENED);
      assertEquals(2, opened.size(), "one per reporter and content: the repeated report opens nothing");
      assertEquals(T0.plus(Duration.ofDays(14)), opened.get(0).obligation().deadline());
      assertEquals(KR_REPORT, opened.get(0).obligation().instrument());

      clock.advance(Duration.ofDays(3));
      Decision verdict = engine.evaluate(ReviewOutcome.ofContent(ContentId.of("c1"), Verdict.VIOLATING,
          Category.NCII));
      assertTrue(verdict.has(Action.Remove.class), verdict.toString());
      List<ObligationEvent> fulfilled = of(events, ObligationEvent.Type.FULFILLED);
      assertEquals(1, fulfilled.size());
      assertEquals(ContentId.of("c1"), fulfilled.get(0).obligation().content());
      assertEquals(Duration.ZERO, fulfilled.get(0).lateness());

      clock.advance(Duration.ofDays(12)); // c2's report is 15 days old, unanswered
      engine.tick();
      List<ObligationEvent> breached = of(events, ObligationEvent.Type.BREACHED);
      assertEquals(1, breached.size());
      assertEquals(ContentId.of("c2"), breached.get(0).obligation().content());
      Compliance.Figures f = engine.compliance().byInstrument().get(KR_REPORT);
      assertEquals(2, f.opened());
      assertEquals(1, f.fulfilled());
      assertEquals(1, f.breached());
    }
    List<dev.haetae.moderation.api.spi.Policy> policies = new ArrayList<>(PolicyPack.defaults());
    assertTrue(Replayer.of(policies).replay(AuditLog.open(dir), ProgressListener.NONE).allIdentical());
  }

  @Test
  void withoutTheClockReportsOpenNothingAndOnlyAReviewInstrumentMayRunIt(@TempDir Path dir) {
    List<ObligationEvent> events = new CopyOnWriteArrayList<>();
    try (ModerationEngine engine = ModerationEngine.builder().clock(new SettableClock(T0)).logDirectory(dir)
        .obligationListener(events::add).build()) {
      engine.evaluate(Fixtures.upload("c1"));
      engine.evaluate(UserReport.of(ReporterId.of("rep-1"), Target.content(ContentId.of("c1")), Category.NCII));
    }
    assertEquals(List.of(), events);
    for (String bad : List.of("US-TAKE-IT-DOWN", "PLATFORM-APPEAL", "NO-SUCH-ENTRY")) {
      ConfigurationException e = assertThrows(ConfigurationException.class, () -> ModerationEngine.builder()
          .logDirectory(dir.resolve("x")).reportOutcomeClock(bad).build(), bad);
      assertTrue(e.getMessage().contains("reportOutcomeClock") && e.getMessage().contains(bad), e.getMessage());
    }
  }

  private static List<ObligationEvent> of(List<ObligationEvent> events, ObligationEvent.Type type) {
    List<ObligationEvent> out = new ArrayList<>();
    for (ObligationEvent e : events) {
      if (e.type() == type) {
        out.add(e);
      }
    }
    return out;
  }
}
