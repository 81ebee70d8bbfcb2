package dev.haetae.moderation.core.policy;

import dev.haetae.moderation.api.Action;
import dev.haetae.moderation.api.Category;
import dev.haetae.moderation.api.ContentEvent;
import dev.haetae.moderation.api.Duty;
import dev.haetae.moderation.api.Evidence;
import dev.haetae.moderation.api.LegalGround;
import dev.haetae.moderation.api.LegalNotice;
import dev.haetae.moderation.api.Outcome;
import dev.haetae.moderation.api.PolicyId;
import dev.haetae.moderation.api.Priority;
import dev.haetae.moderation.api.Reason;
import dev.haetae.moderation.api.Signal;
import dev.haetae.moderation.api.StatementOfReasons;
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
 * </ul>
 */
final class NoticePolicy implements Policy {
  static final String NAME = "legal-notice";
  private final PolicyId id;
  private final int version;

  NoticePolicy() {
    this(3);
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

  private static boolean removes(Signal.Obligation o) {
    return o.duties().contains(Duty.REMOVE) || o.duties().contains(Duty.DISABLE);
  }

  private static Optional<Signal.NoticeReceipt> receipt(Evidence evidence) {
    List<Signal.NoticeReceipt> r = evidence.signals(Signal.NoticeReceipt.class);
    return r.isEmpty() ? Optional.empty() : Optional.of(r.get(0));
  }
}
