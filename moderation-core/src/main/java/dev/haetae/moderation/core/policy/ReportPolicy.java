package dev.haetae.moderation.core.policy;

import dev.haetae.moderation.api.Action;
import dev.haetae.moderation.api.Category;
import dev.haetae.moderation.api.Evidence;
import dev.haetae.moderation.api.LegalGround;
import dev.haetae.moderation.api.Outcome;
import dev.haetae.moderation.api.PolicyId;
import dev.haetae.moderation.api.Priority;
import dev.haetae.moderation.api.Reason;
import dev.haetae.moderation.api.ReporterSanction;
import dev.haetae.moderation.api.ReviewOutcome;
import dev.haetae.moderation.api.Signal;
import dev.haetae.moderation.api.StatementOfReasons;
import dev.haetae.moderation.api.UserReport;
import dev.haetae.moderation.api.spi.Policy;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * User reports, read from the typed {@link Signal.ReportIntake} and {@link Signal.Reports}. Reports
 * alone never restrict or remove anything: a person decides. Every report decision states a reason.
 *
 * <ul>
 *   <li>A report from a reporter whose report processing a person suspended (DSA Art. 23) is recorded,
 *       not weighed; a claim of a severe harm is still queued, at low priority, in lane
 *       {@code suspended_reporter} (the engine still checks the content against the hash banks).
 *   <li>A report of content already removed queues nothing.
 *   <li>A first-party report ("this is me") of NCII, a sexual deepfake or CSAM is heard in the
 *       {@code victim} lane at urgent priority (high when the reporter's recent reports were rejected),
 *       whatever the account's age, and moves an item already queued into that lane.
 *   <li>A target already queued is not queued again: the report attaches to the open item, except
 *       for a trusted flagger's report on an item without one (it moves to the {@code
 *       trusted_flagger} lane), a claim more severe than every claim on the item (it escalates), and
 *       the report with which the reports first look coordinated (it flags the item late).
 *   <li>A target review cleared (of any harm, with no confirmation since) is reopened only by a
 *       trusted flagger, a first-party claim of a severe harm, or a reporter with a track record who
 *       is independent of the reporters review rejected.
 *   <li>A trusted flagger (DSA Art. 22) queues at urgent priority in the {@code trusted_flagger} lane.
 *   <li>Suspected brigading, or a campaign against the target's owner, queues one flagged item in
 *       lane {@code brigading} or {@code campaign} at low priority (normal for severe harms).
 *   <li>Reports by new accounts, and reports of harms that are not severe by reporters without a
 *       track record, wait for corroboration; once a waiting report has waited its category's
 *       re-check bound, the engine's tick evaluates it again (as does the next report of the target),
 *       which queues it at low priority in lane {@code uncorroborated}.
 *   <li>Otherwise reports whose combined weight reaches 0.3 queue in the {@code reports} lane, high
 *       for severe harms or a weight of 1.5, else normal; below that the report is kept.
 *   <li>Every queued item carries the claim's score, by which a host orders its queue within a band.
 * </ul>
 *
 * <p>On a review verdict, the reporters the verdict puts over the misuse line
 * ({@link Signal.ReportResolution}) are handled on the review decision itself, never on a new
 * report: an ordinary reporter is warned (DSA Art. 23; they are told on their next report); one
 * still over the line after a warning is proposed for suspension, in lane {@code report_misuse},
 * for a person to confirm; a trusted flagger is never warned or suspended, the operator is alerted
 * in lane {@code trusted_flagger_precision} (DSA Art. 22(6)).
 *
 * <p>A person's step in a reporter's misuse case ({@link ReporterSanction}, accepted by the engine
 * only when it answers the case as it stands) gets a reason on its decision; the reporter's appeal
 * is queued in lane {@code report_misuse_appeal}.
 */
final class ReportPolicy implements Policy {
  static final PolicyId ID = PolicyId.of("reports", "3");
  private static final double REVIEW_WEIGHT = 0.3;
  private static final double HIGH_WEIGHT = 1.5;
  private static final LegalGround MISUSE = LegalGround.law("Regulation (EU) 2022/2065 (DSA) Art. 23",
      "A provider may, after a prior warning, suspend for a reasonable period the processing of notices from a "
          + "person who frequently submits notices that are manifestly unfounded.");
  private static final LegalGround FLAGGER_PRECISION = LegalGround.law("Regulation (EU) 2022/2065 (DSA) Art. 22(6)",
      "Where a provider has information that a trusted flagger submitted a significant number of insufficiently "
          + "precise, inaccurate or inadequately substantiated notices, it communicates that information to the "
          + "Digital Services Coordinator.");
  private static final String REDRESS = "You can appeal this decision through the service's complaint system; "
      + "quote the decision id.";

  @Override
  public PolicyId id() {
    return ID;
  }

  @Override
  public Outcome evaluate(Evidence evidence) {
    if (evidence.request() instanceof ReviewOutcome) {
      return misuse(evidence);
    }
    if (evidence.request() instanceof ReporterSanction) {
      return sanction((ReporterSanction) evidence.request());
    }
    if (!(evidence.request() instanceof UserReport)) {
      return Outcome.none();
    }
    List<Signal.ReportIntake> intakes = evidence.signals(Signal.ReportIntake.class);
    List<Signal.Reports> weighed = evidence.signals(Signal.Reports.class);
    if (intakes.isEmpty() || weighed.isEmpty()) {
      return Outcome.none();
    }
    Signal.ReportIntake in = intakes.get(0);
    Signal.Reports r = weighed.get(0);
    List<Action> actions = new ArrayList<>();
    List<Reason> reasons = new ArrayList<>();
    String facts = String.format(Locale.ROOT, "%d report(s) on the target, combined weight %.2f; this one claims %s.",
        r.reports(), r.weight(), in.category().wireName());
    switch (in.misuse()) {
      case SUSPENDED: {
        String until = in.suspendedUntil().map(Object::toString).orElse("the end of the suspension");
        if (severe(in.category()) && !in.targetRemoved()) {
          actions.add(new Action.QueueForReview(Priority.LOW, false, "suspended_reporter", in.score()));
          reasons.add(Reason.note(ID, "reporter_suspended", "Report processing for this reporter is suspended for "
              + "misuse until " + until + "; the report was recorded but not weighed. It claims a severe harm, so "
              + "it is still queued, at low priority."));
        } else {
          actions.add(new Action.Allow());
          reasons.add(Reason.note(ID, "reporter_suspended", "Report processing for this reporter is suspended for "
              + "misuse until " + until + "; the report was recorded but not weighed."));
        }
        return Outcome.of(actions, reasons);
      }
      case WARNING_NOTICE: {
        String text = "Many of your recent reports (" + in.unfounded() + " in the last weeks) were found manifestly "
            + "unfounded by a moderator. If this goes on, a person may suspend the processing of your reports for a"
            + " period. This report is processed as usual.";
        reasons.add(new Reason(ID, "reporter_warning_notice", text, Optional.empty(), Optional.of(MISUSE)));
        actions.add(new Action.NotifyUser(Action.Recipient.REPORTERS,
            new StatementOfReasons(MISUSE, text, true, false, REDRESS)));
        break;
      }
      case RESTORED:
        reasons.add(Reason.note(ID, "reporter_restored",
            "The suspension of this reporter's report processing is over; the report is processed."));
        break;
      default:
        break;
    }
    if (in.targetRemoved()) {
      reasons.add(Reason.note(ID, "already_removed", facts + " The content was already removed."));
      return Outcome.of(actions, reasons);
    }
    boolean victim = in.firstParty() && victimClaim(in.category());
    if (in.attachedTo().isPresent()) {
      String item = in.attachedTo().get().value();
      if (victim && !in.duplicate()) {
        victim(in, facts + " The item queued by decision " + item + " moves to the victim lane.", actions, reasons);
      } else if (in.trustedFlagger() && !in.attachedTrusted()) {
        actions.add(new Action.QueueForReview(Priority.URGENT, false, "trusted_flagger", in.score()));
        reasons.add(Reason.note(ID, "trusted_flagger", facts + " A trusted flagger reported it. It was already "
            + "queued by decision " + item + "; this moves it to the trusted-flagger lane."));
      } else if (in.escalates() && !in.duplicate()) {
        fresh(in, r, evidence.now(), facts + " It claims a harm more severe than the item queued by decision " + item + " ("
            + in.attachedCategory().map(Category::wireName).orElse("?") + "), so it escalates.", "escalated",
            actions, reasons);
      } else if (in.reflag()) {
        actions.add(new Action.QueueForReview(severe(in.category()) ? Priority.NORMAL : Priority.LOW, true,
            in.campaign() ? "campaign" : "brigading", in.score()));
        reasons.add(Reason.note(ID, "coordination_detected", facts + " The reports on the item queued by decision "
            + item + " now look coordinated (" + coordination(in, r) + "), so the item is flagged."));
      } else {
        reasons.add(Reason.note(ID, "attached", facts + " The target is already queued for review by decision "
            + item + (r.brigadingSuspected() || in.campaign() ? "; the reports look coordinated ("
            + coordination(in, r) + ")." : ".")));
      }
      return Outcome.of(actions, reasons);
    }
    if (!in.cleared().isEmpty()) {
      boolean independent = in.proven() && !in.linkedToRejected();
      if (!(in.trustedFlagger() || victim || independent)) {
        reasons.add(Reason.note(ID, "already_reviewed", facts + " A moderator already found it not to be "
            + in.cleared().stream().map(Category::wireName).sorted().collect(Collectors.joining(", "))
            + (in.linkedToRejected() ? "; this reporter is one of, or acts with, the reporters whose reports were "
                + "rejected" : "; reports from reporters without a track record do not reopen it")
            + (r.brigadingSuspected() || in.campaign() ? " (the reports look coordinated: " + coordination(in, r)
                + ")." : ".")));
        return Outcome.of(actions, reasons);
      }
    }
    fresh(in, r, evidence.now(), facts, null, actions, reasons);
    return Outcome.of(actions, reasons);
  }

  /** A claim with no open item: the lanes in order. {@code code} overrides the reason code of a queue. */
  private static void fresh(Signal.ReportIntake in, Signal.Reports r, Instant now, String facts, String code,
      List<Action> actions, List<Reason> reasons) {
    boolean victim = in.firstParty() && victimClaim(in.category());
    if (victim) {
      victim(in, facts, actions, reasons);
    } else if (in.trustedFlagger() || r.trustedFlaggerReports() > 0) {
      actions.add(new Action.QueueForReview(Priority.URGENT, false, "trusted_flagger", in.score()));
      reasons.add(Reason.note(ID, code == null ? "trusted_flagger" : code, facts + " A trusted flagger reported it."));
    } else if (r.brigadingSuspected() || in.campaign()) {
      actions.add(new Action.QueueForReview(severe(in.category()) ? Priority.NORMAL : Priority.LOW, true,
          in.campaign() && !r.brigadingSuspected() ? "campaign" : "brigading", in.score()));
      reasons.add(Reason.note(ID, code == null ? (in.campaign() && !r.brigadingSuspected() ? "suspected_campaign"
          : "suspected_brigading") : code, facts + " The reports look coordinated (" + coordination(in, r)
          + "), so they count as one."));
    } else if (!in.corroborated() && (in.young() || (!in.proven() && !severe(in.category())))) {
      if (in.recheckAt().isPresent() && !in.recheckAt().get().isAfter(now)) {
        actions.add(new Action.QueueForReview(Priority.LOW, false, "uncorroborated", in.score()));
        reasons.add(Reason.note(ID, "recheck", facts + " The reports waited for corroboration until "
            + in.recheckAt().get() + "; a person looks at them now, at low priority."));
      } else {
        reasons.add(Reason.note(ID, "awaiting_corroboration", facts + " The reporter has no track record yet; the "
            + "report is kept and counts once others corroborate it"
            + in.recheckAt().map(t -> ", or is looked at again from " + t).orElse("") + "."));
      }
    } else if (r.weight() >= REVIEW_WEIGHT) {
      Priority p = r.weight() >= HIGH_WEIGHT || severe(in.category()) ? Priority.HIGH : Priority.NORMAL;
      actions.add(new Action.QueueForReview(p, false, "reports", in.score()));
      reasons.add(Reason.note(ID, code == null ? "reported" : code, facts));
    } else {
      reasons.add(Reason.note(ID, "below_threshold", facts + " The reports do not yet weigh enough for a review "
          + "(0.3); the report is kept and counts with the next ones."));
    }
  }

  private static void victim(Signal.ReportIntake in, String facts, List<Action> actions, List<Reason> reasons) {
    Priority p = in.unfounded() > 0 ? Priority.HIGH : Priority.URGENT;
    actions.add(new Action.QueueForReview(p, false, "victim", in.score()));
    reasons.add(Reason.note(ID, "victim", facts + " The reporter says the content shows them; a first-party report "
        + "of " + in.category().wireName() + " is heard at once, whatever the account's age."));
  }

  private static String coordination(Signal.ReportIntake in, Signal.Reports r) {
    List<String> parts = new ArrayList<>();
    if (r.brigadingSuspected()) {
      parts.add(in.correlation().stream().map(Signal.ReportIntake.Correlation::wireName).sorted()
          .collect(Collectors.joining(",")) + ": " + in.unproven() + " reporters without a track record, largest "
          + "correlated cluster " + in.largestCluster());
    }
    if (in.campaign()) {
      parts.add("campaign: " + in.campaignTargets() + " targets of one person reported by " + in.campaignReporters()
          + " reporters");
    }
    return String.join("; ", parts);
  }

  /** Misuse findings of a review verdict: reasons on the review decision. */
  private Outcome misuse(Evidence evidence) {
    List<Action> actions = new ArrayList<>();
    List<Reason> reasons = new ArrayList<>();
    for (Signal.ReportResolution res : evidence.signals(Signal.ReportResolution.class)) {
      for (Signal.ReportResolution.MisuseFinding f : res.misuse()) {
        String who = "Reporter " + f.reporter().value() + ": " + f.unfounded() + " manifestly unfounded report(s) "
            + "within the misuse window, " + Math.round(f.share() * 100) + "% of their reviewed reports";
        switch (f.step()) {
          case WARN:
            reasons.add(new Reason(ID, "reporter_warning", who + ". They are warned (they are told on their next "
                + "report); if it goes on, a person decides on a suspension.", Optional.empty(), Optional.of(MISUSE)));
            break;
          case PROPOSE_SUSPENSION:
            actions.add(new Action.QueueForReview(Priority.NORMAL, false, "report_misuse"));
            reasons.add(new Reason(ID, "reporter_suspension_proposed", who + ", after a warning. A person decides "
                + "whether to suspend the processing of their reports.", Optional.empty(), Optional.of(MISUSE)));
            break;
          case ALERT_OPERATOR:
            actions.add(new Action.QueueForReview(Priority.NORMAL, false, "trusted_flagger_precision"));
            reasons.add(new Reason(ID, "trusted_flagger_precision", who + ". They are a trusted flagger: they are "
                + "neither warned nor suspended; the operator is alerted to inform the Digital Services "
                + "Coordinator.", Optional.empty(), Optional.of(FLAGGER_PRECISION)));
            break;
          default:
            throw new IllegalStateException("unhandled misuse step " + f.step());
        }
      }
    }
    return reasons.isEmpty() ? Outcome.none() : Outcome.of(actions, reasons);
  }

  /**
   * A person's step in a reporter's misuse case (the engine accepted it: it answers the case as it
   * stands): a reason on each, the appeal queued for a moderator.
   */
  private static Outcome sanction(ReporterSanction s) {
    String who = "Reporter " + s.reporter().value();
    String by = s.reviewer().map(v -> " by moderator " + v).orElse("");
    switch (s.step()) {
      case CONFIRM:
        return Outcome.of(List.of(), List.of(new Reason(ID, "reporter_suspension_confirmed", who + ": the proposal "
            + s.decision().value() + " to suspend the processing of their reports was confirmed" + by + ". " + REDRESS,
            Optional.empty(), Optional.of(MISUSE))));
      case REJECT:
        return Outcome.of(List.of(), List.of(new Reason(ID, "reporter_suspension_rejected", who + ": the proposal "
            + s.decision().value() + " to suspend the processing of their reports was rejected" + by + "; nothing is"
            + " suspended.", Optional.empty(), Optional.empty())));
      case APPEAL:
        return Outcome.of(List.of(new Action.QueueForReview(Priority.NORMAL, false, "report_misuse_appeal")),
            List.of(new Reason(ID, "reporter_suspension_appealed", who + " appeals the suspension of decision "
                + s.decision().value() + "; a moderator other than the reporter decides.", Optional.empty(),
                Optional.empty())));
      case UPHOLD:
        return Outcome.of(List.of(), List.of(new Reason(ID, "reporter_appeal_upheld", who + ": the appeal against the"
            + " suspension of decision " + s.decision().value() + " was upheld" + by + "; the suspension is lifted and"
            + " the last warning withdrawn.", Optional.empty(), Optional.empty())));
      case DISMISS:
        return Outcome.of(List.of(), List.of(new Reason(ID, "reporter_appeal_dismissed", who + ": the appeal against"
            + " the suspension of decision " + s.decision().value() + " was dismissed" + by + "; the suspension runs"
            + " on.", Optional.empty(), Optional.of(MISUSE))));
      default:
        throw new IllegalStateException("unhandled sanction step " + s.step());
    }
  }

  private static boolean victimClaim(Category c) {
    return c == Category.NCII || c == Category.SEXUAL_DEEPFAKE || c == Category.CSAM;
  }

  private static boolean severe(Category c) {
    return c == Category.NCII || c == Category.SEXUAL_DEEPFAKE || c == Category.CSAM || c == Category.TERRORISM;
  }
}
