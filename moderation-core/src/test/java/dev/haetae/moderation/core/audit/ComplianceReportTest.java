package dev.haetae.moderation.core.audit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.haetae.moderation.api.AccountId;
import dev.haetae.moderation.api.Action;
import dev.haetae.moderation.api.Category;
import dev.haetae.moderation.api.ContentEvent;
import dev.haetae.moderation.api.ContentId;
import dev.haetae.moderation.api.ContentKind;
import dev.haetae.moderation.api.Decision;
import dev.haetae.moderation.api.DecisionId;
import dev.haetae.moderation.api.Duty;
import dev.haetae.moderation.api.Evidence;
import dev.haetae.moderation.api.LegalGround;
import dev.haetae.moderation.api.LegalNotice;
import dev.haetae.moderation.api.ModerationRequest;
import dev.haetae.moderation.api.NoticeSender;
import dev.haetae.moderation.api.Reason;
import dev.haetae.moderation.api.RoomId;
import dev.haetae.moderation.api.Signal;
import dev.haetae.moderation.api.Surface;
import dev.haetae.moderation.api.ObligationEvent;
import dev.haetae.moderation.api.spi.ObligationRecord;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ComplianceReportTest {
  private static final Instant T = Instant.parse("2026-06-01T00:00:00Z");
  private static int ids;

  /**
   * Appends a decision as the engine would: a notice opens its content's obligation, a removal
   * fulfils it; the events are in the record, and the report reads them.
   */
  static void append(EngineLog log, Instant at, ModerationRequest r, List<Signal> signals, boolean remove) {
    Evidence e = new Evidence(at, r, signals, Map.of());
    LegalGround g = LegalGround.law("TAKE IT DOWN Act", "NCII");
    Decision d = new Decision(DecisionId.of("d" + ids++), at,
        remove ? List.of(new Action.Remove()) : List.of(new Action.Allow()),
        remove ? List.of(Reason.of(Fixtures.P1, "x", "removed", Category.NCII, g)) : List.of(), Optional.empty(),
        List.of(Fixtures.P1), List.of(), List.of());
    List<ObligationEvent> events = new java.util.ArrayList<>();
    String content = r.contentId().orElseThrow().value();
    if (r instanceof LegalNotice) {
      LegalNotice n = (LegalNotice) r;
      ObligationRecord o = record(content, n.instrument(), n.receivedAt(), ObligationRecord.Status.OPEN,
          Optional.empty());
      OPEN.put(content, o);
      events.add(new ObligationEvent(ObligationEvent.Type.OPENED, o, o.receivedAt(), Duration.ZERO));
    } else if (remove && OPEN.containsKey(content)) {
      ObligationRecord o = OPEN.remove(content);
      Duration late = at.isAfter(o.deadline()) ? Duration.between(o.deadline(), at) : Duration.ZERO;
      events.add(new ObligationEvent(ObligationEvent.Type.FULFILLED,
          record(content, o.instrument(), o.receivedAt(), ObligationRecord.Status.FULFILLED, Optional.of(at)), at,
          late));
    }
    log.append(e, d, List.of(), events);
  }

  static final Map<String, ObligationRecord> OPEN = new java.util.HashMap<>();

  private static ObligationRecord record(String content, String instrument, Instant received,
      ObligationRecord.Status status, Optional<Instant> closed) {
    return new ObligationRecord(instrument + ":n-" + content, instrument, "sec. 3", Category.NCII,
        ContentId.of(content), received, received.plus(Duration.ofHours(48)), List.of(Duty.REMOVE), Duration.ZERO,
        status, received.plus(Duration.ofHours(48)), 0, closed);
  }

  private static LegalNotice notice(String content, Instant received) {
    return new LegalNotice("n-" + content, "US-TAKE-IT-DOWN", ContentId.of(content), NoticeSender.VICTIM, Map.of(),
        received);
  }

  static Signal obligation(Instant received) {
    return obligation("US-TAKE-IT-DOWN", received);
  }

  static Signal obligation(String instrument, Instant received) {
    return new Signal.Obligation("o", instrument, "sec. 3", received.plus(Duration.ofHours(48)),
        List.of(Duty.REMOVE), Duration.ZERO, Category.NCII);
  }

  static ContentEvent upload(String content) {
    return ContentEvent.upload(dev.haetae.moderation.api.Content.of(ContentId.of(content), ContentKind.IMAGE,
        Surface.GROUP), AccountId.of("u"), RoomId.of("r"));
  }

  @Test
  void timeToActionBreachesAndPendingNoticesAreCountedPerInstrument(@TempDir Path dir) {
    OPEN.clear();
    try (EngineLog log = DecisionLogs.directory(dir).pseudonymizer(DirectoryDecisionLogTest.P).build()) {
      // a: received at T, removed at T+50h (late); b: removed after 2h; c: never removed; d: still open
      append(log, T.plusSeconds(60), notice("a", T), List.of(obligation(T)), false);
      append(log, T.plusSeconds(120), notice("b", T), List.of(obligation(T)), false);
      append(log, T.plus(Duration.ofHours(2)), upload("b"), List.of(), true);
      append(log, T.plusSeconds(180), notice("c", T), List.of(obligation(T)), false);
      append(log, T.plus(Duration.ofHours(50)), upload("a"), List.of(), true);
      Instant dReceived = T.plus(Duration.ofHours(99));
      append(log, dReceived, notice("d", dReceived), List.of(obligation(dReceived)), false);
      append(log, T.plus(Duration.ofHours(100)), upload("z"), List.of(), false);
    }
    ComplianceReport r = ComplianceReport.of(AuditLog.open(dir), ProgressListener.NONE);
    assertEquals(7, r.records());
    ComplianceReport.InstrumentStats s = r.instruments().get(0);
    assertEquals("US-TAKE-IT-DOWN", s.instrument());
    assertEquals(4, s.notices());
    assertEquals(2, s.actioned());
    assertEquals(1, s.pending());
    assertEquals(2, s.breaches());
    assertEquals(48.0, s.deadlineHours());
    assertEquals(2.0, s.medianHours());
    assertEquals(50.0, s.maxHours());
    assertEquals(2, r.breaches().size());
    assertEquals(Duration.ofHours(2), r.breaches().get(0).overdue());
    assertTrue(r.breaches().get(1).actionedAt().isEmpty());
    assertEquals(2L, r.decisionsByCategoryAndAction().get("ncii").get("remove"));
    // judged a week later, the open notice is breached too
    ComplianceReport later = ComplianceReport.of(AuditLog.open(dir), Optional.of(T.plus(Duration.ofDays(8))),
        ProgressListener.NONE);
    assertEquals(3, later.breaches().size());
    String html = r.toHtml();
    assertTrue(html.startsWith("<!DOCTYPE html>"));
    assertTrue(html.contains("id=\"breach-count\">2<"));
    assertFalse(html.contains("http://") && html.contains("<script src"), "self-contained");
    assertFalse(html.contains(DirectoryDecisionLogTest.P.pseudonymize("content", "a")), "no pseudonyms shown");
  }
}
