package dev.haetae.moderation.core.audit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * Seeded fuzzing of {@link StatementsOfReasons#validate}: valid statements with fields dropped,
 * replaced by values of every JSON type, or added, give a list of violations (each naming a field
 * of the statement) and never an exception; a statement whose only change is one field dropped or
 * replaced by a value of the wrong type is refused naming that field (or, for the four decision
 * fields, {@code decision_visibility}); the unchanged statement is accepted. {@code -Plong-fuzz}
 * multiplies the cases by {@code haetae.fuzz.scale}; {@code -Dhaetae.fuzz.seed=N} explores another
 * sequence. A failure prints the seed and case.
 */
class StatementValidationFuzzTest {
  private static final long SEED = Long.getLong("haetae.fuzz.seed", 0x5_0A_2L);
  private static final int CASES = 3000 * Integer.getInteger("haetae.fuzz.scale", 1);
  private static final JsonNodeFactory F = JsonNodeFactory.instance;
  private static final List<String> REQUIRED = List.of("decision_ground", "illegal_content_legal_ground",
      "illegal_content_explanation", "content_type", "category", "territorial_scope", "content_date",
      "application_date", "decision_facts", "source_type", "automated_detection", "automated_decision", "puid");

  private static JsonNode value(Random r) {
    switch (r.nextInt(11)) {
      case 0:
        return F.nullNode();
      case 1:
        return F.booleanNode(r.nextBoolean());
      case 2:
        return F.numberNode(r.nextInt(2001) - 1000);
      case 3:
        return F.numberNode(r.nextBoolean() ? Double.NaN : -r.nextDouble());
      case 4:
        return F.textNode(List.of("", " ", "DE", "2026-02-30", "0000-01-01", "KEYWORD_OTHER", "Yes",
            "STATEMENT_CATEGORY_CYBER_VIOLENCE", "x".repeat(6000), "\uD83D\uDE00".repeat(600), "a\u0000b",
            "<script>", "jane@example.org", "+49 170 1234567").get(r.nextInt(14)));
      case 5:
        return F.arrayNode().add("DECISION_VISIBILITY_OTHER").add(7);
      case 6:
        return F.objectNode().put("EAN-13", "0123456789123");
      case 7:
        return F.objectNode().set("x", F.arrayNode().add(F.objectNode()));
      case 8:
        return F.arrayNode().add("DE").add("DE");
      case 9:
        return F.arrayNode().add(F.nullNode());
      default:
        return F.arrayNode();
    }
  }

  @Test
  void onlyViolationsComeOutNeverExceptions() throws Exception {
    Random r = new Random(SEED);
    List<String> fields = new ArrayList<>(StatementRules.FIELDS);
    fields.sort(null);
    for (int i = 0; i < CASES; i++) {
      ObjectNode s = StatementsOfReasonsTest.valid();
      int edits = 1 + r.nextInt(4);
      for (int k = 0; k < edits; k++) {
        String f = r.nextInt(8) == 0 ? "extra_" + r.nextInt(3) : fields.get(r.nextInt(fields.size()));
        if (r.nextInt(3) == 0) {
          s.remove(f);
        } else {
          s.set(f, value(r));
        }
      }
      try {
        List<StatementsOfReasons.Violation> v = StatementsOfReasons.validate(s, Set.of("Xy7pQ"));
        for (StatementsOfReasons.Violation x : v) {
          assertTrue(s.has(x.field()) || StatementRules.FIELDS.contains(x.field()), x.toString());
          assertFalse(x.problem().isBlank());
          assertTrue(x.toString().length() < 200, x.toString());
        }
      } catch (RuntimeException | AssertionError e) {
        fail("seed " + SEED + " case " + i + ": " + s.toString().substring(0, Math.min(2000, s.toString().length())),
            e);
      }
    }
  }

  @Test
  void aRequiredFieldDroppedOrMistypedIsRefusedByName() throws Exception {
    assertEquals(List.of(), StatementsOfReasons.validate(StatementsOfReasonsTest.valid(), Set.of()));
    Random r = new Random(SEED);
    for (int i = 0; i < CASES / 10; i++) {
      String f = REQUIRED.get(r.nextInt(REQUIRED.size()));
      ObjectNode s = StatementsOfReasonsTest.valid();
      if (r.nextBoolean()) {
        s.remove(f);
      } else {
        s.set(f, r.nextBoolean() ? F.numberNode(r.nextInt()) : F.objectNode());
      }
      List<StatementsOfReasons.Violation> v = StatementsOfReasons.validate(s, Set.of());
      assertTrue(v.stream().anyMatch(x -> x.field().equals(f)), "seed " + SEED + " case " + i + " " + f + ": " + v);
    }
    ObjectNode s = StatementsOfReasonsTest.valid();
    s.remove("decision_visibility");
    assertEquals("decision_visibility", StatementsOfReasons.validate(s, Set.of()).get(0).field());
  }

  @Test
  void notAnObjectIsOneViolation() {
    assertEquals(1, StatementsOfReasons.validate(F.arrayNode(), Set.of()).size());
    assertEquals(1, StatementsOfReasons.validate(F.textNode("x"), Set.of()).size());
  }
}
