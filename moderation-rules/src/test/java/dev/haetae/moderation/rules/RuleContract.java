package dev.haetae.moderation.rules;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.fail;

import dev.haetae.moderation.api.Action;
import dev.haetae.moderation.api.Evidence;
import dev.haetae.moderation.api.Outcome;
import dev.haetae.moderation.api.PolicyId;
import dev.haetae.moderation.api.Reason;
import dev.haetae.moderation.api.spi.Policy;
import dev.haetae.moderation.core.policy.PolicyConfig;
import dev.haetae.moderation.testkit.EvidenceSamples;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;

/**
 * The contract every rule of a rules configuration must keep, as JUnit 5 tests a rule author
 * inherits — what {@link dev.haetae.moderation.testkit.PolicyContract} checks for a Java policy:
 *
 * <pre>{@code
 * class MyRulesTest extends RuleContract {
 *   @Override protected String configuration() { return Files.readString(Path.of("policies.json")); }
 *   @Override protected List<Evidence> evidence() { List<Evidence> e = new ArrayList<>(super.evidence()); e.addAll(mine()); return e; }
 * }
 * }</pre>
 *
 * <p>For every rule of the configuration (enforcing and shadow): the evidence exercises it (it
 * proposes something on at least one sample — a rule that never fired was checked for nothing);
 * it evaluates every sample without an exception; it is deterministic (same evidence, same outcome,
 * in any order, on a fresh load, on two threads); it replays identically (the configuration's
 * canonical JSON, which the decision log records, loads to the same rule ids and the same
 * outcomes); and every restrictive action it proposes comes with a reason that names a ground.
 *
 * <p>Shipped in the {@code moderation-rules} test jar (classifier {@code tests}), which carries
 * this class only, so that plugin authors who write Java policies never get CEL on their test
 * class path. A rule author adds that jar, {@code moderation-testkit} and JUnit 5 in test scope.
 *
 * @since 0.2
 */
public abstract class RuleContract {

  /** For subclasses. */
  protected RuleContract() {}

  /**
   * The policy configuration under test (JSON, with a {@code "rules"} section); called once per
   * test and once more for a fresh load.
   *
   * @return the configuration text; never null
   */
  protected abstract String configuration();

  /**
   * The test stream: the evidence every rule is evaluated on. Default:
   * {@link EvidenceSamples#all(long, int)} with seed 20261121 and 300 random combinations, which
   * rarely make a specific rule fire: add evidence with the signals your rules read (keep
   * {@code super.evidence()}).
   *
   * @return the evidence; never null
   */
  protected List<Evidence> evidence() {
    return EvidenceSamples.all(20261121L, 300);
  }

  private List<Policy> rules(String json) {
    PolicyConfig c = PolicyConfig.parse(json);
    List<Policy> all = new ArrayList<>();
    for (Policy p : c.extra()) {
      if (p instanceof RulePolicy) {
        all.add(p);
      }
    }
    for (Policy p : c.shadow()) {
      if (p instanceof RulePolicy) {
        all.add(p);
      }
    }
    return all;
  }

  private List<Policy> rules() {
    List<Policy> all = rules(configuration());
    assertFalse(all.isEmpty(), "the configuration has no rules");
    return all;
  }

  private static Outcome evaluate(Policy p, Evidence e) {
    try {
      Outcome o = p.evaluate(e);
      if (o == null) {
        fail(p.id() + " returned null on " + describe(e));
      }
      return o;
    } catch (RuntimeException ex) {
      throw new AssertionError(p.id() + " failed on " + describe(e) + ": " + ex.getMessage()
          + " (the engine would record a policy failure and apply the fail mode)", ex);
    }
  }

  /** Every rule proposes something (an action or a reason) on at least one sample of the stream. */
  @Test
  void everyRuleFiresOnTheStream() {
    List<Evidence> all = evidence();
    List<String> silent = new ArrayList<>();
    for (Policy p : rules()) {
      boolean fired = false;
      for (Evidence e : all) {
        Outcome o = evaluate(p, e);
        fired |= !o.actions().isEmpty() || !o.reasons().isEmpty();
      }
      if (!fired) {
        silent.add(p.id().name());
      }
    }
    if (!silent.isEmpty()) {
      fail(silent + " fired on none of " + all.size() + " samples: the contract checked rules that never ran. Override"
          + " evidence() to add Evidence with the signals these rules read (keep super.evidence()).");
    }
  }

  /** Same evidence, same outcome: in reverse order, on a fresh load of the configuration, on two threads. */
  @Test
  void everyRuleIsDeterministic() throws Exception {
    List<Evidence> all = evidence();
    List<Policy> rules = rules();
    List<Policy> fresh = rules(configuration());
    ExecutorService pool = Executors.newFixedThreadPool(2);
    try {
      for (int r = 0; r < rules.size(); r++) {
        Policy p = rules.get(r);
        List<Outcome> first = new ArrayList<>();
        for (Evidence e : all) {
          first.add(evaluate(p, e));
        }
        for (int i = all.size() - 1; i >= 0; i--) {
          assertEquals(first.get(i), evaluate(p, all.get(i)), p.id() + " decided differently the second time on "
              + describe(all.get(i)));
        }
        Policy again = fresh.get(r);
        assertEquals(p.id(), again.id(), "a fresh load gave another id");
        List<Future<List<Outcome>>> runs = new ArrayList<>();
        for (int t = 0; t < 2; t++) {
          runs.add(pool.submit(() -> {
            List<Outcome> got = new ArrayList<>();
            for (Evidence e : all) {
              got.add(evaluate(again, e));
            }
            return got;
          }));
        }
        for (Future<List<Outcome>> f : runs) {
          assertEquals(first, f.get(), p.id() + " decided differently on a fresh load, on another thread");
        }
      }
    } finally {
      pool.shutdownNow();
    }
  }

  /**
   * The canonical configuration — what the decision log records and replay loads — gives the same
   * rules (ids, versions, hashes) and the same outcomes.
   */
  @Test
  void everyRuleReplaysIdenticallyFromTheCanonicalConfiguration() {
    List<Evidence> all = evidence();
    List<Policy> rules = rules();
    PolicyConfig original = PolicyConfig.parse(configuration());
    PolicyConfig canonical = PolicyConfig.parse(original.canonicalJson());
    assertEquals(original.hash(), canonical.hash(), "the canonical configuration hashes differently");
    List<Policy> replayed = rules(original.canonicalJson());
    List<PolicyId> ids = rules.stream().map(Policy::id).toList();
    assertEquals(ids, replayed.stream().map(Policy::id).toList(), "the canonical configuration gives other rules");
    for (int r = 0; r < rules.size(); r++) {
      for (Evidence e : all) {
        assertEquals(evaluate(rules.get(r), e), evaluate(replayed.get(r), e), rules.get(r).id()
            + " replays differently on " + describe(e));
      }
    }
  }

  /** Every restrictive action a rule proposes is justified by a reason with a ground. */
  @Test
  void everyRestrictiveActionCarriesAGround() {
    List<Evidence> all = evidence();
    for (Policy p : rules()) {
      for (Evidence e : all) {
        Outcome o = evaluate(p, e);
        boolean restrictive = o.actions().stream().anyMatch(Action::restrictive);
        boolean grounded = o.reasons().stream().map(Reason::ground).anyMatch(java.util.Optional::isPresent);
        if (restrictive && !grounded) {
          fail(p.id() + " proposed " + o.actions() + " without a reason naming a ground on " + describe(e));
        }
      }
    }
  }

  private static String describe(Evidence e) {
    String s = e.request() + " with " + e.signals().size() + " signals";
    return s.length() > 300 ? s.substring(0, 300) + "..." : s;
  }
}
