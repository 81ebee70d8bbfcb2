package dev.haetae.moderation.core.audit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.haetae.moderation.core.engine.PolicyIsolation;
import dev.haetae.moderation.core.simulate.Simulator;
import java.io.StringReader;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The auditor's five questions about one piece of content, answered from the log alone. */
class ExplanationTest {

  @Test
  void theFiveQuestionsAreAnsweredFromTheLog(@TempDir Path dir) throws Exception {
    String stream = "{\"type\":\"account\",\"at\":\"2026-11-21T09:00:00Z\",\"account\":\"rep\",\"created\":\"2025-01-01T00:00:00Z\"}\n"
        + "{\"type\":\"content\",\"at\":\"2026-11-21T10:00:00Z\",\"content\":\"c1\",\"account\":\"u1\",\"room\":\"r1\","
        + "\"surface\":\"group\",\"kind\":\"image\",\"pdq\":\"0f0f0f0f0f0f0f0f0f0f0f0f0f0f0f0f0f0f0f0f0f0f0f0f0f0f0f0f0f0f0f0f\"}\n"
        + "{\"type\":\"content\",\"at\":\"2026-11-21T10:01:00Z\",\"content\":\"c2\",\"account\":\"u1\",\"room\":\"r1\","
        + "\"surface\":\"group\",\"kind\":\"image\",\"pdq\":\"f0f0f0f0f0f0f0f0f0f0f0f0f0f0f0f0f0f0f0f0f0f0f0f0f0f0f0f0f0f0f0f0\"}\n"
        + "{\"type\":\"report\",\"at\":\"2026-11-21T10:05:00Z\",\"reporter\":\"rep\",\"content\":\"c1\",\"category\":\"ncii\"}\n"
        + "{\"type\":\"notice\",\"at\":\"2026-11-21T10:10:00Z\",\"instrument\":\"US-TAKE-IT-DOWN\",\"content\":\"c1\","
        + "\"sender\":\"victim\",\"fields\":{\"signature\":\"/s/ A.\",\"identification\":\"a photo of me\","
        + "\"location\":\"room r1\",\"good_faith_statement\":\"I did not consent\",\"contact\":\"a@example.org\"}}\n";
    Path logDir = dir.resolve("log");
    List<String> out = new ArrayList<>();
    Simulator.builder().onError(Simulator.OnError.STOP).output(out::add)
        .errors(e -> { throw new AssertionError(e.toString()); })
        .engine(b -> b.policyIsolation(PolicyIsolation.INLINE).decisionLog(DecisionLogs.directory(logDir).build()))
        .build().run(new StringReader(stream), dir);
    String noticeDecision = null;
    for (String line : out) {
      JsonNode n = Frames.JSON.readTree(line);
      if ("notice".equals(n.path("type").asText())) {
        noticeDecision = n.get("decision").asText();
      }
    }
    AuditLog audit = AuditLog.open(logDir);
    Explanation x = Explanation.ofDecision(audit, noticeDecision, ProgressListener.NONE);
    assertEquals(3, x.decisions(), "the upload, the report and the notice, not c2's upload");
    String text = x.toText();
    assertTrue(text.contains("request:  notice"), text);
    assertTrue(text.contains("under US-TAKE-IT-DOWN, by sender victim"), "who asked, and under what: " + text);
    assertTrue(text.contains("user report (ncii), by reporter "), "the reporter, as a pseudonym: " + text);
    assertTrue(text.contains("actions:  remove"), "why it was removed: " + text);
    assertTrue(text.contains("ground: law, "), "the legal ground: " + text);
    assertTrue(text.contains("policy legal-notice@"), "the policy version: " + text);
    assertTrue(text.contains("policies in force: configuration "), text);
    assertTrue(text.contains("deadline 2026-11-23T10:10:00Z, decided at 2026-11-21T10:10:00Z, unconfirmed: no host"
        + " confirmation recorded"), "the deadline, not met until the host confirms: " + text);
    assertTrue(text.contains("host:     no confirmation recorded"), text);
    JsonNode json = Frames.JSON.readTree(x.toJson());
    assertEquals(3, json.get("decisions").size());
    assertEquals("US-TAKE-IT-DOWN", json.get("obligations").get(0).get("instrument").asText());
    assertTrue(json.get("obligations").get(0).get("outcome").asText().startsWith("decided at"));
    // the same content asked for by its logged id
    String logged = x.content();
    assertEquals(x.toJson(), Explanation.ofContent(audit, logged, ProgressListener.NONE).toJson());
    assertThrows(IllegalArgumentException.class, () -> Explanation.ofDecision(audit, "nope", ProgressListener.NONE));
    assertThrows(IllegalArgumentException.class, () -> Explanation.ofContent(audit, "nope", ProgressListener.NONE));
  }
}
