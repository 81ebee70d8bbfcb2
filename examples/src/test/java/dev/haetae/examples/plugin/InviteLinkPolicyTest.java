package dev.haetae.examples.plugin;

import dev.haetae.moderation.api.AccountId;
import dev.haetae.moderation.api.Category;
import dev.haetae.moderation.api.Content;
import dev.haetae.moderation.api.ContentEvent;
import dev.haetae.moderation.api.ContentId;
import dev.haetae.moderation.api.ContentKind;
import dev.haetae.moderation.api.Evidence;
import dev.haetae.moderation.api.MatchType;
import dev.haetae.moderation.api.RoomId;
import dev.haetae.moderation.api.Signal;
import dev.haetae.moderation.api.Surface;
import dev.haetae.moderation.api.spi.Policy;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import dev.haetae.moderation.core.policy.PolicyConfig;
import dev.haetae.moderation.testkit.PolicyContract;
import dev.haetae.moderation.testkit.Scenario;
import org.junit.jupiter.api.Test;

/** The example plugin keeps the policy contract and does what it says on real event streams. */
class InviteLinkPolicyTest extends PolicyContract {
  private static final String PDQ = "f8f8f0cee0f4a84f06370a22038f63f0b36e2ed596621e1d33e6b39c4e9c9b22";
  private static final String OTHER = "0f0f0f0f0f0f0f0f0f0f0f0f0f0f0f0f0f0f0f0f0f0f0f0f0f0f0f0f0f0f0f0f";

  @Override
  protected Policy policy() {
    return new InviteLinkPolicy();
  }

  /** The kit's samples, plus uploads with the provider's finding: without them the rule never runs. */
  @Override
  protected List<Evidence> evidence() {
    List<Evidence> out = new ArrayList<>(super.evidence());
    Signal link = new Signal.Custom(InviteLinkSignals.ID, "invite_link", Map.of("service", "telegram"));
    Signal match = new Signal.HashMatch("stopncii", 1, Category.NCII, MatchType.PDQ, PDQ, 3, 31, 100, false);
    ContentEvent upload = ContentEvent.upload(Content.of(ContentId.of("c1"), ContentKind.IMAGE, Surface.GROUP),
        AccountId.of("u1"), RoomId.of("r1"));
    Instant now = Instant.parse("2026-11-21T10:00:00Z");
    out.add(new Evidence(now, upload, List.of(match, link), Map.of()));
    out.add(new Evidence(now, upload, List.of(link), Map.of()));
    out.add(new Evidence(now, upload, List.of(match), Map.of()));
    return out;
  }

  private static String post(String at, String content, String pdq, String text) {
    return "{\"type\":\"content\",\"at\":\"2026-11-21T10:00:" + at + "Z\",\"content\":\"" + content
        + "\",\"account\":\"u1\",\"room\":\"r1\",\"surface\":\"group\",\"kind\":\"image\",\"pdq\":\"" + pdq
        + "\",\"text\":\"" + text + "\"}";
  }

  @Test
  void aBankedImageWithAnInviteLinkIsRestrictedAndReviewed() {
    Scenario.given(
            "{\"type\":\"bank\",\"at\":\"2026-11-21T09:00:00Z\",\"op\":\"add\",\"bank\":\"stopncii\","
                + "\"category\":\"ncii\",\"pdq\":\"" + PDQ + "\"}",
            post("01", "c1", "f8f8f0cee0f4a84f06370a22038f63f0b36e2ed596621e1d33e6b39c4e9c9bdd",
                "more at t.me/+AbCdEf123"),
            post("02", "c2", OTHER, "more at t.me/+AbCdEf123"),
            post("03", "c3", OTHER, "lunch?"))
        .policies(PolicyConfig.parse("{\"extra\":[\"dev.haetae.examples.plugin.InviteLinkPolicy\"]}"))
        .engine(b -> b.signalProvider(new InviteLinkSignals()))
        .expect(2, "remove", "review")
        .expectReview(2, "urgent", "recruitment")
        .expectOnly(3, "allow")
        .expectOnly(4, "allow")
        .run();
  }
}
