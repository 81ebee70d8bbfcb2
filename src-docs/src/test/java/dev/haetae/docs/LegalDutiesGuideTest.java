package dev.haetae.docs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.haetae.moderation.api.AccountId;
import dev.haetae.moderation.api.Action;
import dev.haetae.moderation.api.ActionConfirmation;
import dev.haetae.moderation.api.Category;
import dev.haetae.moderation.api.ContentEvent;
import dev.haetae.moderation.api.ContentId;
import dev.haetae.moderation.api.ContentKind;
import dev.haetae.moderation.api.Decision;
import dev.haetae.moderation.api.LegalNotice;
import dev.haetae.moderation.api.NoticeSender;
import dev.haetae.moderation.api.ReporterId;
import dev.haetae.moderation.api.ReviewOutcome;
import dev.haetae.moderation.api.RoomId;
import dev.haetae.moderation.api.Surface;
import dev.haetae.moderation.api.Target;
import dev.haetae.moderation.api.UserReport;
import dev.haetae.moderation.api.Verdict;
import dev.haetae.moderation.core.audit.AuditLog;
import dev.haetae.moderation.core.audit.ComplianceReport;
import dev.haetae.moderation.core.audit.ProgressListener;
import dev.haetae.moderation.core.engine.ModerationEngine;
import dev.haetae.moderation.core.engine.PolicyIsolation;
import dev.haetae.moderation.core.simulate.SettableClock;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The code of the legal guide's sections on TAKE IT DOWN's earlier copies, Korea's reporter notice
 * and Korea's temporary measure (src-docs/legal.md), compiled and run.
 */
class LegalDutiesGuideTest {
  private static final Map<String, String> REQUEST = Map.of("signature", "J. Doe", "identification", "a photo of me",
      "location", "room r1", "good_faith_statement", "I did not consent to this", "contact", "jdoe@example.org");

  @Test
  void identicalCopiesPostedBeforeTheRequestAreRemovedWithIt(@TempDir Path logDir) {
    SettableClock clock = new SettableClock(Instant.parse("2026-11-21T10:00:00Z"));
    byte[] image = "the same image, byte for byte".getBytes(StandardCharsets.UTF_8);
    List<String> removed = new ArrayList<>();
    try (ModerationEngine engine = ModerationEngine.builder().clock(clock).logDirectory(logDir)
        .policyIsolation(PolicyIsolation.INLINE)
        .actionExecutor((request, decision) -> decision.action(Action.RemoveCopies.class)
            .ifPresent(copies -> copies.copies().forEach(c -> removed.add(c.value()))))
        .build()) {
      // region copies
      engine.evaluate(ContentEvent.upload(ContentId.of("c1"), AccountId.of("u1"), RoomId.of("r1"), Surface.GROUP,
          ContentKind.IMAGE, image));
      engine.evaluate(ContentEvent.upload(ContentId.of("c2"), AccountId.of("u2"), RoomId.of("r2"), Surface.GROUP,
          ContentKind.IMAGE, image));                                // the same bytes, posted again
      Decision d = engine.evaluate(new LegalNotice("req-1", "US-TAKE-IT-DOWN", ContentId.of("c2"),
          NoticeSender.VICTIM, REQUEST, clock.instant()));
      // d.actions(): remove (c2), remove_copies [c1], block_reupload, notify_user...; deadline: receipt + 48 h
      List<ContentId> copies = d.action(Action.RemoveCopies.class).map(Action.RemoveCopies::copies)
          .orElse(List.of());
      // the host removes c2 and its copies, then confirms both (the 48 hours cover the copies too)
      engine.evaluate(ActionConfirmation.carriedOut(d.id(), Action.Kind.REMOVE, clock.instant()));
      engine.evaluate(ActionConfirmation.carriedOut(d.id(), Action.Kind.REMOVE_COPIES, clock.instant()));
      // endregion
      assertEquals(List.of(ContentId.of("c1")), copies);
    }
    assertEquals(List.of("c1"), removed);
    ComplianceReport.InstrumentStats s = ComplianceReport.of(AuditLog.open(logDir), ProgressListener.NONE)
        .instruments().get(0);
    assertEquals(1, s.met(), s.toString());
  }

  @Test
  void koreasTemporaryMeasureIsLiftedByTheTickAtItsExpiry(@TempDir Path logDir) {
    SettableClock clock = new SettableClock(Instant.parse("2026-11-21T10:00:00Z"));
    List<Decision> executed = new ArrayList<>();
    Decision lift;
    try (ModerationEngine engine = ModerationEngine.builder().clock(clock).logDirectory(logDir)
        .policyIsolation(PolicyIsolation.INLINE).actionExecutor((request, decision) -> executed.add(decision))
        .build()) {
      engine.evaluate(ContentEvent.upload(ContentId.of("c1"), AccountId.of("u1"), RoomId.of("r1"), Surface.GROUP,
          ContentKind.IMAGE, "an image".getBytes(StandardCharsets.UTF_8)));
      // region measure
      Decision measure = engine.evaluate(new LegalNotice("req-7", "KR-NA-44-2", ContentId.of("c1"),
          NoticeSender.VICTIM, Map.of("location", "room r1, message 7",
              "explanation", "the post defames me"), clock.instant()));
      // measure.actions(): temporary_measure (until receipt + 30 days), review (legal lane, urgent),
      // notify_user (uploader), notify_user (sender); the host blocks access until the expiry
      Instant until = measure.action(Action.TemporaryMeasure.class).orElseThrow().until();
      clock.set(until);
      engine.tick();       // no verdict came: the tick decides the lift, logged, handed to the executor
      // the executor's last decision: end_measure(measure, lifted): the host restores access
      // endregion
      lift = executed.get(executed.size() - 1);
      assertEquals(Instant.parse("2026-12-21T10:00:00Z"), until);
      assertEquals(new Action.EndMeasure(measure.id(), Action.EndMeasure.Ending.LIFTED),
          lift.action(Action.EndMeasure.class).orElseThrow());
    }
    assertTrue(AuditLog.open(logDir).verify().ok());
  }

  @Test
  void theReportersClockIsMetByTheDeliveredNotice(@TempDir Path logDir) {
    SettableClock clock = new SettableClock(Instant.parse("2026-11-21T10:00:00Z"));
    try (ModerationEngine engine = ModerationEngine.builder().clock(clock).logDirectory(logDir)
        .reportOutcomeClock("KR-TBA-22-5-REPORT").policyIsolation(PolicyIsolation.INLINE).build()) {
      engine.evaluate(ContentEvent.upload(ContentId.of("c1"), AccountId.of("u1"), RoomId.of("r1"), Surface.GROUP,
          ContentKind.IMAGE, "an image".getBytes(StandardCharsets.UTF_8)));
      // region reporters
      engine.evaluate(UserReport.of(ReporterId.of("rep-1"), Target.content(ContentId.of("c1")), Category.HARASSMENT));
      clock.advance(Duration.ofDays(3));
      Decision verdict = engine.evaluate(ReviewOutcome.ofContent(ContentId.of("c1"), Verdict.VIOLATING,
          Category.HARASSMENT));
      // verdict.actions(): remove, notify_user (uploader), notify_user (reporters: the outcome)
      clock.advance(Duration.ofHours(2));
      // the host delivered the reporters' notice: the 14-day clock is met from this confirmation
      engine.evaluate(ActionConfirmation.notified(verdict.id(), Action.Recipient.REPORTERS, clock.instant()));
      // endregion
      assertTrue(verdict.actions().stream().anyMatch(a -> a instanceof Action.NotifyUser
          && ((Action.NotifyUser) a).recipient() == Action.Recipient.REPORTERS), verdict.toString());
    }
    ComplianceReport.InstrumentStats s = ComplianceReport.of(AuditLog.open(logDir), ProgressListener.NONE)
        .instruments().stream().filter(i -> i.instrument().equals("KR-TBA-22-5-REPORT")).findFirst().orElseThrow();
    assertEquals(1, s.met(), s.toString());
  }
}
