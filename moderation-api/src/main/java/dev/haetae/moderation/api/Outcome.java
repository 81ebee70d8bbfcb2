package dev.haetae.moderation.api;

import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * What one policy proposes for one piece of evidence: actions, the reasons for them, and a
 * deadline by which they must be carried out (e.g. a legal clock). The engine combines the
 * outcomes of all policies into one {@link Decision}. Immutable and thread-safe.
 *
 * <p>An outcome with no actions means "no opinion". A restrictive action must be justified by at
 * least one reason with a {@link LegalGround}; the engine treats an outcome that breaks this rule
 * as a policy failure.
 *
 * @param actions the proposed actions; not null; copied
 * @param reasons why; not null; copied
 * @param deadline by when the actions must be done, if a clock applies; not null
 * @since 0.1
 */
public record Outcome(List<Action> actions, List<Reason> reasons, Optional<Instant> deadline) {

  private static final Outcome NONE = new Outcome(List.of(), List.of(), Optional.empty());

  /**
   * Validates and copies.
   *
   * @param actions the actions component, as described on the record
   * @param reasons the reasons component, as described on the record
   * @param deadline the deadline component, as described on the record
   * @throws NullPointerException when a component or an element is null
   */
  public Outcome {
    actions = List.copyOf(actions);
    reasons = List.copyOf(reasons);
    Objects.requireNonNull(deadline, "deadline");
  }

  /**
   * No opinion: the policy has nothing to say about this evidence.
   *
   * @return the shared empty outcome
   */
  public static Outcome none() {
    return NONE;
  }

  /**
   * Actions with reasons and no deadline.
   *
   * @param actions the actions; not null
   * @param reasons the reasons; not null
   * @return the outcome
   */
  public static Outcome of(List<Action> actions, List<Reason> reasons) {
    return new Outcome(actions, reasons, Optional.empty());
  }

  /**
   * Whether this outcome proposes nothing.
   *
   * @return true when there are no actions
   */
  public boolean isEmpty() {
    return actions.isEmpty();
  }

  /**
   * A copy with a deadline.
   *
   * @param value the deadline; not null
   * @return a new outcome
   */
  public Outcome withDeadline(Instant value) {
    return new Outcome(actions, reasons, Optional.of(value));
  }
}
