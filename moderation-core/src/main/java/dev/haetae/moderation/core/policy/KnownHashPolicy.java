package dev.haetae.moderation.core.policy;

import dev.haetae.moderation.api.Action;
import dev.haetae.moderation.api.Category;
import dev.haetae.moderation.api.ContentEvent;
import dev.haetae.moderation.api.Evidence;
import dev.haetae.moderation.api.Outcome;
import dev.haetae.moderation.api.PolicyId;
import dev.haetae.moderation.api.Priority;
import dev.haetae.moderation.api.Reason;
import dev.haetae.moderation.api.Signal;
import dev.haetae.moderation.api.StatementOfReasons;
import dev.haetae.moderation.api.UserReport;
import dev.haetae.moderation.api.spi.Policy;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * Known material, on upload, forward or report: a confident bank match removes the content, blocks re-uploads, preserves
 * evidence and notifies the uploader (for CSAM: reports to the authority and never tips off the
 * uploader); an uncertain match (near the bank's distance limit, a low-quality hash, or a
 * review-only entry) goes to review instead.
 */
final class KnownHashPolicy implements Policy {
  static final PolicyId ID = PolicyId.of("known-hash", "1");
  /** Matches farther than this fraction of the bank's limit are uncertain. */
  private static final double CERTAIN_FRACTION = 0.75;
  private static final int MIN_QUALITY = 50;

  @Override
  public PolicyId id() {
    return ID;
  }

  @Override
  public Outcome evaluate(Evidence evidence) {
    if (!(evidence.request() instanceof ContentEvent) && !(evidence.request() instanceof UserReport)) {
      return Outcome.none();
    }
    Signal.HashMatch best = null;
    boolean certain = false;
    for (Signal.HashMatch m : evidence.signals(Signal.HashMatch.class)) {
      boolean c = !m.reviewOnly() && (m.distance() <= m.maxDistance() * CERTAIN_FRACTION)
          && (m.quality() < 0 || m.quality() >= MIN_QUALITY);
      if (best == null || (c && !certain) || (c == certain && m.distance() < best.distance())) {
        best = m;
        certain = c;
      }
    }
    if (best == null) {
      return Outcome.none();
    }
    String facts = "The content matched entry " + best.entry().substring(0, 8) + "... of hash bank '" + best.bank()
        + "' (" + best.type().wireName() + ", distance " + best.distance() + ").";
    if (!certain) {
      return Outcome.of(List.of(new Action.QueueForReview(Priority.HIGH, false, "hash_match")),
          List.of(Reason.note(ID, "uncertain_bank_match", facts + " The match is uncertain, so a person decides.")));
    }
    Category cat = best.category();
    Reason reason = Reason.of(ID, "bank_match", facts, cat, Grounds.terms(cat));
    List<Action> actions = new ArrayList<>();
    actions.add(new Action.Remove());
    actions.add(new Action.BlockReupload());
    if (cat == Category.CSAM) {
      actions.add(new Action.PreserveEvidence(Duration.ofDays(365)));
      actions.add(new Action.ReportToAuthority("NCMEC", true));
    } else {
      actions.add(new Action.PreserveEvidence(Duration.ofDays(180)));
      actions.add(new Action.NotifyUser(Action.Recipient.UPLOADER,
          new StatementOfReasons(Grounds.terms(cat), facts, true, true, Grounds.redress())));
    }
    return Outcome.of(actions, List.of(reason));
  }
}
