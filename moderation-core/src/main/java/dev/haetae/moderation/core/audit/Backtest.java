package dev.haetae.moderation.core.audit;

import dev.haetae.moderation.api.Action;
import dev.haetae.moderation.api.Decision;
import dev.haetae.moderation.api.Reason;
import dev.haetae.moderation.api.spi.Policy;
import dev.haetae.moderation.core.decide.Decider;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Runs a candidate policy set over a past decision log and summarises what would have changed:
 * which action sets would have turned into which, how many decisions become more or less
 * restrictive, by category. The recorded evidence is used as is (signals are not recomputed), so the
 * comparison isolates the policies.
 *
 * <p>Stateless and thread-safe; policies are called on the calling thread.
 *
 * @since 0.1
 */
public final class Backtest {
  private static final int EXAMPLES = 50;

  private Backtest() {}

  /**
   * Runs the candidate set over every record.
   *
   * @param log the past log; not null
   * @param candidate the candidate enforcing policies; not null
   * @param progress progress callback; not null
   * @return the summary; never null
   * @throws dev.haetae.moderation.api.DecisionLogException when a record is damaged; the message
   *     names the segment and sequence number
   */
  public static BacktestReport run(AuditLog log, List<Policy> candidate, ProgressListener progress) {
    Objects.requireNonNull(candidate, "candidate");
    List<Policy> policies = List.copyOf(candidate);
    long[] c = new long[7];
    Map<String, Long> transitions = new HashMap<>();
    Map<String, Long> byCategory = new HashMap<>();
    List<BacktestReport.Example> examples = new ArrayList<>();
    log.forEach(progress, rec -> {
      if (!rec.masked().isEmpty()) {
        c[6]++;
        return;
      }
      Decision before = rec.decision();
      Decision after = Decider.decide(before.id(), rec.evidence(), policies, List.of());
      c[0]++;
      boolean rb = before.restrictive();
      boolean ra = after.restrictive();
      c[2] += rb ? 1 : 0;
      c[3] += ra ? 1 : 0;
      if (!before.actions().equals(after.actions())) {
        c[1]++;
        c[4] += !rb && ra ? 1 : 0;
        c[5] += rb && !ra ? 1 : 0;
        String b = actionSet(before.actions());
        String a = actionSet(after.actions());
        transitions.merge(b + " -> " + a, 1L, Long::sum);
        byCategory.merge(category(before, after), 1L, Long::sum);
        if (examples.size() < EXAMPLES) {
          examples.add(new BacktestReport.Example(rec.seq(), rec.segment(), b, a));
        }
      }
    });
    return new BacktestReport(c[0], c[1], c[2], c[3], c[4], c[5], sorted(transitions), sorted(byCategory), examples,
        c[6]);
  }

  static String actionSet(List<Action> actions) {
    StringBuilder sb = new StringBuilder();
    for (Action a : actions) {
      if (sb.length() > 0) {
        sb.append('+');
      }
      sb.append(a.name());
    }
    return sb.toString();
  }

  private static String category(Decision before, Decision after) {
    for (Decision d : List.of(before, after)) {
      for (Reason r : d.reasons()) {
        if (r.category().isPresent()) {
          return r.category().get().wireName();
        }
      }
    }
    return "none";
  }

  private static Map<String, Long> sorted(Map<String, Long> m) {
    List<Map.Entry<String, Long>> es = new ArrayList<>(m.entrySet());
    es.sort((x, y) -> y.getValue().equals(x.getValue()) ? x.getKey().compareTo(y.getKey())
        : Long.compare(y.getValue(), x.getValue()));
    Map<String, Long> out = new LinkedHashMap<>();
    for (Map.Entry<String, Long> e : es) {
      out.put(e.getKey(), e.getValue());
    }
    return out;
  }
}
