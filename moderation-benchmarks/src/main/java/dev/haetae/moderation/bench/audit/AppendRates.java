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
import java.util.Arrays;
import java.util.Comparator;
import java.util.Random;
import java.util.stream.Stream;

/**
 * Durable append rates, group commit against one fsync per record, measured in alternating rounds
 * so that both modes see the same disk conditions (a shared machine's fsync latency drifts a lot).
 * Prints, per thread count, the median records/s of each mode over the rounds and the median of
 * the per-round ratios.
 *
 * <p>Run: {@code java -cp moderation-benchmarks/target/benchmarks.jar
 * dev.haetae.moderation.bench.audit.AppendRates [ROUNDS] [SECONDS] [DIR]}
 */
public final class AppendRates {
  private AppendRates() {}

  /**
   * Entry point.
   *
   * @param args optional: rounds (default 5), seconds per measurement (default 2), parent directory
   *     of the logs (default the working directory)
   * @throws Exception when a log cannot be written
   */
  public static void main(String[] args) throws Exception {
    int rounds = args.length > 0 ? Integer.parseInt(args[0]) : 5;
    double seconds = args.length > 1 ? Double.parseDouble(args[1]) : 2;
    Path parent = args.length > 2 ? Path.of(args[2]) : Path.of(".");
    Random r = new Random(3);
    Evidence[] ev = new Evidence[1024];
    Decision[] de = new Decision[1024];
    for (int i = 0; i < ev.length; i++) {
      ev[i] = Records.evidence(r, i);
      de[i] = Records.decision(ev[i], i);
    }
    System.out.printf("%d rounds of %.1f s per mode, modes alternating; record ~1.5 KB%n", rounds, seconds);
    for (int threads : new int[] {1, 2, 8}) {
      double[] group = new double[rounds];
      double[] single = new double[rounds];
      double[] ratio = new double[rounds];
      run(parent, ev, de, threads, 1024, 0.5); // warm-up
      for (int k = 0; k < rounds; k++) {
        group[k] = run(parent, ev, de, threads, 1024, seconds);
        single[k] = run(parent, ev, de, threads, 1, seconds);
        ratio[k] = group[k] / single[k];
      }
      System.out.printf("threads %d: group commit median %.0f records/s %s, one fsync per record median %.0f"
          + " records/s %s, ratio median %.2fx%n", threads, TimedLoad.median(group),
          Arrays.toString(TimedLoad.round(group)), TimedLoad.median(single),
          Arrays.toString(TimedLoad.round(single)), TimedLoad.median(ratio));
    }
  }

  private static double run(Path parent, Evidence[] ev, Decision[] de, int threads, int maxBatch, double seconds)
      throws IOException, InterruptedException {
    Path dir = Files.createTempDirectory(parent, "append-rates-");
    TimedLoad.Result result;
    try (DecisionLog log = DecisionLogs.directory(dir)
        .pseudonymizer(Pseudonymizers.hmacSha256("bench", "0123456789abcdef".getBytes(StandardCharsets.UTF_8)))
        .maxBatch(maxBatch).build()) {
      result = TimedLoad.run(threads, 97, seconds, (worker, i) -> log.append(ev[i & 1023], de[i & 1023]));
      if (seconds >= 1) {
        String stats = log.toString();
        System.out.println("  " + threads + " thread(s), maxBatch " + maxBatch + ": "
            + stats.substring(stats.indexOf(", ") + 2, stats.length() - 1));
      }
    }
    try (Stream<Path> s = Files.walk(dir)) {
      s.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    }
    return result.perSecond();
  }
}
