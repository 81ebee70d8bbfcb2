package dev.haetae.moderation.api;

import java.util.Objects;

/**
 * A policy that failed during one evaluation, and what the engine did about it. Recorded in the
 * decision so that failures are visible to operators and auditors. A failed signal provider is
 * recorded here too, under the id {@code provider:<its id>} with version {@code -}. Immutable and
 * thread-safe.
 *
 * @param policy the failed policy; not null
 * @param kind how it failed; not null
 * @param message a description (the exception's class and message, the budget exceeded...); not
 *     null
 * @param applied the fail mode applied; not null
 * @since 0.1
 */
public record PolicyFailure(PolicyId policy, Kind kind, String message, FailMode applied) {

  /**
   * How a policy failed.
   *
   * @since 0.1
   */
  public enum Kind {
    /** It threw an exception. */
    THREW,
    /** It returned null. */
    RETURNED_NULL,
    /** It did not finish within its time budget. */
    TIMED_OUT,
    /** It proposed a restrictive action without a reason that names a legal ground. */
    UNJUSTIFIED,
    /**
     * It was not called: it kept exceeding its time budget, and the engine stopped calling it until
     * a cool-down ends and a probe call finishes in time.
     *
     * @since 0.2
     */
    TRIPPED,
    /**
     * It returned something the engine refuses: a signal provider's null or foreign signal, or
     * null version.
     *
     * @since 0.2
     */
    INVALID
  }

  /**
   * Validates.
   *
   * @param policy the policy component, as described on the record
   * @param kind the kind component, as described on the record
   * @param message the message component, as described on the record
   * @param applied the applied component, as described on the record
   * @throws NullPointerException when a component is null
   */
  public PolicyFailure {
    Objects.requireNonNull(policy, "policy");
    Objects.requireNonNull(kind, "kind");
    Objects.requireNonNull(message, "message");
    Objects.requireNonNull(applied, "applied");
  }
}
