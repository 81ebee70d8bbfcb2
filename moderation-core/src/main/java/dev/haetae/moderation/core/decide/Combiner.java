package dev.haetae.moderation.core.decide;

import dev.haetae.moderation.api.Action;
import dev.haetae.moderation.api.Outcome;
import dev.haetae.moderation.api.Priority;
import dev.haetae.moderation.api.Reason;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The combining rule: many policy outcomes become one action set. Documented in the engine guide;
 * kept in one place so that the engine and replay apply exactly the same rule.
 *
 * <ol>
 *   <li>The <b>disposition</b> is the most severe one proposed (allow &lt; blur &lt; restrict
 *       forwarding &lt; remove); weaker dispositions are dropped.
 *   <li><b>Additional measures</b> from every outcome are kept, merged per type: the highest review
 *       priority, the highest score within it (brigading flagged if any proposal flagged it), the longest suspension (indefinite
 *       wins), the longest preservation, one report per authority, one notification per recipient,
 *       one block of re-uploads.
 *   <li>When any report to an authority forbids tipping off, the notification to the uploader is
 *       dropped.
 *   <li>{@code allow} is kept only when nothing else is proposed.
 *   <li>The <b>deadline</b> is the earliest one; <b>reasons</b> are all kept, in policy order,
 *       without duplicates.
 * </ol>
 */
final class Combiner {
  private Combiner() {}

  record Combined(List<Action> actions, List<Reason> reasons, Optional<Instant> deadline) {}

  static Combined combine(List<Outcome> outcomes) {
    Action disposition = null;
    Action.QueueForReview review = null;
    boolean reviewBrigading = false;
    Action.SuspendAccount suspend = null;
    Action.PreserveEvidence preserve = null;
    boolean blockReupload = false;
    java.util.Set<Action.Reinstate> reinstate = new LinkedHashSet<>();
    Action.TemporaryMeasure measure = null;
    java.util.Set<Action.EndMeasure> ended = new LinkedHashSet<>(0);
    LinkedHashSet<dev.haetae.moderation.api.ContentId> copies = new LinkedHashSet<>(0);
    Map<String, Action.ReportToAuthority> reports = new LinkedHashMap<>();
    Map<Action.Recipient, Action.NotifyUser> notifications = new LinkedHashMap<>();
    LinkedHashSet<Reason> reasons = new LinkedHashSet<>();
    Instant deadline = null;

    for (Outcome o : outcomes) {
      reasons.addAll(o.reasons());
      if (o.deadline().isPresent() && (deadline == null || o.deadline().get().isBefore(deadline))) {
        deadline = o.deadline().get();
      }
      for (Action a : o.actions()) {
        if (a.severity() >= 0) {
          if (disposition == null || a.severity() > disposition.severity()) {
            disposition = a;
          }
        } else if (a instanceof Action.QueueForReview) {
          Action.QueueForReview q = (Action.QueueForReview) a;
          reviewBrigading |= q.brigadingSuspected();
          if (review == null || q.priority().compareTo(review.priority()) > 0
              || (q.priority() == review.priority() && q.score() > review.score())) {
            review = q;
          }
        } else if (a instanceof Action.SuspendAccount) {
          suspend = longer(suspend, (Action.SuspendAccount) a);
        } else if (a instanceof Action.PreserveEvidence) {
          Action.PreserveEvidence p = (Action.PreserveEvidence) a;
          if (preserve == null || p.period().compareTo(preserve.period()) > 0) {
            preserve = p;
          }
        } else if (a instanceof Action.BlockReupload) {
          blockReupload = true;
        } else if (a instanceof Action.ReportToAuthority) {
          Action.ReportToAuthority r = (Action.ReportToAuthority) a;
          reports.merge(r.authority(), r,
              (x, y) -> new Action.ReportToAuthority(x.authority(), x.noTipOff() || y.noTipOff()));
        } else if (a instanceof Action.NotifyUser) {
          Action.NotifyUser n = (Action.NotifyUser) a;
          notifications.putIfAbsent(n.recipient(), n);
        } else if (a instanceof Action.Reinstate) {
          reinstate.add((Action.Reinstate) a);
        } else if (a instanceof Action.RemoveCopies) {
          copies.addAll(((Action.RemoveCopies) a).copies());
        } else if (a instanceof Action.TemporaryMeasure) {
          Action.TemporaryMeasure t = (Action.TemporaryMeasure) a;
          if (measure == null || t.until().isBefore(measure.until())) {
            measure = t;
          }
        } else if (a instanceof Action.EndMeasure) {
          ended.add((Action.EndMeasure) a);
        }
      }
    }

    List<Action> out = new ArrayList<>();
    if (disposition != null && disposition.severity() > 0) {
      out.add(disposition);
    }
    if (measure != null && (disposition == null || disposition.severity() < new Action.Remove().severity())) {
      out.add(measure); // a removal on other grounds makes a temporary measure moot
    }
    out.addAll(ended);
    out.addAll(reinstate);
    if (!copies.isEmpty()) {
      out.add(new Action.RemoveCopies(new ArrayList<>(copies)));
    }
    if (blockReupload) {
      out.add(new Action.BlockReupload());
    }
    if (suspend != null) {
      out.add(suspend);
    }
    if (preserve != null) {
      out.add(preserve);
    }
    boolean noTipOff = false;
    for (Action.ReportToAuthority r : reports.values()) {
      out.add(r);
      noTipOff |= r.noTipOff();
    }
    if (review != null) {
      out.add(new Action.QueueForReview(review.priority(), reviewBrigading, review.lane(), review.score()));
    }
    for (Action.NotifyUser n : notifications.values()) {
      if (noTipOff && n.recipient() == Action.Recipient.UPLOADER) {
        continue;
      }
      out.add(n);
    }
    if (out.isEmpty()) {
      out.add(new Action.Allow());
    }
    return new Combined(out, List.copyOf(reasons), Optional.ofNullable(deadline));
  }

  private static Action.SuspendAccount longer(Action.SuspendAccount a, Action.SuspendAccount b) {
    if (a == null) {
      return b;
    }
    if (a.duration().isEmpty()) {
      return a;
    }
    if (b.duration().isEmpty()) {
      return b;
    }
    Duration da = a.duration().get();
    Duration db = b.duration().get();
    return db.compareTo(da) > 0 ? b : a;
  }

  /** The fail-mode outcome for a failed policy in REVIEW mode. */
  static Outcome reviewOutcome(Reason reason) {
    return Outcome.of(List.of(Action.QueueForReview.of(Priority.NORMAL)), List.of(reason));
  }
}
