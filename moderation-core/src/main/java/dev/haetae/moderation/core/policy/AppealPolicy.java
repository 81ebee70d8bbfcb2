package dev.haetae.moderation.core.policy;

import dev.haetae.moderation.api.Action;
import dev.haetae.moderation.api.Appeal;
import dev.haetae.moderation.api.Evidence;
import dev.haetae.moderation.api.Outcome;
import dev.haetae.moderation.api.PolicyId;
import dev.haetae.moderation.api.Priority;
import dev.haetae.moderation.api.Reason;
import dev.haetae.moderation.api.spi.Policy;
import java.time.Duration;
import java.util.List;

/**
 * Appeals: an appeal made within six months of the user being informed (the DSA Art. 20 minimum and
 * the Korean Network Act's window) goes to the appeal review lane, where a person other than the
 * original decider looks again; a late appeal is answered with the reason and no review.
 */
final class AppealPolicy implements Policy {
  static final PolicyId ID = PolicyId.of("appeal", "1");
  private static final Duration WINDOW = Duration.ofDays(183);

  @Override
  public PolicyId id() {
    return ID;
  }

  @Override
  public Outcome evaluate(Evidence evidence) {
    if (!(evidence.request() instanceof Appeal)) {
      return Outcome.none();
    }
    Appeal a = (Appeal) evidence.request();
    if (evidence.now().isAfter(a.informedAt().plus(WINDOW))) {
      return Outcome.of(List.of(new Action.Allow()), List.of(Reason.note(ID, "appeal_out_of_window",
          "The appeal against decision " + a.decision().value() + " came more than six months after the user was"
              + " informed, so it is not reviewed.")));
    }
    return Outcome.of(List.of(new Action.QueueForReview(Priority.HIGH, false, "appeal")),
        List.of(Reason.note(ID, "appeal", "The user appealed decision " + a.decision().value()
            + " within the six-month window; a different moderator reviews it.")));
  }
}
