package dev.haetae.moderation.api;

import java.util.Objects;
import java.util.Optional;

/**
 * What a policy registered in shadow mode would have proposed. Shadow outcomes are recorded with
 * the decision but never enforced, so a new rule can be tried on live traffic. Immutable and
 * thread-safe.
 *
 * @param policy the shadow policy; not null
 * @param outcome what it proposed (empty when it failed); not null
 * @param failure its failure, if it failed; not null
 * @since 0.1
 */
public record ShadowOutcome(PolicyId policy, Outcome outcome, Optional<PolicyFailure> failure) {

  /**
   * Validates.
   *
   * @param policy the policy component, as described on the record
   * @param outcome the outcome component, as described on the record
   * @param failure the failure component, as described on the record
   * @throws NullPointerException when a component is null
   */
  public ShadowOutcome {
    Objects.requireNonNull(policy, "policy");
    Objects.requireNonNull(outcome, "outcome");
    Objects.requireNonNull(failure, "failure");
  }
}
