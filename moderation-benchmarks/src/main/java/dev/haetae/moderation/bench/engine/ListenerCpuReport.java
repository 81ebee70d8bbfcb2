package dev.haetae.moderation.bench.engine;

import dev.haetae.moderation.api.Category;
import dev.haetae.moderation.api.PdqHash;
import dev.haetae.moderation.api.observe.EngineListener;
import dev.haetae.moderation.api.spi.DecisionLog;
import dev.haetae.moderation.core.engine.ModerationEngine;
import dev.haetae.moderation.core.engine.ModerationEngineBuilder;
import dev.haetae.moderation.core.engine.PolicyIsolation;
import dev.haetae.moderation.core.hash.HashBanks;
import dev.haetae.moderation.micrometer.HaetaeMetrics;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;

/**
 * A companion to {@link ListenerCostBenchmark} for loaded machines, built as {@link
 * EvaluateCpuReport} is: the CPU time of the calling thread per decision, with no listener, a no-op
 * listener and the Micrometer binder, in interleaved slices (round 1 of each, then round 2, ...) so
 * that a change of machine load hits all three alike; the median slice is reported, and the ratio to
 * the configuration without a listener. Log off, policies inline, 90% re-shares.
 *
 * <pre>
 * java -cp moderation-benchmarks/target/benchmarks.jar dev.haetae.moderation.bench.engine.ListenerCpuReport [rounds] [cpu ms per slice] [bank size]
 * </pre>
 */
public final class ListenerCpuReport {
  private ListenerCpuReport() {}

  /** One engine with its own banks and traffic. */
  private static final class Config {
    final String name;
    final ModerationEngine engine;
    final Traffic traffic;
    final List<Double> micros = new ArrayList<>();

    Config(String name, int bankSize, long seed) {
      this.name = name;
      SplittableRandom rnd = new SplittableRandom(42);
      HashBanks banks = HashBanks.inMemory().define("stopncii", Category.NCII, 31);
      long[] words = new long[4 * bankSize];
      for (int i = 0; i < words.length; i++) {
        words[i] = rnd.nextLong();
      }
      banks.bank("stopncii").addPdqBulk(words, bankSize);
      List<PdqHash> banked = Traffic.sample(words, bankSize);
      ModerationEngineBuilder b = ModerationEngine.builder().banks(banks).decisionLog(DecisionLog.DISCARD)
          .serviceLoader(false, null).policyIsolation(PolicyIsolation.INLINE);
      HaetaeMetrics metrics = null;
      if (name.equals("noop")) {
        b.listener(new EngineListener() { });
      } else if (name.equals("micrometer")) {
        metrics = HaetaeMetrics.create();
        metrics.bindTo(new SimpleMeterRegistry());
        b.listener(metrics);
      }
      engine = b.build();
      if (metrics != null) {
        metrics.watch(engine);
      }
      traffic = new Traffic(seed, 0.9, 0, banked, name + "-c");
    }
  }

  /**
   * Runs the report.
   *
   * @param args optionally rounds (default 7), CPU milliseconds per slice (default 1000) and the
   *     bank size (default 100,000)
   */
  public static void main(String[] args) {
    int rounds = args.length > 0 ? Integer.parseInt(args[0]) : 7;
    long sliceNs = (args.length > 1 ? Long.parseLong(args[1]) : 1000) * 1_000_000L;
    int bankSize = args.length > 2 ? Integer.parseInt(args[2]) : 100_000;
    List<Config> configs = new ArrayList<>();
    // the same seed: every configuration decides the same stream of events
    for (String name : new String[] {"none", "noop", "micrometer"}) {
      configs.add(new Config(name, bankSize, 7));
    }
    ThreadMXBean mx = ManagementFactory.getThreadMXBean();
    for (int r = -3; r < rounds; r++) { // three rounds of warm-up
      for (Config c : configs) {
        double micros = EvaluateCpuReport.microsPerDecision(mx, c.engine, c.traffic, sliceNs);
        if (r >= 0) {
          c.micros.add(micros);
        }
      }
    }
    System.out.printf(Locale.ROOT, "%-12s %16s %16s %10s%n", "listener", "cpu us/decision", "decisions/s/core",
        "vs none");
    double base = 0;
    for (Config c : configs) {
      double[] m = c.micros.stream().mapToDouble(Double::doubleValue).sorted().toArray();
      double median = m[m.length / 2];
      if (base == 0) {
        base = median;
      }
      System.out.printf(Locale.ROOT, "%-12s %16.1f %16.0f %10.3f   slices %s%n", c.name, median, 1e6 / median,
          median / base, Arrays.toString(Arrays.stream(m).map(x -> Math.round(x * 10) / 10.0).toArray()));
      c.engine.close();
    }
  }
}
