package dev.haetae.moderation.bench.hash;

import dev.haetae.moderation.core.hash.HashStages;
import dev.haetae.moderation.core.hash.ImageHasher;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.function.Supplier;
import javax.imageio.ImageIO;

/**
 * A companion to {@link ImageHasherBenchmark} for loaded machines: runs the same operations on one
 * thread and reports the median <em>CPU time</em> of the calling thread per image (and so images
 * per second per core), which, unlike wall-clock throughput, does not count time spent waiting
 * for a core that other processes hold. Cache, memory-bandwidth and hyper-thread contention still
 * show, so only ratios from one run should be compared.
 *
 * <p>Each operation is first warmed up for at least {@value #WARM_UP_CPU_MS} ms of CPU time (so
 * that the JIT has compiled the code of even the cheap operations, which a fixed small number of
 * calls does not guarantee), then the measured rounds are interleaved: every round calls each
 * operation of an image once, so that a change in the machine's load affects the full-resolution
 * and the reduced path alike.
 *
 * <p>After the whole-file operations, a split timer: the default path's stages for the same file
 * ({@link HashStages}: decode, digests, main hash, and each kind of query variant), measured the
 * same way, so that what each costs can be read against the whole.
 *
 * <pre>
 * java -cp moderation-benchmarks/target/benchmarks.jar dev.haetae.moderation.bench.hash.CpuTimeReport [rounds]
 * </pre>
 */
public final class CpuTimeReport {
  private static final long WARM_UP_CPU_MS = 1500;

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
    ImageHasher imageIo = ImageHasher.builder().halfScaleJpeg(false).build();
    System.out.printf("%-22s %-40s %12s %14s%n", "image", "operation", "cpu ms/image", "images/s/core");
    for (String name : new String[] {"kay-640.jpg", "bridge-1600x1004.jpg"}) {
      byte[] bytes;
      try (InputStream in = CpuTimeReport.class.getResourceAsStream("/bench-images/" + name)) {
        bytes = in.readAllBytes();
      }
      BufferedImage pixels = ImageIO.read(new ByteArrayInputStream(bytes));
      List<String> names = new ArrayList<>();
      List<Supplier<Object>> ops = new ArrayList<>();
      names.add("pixels, full resolution");
      ops.add(() -> full.pdq(pixels));
      names.add("pixels, reduced");
      ops.add(() -> reduced.pdq(pixels));
      names.add("file, full resolution");
      ops.add(() -> full.fingerprint(bytes));
      names.add("file, reduced");
      ops.add(() -> reduced.fingerprint(bytes));
      names.add("file, reduced + variants");
      ops.add(() -> engine.fingerprint(bytes));
      names.add("file, no half-scale JPEG + variants");
      ops.add(() -> imageIo.fingerprint(bytes));
      List<HashStages.Stage> stages = HashStages.of(bytes);
      for (HashStages.Stage stage : stages) {
        names.add("  " + stage.name);
        ops.add(stage.op);
      }
      double[] ms = measure(ops, rounds);
      for (int k = 0; k < ops.size(); k++) {
        System.out.printf("%-22s %-40s %12.2f %14.1f%n", name, names.get(k), ms[k], 1000.0 / ms[k]);
      }
      System.out.printf("%-22s reduced/full speed-up: pixels %.1fx, file %.1fx; file full / reduced + variants %.2fx%n",
          name, ms[0] / ms[1], ms[2] / ms[3], ms[2] / ms[4]);
      if (!stages.isEmpty()) {
        double sum = 0;
        for (int k = 6; k < ms.length; k++) {
          sum += ms[k];
        }
        System.out.printf("%-22s stages sum %.2f ms of %.2f (reduced + variants); variants %.2f ms%n", name, sum,
            ms[4], ms[4] - ms[3]);
      }
    }
  }

  /** Median CPU milliseconds per call of each operation, after warm-up, rounds interleaved. */
  private static double[] measure(List<Supplier<Object>> ops, int rounds) {
    ThreadMXBean mx = ManagementFactory.getThreadMXBean();
    for (Supplier<Object> op : ops) {
      long start = mx.getCurrentThreadCpuTime();
      for (int k = 0; k < 5 || mx.getCurrentThreadCpuTime() - start < WARM_UP_CPU_MS * 1_000_000L; k++) {
        op.get();
      }
    }
    long[][] cpu = new long[ops.size()][rounds];
    for (int r = 0; r < rounds; r++) {
      for (int k = 0; k < ops.size(); k++) {
        long t0 = mx.getCurrentThreadCpuTime();
        if (ops.get(k).get() == null) {
          throw new IllegalStateException();
        }
        cpu[k][r] = mx.getCurrentThreadCpuTime() - t0;
      }
    }
    double[] ms = new double[ops.size()];
    for (int k = 0; k < ops.size(); k++) {
      Arrays.sort(cpu[k]);
      ms[k] = cpu[k][rounds / 2] / 1e6;
    }
    return ms;
  }
}
