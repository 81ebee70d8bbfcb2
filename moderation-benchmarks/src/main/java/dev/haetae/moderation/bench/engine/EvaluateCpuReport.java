package dev.haetae.moderation.bench.engine;

import dev.haetae.moderation.api.Category;
import dev.haetae.moderation.api.PdqHash;
import dev.haetae.moderation.api.spi.DecisionLog;
import dev.haetae.moderation.core.engine.ModerationEngine;
import dev.haetae.moderation.core.engine.PolicyIsolation;
import dev.haetae.moderation.core.hash.HashBanks;
import dev.haetae.moderation.core.hash.MatchCacheStats;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;

/**
 * A companion to {@link EvaluateBenchmark} for loaded machines: the same engine, bank and traffic,
 * measured as the <em>CPU time</em> of the calling thread per decision (so decisions per second per
 * core), which unlike wall-clock throughput does not count time spent waiting for a core that other
 * processes hold. The configurations run in interleaved slices (round 1 of every configuration,
 * then round 2, ...), so that a change of machine load hits all of them alike; the median slice
 * is reported. Garbage-collection work on other threads is not counted (see
 * {@code EvaluateBenchmark -prof gc} for bytes per decision). Log off, policies inline.
 *
 * <pre>
 * java -Xmx6g -cp moderation-benchmarks/target/benchmarks.jar dev.haetae.moderation.bench.engine.EvaluateCpuReport [rounds] [cpu ms per slice] [bank size] [variants]
 * </pre>
 */
public final class EvaluateCpuReport {
  private EvaluateCpuReport() {}

  /** One engine with its own banks and traffic. */
  private static final class Config {
    final String name;
    final HashBanks banks;
    final ModerationEngine engine;
    final Traffic traffic;
    final List<Double> micros = new ArrayList<>();

    Config(String name, int bankSize, int cache, double reshare, int variants, long seed) {
      this.name = name;
      SplittableRandom rnd = new SplittableRandom(42);
      banks = HashBanks.builder().matchCacheSize(cache).build().define("stopncii", Category.NCII, 31);
      long[] words = new long[4 * bankSize];
      for (int i = 0; i < words.length; i++) {
        words[i] = rnd.nextLong();
      }
      banks.bank("stopncii").addPdqBulk(words, bankSize);
      List<PdqHash> banked = Traffic.sample(words, bankSize);
      engine = ModerationEngine.builder().banks(banks).decisionLog(DecisionLog.DISCARD).serviceLoader(false, null)
          .policyIsolation(PolicyIsolation.INLINE).build();
      traffic = new Traffic(seed, reshare, variants, banked, name + "-c");
    }
  }

  /**
   * Runs the report.
   *
   * @param args optionally rounds (default 7), CPU milliseconds per slice (default 1500), the bank
   *     size (default 1,000,000) and query variants per image (default 0)
   */
  public static void main(String[] args) {
    int rounds = args.length > 0 ? Integer.parseInt(args[0]) : 7;
    long sliceNs = (args.length > 1 ? Long.parseLong(args[1]) : 1500) * 1_000_000L;
    int bankSize = args.length > 2 ? Integer.parseInt(args[2]) : 1_000_000;
    int variants = args.length > 3 ? Integer.parseInt(args[3]) : 0;
    List<Config> configs = new ArrayList<>();
    configs.add(new Config("bank0-reshare0", 0, HashBanks.DEFAULT_MATCH_CACHE_SIZE, 0, variants, 1));
    configs.add(new Config("bank0-reshare0.9", 0, HashBanks.DEFAULT_MATCH_CACHE_SIZE, 0.9, variants, 2));
    for (int cache : new int[] {0, HashBanks.DEFAULT_MATCH_CACHE_SIZE}) {
      for (double reshare : new double[] {0, 0.9}) {
        configs.add(new Config("bank" + bankSize + "-cache" + cache + "-reshare" + reshare, bankSize, cache, reshare,
            variants, 3 + configs.size()));
      }
    }
    ThreadMXBean mx = ManagementFactory.getThreadMXBean();
    for (int r = -2; r < rounds; r++) { // two rounds of warm-up
      for (Config c : configs) {
        double micros = microsPerDecision(mx, c.engine, c.traffic, sliceNs);
        if (r >= 0) {
          c.micros.add(micros);
        }
      }
    }
    System.out.printf(Locale.ROOT, "%-40s %16s %16s %10s%n", "configuration (variants=" + variants + ")",
        "cpu us/decision", "decisions/s/core", "hit rate");
    for (Config c : configs) {
      double[] m = c.micros.stream().mapToDouble(Double::doubleValue).sorted().toArray();
      double median = m[m.length / 2];
      MatchCacheStats s = c.banks.matchCacheStats();
      System.out.printf(Locale.ROOT, "%-40s %16.1f %16.0f %10.3f   slices %s%n", c.name, median, 1e6 / median,
          s.hitRate(), Arrays.toString(Arrays.stream(m).mapToLong(Math::round).toArray()));
      c.engine.close();
    }
  }

  /**
   * Decides requests of the traffic on this thread, 16 at a time, until at least {@code sliceNs}
   * of this thread's CPU time is used, and returns the CPU microseconds per decision.
   */
  static double microsPerDecision(ThreadMXBean mx, ModerationEngine engine, Traffic traffic, long sliceNs) {
    long start = mx.getCurrentThreadCpuTime();
    long n = 0;
    long used;
    do {
      for (int i = 0; i < 16; i++) {
        engine.evaluate(traffic.next());
      }
      n += 16;
      used = mx.getCurrentThreadCpuTime() - start;
    } while (used < sliceNs);
    return used / 1000.0 / n;
  }
}
