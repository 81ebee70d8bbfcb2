package dev.haetae.moderation.bench.index;

import dev.haetae.moderation.api.Category;
import dev.haetae.moderation.api.Fingerprints;
import dev.haetae.moderation.api.Pdq;
import dev.haetae.moderation.api.PdqHash;
import dev.haetae.moderation.core.hash.Bank;
import dev.haetae.moderation.core.hash.BankConfig;
import dev.haetae.moderation.core.hash.FloodPolicy;
import dev.haetae.moderation.core.hash.HashBanks;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * PDQ matching at scale: {@link HashBanks#match} (multi-index search, the engine's hot path)
 * against a plain linear scan over the same hashes in a flat {@code long[]}, at distance 31, on
 * uniform and clustered (near-duplicate families) data; and an image's main hash alone against
 * all its query variants in one search ({@code imageMainHash}, {@code imageAllVariants}: the two
 * bundled benchmark photos, as {@code ImageHasher} fingerprints them). The match cache is off, so
 * every call is a query.
 *
 * <p>Run: {@code java -Xmx6g -jar moderation-benchmarks/target/benchmarks.jar PdqIndexBenchmark
 * -p hashes=1000000}. The 10M case needs about 2 GB while building.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Fork(value = 1, jvmArgsAppend = {"-Xmx6g"})
@Warmup(iterations = 2, time = 2)
@Measurement(iterations = 3, time = 3)
public class PdqIndexBenchmark {

  /** The number of hashes in the bank. */
  @Param({"1000000"})
  public int hashes;

  /** uniform or clustered. */
  @Param({"uniform", "clustered"})
  public String data;

  private long[] words;
  private HashBanks banks;
  private Fingerprints[] queries;
  private long[][] raw;
  private int next;
  private Fingerprints[] images;
  private Fingerprints[] imageMains;

  /** Builds the bank and the queries (half near an entry, half random). */
  @Setup(Level.Trial)
  public void setUp() {
    SplittableRandom rnd = new SplittableRandom(1);
    words = new long[4 * hashes];
    long[] c = new long[4];
    for (int i = 0; i < hashes; i++) {
      if (data.equals("uniform") || i % 20 == 0) {
        for (int k = 0; k < 4; k++) {
          c[k] = rnd.nextLong();
        }
      }
      System.arraycopy(c, 0, words, 4 * i, 4);
      if (data.equals("clustered")) {
        int flips = 1 + rnd.nextInt(24);
        for (int f = 0; f < flips; f++) {
          int b = rnd.nextInt(256);
          words[4 * i + (b >>> 6)] ^= 1L << (b & 63);
        }
      }
    }
    banks = HashBanks.builder().matchCacheSize(0).build();
    Bank bank = banks.define(BankConfig.builder("bench", Category.NCII).flood(FloodPolicy.disabled()).build());
    bank.addPdqBulk(words, hashes);
    queries = new Fingerprints[1024];
    raw = new long[1024][];
    for (int i = 0; i < queries.length; i++) {
      long[] q = new long[4];
      if (i % 2 == 0) {
        int j = rnd.nextInt(hashes);
        System.arraycopy(words, 4 * j, q, 0, 4);
        for (int f = rnd.nextInt(17); f > 0; f--) {
          int b = rnd.nextInt(256);
          q[b >>> 6] ^= 1L << (b & 63);
        }
      } else {
        for (int k = 0; k < 4; k++) {
          q[k] = rnd.nextLong();
        }
      }
      raw[i] = q;
      queries[i] = Fingerprints.none().withPdq(Pdq.of(new PdqHash(q[3], q[2], q[1], q[0])));
    }
    String[] names = {"kay-640.jpg", "bridge-1600x1004.jpg"};
    images = new Fingerprints[names.length];
    imageMains = new Fingerprints[names.length];
    for (int i = 0; i < names.length; i++) {
      try (java.io.InputStream in = PdqIndexBenchmark.class.getResourceAsStream("/bench-images/" + names[i])) {
        Pdq p = dev.haetae.moderation.core.hash.ImageHasher.create().fingerprint(in).pdq().orElseThrow();
        images[i] = Fingerprints.none().withPdq(p);
        imageMains[i] = Fingerprints.none().withPdq(new Pdq(p.hash(), p.quality(), java.util.List.of()));
      } catch (java.io.IOException e) {
        throw new java.io.UncheckedIOException(e);
      }
    }
  }

  /**
   * An image's main hash alone.
   *
   * @return the number of matches
   */
  @Benchmark
  public int imageMainHash() {
    next = (next + 1) & 1023;
    return banks.match(imageMains[next & 1]).size();
  }

  /**
   * The same image's hash and all its query variants, in one search (what the engine does).
   *
   * @return the number of matches
   */
  @Benchmark
  public int imageAllVariants() {
    next = (next + 1) & 1023;
    return banks.match(images[next & 1]).size();
  }

  /**
   * One match through the index.
   *
   * @return the number of matches (consumed by JMH)
   */
  @Benchmark
  public int indexMatch() {
    next = (next + 1) & 1023;
    return banks.match(queries[next]).size();
  }

  /**
   * One linear scan over the same hashes.
   *
   * @return the number of hashes within 31
   */
  @Benchmark
  public int linearScan() {
    next = (next + 1) & 1023;
    long[] q = raw[next];
    long[] w = words;
    int found = 0;
    for (int i = 0, n = hashes, b = 0; i < n; i++, b += 4) {
      int d = Long.bitCount(w[b] ^ q[0]) + Long.bitCount(w[b + 1] ^ q[1]);
      if (d > 31) {
        continue;
      }
      d += Long.bitCount(w[b + 2] ^ q[2]) + Long.bitCount(w[b + 3] ^ q[3]);
      if (d <= 31) {
        found++;
      }
    }
    return found;
  }
}
