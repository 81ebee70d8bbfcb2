package dev.haetae.moderation.bench.reputation;

import dev.haetae.moderation.api.Category;
import dev.haetae.moderation.api.ContentId;
import dev.haetae.moderation.api.ReporterId;
import dev.haetae.moderation.api.Signal;
import dev.haetae.moderation.api.Target;
import dev.haetae.moderation.api.spi.ReportRecord;
import dev.haetae.moderation.core.reputation.ReputationModel;
import dev.haetae.moderation.core.store.InMemoryReputationStore;
import java.time.Duration;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Threads;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Weight computation on one thread: credibility of every pending reporter of a target (looked up
 * in the in-memory store), correlation clustering of the unproven ones, diminishing-returns sum.
 * Targets carry {@code reportsPerTarget} pending reports from random reporters.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Threads(1)
@Fork(value = 1, jvmArgsAppend = {"-Xms4g", "-Xmx4g", "-XX:+UseParallelGC"})
@Warmup(iterations = 2, time = 3)
@Measurement(iterations = 3, time = 3)
public class WeighBenchmark {
  @Param({"10000000"})
  int reporters;

  @Param({"10", "500"})
  int reportsPerTarget;

  private final ReputationModel model = ReputationModel.defaults();
  private InMemoryReputationStore store;
  private Target[] hot;
  private final SplittableRandom rnd = new SplittableRandom(7);

  /** Fills the store and a thousand reported targets. */
  @Setup
  public void setUp() {
    store = new InMemoryReputationStore();
    ReporterId[] ids = Reporters.fill(store, reporters);
    hot = new Target[1000];
    SplittableRandom r = new SplittableRandom(1);
    for (int t = 0; t < hot.length; t++) {
      hot[t] = Target.content(ContentId.of("hot" + t));
      for (int i = 0; i < reportsPerTarget; i++) {
        store.addReport(new ReportRecord(ids[r.nextInt(ids.length)], hot[t], Category.HARASSMENT,
            Reporters.NOW.minus(Duration.ofMinutes(reportsPerTarget - i)), ReportRecord.Status.PENDING));
      }
    }
  }

  /**
   * One target weighed.
   *
   * @return the signal, so that it is not optimised away
   */
  @Benchmark
  public Signal.Reports weigh() {
    return model.weigh(hot[rnd.nextInt(hot.length)], Reporters.NOW, store);
  }
}
