package dev.haetae.moderation.api;

import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * The engine's answer to one request: what to do, why, by when, and under which policies. The host
 * executes the actions, shows the reasons to the user, and keeps the id to link appeals. Every
 * decision is durable in the decision log before its actions are handed to the host.
 * Immutable and thread-safe.
 *
 * @param id the decision's id; not null
 * @param at the instant of evaluation; not null
 * @param actions the combined actions, at most one disposition plus additional measures, in a
 *     stable order; not null; never empty (at least {@link Action.Allow})
 * @param reasons every reason given by an enforcing policy; not null
 * @param deadline the earliest deadline among the enforcing outcomes, if any; not null
 * @param policies the enforcing policies that were evaluated; not null
 * @param failures the policies that failed, and the fail mode applied; not null
 * @param shadow what shadow-mode policies would have proposed, never enforced; not null
 * @param subject the fingerprints of the content the decision acts on, as the engine computed or
 *     remembered them (for a report or notice, those of the content when it was posted), so that
 *     the host can block re-uploads without hashing again; {@link Fingerprints#none()} when the
 *     decision concerns no known content; not null
 * @since 0.1
 */
public record Decision(
    DecisionId id,
    Instant at,
    List<Action> actions,
    List<Reason> reasons,
    Optional<Instant> deadline,
    List<PolicyId> policies,
    List<PolicyFailure> failures,
    List<ShadowOutcome> shadow,
    Fingerprints subject) {

  /**
   * Validates and copies.
   *
   * @param id the id component, as described on the record
   * @param at the at component, as described on the record
   * @param actions the actions component, as described on the record
   * @param reasons the reasons component, as described on the record
   * @param deadline the deadline component, as described on the record
   * @param policies the policies component, as described on the record
   * @param failures the failures component, as described on the record
   * @param shadow the shadow component, as described on the record
   * @param subject the subject component, as described on the record
   * @throws NullPointerException when a component or element is null
   * @throws IllegalArgumentException when {@code actions} is empty
   */
  public Decision {
    Objects.requireNonNull(id, "id");
    Objects.requireNonNull(at, "at");
    actions = List.copyOf(actions);
    if (actions.isEmpty()) {
      throw new IllegalArgumentException("a decision has at least one action (allow)");
    }
    reasons = List.copyOf(reasons);
    Objects.requireNonNull(deadline, "deadline");
    policies = List.copyOf(policies);
    failures = List.copyOf(failures);
    shadow = List.copyOf(shadow);
    Objects.requireNonNull(subject, "subject");
  }

  /**
   * A decision about no known content ({@link #subject()} is {@link Fingerprints#none()}).
   *
   * @param id the decision's id; not null
   * @param at the instant of evaluation; not null
   * @param actions the actions; not null, not empty
   * @param reasons the reasons; not null
   * @param deadline the deadline; not null
   * @param policies the enforcing policies; not null
   * @param failures the failures; not null
   * @param shadow the shadow outcomes; not null
   * @throws NullPointerException when a component or element is null
   * @throws IllegalArgumentException when {@code actions} is empty
   */
  public Decision(DecisionId id, Instant at, List<Action> actions, List<Reason> reasons, Optional<Instant> deadline,
      List<PolicyId> policies, List<PolicyFailure> failures, List<ShadowOutcome> shadow) {
    this(id, at, actions, reasons, deadline, policies, failures, shadow, Fingerprints.none());
  }

  /**
   * The action of the given type, if the decision has one.
   *
   * @param <A> the action type
   * @param type the action record class; not null
   * @return the first such action
   */
  public <A extends Action> Optional<A> action(Class<A> type) {
    for (Action a : actions) {
      if (type.isInstance(a)) {
        return Optional.of(type.cast(a));
      }
    }
    return Optional.empty();
  }

  /**
   * Whether the decision has an action of the given type.
   *
   * @param type the action record class; not null
   * @return whether present
   */
  public boolean has(Class<? extends Action> type) {
    return action(type).isPresent();
  }

  /**
   * Whether any action restricts the content or the user.
   *
   * @return whether restrictive
   */
  public boolean restrictive() {
    for (Action a : actions) {
      if (a.restrictive()) {
        return true;
      }
    }
    return false;
  }
}
