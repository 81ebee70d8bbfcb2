package dev.haetae.moderation.core.policy;

import dev.haetae.moderation.api.Action;
import dev.haetae.moderation.api.Appeal;
import dev.haetae.moderation.api.Evidence;
import dev.haetae.moderation.api.Outcome;
import dev.haetae.moderation.api.PolicyId;
import dev.haetae.moderation.api.Priority;
import dev.haetae.moderation.api.Reason;
import dev.haetae.moderation.api.Signal;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Appeals: the engine records, as a signal, which appeal instrument governs the decision appealed
 * (DSA Art. 20, Korea's Network Act, or the platform default) and whether the appeal is inside its
 * window. An appeal inside the window goes to the appeal review lane, where a person other than the
 * original decider looks again, with the review obligation's deadline; a late appeal is answered
 * with the reason (the window and when it ended) and no review.
 */
final class AppealPolicy implements dev.haetae.moderation.api.spi.Policy {
  static final PolicyId ID = PolicyId.of("appeal", "2");

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
    Signal.AppealWindow w = null;
    for (Signal.AppealWindow c : evidence.signals(Signal.AppealWindow.class)) {
      w = c;
    }
    if (w == null) {
      return Outcome.none();
    }
    String governs = w.appealInstrument() + " (" + w.citation() + ")";
    if (!w.within()) {
      return Outcome.of(List.of(new Action.Allow()), List.of(Reason.note(ID, "appeal_out_of_window",
          "The appeal against decision " + a.decision().value() + " is outside its window under " + governs
              + ": the user was informed at " + w.informedAt() + " and the " + w.window()
              + " window ended at " + w.windowEnds() + ", so it is not reviewed.")));
    }
    Optional<Instant> deadline = Optional.empty();
    for (Signal.Obligation o : evidence.signals(Signal.Obligation.class)) {
      if (w.obligation().isPresent() && o.id().equals(w.obligation().get())) {
        deadline = Optional.of(o.deadline());
      }
    }
    return new Outcome(List.of(new Action.QueueForReview(Priority.HIGH, false, "appeal")),
        List.of(Reason.note(ID, "appeal", "The user appealed decision " + a.decision().value()
            + " within the window under " + governs + " (open until " + w.windowEnds()
            + "); a different moderator reviews it" + deadline.map(d -> " by " + d).orElse("") + ".")),
        deadline);
  }
}
