package dev.haetae.moderation.core.audit;

import dev.haetae.moderation.api.Decision;
import dev.haetae.moderation.api.PolicyFailure;
import dev.haetae.moderation.api.PolicyId;
import dev.haetae.moderation.api.ShadowOutcome;
import dev.haetae.moderation.api.spi.Policy;
import dev.haetae.moderation.core.decide.Decider;
import dev.haetae.moderation.core.policy.PolicyConfig;
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
 * with another version. The policies a log's configuration records name are made available as the
 * log is read, so a log written under a policy configuration replays without the configuration
 * file. A record of the first format whose policies read free text that the log masked is reported
 * as not replayable too (its inputs are not in the log). So is a record whose replay differs while
 * its evidence holds custom-signal attributes the log masked (those not declared safe by their
 * provider): a policy that read one saw the real value, the replay sees a placeholder; a record
 * whose policies do not depend on masked attributes replays identical. The decision id is kept (it is an input, not an outcome); every other field
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
  private final ClassLoader loader;

  private Replayer(Map<PolicyId, Policy> registry, int maxFindings, ClassLoader loader) {
    this.registry = registry;
    this.maxFindings = maxFindings;
    this.loader = loader;
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
    return new Replayer(m, 1000, Thread.currentThread().getContextClassLoader());
  }

  /**
   * A copy that loads the policy classes a logged configuration names (its {@code extra} and
   * {@code shadow} classes) from {@code loader}, e.g. a class loader over plugin jars.
   *
   * @param value the class loader; not null
   * @return a new replayer
   * @throws NullPointerException when {@code value} is null
   */
  public Replayer classLoader(ClassLoader value) {
    return new Replayer(registry, maxFindings, Objects.requireNonNull(value, "classLoader"));
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
    return new Replayer(registry, n, loader);
  }

  /**
   * Replays one record.
   *
   * @param record the record; not null
   * @return the finding, whose status may be {@link ReplayReport.Status#IDENTICAL}; never null
   */
  public ReplayReport.Finding replay(LoggedRecord record) {
    return replay(record, registry);
  }

  private ReplayReport.Finding replay(LoggedRecord record, Map<PolicyId, Policy> registry) {
    Decision recorded = record.decision();
    if (!record.masked().isEmpty()) {
      // a record of format 1 whose policies read free text the log masked: its inputs are not in
      // the log, so replaying it would report a difference that is not one
      return new ReplayReport.Finding(record.seq(), record.segment(), ReplayReport.Status.NOT_REPLAYABLE, recorded,
          Optional.empty(), List.of("input masked in the log (record format " + record.format() + "): "
              + String.join(", ", record.masked())), List.of());
    }
    List<PolicyId> missing = new ArrayList<>();
    List<Policy> enforcing = lookup(registry, recorded.policies(), missing);
    List<PolicyId> shadowIds = new ArrayList<>();
    for (ShadowOutcome s : recorded.shadow()) {
      shadowIds.add(s.policy());
    }
    List<Policy> shadow = lookup(registry, shadowIds, missing);
    if (!missing.isEmpty()) {
      return new ReplayReport.Finding(record.seq(), record.segment(), ReplayReport.Status.NOT_REPLAYABLE, recorded,
          Optional.empty(), List.of("policy version(s) not available: " + missing), missing);
    }
    Decision replayed = Decider.decide(recorded.id(), record.evidence(), enforcing, shadow);
    List<String> diffs = differences(recorded, replayed);
    if (record.format() >= 2 && !recorded.subject().equals(replayed.subject())) {
      diffs = new ArrayList<>(diffs);
      diffs.add("subject: recorded " + recorded.subject() + " / replayed " + replayed.subject());
    }
    List<String> maskedAttributes = maskedAttributes(record);
    if (!diffs.isEmpty() && !maskedAttributes.isEmpty()) {
      // the policies saw the real values of attributes the log masked: a difference may be theirs
      List<String> why = new ArrayList<>();
      why.add("input masked in the log (custom signal attributes not declared safe by their provider): "
          + String.join(", ", maskedAttributes) + "; a policy that reads them decides differently on the"
          + " placeholders, so this difference cannot be told from a divergence");
      why.addAll(diffs);
      return new ReplayReport.Finding(record.seq(), record.segment(), ReplayReport.Status.NOT_REPLAYABLE, recorded,
          Optional.of(replayed), why, List.of());
    }
    return new ReplayReport.Finding(record.seq(), record.segment(),
        diffs.isEmpty() ? ReplayReport.Status.IDENTICAL : ReplayReport.Status.DIVERGED, recorded,
        Optional.of(replayed), diffs, List.of());
  }

  /** The custom-signal attributes the record's evidence holds masked, as {@code provider/name.attribute}. */
  private static List<String> maskedAttributes(LoggedRecord record) {
    List<String> out = new ArrayList<>(0);
    for (dev.haetae.moderation.api.Signal.Custom c : record.evidence().signals(
        dev.haetae.moderation.api.Signal.Custom.class)) {
      for (String k : new java.util.TreeSet<>(c.attributes().keySet())) {
        if (!c.safe().contains(k)) {
          out.add(c.provider() + "/" + c.name() + "." + k);
        }
      }
    }
    return out;
  }

  private static List<Policy> lookup(Map<PolicyId, Policy> registry, List<PolicyId> ids, List<PolicyId> missing) {
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
    Map<PolicyId, Policy> known = new LinkedHashMap<>(registry);
    log.forEachEntry(progress, entry -> {
      if (entry instanceof LoggedEvent) {
        LogEvent e = ((LoggedEvent) entry).event();
        if (e instanceof LogEvent.Configuration) {
          learn((LogEvent.Configuration) e, known);
        }
        return;
      }
      ReplayReport.Finding f = replay((LoggedRecord) entry, known);
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

  /**
   * Makes the policies of a logged configuration available: the built-in pack with the logged
   * parameters, and the extra and shadow classes it names when the class loader has them (a
   * configuration whose classes are missing still gives its built-ins; the records that used the
   * missing classes are then not replayable).
   */
  private void learn(LogEvent.Configuration c, Map<PolicyId, Policy> known) {
    if (c.policyConfig().isEmpty()) {
      return;
    }
    String json = c.policyConfig().get();
    PolicyConfig config;
    try {
      config = PolicyConfig.parse(json, loader);
    } catch (RuntimeException e) {
      try {
        config = PolicyConfig.parse(PolicyConfig.withoutClasses(json), loader);
      } catch (RuntimeException e2) {
        return;
      }
    }
    List<Policy> all = new ArrayList<>(config.builtIn());
    all.addAll(config.extra());
    all.addAll(config.shadow());
    for (Policy p : all) {
      known.putIfAbsent(Decider.idOf(p), p);
    }
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
        } else if (f.kind() == PolicyFailure.Kind.TRIPPED) {
          note = " (the recorded policy was tripped for timing out and not called; replay calls it)";
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
