package dev.haetae.moderation.core.policy;

import dev.haetae.moderation.api.Action;
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
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * Legal notices: a valid notice under an instrument whose duties include removal and that concerns
 * manifestly illegal material (intimate imagery, deepfakes, CSAM, terrorism orders) removes the
 * content at once, preserves it for the instrument's period and notifies the uploader, with the
 * instrument's deadline; a valid notice under an instrument that calls for an assessment (e.g. a
 * DSA Art. 16 notice) goes to the legal review lane with the deadline; an invalid notice leads to
 * no action on the content (the host returns the list of what is missing to the sender).
 */
final class NoticePolicy implements Policy {
  static final PolicyId ID = PolicyId.of("legal-notice", "1");
  private static final Set<String> ASSESS = Set.of("EU-DSA-16");

  @Override
  public PolicyId id() {
    return ID;
  }

  @Override
  public Outcome evaluate(Evidence evidence) {
    if (!(evidence.request() instanceof LegalNotice)) {
      return Outcome.none();
    }
    List<Signal.NoticeCheck> checks = evidence.signals(Signal.NoticeCheck.class);
    if (checks.isEmpty() || !checks.get(0).valid()) {
      return Outcome.none();
    }
    LegalNotice notice = (LegalNotice) evidence.request();
    Signal.Obligation ob = null;
    for (Signal.Obligation o : evidence.signals(Signal.Obligation.class)) {
      if (o.instrument().equals(notice.instrument())) {
        ob = o;
      }
    }
    if (ob == null) {
      return Outcome.none();
    }
    String facts = "A valid notice under " + ob.instrument() + " (" + ob.citation() + ") asks for action by "
        + ob.deadline() + ".";
    if (ASSESS.contains(ob.instrument()) || !ob.duties().contains(Duty.REMOVE)) {
      return new Outcome(List.of(new Action.QueueForReview(Priority.URGENT, false, "legal")),
          List.of(Reason.note(ID, "notice_needs_assessment", facts)), Optional.of(ob.deadline()));
    }
    LegalGround ground = LegalGround.law(ob.citation(), "A valid notice under this provision requires removal.");
    List<Action> actions = new ArrayList<>();
    actions.add(new Action.Remove());
    actions.add(new Action.BlockReupload());
    if (!ob.preserveFor().isZero()) {
      actions.add(new Action.PreserveEvidence(ob.preserveFor()));
    }
    actions.add(new Action.NotifyUser(Action.Recipient.UPLOADER,
        new StatementOfReasons(ground, facts, false, true, Grounds.redress())));
    return new Outcome(actions, List.of(Reason.of(ID, "legal_notice", facts, ob.category(), ground)),
        Optional.of(ob.deadline()));
  }
}
