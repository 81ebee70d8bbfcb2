package dev.haetae.moderation.bench.reputation;

import dev.haetae.moderation.api.Category;
import dev.haetae.moderation.api.ContentId;
import dev.haetae.moderation.api.DecisionId;
import dev.haetae.moderation.api.ReporterId;
import dev.haetae.moderation.api.Target;
import dev.haetae.moderation.api.UserReport;
import dev.haetae.moderation.core.reputation.ReportContext;
import dev.haetae.moderation.core.reputation.ReportIntake;
import dev.haetae.moderation.core.reputation.ReputationModel;
import dev.haetae.moderation.core.store.InMemoryReputationStore;
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
 * Report ingestion on one thread against the in-memory store: a random known reporter reports a
 * random one of a million targets; the model weighs the report next to every pending report on the
 * target (a few on average), then stores it as the apply phase does after the decision is logged.
 * This is the reputation part of {@code evaluate} for a report, without policies and the decision
 * log.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Threads(1)
@Fork(value = 1, jvmArgsAppend = {"-Xms4g", "-Xmx4g", "-XX:+UseParallelGC"})
@Warmup(iterations = 2, time = 3)
@Measurement(iterations = 3, time = 3)
public class IngestBenchmark {
  @Param({"10000000"})
  int reporters;

  @Param({"1000000"})
  int targets;

  private final ReputationModel model = ReputationModel.defaults();
  private InMemoryReputationStore store;
  private ReporterId[] ids;
  private Target[] targetIds;
  private final SplittableRandom rnd = new SplittableRandom(42);
  private long decisions;

  /** Fills the store. */
  @Setup
  public void setUp() {
    store = new InMemoryReputationStore();
    ids = Reporters.fill(store, reporters);
    targetIds = new Target[targets];
    for (int i = 0; i < targets; i++) {
      targetIds[i] = Target.content(ContentId.of("c" + i));
    }
  }

  /**
   * One report weighed, then stored (as the engine does after logging its decision).
   *
   * @return the intake, so that it is not optimised away
   */
  @Benchmark
  public ReportIntake ingest() {
    UserReport r = UserReport.of(ids[rnd.nextInt(ids.length)], targetIds[rnd.nextInt(targetIds.length)],
        Category.HARASSMENT);
    ReportIntake in = model.intake(r, Reporters.NOW, store, ReportContext.none());
    model.file(r, in.signal(), DecisionId.of("d-" + decisions++), false, Reporters.NOW, store);
    return in;
  }
}
