package dev.haetae.docs;

import dev.haetae.moderation.api.AccountId;
import dev.haetae.moderation.api.Category;
import dev.haetae.moderation.api.ContentEvent;
import dev.haetae.moderation.api.Evidence;
import dev.haetae.moderation.api.MatchType;
import dev.haetae.moderation.api.Signal;
import dev.haetae.moderation.rules.RuleContract;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

// region contract
/** The rules guide's configuration under the rules contract, with a stream that makes its rule fire. */
class RulesContractGuideTest extends RuleContract {
  @Override
  protected String configuration() {
    return RulesGuideTest.RULES;                        // in a project: Files.readString(Path.of("policies.json"))
  }

  @Override
  protected List<Evidence> evidence() {
    List<Evidence> stream = new ArrayList<>(super.evidence());   // the test kit's edge cases and random samples
    ContentEvent upload = RulesGuideTest.upload("c1", "u1");
    for (int days = 0; days < 14; days++) {                       // an NCII match from accounts 0 to 13 days old
      stream.add(new Evidence(RulesGuideTest.T0, upload, List.of(
          new Signal.HashMatch("stopncii", 1, Category.NCII, MatchType.PDQ, "e1", 8, 31, 90, false),
          new Signal.AccountStanding(AccountId.of("u1"), 0, false, Optional.of(Duration.ofDays(days)))), Map.of()));
    }
    return stream;
  }
}
// endregion
