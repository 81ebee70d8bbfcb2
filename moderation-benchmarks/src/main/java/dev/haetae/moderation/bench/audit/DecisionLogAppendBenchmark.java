package dev.haetae.moderation.bench.audit;

import dev.haetae.moderation.api.Decision;
import dev.haetae.moderation.api.Evidence;
import dev.haetae.moderation.api.spi.DecisionLog;
import dev.haetae.moderation.core.audit.DecisionLogs;
import dev.haetae.moderation.core.audit.Pseudonymizers;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
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
import org.openjdk.jmh.annotations.Threads;

/**
 * Durable appends per second: group commit (one fsync per batch of concurrent appends) against one
 * fsync per record, at 1, 2 and 8 appending threads. Every append is fsync'ed before it returns in
 * both modes. Run: {@code java -jar moderation-benchmarks/target/benchmarks.jar DecisionLogAppend}.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
public class DecisionLogAppendBenchmark {
  /** {@code group}: group commit; {@code per-record}: one fsync per record (maxBatch 1). */
  @Param({"group", "per-record"})
  public String commit;

  private Path dir;
  private DecisionLog log;
  private Evidence[] evidence;
  private Decision[] decisions;

  /** Opens a fresh log in a directory under the working directory (a real disk, not tmpfs). */
  @Setup(Level.Trial)
  public void open() throws IOException {
    dir = Files.createTempDirectory(Path.of("."), "bench-log-");
    log = DecisionLogs.directory(dir)
        .pseudonymizer(Pseudonymizers.hmacSha256("bench", "0123456789abcdef".getBytes(StandardCharsets.UTF_8)))
        .maxBatch(commit.equals("group") ? 1024 : 1).build();
    Random r = new Random(1);
    evidence = new Evidence[1024];
    decisions = new Decision[1024];
    for (int i = 0; i < evidence.length; i++) {
      evidence[i] = Records.evidence(r, i);
      decisions[i] = Records.decision(evidence[i], i);
    }
  }

  /** Closes the log and deletes it. */
  @TearDown(Level.Trial)
  public void close() throws IOException {
    log.close();
    try (Stream<Path> s = Files.walk(dir)) {
      s.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    }
  }

  private long append() {
    int i = (int) (Thread.currentThread().getId() * 31 + System.identityHashCode(this)) & 1023;
    return log.append(evidence[i], decisions[i]);
  }

  /** One appending thread. */
  @Benchmark
  @Threads(1)
  public long threads1() {
    return append();
  }

  /** Two appending threads. */
  @Benchmark
  @Threads(2)
  public long threads2() {
    return append();
  }

  /** Eight appending threads. */
  @Benchmark
  @Threads(8)
  public long threads8() {
    return append();
  }
}
