package dev.haetae.moderation.core.decide;

import dev.haetae.moderation.api.Action;
import dev.haetae.moderation.api.Evidence;
import dev.haetae.moderation.api.Outcome;
import dev.haetae.moderation.api.PolicyFailure;
import dev.haetae.moderation.api.Reason;
import dev.haetae.moderation.api.spi.Policy;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Runs policies with isolation: a throwing, null-returning, slow or unjustified policy is contained. */
abstract class PolicyRunner {
  private static final Logger LOG = LoggerFactory.getLogger(PolicyRunner.class);

  /** One policy's result: exactly one of outcome and failure is non-null. */
  record Result(Policy policy, Outcome outcome, PolicyFailure failure) {}

  abstract List<Result> run(List<Policy> policies, Evidence evidence);

  /** Runs on the caller's thread; a time budget cannot be enforced, only exceptions and nulls. */
  static PolicyRunner inline() {
    return new PolicyRunner() {
      @Override
      List<Result> run(List<Policy> policies, Evidence evidence) {
        List<Result> out = new ArrayList<>(policies.size());
        for (Policy p : policies) {
          Outcome o;
          try {
            o = p.evaluate(evidence);
          } catch (RuntimeException | Error e) {
            rethrowFatal(e);
            out.add(failed(p, PolicyFailure.Kind.THREW, describe(e)));
            continue;
          }
          out.add(checked(p, o));
        }
        return out;
      }
    };
  }

  /**
   * Runs each policy through a {@link Guard}: on a worker thread under its time budget, with a
   * breaker that stops calling a policy that keeps timing out and threads replaced when a policy
   * ignores interrupts.
   */
  static PolicyRunner guarded(Guard guard) {
    return new PolicyRunner() {
      @Override
      List<Result> run(List<Policy> policies, Evidence evidence) {
        if (policies.isEmpty()) {
          return List.of();
        }
        List<Guard.Pending<Outcome>> pending = new ArrayList<>(policies.size());
        for (Policy p : policies) {
          pending.add(guard.submit(p, budgetOf(p), () -> p.evaluate(evidence)));
        }
        List<Result> out = new ArrayList<>(policies.size());
        for (int i = 0; i < policies.size(); i++) {
          Policy p = policies.get(i);
          Guard.Call<Outcome> c;
          try {
            c = pending.get(i).await();
          } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            for (int j = i + 1; j < policies.size(); j++) {
              pending.get(j).abandon();
            }
            throw new dev.haetae.moderation.api.ModerationException("interrupted while evaluating policies", e);
          }
          switch (c.status()) {
            case DONE:
              out.add(checked(p, c.value()));
              break;
            case THREW:
              rethrowFatal(c.error());
              out.add(failed(p, PolicyFailure.Kind.THREW, describe(c.error())));
              break;
            case TIMED_OUT:
              out.add(failed(p, PolicyFailure.Kind.TIMED_OUT, "exceeded its time budget of " + budgetOf(p)));
              break;
            case REJECTED:
              out.add(failed(p, PolicyFailure.Kind.TIMED_OUT, "no worker thread available"));
              break;
            case TRIPPED:
              out.add(failed(p, PolicyFailure.Kind.TRIPPED,
                  "not called: it kept exceeding its time budget and is tripped until its cool-down ends"));
              break;
            default:
              throw new IllegalStateException("unhandled call status " + c.status());
          }
        }
        return out;
      }
    };
  }

  /** A policy's time budget, safe to use (see {@link Guard#clampBudget}). */
  static Duration budgetOf(Policy p) {
    Duration d;
    try {
      d = p.timeBudget();
    } catch (RuntimeException | Error e) {
      rethrowFatal(e);
      return Guard.DEFAULT_BUDGET;
    }
    return Guard.clampBudget(d);
  }

  static void rethrowFatal(Throwable e) {
    Guard.rethrowFatal(e);
  }

  static Result checked(Policy p, Outcome o) {
    if (o == null) {
      return failed(p, PolicyFailure.Kind.RETURNED_NULL, "returned null instead of an Outcome");
    }
    for (Action a : o.actions()) {
      if (a.restrictive() && !hasGround(o.reasons())) {
        return failed(p, PolicyFailure.Kind.UNJUSTIFIED,
            "proposed '" + a.name() + "' without a reason that names a legal or terms-of-service ground");
      }
    }
    return new Result(p, o, null);
  }

  private static boolean hasGround(List<Reason> reasons) {
    for (Reason r : reasons) {
      if (r.ground().isPresent()) {
        return true;
      }
    }
    return false;
  }

  static Result failed(Policy p, PolicyFailure.Kind kind, String message) {
    if (kind == PolicyFailure.Kind.TRIPPED) {
      // the trip itself was logged once as a warning; each decision records the failure
      LOG.debug("policy {} is tripped: {}", safeId(p), message);
    } else {
      LOG.warn("policy {} failed ({}): {}", safeId(p), kind, message);
    }
    return new Result(p, null, new PolicyFailure(Decider.idOf(p), kind, message, Decider.failModeOf(p)));
  }

  private static Object safeId(Policy p) {
    return Decider.idOf(p);
  }

  static String describe(Throwable e) {
    return Guard.describe(e);
  }

}
