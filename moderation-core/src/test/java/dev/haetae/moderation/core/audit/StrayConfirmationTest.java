package dev.haetae.moderation.core.audit;

import static org.junit.jupiter.api.Assertions.assertEquals;
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
import dev.haetae.moderation.api.DecisionId;
import dev.haetae.moderation.api.Fingerprints;
import dev.haetae.moderation.api.LegalNotice;
import dev.haetae.moderation.api.NoticeSender;
import dev.haetae.moderation.api.Pdq;
import dev.haetae.moderation.api.PdqHash;
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
import java.util.EnumSet;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A confirmation that confirms nothing the log decided (an unknown decision, an allow-only decision,
 * an action the decision did not plan) is logged and replays like any other, is listed by the
 * report and the explanation, and counts towards no obligation.
 */
class StrayConfirmationTest {
  private static final Instant T0 = Instant.parse("2026-11-21T10:00:00Z");
  private static final Map<String, String> TID = Map.of("signature", "J. Doe", "identification", "photo of me",
      "location", "room r1", "good_faith_statement", "not consensual", "contact", "jdoe@example.org");

  private static ContentEvent upload(String id, int n) {
    String hex = Integer.toHexString(n).repeat(64).substring(0, 64);
    Fingerprints fp = Fingerprints.none().withPdq(new Pdq(PdqHash.fromHex(hex), 100, List.of()));
    return ContentEvent.upload(Content.of(ContentId.of(id), ContentKind.IMAGE, Surface.GROUP).withFingerprints(fp),
        AccountId.of("u1"), RoomId.of("r1"));
  }

  private static ModerationEngine engine(SettableClock clock, Path dir) {
    return ModerationEngine.builder().clock(clock).policyIsolation(PolicyIsolation.INLINE)
        .decisionLog(DecisionLogs.directory(dir).build()).build();
  }

  @Test
  void strayConfirmationsAreLoggedListedAndCountForNothing(@TempDir Path dir) throws Exception {
    SettableClock clock = new SettableClock(T0);
    DecisionId upload2;
    DecisionId removal1;
    try (ModerationEngine engine = engine(clock, dir)) {
      engine.evaluate(upload("c1", 3));
      upload2 = engine.evaluate(upload("c2", 7)).id();
      Decision d1 = engine.evaluate(new LegalNotice("n-c1", "US-TAKE-IT-DOWN", ContentId.of("c1"),
          NoticeSender.VICTIM, TID, clock.instant()));
      Decision d2 = engine.evaluate(new LegalNotice("n-c2", "US-TAKE-IT-DOWN", ContentId.of("c2"),
          NoticeSender.VICTIM, TID, clock.instant()));
      assertTrue(d1.has(Action.Remove.class) && d2.has(Action.Remove.class), d1 + " / " + d2);
      assertTrue(!d1.has(Action.SuspendAccount.class), d1.toString());
      removal1 = d1.id();
      clock.advance(Duration.ofHours(1));
      engine.evaluate(ActionConfirmation.carriedOut(DecisionId.of("d-on-another-shard"), Action.Kind.REMOVE,
          clock.instant()));
      engine.evaluate(ActionConfirmation.carriedOut(removal1, Action.Kind.SUSPEND_ACCOUNT, clock.instant()));
      // the upload of c2 only allowed it: "removing" it carries out nothing, so c2's notice stays unconfirmed
      engine.evaluate(ActionConfirmation.carriedOut(upload2, Action.Kind.REMOVE, clock.instant()));
      engine.evaluate(ActionConfirmation.carriedOut(removal1, Action.Kind.REMOVE, clock.instant()));
    }
    AuditLog audit = AuditLog.open(dir);
    assertTrue(audit.verify().ok());
    assertTrue(Replayer.of(PolicyPack.defaults()).replay(audit, ProgressListener.NONE).allIdentical());
    long[] confirmations = {0};
    audit.forEach(ProgressListener.NONE, rec -> {
      if (rec.evidence().request() instanceof ActionConfirmation) {
        confirmations[0]++;
      }
    });
    assertEquals(4, confirmations[0], "every confirmation is logged, stray or not");

    ComplianceReport report = ComplianceReport.of(audit, ProgressListener.NONE);
    assertEquals(3, report.strayConfirmationCount());
    List<StrayConfirmation> strays = report.strayConfirmations();
    assertEquals(List.of(StrayConfirmation.Problem.UNKNOWN_DECISION, StrayConfirmation.Problem.ACTION_NOT_PLANNED,
        StrayConfirmation.Problem.UNKNOWN_DECISION), strays.stream().map(StrayConfirmation::problem).toList());
    assertEquals(List.of("d-on-another-shard", removal1.value(), upload2.value()),
        strays.stream().map(x -> x.confirmation().decision().value()).toList());
    assertEquals(strays, Explanation.strayConfirmations(audit, ProgressListener.NONE));
    ComplianceReport.InstrumentStats s = report.instruments().get(0);
    assertEquals(1, s.met(), "only c1's removal was confirmed: " + s);
    assertEquals(1, s.unconfirmed(), "a stray confirmation carries nothing out: " + s);

    JsonNode json = Frames.JSON.readTree(report.toJson());
    assertEquals(3, json.get("stray_confirmations").get("count").asInt());
    assertEquals("action_not_planned", json.get("stray_confirmations").get("listed").get(1).get("problem").asText());
    assertEquals("suspend_account", json.get("stray_confirmations").get("listed").get(1).get("action").asText());
    String html = report.toHtml();
    assertTrue(html.contains("<b id=\"stray-count\">3</b>"), html);
    assertTrue(html.contains("<td>suspend_account</td><td>carried_out</td>"), html);
    assertTrue(!html.contains("d-on-another-shard"), "the page shows no ids");

    String text = Explanation.ofDecision(audit, removal1.value(), ProgressListener.NONE).toText();
    assertTrue(text.contains("stray:    suspend_account carried_out at 2026-11-21T11:00:00Z"), text);
    assertTrue(text.contains("host:     remove carried_out at 2026-11-21T11:00:00Z"), text);
    JsonNode ex = Frames.JSON.readTree(Explanation.ofDecision(audit, removal1.value(), ProgressListener.NONE).toJson());
    JsonNode step = ex.get("decisions").get(1);
    assertEquals(removal1.value(), step.get("decision").asText());
    assertEquals("suspend_account", step.get("stray_confirmations").get(0).get("action").asText());
    assertEquals(1, step.get("host_confirmations").size());
    JsonNode listed = Frames.JSON.readTree(Explanation.strayConfirmationsJson(strays));
    assertEquals("unknown_decision", listed.get(0).get("problem").asText());
    assertTrue(strays.get(0).describe().contains("holds no earlier decision"), strays.get(0).describe());
  }

  /**
   * Seeded property over random streams of uploads, notices and confirmations (of real decisions,
   * made-up ones, planned and unplanned actions): each logged confirmation is either counted for its
   * decision or listed as stray, never both, and stray exactly when the model says its decision did
   * not plan that action; the log replays identical.
   */
  @Test
  void everyConfirmationIsCountedOrStrayAsTheModelSays(@TempDir Path root) throws Exception {
    for (long seed = 1; seed <= 4; seed++) {
      Random rnd = new Random(seed);
      Path dir = root.resolve("s" + seed);
      SettableClock clock = new SettableClock(T0);
      Map<DecisionId, Set<Action.Kind>> planned = new HashMap<>();
      List<DecisionId> decided = new ArrayList<>();
      long expectedStrays = 0;
      try (ModerationEngine engine = engine(clock, dir)) {
        for (int i = 0; i < 30; i++) {
          clock.advance(Duration.ofMinutes(1 + rnd.nextInt(90)));
          int op = rnd.nextInt(4);
          Decision d;
          if (op == 0 || decided.isEmpty()) {
            d = engine.evaluate(upload("c" + i, 1 + i));
          } else if (op == 1) {
            d = engine.evaluate(new LegalNotice("n-" + i, "US-TAKE-IT-DOWN", ContentId.of("c" + rnd.nextInt(i)),
                NoticeSender.VICTIM, TID, clock.instant()));
          } else {
            DecisionId target = rnd.nextInt(5) == 0 ? DecisionId.of("d-unknown-" + i)
                : decided.get(rnd.nextInt(decided.size()));
            Action.Kind kind = Action.Kind.values()[rnd.nextInt(Action.Kind.values().length)];
            ActionConfirmation.Outcome outcome = rnd.nextBoolean() ? ActionConfirmation.Outcome.CARRIED_OUT
                : ActionConfirmation.Outcome.FAILED;
            if (!planned.getOrDefault(target, Set.of()).contains(kind)) {
              expectedStrays++;
            }
            d = engine.evaluate(new ActionConfirmation(target, kind, outcome, clock.instant(), Optional.empty()));
          }
          Set<Action.Kind> kinds = EnumSet.noneOf(Action.Kind.class);
          d.actions().forEach(a -> kinds.add(a.actionKind()));
          kinds.remove(Action.Kind.ALLOW);
          planned.put(d.id(), kinds);
          decided.add(d.id());
        }
      }
      AuditLog audit = AuditLog.open(dir);
      assertTrue(audit.verify().ok(), "seed " + seed);
      assertTrue(Replayer.of(PolicyPack.defaults()).replay(audit, ProgressListener.NONE).allIdentical(),
          "seed " + seed);
      Confirmations c = new Confirmations();
      long[] all = {0};
      audit.forEach(ProgressListener.NONE, rec -> {
        c.collect(rec);
        if (rec.evidence().request() instanceof ActionConfirmation) {
          all[0]++;
        }
      });
      assertEquals(expectedStrays, c.strayCount(), "seed " + seed);
      long counted = c.decisions().stream().mapToLong(id -> c.of(id).size()).sum();
      assertEquals(all[0], counted + c.strayCount(), "seed " + seed + ": counted or stray, never both");
      for (StrayConfirmation x : c.strays()) {
        assertTrue(!planned.getOrDefault(x.confirmation().decision(), Set.of()).contains(x.confirmation().action()),
            "seed " + seed + ": " + x.describe());
      }
    }
  }
}
