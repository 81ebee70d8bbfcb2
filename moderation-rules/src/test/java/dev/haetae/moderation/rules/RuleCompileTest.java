package dev.haetae.moderation.rules;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.haetae.moderation.core.policy.PolicyConfig;
import dev.haetae.moderation.core.policy.PolicyConfigException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Rules are compiled and type-checked at load; every error names the rule and the configuration file's line and column. */
class RuleCompileTest {

  static String rule(String when, String extra) {
    return "{\"rules\": [{\"id\": \"r1\", \"version\": \"1\", \"when\": " + when + ", \"actions\": [\"review\"],"
        + " \"reason\": \"test\"" + extra + "}]}";
  }

  static RuleException fails(String config) {
    PolicyConfigException e = assertThrows(PolicyConfigException.class, () -> PolicyConfig.parse(config));
    assertTrue(e instanceof RuleException, e.toString());
    return (RuleException) e;
  }

  /** A configuration file of several lines; the tests below find their expected positions in it. */
  static final String FILE = String.join("\n",
      "{",
      "  \"version\": 1,",
      "  \"rules\": [",
      "    {\"id\": \"r1\", \"version\": \"1\",",
      "     \"when\": [\"request.kind == 'content' &&\",",
      "              \"  matches.exists(m, m.distance <= 20)\"],",
      "     \"actions\": [\"review\"], \"reason\": \"x\"},",
      "    {\"id\": \"r2\", \"version\": \"1\",",
      "     \"when\": \"request.kind == \\\"content\\\" && account.age_days < 7\",",
      "     \"actions\": [\"review\"], \"reason\": \"y\"}",
      "  ]",
      "}");

  /** The 1-based line and column of the first {@code needle} in {@code text}, plus {@code shift} columns. */
  static int[] where(String text, String needle, int shift) {
    int at = text.indexOf(needle);
    assertTrue(at >= 0, needle);
    String before = text.substring(0, at);
    int line = (int) before.chars().filter(c -> c == '\n').count() + 1;
    return new int[] {line, at - before.lastIndexOf('\n') + shift};
  }

  static void assertAt(int[] expected, RuleException e) {
    assertEquals(expected[0] + ":" + expected[1], e.line() + ":" + e.column(), e.getMessage());
    assertTrue(e.getMessage().contains("line " + expected[0] + ", column " + expected[1] + ": "), e.getMessage());
  }

  @Test
  void theExampleFileLoads() {
    assertEquals(2, PolicyConfig.parse(FILE).extra().size());
  }

  @Test
  void aMisspeltFieldInAnArrayOfLinesIsPlacedInTheFile(@TempDir Path dir) throws Exception {
    Path file = dir.resolve("policies.json");
    String text = FILE.replace("m.distance", "m.distanse");
    Files.writeString(file, text);
    RuleException e = assertThrows(RuleException.class, () -> PolicyConfig.load(file));
    assertEquals("r1", e.ruleId().orElseThrow());
    assertEquals("rules[0].when", e.path());
    assertTrue(e.getMessage().contains("undefined field 'distanse'"), e.getMessage());
    assertAt(where(text, "m.distanse", 1), e);            // line 6, at the field's '.' (where CEL points)
    assertEquals(6, e.line());
    // the same with Windows line ends
    Files.writeString(file, text.replace("\n", "\r\n"));
    assertAt(where(text, "m.distanse", 1), assertThrows(RuleException.class, () -> PolicyConfig.load(file)));
  }

  @Test
  void aWrongTypeAfterEscapesIsPlacedInTheFile() {
    String text = FILE.replace("age_days < 7", "age_days < '7'");
    RuleException e = fails(text);
    assertEquals("r2", e.ruleId().orElseThrow());
    assertTrue(e.getMessage().contains("no matching overload"), e.getMessage());
    assertAt(where(text, "< '7'", 0), e);                 // the operator, counted past the two \" escapes
    RuleException v = fails(FILE.replace("account.age_days", "acount.age_days"));
    assertTrue(v.getMessage().contains("undeclared reference to 'acount'"), v.getMessage());
    assertAt(where(FILE, "account.age_days", 0), v);
  }

  @Test
  void aMissingGroundAndAMisspeltKeyArePlacedInTheFile() {
    String noGround = FILE.replace("[\"review\"], \"reason\": \"y\"", "[\"remove\"], \"reason\": \"y\"");
    RuleException g = fails(noGround);
    assertEquals("rules[1].ground", g.path());
    assertEquals("r2", g.ruleId().orElseThrow());
    assertAt(where(noGround, "{\"id\": \"r2\"", 0), g);   // the rule that lacks it
    String misspelt = FILE.replace("\"reason\": \"y\"", "\"raeson\": \"y\"");
    RuleException k = fails(misspelt);
    assertEquals("rules[1].raeson", k.path());
    assertAt(where(misspelt, "\"raeson\"", 0), k);
    String wrongType = FILE.replace("\"version\": \"1\",\n     \"when\": \"request", "\"version\": 1,\n     \"when\": \"request");
    RuleException t = fails(wrongType);
    assertEquals("rules[1].version", t.path());
    assertAt(where(wrongType, "\"version\": 1,\n     \"when\": \"request", 0), t);
  }

  @Test
  void anUnknownVariableAndAWrongTypeAreErrors() {
    RuleException v = fails(rule("\"acount.age_days < 7\"", ""));
    assertTrue(v.getMessage().contains("undeclared reference to 'acount'"), v.getMessage());
    assertEquals(1, v.line());
    assertEquals(rule("\"acount.age_days < 7\"", "").indexOf("acount") + 1, v.column());
    RuleException t = fails(rule("\"account.age_days < '7'\"", ""));
    assertTrue(t.getMessage().contains("no matching overload"), t.getMessage());
    RuleException notBool = fails(rule("\"size(matches)\"", ""));
    assertTrue(notBool.getMessage().contains("expected type 'bool'"), notBool.getMessage());
    RuleException syntax = fails(rule("\"account.strikes >\"", ""));
    assertEquals(1, syntax.line());
  }

  @Test
  void aRestrictiveActionWithoutAGroundIsAnError() {
    RuleException e = fails("{\"rules\": [{\"id\": \"r1\", \"version\": \"1\", \"when\": \"true\", \"actions\": [\"remove\"],"
        + " \"reason\": \"x\"}]}");
    assertEquals("rules[0].ground", e.path());
    assertTrue(e.getMessage().contains("'remove' restricts someone"), e.getMessage());
    // review alone needs no ground
    assertEquals(1, PolicyConfig.parse(rule("\"true\"", "")).extra().size());
  }

  @Test
  void malformedRulesNameTheirPlace() {
    assertEquals("rules[0].id", fails("{\"rules\": [{\"id\": \"Bad Id\"}]}").path());
    assertEquals("rules[1].id", fails("{\"rules\": [" + rule("\"true\"", "").substring(11, rule("\"true\"", "").length() - 2)
        + ", " + rule("\"true\"", "").substring(11, rule("\"true\"", "").length() - 2) + "]}").path());
    assertEquals("rules[0].colour", fails(rule("\"true\"", ", \"colour\": 1")).path());
    assertEquals("rules[0].mode", fails(rule("\"true\"", ", \"mode\": \"loud\"")).path());
    assertEquals("rules[0].category", fails(rule("\"true\"", ", \"category\": \"nciii\"")).path());
    assertEquals("rules[0].actions[0]", fails(rule("\"true\"", "").replace("[\"review\"]", "[\"delete\"]")).path());
    assertEquals("rules[0].actions[0].suspend",
        fails(rule("\"true\"", ", \"ground\": {\"terms\": \"a\", \"explanation\": \"b\"}")
            .replace("[\"review\"]", "[{\"suspend\": \"30 days\"}]")).path());
    assertEquals("rules[0].ground", fails(rule("\"true\"", ", \"ground\": {\"law\": \"a\", \"terms\": \"b\","
        + " \"explanation\": \"c\"}")).path());
    assertEquals("rules", fails("{\"rules\": {}}").path());
    assertEquals("rules[0].when", fails(rule("\"  \"", "")).path());
    assertEquals("rules[0].when", fails(rule("\"" + "a || ".repeat(2000) + "true\"", "")).path());
  }

  @Test
  void theLimitsHoldAtEvaluationAndFailOnlyThatRule() {
    PolicyConfig c = PolicyConfig.parse(rule("\"[1,2,3,4,5,6,7,8,9,10].all(a, [1,2,3,4,5,6,7,8,9,10].all(b,"
        + " [1,2,3,4,5,6,7,8,9,10].all(c, [1,2,3,4,5,6,7,8,9,10].all(d, [1,2,3,4,5,6,7,8,9,10].all(e, true)))))\"", ""));
    RulePolicy p = (RulePolicy) c.extra().get(0);
    RuleEvaluationException e = assertThrows(RuleEvaluationException.class,
        () -> p.evaluate(dev.haetae.moderation.testkit.EvidenceSamples.edgeCases().get(0)));
    assertEquals("r1", e.ruleId());
    assertTrue(e.getMessage().contains("Iteration budget exceeded") || e.getMessage().contains("iteration"),
        e.getMessage());
    RulePolicy regex = (RulePolicy) PolicyConfig.parse(rule("\"'abc'.matches('(a|b|c|d|e|f|g|h){1,999}')\"", ""))
        .extra().get(0);
    RuleEvaluationException r = assertThrows(RuleEvaluationException.class,
        () -> regex.evaluate(dev.haetae.moderation.testkit.EvidenceSamples.edgeCases().get(0)));
    assertTrue(r.getMessage().contains("program size"), r.getMessage());
  }

  @Test
  void rulesWithoutTheModuleAreRejectedNotIgnored() {
    PolicyConfigException e = assertThrows(PolicyConfigException.class, () -> PolicyConfig.parse(rule("\"true\"", ""),
        new ClassLoader(null) {}));
    assertEquals("rules", e.path());
    assertTrue(e.getMessage().contains("moderation-rules"), e.getMessage());
  }
}
