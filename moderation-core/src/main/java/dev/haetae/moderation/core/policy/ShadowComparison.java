package dev.haetae.moderation.core.policy;

import dev.haetae.moderation.api.Action;
import dev.haetae.moderation.api.Decision;
import dev.haetae.moderation.api.PolicyId;
import dev.haetae.moderation.api.Reason;
import dev.haetae.moderation.api.ShadowOutcome;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeMap;

/**
 * Where a shadow policy would have decided differently from the active set. A pure function of one
 * {@link Decision} and one of its {@link ShadowOutcome}s, so that the same comparison serves live
 * traffic ({@link Decision#shadow()}) and backtests over past logs (replay a recorded evidence with
 * the candidate in shadow and compare).
 *
 * <p>The comparison asks: had the shadow policy been <em>added</em> to the active set, what would
 * the decision have been? The would-be action set is the active one combined with the shadow
 * proposal by the combining rule (strongest disposition, measures merged, no notification of the
 * uploader next to a no-tip-off report), compared by action name. When the shadow policy is a
 * candidate <em>replacement</em> (same name as an enforcing policy that gave a grounded reason) and
 * proposes a weaker disposition than the decision's, the difference is {@link Kind#LAXER}: the
 * candidate would have relaxed what its predecessor enforced (other policies may still have
 * enforced it; a backtest with the candidate enforcing tells for sure).
 *
 * <p>Stateless and thread-safe.
 *
 * @since 0.1
 */
public final class ShadowComparison {
  private ShadowComparison() {}

  /**
   * How a shadow proposal differs from the active decision.
   *
   * @since 0.1
   */
  public enum Kind {
    /** Adding the shadow policy changes nothing. */
    SAME,
    /** The shadow policy adds a restrictive action or a stronger disposition. */
    STRICTER,
    /** The shadow policy adds only non-restrictive actions (review, notification). */
    MORE_REVIEW,
    /** A candidate replacement proposes a weaker disposition than its predecessor enforced. */
    LAXER,
    /** The shadow policy failed (threw, timed out, returned null or an unjustified action). */
    FAILED
  }

  /**
   * One comparison.
   *
   * @param policy the shadow policy; not null
   * @param kind how it differs; not null
   * @param active the decision's action names; not null
   * @param wouldBe the action names had the shadow policy been enforcing; not null
   * @param added actions in {@code wouldBe} but not in {@code active}; not null
   * @param removed actions in {@code active} but not in {@code wouldBe} (a disposition replaced by a
   *     stronger one); not null
   * @since 0.1
   */
  public record Difference(PolicyId policy, Kind kind, List<String> active, List<String> wouldBe, List<String> added,
      List<String> removed) {
    /**
     * Validates and copies.
     *
     * @param policy the policy component, as described on the record
     * @param kind the kind component, as described on the record
     * @param active the active component, as described on the record
     * @param wouldBe the wouldBe component, as described on the record
     * @param added the added component, as described on the record
     * @param removed the removed component, as described on the record
     * @throws NullPointerException when a component is null
     */
    public Difference {
      Objects.requireNonNull(policy, "policy");
      Objects.requireNonNull(kind, "kind");
      active = List.copyOf(active);
      wouldBe = List.copyOf(wouldBe);
      added = List.copyOf(added);
      removed = List.copyOf(removed);
    }

    /**
     * Whether the shadow policy would have changed the decision.
     *
     * @return true unless {@link Kind#SAME}
     */
    public boolean differs() {
      return kind != Kind.SAME;
    }
  }

  /**
   * Compares one shadow outcome with the decision it was recorded in.
   *
   * @param active the enforced decision; not null
   * @param shadow one of its shadow outcomes (or any outcome evaluated on the same evidence); not null
   * @return the comparison; never null
   * @throws NullPointerException when an argument is null
   */
  public static Difference compare(Decision active, ShadowOutcome shadow) {
    Objects.requireNonNull(active, "active");
    Objects.requireNonNull(shadow, "shadow");
    List<String> activeNames = names(active.actions());
    if (shadow.failure().isPresent()) {
      return new Difference(shadow.policy(), Kind.FAILED, activeNames, activeNames, List.of(), List.of());
    }
    Action activeDisposition = disposition(active.actions());
    Action shadowDisposition = disposition(shadow.outcome().actions());
    Action disposition = shadowDisposition != null && (activeDisposition == null
        || shadowDisposition.severity() > activeDisposition.severity()) ? shadowDisposition : activeDisposition;
    boolean noTipOff = false;
    Set<String> measures = new LinkedHashSet<>();
    for (List<Action> list : List.of(active.actions(), shadow.outcome().actions())) {
      for (Action a : list) {
        if (a.severity() < 0) {
          measures.add(a.name());
        }
        if (a instanceof Action.ReportToAuthority && ((Action.ReportToAuthority) a).noTipOff()) {
          noTipOff = true;
        }
      }
    }
    if (noTipOff) {
      boolean otherRecipient = false;
      for (List<Action> list : List.of(active.actions(), shadow.outcome().actions())) {
        for (Action a : list) {
          otherRecipient |= a instanceof Action.NotifyUser
              && ((Action.NotifyUser) a).recipient() != Action.Recipient.UPLOADER;
        }
      }
      if (!otherRecipient) {
        measures.remove("notify_user");
      }
    }
    List<String> wouldBe = new ArrayList<>();
    if (disposition != null && disposition.severity() > 0) {
      wouldBe.add(disposition.name());
    }
    wouldBe.addAll(measures);
    if (wouldBe.isEmpty()) {
      wouldBe.add("allow");
    }
    List<String> added = new ArrayList<>(wouldBe);
    added.removeAll(activeNames);
    List<String> removed = new ArrayList<>(activeNames);
    removed.removeAll(wouldBe);
    Kind kind;
    if (replaces(active, shadow.policy()) && severity(shadowDisposition) < severity(activeDisposition)) {
      kind = Kind.LAXER;
    } else if (added.isEmpty()) {
      kind = Kind.SAME;
    } else if (added.stream().anyMatch(n -> !n.equals("review") && !n.equals("notify_user") && !n.equals("allow"))) {
      kind = Kind.STRICTER;
    } else {
      kind = Kind.MORE_REVIEW;
    }
    return new Difference(shadow.policy(), kind, activeNames, wouldBe, added, removed);
  }

  /**
   * Compares every shadow outcome of a decision.
   *
   * @param active the decision; not null
   * @return one difference per shadow outcome, in order; never null
   */
  public static List<Difference> compareAll(Decision active) {
    List<Difference> out = new ArrayList<>(active.shadow().size());
    for (ShadowOutcome s : active.shadow()) {
      out.add(compare(active, s));
    }
    return out;
  }

  private static boolean replaces(Decision active, PolicyId candidate) {
    for (Reason r : active.reasons()) {
      if (r.policy().name().equals(candidate.name()) && !r.policy().equals(candidate) && r.ground().isPresent()) {
        return true;
      }
    }
    return false;
  }

  private static int severity(Action a) {
    return a == null ? 0 : a.severity();
  }

  private static Action disposition(List<Action> actions) {
    Action best = null;
    for (Action a : actions) {
      if (a.severity() >= 0 && (best == null || a.severity() > best.severity())) {
        best = a;
      }
    }
    return best;
  }

  private static List<String> names(List<Action> actions) {
    List<String> out = new ArrayList<>(actions.size());
    for (Action a : actions) {
      if (!out.contains(a.name())) {
        out.add(a.name());
      }
    }
    return out;
  }

  /**
   * A comparison report over many decisions: per shadow policy, how often it would have decided
   * differently and how, with the first few examples. Not thread-safe: feed it from one thread (or
   * synchronise).
   *
   * @since 0.1
   */
  public static final class Report {
    private final int maxExamples;
    private final Map<String, PerPolicy> byPolicy = new TreeMap<>();

    /**
     * A report keeping up to {@code maxExamples} examples per policy and kind.
     *
     * @param maxExamples at least 0
     * @throws IllegalArgumentException when negative
     */
    public Report(int maxExamples) {
      if (maxExamples < 0) {
        throw new IllegalArgumentException("maxExamples must be >= 0, got " + maxExamples);
      }
      this.maxExamples = maxExamples;
    }

    /**
     * Adds every shadow outcome of a decision.
     *
     * @param decision the decision; not null
     * @param subject what the decision was about, for examples (e.g. {@code "content c1, line 7"});
     *     not null
     * @return the differences found, in order; never null
     */
    public List<Difference> add(Decision decision, String subject) {
      List<Difference> ds = compareAll(decision);
      for (Difference d : ds) {
        add(d, decision.id().value() + " (" + subject + ")");
      }
      return ds;
    }

    /**
     * Adds one comparison.
     *
     * @param d the comparison; not null
     * @param example how to name it in the examples; not null
     */
    public void add(Difference d, String example) {
      PerPolicy p = byPolicy.computeIfAbsent(d.policy().toString(), k -> new PerPolicy());
      p.total++;
      p.kinds.merge(d.kind().name().toLowerCase(java.util.Locale.ROOT), 1, Integer::sum);
      for (String a : d.added()) {
        p.added.merge(a, 1, Integer::sum);
      }
      if (d.differs()) {
        List<String> ex = p.examples.computeIfAbsent(d.kind().name().toLowerCase(java.util.Locale.ROOT),
            k -> new ArrayList<>());
        if (ex.size() < maxExamples) {
          ex.add(example + ": " + d.active() + " -> " + d.wouldBe());
        }
      }
    }

    /**
     * Counts by policy and kind, e.g. {@code {"cand@1#-": {"same": 90, "stricter": 10}}}.
     *
     * @return a sorted snapshot; never null
     */
    public Map<String, Map<String, Integer>> counts() {
      Map<String, Map<String, Integer>> out = new TreeMap<>();
      byPolicy.forEach((k, v) -> out.put(k, new TreeMap<>(v.kinds)));
      return out;
    }

    /**
     * Whether anything was added.
     *
     * @return true when no shadow outcome was seen
     */
    public boolean isEmpty() {
      return byPolicy.isEmpty();
    }

    /**
     * A human-readable report.
     *
     * @return several lines; empty when nothing was added; never null
     */
    public String describe() {
      StringBuilder sb = new StringBuilder();
      byPolicy.forEach((name, p) -> {
        long differ = p.total - p.kinds.getOrDefault("same", 0);
        sb.append("shadow ").append(name).append(": ").append(differ).append(" of ").append(p.total)
            .append(" decisions would differ ").append(new TreeMap<>(p.kinds));
        if (!p.added.isEmpty()) {
          sb.append("; would add ").append(new TreeMap<>(p.added));
        }
        sb.append('\n');
        new TreeMap<>(p.examples).forEach((kind, ex) -> ex.forEach(e -> sb.append("  ").append(kind).append(": ")
            .append(e).append('\n')));
      });
      return sb.toString();
    }

    private static final class PerPolicy {
      long total;
      final Map<String, Integer> kinds = new TreeMap<>();
      final Map<String, Integer> added = new TreeMap<>();
      final Map<String, List<String>> examples = new TreeMap<>();
    }
  }

  /**
   * The reason codes a shadow outcome gives, for display.
   *
   * @param shadow the outcome; not null
   * @return {@code policy/code} strings; never null
   */
  public static List<String> reasonCodes(ShadowOutcome shadow) {
    List<String> out = new ArrayList<>();
    for (Reason r : shadow.outcome().reasons()) {
      out.add(r.policy().name() + "/" + r.code());
    }
    return out;
  }
}
