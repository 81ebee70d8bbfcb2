package dev.haetae.moderation.core.policy;

import dev.haetae.moderation.api.Action;
import dev.haetae.moderation.api.Category;
import dev.haetae.moderation.api.Evidence;
import dev.haetae.moderation.api.Outcome;
import dev.haetae.moderation.api.PolicyId;
import dev.haetae.moderation.api.Priority;
import dev.haetae.moderation.api.Reason;
import dev.haetae.moderation.api.Signal;
import dev.haetae.moderation.api.StatementOfReasons;
import dev.haetae.moderation.api.spi.Policy;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * Known NCII and sexual deepfakes (and, by default, every other banked harm except CSAM, which
 * {@link CsamPolicy} handles): on an upload, forward or report of content that matches a hash bank,
 * a <em>certain</em> match removes the content, blocks re-uploads, preserves evidence (for the
 * longer of this policy's period and any open legal duty's) and notifies the uploader with a
 * statement of reasons. An <em>uncertain</em> match (farther than {@code certain_fraction} of the
 * bank's distance limit, a hash below {@code min_quality}, or a review-only entry) goes to review at
 * high priority and, by proportionality, is at most limited ({@code uncertain_action}: blur or
 * restrict forwarding) until a person decides. A match of the platform's own bank reached through a
 * report out of a flagged wave (brigading, a campaign against the owner, a re-flag, a reporter
 * linked to a rejected wave) is treated the same way whatever its distance: blurred and queued for
 * a second, independent review ({@link PolicyPack#SECOND_REVIEW_LANE}), never removed on the
 * report, so that a poisoned bank entry cannot be turned against the owner of the original. Since
 * version 3, a platform-bank match reached through any report on content the evidence does not
 * show was posted after the entry was added (the entry's {@code addedAt} against the content's
 * {@code postedAt}: someone else's older upload, which the entry did not remove on sight) is
 * likewise only blurred and queued ({@code hash_match}, high) for a person; uploads that match are
 * still removed on sight. Since version 4, when the platform-bank entry records the keyed pseudonym
 * of the account whose removed content it came from, that replaces the posting time: a match
 * reached through a report acts in full only on content posted by that same account (the banked
 * poster's own copies); on anyone else's content it is only blurred and queued ({@code hash_match},
 * high, {@code bank_match_other_uploader}), however late it was posted, and any strike waits for a
 * person. Entries without an uploader keep version 3's posting-time rule.
 * Immutable and thread-safe.
 */
final class KnownNciiPolicy implements Policy {
  static final String NAME = "known-ncii";
  private static final List<Category> DEFAULT_CATEGORIES = List.of(Category.NCII, Category.SEXUAL_DEEPFAKE,
      Category.TERRORISM, Category.HARASSMENT, Category.DOXXING, Category.SPAM, Category.OTHER);

  private final PolicyId id;
  private final Set<Category> categories;
  private final double certainFraction;
  private final int minQuality;
  private final Duration preserve;
  private final String uncertainAction;
  /**
   * 1: platform-bank matches through flagged reports acted on in full; 2: through any report on
   * content posted before the entry; 3: through a report on someone else's content posted after
   * the entry (kept to replay their logs).
   */
  private final int version;

  KnownNciiPolicy(Params p) {
    this(p, 4);
  }

  KnownNciiPolicy(Params p, int version) {
    List<Category> cs = p.categories("categories", DEFAULT_CATEGORIES);
    if (cs.contains(Category.CSAM)) {
      throw new PolicyConfigException(p.path() + ".categories", "must not contain csam: the csam policy handles it"
          + " (it reports to the authority and never tips off the uploader)");
    }
    this.categories = cs.isEmpty() ? EnumSet.noneOf(Category.class) : EnumSet.copyOf(cs);
    this.certainFraction = p.fraction("certain_fraction", 0.75);
    this.minQuality = p.integer("min_quality", 50, 0, 100);
    this.preserve = p.duration("preserve", Duration.ofDays(180));
    this.uncertainAction = p.choice("uncertain_action", "blur", "review", "blur", "restrict_forwarding");
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
    BankMatches.Best chosen = BankMatches.best(evidence, categories, certainFraction, minQuality, version);
    if (chosen == null) {
      return Outcome.none();
    }
    Signal.HashMatch best = chosen.match();
    boolean certain = chosen.certain();
    Category cat = best.category();
    String facts = BankMatches.facts(best);
    BankMatches.Bound bound = BankMatches.bounded(evidence, best, version);
    if (bound == BankMatches.Bound.OTHER_UPLOADER) {
      // the entry's own poster is known and did not post this content: a person decides
      return Outcome.of(List.of(new Action.QueueForReview(Priority.HIGH, false, "hash_match"),
              new Action.Blur("possibly " + cat.wireName() + ", under review")),
          List.of(Reason.of(id, "bank_match_other_uploader", facts + " The match was reached through a report, the"
              + " entry is the platform's own and the content was not posted by the account whose removed content"
              + " the entry came from, so the content is only blurred until a person decides.", cat,
              Grounds.weakEvidence(cat))));
    }
    if (bound == BankMatches.Bound.OLDER_UPLOAD) {
      // a report on an upload the entry did not catch: a person decides, and any strike waits for them
      return Outcome.of(List.of(new Action.QueueForReview(Priority.HIGH, false, "hash_match"),
              new Action.Blur("possibly " + cat.wireName() + ", under review")),
          List.of(Reason.of(id, "bank_match_older_upload", facts + " The match was reached through a report, the"
              + " entry is the platform's own and the content is not shown to have been posted after the entry was"
              + " added, so the content is only blurred until a person decides.", cat, Grounds.weakEvidence(cat))));
    }
    if (bound == BankMatches.Bound.FLAGGED_REPORT) {
      // urgent and unranked (score 1): the item must keep its lane when combined with another review
      return Outcome.of(List.of(new Action.QueueForReview(Priority.URGENT, true, PolicyPack.SECOND_REVIEW_LANE),
              new Action.Blur("possibly " + cat.wireName() + ", under review")),
          List.of(Reason.of(id, "bank_match_flagged_report", facts + " The match was reached through a report out"
              + " of a flagged wave and the entry is the platform's own, so the content is only blurred until a"
              + " second, independent reviewer decides.", cat, Grounds.weakEvidence(cat))));
    }
    if (!certain) {
      List<Action> actions = new ArrayList<>(2);
      actions.add(new Action.QueueForReview(Priority.HIGH, false, "hash_match"));
      String why = facts + " The match is uncertain (" + uncertainty(best) + "), so a person decides.";
      if (uncertainAction.equals("review")) {
        return Outcome.of(actions, List.of(Reason.note(id, "uncertain_bank_match", why)));
      }
      actions.add(uncertainAction.equals("blur") ? new Action.Blur("possibly " + cat.wireName() + ", under review")
          : new Action.RestrictForwarding());
      return Outcome.of(actions, List.of(Reason.of(id, "uncertain_bank_match", why + " Until then it is "
          + (uncertainAction.equals("blur") ? "blurred" : "not forwardable") + ".", cat, Grounds.weakEvidence(cat))));
    }
    Duration keep = preserve;
    for (Signal.Obligation o : evidence.signals(Signal.Obligation.class)) {
      if (o.preserveFor().compareTo(keep) > 0) {
        keep = o.preserveFor();
      }
    }
    List<Action> actions = new ArrayList<>(4);
    actions.add(new Action.Remove());
    actions.add(new Action.BlockReupload());
    actions.add(new Action.PreserveEvidence(keep));
    actions.add(new Action.NotifyUser(Action.Recipient.UPLOADER,
        new StatementOfReasons(Grounds.terms(cat), facts, true, true, Grounds.redress())));
    return Outcome.of(actions, List.of(Reason.of(id, "bank_match", facts, cat, Grounds.terms(cat))));
  }

  private String uncertainty(Signal.HashMatch m) {
    if (m.reviewOnly()) {
      return "the entry is review-only";
    }
    if (m.quality() >= 0 && m.quality() < minQuality) {
      return "image quality " + m.quality() + " below " + minQuality;
    }
    return String.format(Locale.ROOT, "distance %d of at most %d", m.distance(), m.maxDistance());
  }
}
