package dev.haetae.moderation.core.audit;

import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.file.Path;
import java.util.AbstractMap;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The database's answers are input too: seeded random statuses and bodies (not JSON, JSON of the
 * wrong shape, errors naming statements that do not exist, hostile text) make a submission return
 * a result or fail with its documented {@code SubmissionException}, never anything else, and it
 * always ends (each 422 removes at least one statement, retries are bounded). {@code -Plong-fuzz}
 * multiplies the cases by {@code haetae.fuzz.scale}. A failure prints the seed and case.
 */
class SorSubmissionFuzzTest {
  private static final long SEED = Long.getLong("haetae.fuzz.seed", 0x50_12L);
  private static final int CASES = 150 * Integer.getInteger("haetae.fuzz.scale", 1);
  private static final List<Integer> STATUSES = List.of(200, 201, 204, 301, 400, 401, 404, 413, 422, 422, 422, 429,
      500, 502, 503);
  private static final List<String> BODIES = List.of("", "not json", "[]", "null", "{}", "{\"errors\":[]}",
      "{\"errors\":{}}", "{\"errors\":{\"statement_0\":{\"puid\":[\"The identifier given is not unique within"
          + " this platform.\"]}}}", "{\"errors\":{\"statement_1\":{\"category\":\"bad\"}}}",
      "{\"errors\":{\"statement_99\":{\"x\":[1,2]}}}", "{\"errors\":{\"puid\":[\"required\"]}}",
      "{\"errors\":{\"statement_0\":\"</script>\\u0000\"}}", "{\"errors\":{\"statement_2\":{\"a\":null}}}",
      "\u0000\u0001<html>", "{\"message\":" + "\"x".repeat(1) + "\"}");

  @Test
  void anyAnswerGivesAResultOrTheDocumentedException(@TempDir Path dir) throws Exception {
    Random r = new Random(SEED);
    List<String> statements = new ArrayList<>();
    for (int i = 0; i < 3; i++) {
      ObjectNode s = StatementsOfReasonsTest.valid();
      s.put("puid", "p-" + i);
      statements.add(Frames.JSON.writeValueAsString(s));
    }
    int results = 0;
    int failures = 0;
    try (FakeTransparencyDatabase db = new FakeTransparencyDatabase()) {
      for (int i = 0; i < CASES; i++) {
        db.scriptedBodies.clear();
        for (int k = 0; k < 6; k++) {
          db.scriptedBodies.add(new AbstractMap.SimpleEntry<>(STATUSES.get(r.nextInt(STATUSES.size())),
              BODIES.get(r.nextInt(BODIES.size()))));
        }
        SorSubmission sub = SorSubmission.builder(db.base(), FakeTransparencyDatabase.TOKEN,
            dir.resolve("cp-" + i)).maxAttempts(3).sleeper(d -> { }).build();
        try {
          sub.submit(statements);
          results++;
        } catch (SorSubmission.SubmissionException expected) {
          failures++;
        } catch (RuntimeException ex) {
          fail("seed " + SEED + ", case " + i + ": unexpected " + ex + " for " + db.scriptedBodies, ex);
        }
      }
    }
    assertTrue(results > 0 && failures > 0, results + " results, " + failures + " failures");
  }
}
