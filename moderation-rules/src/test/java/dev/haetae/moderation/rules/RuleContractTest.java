package dev.haetae.moderation.rules;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.haetae.moderation.api.AccountId;
import dev.haetae.moderation.api.Category;
import dev.haetae.moderation.api.Evidence;
import dev.haetae.moderation.api.MatchType;
import dev.haetae.moderation.api.RoomId;
import dev.haetae.moderation.api.Signal;
import dev.haetae.moderation.api.spi.Policy;
import dev.haetae.moderation.core.policy.PolicyConfig;
import dev.haetae.moderation.testkit.PolicyContract;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

/** The rules contract on the example configuration (and the test kit's policy contract on one rule), and the contract's own failures. */
class RuleContractTest {
  static final PolicyConfig CONFIG = PolicyConfig.parse(RulesEngineTest.CONFIG);

  static Policy rule(String id) {
    List<Policy> all = new ArrayList<>(CONFIG.extra());
    all.addAll(CONFIG.shadow());
    return all.stream().filter(p -> p.id().name().equals("rule:" + id)).findFirst().orElseThrow();
  }

  /** The kit's samples plus evidence over an image upload with the signals the rules read. */
  static List<Evidence> withRuleEvidence(List<Evidence> samples) {
    List<Evidence> out = new ArrayList<>(samples);
    Evidence upload = samples.stream().filter(e -> e.request() instanceof dev.haetae.moderation.api.ContentEvent)
        .findFirst().orElseThrow();
    for (int age = 0; age < 10; age++) {
      List<Signal> s = List.of(
          new Signal.HashMatch("stopncii", 1, Category.NCII, MatchType.PDQ, "e1", age * 3, 31, 90, false),
          new Signal.AccountStanding(AccountId.of("u1"), 0, false, Optional.of(Duration.ofDays(age))),
          new Signal.RoomActivity(RoomId.of("r1"), age % 3, Duration.ofHours(24)));
      out.add(new Evidence(upload.now(), upload.request(), s, Map.of()));
    }
    return out;
  }

  /** The example configuration without its deliberately failing rule. */
  static final String EXAMPLE = RulesEngineTest.CONFIG.substring(0, RulesEngineTest.CONFIG.lastIndexOf(",",
      RulesEngineTest.CONFIG.indexOf("{\"id\": \"divides-by-zero\""))) + "\n]}";

  @Nested
  class ExampleRules extends RuleContract {
    @Override
    protected String configuration() {
      return EXAMPLE;
    }

    @Override
    protected List<Evidence> evidence() {
      return withRuleEvidence(super.evidence());
    }
  }

  @Nested
  class NciiNewAccountAsAPolicy extends PolicyContract {
    @Override
    protected Policy policy() {
      return rule("ncii-new-account");
    }

    @Override
    protected List<Evidence> evidence() {
      return withRuleEvidence(super.evidence());
    }
  }

  /** The contract is not vacuous: a rule the stream never fires, and a rule that fails, are caught. */
  @Test
  void theContractCatchesSilentAndFailingRules() {
    RuleContract silent = new RuleContract() {
      @Override
      protected String configuration() {
        return "{\"rules\": [{\"id\": \"never\", \"version\": \"1\", \"when\": \"false\","
            + " \"actions\": [\"review\"], \"reason\": \"x\"}]}";
      }
    };
    AssertionError e = assertThrows(AssertionError.class, silent::everyRuleFiresOnTheStream);
    assertTrue(e.getMessage().contains("[rule:never] fired on none of"), e.getMessage());
    RuleContract failing = new RuleContract() {
      @Override
      protected String configuration() {
        return RulesEngineTest.CONFIG;
      }
    };
    AssertionError f = assertThrows(AssertionError.class, failing::everyRuleIsDeterministic);
    assertTrue(f.getMessage().contains("rule:divides-by-zero"), f.getMessage());
  }
}
