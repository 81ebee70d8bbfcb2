package dev.haetae.moderation.testkit;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;

class ScenarioTest {
  private static final String PDQ = "f8f8f0cee0f4a84f06370a22038f63f0b36e2ed596621e1d33e6b39c4e9c9b22";
  private static final String BANK = "{\"type\":\"bank\",\"at\":\"2026-11-21T09:00:00Z\",\"op\":\"add\",\"bank\":\"stopncii\","
      + "\"category\":\"ncii\",\"pdq\":\"" + PDQ + "\"}";
  private static final String UPLOAD = "{\"type\":\"content\",\"at\":\"2026-11-21T10:00:00Z\",\"content\":\"c1\","
      + "\"account\":\"u1\",\"room\":\"r1\",\"surface\":\"group\",\"kind\":\"image\",\"pdq\":\"" + PDQ + "\"}";

  @Test
  void expectationsThatHoldPass() {
    Scenario.given(BANK, UPLOAD)
        .expect(2, "remove", "block_reupload")
        .expectNot(2, "suspend_account")
        .expectOnly(2, "remove", "block_reupload", "preserve_evidence", "notify_user")
        .expectThat("one decision", r -> r.summary().decisions() == 1)
        .run();
  }

  @Test
  void everyUnmetExpectationAndMalformedLineIsReportedAtOnce() {
    AssertionError e = assertThrows(AssertionError.class, () -> Scenario.given(BANK, UPLOAD, "{oops")
        .expect(2, "suspend_account")
        .expectReview(2, "urgent", "room")
        .run());
    assertTrue(e.getMessage().contains("line 3"), e.getMessage());
    assertTrue(e.getMessage().contains("expected suspend_account"), e.getMessage());
    assertTrue(e.getMessage().contains("urgent review"), e.getMessage());
  }

  @Test
  void theShippedQuickstartScenario() {
    Scenario.fromFile(Path.of("../examples/scenarios/quickstart.jsonl"))
        .expect(4, "remove")
        .expectObligation("opened", "c2")
        .run();
  }

  @Test
  void theDeepfakeRoomsScenarioExercisesTheWholePack() {
    Scenario.Result r = Scenario.fromFile(Path.of("../examples/scenarios/deepfake-rooms.jsonl"))
        .policies(dev.haetae.moderation.core.policy.PolicyConfig.load(Path.of("../examples/scenarios/policies.json")))
        .expectOnly(5, "remove", "block_reupload", "preserve_evidence", "notify_user")
        .expectReview(7, "high", "room")
        .expectReview(8, "urgent", "doxxing")
        .expect(8, "notify_user")
        .expectNot(8, "remove")
        .expectOnly(10, "restrict_forwarding")
        .expect(12, "report_authority")
        .expectNot(12, "notify_user")
        // line 14's verdict asks a second reviewer before it strikes or banks (four eyes); line 15's confirms
        .expectReview(14, "urgent", "second_review")
        .expect(15, "block_reupload")
        .expect(16, "suspend_account")
        .run();
    assertTrue(r.summary().shadowReport().contains("2 of 14 decisions would differ"), r.summary().shadowReport());
  }
}
