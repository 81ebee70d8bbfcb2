package dev.haetae.moderation.api.spi;

import dev.haetae.moderation.api.Evidence;
import dev.haetae.moderation.api.FailMode;
import dev.haetae.moderation.api.Outcome;
import dev.haetae.moderation.api.PolicyId;
import java.time.Duration;

/**
 * A moderation rule: a pure function from {@link Evidence} to an {@link Outcome}.
 *
 * <p><b>Purity.</b> {@link #evaluate} must depend only on its argument and the policy's own
 * configuration: no clock (use {@link Evidence#now()}), no randomness, no I/O, no mutable state.
 * Anything a policy needs from outside must arrive as a signal in the evidence. This is what lets
 * an auditor replay a decision years later and get the same answer; a replay flags any policy that
 * breaks the rule as divergent.
 *
 * <p><b>Thread safety.</b> Implementations must be safe for concurrent calls from many threads.
 *
 * <p><b>Failure.</b> A policy that throws, returns null, exceeds {@link #timeBudget()} or proposes
 * a restrictive action without a legal ground is isolated by the engine: its failure is recorded
 * in the decision and its {@link #failMode()} applies; the other policies are unaffected.
 *
 * <p>Policies are registered on the engine builder or discovered with
 * {@link java.util.ServiceLoader} (a public no-argument constructor is then required).
 *
 * @since 0.1
 */
public interface Policy {

  /**
   * The policy's identity: name, version and configuration hash, recorded with each decision.
   *
   * @return the id; never null; must not change over the policy's lifetime
   */
  PolicyId id();

  /**
   * Proposes actions for the evidence.
   *
   * @param evidence the frozen evidence; never null
   * @return the proposal, {@link Outcome#none()} for no opinion; never null
   */
  Outcome evaluate(Evidence evidence);

  /**
   * What the engine does if this policy fails.
   *
   * @return the fail mode; default {@link FailMode#REVIEW}
   * @since 0.1
   */
  default FailMode failMode() {
    return FailMode.REVIEW;
  }

  /**
   * How long one evaluation may take, from when it starts running, before the engine gives up on
   * it. The budget is a guard against hung plugins, not a performance target: keep it well above the
   * policy's worst case on a loaded machine.
   *
   * @return the budget; default 500 milliseconds
   * @since 0.1
   */
  default Duration timeBudget() {
    return Duration.ofMillis(500);
  }
}
