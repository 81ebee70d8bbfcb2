package dev.haetae.moderation.core.audit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class StatementsOfReasonsTest {

  @Test
  void everyRestrictiveEngineDecisionExportsAsAValidStatement(@TempDir Path dir) throws Exception {
    EngineLogs.write(dir, 600, 11);
    StatementsOfReasons.Export ex = StatementsOfReasons.export(AuditLog.open(dir), StatementsOfReasons.eea(),
        ProgressListener.NONE);
    assertTrue(ex.violations().isEmpty(), ex.violations().toString());
    assertTrue(ex.statements().size() > 10, "statements: " + ex.statements().size());
    assertEquals(ex.restrictive(), ex.statements().size() + ex.skipped().values().stream().mapToLong(x -> x).sum());
    for (String s : ex.statements()) {
      JsonNode n = Frames.JSON.readTree(s);
      assertTrue(n.get("puid").asText().matches("^[a-zA-Z0-9-_]+$"));
      assertFalse(s.contains("RAWID"), s);
      assertFalse(s.contains("SECRETTEXT"), s);
      assertFalse(s.contains("@"), s);
      assertTrue(Set.of("Yes", "No").contains(n.get("automated_detection").asText()));
    }
    List<String> batches = StatementsOfReasons.batches(ex.statements(), StatementsOfReasons.MAX_BATCH);
    int total = 0;
    for (String b : batches) {
      int k = Frames.JSON.readTree(b).get("statements").size();
      assertTrue(k <= 100);
      total += k;
    }
    assertEquals(ex.statements().size(), total);
  }

  private static ObjectNode valid() throws Exception {
    return (ObjectNode) Frames.JSON.readTree("{\"decision_visibility\":[\"DECISION_VISIBILITY_CONTENT_REMOVED\"],"
        + "\"decision_ground\":\"DECISION_GROUND_ILLEGAL_CONTENT\",\"illegal_content_legal_ground\":\"TAKE IT DOWN Act\","
        + "\"illegal_content_explanation\":\"NCII\",\"content_type\":[\"CONTENT_TYPE_IMAGE\"],"
        + "\"category\":\"STATEMENT_CATEGORY_NON_CONSENSUAL_BEHAVIOUR\","
        + "\"category_specification\":[\"KEYWORD_NON_CONSENSUAL_IMAGE_SHARING\"],\"territorial_scope\":[\"DE\"],"
        + "\"content_date\":\"2026-01-01\",\"application_date\":\"2026-01-02\",\"decision_facts\":\"Matched a hash.\","
        + "\"source_type\":\"SOURCE_VOLUNTARY\",\"automated_detection\":\"Yes\","
        + "\"automated_decision\":\"AUTOMATED_DECISION_FULLY\",\"puid\":\"abc-123_x\"}");
  }

  @Test
  void theValidatorEnforcesTheDatabaseRules() throws Exception {
    assertEquals(List.of(), StatementsOfReasons.validate(valid(), Set.of()));
    ObjectNode s = valid();
    s.put("puid", "has space");
    assertTrue(StatementsOfReasons.validate(s, Set.of()).toString().contains("puid does not match"));
    s = valid();
    s.remove("decision_visibility");
    assertTrue(StatementsOfReasons.validate(s, Set.of()).toString().contains("at least one of"));
    s = valid();
    s.put("decision_facts", "x".repeat(5001));
    assertTrue(StatementsOfReasons.validate(s, Set.of()).toString().contains("longer than 5000"));
    s = valid();
    s.put("category", "STATEMENT_CATEGORY_NOPE");
    assertTrue(StatementsOfReasons.validate(s, Set.of()).toString().contains("not allowed"));
    s = valid();
    s.remove("illegal_content_legal_ground");
    assertTrue(StatementsOfReasons.validate(s, Set.of()).toString().contains("illegal_content_legal_ground is required"));
    s = valid();
    s.put("decision_facts", "Contact me at jane@example.org");
    assertTrue(StatementsOfReasons.validate(s, Set.of()).toString().contains("e-mail"));
    s = valid();
    s.put("decision_facts", "Uploaded by Xy7pQ");
    assertTrue(StatementsOfReasons.validate(s, Set.of("Xy7pQ")).toString().contains("identifier"));
    s = valid();
    s.put("content_date", "2026-02-01");
    assertTrue(StatementsOfReasons.validate(s, Set.of()).toString().contains("after application_date"));
    s = valid();
    s.putArray("territorial_scope").add("US");
    assertFalse(StatementsOfReasons.validate(s, Set.of()).isEmpty());
  }
}
