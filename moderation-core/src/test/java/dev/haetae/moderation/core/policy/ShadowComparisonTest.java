package dev.haetae.moderation.core.policy;

import static dev.haetae.moderation.core.policy.Streams.PDQ;
import static dev.haetae.moderation.core.policy.Streams.T;
import static dev.haetae.moderation.core.policy.Streams.bank;
import static dev.haetae.moderation.core.policy.Streams.image;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.haetae.moderation.api.Action;
import dev.haetae.moderation.api.Category;
import dev.haetae.moderation.api.Decision;
import dev.haetae.moderation.api.DecisionId;
import dev.haetae.moderation.api.LegalGround;
import dev.haetae.moderation.api.Outcome;
import dev.haetae.moderation.api.PolicyFailure;
import dev.haetae.moderation.api.PolicyId;
import dev.haetae.moderation.api.Reason;
import dev.haetae.moderation.api.ShadowOutcome;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class ShadowComparisonTest {
  private static final PolicyId ACTIVE = new PolicyId("rule", "1", "aaaa");
  private static final PolicyId CANDIDATE = new PolicyId("rule", "2", "bbbb");
  private static final Reason GROUNDED = Reason.of(ACTIVE, "x", "x", Category.SPAM, LegalGround.terms("ToS 1", "x"));

  private static Decision decision(List<Action> actions, List<Reason> reasons) {
    return new Decision(DecisionId.of("d1"), Instant.EPOCH, actions, reasons, Optional.empty(), List.of(ACTIVE),
        List.of(), List.of());
  }

  private static ShadowOutcome shadow(PolicyId id, Action... actions) {
    return new ShadowOutcome(id, Outcome.of(List.of(actions), List.of(Reason.note(id, "c", "c"))), Optional.empty());
  }

  @Test
  void classifiesWhatAddingTheShadowPolicyWouldChange() {
    Decision allow = decision(List.of(new Action.Allow()), List.of());
    PolicyId other = PolicyId.of("other", "1");
    ShadowComparison.Difference d = ShadowComparison.compare(allow, shadow(other, new Action.Remove()));
    assertEquals(ShadowComparison.Kind.STRICTER, d.kind());
    assertEquals(List.of("remove"), d.added());
    assertEquals(List.of("allow"), d.removed());
    assertEquals(ShadowComparison.Kind.MORE_REVIEW, ShadowComparison.compare(allow,
        shadow(other, Action.QueueForReview.of(dev.haetae.moderation.api.Priority.LOW))).kind());
    assertEquals(ShadowComparison.Kind.SAME, ShadowComparison.compare(allow, shadow(other)).kind());

    Decision removed = decision(List.of(new Action.Remove(), new Action.NotifyUser(Action.Recipient.UPLOADER,
        new dev.haetae.moderation.api.StatementOfReasons(GROUNDED.ground().get(), "f", true, true, "r"))),
        List.of(GROUNDED));
    assertEquals(ShadowComparison.Kind.LAXER, ShadowComparison.compare(removed, shadow(CANDIDATE, new Action.Blur("x")))
        .kind());
    ShadowComparison.Difference tip = ShadowComparison.compare(removed,
        shadow(other, new Action.ReportToAuthority("NCMEC", true)));
    assertEquals(List.of("remove", "report_authority"), tip.wouldBe(), "no tip-off drops the uploader's notice");
    assertEquals(ShadowComparison.Kind.FAILED, ShadowComparison.compare(removed, new ShadowOutcome(other,
        Outcome.none(), Optional.of(new PolicyFailure(other, PolicyFailure.Kind.THREW, "boom",
            dev.haetae.moderation.api.FailMode.REVIEW)))).kind());
  }

  @Test
  void aShadowBuiltInIsComparedOnLiveTrafficInTheSimulator() {
    PolicyConfig c = PolicyConfig.parse("{\"shadow\":[{\"builtin\":\"repeat-offender\","
        + "\"config\":{\"restrict_forwarding_at\":1,\"suspend_at\":1}}]}");
    String other = "0f0f0f0f0f0f0f0f0f0f0f0f0f0f0f0f0f0f0f0f0f0f0f0f0f0f0f0f0f0f0f0f";
    Streams.Run r = Streams.run(c, bank("ncii", "pdq", PDQ),
        image(T + "01Z", "c1", "u1", "r1", "group", PDQ, null),
        image(T + "02Z", "c2", "u1", "r1", "group", other, null));
    JsonNode shadowLine = r.lines().stream().filter(n -> n.path("shadow").asBoolean() && n.get("line").asInt() == 3)
        .findFirst().orElseThrow();
    assertTrue(shadowLine.get("differs").asBoolean(), shadowLine.toString());
    assertEquals("stricter", shadowLine.get("comparison").asText());
    assertTrue(shadowLine.get("would_add").toString().contains("suspend_account"));
    assertEquals(1, r.summary().shadow().values().iterator().next().get("stricter"));
    assertTrue(r.summary().shadowReport().contains("1 of 2 decisions would differ"), r.summary().shadowReport());
  }
}
