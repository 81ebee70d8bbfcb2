package dev.haetae.examples.plugin;

import dev.haetae.moderation.api.spi.Policy;
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
        .expect(2, "remove", "review")
        .expectReview(2, "urgent", "recruitment")
        .expectOnly(3, "allow")
        .expectOnly(4, "allow")
        .run();
  }
}
