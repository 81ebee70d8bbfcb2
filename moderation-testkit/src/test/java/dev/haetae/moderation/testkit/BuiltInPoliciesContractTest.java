package dev.haetae.moderation.testkit;

import dev.haetae.moderation.api.spi.Policy;
import dev.haetae.moderation.core.policy.PolicyConfig;
import dev.haetae.moderation.core.policy.PolicyPack;
import org.junit.jupiter.api.Nested;

/** Every built-in policy keeps the policy contract, with defaults and with non-default parameters. */
class BuiltInPoliciesContractTest {

  static Policy builtIn(String name) {
    for (Policy p : PolicyPack.defaults()) {
      if (p.id().name().equals(name)) {
        return p;
      }
    }
    throw new AssertionError("no built-in " + name);
  }

  @Nested
  class KnownNcii extends PolicyContract {
    @Override
    protected Policy policy() {
      return builtIn("known-ncii");
    }
  }

  @Nested
  class KnownNciiRestrictingUncertainMatches extends PolicyContract {
    @Override
    protected Policy policy() {
      return PolicyConfig.parse("{\"policies\":{\"known-ncii\":{\"uncertain_action\":\"restrict_forwarding\"}}}")
          .builtIn().get(0);
    }
  }

  @Nested
  class Csam extends PolicyContract {
    @Override
    protected Policy policy() {
      return builtIn("csam");
    }
  }

  @Nested
  class Reports extends PolicyContract {
    @Override
    protected Policy policy() {
      return builtIn("reports");
    }
  }

  @Nested
  class LegalNotice extends PolicyContract {
    @Override
    protected Policy policy() {
      return builtIn("legal-notice");
    }
  }

  @Nested
  class ReviewVerdict extends PolicyContract {
    @Override
    protected Policy policy() {
      return builtIn("review-verdict");
    }
  }

  @Nested
  class Appeal extends PolicyContract {
    @Override
    protected Policy policy() {
      return builtIn("appeal");
    }
  }

  @Nested
  class RepeatOffender extends PolicyContract {
    @Override
    protected Policy policy() {
      return builtIn("repeat-offender");
    }
  }

  @Nested
  class RoomEscalation extends PolicyContract {
    @Override
    protected Policy policy() {
      return builtIn("room-escalation");
    }
  }

  @Nested
  class ProfilePhoto extends PolicyContract {
    @Override
    protected Policy policy() {
      return PolicyConfig.parse("{\"policies\":{\"profile-photo\":{\"action\":\"blur\"}}}").builtIn().stream()
          .filter(p -> p.id().name().equals("profile-photo")).findFirst().orElseThrow();
    }
  }

  @Nested
  class Doxxing extends PolicyContract {
    @Override
    protected Policy policy() {
      return builtIn("doxxing");
    }
  }
}
