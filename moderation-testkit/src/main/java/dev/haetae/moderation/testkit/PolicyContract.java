package dev.haetae.moderation.testkit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.fail;

import dev.haetae.moderation.api.Action;
import dev.haetae.moderation.api.Evidence;
import dev.haetae.moderation.api.Outcome;
import dev.haetae.moderation.api.PolicyId;
import dev.haetae.moderation.api.Reason;
import dev.haetae.moderation.api.spi.Policy;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;

/**
 * The contract every {@link Policy} must keep, as JUnit 5 tests a plugin author inherits:
 *
 * <pre>{@code
 * class MyPolicyTest extends PolicyContract {
 *   @Override protected Policy policy() { return new MyPolicy(); }
 * }
 * }</pre>
 *
 * <p>It checks that the policy has a stable, valid id; evaluates every {@link EvidenceSamples edge
 * case} (and seeded random evidence) without throwing or returning null; is deterministic (same
 * evidence, same outcome, whatever was evaluated before, and on any thread — so it keeps no mutable
 * state and draws no random numbers); and justifies every restrictive action with a reason that
 * names a legal ground; and that the evidence exercised it at all — a rule that fires on none of
 * the samples has been checked for nothing. Override {@link #evidence()} to add evidence your policy
 * cares about: build it like {@link EvidenceSamples} does (an {@link Evidence} over the request your
 * policy reads, with the signals it reads), and keep {@code super.evidence()} in the list.
 *
 * <p>What a test cannot see: a policy that reads the wall clock but happens to decide the same at
 * both calls. Use {@link Evidence#now()}; reviewers should reject {@code Instant.now()} in policies.
 *
 * @since 0.1
 */
public abstract class PolicyContract {

  /** For subclasses. */
  protected PolicyContract() {}

  /**
   * The policy under test; called once per test.
   *
   * @return a policy; never null
   */
  protected abstract Policy policy();

  /**
   * The evidence to evaluate. Default: {@link EvidenceSamples#all(long, int)} with {@link #seed()} and
   * 300 random combinations. Override to add your own (call {@code super.evidence()} to keep these).
   *
   * @return the evidence; never null
   */
  protected List<Evidence> evidence() {
    return EvidenceSamples.all(seed(), 300);
  }

  /**
   * The seed of the random evidence; change it to explore, keep it fixed in CI.
   *
   * @return the seed; default 20261121
   */
  protected long seed() {
    return 20261121L;
  }

  /**
   * How many of the samples must make the policy propose something (an action or a reason) for the
   * contract to count it as exercised. Default 1. Return 0 only for a policy that by design never
   * acts on the sample requests, and say why in your test.
   *
   * @return the minimum, 0 or more
   */
  protected int minimumTriggered() {
    return 1;
  }

  /**
   * The samples exercise the policy: at least {@link #minimumTriggered()} of them make it propose
   * an action or give a reason. Otherwise the other checks passed on a policy that never ran its
   * rule, and the failure says how to supply evidence that does.
   */
  @Test
  void theEvidenceExercisesThePolicy() {
    Policy p = policy();
    List<Evidence> all = evidence();
    int fired = 0;
    for (Evidence e : all) {
      Outcome o = p.evaluate(e);
      if (!o.actions().isEmpty() || !o.reasons().isEmpty()) {
        fired++;
      }
    }
    if (fired < minimumTriggered()) {
      fail(p.id() + " proposed nothing on " + (all.size() - fired) + " of " + all.size() + " samples (fired "
          + fired + " times, at least " + minimumTriggered() + " wanted): the contract checked a rule that never"
          + " ran. Override evidence() to add Evidence with the request and the signals the policy reads (keep"
          + " super.evidence()), or override minimumTriggered() to return 0 if it never acts on these requests.");
    }
  }

  /** The id is valid and the same at every call. */
  @Test
  void idIsValidAndStable() {
    Policy p = policy();
    PolicyId id = p.id();
    assertNotNull(id, "id() returned null");
    assertEquals(id, p.id(), "id() changed between calls");
    assertNotNull(p.failMode(), "failMode() returned null");
    assertNotNull(p.timeBudget(), "timeBudget() returned null");
  }

  /** Edge-case evidence yields an outcome, never an exception or null. */
  @Test
  void evaluatesEveryEdgeCaseWithoutExceptionOrNull() {
    Policy p = policy();
    for (Evidence e : evidence()) {
      Outcome o;
      try {
        o = p.evaluate(e);
      } catch (RuntimeException ex) {
        throw new AssertionError(p.id() + " threw on " + describe(e) + ": " + ex, ex);
      }
      if (o == null) {
        fail(p.id() + " returned null on " + describe(e) + " (return Outcome.none() for no opinion)");
      }
    }
  }

  /** Same evidence, same outcome, in any order and on a fresh instance. */
  @Test
  void isDeterministicAndStateless() {
    Policy p = policy();
    List<Evidence> all = evidence();
    List<Outcome> first = new ArrayList<>(all.size());
    for (Evidence e : all) {
      first.add(p.evaluate(e));
    }
    for (int i = all.size() - 1; i >= 0; i--) {
      assertEquals(first.get(i), p.evaluate(all.get(i)), p.id() + " decided differently the second time (in reverse"
          + " order) on " + describe(all.get(i)) + ": does it keep state or draw random numbers?");
    }
    Policy fresh = policy();
    for (int i = 0; i < all.size(); i++) {
      assertEquals(first.get(i), fresh.evaluate(all.get(i)), p.id() + " decided differently on a new instance on "
          + describe(all.get(i)));
    }
  }

  /** Concurrent evaluation gives the sequential answers. */
  @Test
  void isThreadSafe() throws InterruptedException, ExecutionException {
    Policy p = policy();
    List<Evidence> all = evidence();
    List<Outcome> expected = new ArrayList<>(all.size());
    for (Evidence e : all) {
      expected.add(p.evaluate(e));
    }
    ExecutorService pool = Executors.newFixedThreadPool(2);
    try {
      List<Future<List<Outcome>>> runs = new ArrayList<>();
      for (int t = 0; t < 2; t++) {
        runs.add(pool.submit(() -> {
          List<Outcome> got = new ArrayList<>(all.size());
          for (Evidence e : all) {
            got.add(p.evaluate(e));
          }
          return got;
        }));
      }
      for (Future<List<Outcome>> f : runs) {
        assertEquals(expected, f.get(), p.id() + " decided differently when called from two threads at once");
      }
    } finally {
      pool.shutdownNow();
    }
  }

  /** Every restrictive action is justified by a reason with a legal or terms-of-service ground. */
  @Test
  void everyRestrictiveActionCarriesAGround() {
    Policy p = policy();
    for (Evidence e : evidence()) {
      Outcome o = p.evaluate(e);
      boolean restrictive = false;
      for (Action a : o.actions()) {
        restrictive |= a.restrictive();
      }
      if (!restrictive) {
        continue;
      }
      boolean grounded = false;
      for (Reason r : o.reasons()) {
        grounded |= r.ground().isPresent();
      }
      if (!grounded) {
        fail(p.id() + " proposed " + o.actions() + " without a reason naming a legal ground on " + describe(e));
      }
    }
  }

  private static String describe(Evidence e) {
    return e.request().type() + " " + e.request().contentId().map(Object::toString).orElse("") + " at " + e.now()
        + " with signals " + e.signals();
  }
}
