package dev.haetae.moderation.core.audit;

import dev.haetae.moderation.api.Action;
import dev.haetae.moderation.api.ActionConfirmation;
import dev.haetae.moderation.api.Duty;
import dev.haetae.moderation.api.ModerationRequest;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The host's logged {@link ActionConfirmation}s, by the decision they confirm: what reports and
 * explanations read to tell a decided action from a carried-out one. Collected during one pass over
 * a log; not thread-safe.
 */
final class Confirmations {
  private final Map<String, List<ActionConfirmation>> byDecision = new HashMap<>();

  /** The decisions that asked for identical copies to be removed too ({@link Action.RemoveCopies}). */
  private final java.util.Set<String> withCopies = new java.util.HashSet<>();

  /**
   * The action kinds each decision of the log planned, as bits of {@link Action.Kind#ordinal()}:
   * only decisions that planned something other than {@code allow}, so an upload stream's many
   * plain allows cost nothing here.
   */
  private final Map<String, Integer> planned = new HashMap<>();

  /** At most this many stray confirmations are kept for listing; all are counted. */
  static final int MAX_LISTED = 1000;

  private final List<StrayConfirmation> strays = new ArrayList<>();
  private long strayCount;

  /**
   * Reads one logged record: notes the actions its decision planned (and whether it asked for
   * identical copies to be removed), and takes the confirmation its request carries, if it is one.
   * A confirmation of a decision the log does not hold before it, or of an action that decision
   * did not plan, is kept apart as a {@link StrayConfirmation}: it carries nothing out.
   */
  void collect(LoggedRecord rec) {
    dev.haetae.moderation.api.Decision decision = rec.decision();
    if (decision.has(Action.RemoveCopies.class)) {
      withCopies.add(decision.id().value());
    }
    int kinds = 0;
    for (Action a : decision.actions()) {
      if (a.actionKind() != Action.Kind.ALLOW) {
        kinds |= 1 << a.actionKind().ordinal();
      }
      if (a instanceof Action.NotifyUser) {
        kinds |= recipientBit(((Action.NotifyUser) a).recipient());
      }
    }
    if (kinds != 0) {
      planned.merge(decision.id().value(), kinds, (x, y) -> x | y);
    }
    ModerationRequest request = rec.evidence().request();
    if (request instanceof ActionConfirmation) {
      ActionConfirmation c = (ActionConfirmation) request;
      Integer of = planned.get(c.decision().value());
      if (of == null || (of & (1 << c.action().ordinal())) == 0
          || c.recipient().map(r -> (of & recipientBit(r)) == 0).orElse(false)) {
        strayCount++;
        if (strays.size() < MAX_LISTED) {
          strays.add(new StrayConfirmation(rec.seq(), c, of == null ? StrayConfirmation.Problem.UNKNOWN_DECISION
              : StrayConfirmation.Problem.ACTION_NOT_PLANNED));
        }
        return;
      }
      byDecision.computeIfAbsent(c.decision().value(), k -> new ArrayList<>(1)).add(c);
    }
  }

  /** The bit of a notice's recipient in {@link #planned}, above the action kinds'. */
  private static int recipientBit(Action.Recipient r) {
    return 1 << (16 + r.ordinal());
  }

  /**
   * Who waits for the notice of an obligation opened by this request: the reporters for a report
   * (a report-outcome clock), the sender for a legal notice, the uploader for an appeal.
   */
  static Optional<Action.Recipient> waiting(ModerationRequest opener) {
    if (opener instanceof dev.haetae.moderation.api.UserReport) {
      return Optional.of(Action.Recipient.REPORTERS);
    }
    if (opener instanceof dev.haetae.moderation.api.LegalNotice) {
      return Optional.of(Action.Recipient.NOTICE_SENDER);
    }
    if (opener instanceof dev.haetae.moderation.api.Appeal) {
      return Optional.of(Action.Recipient.UPLOADER);
    }
    return Optional.empty();
  }

  /** The stray confirmations, in log order: the first {@link #MAX_LISTED}. */
  List<StrayConfirmation> strays() {
    return List.copyOf(strays);
  }

  /** How many confirmations were stray, listed or not. */
  long strayCount() {
    return strayCount;
  }

  /** The confirmations of one decision, in log order. */
  List<ActionConfirmation> of(String decisionId) {
    return byDecision.getOrDefault(decisionId, List.of());
  }

  /** The ids of the decisions confirmations name. */
  java.util.Set<String> decisions() {
    return byDecision.keySet();
  }

  /**
   * When the host first confirmed carrying out an action of the decision that restricts content
   * (remove, restrict forwarding, blur): the instant that counts against a takedown deadline. When
   * the decision also asked for identical copies to be removed ({@code remove_copies}), the later of
   * that and the copies' confirmation: the deadline covers the copies too.
   */
  Optional<Instant> restrictionCarriedOut(String decisionId) {
    Instant first = null;
    for (ActionConfirmation c : of(decisionId)) {
      if (c.outcome() == ActionConfirmation.Outcome.CARRIED_OUT && restricts(c.action())
          && (first == null || c.at().isBefore(first))) {
        first = c.at();
      }
    }
    if (first != null && withCopies.contains(decisionId)) {
      Optional<Instant> copies = first(decisionId, ActionConfirmation.Outcome.CARRIED_OUT, Action.Kind.REMOVE_COPIES);
      Instant restricted = first;
      return copies.map(t -> t.isAfter(restricted) ? t : restricted);
    }
    return Optional.ofNullable(first);
  }

  /** Whether the host reported a restricting action of the decision (or its copies' removal) as failed. */
  boolean restrictionFailed(String decisionId) {
    for (ActionConfirmation c : of(decisionId)) {
      if (c.outcome() == ActionConfirmation.Outcome.FAILED
          && (restricts(c.action()) || c.action() == Action.Kind.REMOVE_COPIES)) {
        return true;
      }
    }
    return false;
  }

  /**
   * Whether an obligation with these duties is carried out by a notice rather than a restriction:
   * its duties are review and notify, with neither remove nor disable (a report-outcome clock such
   * as {@code KR-TBA-22-5-REPORT}, a DSA Art. 16 notice, an appeal). The verdict fulfils it in the
   * log; the person waiting is told the outcome only when the host delivers the verdict's notice.
   */
  static boolean byNotice(java.util.Collection<Duty> duties) {
    return duties.contains(Duty.NOTIFY) && !duties.contains(Duty.REMOVE) && !duties.contains(Duty.DISABLE);
  }

  /**
   * When the host first confirmed carrying out what fulfils an obligation with these duties: the
   * delivered notice ({@code notify_user}) for one {@link #byNotice carried out by a notice}, the
   * restriction otherwise. The notice that counts is the one to {@code waiting} (see
   * {@link #waiting}) when the decision planned one to them and the confirmation names a recipient;
   * a confirmation without a recipient confirms every notice of the decision.
   */
  Optional<Instant> carriedOut(String decisionId, java.util.Collection<Duty> duties,
      Optional<Action.Recipient> waiting) {
    return byNotice(duties) ? notice(decisionId, ActionConfirmation.Outcome.CARRIED_OUT, addressee(decisionId, waiting))
        : restrictionCarriedOut(decisionId);
  }

  /** Whether the host reported as failed what fulfils an obligation with these duties. */
  boolean failed(String decisionId, java.util.Collection<Duty> duties, Optional<Action.Recipient> waiting) {
    return byNotice(duties) ? notice(decisionId, ActionConfirmation.Outcome.FAILED, addressee(decisionId, waiting))
        .isPresent() : restrictionFailed(decisionId);
  }

  /** The recipient whose notice counts: {@code waiting}, if the decision planned a notice to them. */
  private Optional<Action.Recipient> addressee(String decisionId, Optional<Action.Recipient> waiting) {
    int of = planned.getOrDefault(decisionId, 0);
    return waiting.filter(r -> (of & recipientBit(r)) != 0);
  }

  private Optional<Instant> notice(String decisionId, ActionConfirmation.Outcome outcome,
      Optional<Action.Recipient> to) {
    Instant first = null;
    for (ActionConfirmation c : of(decisionId)) {
      if (c.outcome() == outcome && c.action() == Action.Kind.NOTIFY_USER
          && (to.isEmpty() || c.recipient().isEmpty() || c.recipient().equals(to))
          && (first == null || c.at().isBefore(first))) {
        first = c.at();
      }
    }
    return Optional.ofNullable(first);
  }

  private Optional<Instant> first(String decisionId, ActionConfirmation.Outcome outcome, Action.Kind kind) {
    Instant first = null;
    for (ActionConfirmation c : of(decisionId)) {
      if (c.outcome() == outcome && c.action() == kind && (first == null || c.at().isBefore(first))) {
        first = c.at();
      }
    }
    return Optional.ofNullable(first);
  }

  static boolean restricts(Action.Kind k) {
    return k == Action.Kind.REMOVE || k == Action.Kind.RESTRICT_FORWARDING || k == Action.Kind.BLUR
        || k == Action.Kind.TEMPORARY_MEASURE;
  }

  /** One confirmation as a line of text, e.g. {@code remove carried_out at 2026-...Z}. */
  static String describe(ActionConfirmation c) {
    return c.action().wireName() + c.recipient().map(r -> " (" + r.name().toLowerCase(java.util.Locale.ROOT) + ")")
        .orElse("") + " " + c.outcome().wireName() + " at " + c.at()
        + c.detail().map(d -> " (" + d + ")").orElse("");
  }
}
