package dev.haetae.moderation.core.policy;

import static dev.haetae.moderation.core.policy.Streams.PDQ;
import static dev.haetae.moderation.core.policy.Streams.T;
import static dev.haetae.moderation.core.policy.Streams.bank;
import static dev.haetae.moderation.core.policy.Streams.image;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.haetae.moderation.api.PolicyId;
import dev.haetae.moderation.api.spi.Policy;
import java.util.List;
import org.junit.jupiter.api.Test;

class PolicyConfigTest {

  private static PolicyConfigException invalid(String json) {
    return assertThrows(PolicyConfigException.class, () -> PolicyConfig.parse(json));
  }

  @Test
  void errorsNameTheExactPlace() {
    assertEquals("policies.known-ncii.certian_fraction", invalid(
        "{\"policies\":{\"known-ncii\":{\"certian_fraction\":0.5}}}").path());
    assertEquals("policies.repeat-offender.suspend_at", invalid(
        "{\"policies\":{\"repeat-offender\":{\"restrict_forwarding_at\":3,\"suspend_at\":2}}}").path());
    assertEquals("policies.csam.preserve", invalid("{\"policies\":{\"csam\":{\"preserve\":\"a year\"}}}").path());
    assertEquals("policies.room-escalation.min_matches", invalid(
        "{\"policies\":{\"room-escalation\":{\"min_matches\":\"3\"}}}").path());
    assertEquals("policies.known-ncii.categories[1]", invalid(
        "{\"policies\":{\"known-ncii\":{\"categories\":[\"ncii\",\"deepfakes\"]}}}").path());
    assertEquals("policies.known-ncii.categories", invalid(
        "{\"policies\":{\"known-ncii\":{\"categories\":[\"csam\"]}}}").path());
    assertEquals("policies.nsfw", invalid("{\"policies\":{\"nsfw\":{}}}").path());
    assertEquals("policies.reports.weight", invalid("{\"policies\":{\"reports\":{\"weight\":1}}}").path());
    assertEquals("policies.doxxing.enabled", invalid("{\"policies\":{\"doxxing\":{\"enabled\":\"no\"}}}").path());
    assertEquals("extra[0]", invalid("{\"extra\":[\"com.example.Missing\"]}").path());
    assertEquals("extra[0]", invalid("{\"extra\":[\"java.lang.String\"]}").path());
    assertEquals("shadow[0]", invalid("{\"shadow\":[{\"builtin\":\"csam\",\"class\":\"x\"}]}").path());
    assertEquals("shadow[0].config.authority", invalid(
        "{\"shadow\":[{\"builtin\":\"csam\",\"config\":{\"authority\":\"\"}}]}").path());
    assertEquals("polices", invalid("{\"polices\":{}}").path());
    PolicyConfigException syntax = invalid("{\"policies\":\n{\"csam\":}}");
    assertTrue(syntax.getMessage().contains("line 2"), syntax.getMessage());
    assertTrue(invalid("{\"policies\":{\"nsfw\":{}}}").getMessage().contains("known: known-ncii"));
  }

  @Test
  void theHashCoversTheEffectiveConfigurationNotItsSpelling() {
    PolicyConfig a = PolicyConfig.parse("{\"policies\":{\"csam\":{\"authority\":\"NCMEC\"}}}");
    PolicyConfig b = PolicyConfig.parse("{ \"version\": 1 }");
    PolicyConfig c = PolicyConfig.parse("{\"policies\":{\"csam\":{\"authority\":\"KNPA\"}}}");
    assertEquals(PolicyConfig.defaults().hash(), a.hash());
    assertEquals(a.hash(), b.hash());
    assertNotEquals(a.hash(), c.hash());
    assertEquals(64, a.hash().length());
    assertNotEquals(id(a, "csam"), id(c, "csam"));
    assertEquals(id(a, "known-ncii"), id(c, "known-ncii"));
  }

  @Test
  void decisionsNameTheExactPolicyConfiguration() {
    PolicyConfig c = PolicyConfig.parse("{\"policies\":{\"known-ncii\":{\"preserve\":\"P365D\"}}}");
    Streams.Run r = Streams.run(c, bank("ncii", "pdq", PDQ), image(T + "01Z", "c1", "u1", "r1", "group", PDQ, null));
    assertTrue(r.summary().describe().contains(c.hash()));
    assertNotEquals(id(c, "known-ncii"), id(PolicyConfig.defaults(), "known-ncii"));
  }

  @Test
  void policiesCanBeDisabledAndTheUntouchedOnesStayInThePack() {
    PolicyConfig c = PolicyConfig.parse("{\"policies\":{\"doxxing\":{\"enabled\":false}}}");
    List<String> names = c.builtIn().stream().map(p -> p.id().name()).toList();
    assertTrue(!names.contains("doxxing") && names.contains("reports") && names.contains("legal-notice")
        && names.contains("appeal"), names.toString());
    assertEquals(PolicyConfig.builtInNames().size(), PolicyPack.defaults().size());
  }

  private static PolicyId id(PolicyConfig c, String name) {
    for (Policy p : c.builtIn()) {
      if (p.id().name().equals(name)) {
        return p.id();
      }
    }
    throw new AssertionError(name);
  }
}
