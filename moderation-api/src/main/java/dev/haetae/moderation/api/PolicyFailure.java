package dev.haetae.moderation.api;

import java.util.Objects;

/**
 * A policy that failed during one evaluation, and what the engine did about it. Recorded in the
 * decision so that failures are visible to operators and auditors. Immutable and thread-safe.
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
    UNJUSTIFIED
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
