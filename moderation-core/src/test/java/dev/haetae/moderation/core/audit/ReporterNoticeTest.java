package dev.haetae.moderation.core.audit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.haetae.moderation.api.AccountId;
import dev.haetae.moderation.api.Action;
import dev.haetae.moderation.api.ActionConfirmation;
import dev.haetae.moderation.api.Category;
import dev.haetae.moderation.api.Content;
import dev.haetae.moderation.api.ContentEvent;
import dev.haetae.moderation.api.ContentId;
import dev.haetae.moderation.api.ContentKind;
import dev.haetae.moderation.api.Decision;
import dev.haetae.moderation.api.Fingerprints;
import dev.haetae.moderation.api.Pdq;
import dev.haetae.moderation.api.PdqHash;
import dev.haetae.moderation.api.ReporterId;
import dev.haetae.moderation.api.ReviewOutcome;
import dev.haetae.moderation.api.RoomId;
import dev.haetae.moderation.api.Surface;
import dev.haetae.moderation.api.Target;
import dev.haetae.moderation.api.UserReport;
import dev.haetae.moderation.api.Verdict;
import dev.haetae.moderation.api.spi.Policy;
import dev.haetae.moderation.core.engine.ModerationEngine;
import dev.haetae.moderation.core.engine.PolicyIsolation;
import dev.haetae.moderation.core.policy.PolicyPack;
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
 * Korea's 14-day reporter clock ({@code KR-TBA-22-5-REPORT}) is met by the notice delivered, not by
 * the verdict alone: the verdict decision tells the reporters ({@code review-verdict@6}), and the
 * report and the explanation count the clock met only when the host confirms that notice delivered
 * by the deadline; a verdict with no confirmation is unconfirmed, a notice delivered after the 14
 * days is breached. The log replays.
 */
class ReporterNoticeTest {
  private static final Instant T0 = Instant.parse("2026-11-21T10:00:00Z");
  private static final String KR_REPORT = "KR-TBA-22-5-REPORT";

  private static ContentEvent upload(String id) {
    String hex = Integer.toHexString(3 + Math.abs(id.hashCode()) % 12).repeat(64);
    Fingerprints fp = Fingerprints.none().withPdq(new Pdq(PdqHash.fromHex(hex), 100, List.of()));
    return ContentEvent.upload(Content.of(ContentId.of(id), ContentKind.IMAGE, Surface.GROUP).withFingerprints(fp),
        AccountId.of("u1"), RoomId.of("r1"));
  }

  @Test
  void theClockIsMetWhenTheVerdictsNoticeIsConfirmedDelivered(@TempDir Path dir) throws Exception {
    SettableClock clock = new SettableClock(T0);
    List<Decision> verdicts = new ArrayList<>();
    try (ModerationEngine engine = ModerationEngine.builder().clock(clock).policyIsolation(PolicyIsolation.INLINE)
        .reportOutcomeClock(KR_REPORT).decisionLog(DecisionLogs.directory(dir).build()).build()) {
      for (String c : List.of("c1", "c2", "c3")) {
        engine.evaluate(upload(c));
        engine.evaluate(UserReport.of(ReporterId.of("rep-" + c), Target.content(ContentId.of(c)),
            Category.HARASSMENT));
      }
      clock.advance(Duration.ofDays(2));
      verdicts.add(engine.evaluate(ReviewOutcome.ofContent(ContentId.of("c1"), Verdict.VIOLATING,
          Category.HARASSMENT)));
      verdicts.add(engine.evaluate(ReviewOutcome.ofContent(ContentId.of("c2"), Verdict.NOT_VIOLATING, null)));
      verdicts.add(engine.evaluate(ReviewOutcome.ofContent(ContentId.of("c3"), Verdict.VIOLATING,
          Category.HARASSMENT)));
      for (Decision v : verdicts) {
        Action.NotifyUser n = v.actions().stream().filter(a -> a instanceof Action.NotifyUser)
            .map(a -> (Action.NotifyUser) a).filter(a -> a.recipient() == Action.Recipient.REPORTERS)
            .findFirst().orElseThrow(() -> new AssertionError("no notice to the reporters: " + v));
        assertFalse(n.statement().facts().isBlank());
      }
      assertTrue(verdicts.get(0).has(Action.Remove.class), verdicts.get(0).toString());
      assertFalse(verdicts.get(1).restrictive(), verdicts.get(1).toString());
      clock.advance(Duration.ofHours(3));
      // c1: the removal alone does not tell the reporter; the delivered notice does, in time
      engine.evaluate(ActionConfirmation.carriedOut(verdicts.get(0).id(), Action.Kind.REMOVE, clock.instant()));
      engine.evaluate(ActionConfirmation.carriedOut(verdicts.get(0).id(), Action.Kind.NOTIFY_USER, clock.instant()));
      // c2: the notice that the report was unfounded, delivered after the 14 days
      clock.advance(Duration.ofDays(13));
      engine.evaluate(ActionConfirmation.carriedOut(verdicts.get(1).id(), Action.Kind.NOTIFY_USER, clock.instant()));
      // c3: only the removal is confirmed: the reporter's clock stays unconfirmed
      engine.evaluate(ActionConfirmation.carriedOut(verdicts.get(2).id(), Action.Kind.REMOVE, clock.instant()));
    }
    AuditLog audit = AuditLog.open(dir);
    assertTrue(audit.verify().ok());
    List<Policy> policies = new ArrayList<>(PolicyPack.defaults());
    assertTrue(Replayer.of(policies).replay(audit, ProgressListener.NONE).allIdentical());

    ComplianceReport.InstrumentStats s = ComplianceReport.of(audit, ProgressListener.NONE).instruments().stream()
        .filter(i -> i.instrument().equals(KR_REPORT)).findFirst().orElseThrow();
    assertEquals(3, s.notices(), s.toString());
    assertEquals(3, s.actioned(), s.toString());
    assertEquals(1, s.met(), s.toString());
    assertEquals(1, s.breaches(), s.toString());
    assertEquals(1, s.unconfirmed(), s.toString());

    String met = Explanation.ofDecision(audit, verdicts.get(0).id().value(), ProgressListener.NONE).toText();
    assertTrue(met.contains("met: decided at 2026-11-23T10:00:00Z, notice delivered at 2026-11-23T13:00:00Z"), met);
    String late = Explanation.ofDecision(audit, verdicts.get(1).id().value(), ProgressListener.NONE).toText();
    assertTrue(late.contains("breached: decided at 2026-11-23T10:00:00Z, notice delivered at"), late);
    String silent = Explanation.ofDecision(audit, verdicts.get(2).id().value(), ProgressListener.NONE).toText();
    assertTrue(silent.contains("unconfirmed: no host confirmation recorded"), silent);
  }

  /**
   * A confirmation may name whose notice it confirms: the uploader's delivered and the reporters'
   * failed leaves the reporters' clock unconfirmed; the reporters' delivered meets it; a notice to a
   * recipient the verdict did not address is stray; a recipient on another action is refused.
   */
  @Test
  void aNoticeDeliveredToTheUploaderDoesNotTellTheReporters(@TempDir Path dir) throws Exception {
    SettableClock clock = new SettableClock(T0);
    List<Decision> verdicts = new ArrayList<>();
    try (ModerationEngine engine = ModerationEngine.builder().clock(clock).policyIsolation(PolicyIsolation.INLINE)
        .reportOutcomeClock(KR_REPORT).decisionLog(DecisionLogs.directory(dir).build()).build()) {
      for (String c : List.of("c1", "c2")) {
        engine.evaluate(upload(c));
        engine.evaluate(UserReport.of(ReporterId.of("rep-" + c), Target.content(ContentId.of(c)),
            Category.HARASSMENT));
      }
      clock.advance(Duration.ofDays(1));
      for (String c : List.of("c1", "c2")) {
        Decision v = engine.evaluate(ReviewOutcome.ofContent(ContentId.of(c), Verdict.VIOLATING, Category.HARASSMENT));
        for (Action.Recipient r : List.of(Action.Recipient.UPLOADER, Action.Recipient.REPORTERS)) {
          assertTrue(v.actions().stream().anyMatch(a -> a instanceof Action.NotifyUser
              && ((Action.NotifyUser) a).recipient() == r), r + " is told: " + v);
        }
        verdicts.add(v);
      }
      clock.advance(Duration.ofHours(2));
      engine.evaluate(ActionConfirmation.notified(verdicts.get(0).id(), Action.Recipient.UPLOADER, clock.instant()));
      engine.evaluate(new ActionConfirmation(verdicts.get(0).id(), Action.Kind.NOTIFY_USER,
          ActionConfirmation.Outcome.FAILED, clock.instant(), Optional.empty(), Optional.of(Action.Recipient.REPORTERS)));
      engine.evaluate(ActionConfirmation.notified(verdicts.get(0).id(), Action.Recipient.NOTICE_SENDER,
          clock.instant()));
      engine.evaluate(ActionConfirmation.notified(verdicts.get(1).id(), Action.Recipient.REPORTERS, clock.instant()));
      dev.haetae.moderation.api.InvalidRequestException refused = org.junit.jupiter.api.Assertions.assertThrows(
          dev.haetae.moderation.api.InvalidRequestException.class, () -> new ActionConfirmation(verdicts.get(0).id(),
              Action.Kind.REMOVE, ActionConfirmation.Outcome.CARRIED_OUT, clock.instant(), Optional.empty(),
              Optional.of(Action.Recipient.UPLOADER)));
      assertEquals("confirmation.recipient", refused.field());
    }
    AuditLog audit = AuditLog.open(dir);
    assertTrue(audit.verify().ok());
    assertTrue(Replayer.of(PolicyPack.defaults()).replay(audit, ProgressListener.NONE).allIdentical());
    List<ActionConfirmation> logged = new ArrayList<>();
    audit.forEach(ProgressListener.NONE, rec -> {
      if (rec.evidence().request() instanceof ActionConfirmation) {
        logged.add((ActionConfirmation) rec.evidence().request());
      }
    });
    assertEquals(List.of(Optional.of(Action.Recipient.UPLOADER), Optional.of(Action.Recipient.REPORTERS),
        Optional.of(Action.Recipient.NOTICE_SENDER), Optional.of(Action.Recipient.REPORTERS)),
        logged.stream().map(ActionConfirmation::recipient).toList(), "the recipient is logged");

    ComplianceReport report = ComplianceReport.of(audit, ProgressListener.NONE);
    ComplianceReport.InstrumentStats s = report.instruments().stream()
        .filter(i -> i.instrument().equals(KR_REPORT)).findFirst().orElseThrow();
    assertEquals(1, s.met(), "c2's reporters were told: " + s);
    assertEquals(1, s.unconfirmed(), "c1's uploader was told, its reporters were not: " + s);
    assertEquals(1, report.strayConfirmationCount(), "no notice sender to tell");
    assertEquals(Optional.of(Action.Recipient.NOTICE_SENDER),
        report.strayConfirmations().get(0).confirmation().recipient());
    String c1 = Explanation.ofDecision(audit, verdicts.get(0).id().value(), ProgressListener.NONE).toText();
    assertTrue(c1.contains("unconfirmed: the host reported the action failed"), c1);
    assertTrue(c1.contains("host:     notify_user (uploader) carried_out at"), c1);
    String c2 = Explanation.ofDecision(audit, verdicts.get(1).id().value(), ProgressListener.NONE).toText();
    assertTrue(c2.contains("met: decided at 2026-11-22T10:00:00Z, notice delivered at 2026-11-22T12:00:00Z"), c2);
  }

  @Test
  void theRetiredVerdictToldNoReporterAndStillReplaysItsLogs(@TempDir Path dir) {
    Policy v5 = PolicyPack.retired().stream()
        .filter(p -> p.id().name().equals("review-verdict") && p.id().version().equals("5")).findFirst().orElseThrow();
    SettableClock clock = new SettableClock(T0);
    try (ModerationEngine engine = ModerationEngine.builder().clock(clock).policyIsolation(PolicyIsolation.INLINE)
        .defaultPolicies(false).policies(v5).decisionLog(DecisionLogs.directory(dir).build()).build()) {
      engine.evaluate(upload("c1"));
      engine.evaluate(UserReport.of(ReporterId.of("rep-1"), Target.content(ContentId.of("c1")), Category.SPAM));
      Decision v = engine.evaluate(ReviewOutcome.ofContent(ContentId.of("c1"), Verdict.VIOLATING, Category.SPAM));
      assertFalse(v.actions().stream().anyMatch(a -> a instanceof Action.NotifyUser
          && ((Action.NotifyUser) a).recipient() == Action.Recipient.REPORTERS), v.toString());
    }
    List<Policy> policies = new ArrayList<>(PolicyPack.defaults());
    policies.addAll(PolicyPack.retired());
    assertTrue(Replayer.of(policies).replay(AuditLog.open(dir), ProgressListener.NONE).allIdentical());
  }
}
