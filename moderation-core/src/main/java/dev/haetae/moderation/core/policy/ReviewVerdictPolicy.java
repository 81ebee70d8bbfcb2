package dev.haetae.moderation.core.policy;

import dev.haetae.moderation.api.Action;
import dev.haetae.moderation.api.Category;
import dev.haetae.moderation.api.Evidence;
import dev.haetae.moderation.api.Outcome;
import dev.haetae.moderation.api.PolicyId;
import dev.haetae.moderation.api.Reason;
import dev.haetae.moderation.api.ReviewOutcome;
import dev.haetae.moderation.api.StatementOfReasons;
import dev.haetae.moderation.api.Target;
import dev.haetae.moderation.api.Verdict;
import dev.haetae.moderation.api.spi.Policy;
import java.util.List;

/**
 * Human verdicts: content a moderator found violating is removed, blocked from re-upload and the
 * uploader notified (a human decision, not an automated one); a verdict of not violating allows it.
 */
final class ReviewVerdictPolicy implements Policy {
  static final PolicyId ID = PolicyId.of("review-verdict", "1");

  @Override
  public PolicyId id() {
    return ID;
  }

  @Override
  public Outcome evaluate(Evidence evidence) {
    if (!(evidence.request() instanceof ReviewOutcome)) {
      return Outcome.none();
    }
    ReviewOutcome r = (ReviewOutcome) evidence.request();
    if (r.verdict() != Verdict.VIOLATING || !(r.target() instanceof Target.OfContent)) {
      return Outcome.of(List.of(new Action.Allow()),
          List.of(Reason.note(ID, "review_not_violating", "A moderator found no violation.")));
    }
    Category cat = r.category().orElse(Category.OTHER);
    String facts = "A moderator reviewed the content and found it violating (" + cat.wireName() + ").";
    return Outcome.of(List.of(new Action.Remove(), new Action.BlockReupload(),
        new Action.NotifyUser(Action.Recipient.UPLOADER,
            new StatementOfReasons(Grounds.terms(cat), facts, false, false, Grounds.redress()))),
        List.of(Reason.of(ID, "review_violating", facts, cat, Grounds.terms(cat))));
  }
}
