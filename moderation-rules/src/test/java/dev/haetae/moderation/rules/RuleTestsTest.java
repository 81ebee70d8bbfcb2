package dev.haetae.moderation.rules;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The rule test file format: expectations per stream line, and every rule exercised. */
class RuleTestsTest {
  static Path example(String name) throws URISyntaxException {
    return Path.of(RuleTestsTest.class.getResource("/rules-example/" + name).toURI());
  }

  static final ClassLoader LOADER = RuleTestsTest.class.getClassLoader();

  @Test
  void theExamplePasses() throws Exception {
    RuleTests.Result r = RuleTests.run(example("ncii.test.json"), LOADER);
    assertTrue(r.passed(), r.failures().toString());
    assertEquals(8, r.checks());
  }

  @Test
  void failuresSayWhatHappenedInstead() throws Exception {
    RuleTests.Result r = RuleTests.run(example("failing.test.json"), LOADER);
    assertEquals(2, r.failures().size(), r.failures().toString());
    assertTrue(r.failures().get(0).startsWith("line 5: rule 'ncii-new-account' did not fire (expected it to fire)"),
        r.failures().get(0));
    assertTrue(r.failures().get(1).contains("no action 'report_authority'"), r.failures().get(1));
  }

  @Test
  void aRuleThatFiresNowhereFailsTheTest(@TempDir Path dir) throws Exception {
    Files.copy(example("policies.json"), dir.resolve("policies.json"));
    Files.writeString(dir.resolve("t.json"), "{\"policies\": \"policies.json\", \"events\": [{\"type\":\"account\","
        + "\"at\":\"2026-11-21T09:01:00Z\",\"account\":\"a\",\"created\":\"2026-11-19T00:00:00Z\","
        + "\"trusted_flagger\":false}], \"expect\": []}");
    RuleTests.Result r = RuleTests.run(dir.resolve("t.json"), LOADER);
    assertEquals(2, r.failures().size(), r.failures().toString());
    assertTrue(r.failures().get(0).contains("'ncii-new-account' fired on no line"), r.failures().get(0));
  }

  @Test
  void malformedTestFilesNameTheProblem(@TempDir Path dir) throws Exception {
    Files.copy(example("policies.json"), dir.resolve("policies.json"));
    Path t = dir.resolve("t.json");
    Files.writeString(t, "{\"policies\": \"policies.json\", \"events\": [], \"expect\": [{\"line\": 1, \"fires\":"
        + " \"no-such-rule\"}]}");
    assertTrue(assertThrows(IllegalArgumentException.class, () -> RuleTests.run(t, LOADER)).getMessage()
        .contains("names rule 'no-such-rule'"));
    Files.writeString(t, "{\"policies\": {\"rules\": [{\"id\": \"x\"}]}, \"events\": [], \"expect\": []}");
    IllegalArgumentException bad = assertThrows(IllegalArgumentException.class, () -> RuleTests.run(t, LOADER));
    assertTrue(bad.getCause() instanceof RuleException, bad.toString());
    Files.writeString(t, "{\"policies\": {}, \"events\": [{\"type\": \"nope\"}], \"expect\": []}");
    assertTrue(assertThrows(IllegalArgumentException.class, () -> RuleTests.run(t, LOADER)).getMessage()
        .contains("events"));
    Files.writeString(t, "{\"policies\": {}, \"events\": [], \"expect\": [{\"fires\": \"x\"}]}");
    assertTrue(assertThrows(IllegalArgumentException.class, () -> RuleTests.run(t, LOADER)).getMessage()
        .contains("needs \"line\""));
    Files.writeString(t, "{\"policies\": {}, \"events\": [], \"expect\": [], \"extra\": 1}");
    assertTrue(assertThrows(IllegalArgumentException.class, () -> RuleTests.run(t, LOADER)).getMessage()
        .contains("unknown key extra"));
  }
}
