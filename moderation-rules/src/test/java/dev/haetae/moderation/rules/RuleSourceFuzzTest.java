package dev.haetae.moderation.rules;

import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import dev.haetae.moderation.api.Evidence;
import dev.haetae.moderation.api.spi.Policy;
import dev.haetae.moderation.core.policy.PolicyConfig;
import dev.haetae.moderation.core.policy.PolicyConfigException;
import dev.haetae.moderation.testkit.EvidenceSamples;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * The rule source surface under random and mutated input: loading gives a configuration or a
 * {@link PolicyConfigException} (a {@link RuleException} for anything inside a rule), and
 * evaluating a rule that loaded gives an outcome or a {@link RuleEvaluationException}; nothing
 * else comes out. Quick seeded mode by default; {@code -Plong-fuzz} runs 20,000 cases.
 */
class RuleSourceFuzzTest {
  private static final int CASES = Integer.getInteger("haetae.fuzz.cases", 200);
  private static final List<Evidence> EVIDENCE = EvidenceSamples.all(7, 5);

  private static final String[] SEEDS = {
      "matches.exists(m, m.category == 'ncii' && m.distance <= 20) && account.age_days < 7",
      "request.kind == 'content' && room.matches_in_window >= 3",
      "reports.exists(r, r.weight > 2.5 && !r.brigading_suspected)",
      "obligations.all(o, o.hours_left > 0)",
      "text_findings.exists(t, 'phone' in t.details)",
      "custom.exists(c, c.provider == 'spam' && c.attributes['score'] == 'high')",
      "'not_hashed' in signals || notice.valid",
      "request.surface.matches('^pub') && size(photo_copies) > 0",
      "matches.map(m, m.distance).filter(d, d < 10).size() > 1",
      "account.strikes * 2 + 1 > 4 ? true : account.suspended",
  };
  private static final String[] TOKENS = {
      "(", ")", "[", "]", "{", "}", ".", ",", "?", ":", "&&", "||", "!", "==", "!=", "<", "<=", ">", "+", "-", "*",
      "/", "%", "in", "true", "false", "null", "1", "0", "-9223372036854775808", "1.5e308", "'x'", "\"y\"", "b'z'",
      "matches", "account", "request", "m", "exists", "all", "map", "filter", "size", "has", "int", "string",
      "dyn", "type", "matches('(a*)*b')", "\\u0000", "\u00e9", "\ud83d\ude00", "\n", " ", "`", "\\", "e(", "1u",
      "[1,2,3].all(a, [1,2,3].all(b, true))",
  };

  @Test
  void onlyDocumentedExceptionsComeOut() {
    Random rnd = new Random(20261205L);
    int loaded = 0;
    int rejected = 0;
    for (int i = 0; i < CASES; i++) {
      String when = expression(rnd);
      String config = rnd.nextInt(10) == 0 ? mangle(rnd, config(when, rnd)) : config(when, rnd);
      if (rnd.nextBoolean()) {                             // spread over lines, as files are
        config = config.replace(", \"", rnd.nextBoolean() ? ",\n  \"" : ",\r\n\t\"");
      }
      PolicyConfig c;
      try {
        c = PolicyConfig.parse(config);
      } catch (PolicyConfigException e) {
        rejected++;
        assertTrue(e.getMessage() != null && !e.getMessage().isBlank());
        if (e instanceof RuleException) {                  // a place inside the configuration text
          RuleException r = (RuleException) e;
          String[] lines = config.split("\r\n|\r|\n", -1);
          assertTrue(r.line() >= 1 && r.line() <= lines.length && r.column() >= 1
              && r.column() <= lines[r.line() - 1].length() + 1, "case " + i + ": " + r.getMessage() + " in " + config);
        }
        continue;
      } catch (RuntimeException | StackOverflowError e) {
        throw new AssertionError("case " + i + " threw " + e + " for " + config, e);
      }
      loaded++;
      List<Policy> rules = new ArrayList<>(c.extra());
      rules.addAll(c.shadow());
      for (Policy p : rules) {
        for (Evidence e : EVIDENCE) {
          try {
            p.evaluate(e);
          } catch (RuleEvaluationException expected) {
            // documented: the engine records the failure
          } catch (RuntimeException | StackOverflowError t) {
            fail("case " + i + " evaluation threw " + t + " for " + when, t);
          }
        }
      }
    }
    assertTrue(loaded > CASES / 10, "too few cases loaded to exercise evaluation: " + loaded);
    assertTrue(rejected > CASES / 10, "too few cases rejected to exercise errors: " + rejected);
  }

  private static String expression(Random rnd) {
    String base = SEEDS[rnd.nextInt(SEEDS.length)];
    switch (rnd.nextInt(4)) {
      case 0:
        return base;
      case 1: {                                            // replace a span with tokens
        int a = rnd.nextInt(base.length());
        int b = Math.min(base.length(), a + rnd.nextInt(8));
        StringBuilder sb = new StringBuilder(base.substring(0, a));
        for (int k = rnd.nextInt(3); k >= 0; k--) {
          sb.append(' ').append(TOKENS[rnd.nextInt(TOKENS.length)]);
        }
        return sb.append(base.substring(b)).toString();
      }
      case 2: {                                            // random token soup
        StringBuilder sb = new StringBuilder();
        for (int k = 1 + rnd.nextInt(12); k > 0; k--) {
          sb.append(TOKENS[rnd.nextInt(TOKENS.length)]).append(rnd.nextBoolean() ? " " : "");
        }
        return sb.toString();
      }
      default: {                                           // deep nesting
        int depth = rnd.nextInt(200);
        return "(".repeat(depth) + base + ")".repeat(rnd.nextInt(depth + 1));
      }
    }
  }

  private static String config(String when, Random rnd) {
    String quoted = JsonNodeFactory.instance.textNode(when).toString();
    String actions = rnd.nextBoolean() ? "[\"review\"]" : "[\"remove\", {\"suspend\": \"P7D\"}]";
    String ground = rnd.nextInt(3) == 0 ? "" : ", \"ground\": {\"terms\": \"ToS 1\", \"explanation\": \"x\"}";
    return "{\"rules\": [{\"id\": \"f" + rnd.nextInt(5) + "\", \"version\": \"1\", \"when\": " + quoted
        + ", \"actions\": " + actions + ", \"reason\": \"fuzz\"" + ground
        + (rnd.nextBoolean() ? ", \"mode\": \"shadow\"" : "") + "}]}";
  }

  private static String mangle(Random rnd, String json) {
    StringBuilder sb = new StringBuilder(json);
    for (int k = 1 + rnd.nextInt(3); k > 0; k--) {
      int at = rnd.nextInt(sb.length());
      switch (rnd.nextInt(3)) {
        case 0 -> sb.deleteCharAt(at);
        case 1 -> sb.insert(at, "{}[],:\"0a".charAt(rnd.nextInt(9)));
        default -> sb.setCharAt(at, (char) rnd.nextInt(128));
      }
    }
    return sb.toString();
  }
}

