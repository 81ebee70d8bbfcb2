package dev.haetae.moderation.core.policy;

import dev.haetae.moderation.api.Action;
import dev.haetae.moderation.api.Category;
import dev.haetae.moderation.api.DecisionId;
import dev.haetae.moderation.api.LegalGround;
import dev.haetae.moderation.api.Signal;
import dev.haetae.moderation.api.Evidence;
import dev.haetae.moderation.api.Outcome;
import dev.haetae.moderation.api.PolicyId;
import dev.haetae.moderation.api.Reason;
import dev.haetae.moderation.api.ReviewOutcome;
import dev.haetae.moderation.api.StatementOfReasons;
import dev.haetae.moderation.api.Target;
import dev.haetae.moderation.api.Verdict;
import dev.haetae.moderation.api.spi.Policy;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Human verdicts: content a moderator found violating is removed, blocked from re-upload and the
 * uploader notified (a human decision, not an automated one); confirmed CSAM is instead preserved
 * and reported to {@code csam_authority} with no tip-off; a verdict of not violating allows it.
 * When the review answers an appeal (a {@link Signal.AppealReview} signal), a verdict of not violating
 * reverses the appealed decision ({@link Action.Reinstate}: restore the content, lift the
 * restriction; the engine clears the strike and corrects reporter credibility) and a violating one
 * upholds it.
 */
final class ReviewVerdictPolicy implements Policy {
  static final String NAME = "review-verdict";
  private final PolicyId id;
  private final String csamAuthority;

  ReviewVerdictPolicy(Params p) {
    this.csamAuthority = p.text("csam_authority", "NCMEC");
    p.requireNoUnknown();
    this.id = new PolicyId(NAME, "2", p.hash());
  }

  @Override
  public PolicyId id() {
    return id;
  }

  @Override
  public Outcome evaluate(Evidence evidence) {
    if (!(evidence.request() instanceof ReviewOutcome)) {
      return Outcome.none();
    }
    ReviewOutcome r = (ReviewOutcome) evidence.request();
    Signal.AppealReview appeal = null;
    for (Signal.AppealReview c : evidence.signals(Signal.AppealReview.class)) {
      appeal = c;
    }
    if (appeal != null && r.verdict() != Verdict.VIOLATING) {
      String facts = "On appeal " + appeal.appealId() + " a moderator found no violation, so decision "
          + appeal.decision().value() + " is reversed.";
      LegalGround ground = LegalGround.law(appeal.citation(), "The appeal was upheld on review.");
      List<Action> actions = new ArrayList<>();
      if (appeal.restrictive()) {
        actions.add(new Action.Reinstate(appeal.decision()));
      }
      actions.add(new Action.NotifyUser(Action.Recipient.UPLOADER,
          new StatementOfReasons(ground, facts, false, false, "No further complaint is needed; you may still use"
              + " out-of-court dispute settlement or the courts.")));
      return Outcome.of(actions, List.of(Reason.note(id, "appeal_upheld", facts)));
    }
    if (r.verdict() != Verdict.VIOLATING || !(r.target() instanceof Target.OfContent)) {
      return Outcome.of(List.of(new Action.Allow()),
          List.of(Reason.note(id, "review_not_violating", "A moderator found no violation.")));
    }
    Category cat = r.category().orElse(Category.OTHER);
    String facts = appeal == null
        ? "A moderator reviewed the content and found it violating (" + cat.wireName() + ")."
        : "On appeal " + appeal.appealId() + " a different moderator reviewed the content again and"
            + " found it violating (" + cat.wireName() + "); decision " + appeal.decision().value()
            + " stands.";
    String code = appeal == null ? "review_violating" : "appeal_rejected";
    if (cat == Category.CSAM) {
      // confirmed CSAM is reported with no tip-off: the uploader is not told before the report is filed
      return Outcome.of(List.of(new Action.Remove(), new Action.BlockReupload(),
              new Action.PreserveEvidence(java.time.Duration.ofDays(365)),
              new Action.ReportToAuthority(csamAuthority, true)),
          List.of(Reason.of(id, code, facts, cat, Grounds.terms(cat))));
    }
    return Outcome.of(List.of(new Action.Remove(), new Action.BlockReupload(),
        new Action.NotifyUser(Action.Recipient.UPLOADER,
            new StatementOfReasons(Grounds.terms(cat), facts, false, false, Grounds.redress()))),
        List.of(Reason.of(id, code, facts, cat, Grounds.terms(cat))));
  }
}
