package dev.haetae.moderation.core.decide;

import dev.haetae.moderation.api.ContentEvent;
import dev.haetae.moderation.api.Decision;
import dev.haetae.moderation.api.DecisionId;
import dev.haetae.moderation.api.Evidence;
import dev.haetae.moderation.api.FailMode;
import dev.haetae.moderation.api.Fingerprints;
import dev.haetae.moderation.api.Outcome;
import dev.haetae.moderation.api.PolicyFailure;
import dev.haetae.moderation.api.PolicyId;
import dev.haetae.moderation.api.Reason;
import dev.haetae.moderation.api.ShadowOutcome;
import dev.haetae.moderation.api.Signal;
import dev.haetae.moderation.api.spi.Policy;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * Turns evidence into a decision with a given set of policies: runs every policy with isolation
 * and combines the outcomes by the engine's combining rule. This is the pure heart of the engine,
 * public so that replay and backtest tools decide exactly as the engine does.
 *
 * <p>The combining rule: the most severe disposition wins (allow &lt; blur &lt; restrict forwarding
 * &lt; remove); additional measures (review, block re-upload, suspend, preserve, report, notify) from
 * all outcomes are kept and merged per type (highest priority, longest period); a report to an
 * authority that forbids tipping off drops the uploader's notification; the earliest deadline
 * wins; every reason is kept. A failed policy contributes its fail mode instead: a review at normal
 * priority ({@link FailMode#REVIEW}) or nothing ({@link FailMode#IGNORE}).
 *
 * <p>Thread-safe and stateless.
 *
 * @since 0.1
 */
public final class Decider {
  private final PolicyRunner isolated;
  private final PolicyRunner inline = PolicyRunner.inline();

  private Decider(PolicyRunner isolated) {
    this.isolated = isolated;
  }

  /**
   * A decider that runs isolated and shadow policies through a {@link Guard}: on its worker threads
   * under their time budgets, with a breaker per policy and stuck threads replaced.
   *
   * @param guard the guard; not null; the caller owns and closes it
   * @return the decider; thread-safe
   * @throws NullPointerException when {@code guard} is null
   */
  public static Decider guarded(Guard guard) {
    return new Decider(PolicyRunner.guarded(Objects.requireNonNull(guard, "guard")));
  }

  /**
   * A decider that runs every policy on the caller's thread (no time budgets).
   *
   * @return the decider; thread-safe
   */
  public static Decider inline() {
    return new Decider(PolicyRunner.inline());
  }

  /**
   * Decides: runs the trusted policies on the caller's thread and the isolated and shadow ones as
   * this decider isolates them, and combines the enforcing outcomes.
   *
   * @param id the decision id to give; not null
   * @param evidence the evidence; not null
   * @param trusted enforcing policies that are pure, fast and trusted (the built-in pack); not null
   * @param isolated enforcing policies to isolate (plugins); not null
   * @param shadow policies evaluated in shadow mode, recorded but never enforced; not null
   * @return the decision; never null
   */
  public Decision decide(DecisionId id, Evidence evidence, List<Policy> trusted, List<Policy> isolated,
      List<Policy> shadow) {
    List<PolicyRunner.Result> results = new ArrayList<>(trusted.size() + isolated.size());
    results.addAll(inline.run(trusted, evidence));
    results.addAll(this.isolated.run(isolated, evidence));
    return assemble(id, evidence, results, this.isolated.run(shadow, evidence));
  }

  /**
   * Decides on the caller's thread. Exceptions, nulls and unjustified restrictive actions are
   * isolated as policy failures; time budgets are not enforced (use the engine for that).
   *
   * @param id the decision id to give; not null
   * @param evidence the evidence; not null
   * @param enforcing the policies whose outcomes are enforced; not null
   * @param shadow the policies evaluated in shadow mode, recorded but never enforced; not null
   * @return the decision; never null
   * @throws NullPointerException when an argument is null
   */
  public static Decision decide(DecisionId id, Evidence evidence, List<Policy> enforcing, List<Policy> shadow) {
    Objects.requireNonNull(id, "id");
    Objects.requireNonNull(evidence, "evidence");
    PolicyRunner runner = PolicyRunner.inline();
    return assemble(id, evidence, runner.run(enforcing, evidence), runner.run(shadow, evidence));
  }

  static Decision assemble(DecisionId id, Evidence evidence, List<PolicyRunner.Result> enforcing,
      List<PolicyRunner.Result> shadow) {
    List<Outcome> outcomes = new ArrayList<>(enforcing.size());
    List<PolicyId> ids = new ArrayList<>(enforcing.size());
    List<PolicyFailure> failures = new ArrayList<>(0);
    for (PolicyRunner.Result r : enforcing) {
      ids.add(idOf(r.policy()));
      if (r.failure() == null) {
        outcomes.add(r.outcome());
      } else {
        failures.add(r.failure());
        if (r.failure().applied() == FailMode.REVIEW) {
          outcomes.add(Combiner.reviewOutcome(Reason.note(r.failure().policy(), "policy_failed",
              "Policy " + r.failure().policy().name() + " failed (" + r.failure().kind().name().toLowerCase(
                  java.util.Locale.ROOT) + "): " + r.failure().message() + "; sent to review by its fail mode.")));
        }
      }
    }
    for (PolicyFailure f : ProviderFailures.of(evidence)) {
      failures.add(f);
      if (f.applied() == FailMode.REVIEW) {
        outcomes.add(Combiner.reviewOutcome(Reason.note(f.policy(), "provider_failed",
            "Signal " + f.policy().name() + " failed (" + f.kind().name().toLowerCase(java.util.Locale.ROOT)
                + "); sent to review by its fail mode.")));
      }
    }
    List<ShadowOutcome> shadows = new ArrayList<>(shadow.size());
    for (PolicyRunner.Result r : shadow) {
      shadows.add(new ShadowOutcome(idOf(r.policy()), r.failure() == null ? r.outcome() : Outcome.none(),
          Optional.ofNullable(r.failure())));
    }
    Combiner.Combined c = Combiner.combine(outcomes);
    return new Decision(id, evidence.now(), c.actions(), c.reasons(), c.deadline(), ids, failures, shadows,
        subject(evidence));
  }

  /**
   * The fingerprints of the content a decision acts on: the content event's own, or for a request
   * about content the engine has seen, those it remembered.
   */
  static Fingerprints subject(Evidence evidence) {
    if (evidence.request() instanceof ContentEvent) {
      return ((ContentEvent) evidence.request()).content().fingerprints();
    }
    for (Signal.KnownContent k : evidence.signals(Signal.KnownContent.class)) {
      return k.fingerprints();
    }
    return Fingerprints.none();
  }

  /**
   * A policy's id, tolerating a policy whose {@code id()} itself fails or returns null (then a
   * synthetic id names its class, with version {@code unknown}).
   *
   * @param p the policy; not null
   * @return the id; never null
   */
  public static PolicyId idOf(Policy p) {
    try {
      PolicyId id = p.id();
      if (id != null) {
        return id;
      }
    } catch (RuntimeException | Error e) {
      PolicyRunner.rethrowFatal(e);
      // fall through to a synthetic id naming the class
    }
    return PolicyId.of(p.getClass().getName(), "unknown");
  }

  static FailMode failModeOf(Policy p) {
    try {
      FailMode m = p.failMode();
      return m == null ? FailMode.REVIEW : m;
    } catch (RuntimeException | Error e) {
      PolicyRunner.rethrowFatal(e);
      return FailMode.REVIEW;
    }
  }
}
