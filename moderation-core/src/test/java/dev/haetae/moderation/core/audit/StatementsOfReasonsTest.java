package dev.haetae.moderation.core.audit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import dev.haetae.moderation.api.Category;
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

  static ObjectNode valid() throws Exception {
    return (ObjectNode) Frames.JSON.readTree("{\"decision_visibility\":[\"DECISION_VISIBILITY_CONTENT_REMOVED\"],"
        + "\"decision_ground\":\"DECISION_GROUND_ILLEGAL_CONTENT\",\"illegal_content_legal_ground\":\"TAKE IT DOWN Act\","
        + "\"illegal_content_explanation\":\"NCII\",\"content_type\":[\"CONTENT_TYPE_IMAGE\"],"
        + "\"category\":\"STATEMENT_CATEGORY_CYBER_VIOLENCE\","
        + "\"category_specification\":[\"KEYWORD_NON_CONSENSUAL_IMAGE_SHARING\"],\"territorial_scope\":[\"DE\"],"
        + "\"content_date\":\"2026-01-01\",\"application_date\":\"2026-01-02\",\"decision_facts\":\"Matched a hash.\","
        + "\"source_type\":\"SOURCE_VOLUNTARY\",\"automated_detection\":\"Yes\","
        + "\"automated_decision\":\"AUTOMATED_DECISION_FULLY\",\"puid\":\"abc-123_x\"}");
  }

  /** The one violation a changed statement has, as "field problem". */
  private static String only(ObjectNode s, Set<String> forbidden) {
    List<StatementsOfReasons.Violation> v = StatementsOfReasons.validate(s, forbidden);
    assertEquals(1, v.size(), v.toString());
    return v.get(0).toString();
  }

  @Test
  void theValidatorEnforcesTheDatabaseRules() throws Exception {
    assertEquals(List.of(), StatementsOfReasons.validate(valid(), Set.of()));
    ObjectNode s = valid();
    s.put("puid", "has space");
    assertEquals("puid must contain only a-z, A-Z, 0-9, hyphens and underscores", only(s, Set.of()));
    s = valid();
    s.put("puid", "p".repeat(501));
    assertEquals("puid must not be longer than 500 characters (501)", only(s, Set.of()));
    s = valid();
    s.remove("decision_visibility");
    assertTrue(only(s, Set.of()).startsWith("decision_visibility is required when none of"));
    s = valid();
    s.put("decision_facts", "x".repeat(5001));
    assertEquals("decision_facts must not be longer than 5000 characters (5001)", only(s, Set.of()));
    s = valid();
    s.put("category", "STATEMENT_CATEGORY_NOPE");
    assertEquals("category has a value that is not allowed: \"STATEMENT_CATEGORY_NOPE\"", only(s, Set.of()));
    s = valid();
    s.remove("illegal_content_legal_ground");
    assertEquals("illegal_content_legal_ground is required", only(s, Set.of()));
    s = valid();
    s.put("decision_ground", "DECISION_GROUND_INCOMPATIBLE_CONTENT");
    List<StatementsOfReasons.Violation> v = StatementsOfReasons.validate(s, Set.of());
    assertEquals(List.of(new StatementsOfReasons.Violation("incompatible_content_ground", "is required"),
        new StatementsOfReasons.Violation("incompatible_content_explanation", "is required")), v);
    s = valid();
    s.putArray("content_type").add("CONTENT_TYPE_OTHER");
    assertEquals("content_type_other is required", only(s, Set.of()));
    s = valid();
    s.put("decision_facts", "Contact me at jane@example.org");
    assertEquals("decision_facts contains an e-mail address", only(s, Set.of()));
    s = valid();
    s.put("decision_facts", "Uploaded by Xy7pQ");
    assertEquals("decision_facts contains an identifier of a person or item", only(s, Set.of("Xy7pQ")));
    s = valid();
    s.put("end_date_visibility_restriction", "2026-01-01");
    assertEquals("end_date_visibility_restriction must be a date after or equal to application_date",
        only(s, Set.of()));
    s = valid();
    s.put("application_date", "2019-12-31");
    s.put("content_date", "1999-12-31");
    assertEquals(2, StatementsOfReasons.validate(s, Set.of()).size());
    s = valid();
    s.put("content_language", "en");
    assertEquals("content_language must be an uppercase two-letter ISO 639-1 code", only(s, Set.of()));
    s = valid();
    s.putArray("territorial_scope").add("US");
    assertEquals("territorial_scope has a value that is not allowed: \"US\"", only(s, Set.of()));
  }

  @Test
  void versionOneValuesAreRefused() throws Exception {
    for (String category : List.of("STATEMENT_CATEGORY_NON_CONSENSUAL_BEHAVIOUR",
        "STATEMENT_CATEGORY_SCOPE_OF_PLATFORM_SERVICE", "STATEMENT_CATEGORY_PORNOGRAPHY_OR_SEXUALIZED_CONTENT",
        "STATEMENT_CATEGORY_UNSAFE_AND_ILLEGAL_PRODUCTS")) {
      ObjectNode s = valid();
      s.put("category", category);
      assertEquals("category has a value that is not allowed: \"" + category + "\"", only(s, Set.of()));
    }
    for (String keyword : List.of("KEYWORD_ONLINE_BULLYING_INTIMIDATION", "KEYWORD_NON_CONSENSUAL_ITEMS_DEEPFAKE",
        "KEYWORD_IMAGE_BASED_SEXUAL_ABUSE")) {
      ObjectNode s = valid();
      s.putArray("category_specification").add(keyword);
      assertEquals("category_specification has a value that is not allowed: \"" + keyword + "\"",
          only(s, Set.of()));
    }
  }

  @Test
  void haetaesCategoriesMapToVersionTwoValues() {
    assertEquals("STATEMENT_CATEGORY_CYBER_VIOLENCE", StatementsOfReasons.category(Category.NCII));
    assertEquals("STATEMENT_CATEGORY_CYBER_VIOLENCE", StatementsOfReasons.category(Category.SEXUAL_DEEPFAKE));
    assertEquals("STATEMENT_CATEGORY_CYBER_VIOLENCE", StatementsOfReasons.category(Category.HARASSMENT));
    assertEquals("STATEMENT_CATEGORY_OTHER_VIOLATION_TC", StatementsOfReasons.category(Category.OTHER));
    assertEquals("KEYWORD_NON_CONSENSUAL_MATERIAL_DEEPFAKE",
        StatementsOfReasons.keyword(Category.SEXUAL_DEEPFAKE).orElseThrow());
    for (Category c : Category.values()) {
      assertTrue(StatementRules.CATEGORY.contains(StatementsOfReasons.category(c)), c.toString());
      StatementsOfReasons.keyword(c).ifPresent(k -> {
        assertTrue(StatementRules.KEYWORDS.contains(k), k);
        assertEquals(StatementRules.KEYWORD_CATEGORY.get(k), StatementsOfReasons.category(c), k);
      });
    }
  }
}
