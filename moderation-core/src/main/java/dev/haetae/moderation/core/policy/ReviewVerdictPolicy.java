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
import dev.haetae.moderation.api.Priority;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Human verdicts: content a moderator found violating is removed and the uploader notified (a human
 * decision, not an automated one); confirmed CSAM is instead preserved and reported to
 * {@code csam_authority} with no tip-off; a verdict of not violating allows it. Only the media
 * harms ({@link PolicyPack#BANKED_ON_REVIEW}: NCII, sexual deepfakes, CSAM, terrorism) are blocked from re-upload,
 * which banks the media: for harassment, doxxing, spam and the like the violation is in the
 * context (a caption, an address, the room), not in the image, and banking the image would turn
 * every innocent copy of it into a violation. When the reports a verdict confirms came out of a
 * flagged wave ({@link Signal.ReportResolution#coordinated()}: brigading, or a campaign against the
 * owner), the content is removed but neither banked nor reported to an authority, and a second,
 * independent reviewer is asked ({@link PolicyPack#SECOND_REVIEW_LANE}): the strike waits for that
 * verdict, which banks and reports as any other. Since version 5 the same holds for every first
 * violating verdict that would bank (a media harm on content whose fingerprints the engine knows):
 * four eyes before the platform bank, because one bought or mistaken verdict would otherwise remove
 * every copy of an innocent image on sight; {@code second_review: flagged} keeps version 4's rule.
 * When the review answers an appeal (a {@link Signal.AppealReview} signal), a verdict of not violating
 * reverses the appealed decision ({@link Action.Reinstate}: restore the content, lift the
 * restriction; the engine clears the strike and corrects reporter credibility) and a violating one
 * upholds it.
 */
final class ReviewVerdictPolicy implements Policy {
  static final String NAME = "review-verdict";
  /** {@code second_review}: every first violating verdict of a media harm asks a second reviewer. */
  static final String SECOND_REVIEW_ALWAYS = "always";
  /** {@code second_review}: only a verdict on reports out of a flagged wave asks a second reviewer. */
  static final String SECOND_REVIEW_FLAGGED = "flagged";
  private final PolicyId id;
  private final String csamAuthority;
  /**
   * 2: every violating verdict banked, no second review; 3: a second "not violating" left the
   * removal in place; 4: one reviewer's verdict outside a flagged wave banked at once (all kept to
   * replay the logs they decided).
   */
  private final int version;
  /**
   * Whether every first violating verdict of a media harm waits for a second, independent reviewer
   * before it banks, strikes or reports ({@code second_review: always}), or only one on reports out of
   * a flagged wave ({@code flagged}, what version 4 did). Read from version 5 on only, so that the
   * configuration hash of the retired versions stays the one their logs carry.
   */
  private final boolean secondReviewAlways;

  ReviewVerdictPolicy(Params p) {
    this(p, 5);
  }

  ReviewVerdictPolicy(Params p, int version) {
    this.csamAuthority = p.text("csam_authority", "NCMEC");
    this.secondReviewAlways = version >= 5
        && p.choice("second_review", SECOND_REVIEW_ALWAYS, SECOND_REVIEW_ALWAYS, SECOND_REVIEW_FLAGGED)
            .equals(SECOND_REVIEW_ALWAYS);
    p.requireNoUnknown();
    this.version = version;
    this.id = new PolicyId(NAME, Integer.toString(version), p.hash());
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
    if (version >= 4 && r.verdict() != Verdict.VIOLATING && r.target() instanceof Target.OfContent) {
      for (Signal.KnownContent k : evidence.signals(Signal.KnownContent.class)) {
        if (k.removed() && k.secondReviewOf().isPresent()) {
          // the second, independent reviewer clears what the first verdict removed: it is restored
          String facts = "A second, independent moderator found no violation, so decision "
              + k.secondReviewOf().get().value() + ", which removed the content pending this review, is reversed.";
          return Outcome.of(List.of(new Action.Reinstate(k.secondReviewOf().get()),
                  new Action.NotifyUser(Action.Recipient.UPLOADER, new StatementOfReasons(
                      LegalGround.terms("Terms of service", "The content was found not to violate the terms."), facts,
                      false, false, "No further complaint is needed."))),
              List.of(Reason.note(id, "second_review_cleared", facts)));
        }
      }
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
    boolean second = false;
    if (version >= 3 && appeal == null) {
      for (Signal.ReportResolution res : evidence.signals(Signal.ReportResolution.class)) {
        second |= res.coordinated();
      }
    }
    if (second) {
      return secondReview(cat, facts, true);
    }
    if (secondReviewAlways && appeal == null && PolicyPack.BANKED_ON_REVIEW.contains(cat) && wouldBank(evidence)
        && !answersSecondReview(evidence)) {
      // four eyes before anything is banked: one person's verdict, bought or mistaken, would otherwise
      // turn every copy of the image on the platform into a removal (and, for CSAM, an authority report)
      return secondReview(cat, facts, false);
    }
    if (cat == Category.CSAM) {
      // confirmed CSAM is reported with no tip-off: the uploader is not told before the report is filed
      return Outcome.of(List.of(new Action.Remove(), new Action.BlockReupload(),
              new Action.PreserveEvidence(java.time.Duration.ofDays(365)),
              new Action.ReportToAuthority(csamAuthority, true)),
          List.of(Reason.of(id, code, facts, cat, Grounds.terms(cat))));
    }
    List<Action> actions = new ArrayList<>(3);
    actions.add(new Action.Remove());
    if (version < 3 || PolicyPack.BANKED_ON_REVIEW.contains(cat)) {
      actions.add(new Action.BlockReupload());
    }
    actions.add(new Action.NotifyUser(Action.Recipient.UPLOADER,
        new StatementOfReasons(Grounds.terms(cat), facts, false, false, Grounds.redress())));
    return Outcome.of(actions, List.of(Reason.of(id, code, facts, cat, Grounds.terms(cat))));
  }

  /**
   * Whether the engine knows the content's fingerprints, so that a violating verdict would bank them:
   * a verdict on content it never saw has nothing to bank and acts at once, as before.
   */
  private static boolean wouldBank(Evidence evidence) {
    for (Signal.KnownContent k : evidence.signals(Signal.KnownContent.class)) {
      if (!k.fingerprints().isEmpty()) {
        return true;
      }
    }
    return false;
  }

  /** Whether this verdict answers the second review a first verdict on the same content asked. */
  private static boolean answersSecondReview(Evidence evidence) {
    for (Signal.KnownContent k : evidence.signals(Signal.KnownContent.class)) {
      if (k.secondReviewOf().isPresent()) {
        return true;
      }
    }
    return false;
  }

  private static final String FLAGGED_WAVE = " The reports it confirms came out of a flagged wave (brigading, or a"
      + " campaign against the uploader), so";
  private static final String FOUR_EYES = " Banking it would remove every copy on sight, and one person's verdict"
      + " does not bank content, so";

  /**
   * A first violating verdict that a second, independent reviewer confirms before the content is
   * banked, reported or the uploader struck: on reports out of a flagged wave, and (from version 5,
   * unless configured {@code flagged}) on every media harm. The reviewed copy is removed at once (a
   * person looked). Out of a flagged wave the item is marked as suspected brigading and queued high;
   * otherwise urgent, because until the second verdict other copies of a real victim's image stay up.
   */
  private Outcome secondReview(Category cat, String facts, boolean wave) {
    String why = facts + (wave ? FLAGGED_WAVE : FOUR_EYES)
        + " a second, independent reviewer confirms before the content is banked"
        + (cat == Category.CSAM ? ", reported" : "") + " or the uploader struck.";
    Reason reason = Reason.of(id, "review_violating_second_review", why, cat, Grounds.terms(cat));
    if (cat == Category.CSAM) {
      // hidden and preserved meanwhile; the uploader is not told (no tip-off before a report)
      return Outcome.of(List.of(new Action.Remove(), new Action.PreserveEvidence(java.time.Duration.ofDays(365)),
          new Action.QueueForReview(Priority.URGENT, wave, PolicyPack.SECOND_REVIEW_LANE)), List.of(reason));
    }
    return Outcome.of(List.of(new Action.Remove(),
        new Action.NotifyUser(Action.Recipient.UPLOADER,
            new StatementOfReasons(Grounds.terms(cat), facts, false, false, Grounds.redress())),
        new Action.QueueForReview(wave ? Priority.HIGH : Priority.URGENT, wave, PolicyPack.SECOND_REVIEW_LANE)),
        List.of(reason));
  }
}
