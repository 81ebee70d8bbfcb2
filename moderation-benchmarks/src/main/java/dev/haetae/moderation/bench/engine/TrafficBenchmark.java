package dev.haetae.moderation.bench.engine;

import dev.haetae.moderation.api.ContentEvent;
import java.util.List;
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

/**
 * The cost of generating {@link EvaluateBenchmark}'s events alone (time and bytes), to subtract
 * from its figures when judging the engine. Run:
 * {@code java -jar moderation-benchmarks/target/benchmarks.jar TrafficBenchmark -prof gc}.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
public class TrafficBenchmark {
  /** The share of events that re-share an image seen before. */
  @Param({"0", "0.9"})
  public double reshare;

  /** Query variants per image. */
  @Param({"0"})
  public int variants;

  private Traffic traffic;

  /** A new instance for JMH. */
  public TrafficBenchmark() {}

  /** Starts the traffic. */
  @Setup(Level.Trial)
  public void setUp() {
    traffic = new Traffic(1000, reshare, variants, List.of(), "t0-c");
  }

  /**
   * One event.
   *
   * @return the event, consumed by JMH
   */
  @Benchmark
  public ContentEvent next() {
    return traffic.next();
  }
}
