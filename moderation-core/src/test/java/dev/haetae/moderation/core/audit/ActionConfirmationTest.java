package dev.haetae.moderation.core.audit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.haetae.moderation.api.AccountId;
import dev.haetae.moderation.api.Action;
import dev.haetae.moderation.api.ActionConfirmation;
import dev.haetae.moderation.api.Content;
import dev.haetae.moderation.api.ContentEvent;
import dev.haetae.moderation.api.ContentId;
import dev.haetae.moderation.api.ContentKind;
import dev.haetae.moderation.api.Decision;
import dev.haetae.moderation.api.Fingerprints;
import dev.haetae.moderation.api.Pdq;
import dev.haetae.moderation.api.PdqHash;
import dev.haetae.moderation.api.DecisionId;
import dev.haetae.moderation.api.LegalNotice;
import dev.haetae.moderation.api.NoticeSender;
import dev.haetae.moderation.api.RoomId;
import dev.haetae.moderation.api.Surface;
import dev.haetae.moderation.core.engine.ModerationEngine;
import dev.haetae.moderation.core.engine.PolicyIsolation;
import dev.haetae.moderation.core.policy.PolicyPack;
import dev.haetae.moderation.core.simulate.SettableClock;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The host's confirmation of an action goes through the engine's one door, is logged, replays, and
 * is what makes an obligation "met": three TAKE IT DOWN removals decided in time, one confirmed
 * carried out in time (met), one carried out after the 48-hour deadline (breached), one reported
 * failed (unconfirmed).
 */
class ActionConfirmationTest {
  private static final Instant T0 = Instant.parse("2026-11-21T10:00:00Z");
  private static final Map<String, String> TID = Map.of("signature", "J. Doe", "identification", "photo of me",
      "location", "room r1", "good_faith_statement", "not consensual", "contact", "jdoe@example.org");

  private static ContentEvent upload(String id, int n) {
    String hex = Integer.toHexString(n).repeat(64).substring(0, 64);
    Fingerprints fp = Fingerprints.none().withPdq(new Pdq(PdqHash.fromHex(hex), 100, List.of()));
    return ContentEvent.upload(Content.of(ContentId.of(id), ContentKind.IMAGE, Surface.GROUP).withFingerprints(fp),
        AccountId.of("u1"), RoomId.of("r1"));
  }

  @Test
  void confirmationsAreLoggedReplayedAndDecideMet(@TempDir Path dir) throws Exception {
    SettableClock clock = new SettableClock(T0);
    List<DecisionId> removals = new ArrayList<>();
    try (ModerationEngine engine = ModerationEngine.builder().clock(clock).policyIsolation(PolicyIsolation.INLINE)
        .decisionLog(DecisionLogs.directory(dir).build()).build()) {
      for (String c : List.of("c1", "c2", "c3")) {
        engine.evaluate(upload(c, 3 + removals.size() * 4));
        Decision d = engine.evaluate(new LegalNotice("n-" + c, "US-TAKE-IT-DOWN", ContentId.of(c),
            NoticeSender.VICTIM, TID, clock.instant()));
        assertTrue(d.has(Action.Remove.class), d.toString());
        removals.add(d.id());
      }
      clock.advance(Duration.ofHours(1));
      Decision ack = engine.evaluate(ActionConfirmation.carriedOut(removals.get(0), Action.Kind.REMOVE,
          clock.instant()));
      assertFalse(ack.restrictive(), "a confirmation decides nothing: " + ack);
      engine.evaluate(new ActionConfirmation(removals.get(2), Action.Kind.REMOVE,
          ActionConfirmation.Outcome.FAILED, clock.instant(), Optional.of("storage node unreachable")));
      clock.advance(Duration.ofHours(50));
      engine.evaluate(new ActionConfirmation(removals.get(1), Action.Kind.REMOVE,
          ActionConfirmation.Outcome.CARRIED_OUT, clock.instant(), Optional.of("deleted from the archive")));
    }
    AuditLog audit = AuditLog.open(dir);
    assertTrue(audit.verify().ok());
    List<ActionConfirmation> logged = new ArrayList<>();
    audit.forEach(ProgressListener.NONE, rec -> {
      if (rec.evidence().request() instanceof ActionConfirmation) {
        logged.add((ActionConfirmation) rec.evidence().request());
      }
    });
    assertEquals(3, logged.size());
    ActionConfirmation failedAck = logged.get(1);
    assertEquals(List.of(removals.get(2), Action.Kind.REMOVE, ActionConfirmation.Outcome.FAILED,
        T0.plus(Duration.ofHours(1))), List.of(failedAck.decision(), failedAck.action(), failedAck.outcome(),
        failedAck.at()));
    assertTrue(failedAck.detail().orElseThrow().startsWith("[masked "), "free text is masked by default: "
        + failedAck.detail());
    assertTrue(Replayer.of(PolicyPack.defaults()).replay(audit, ProgressListener.NONE).allIdentical());

    ComplianceReport report = ComplianceReport.of(audit, ProgressListener.NONE);
    ComplianceReport.InstrumentStats s = report.instruments().get(0);
    assertEquals("US-TAKE-IT-DOWN", s.instrument());
    assertEquals(3, s.notices());
    assertEquals(3, s.actioned());
    assertEquals(1, s.met(), s.toString());
    assertEquals(1, s.unconfirmed(), s.toString());
    assertEquals(1, s.breaches(), s.toString());
    assertEquals(List.of(0L, 1L, 0L, 0L, 1L, 0L), s.confirmedHours(), "1 h and 51 h from receipt");
    assertEquals(Optional.of(T0.plus(Duration.ofHours(51))), report.breaches().get(0).actionedAt());
    JsonNode json = Frames.JSON.readTree(report.toJson());
    assertEquals(1, json.get("instruments").get(0).get("unconfirmed").asInt());
    assertEquals(1, json.get("instruments").get(0).get("confirmed_hours").get("48h-7d").asInt());

    String met = Explanation.ofDecision(audit, removals.get(0).value(), ProgressListener.NONE).toText();
    assertTrue(met.contains("host:     remove carried_out at 2026-11-21T11:00:00Z"), met);
    assertTrue(met.contains("met: decided at 2026-11-21T10:00:00Z, carried out at 2026-11-21T11:00:00Z"), met);
    String late = Explanation.ofDecision(audit, removals.get(1).value(), ProgressListener.NONE).toText();
    assertTrue(late.contains("breached: decided at"), late);
    String failed = Explanation.ofDecision(audit, removals.get(2).value(), ProgressListener.NONE).toJson();
    JsonNode f = Frames.JSON.readTree(failed);
    assertTrue(f.get("obligations").get(0).get("outcome").asText().endsWith("the host reported the action failed"),
        failed);
    assertEquals("failed", f.get("decisions").get(1).get("host_confirmations").get(0).get("outcome").asText());
  }
}
