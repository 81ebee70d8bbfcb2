package dev.haetae.moderation.core.audit;

import dev.haetae.moderation.api.Action;
import dev.haetae.moderation.api.ActionConfirmation;
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

  /** Takes the confirmation a record's request carries, if it is one. */
  void collect(ModerationRequest request) {
    if (request instanceof ActionConfirmation) {
      ActionConfirmation c = (ActionConfirmation) request;
      byDecision.computeIfAbsent(c.decision().value(), k -> new ArrayList<>(1)).add(c);
    }
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
   * (remove, restrict forwarding, blur): the instant that counts against a takedown deadline.
   */
  Optional<Instant> restrictionCarriedOut(String decisionId) {
    Instant first = null;
    for (ActionConfirmation c : of(decisionId)) {
      if (c.outcome() == ActionConfirmation.Outcome.CARRIED_OUT && restricts(c.action())
          && (first == null || c.at().isBefore(first))) {
        first = c.at();
      }
    }
    return Optional.ofNullable(first);
  }

  /** Whether the host reported a restricting action of the decision as failed. */
  boolean restrictionFailed(String decisionId) {
    for (ActionConfirmation c : of(decisionId)) {
      if (c.outcome() == ActionConfirmation.Outcome.FAILED && restricts(c.action())) {
        return true;
      }
    }
    return false;
  }

  static boolean restricts(Action.Kind k) {
    return k == Action.Kind.REMOVE || k == Action.Kind.RESTRICT_FORWARDING || k == Action.Kind.BLUR;
  }

  /** One confirmation as a line of text, e.g. {@code remove carried_out at 2026-...Z}. */
  static String describe(ActionConfirmation c) {
    return c.action().wireName() + " " + c.outcome().wireName() + " at " + c.at()
        + c.detail().map(d -> " (" + d + ")").orElse("");
  }
}
