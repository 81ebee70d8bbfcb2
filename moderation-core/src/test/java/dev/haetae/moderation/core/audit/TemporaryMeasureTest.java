package dev.haetae.moderation.core.audit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.haetae.moderation.api.AccountId;
import dev.haetae.moderation.api.Action;
import dev.haetae.moderation.api.ContentEvent;
import dev.haetae.moderation.api.ContentId;
import dev.haetae.moderation.api.ContentKind;
import dev.haetae.moderation.api.Decision;
import dev.haetae.moderation.api.DecisionId;
import dev.haetae.moderation.api.InvalidRequestException;
import dev.haetae.moderation.api.LegalNotice;
import dev.haetae.moderation.api.MeasureExpiry;
import dev.haetae.moderation.api.ModerationRequest;
import dev.haetae.moderation.api.NoticeSender;
import dev.haetae.moderation.api.ReviewOutcome;
import dev.haetae.moderation.api.RoomId;
import dev.haetae.moderation.api.Surface;
import dev.haetae.moderation.api.Target;
import dev.haetae.moderation.api.Verdict;
import dev.haetae.moderation.core.engine.ModerationEngine;
import dev.haetae.moderation.core.engine.PolicyIsolation;
import dev.haetae.moderation.core.legal.JurisdictionProfiles;
import dev.haetae.moderation.core.policy.PolicyPack;
import dev.haetae.moderation.core.simulate.SettableClock;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Korea's temporary measure (Network Act Art. 44-2): a valid request under {@code KR-NA-44-2}
 * blocks access until an expiry instead of removing, queues a legal review, and ends exactly once:
 * lifted by the engine's tick at the expiry (a logged decision of its own), or by a review verdict
 * (removal upheld, or content restored). The executor receives the measure and its end; the log
 * verifies and replays identical; the explanation shows start, expiry and ending.
 */
class TemporaryMeasureTest {
  static final Instant T0 = Instant.parse("2026-11-21T10:00:00Z");
  static final Map<String, String> FIELDS = Map.of("location", "room r1, message 7",
      "explanation", "the post names me and claims things about me that are false");

  static ContentEvent upload(String id) {
    return ContentEvent.upload(ContentId.of(id), AccountId.of("poster-" + id), RoomId.of("r1"), Surface.GROUP,
        ContentKind.IMAGE, ("image " + id).getBytes(StandardCharsets.UTF_8));
  }

  static LegalNotice request(String id, String content, Instant at) {
    return new LegalNotice(id, "KR-NA-44-2", ContentId.of(content), NoticeSender.VICTIM, FIELDS, at);
  }

  static ReviewOutcome verdict(String content, Verdict v) {
    return new ReviewOutcome(Target.content(ContentId.of(content)), v, Optional.empty(), Optional.of("mod-1"));
  }

  static ModerationEngine engine(Path dir, SettableClock clock, List<Decision> executed) {
    return ModerationEngine.builder().clock(clock).policyIsolation(PolicyIsolation.INLINE)
        .decisionLog(DecisionLogs.directory(dir).build()).actionExecutor((req, d) -> executed.add(d)).build();
  }

  static void verifiesAndReplays(Path dir) throws Exception {
    AuditLog audit = AuditLog.open(dir);
    assertTrue(audit.verify().ok(), "the log verifies");
    List<dev.haetae.moderation.api.spi.Policy> policies = new ArrayList<>(PolicyPack.defaults());
    policies.addAll(PolicyPack.retired());
    ReplayReport replay = Replayer.of(policies).replay(audit, ProgressListener.NONE);
    assertTrue(replay.allIdentical(), "the tick's lift replays from the log alone: " + replay);
  }

  @Test
  void theKoreanEntryTakesAThirtyDayMeasureByDefault() {
    assertEquals(Duration.ofDays(30),
        JurisdictionProfiles.bundled().instrument("KR-NA-44-2").orElseThrow().temporaryMeasureFor());
    assertFalse(JurisdictionProfiles.bundled().instrument("US-TAKE-IT-DOWN").orElseThrow().takesTemporaryMeasure());
  }

  /** The KR entry with another period (or field value), as a host's override file gives it. */
  static JurisdictionProfiles withPeriod(String value) {
    String json = "{\"version\": \"host-1\", \"instruments\": [{\"id\": \"KR-NA-44-2\", \"jurisdiction\": \"KR\","
        + " \"citation\": \"Network Act Art. 44-2\", \"category\": \"other\", \"clock_starts\": \"receipt\","
        + " \"deadline\": \"PT24H\", \"internal_target\": true, \"duties\": [\"disable\", \"notify\"],"
        + " \"preserve_for\": \"PT0S\", \"senders\": [\"victim\"], \"surfaces\": [\"group\"],"
        + " \"required_fields\": {\"location\": \"where\"}, \"temporary_measure_for\": " + value + "}]}";
    return JurisdictionProfiles.bundled().overriddenBy(JurisdictionProfiles.read("host.json",
        new java.io.ByteArrayInputStream(json.getBytes(StandardCharsets.UTF_8))));
  }

  @Test
  void thePeriodIsConfigurableByOverrideAndBadValuesAreRefusedByName(@TempDir Path dir) {
    SettableClock clock = new SettableClock(T0);
    try (ModerationEngine engine = ModerationEngine.builder().clock(clock).policyIsolation(PolicyIsolation.INLINE)
        .logDirectory(dir).jurisdictionProfiles(withPeriod("\"P7D\"")).build()) {
      engine.evaluate(upload("c1"));
      Decision d = engine.evaluate(new LegalNotice("n1", "KR-NA-44-2", ContentId.of("c1"), NoticeSender.VICTIM,
          Map.of("location", "room r1"), clock.instant()));
      assertEquals(Optional.of(new Action.TemporaryMeasure(T0.plus(Duration.ofDays(7)))),
          d.action(Action.TemporaryMeasure.class), d.toString());
    }
    for (String bad : List.of("\"-P1D\"", "\"30 days\"", "30", "true")) {
      dev.haetae.moderation.api.ConfigurationException e = assertThrows(
          dev.haetae.moderation.api.ConfigurationException.class, () -> withPeriod(bad), bad);
      assertTrue(e.getMessage().contains("temporary_measure_for") && e.getMessage().contains("KR-NA-44-2"),
          e.getMessage());
    }
  }

  @Test
  void aMeasureWithNoVerdictIsLiftedByTheTickAtItsExpiryAsADecisionOfItsOwn(@TempDir Path dir) throws Exception {
    SettableClock clock = new SettableClock(T0);
    List<Decision> executed = new CopyOnWriteArrayList<>();
    Decision measure;
    try (ModerationEngine engine = engine(dir, clock, executed)) {
      engine.evaluate(upload("c1"));
      clock.advance(Duration.ofHours(1));
      measure = engine.evaluate(request("n1", "c1", clock.instant()));
      Instant until = clock.instant().plus(Duration.ofDays(30));
      assertEquals(Optional.of(new Action.TemporaryMeasure(until)), measure.action(Action.TemporaryMeasure.class),
          measure.toString());
      assertFalse(measure.has(Action.Remove.class), "a measure, not a removal");
      assertTrue(measure.action(Action.QueueForReview.class).map(q -> q.lane().equals("legal")).orElse(false));
      assertTrue(executed.contains(measure), "the executor receives the measure");

      clock.set(until.minusSeconds(1));
      int before = executed.size();
      engine.tick();
      assertEquals(before, executed.size(), "nothing is lifted before its expiry");
      // a host's own expiry request before the expiry lifts nothing either, and says why
      Decision early = engine.evaluate(new MeasureExpiry(ContentId.of("c1"), measure.id()));
      assertFalse(early.has(Action.EndMeasure.class), early.toString());
      assertEquals("measure_not_due", early.reasons().get(0).code());

      clock.set(until);
      engine.tick();
      Decision lift = executed.get(executed.size() - 1);
      assertEquals(Optional.of(new Action.EndMeasure(measure.id(), Action.EndMeasure.Ending.LIFTED)),
          lift.action(Action.EndMeasure.class), lift.toString());
      clock.advance(Duration.ofDays(1));
      int after = executed.size();
      engine.tick();
      assertEquals(after, executed.size(), "a measure is lifted once");
      Decision late = engine.evaluate(new MeasureExpiry(ContentId.of("c1"), measure.id()));
      assertFalse(late.has(Action.EndMeasure.class), "an ended measure is not lifted again");
      // a verdict after the lift ends nothing: the measure is closed
      Decision v = engine.evaluate(verdict("c1", Verdict.NOT_VIOLATING));
      assertFalse(v.has(Action.EndMeasure.class), v.toString());
    }
    verifiesAndReplays(dir);
    Explanation e = Explanation.ofDecision(AuditLog.open(dir), measure.id().value(), ProgressListener.NONE);
    String text = e.toText();
    assertTrue(text.contains("temporary measure from 2026-11-21T11:00:00Z until 2026-12-21T11:00:00Z"), text);
    assertTrue(text.contains("lifted at expiry at 2026-12-21T11:00:00Z"), text);
    assertTrue(e.toJson().contains("\"ending\":\"lifted\""), e.toJson());
    ComplianceReport report = ComplianceReport.of(AuditLog.open(dir), ProgressListener.NONE);
    assertEquals(1, report.temporaryMeasures().size());
    ComplianceReport.Measure m = report.temporaryMeasures().get(0);
    assertEquals(Instant.parse("2026-12-21T11:00:00Z"), m.until());
    assertEquals(Optional.of(Action.EndMeasure.Ending.LIFTED), m.ending());
    assertEquals(Optional.of(Instant.parse("2026-12-21T11:00:00Z")), m.endedAt());
    String html = report.toHtml();
    assertTrue(html.contains("<td>2026-11-21T11:00:00Z</td><td>2026-12-21T11:00:00Z</td><td>lifted at expiry</td>"
        + "<td>2026-12-21T11:00:00Z</td>"), html);
    assertTrue(report.toJson().contains("\"ending\":\"lifted\""));
  }

  @Test
  void aVerdictEndsTheMeasureUpheldOrRestoredAndTheTickLiftsNothing(@TempDir Path dir) throws Exception {
    SettableClock clock = new SettableClock(T0);
    List<Decision> executed = new CopyOnWriteArrayList<>();
    Decision m1;
    Decision m2;
    try (ModerationEngine engine = engine(dir, clock, executed)) {
      engine.evaluate(upload("c1"));
      engine.evaluate(upload("c2"));
      m1 = engine.evaluate(request("n1", "c1", clock.instant()));
      m2 = engine.evaluate(request("n2", "c2", clock.instant()));
      clock.advance(Duration.ofDays(3));
      Decision upheld = engine.evaluate(verdict("c1", Verdict.VIOLATING));
      assertEquals(Optional.of(new Action.EndMeasure(m1.id(), Action.EndMeasure.Ending.UPHELD)),
          upheld.action(Action.EndMeasure.class), upheld.toString());
      Decision restored = engine.evaluate(verdict("c2", Verdict.NOT_VIOLATING));
      assertEquals(Optional.of(new Action.EndMeasure(m2.id(), Action.EndMeasure.Ending.RESTORED)),
          restored.action(Action.EndMeasure.class), restored.toString());
      int before = executed.size();
      clock.advance(Duration.ofDays(60));
      engine.tick();
      assertEquals(before, executed.size(), "a measure a verdict ended is not lifted at its expiry");
      // a second request about restored content takes a new measure
      Decision again = engine.evaluate(request("n3", "c2", clock.instant()));
      assertTrue(again.has(Action.TemporaryMeasure.class), again.toString());
    }
    verifiesAndReplays(dir);
    AuditLog audit = AuditLog.open(dir);
    String t1 = Explanation.ofDecision(audit, m1.id().value(), ProgressListener.NONE).toText();
    assertTrue(t1.contains("removal upheld at 2026-11-24T10:00:00Z"), t1);
    String t2 = Explanation.ofDecision(audit, m2.id().value(), ProgressListener.NONE).toText();
    assertTrue(t2.contains("restored at 2026-11-24T10:00:00Z"), t2);
    List<String> endings = ComplianceReport.of(audit, ProgressListener.NONE).temporaryMeasures().stream()
        .map(ComplianceReport.Measure::describe).toList();
    assertEquals(List.of("removal upheld", "restored", "open"), endings);
  }

  @Test
  void twoEnginesOnOneMemoryLiftOnce(@TempDir Path dir) throws Exception {
    SettableClock clock = new SettableClock(T0);
    List<Decision> a = new CopyOnWriteArrayList<>();
    List<Decision> b = new CopyOnWriteArrayList<>();
    dev.haetae.moderation.core.engine.Stores shared = dev.haetae.moderation.core.engine.Stores.inMemory();
    try (ModerationEngine ea = ModerationEngine.builder().clock(clock).policyIsolation(PolicyIsolation.INLINE)
        .stores(shared).decisionLog(DecisionLogs.directory(dir.resolve("a")).build())
        .actionExecutor((req, d) -> a.add(d)).build();
        ModerationEngine eb = ModerationEngine.builder().clock(clock).policyIsolation(PolicyIsolation.INLINE)
            .stores(shared).decisionLog(DecisionLogs.directory(dir.resolve("b")).build())
            .actionExecutor((req, d) -> b.add(d)).build()) {
      ea.evaluate(upload("c1"));
      Decision m = ea.evaluate(request("n1", "c1", clock.instant()));
      clock.advance(Duration.ofDays(31));
      int na = a.size();
      eb.tick();
      ea.tick();
      eb.tick();
      assertEquals(1, b.stream().filter(d -> d.has(Action.EndMeasure.class)).count(), "B's tick lifts it");
      assertEquals(na, a.size(), "A lifts nothing more");
      assertEquals(m.id(), b.get(b.size() - 1).action(Action.EndMeasure.class).orElseThrow().measure());
    }
  }

  @Test
  void badExpiryRequestsAreRefusedByName() {
    InvalidRequestException e = assertThrows(InvalidRequestException.class,
        () -> new MeasureExpiry(null, DecisionId.of("d")));
    assertTrue(e.getMessage().contains("expiry.content"), e.getMessage());
    e = assertThrows(InvalidRequestException.class, () -> new MeasureExpiry(ContentId.of("c"), null));
    assertTrue(e.getMessage().contains("expiry.measure"), e.getMessage());
    ModerationRequest r = new MeasureExpiry(ContentId.of("c"), DecisionId.of("d"));
    assertEquals("expiry", r.type());
  }
}
