package dev.haetae.moderation.core.policy;

import dev.haetae.moderation.api.Action;
import dev.haetae.moderation.api.Category;
import dev.haetae.moderation.api.Evidence;
import dev.haetae.moderation.api.LegalGround;
import dev.haetae.moderation.api.Outcome;
import dev.haetae.moderation.api.PolicyId;
import dev.haetae.moderation.api.Priority;
import dev.haetae.moderation.api.Reason;
import dev.haetae.moderation.api.Signal;
import dev.haetae.moderation.api.StatementOfReasons;
import dev.haetae.moderation.api.UserReport;
import dev.haetae.moderation.api.spi.Policy;
import dev.haetae.moderation.core.reputation.LegacyIntake;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The {@code reports} policy as version 2 decided, kept to replay the decision logs it decided; never
 * enforced (see {@link PolicyPack#retired()}). It reads the intake of reputation model 0.1, a custom
 * signal whose attributes {@link LegacyIntake} names, and is otherwise the code of that version.
 *
 * <p>User reports. Reports alone never restrict or remove anything: a person decides.
 *
 * <ul>
 *   <li>A target already queued for review (an earlier report's decision queued it and no verdict
 *       came yet) or already removed is not queued again: the report attaches to the earlier
 *       decision. A trusted flagger's report on a target queued by ordinary reports is the one
 *       exception: it queues in the trusted-flagger lane.
 *   <li>A target review already found not violating is not reopened by reporters without a track
 *       record (a wave that goes on after the verdict stays attached); a proven reporter or a
 *       trusted flagger can reopen it.
 *   <li>Suspected brigading queues one review in the {@code brigading} lane, flagged, at low
 *       priority (normal for severe harms); the collapsed weight is in the evidence.
 *   <li>A trusted flagger (DSA Art. 22) queues at urgent priority in the {@code trusted_flagger}
 *       lane, ahead of every ordinary report, which are at most high.
 *   <li>Reports by new accounts, and reports of harms that are not severe by reporters without a
 *       track record, wait for corroboration (enough distinct reporters, or a proven one).
 *   <li>Otherwise reports whose combined weight reaches 0.3 queue in the {@code reports} lane,
 *       at a priority that grows with the weight and the severity of the alleged harm.
 *   <li>Misuse (DSA Art. 23): a reporter's warning, suspension and restoration are stated as
 *       reasons with their legal ground, and the reporter is notified; a suspended reporter's report
 *       is recorded but not weighed, and the decision says until when.
 * </ul>
 */
final class ReportPolicyV2 implements Policy {
  static final PolicyId ID = PolicyId.of("reports", "2");
  private static final double REVIEW_WEIGHT = 0.3;
  private static final double HIGH_WEIGHT = 1.5;
  private static final LegalGround MISUSE = LegalGround.law("Regulation (EU) 2022/2065 (DSA) Art. 23",
      "A provider may, after a prior warning, suspend for a reasonable period the processing of notices from a "
          + "person who frequently submits notices that are manifestly unfounded.");
  private static final String REDRESS = "You can appeal this decision through the service's complaint system; "
      + "quote the decision id.";

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
    Map<String, String> in = LegacyIntake.attributes(evidence).orElse(Map.of());
    String step = in.getOrDefault(LegacyIntake.STEP, "none");
    List<Action> actions = new ArrayList<>();
    List<Reason> reasons = new ArrayList<>();
    String until = in.getOrDefault(LegacyIntake.SUSPENDED_UNTIL, "?");
    switch (step) {
      case "suspended":
        reasons.add(Reason.note(ID, "reporter_suspended",
            "Report processing for this reporter is suspended for misuse until " + until
                + "; the report was recorded but not weighed."));
        return Outcome.of(List.of(new Action.Allow()), reasons);
      case "suspend":
        return misuse(actions, reasons, "reporter_suspension",
            "Too many of this reporter's recent reports were manifestly unfounded after a warning; processing of "
                + "their reports is suspended until " + until + ". This report was recorded but not weighed.");
      case "warn":
        misuse(actions, reasons, "reporter_warning", "Many of this reporter's recent reports ("
            + in.getOrDefault(LegacyIntake.UNFOUNDED, "?") + ") were manifestly unfounded. Further unfounded "
            + "reports will lead to a suspension of report processing.");
        break;
      case "restore":
        reasons.add(Reason.note(ID, "reporter_restored",
            "The suspension of this reporter's report processing is over; the report is processed."));
        break;
      default:
        break;
    }
    String facts = String.format(Locale.ROOT, "%d report(s) for %s, combined weight %.2f.", r.reports(),
        r.category().wireName(), r.weight());
    boolean trustedReporter = Boolean.parseBoolean(in.get(LegacyIntake.TRUSTED_FLAGGER));
    String attached = in.get(LegacyIntake.ATTACHED_TO);
    boolean escalate = trustedReporter && !Boolean.parseBoolean(in.get(LegacyIntake.ATTACHED_TRUSTED));
    if (Boolean.parseBoolean(in.get(LegacyIntake.TARGET_REMOVED))) {
      reasons.add(Reason.note(ID, "already_removed", facts + " The content was already removed."));
    } else if (attached != null && !escalate) {
      reasons.add(Reason.note(ID, "attached", facts + " The target is already queued for review by decision "
          + attached + (r.brigadingSuspected() ? "; the reports look coordinated (suspected brigading: "
          + in.getOrDefault(LegacyIntake.CORRELATION, "") + ")." : ".")));
    } else if (Boolean.parseBoolean(in.get(LegacyIntake.CLEARED)) && !trustedReporter
        && !Boolean.parseBoolean(in.get(LegacyIntake.PROVEN))) {
      reasons.add(Reason.note(ID, "already_reviewed", facts + " A moderator already reviewed it and found no "
          + "violation; reports from reporters without a track record do not reopen it"
          + (r.brigadingSuspected() ? " (suspected brigading: " + in.getOrDefault(LegacyIntake.CORRELATION, "")
          + ")." : ".")));
    } else if (trustedReporter || (r.trustedFlaggerReports() > 0 && attached == null)) {
      actions.add(new Action.QueueForReview(Priority.URGENT, false, "trusted_flagger"));
      reasons.add(Reason.note(ID, "trusted_flagger", facts + " A trusted flagger reported it."
          + (attached != null ? " It was already queued by decision " + attached + "; this moves it to the "
          + "trusted-flagger lane." : "")));
    } else if (r.brigadingSuspected()) {
      actions.add(new Action.QueueForReview(severe(r.category()) ? Priority.NORMAL : Priority.LOW, true,
          "brigading"));
      reasons.add(Reason.note(ID, "suspected_brigading", facts + " The reports look coordinated ("
          + in.getOrDefault(LegacyIntake.CORRELATION, "") + ": " + in.getOrDefault(LegacyIntake.UNPROVEN, "?")
          + " reporters without a track record, largest correlated cluster "
          + in.getOrDefault(LegacyIntake.LARGEST_CLUSTER, "?") + "), so they count as one."));
    } else if (!Boolean.parseBoolean(in.getOrDefault(LegacyIntake.CORROBORATED, "true"))
        && (Boolean.parseBoolean(in.get(LegacyIntake.YOUNG))
            || (!Boolean.parseBoolean(in.get(LegacyIntake.PROVEN)) && !severe(r.category())))) {
      reasons.add(Reason.note(ID, "awaiting_corroboration", facts
          + " The reporter has no track record yet; the report is kept and counts once others corroborate it."));
    } else if (r.weight() >= REVIEW_WEIGHT) {
      Priority p = r.weight() >= HIGH_WEIGHT || severe(r.category()) ? Priority.HIGH : Priority.NORMAL;
      actions.add(new Action.QueueForReview(p, false, "reports"));
      reasons.add(Reason.note(ID, "reported", facts));
    }
    return reasons.isEmpty() ? Outcome.none() : Outcome.of(actions, reasons);
  }

  private static Outcome misuse(List<Action> actions, List<Reason> reasons, String code, String facts) {
    reasons.add(new Reason(ID, code, facts, java.util.Optional.empty(), java.util.Optional.of(MISUSE)));
    actions.add(new Action.NotifyUser(Action.Recipient.REPORTERS,
        new StatementOfReasons(MISUSE, facts, true, true, REDRESS)));
    return Outcome.of(actions, reasons);
  }

  private static boolean severe(Category c) {
    return c == Category.NCII || c == Category.SEXUAL_DEEPFAKE || c == Category.CSAM || c == Category.TERRORISM;
  }
}
