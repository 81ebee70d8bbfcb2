package dev.haetae.moderation.core.hash;

import dev.haetae.moderation.bench.BuildLoaders;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.lang.reflect.Method;
import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;

/**
 * A same-process A/B of two builds of the PDQ index ({@link MihIndex}): each build's core classes
 * are loaded by a class loader of their own, both indexes are built over the same seeded hashes,
 * and batches of the same queries at distance 31 are timed on each in turn (which build goes first
 * alternates), in thread CPU. Under load the ratio of the two builds is what stays meaningful,
 * where two separate runs of {@code haetae bench index} each see a different machine.
 *
 * <p>Run: {@code java -Xmx3g -cp moderation-benchmarks/target/benchmarks.jar
 * dev.haetae.moderation.core.hash.IndexAb A.jar B.jar [hashes [queries [rounds [uniform|clustered]]]]}
 * where {@code A.jar} and {@code B.jar} are two builds' {@code moderation-core} jars (or class
 * directories), each optionally followed by more class path entries for that build (separated as
 * in a class path; the benchmarks jar supplies the API classes otherwise); defaults 1,000,000 hashes, 3,000 queries (half within 16 bits of an entry, half
 * random, as {@code bench index}), 6 rounds, uniform. With one jar it times that build alone.
 * Both builds' results are summed and compared, so a build that disagrees with the other stops the
 * run. Benchmarks only: it lives in the core's package to reach the package-private index, and
 * each class loader loads this class too (from the benchmarks jar, after the build's core classes)
 * so that it shares the package with that build's index. Not thread-safe; a command-line tool.
 */
public final class IndexAb {
  private static final int RADIUS = 31;
  private static final int BATCH = 100;

  private IndexAb() {}

  /**
   * Runs the A/B (see the class comment for the arguments).
   *
   * @param args the builds' core jars, then optionally hashes, queries, rounds and the data set
   * @throws Exception when a build cannot be loaded, or the builds disagree
   */
  public static void main(String[] args) throws Exception {
    List<String> builds = BuildLoaders.builds(args);
    int at = builds.size();
    int hashes = at < args.length ? Integer.parseInt(args[at++]) : 1_000_000;
    int queries = at < args.length ? Integer.parseInt(args[at++]) : 3_000;
    int rounds = at < args.length ? Integer.parseInt(args[at++]) : 6;
    boolean clustered = at < args.length && args[at].equals("clustered");
    SplittableRandom rnd = new SplittableRandom(7);
    long[] words = hashes(rnd, hashes, clustered);
    long[] qs = queries(rnd, words, hashes, queries);
    int k = builds.size();
    Object[] index = new Object[k];
    Method[] run = new Method[k];
    for (int b = 0; b < k; b++) {
      Class<?> c = BuildLoaders.load(builds.get(b), IndexAb.class);
      index[b] = c.getMethod("build", long[].class, int.class).invoke(null, words, hashes);
      run[b] = c.getMethod("run", Object.class, long[].class, int.class, int.class);
    }
    ThreadMXBean threads = ManagementFactory.getThreadMXBean();
    // warm up every build on every query, and check the builds agree
    long[] sums = new long[k];
    for (int b = 0; b < k; b++) {
      for (int w = 0; w < 2; w++) {
        sums[b] = (long) run[b].invoke(null, index[b], qs, 0, queries);
      }
    }
    if (k == 2 && sums[0] != sums[1]) {
      throw new IllegalStateException("the builds disagree: " + sums[0] + " against " + sums[1]);
    }
    System.out.printf(Locale.ROOT, "%,d %s hashes, %,d queries at distance %d, %s; load average %.2f%n", hashes,
        clustered ? "clustered" : "uniform", queries, RADIUS, builds, BuildLoaders.load());
    double[] total = new double[k];
    for (int r = 0; r < rounds; r++) {
      long[] cpu = new long[k];
      for (int from = 0; from < queries; from += BATCH) {
        int n = Math.min(BATCH, queries - from);
        for (int i = 0; i < k; i++) {
          int b = (r + from / BATCH + i) % k; // who goes first alternates
          long c = threads.getCurrentThreadCpuTime();
          long s = (long) run[b].invoke(null, index[b], qs, from, n);
          cpu[b] += threads.getCurrentThreadCpuTime() - c;
          if (s < 0) {
            throw new AssertionError();
          }
        }
      }
      double[] round = new double[k];
      for (int b = 0; b < k; b++) {
        total[b] += cpu[b];
        round[b] = cpu[b];
      }
      System.out.println(BuildLoaders.abLine("round " + (r + 1) + ":", round, queries, 1)
          .append(String.format(Locale.ROOT, "; load %.2f", BuildLoaders.load())));
    }
    System.out.println(BuildLoaders.abLine("mean:", total, (double) queries * rounds, 1));
  }

  /**
   * Builds an index over {@code size} hashes (called reflectively in each build's loader).
   *
   * @param words the hashes, four words each
   * @param size their number
   * @return the index
   */
  public static Object build(long[] words, int size) {
    return MihIndex.build(words, null, size);
  }

  /**
   * Searches queries {@code from .. from + n - 1} one at a time (called reflectively).
   *
   * @param index an index from {@link #build}
   * @param queries the queries, four words each
   * @param from the first
   * @param n how many
   * @return the sum over the results of ordinal plus distance, to compare builds
   */
  public static long run(Object index, long[] queries, int from, int n) {
    MihIndex ix = (MihIndex) index;
    long[] sum = new long[1];
    for (int j = from; j < from + n; j++) {
      int b = 4 * j;
      ix.search(queries[b], queries[b + 1], queries[b + 2], queries[b + 3], RADIUS,
          (id, w0, w1, w2, w3, d) -> sum[0] += id + d);
    }
    return sum[0];
  }

  static long[] hashes(SplittableRandom rnd, int n, boolean clustered) {
    long[] words = new long[4 * n];
    long[] c = new long[4];
    for (int i = 0; i < n; i++) {
      if (!clustered || i % 20 == 0) {
        for (int k = 0; k < 4; k++) {
          c[k] = rnd.nextLong();
        }
      }
      System.arraycopy(c, 0, words, 4 * i, 4);
      if (clustered) {
        for (int f = 1 + rnd.nextInt(24); f > 0; f--) {
          int b = rnd.nextInt(256);
          words[4 * i + (b >>> 6)] ^= 1L << (b & 63);
        }
      }
    }
    return words;
  }

  static long[] queries(SplittableRandom rnd, long[] words, int n, int count) {
    long[] q = new long[4 * count];
    for (int i = 0; i < count; i++) {
      if (i % 2 == 0) {
        System.arraycopy(words, 4 * rnd.nextInt(n), q, 4 * i, 4);
        for (int f = rnd.nextInt(17); f > 0; f--) {
          int b = rnd.nextInt(256);
          q[4 * i + (b >>> 6)] ^= 1L << (b & 63);
        }
      } else {
        for (int k = 0; k < 4; k++) {
          q[4 * i + k] = rnd.nextLong();
        }
      }
    }
    return q;
  }
}
