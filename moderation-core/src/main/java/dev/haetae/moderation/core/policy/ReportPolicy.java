package dev.haetae.moderation.core.policy;

import dev.haetae.moderation.api.Action;
import dev.haetae.moderation.api.Category;
import dev.haetae.moderation.api.Evidence;
import dev.haetae.moderation.api.Outcome;
import dev.haetae.moderation.api.PolicyId;
import dev.haetae.moderation.api.Priority;
import dev.haetae.moderation.api.Reason;
import dev.haetae.moderation.api.Signal;
import dev.haetae.moderation.api.UserReport;
import dev.haetae.moderation.api.spi.Policy;
import java.util.List;
import java.util.Locale;

/**
 * User reports: weighed reports queue the target for review, at a priority that grows with the
 * weight and the severity of the alleged harm; trusted flaggers go to their own priority lane;
 * suspected brigading goes to review at low priority, flagged, and never restricts anything.
 * Reports alone never remove content: a person decides.
 */
final class ReportPolicy implements Policy {
  static final PolicyId ID = PolicyId.of("reports", "1");
  private static final double REVIEW_WEIGHT = 0.3;
  private static final double HIGH_WEIGHT = 1.5;

  @Override
  public PolicyId id() {
    return ID;
  }

  @Override
  public Outcome evaluate(Evidence evidence) {
    if (!(evidence.request() instanceof UserReport)) {
      return Outcome.none();
    }
    List<Signal.Reports> all = evidence.signals(Signal.Reports.class);
    if (all.isEmpty()) {
      return Outcome.none();
    }
    Signal.Reports r = all.get(0);
    String facts = String.format(Locale.ROOT, "%d report(s) for %s, combined weight %.2f.", r.reports(),
        r.category().wireName(), r.weight());
    if (r.brigadingSuspected()) {
      return Outcome.of(List.of(new Action.QueueForReview(Priority.LOW, true, "brigading")),
          List.of(Reason.note(ID, "suspected_brigading",
              facts + " The reports look coordinated (a burst from new or low-credibility accounts).")));
    }
    if (r.trustedFlaggerReports() > 0) {
      return Outcome.of(List.of(new Action.QueueForReview(Priority.URGENT, false, "trusted_flagger")),
          List.of(Reason.note(ID, "trusted_flagger", facts + " A trusted flagger reported it.")));
    }
    if (r.weight() < REVIEW_WEIGHT) {
      return Outcome.none();
    }
    boolean severe = r.category() == Category.NCII || r.category() == Category.SEXUAL_DEEPFAKE
        || r.category() == Category.CSAM || r.category() == Category.TERRORISM;
    Priority p = r.weight() >= HIGH_WEIGHT ? (severe ? Priority.URGENT : Priority.HIGH)
        : (severe ? Priority.HIGH : Priority.NORMAL);
    return Outcome.of(List.of(new Action.QueueForReview(p, false, "reports")),
        List.of(Reason.note(ID, "reported", facts)));
  }
}
