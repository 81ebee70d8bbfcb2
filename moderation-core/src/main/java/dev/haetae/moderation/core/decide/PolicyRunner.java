package dev.haetae.moderation.core.decide;

import dev.haetae.moderation.api.Action;
import dev.haetae.moderation.api.Evidence;
import dev.haetae.moderation.api.Outcome;
import dev.haetae.moderation.api.PolicyFailure;
import dev.haetae.moderation.api.Reason;
import dev.haetae.moderation.api.spi.Policy;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CancellationException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Future;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;
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
            if (e instanceof VirtualMachineError) {
              throw (VirtualMachineError) e;
            }
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
   * Runs each policy on a worker thread and waits for it at most its time budget (measured from when
   * it starts running), so that a hung policy never holds up the caller for long.
   */
  static PolicyRunner isolated(ExecutorService pool) {
    return new PolicyRunner() {
      @Override
      List<Result> run(List<Policy> policies, Evidence evidence) {
        if (policies.isEmpty()) {
          return List.of();
        }
        List<Future<Outcome>> futures = new ArrayList<>(policies.size());
        List<AtomicLong> starts = new ArrayList<>(policies.size());
        for (Policy p : policies) {
          AtomicLong started = new AtomicLong();
          starts.add(started);
          try {
            futures.add(pool.submit(() -> {
              started.set(System.nanoTime());
              return p.evaluate(evidence);
            }));
          } catch (RejectedExecutionException e) {
            futures.add(null);
          }
        }
        long submitted = System.nanoTime();
        List<Result> out = new ArrayList<>(policies.size());
        for (int i = 0; i < policies.size(); i++) {
          Policy p = policies.get(i);
          Future<Outcome> f = futures.get(i);
          if (f == null) {
            out.add(failed(p, PolicyFailure.Kind.TIMED_OUT, "no worker thread available"));
            continue;
          }
          try {
            out.add(checked(p, await(f, starts.get(i), p.timeBudget().toNanos(), submitted)));
          } catch (TimeoutException e) {
            f.cancel(true);
            LOG.warn("policy {} exceeded its time budget of {}", p.id(), p.timeBudget());
            out.add(failed(p, PolicyFailure.Kind.TIMED_OUT, "exceeded its time budget of " + p.timeBudget()));
          } catch (ExecutionException e) {
            Throwable cause = e.getCause();
            if (cause instanceof VirtualMachineError) {
              throw (VirtualMachineError) cause;
            }
            out.add(failed(p, PolicyFailure.Kind.THREW, describe(cause)));
          } catch (CancellationException e) {
            out.add(failed(p, PolicyFailure.Kind.TIMED_OUT, "cancelled"));
          } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            for (int j = i; j < policies.size(); j++) {
              if (futures.get(j) != null) {
                futures.get(j).cancel(true);
              }
            }
            throw new dev.haetae.moderation.api.ModerationException("interrupted while evaluating policies", e);
          }
        }
        return out;
      }
    };
  }

  /**
   * Waits for a policy: its budget counts from when it started running, so time spent queued for a
   * worker (a loaded machine) is not held against it; queueing itself is bounded by
   * {@link #MAX_QUEUE_BUDGETS} budgets.
   */
  private static Outcome await(Future<Outcome> f, AtomicLong started, long budget, long submitted)
      throws InterruptedException, ExecutionException, TimeoutException {
    while (true) {
      long s = started.get();
      long now = System.nanoTime();
      long deadline = s != 0 ? s + budget : submitted + budget * MAX_QUEUE_BUDGETS;
      long left = deadline - now;
      try {
        return f.get(Math.max(0, s != 0 ? left : Math.min(left, budget)), TimeUnit.NANOSECONDS);
      } catch (TimeoutException e) {
        if (System.nanoTime() - deadline >= 0) {
          throw e;
        }
      }
    }
  }

  /** How many budgets a policy may wait for a worker thread before it counts as timed out. */
  static final long MAX_QUEUE_BUDGETS = 20;

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
    LOG.warn("policy {} failed ({}): {}", safeId(p), kind, message);
    return new Result(p, null, new PolicyFailure(Decider.idOf(p), kind, message, Decider.failModeOf(p)));
  }

  private static Object safeId(Policy p) {
    return Decider.idOf(p);
  }

  private static String describe(Throwable e) {
    return e.getClass().getName() + (e.getMessage() == null ? "" : ": " + e.getMessage());
  }
}
