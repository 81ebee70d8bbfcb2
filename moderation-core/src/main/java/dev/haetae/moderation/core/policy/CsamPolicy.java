package dev.haetae.moderation.core.policy;

import dev.haetae.moderation.api.Action;
import dev.haetae.moderation.api.Category;
import dev.haetae.moderation.api.Evidence;
import dev.haetae.moderation.api.Outcome;
import dev.haetae.moderation.api.PolicyId;
import dev.haetae.moderation.api.Priority;
import dev.haetae.moderation.api.Reason;
import dev.haetae.moderation.api.Signal;
import dev.haetae.moderation.api.spi.Policy;
import java.time.Duration;
import java.util.List;

/**
 * Child sexual abuse material: a certain match against a CSAM bank removes the content, blocks
 * re-uploads, preserves it for the reporting period ({@code preserve}, default one year as 18
 * U.S.C. 2258A requires since 2024) and reports it to the {@code authority} with no tip-off: the
 * engine drops every notification to the uploader, so the uploader is never told before the report
 * is filed (the host notifies later, if at all, on the authority's terms). An uncertain CSAM match
 * goes to the urgent {@code csam} review lane and is removed from view meanwhile
 * ({@code uncertain_remove}, default true: the harm of leaving suspected CSAM visible outweighs the
 * cost of a wrong, reversible removal); it is never reported on a machine's guess. No notification
 * is proposed in either case. The policy acts on entries that are CSAM in their own right (a bank
 * entry's own category, see {@code Bank.addEntry(MatchType, String, Category, String)}). A match of the
 * platform's own bank reached through a report out of a flagged wave is neither removed nor
 * reported on the report: it is blurred and goes to the urgent {@link PolicyPack#SECOND_REVIEW_LANE}
 * for a second, independent review. Since version 3, a platform-bank match reached through any
 * report on content not shown to have been posted after the entry was added (someone else's older
 * upload) is likewise blurred and queued (urgent, {@code csam}) for a specialist, neither removed
 * nor reported on the report. Since version 4, when the platform-bank entry records the keyed
 * pseudonym of the account whose removed content it came from, that replaces the posting time: a
 * report on anyone else's content is blurred and queued (urgent, {@code csam},
 * {@code csam_match_other_uploader}), neither removed nor reported, however late it was posted;
 * entries without an uploader keep version 3's rule. Immutable and thread-safe.
 */
final class CsamPolicy implements Policy {
  private static final java.util.Set<Category> CSAM = java.util.EnumSet.of(Category.CSAM);
  static final String NAME = "csam";

  private final PolicyId id;
  private final String authority;
  private final Duration preserve;
  private final double certainFraction;
  private final int minQuality;
  private final boolean uncertainRemove;
  /**
   * 1: platform-bank matches through flagged reports acted on in full; 2: through any report on
   * content posted before the entry; 3: through a report on someone else's content posted after
   * the entry (kept to replay their logs).
   */
  private final int version;

  CsamPolicy(Params p) {
    this(p, 4);
  }

  CsamPolicy(Params p, int version) {
    this.authority = p.text("authority", "NCMEC");
    this.preserve = p.duration("preserve", Duration.ofDays(365));
    this.certainFraction = p.fraction("certain_fraction", 0.75);
    this.minQuality = p.integer("min_quality", 50, 0, 100);
    this.uncertainRemove = p.bool("uncertain_remove", true);
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
    BankMatches.Best chosen = BankMatches.best(evidence, CSAM, certainFraction, minQuality, version);
    if (chosen == null) {
      return Outcome.none();
    }
    Signal.HashMatch best = chosen.match();
    boolean certain = chosen.certain();
    String facts = BankMatches.facts(best);
    BankMatches.Bound bound = BankMatches.bounded(evidence, best, version);
    if (bound == BankMatches.Bound.OTHER_UPLOADER) {
      return Outcome.of(List.of(new Action.QueueForReview(Priority.URGENT, false, "csam"),
              new Action.Blur("possibly csam, under review")),
          List.of(Reason.of(id, "csam_match_other_uploader", facts + " The match was reached through a report, the"
              + " entry is the platform's own and the content was not posted by the account whose removed content"
              + " the entry came from, so the content is blurred and a specialist decides; nothing is removed or"
              + " reported on the report.", Category.CSAM, Grounds.weakEvidence(Category.CSAM))));
    }
    if (bound == BankMatches.Bound.OLDER_UPLOAD) {
      return Outcome.of(List.of(new Action.QueueForReview(Priority.URGENT, false, "csam"),
              new Action.Blur("possibly csam, under review")),
          List.of(Reason.of(id, "csam_match_older_upload", facts + " The match was reached through a report, the"
              + " entry is the platform's own and the content is not shown to have been posted after the entry was"
              + " added, so the content is blurred and a specialist decides; nothing is removed or reported on the"
              + " report.", Category.CSAM, Grounds.weakEvidence(Category.CSAM))));
    }
    if (bound == BankMatches.Bound.FLAGGED_REPORT) {
      return Outcome.of(List.of(new Action.QueueForReview(Priority.URGENT, true, PolicyPack.SECOND_REVIEW_LANE),
              new Action.Blur("possibly csam, under review")),
          List.of(Reason.of(id, "csam_match_flagged_report", facts + " The match was reached through a report out"
              + " of a flagged wave and the entry is the platform's own, so the content is blurred and a second,"
              + " independent specialist decides; nothing is removed or reported on the report.", Category.CSAM,
              Grounds.weakEvidence(Category.CSAM))));
    }
    if (!certain) {
      if (!uncertainRemove) {
        return Outcome.of(List.of(new Action.QueueForReview(Priority.URGENT, false, "csam")),
            List.of(Reason.note(id, "uncertain_csam_match", facts + " The match is uncertain; a specialist decides.")));
      }
      return Outcome.of(List.of(new Action.Remove(), new Action.PreserveEvidence(preserve),
              new Action.QueueForReview(Priority.URGENT, false, "csam")),
          List.of(Reason.of(id, "uncertain_csam_match", facts + " The match is uncertain: the content is hidden and"
              + " preserved while a specialist decides; nothing is reported on the match alone.", Category.CSAM,
              Grounds.terms(Category.CSAM))));
    }
    return Outcome.of(List.of(new Action.Remove(), new Action.BlockReupload(), new Action.PreserveEvidence(preserve),
            new Action.ReportToAuthority(authority, true)),
        List.of(Reason.of(id, "csam_match", facts + " Reported to " + authority + "; the uploader is not told.",
            Category.CSAM, Grounds.terms(Category.CSAM))));
  }
}
