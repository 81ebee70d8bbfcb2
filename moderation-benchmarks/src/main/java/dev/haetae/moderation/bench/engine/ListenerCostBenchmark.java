package dev.haetae.moderation.bench.engine;

import dev.haetae.moderation.api.Category;
import dev.haetae.moderation.api.Decision;
import dev.haetae.moderation.api.PdqHash;
import dev.haetae.moderation.api.observe.EngineListener;
import dev.haetae.moderation.api.spi.DecisionLog;
import dev.haetae.moderation.core.engine.ModerationEngine;
import dev.haetae.moderation.core.engine.ModerationEngineBuilder;
import dev.haetae.moderation.core.engine.PolicyIsolation;
import dev.haetae.moderation.core.hash.HashBanks;
import dev.haetae.moderation.micrometer.HaetaeMetrics;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;

/**
 * What observing the engine costs: {@code evaluate()} as in {@link EvaluateBenchmark} (built-in
 * pack, a PDQ bank of {@code bankSize} entries, log discarded, inline isolation, 90% re-shares)
 * with {@code listener} = {@code none} (no listener: the engine reads no extra clock), {@code noop}
 * (a listener whose methods do nothing: every stage is timed and an event built), or {@code
 * micrometer} ({@code HaetaeMetrics} bound to a {@code SimpleMeterRegistry}: stage timers with
 * percentiles, counters).
 *
 * <p>Run: {@code java -jar moderation-benchmarks/target/benchmarks.jar ListenerCostBenchmark -f 2
 * -wi 3 -w 2s -i 5 -r 2s}; compare the three scores of one run, with the load average beside them.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
public class ListenerCostBenchmark {
  /** Entries in the PDQ bank. */
  @Param({"100000"})
  public int bankSize;

  /** {@code none}, {@code noop} or {@code micrometer}. */
  @Param({"none", "noop", "micrometer"})
  public String listener;

  private ModerationEngine engine;
  private List<PdqHash> banked;
  private int thread;

  /** A new instance for JMH. */
  public ListenerCostBenchmark() {}

  /** One thread's traffic. */
  @State(Scope.Thread)
  public static class Stream {
    Traffic traffic;

    /** A new instance for JMH. */
    public Stream() {}

    /**
     * Starts this thread's traffic.
     *
     * @param b the benchmark state
     */
    @Setup(Level.Trial)
    public void setUp(ListenerCostBenchmark b) {
      synchronized (b) {
        int t = b.thread++;
        traffic = new Traffic(1000 + t, 0.9, 0, b.banked, "t" + t + "-c");
      }
    }
  }

  /** Builds the bank and the engine with the listener under test. */
  @Setup(Level.Trial)
  public void setUp() {
    SplittableRandom rnd = new SplittableRandom(42);
    HashBanks banks = HashBanks.inMemory().define("stopncii", Category.NCII, 31);
    long[] words = new long[4 * bankSize];
    for (int i = 0; i < words.length; i++) {
      words[i] = rnd.nextLong();
    }
    banks.bank("stopncii").addPdqBulk(words, bankSize);
    banked = Traffic.sample(words, bankSize);
    ModerationEngineBuilder b = ModerationEngine.builder().banks(banks).decisionLog(DecisionLog.DISCARD)
        .serviceLoader(false, null).policyIsolation(PolicyIsolation.INLINE);
    HaetaeMetrics metrics = null;
    switch (listener) {
      case "none":
        break;
      case "noop":
        b.listener(new EngineListener() { });
        break;
      case "micrometer":
        metrics = HaetaeMetrics.create();
        metrics.bindTo(new SimpleMeterRegistry());
        b.listener(metrics);
        break;
      default:
        throw new IllegalArgumentException("listener: none, noop or micrometer, not " + listener);
    }
    engine = b.build();
    if (metrics != null) {
      metrics.watch(engine);
    }
  }

  /** Closes the engine. */
  @TearDown(Level.Trial)
  public void tearDown() {
    engine.close();
  }

  /**
   * One decision on the next event of this thread's traffic.
   *
   * @param stream this thread's traffic
   * @return the decision, consumed by JMH
   */
  @Benchmark
  public Decision evaluate(Stream stream) {
    return engine.evaluate(stream.traffic.next());
  }
}
