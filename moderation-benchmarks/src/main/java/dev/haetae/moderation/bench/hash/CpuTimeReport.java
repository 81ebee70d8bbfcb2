package dev.haetae.moderation.bench.hash;

import dev.haetae.moderation.core.hash.ImageHasher;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.util.Arrays;
import java.util.function.Supplier;
import javax.imageio.ImageIO;

/**
 * A companion to {@link ImageHasherBenchmark} for loaded machines: runs the same operations on one
 * thread and reports the median <em>CPU time</em> of the calling thread per image (and so images
 * per second per core), which, unlike wall-clock throughput, does not count time spent waiting
 * for a core that other processes hold. Cache and memory-bandwidth contention still show.
 *
 * <pre>
 * java -cp moderation-benchmarks/target/benchmarks.jar dev.haetae.moderation.bench.hash.CpuTimeReport [rounds]
 * </pre>
 */
public final class CpuTimeReport {
  private CpuTimeReport() {}

  /**
   * Runs the report.
   *
   * @param args optionally the number of measured rounds per operation (default 40)
   * @throws IOException when a bundled image cannot be read
   */
  public static void main(String[] args) throws IOException {
    int rounds = args.length > 0 ? Integer.parseInt(args[0]) : 40;
    ImageHasher full = ImageHasher.builder().resolution(ImageHasher.Resolution.FULL).queryVariants(false).build();
    ImageHasher reduced = ImageHasher.builder().queryVariants(false).build();
    ImageHasher engine = ImageHasher.create();
    System.out.printf("%-22s %-30s %12s %14s%n", "image", "operation", "cpu ms/image", "images/s/core");
    for (String name : new String[] {"kay-640.jpg", "bridge-1600x1004.jpg"}) {
      byte[] bytes;
      try (InputStream in = CpuTimeReport.class.getResourceAsStream("/bench-images/" + name)) {
        bytes = in.readAllBytes();
      }
      BufferedImage pixels = ImageIO.read(new ByteArrayInputStream(bytes));
      double pf = report(name, "pixels, full resolution", rounds, () -> full.pdq(pixels));
      double pr = report(name, "pixels, reduced", rounds, () -> reduced.pdq(pixels));
      double ff = report(name, "file, full resolution", rounds, () -> full.fingerprint(bytes));
      double fr = report(name, "file, reduced", rounds, () -> reduced.fingerprint(bytes));
      report(name, "file, reduced + variants", rounds, () -> engine.fingerprint(bytes));
      System.out.printf("%-22s reduced/full speed-up: pixels %.1fx, file %.1fx%n", name, pf / pr, ff / fr);
    }
  }

  private static double report(String image, String operation, int rounds, Supplier<Object> op) {
    ThreadMXBean mx = ManagementFactory.getThreadMXBean();
    for (int k = 0; k < Math.max(5, rounds / 4); k++) {
      op.get(); // warm-up
    }
    long[] cpu = new long[rounds];
    for (int k = 0; k < rounds; k++) {
      long t0 = mx.getCurrentThreadCpuTime();
      if (op.get() == null) {
        throw new IllegalStateException();
      }
      cpu[k] = mx.getCurrentThreadCpuTime() - t0;
    }
    Arrays.sort(cpu);
    double ms = cpu[rounds / 2] / 1e6;
    System.out.printf("%-22s %-30s %12.2f %14.1f%n", image, operation, ms, 1000.0 / ms);
    return ms;
  }
}
