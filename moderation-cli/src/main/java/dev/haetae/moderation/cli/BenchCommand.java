package dev.haetae.moderation.cli;

import dev.haetae.moderation.api.Category;
import dev.haetae.moderation.api.Fingerprints;
import dev.haetae.moderation.api.Pdq;
import dev.haetae.moderation.api.PdqHash;
import dev.haetae.moderation.api.Signal;
import dev.haetae.moderation.core.hash.Bank;
import dev.haetae.moderation.core.hash.BankConfig;
import dev.haetae.moderation.core.hash.FloodPolicy;
import dev.haetae.moderation.core.hash.HashBanks;
import java.io.PrintWriter;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code haetae bench}: benchmarks that print their figures. */
@Command(name = "bench", mixinStandardHelpOptions = true, description = "Benchmarks that print their figures.",
    subcommands = {BenchCommand.Index.class})
final class BenchCommand implements Runnable {
  @Spec picocli.CommandLine.Model.CommandSpec spec;

  @Override
  public void run() {
    spec.commandLine().usage(System.out);
  }

  /** {@code haetae bench index}: PDQ index build, memory and query figures against a linear scan. */
  @Command(name = "index", mixinStandardHelpOptions = true,
      description = {"Builds a PDQ bank of N synthetic hashes and measures bulk-add rate, heap bytes per hash, "
          + "query latency (p50/p99) and queries/s on one thread, and a linear scan over the same hashes in the "
          + "same process on a sample of the queries, checking that both return identical results.",
          "Run with a heap that fits: the index keeps about 63 bytes per hash, but the bulk build needs several "
              + "times that while it sorts, e.g. HAETAE_JAVA_OPTS=-Xmx6g for 10M."})
  static final class Index implements Callable<Integer> {
    @Spec picocli.CommandLine.Model.CommandSpec spec;

    @Option(names = "--hashes", required = true, description = "number of PDQ hashes, e.g. 1000000")
    int hashes;

    @Option(names = "--data", defaultValue = "uniform",
        description = "uniform (random hashes) or clustered (near-duplicate families); default ${DEFAULT-VALUE}")
    String data;

    @Option(names = "--distance", defaultValue = "31", description = "PDQ distance; default ${DEFAULT-VALUE}")
    int distance;

    @Option(names = "--queries", defaultValue = "20000", description = "index queries timed; default ${DEFAULT-VALUE}")
    int queries;

    @Option(names = "--scan-queries", defaultValue = "30",
        description = "queries also answered by a linear scan and compared; default ${DEFAULT-VALUE}")
    int scanQueries;

    @Option(names = "--family", defaultValue = "20", description = "clustered: family size; default ${DEFAULT-VALUE}")
    int family;

    @Option(names = "--seed", defaultValue = "1", description = "random seed; default ${DEFAULT-VALUE}")
    long seed;

    @Override
    public Integer call() {
      PrintWriter out = spec.commandLine().getOut();
      if (hashes < 1 || queries < 1 || scanQueries < 0 || distance < 0 || distance > 128) {
        spec.commandLine().getErr().println("bench index: --hashes and --queries must be positive, --distance 0..128");
        return 2;
      }
      boolean clustered = data.equals("clustered");
      if (!clustered && !data.equals("uniform")) {
        spec.commandLine().getErr().println("bench index: --data must be uniform or clustered");
        return 2;
      }
      SplittableRandom rnd = new SplittableRandom(seed);
      long[] words = clustered ? clustered(rnd, hashes, family, 24) : uniform(rnd, hashes);
      Runtime rt = Runtime.getRuntime();
      out.printf(Locale.ROOT, "haetae bench index: %,d %s PDQ hashes, distance %d, java %s, %d cpus, max heap %,d MB, "
          + "system load average %.2f%n", hashes, data, distance, System.getProperty("java.version"),
          rt.availableProcessors(), rt.maxMemory() >> 20, ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage());
      long heapBefore = usedHeap();
      HashBanks banks = HashBanks.inMemory();
      Bank bank = banks.define(BankConfig.builder("bench", Category.NCII).pdqDistance(distance)
          .flood(FloodPolicy.disabled()).build());
      long cpu0 = processCpuNanos();
      long t0 = System.nanoTime();
      int added = bank.addPdqBulk(words, hashes);
      long buildNs = System.nanoTime() - t0;
      long buildCpu = processCpuNanos() - cpu0;
      long heapAfter = usedHeap();
      out.printf(Locale.ROOT, "build (bulk add + index)  %,.0f ms for %,d distinct hashes = %,.2f M hashes/s; "
          + "%,.0f ms of process cpu = %,.2f M hashes per cpu-second%n", buildNs / 1e6, added,
          added / (buildNs / 1e9) / 1e6, buildCpu / 1e6, buildCpu <= 0 ? Double.NaN : added / (buildCpu / 1e9) / 1e6);
      out.printf(Locale.ROOT, "heap per hash             %.1f bytes measured (used heap after GC, delta), "
          + "%.1f bytes computed from array sizes%n", (heapAfter - heapBefore) / (double) added,
          bank.pdqHeapBytes() / (double) added);

      // queries: half near an entry (up to 16 bits flipped), half random
      int total = queries + scanQueries;
      Fingerprints[] qs = new Fingerprints[total];
      PdqHash[] raw = new PdqHash[total];
      for (int i = 0; i < total; i++) {
        PdqHash q;
        if (i % 2 == 0) {
          int j = rnd.nextInt(hashes);
          long[] w = Arrays.copyOfRange(words, 4 * j, 4 * j + 4);
          int flips = rnd.nextInt(17);
          for (int f = 0; f < flips; f++) {
            int b = rnd.nextInt(256);
            w[b >>> 6] ^= 1L << (b & 63);
          }
          q = new PdqHash(w[3], w[2], w[1], w[0]);
        } else {
          q = new PdqHash(rnd.nextLong(), rnd.nextLong(), rnd.nextLong(), rnd.nextLong());
        }
        raw[i] = q;
        qs[i] = Fingerprints.none().withPdq(Pdq.of(q));
      }
      // warm up
      long sink = 0;
      int warm = Math.min(queries, 5000);
      for (int i = 0; i < warm; i++) {
        sink += banks.match(qs[i]).size();
      }
      long[] lat = new long[queries];
      long results = 0;
      java.lang.management.ThreadMXBean threads = ManagementFactory.getThreadMXBean();
      long threadCpu0 = threads.getCurrentThreadCpuTime();
      long q0 = System.nanoTime();
      for (int i = 0; i < queries; i++) {
        long s = System.nanoTime();
        List<Signal.HashMatch> m = banks.match(qs[i]);
        lat[i] = System.nanoTime() - s;
        results += m.size();
      }
      long queryNs = System.nanoTime() - q0;
      long queryCpu = threads.getCurrentThreadCpuTime() - threadCpu0;
      Arrays.sort(lat);
      out.printf(Locale.ROOT, "index query (1 thread)    p50 %,.1f us, p99 %,.1f us, mean %,.1f us, %,.0f queries/s, "
          + "%.2f results/query (%,d queries)%n", lat[queries / 2] / 1e3, lat[(int) (queries * 0.99)] / 1e3,
          queryNs / 1e3 / queries, queries / (queryNs / 1e9), results / (double) queries, queries);
      out.printf(Locale.ROOT, "index query cpu           %,.1f us of thread cpu per query = %,.0f queries per cpu-second%n",
          queryCpu / 1e3 / queries, queries / (queryCpu / 1e9));

      if (scanQueries > 0) {
        long scanNs = 0;
        long idxNs = 0;
        long scanCpu = 0;
        long idxCpu = 0;
        int identical = 0;
        for (int k = 0; k < scanQueries; k++) {
          int i = queries + k;
          long c = threads.getCurrentThreadCpuTime();
          long s = System.nanoTime();
          Map<String, Integer> viaScan = scan(words, hashes, raw[i], distance);
          scanNs += System.nanoTime() - s;
          scanCpu += threads.getCurrentThreadCpuTime() - c;
          c = threads.getCurrentThreadCpuTime();
          s = System.nanoTime();
          List<Signal.HashMatch> m = banks.match(qs[i]);
          idxNs += System.nanoTime() - s;
          idxCpu += threads.getCurrentThreadCpuTime() - c;
          Map<String, Integer> viaIndex = new HashMap<>();
          for (Signal.HashMatch h : m) {
            viaIndex.put(h.entry(), h.distance());
          }
          if (viaIndex.equals(viaScan)) {
            identical++;
          }
        }
        out.printf(Locale.ROOT, "linear scan (1 thread)    %,.0f us/query over %,d queries; index %,.1f us/query on the "
            + "same queries: %.0fx fewer ns; identical results %d/%d%n", scanNs / 1e3 / scanQueries, scanQueries,
            idxNs / 1e3 / scanQueries, scanNs / (double) Math.max(1, idxNs), identical, scanQueries);
        out.printf(Locale.ROOT, "  same, in thread cpu     scan %,.0f us/query, index %,.1f us/query: %.0fx fewer cpu-ns%n",
            scanCpu / 1e3 / scanQueries, idxCpu / 1e3 / scanQueries, scanCpu / (double) Math.max(1, idxCpu));
        if (identical != scanQueries) {
          spec.commandLine().getErr().println("bench index: index and scan disagree");
          return 1;
        }
      }
      out.printf(Locale.ROOT, "system load average at the end %.2f (other processes share the cpus: compare the index "
          + "and the scan, which ran interleaved, rather than absolute times)%n",
          ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage());
      if (sink == 42) {
        out.println();
      }
      out.flush();
      return 0;
    }

    /** The baseline: a plain linear scan over the flat word array, early exit after two words. */
    static Map<String, Integer> scan(long[] w, int n, PdqHash q, int r) {
      long q0 = q.w0();
      long q1 = q.w1();
      long q2 = q.w2();
      long q3 = q.w3();
      Map<String, Integer> out = new HashMap<>();
      for (int i = 0, b = 0; i < n; i++, b += 4) {
        int d = Long.bitCount(w[b] ^ q0) + Long.bitCount(w[b + 1] ^ q1);
        if (d > r) {
          continue;
        }
        d += Long.bitCount(w[b + 2] ^ q2) + Long.bitCount(w[b + 3] ^ q3);
        if (d <= r) {
          out.put(new PdqHash(w[b + 3], w[b + 2], w[b + 1], w[b]).toHex(), d);
        }
      }
      return out;
    }

    /** The process's cpu time (all threads), or 0 when the JVM does not report it. */
    static long processCpuNanos() {
      java.lang.management.OperatingSystemMXBean os = ManagementFactory.getOperatingSystemMXBean();
      if (os instanceof com.sun.management.OperatingSystemMXBean) {
        return ((com.sun.management.OperatingSystemMXBean) os).getProcessCpuTime();
      }
      return 0;
    }

    static long usedHeap() {
      MemoryMXBean mx = ManagementFactory.getMemoryMXBean();
      for (int i = 0; i < 3; i++) {
        System.gc();
      }
      return mx.getHeapMemoryUsage().getUsed();
    }

    static long[] uniform(SplittableRandom rnd, int n) {
      long[] w = new long[4 * n];
      for (int i = 0; i < w.length; i++) {
        w[i] = rnd.nextLong();
      }
      fixDegenerate(w, n);
      return w;
    }

    /** Families of {@code family} hashes: a random centre and members up to {@code spread} bits away. */
    static long[] clustered(SplittableRandom rnd, int n, int family, int spread) {
      long[] w = new long[4 * n];
      long[] c = new long[4];
      for (int i = 0; i < n; i++) {
        if (i % family == 0) {
          for (int k = 0; k < 4; k++) {
            c[k] = rnd.nextLong();
          }
        }
        System.arraycopy(c, 0, w, 4 * i, 4);
        int flips = 1 + rnd.nextInt(spread);
        for (int f = 0; f < flips; f++) {
          int b = rnd.nextInt(256);
          w[4 * i + (b >>> 6)] ^= 1L << (b & 63);
        }
      }
      fixDegenerate(w, n);
      return w;
    }

    private static void fixDegenerate(long[] w, int n) {
      for (int i = 0; i < n; i++) {
        if (!HashBanks.isValidPdq(new PdqHash(w[4 * i + 3], w[4 * i + 2], w[4 * i + 1], w[4 * i]))) {
          w[4 * i] ^= 1;
        }
      }
    }
  }
}
