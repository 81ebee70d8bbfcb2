package dev.haetae.moderation.core.audit;

import dev.haetae.moderation.api.Decision;
import dev.haetae.moderation.api.PolicyFailure;
import dev.haetae.moderation.api.PolicyId;
import dev.haetae.moderation.api.ShadowOutcome;
import dev.haetae.moderation.api.spi.Policy;
import dev.haetae.moderation.core.engine.Decider;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * Replays a decision log: runs each record's recorded evidence through the exact policy versions
 * the record names (found by {@link PolicyId}: name, version and configuration hash) with the
 * engine's own {@link Decider}, and compares the result with the recorded decision field by field.
 *
 * <p>A record whose policies are not all available is reported as not replayable, never replayed
 * with another version. The decision id is kept (it is an input, not an outcome); every other field
 * must be equal. A policy that reads the clock or randomness, or otherwise breaks purity, shows up as
 * a divergence. Replay does not enforce time budgets, so a decision recorded with a
 * {@code timed_out} failure diverges if the policy finishes on replay; the difference says so.
 *
 * <p>Immutable and thread-safe; policies are called on the calling thread.
 *
 * @since 0.1
 */
public final class Replayer {
  private final Map<PolicyId, Policy> registry;
  private final int maxFindings;

  private Replayer(Map<PolicyId, Policy> registry, int maxFindings) {
    this.registry = registry;
    this.maxFindings = maxFindings;
  }

  /**
   * A replayer that looks policies up among the given ones.
   *
   * @param available every policy version an auditor has (e.g. the default pack plus plugins);
   *     not null; when two have the same id, the first wins
   * @return the replayer, keeping up to 1000 findings
   * @throws NullPointerException when {@code available} or an element is null
   */
  public static Replayer of(List<Policy> available) {
    Map<PolicyId, Policy> m = new LinkedHashMap<>();
    for (Policy p : available) {
      m.putIfAbsent(Objects.requireNonNull(p.id(), "policy id"), p);
    }
    return new Replayer(m, 1000);
  }

  /**
   * A copy that keeps up to {@code n} findings in its reports (counts are always complete).
   *
   * @param n at least 0
   * @return a new replayer
   * @throws IllegalArgumentException when negative
   */
  public Replayer maxFindings(int n) {
    if (n < 0) {
      throw new IllegalArgumentException("maxFindings must be >= 0, got " + n);
    }
    return new Replayer(registry, n);
  }

  /**
   * Replays one record.
   *
   * @param record the record; not null
   * @return the finding, whose status may be {@link ReplayReport.Status#IDENTICAL}; never null
   */
  public ReplayReport.Finding replay(LoggedRecord record) {
    Decision recorded = record.decision();
    List<PolicyId> missing = new ArrayList<>();
    List<Policy> enforcing = lookup(recorded.policies(), missing);
    List<PolicyId> shadowIds = new ArrayList<>();
    for (ShadowOutcome s : recorded.shadow()) {
      shadowIds.add(s.policy());
    }
    List<Policy> shadow = lookup(shadowIds, missing);
    if (!missing.isEmpty()) {
      return new ReplayReport.Finding(record.seq(), record.segment(), ReplayReport.Status.NOT_REPLAYABLE, recorded,
          Optional.empty(), List.of("policy version(s) not available: " + missing), missing);
    }
    Decision replayed = Decider.decide(recorded.id(), record.evidence(), enforcing, shadow);
    List<String> diffs = differences(recorded, replayed);
    return new ReplayReport.Finding(record.seq(), record.segment(),
        diffs.isEmpty() ? ReplayReport.Status.IDENTICAL : ReplayReport.Status.DIVERGED, recorded,
        Optional.of(replayed), diffs, List.of());
  }

  private List<Policy> lookup(List<PolicyId> ids, List<PolicyId> missing) {
    List<Policy> out = new ArrayList<>(ids.size());
    for (PolicyId id : ids) {
      Policy p = registry.get(id);
      if (p == null) {
        if (!missing.contains(id)) {
          missing.add(id);
        }
      } else {
        out.add(p);
      }
    }
    return out;
  }

  /**
   * Replays every record of a log.
   *
   * @param log the log; not null
   * @param progress progress callback; not null
   * @return the report; never null
   * @throws dev.haetae.moderation.api.DecisionLogException when a record is damaged (verify first);
   *     the message names the segment and sequence number
   */
  public ReplayReport replay(AuditLog log, ProgressListener progress) {
    long[] counts = new long[4];
    List<ReplayReport.Finding> findings = new ArrayList<>();
    boolean[] truncated = {false};
    log.forEach(progress, rec -> {
      ReplayReport.Finding f = replay(rec);
      counts[0]++;
      counts[f.status().ordinal() + 1]++;
      if (f.status() != ReplayReport.Status.IDENTICAL) {
        if (findings.size() < maxFindings) {
          findings.add(f);
        } else {
          truncated[0] = true;
        }
      }
    });
    return new ReplayReport(counts[0], counts[1], counts[2], counts[3], findings, truncated[0]);
  }

  /** Field-by-field comparison; empty when equal. */
  static List<String> differences(Decision a, Decision b) {
    List<String> d = new ArrayList<>();
    if (a.equals(b)) {
      return d;
    }
    diff(d, "id", a.id(), b.id());
    diff(d, "at", a.at(), b.at());
    if (!a.actions().equals(b.actions())) {
      d.add("actions: recorded " + RecordCodec.decisionJson(a).get("actions") + " / replayed "
          + RecordCodec.decisionJson(b).get("actions"));
    }
    if (!a.reasons().equals(b.reasons())) {
      d.add("reasons: recorded " + RecordCodec.decisionJson(a).get("reasons") + " / replayed "
          + RecordCodec.decisionJson(b).get("reasons"));
    }
    diff(d, "deadline", a.deadline(), b.deadline());
    diff(d, "policies", a.policies(), b.policies());
    if (!a.failures().equals(b.failures())) {
      String note = "";
      for (PolicyFailure f : a.failures()) {
        if (f.kind() == PolicyFailure.Kind.TIMED_OUT) {
          note = " (the recorded failure was a time-out; replay does not enforce time budgets)";
        }
      }
      d.add("failures: recorded " + RecordCodec.decisionJson(a).get("failures") + " / replayed "
          + RecordCodec.decisionJson(b).get("failures") + note);
    }
    if (!a.shadow().equals(b.shadow())) {
      d.add("shadow: recorded " + RecordCodec.decisionJson(a).get("shadow") + " / replayed "
          + RecordCodec.decisionJson(b).get("shadow"));
    }
    return d;
  }

  private static void diff(List<String> out, String field, Object recorded, Object replayed) {
    if (!Objects.equals(recorded, replayed)) {
      out.add(field + ": recorded " + recorded + " / replayed " + replayed);
    }
  }
}
