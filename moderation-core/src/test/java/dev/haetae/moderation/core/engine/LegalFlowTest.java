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
import dev.haetae.moderation.api.ReporterId;
import dev.haetae.moderation.api.ReviewOutcome;
import dev.haetae.moderation.api.Signal;
import dev.haetae.moderation.api.Target;
import dev.haetae.moderation.api.UserReport;
import dev.haetae.moderation.api.Verdict;
import dev.haetae.moderation.api.spi.EvidenceHold;
import dev.haetae.moderation.api.spi.ObligationRecord;
import dev.haetae.moderation.core.legal.Compliance;
import dev.haetae.moderation.core.simulate.SettableClock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class LegalFlowTest {
  static final Map<String, String> TID = Map.of("signature", "J. Doe", "identification", "photo of me",
      "location", "room r1", "good_faith_statement", "not consensual", "contact", "jdoe@example.org");
  static final Map<String, String> TCO = Map.of("authority", "Police nationale", "statement_of_reasons", "video",
      "location", "c1");
  static final Map<String, String> IN = Map.of("identification", "morphed image", "location", "c1", "contact",
      "a@example.in");
  static final Map<String, String> DSA = Map.of("explanation", "defamatory", "location", "c1", "name", "A",
      "email", "a@example.org", "good_faith_statement", "accurate");
  static final String PDQ = "f8f8f0cee0f4a84f06370a22038f63f0b36e2ed596621e1d33e6b39c4e9c9b22";
  static final String PDQ_NEAR = "f8f8f0cee0f4a84f06370a22038f63f0b36e2ed596621e1d33e6b39c4e9c9b21";

  private final SettableClock clock = new SettableClock(T0);
  private final List<ObligationEvent> events = new CopyOnWriteArrayList<>();
  private final List<EvidenceHold> expired = new CopyOnWriteArrayList<>();
  private final RecordingLog log = new RecordingLog(new CopyOnWriteArrayList<>());

  private ModerationEngine engine() {
    return ModerationEngine.builder().clock(clock).decisionLog(log).obligationListener(events::add)
        .holdListener(expired::add).policyIsolation(PolicyIsolation.INLINE).build();
  }

  private static LegalNotice notice(String id, String instrument, String content, NoticeSender sender,
      Map<String, String> fields, Instant received) {
    return new LegalNotice(id, instrument, ContentId.of(content), sender, fields, received);
  }

  private <S extends Signal> S signal(Decision d, Class<S> type) {
    for (RecordingLog.Entry e : log.entries) {
      if (e.decision().id().equals(d.id())) {
        return e.evidence().signals(type).stream().findFirst().orElseThrow();
      }
    }
    throw new AssertionError("not logged: " + d.id());
  }

  @Test
  void overlappingInstrumentsMeetTheEarliestDeadline() {
    try (ModerationEngine engine = engine()) {
      engine.evaluate(Fixtures.upload("c1"));
      Decision dsa = engine.evaluate(notice("n1", "EU-DSA-16", "c1", NoticeSender.USER, DSA, T0));
      assertEquals(Optional.of(T0.plus(Duration.ofDays(3))), dsa.deadline());
      assertTrue(dsa.has(Action.QueueForReview.class));
      clock.advance(Duration.ofHours(1));
      Decision flagger = engine.evaluate(notice("n2", "EU-DSA-22", "c1", NoticeSender.TRUSTED_FLAGGER,
          Map.of("explanation", "x", "location", "c1", "good_faith_statement", "y"), clock.instant()));
      assertEquals(Optional.of(T0.plus(Duration.ofHours(25))), flagger.deadline(), "the trusted flagger's clock is"
          + " shorter than the Art. 16 one already running");
      clock.advance(Duration.ofMinutes(30));
      Decision india = engine.evaluate(notice("n3", "IN-ITR-3-2-B", "c1", NoticeSender.VICTIM, IN, clock.instant()));
      assertTrue(india.has(Action.Remove.class));
      assertEquals(Optional.of(clock.instant().plus(Duration.ofHours(2))), india.deadline());
      // the removal fulfils the removal duty; the assessment duties stay open until a verdict
      Map<String, ObligationRecord.Status> status = new java.util.TreeMap<>();
      engine.obligations().forEach(o -> status.put(o.instrument(), o.status()));
      assertEquals(Map.of("EU-DSA-16", ObligationRecord.Status.OPEN, "EU-DSA-22", ObligationRecord.Status.OPEN,
          "IN-ITR-3-2-B", ObligationRecord.Status.FULFILLED), status);
      engine.evaluate(ReviewOutcome.ofContent(ContentId.of("c1"), Verdict.VIOLATING, Category.OTHER));
      assertTrue(engine.obligations().stream().allMatch(o -> o.status() == ObligationRecord.Status.FULFILLED));
    }
  }

  @Test
  void aTakeItDownRemovalBlocksIdenticalAndNearIdenticalReuploads() {
    try (ModerationEngine engine = engine()) {
      engine.evaluate(Fixtures.upload("c1", "u1", "r1", PDQ));
      Decision d = engine.evaluate(notice("n1", "US-TAKE-IT-DOWN", "c1", NoticeSender.VICTIM, TID, T0));
      assertTrue(d.has(Action.Remove.class) && d.has(Action.BlockReupload.class), d.toString());
      Decision copy = engine.evaluate(Fixtures.upload("c2", "u7", "r9", PDQ_NEAR));
      assertTrue(copy.has(Action.Remove.class), copy.toString());
      assertEquals("bank_match", copy.reasons().get(0).code());
    }
  }

  @Test
  void aNoticeBeforeItsUploadEventStillBlocksTheContentAndItsCopies() {
    try (ModerationEngine engine = engine()) {
      Decision d = engine.evaluate(notice("n1", "KR-TBA-22-5", "late-c", NoticeSender.VICTIM,
          Map.of("location", "late-c"), T0));
      assertTrue(d.has(Action.Remove.class));
      clock.advance(Duration.ofSeconds(3));
      Decision upload = engine.evaluate(Fixtures.upload("late-c", "u1", "r1", PDQ));
      assertTrue(upload.has(Action.Remove.class), upload.toString());
      Decision copy = engine.evaluate(Fixtures.upload("copy", "u2", "r2", PDQ_NEAR));
      assertTrue(copy.has(Action.Remove.class), copy.toString());
    }
  }

  @Test
  void aDirectChatIsOutOfTheTerroristContentRegulationsScope() {
    try (ModerationEngine engine = engine()) {
      engine.evaluate(dev.haetae.moderation.api.ContentEvent.upload(dev.haetae.moderation.api.Content.of(
          ContentId.of("dm1"), dev.haetae.moderation.api.ContentKind.IMAGE, dev.haetae.moderation.api.Surface.DIRECT)
          .withFingerprints(dev.haetae.moderation.api.Fingerprints.none().withPdq(new dev.haetae.moderation.api.Pdq(
              dev.haetae.moderation.api.PdqHash.fromHex(PDQ), 100, List.of()))), AccountId.of("u1"),
          dev.haetae.moderation.api.RoomId.of("dm")));
      LegalNotice order = notice("o1", "EU-TCO-3", "dm1", NoticeSender.POLICE, TCO, T0);
      assertFalse(engine.checkNotice(order).valid());
      assertTrue(engine.obligations().isEmpty(), "checking records nothing");
      Decision d = engine.evaluate(order);
      assertFalse(d.restrictive());
      assertTrue(d.action(Action.NotifyUser.class).get().statement().facts().contains("surface"), d.toString());
    }
  }

  @Test
  void aLateOrderIsBreachedOnArrivalAndItsFulfilmentRecordsTheLateness() {
    try (ModerationEngine engine = engine()) {
      engine.evaluate(Fixtures.upload("c1"));
      Decision d = engine.evaluate(notice("o1", "EU-TCO-3", "c1", NoticeSender.POLICE, TCO,
          T0.minus(Duration.ofHours(3))));
      assertTrue(d.has(Action.Remove.class));
      assertEquals(List.of(ObligationEvent.Type.OPENED, ObligationEvent.Type.BREACHED, ObligationEvent.Type.FULFILLED),
          events.stream().map(ObligationEvent::type).toList());
      assertEquals(Duration.ofHours(2), events.get(1).lateness());
      assertEquals(Duration.ofHours(2), events.get(2).lateness());
      Compliance.Figures f = engine.compliance().byInstrument().get("EU-TCO-3");
      assertEquals(1, f.breached());
      assertEquals(Duration.ofHours(3), f.percentile(50));
    }
  }

  @Test
  void evidenceHeldUnderTheTerroristContentRegulationOutlivesTheContent() {
    try (ModerationEngine engine = engine()) {
      engine.evaluate(Fixtures.upload("c1"));
      Decision d = engine.evaluate(notice("o1", "EU-TCO-3", "c1", NoticeSender.POLICE, TCO, T0));
      assertEquals(Duration.ofDays(186), d.action(Action.PreserveEvidence.class).get().period());
      ContentId c1 = ContentId.of("c1");
      Instant until = T0.plus(Duration.ofDays(186));
      assertEquals(Optional.of(until), engine.holds().heldUntil(c1, T0));
      assertEquals(ObligationRecord.Status.FULFILLED, engine.obligations().get(0).status(), "the content is gone");
      clock.set(until.minusSeconds(1));
      engine.tick();
      assertTrue(expired.isEmpty());
      assertFalse(engine.holds().mayDelete(c1, clock.instant()), "never released early");
      clock.set(until);
      engine.tick();
      assertEquals(2, expired.size(), "the order's hold and the decision's hold");
      assertTrue(engine.holds().mayDelete(c1, clock.instant()));
    }
  }

  @Test
  void appealsAreJudgedByTheWindowOfTheInstrumentThatGovernedTheDecision() {
    try (ModerationEngine engine = engine()) {
      engine.evaluate(Fixtures.upload("c1"));
      engine.evaluate(notice("n1", "EU-DSA-16", "c1", NoticeSender.USER, DSA, T0));
      Decision removed = engine.evaluate(ReviewOutcome.ofContent(ContentId.of("c1"), Verdict.VIOLATING,
          Category.OTHER));
      Instant informed = Instant.parse("2026-11-30T18:00:00Z");
      // six calendar months from 30 November: the window closes at the end of 30 May 2027 (UTC)
      clock.set(Instant.parse("2027-05-30T23:59:59Z"));
      Decision inside = engine.evaluate(new Appeal("a1", removed.id(), ContentId.of("c1"), AccountId.of("u1"),
          informed, Optional.of("satire")));
      assertEquals("appeal", inside.action(Action.QueueForReview.class).get().lane());
      assertEquals(Optional.of(clock.instant().plus(Duration.ofDays(14))), inside.deadline());
      assertEquals("EU-DSA-20", signal(inside, Signal.AppealWindow.class).appealInstrument());
      assertEquals("EU-DSA-16", signal(inside, Signal.AppealWindow.class).governingInstrument().orElseThrow());
      assertTrue(engine.obligations().stream().anyMatch(o -> o.id().equals("EU-DSA-20:appeal:a1") && o.isOpen()));

      clock.set(Instant.parse("2027-05-31T00:00:00Z"));
      Decision outside = engine.evaluate(new Appeal("a2", removed.id(), ContentId.of("c1"), AccountId.of("u1"),
          informed, Optional.empty()));
      assertEquals(List.of(new Action.Allow()), outside.actions());
      assertEquals("appeal_out_of_window", outside.reasons().get(0).code());
      assertTrue(outside.reasons().get(0).explanation().contains("2027-05-31T00:00:00Z"),
          outside.reasons().get(0).explanation());
      assertTrue(engine.obligations().stream().noneMatch(o -> o.id().contains("a2")), "no review opened");
    }
  }

  @Test
  void aKoreanDecisionIsAppealedUnderTheKoreanAppealEntry() {
    try (ModerationEngine engine = engine()) {
      engine.evaluate(Fixtures.upload("c1"));
      Decision removed = engine.evaluate(notice("k1", "KR-TBA-22-5", "c1", NoticeSender.VICTIM,
          Map.of("location", "c1"), T0));
      Decision a = engine.evaluate(new Appeal("a1", removed.id(), ContentId.of("c1"), AccountId.of("u1"), T0,
          Optional.empty()));
      assertEquals("KR-NA-APPEAL", signal(a, Signal.AppealWindow.class).appealInstrument());
      Decision unknown = engine.evaluate(new Appeal("a2", dev.haetae.moderation.api.DecisionId.of("elsewhere-1"),
          ContentId.of("c1"), AccountId.of("u1"), T0, Optional.empty()));
      assertEquals("PLATFORM-APPEAL", signal(unknown, Signal.AppealWindow.class).appealInstrument());
      assertEquals(false, signal(unknown, Signal.AppealWindow.class).decisionKnown());
    }
  }

  @Test
  void anUpheldAppealReversesTheDecisionClearsTheStrikeAndCorrectsTheReporter() {
    try (ModerationEngine engine = engine()) {
      engine.evaluate(new AccountEvent(AccountId.of("u2"), T0.minus(Duration.ofDays(400)), false, Optional.empty()));
      engine.evaluate(Fixtures.upload("c1"));
      engine.evaluate(UserReport.of(ReporterId.of("u2"), Target.content(ContentId.of("c1")), Category.HARASSMENT));
      clock.advance(Duration.ofHours(1));
      Decision removed = engine.evaluate(ReviewOutcome.ofContent(ContentId.of("c1"), Verdict.VIOLATING,
          Category.HARASSMENT));
      assertTrue(removed.has(Action.Remove.class));
      assertEquals(1, strikes(engine, "probe-1"));
      double confirmed = credibility(engine, "c2");

      clock.advance(Duration.ofDays(2));
      engine.evaluate(new Appeal("a1", removed.id(), ContentId.of("c1"), AccountId.of("u1"), T0.plus(
          Duration.ofHours(1)), Optional.of("it was a joke between friends")));
      clock.advance(Duration.ofDays(1));
      Decision verdict = engine.evaluate(ReviewOutcome.ofContent(ContentId.of("c1"), Verdict.NOT_VIOLATING, null));
      assertTrue(verdict.actions().contains(new Action.Reinstate(removed.id())), verdict.toString());
      assertEquals("appeal_upheld", verdict.reasons().get(0).code());
      assertEquals("a1", signal(verdict, Signal.AppealReview.class).appealId());
      assertEquals(removed.id().value(), signal(verdict, Signal.AppealReview.class).decision().value());
      assertTrue(engine.obligations().stream().anyMatch(o -> o.id().equals("PLATFORM-APPEAL:appeal:a1")
          && o.status() == ObligationRecord.Status.FULFILLED));
      assertEquals(0, strikes(engine, "probe-2"), "the strike is cleared");
      assertTrue(credibility(engine, "c3") < confirmed, "the reporter's confirmed report now counts as rejected");
      // restored: forwarding the restored image is not blocked by the platform bank any more
      Decision forward = engine.evaluate(Fixtures.upload("fwd-of-c1"));
      assertFalse(forward.has(Action.Remove.class), forward.toString());
      // restored: a later notice on it is acted on again rather than closed at once
      Decision again = engine.evaluate(notice("n9", "US-TAKE-IT-DOWN", "c1", NoticeSender.VICTIM, TID,
          clock.instant()));
      assertTrue(again.has(Action.Remove.class));
    }
  }

  @Test
  void aRejectedAppealLeavesTheDecisionStanding() {
    try (ModerationEngine engine = engine()) {
      engine.evaluate(Fixtures.upload("c1"));
      Decision removed = engine.evaluate(ReviewOutcome.ofContent(ContentId.of("c1"), Verdict.VIOLATING,
          Category.HARASSMENT));
      engine.evaluate(new Appeal("a1", removed.id(), ContentId.of("c1"), AccountId.of("u1"), T0, Optional.empty()));
      Decision verdict = engine.evaluate(ReviewOutcome.ofContent(ContentId.of("c1"), Verdict.VIOLATING,
          Category.HARASSMENT));
      assertFalse(verdict.has(Action.Reinstate.class));
      assertEquals("appeal_rejected", verdict.reasons().get(0).code());
      assertEquals(1, strikes(engine, "probe"), "one strike, not two");
    }
  }

  @Test
  void theBuiltInSchedulerTicksTheClockWithoutTheHost() throws InterruptedException {
    CountDownLatch breached = new CountDownLatch(1);
    try (ModerationEngine engine = ModerationEngine.builder().clock(clock).decisionLog(log)
        .obligationListener(e -> {
          if (e.type() == ObligationEvent.Type.BREACHED) {
            breached.countDown();
          }
        }).tickEvery(Duration.ofMillis(5)).build()) {
      engine.evaluate(notice("o1", "EU-DSA-16", "c1", NoticeSender.USER, DSA, T0));
      clock.advance(Duration.ofDays(4));
      assertTrue(breached.await(30, TimeUnit.SECONDS), "the scheduler ticked");
    }
  }

  private int strikes(ModerationEngine engine, String probe) {
    // each probe has its own image, far from every other test image, so no bank matches it
    String hex = Integer.toHexString(0x10 + Math.floorMod(probe.hashCode(), 0xe0)).repeat(32);
    Decision d = engine.evaluate(Fixtures.upload(probe, "u1", "r1", hex));
    for (RecordingLog.Entry e : log.entries) {
      if (e.decision().id().equals(d.id())) {
        return e.evidence().signals(Signal.AccountStanding.class).get(0).strikes();
      }
    }
    throw new AssertionError();
  }

  private double credibility(ModerationEngine engine, String content) {
    engine.evaluate(Fixtures.upload(content, "u5", "r5", "00000000000000000000000000000000000000000000000000000000000000ff"));
    Decision r = engine.evaluate(UserReport.of(ReporterId.of("u2"), Target.content(ContentId.of(content)),
        Category.HARASSMENT));
    for (RecordingLog.Entry e : log.entries) {
      if (e.decision().id().equals(r.id())) {
        return e.evidence().signals(Signal.Reports.class).get(0).maxReporterCredibility();
      }
    }
    throw new AssertionError();
  }
}
