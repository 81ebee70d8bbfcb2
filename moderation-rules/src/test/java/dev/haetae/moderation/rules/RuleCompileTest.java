package dev.haetae.moderation.rules;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.haetae.moderation.core.policy.PolicyConfig;
import dev.haetae.moderation.core.policy.PolicyConfigException;
import org.junit.jupiter.api.Test;

/** Rules are compiled and type-checked at load; every error names the rule, and for the expression line and column. */
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

  @Test
  void aMisspeltFieldNamesRuleLineAndColumn() {
    RuleException e = fails(rule("[\"request.kind == 'content' &&\", \"  matches.exists(m, m.distanse <= 20)\"]", ""));
    assertEquals("r1", e.ruleId().orElseThrow());
    assertEquals(2, e.line());
    assertEquals(22, e.column());                        // CEL points at the field's '.'
    assertEquals("rules[0].when", e.path());
    assertTrue(e.getMessage().contains("undefined field 'distanse'"), e.getMessage());
    assertTrue(e.getMessage().startsWith("rules[0].when: rule 'r1': line 2, column 22:"), e.getMessage());
  }

  @Test
  void anUnknownVariableAndAWrongTypeAreErrors() {
    RuleException v = fails(rule("\"acount.age_days < 7\"", ""));
    assertTrue(v.getMessage().contains("undeclared reference to 'acount'"), v.getMessage());
    assertEquals(1, v.line());
    assertEquals(1, v.column());
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
