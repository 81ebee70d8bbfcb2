package dev.haetae.moderation.core.policy;

import dev.haetae.moderation.api.Action;
import dev.haetae.moderation.api.Category;
import dev.haetae.moderation.api.ContentEvent;
import dev.haetae.moderation.api.DecisionId;
import dev.haetae.moderation.api.Duty;
import dev.haetae.moderation.api.Evidence;
import dev.haetae.moderation.api.LegalGround;
import dev.haetae.moderation.api.LegalNotice;
import dev.haetae.moderation.api.MeasureExpiry;
import dev.haetae.moderation.api.Outcome;
import dev.haetae.moderation.api.PolicyId;
import dev.haetae.moderation.api.Priority;
import dev.haetae.moderation.api.Reason;
import dev.haetae.moderation.api.ReviewOutcome;
import dev.haetae.moderation.api.Signal;
import dev.haetae.moderation.api.StatementOfReasons;
import dev.haetae.moderation.api.Verdict;
import dev.haetae.moderation.api.spi.Policy;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Legal notices and the obligations they open.
 *
 * <ul>
 *   <li>A valid notice under an instrument whose duties include removal or disabling (TAKE IT
 *       DOWN, a TCO removal order, an eSafety removal notice, India's 2-hour and 3-hour rules,
 *       Korea's Art. 22-5...) removes the content at once, blocks re-uploads, preserves it for the
 *       instrument's period, reports it when the instrument says so, and notifies the uploader and
 *       the sender.
 *   <li>A valid notice whose duty is an assessment (DSA Art. 16 and 22, the UK's internal target)
 *       goes to the legal review lane.
 *   <li>Either way the decision carries the earliest deadline among the content's open
 *       obligations, so overlapping instruments are met by the strictest clock.
 *   <li>An invalid notice leads to no action on the content; the sender is told precisely what is
 *       missing, in a statement the host can send back.
 *   <li>A notice for content already removed closes at once, with a reason saying so.
 *   <li>Content that arrives after a notice about it (events out of order) is removed on arrival
 *       when an open obligation demands it.
 *   <li>Since version 3: a valid notice whose instrument requires removing identical copies (US TAKE
 *       IT DOWN) also removes the identical copies posted before it ({@link Action.RemoveCopies}), as
 *       the evidence lists them ({@link Signal.KnownContent#identicalCopies()}). Version 2 is kept to
 *       replay the logs it decided.
 *   <li>Since version 4: a valid notice under an instrument that provides a temporary measure
 *       ({@code temporary_measure_for}, Korea's Network Act Art. 44-2) takes the measure the evidence
 *       offers ({@link Signal.TemporaryMeasure} without a decision) instead of a removal: access is
 *       blocked until its expiry ({@link Action.TemporaryMeasure}), an urgent legal review is queued,
 *       and the uploader and the sender are told. A review verdict on the content ends the open
 *       measure ({@link Action.EndMeasure}): violating upholds the removal, not violating restores
 *       the content. A {@link MeasureExpiry} lifts it when the measure is still open and its expiry
 *       is not after the evidence's instant. Version 3 is kept to replay the logs it decided.
 * </ul>
 */
final class NoticePolicy implements Policy {
  static final String NAME = "legal-notice";
  private final PolicyId id;
  private final int version;

  NoticePolicy() {
    this(4);
  }

  NoticePolicy(int version) {
    this.version = version;
    this.id = PolicyId.of(NAME, Integer.toString(version));
  }

  @Override
  public PolicyId id() {
    return id;
  }

  @Override
  public Outcome evaluate(Evidence evidence) {
    if (evidence.request() instanceof ContentEvent) {
      return onContent(evidence);
    }
    if (version >= 4 && evidence.request() instanceof MeasureExpiry) {
      return expiry(evidence, (MeasureExpiry) evidence.request());
    }
    if (version >= 4 && evidence.request() instanceof ReviewOutcome) {
      return verdict(evidence, (ReviewOutcome) evidence.request());
    }
    if (!(evidence.request() instanceof LegalNotice)) {
      return Outcome.none();
    }
    LegalNotice notice = (LegalNotice) evidence.request();
    List<Signal.NoticeCheck> checks = evidence.signals(Signal.NoticeCheck.class);
    if (checks.isEmpty()) {
      return Outcome.none();
    }
    Signal.NoticeCheck check = checks.get(0);
    if (!check.valid() && !check.duplicate()) {
      String facts = "The notice " + notice.noticeId() + " under " + notice.instrument()
          + " cannot be acted on yet. Missing or wrong: " + String.join("; ", check.missing()) + ".";
      LegalGround ground = LegalGround.law(notice.instrument(), "The instrument's requirements for a valid notice.");
      return Outcome.of(List.of(new Action.NotifyUser(Action.Recipient.NOTICE_SENDER, new StatementOfReasons(ground,
          facts, false, true, "Send the notice again with the missing items; the clock starts when a valid notice"
              + " is received."))), List.of(Reason.note(id, "notice_invalid", facts)));
    }
    Optional<Signal.NoticeReceipt> receipt = receipt(evidence);
    Optional<String> obligationId = receipt.flatMap(Signal.NoticeReceipt::obligation);
    Signal.Obligation own = null;
    for (Signal.Obligation o : evidence.signals(Signal.Obligation.class)) {
      if (obligationId.isPresent() && o.id().equals(obligationId.get())) {
        own = o;
      }
    }
    if (own == null) {
      String status = receipt.flatMap(Signal.NoticeReceipt::state).map(Signal.ObligationState::wireName)
          .orElse("unknown");
      return Outcome.of(List.of(), List.of(Reason.note(id, "notice_" + status,
          "The notice " + notice.noticeId() + " under " + notice.instrument() + " needs no further action: its"
              + " obligation is " + status + (check.duplicate() ? " (a duplicate notice)." : "."))));
    }
    return act(evidence, List.of(own), true);
  }

  private Outcome onContent(Evidence evidence) {
    List<Signal.Obligation> open = new ArrayList<>();
    for (Signal.Obligation o : evidence.signals(Signal.Obligation.class)) {
      if (removes(o)) {
        open.add(o);
      }
    }
    return open.isEmpty() ? Outcome.none() : act(evidence, open, false);
  }

  private Outcome act(Evidence evidence, List<Signal.Obligation> triggering, boolean notice) {
    Instant deadline = null;
    for (Signal.Obligation o : evidence.signals(Signal.Obligation.class)) {
      if (deadline == null || o.deadline().isBefore(deadline)) {
        deadline = o.deadline();
      }
    }
    Signal.Obligation ob = triggering.get(0);
    String facts = (notice ? "A valid notice" : "An open obligation") + " under " + ob.instrument() + " ("
        + ob.citation() + ") requires action by " + ob.deadline() + "."
        + (deadline.isBefore(ob.deadline()) ? " Another instrument on this content requires action earlier, by "
            + deadline + "." : "");
    if (!removes(ob)) {
      return new Outcome(List.of(new Action.QueueForReview(Priority.URGENT, false, "legal")),
          List.of(Reason.note(id, "notice_needs_assessment", facts)), Optional.of(deadline));
    }
    LegalGround ground = LegalGround.law(ob.citation(), "A valid notice under this provision requires removal.");
    Duration preserve = Duration.ZERO;
    boolean report = false;
    for (Signal.Obligation o : triggering) {
      if (o.preserveFor().compareTo(preserve) > 0) {
        preserve = o.preserveFor();
      }
      report |= o.duties().contains(Duty.REPORT);
    }
    if (notice && version >= 4) {
      for (Signal.TemporaryMeasure m : evidence.signals(Signal.TemporaryMeasure.class)) {
        if (m.measure().isEmpty() && m.instrument().equals(ob.instrument())) {
          return temporaryMeasure(ob, m, facts, deadline);
        }
      }
    }
    List<Action> actions = new ArrayList<>();
    actions.add(new Action.Remove());
    actions.add(new Action.BlockReupload());
    if (notice && version >= 3) {
      for (Signal.KnownContent k : evidence.signals(Signal.KnownContent.class)) {
        if (!k.identicalCopies().isEmpty()) {
          actions.add(new Action.RemoveCopies(k.identicalCopies()));
          facts += " " + k.identicalCopies().size() + " identical " + (k.identicalCopies().size() == 1 ? "copy" : "copies")
              + " posted earlier " + (k.identicalCopies().size() == 1 ? "is" : "are") + " removed with it.";
        }
      }
    }
    if (!preserve.isZero()) {
      actions.add(new Action.PreserveEvidence(preserve));
    }
    if (report) {
      boolean csam = ob.category() == Category.CSAM;
      actions.add(new Action.ReportToAuthority(csam ? "NCMEC" : "competent authority", csam));
    }
    actions.add(new Action.NotifyUser(Action.Recipient.UPLOADER,
        new StatementOfReasons(ground, facts, false, true, Grounds.redress())));
    if (notice) {
      actions.add(new Action.NotifyUser(Action.Recipient.NOTICE_SENDER,
          new StatementOfReasons(ground, facts + " The content was removed.", false, true,
              "You may complain about this decision through the platform's complaint form.")));
    }
    return new Outcome(actions, List.of(Reason.of(id, notice ? "legal_notice" : "legal_obligation", facts,
        ob.category(), ground)), Optional.of(deadline));
  }

  /** A temporary measure instead of a removal: blocked until the expiry, a person decides meanwhile. */
  private Outcome temporaryMeasure(Signal.Obligation ob, Signal.TemporaryMeasure m, String facts, Instant deadline) {
    LegalGround ground = LegalGround.law(ob.citation(), "A request under this provision, where infringement is"
        + " unclear or disputed, calls for a temporary measure blocking access.");
    String measureFacts = facts + " Access is blocked by a temporary measure until " + m.until()
        + " while the request is reviewed; the content is restored at that time unless a review upholds the request.";
    List<Action> actions = List.of(new Action.TemporaryMeasure(m.until()),
        new Action.QueueForReview(Priority.URGENT, false, "legal"),
        new Action.NotifyUser(Action.Recipient.UPLOADER,
            new StatementOfReasons(ground, measureFacts, false, true, Grounds.redress())),
        new Action.NotifyUser(Action.Recipient.NOTICE_SENDER, new StatementOfReasons(ground, measureFacts, false, true,
            "You may complain about this decision through the platform's complaint form.")));
    return new Outcome(actions, List.of(Reason.of(id, "temporary_measure", measureFacts, ob.category(), ground)),
        Optional.of(deadline));
  }

  /** The open measure a request names, if the evidence shows it. */
  private static Optional<Signal.TemporaryMeasure> open(Evidence evidence, Optional<DecisionId> d) {
    for (Signal.TemporaryMeasure m : evidence.signals(Signal.TemporaryMeasure.class)) {
      if (m.measure().isPresent() && (d.isEmpty() || m.measure().equals(d))) {
        return Optional.of(m);
      }
    }
    return Optional.empty();
  }

  private Outcome expiry(Evidence evidence, MeasureExpiry x) {
    Optional<Signal.TemporaryMeasure> m = open(evidence, Optional.of(x.measure()));
    if (m.isEmpty()) {
      return Outcome.of(List.of(), List.of(Reason.note(id, "measure_not_open", "The temporary measure of decision "
          + x.measure().value() + " is not open: a verdict ended it or it was lifted before.")));
    }
    if (m.get().until().isAfter(evidence.now())) {
      return Outcome.of(List.of(), List.of(Reason.note(id, "measure_not_due", "The temporary measure of decision "
          + x.measure().value() + " under " + m.get().instrument() + " lasts until " + m.get().until() + ".")));
    }
    return Outcome.of(List.of(new Action.EndMeasure(x.measure(), Action.EndMeasure.Ending.LIFTED)),
        List.of(Reason.note(id, "measure_lifted", "The temporary measure of decision " + x.measure().value()
            + " under " + m.get().instrument() + " reached its expiry, " + m.get().until()
            + ", with no review verdict: access is restored.")));
  }

  private Outcome verdict(Evidence evidence, ReviewOutcome r) {
    Optional<Signal.TemporaryMeasure> m = open(evidence, Optional.empty());
    if (m.isEmpty()) {
      return Outcome.none();
    }
    DecisionId d = m.get().measure().orElseThrow();
    boolean upheld = r.verdict() == Verdict.VIOLATING;
    return Outcome.of(List.of(new Action.EndMeasure(d, upheld ? Action.EndMeasure.Ending.UPHELD
        : Action.EndMeasure.Ending.RESTORED)), List.of(Reason.note(id, upheld ? "measure_upheld" : "measure_restored",
        "The review verdict ends the temporary measure of decision " + d.value() + " under " + m.get().instrument()
            + (upheld ? ": the content stays removed." : ": the content does not infringe and access is restored."))));
  }

  private static boolean removes(Signal.Obligation o) {
    return o.duties().contains(Duty.REMOVE) || o.duties().contains(Duty.DISABLE);
  }

  private static Optional<Signal.NoticeReceipt> receipt(Evidence evidence) {
    List<Signal.NoticeReceipt> r = evidence.signals(Signal.NoticeReceipt.class);
    return r.isEmpty() ? Optional.empty() : Optional.of(r.get(0));
  }
}
