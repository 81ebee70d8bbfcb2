package dev.haetae.moderation.core.hash;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

/**
 * The multi-index search must return exactly what a linear scan returns: seeded random and
 * clustered sets, duplicates, every radius 0..63 and a few beyond.
 */
class MihIndexTest {

  /** Uniform random hashes. */
  static long[] uniform(SplittableRandom rnd, int n) {
    long[] w = new long[4 * n];
    for (int i = 0; i < w.length; i++) {
      w[i] = rnd.nextLong();
    }
    return w;
  }

  /**
   * Near-duplicate families: a random centre each and members that flip up to {@code spread}
   * random bits of it; with some exact duplicates.
   */
  static long[] clustered(SplittableRandom rnd, int n, int family, int spread) {
    long[] w = new long[4 * n];
    long[] centre = new long[4];
    for (int i = 0; i < n; i++) {
      if (i % family == 0) {
        for (int k = 0; k < 4; k++) {
          centre[k] = rnd.nextLong();
        }
      }
      for (int k = 0; k < 4; k++) {
        w[4 * i + k] = centre[k];
      }
      if (rnd.nextInt(10) == 0) {
        continue; // an exact duplicate of the centre
      }
      int flips = rnd.nextInt(spread + 1);
      for (int f = 0; f < flips; f++) {
        int bit = rnd.nextInt(256);
        w[4 * i + (bit >>> 6)] ^= 1L << (bit & 63);
      }
    }
    return w;
  }

  /** Searches, and when the radius allows also probes whatever the cost; both must agree. */
  static TreeMap<Integer, Integer> viaIndex(MihIndex index, long[] q, int r) {
    TreeMap<Integer, Integer> out = new TreeMap<>();
    index.search(q[0], q[1], q[2], q[3], r, (id, d) -> {
      Integer old = out.put(id, d);
      assertEquals(null, old, "ordinal " + id + " reported twice");
    });
    if (r <= MihIndex.MAX_PROBE_RADIUS) {
      TreeMap<Integer, Integer> probed = new TreeMap<>();
      index.probe(q[0], q[1], q[2], q[3], r, (id, d) -> {
        Integer old = probed.put(id, d);
        assertEquals(null, old, "ordinal " + id + " probed twice");
      });
      assertEquals(out, probed, "probing at radius " + r);
    }
    return out;
  }

  static TreeMap<Integer, Integer> viaScan(long[] w, int n, long[] q, int r) {
    TreeMap<Integer, Integer> out = new TreeMap<>();
    MihIndex.scan(w, n, q[0], q[1], q[2], q[3], r, out::put);
    return out;
  }

  /** A query near entry {@code i}: flip {@code flips} random bits. */
  static long[] near(SplittableRandom rnd, long[] w, int i, int flips) {
    long[] q = {w[4 * i], w[4 * i + 1], w[4 * i + 2], w[4 * i + 3]};
    for (int f = 0; f < flips; f++) {
      int bit = rnd.nextInt(256);
      q[bit >>> 6] ^= 1L << (bit & 63);
    }
    return q;
  }

  private static void check(long[] w, int n, SplittableRandom rnd, int queries) {
    // alternate the posting width: 3 bytes is the default below 2^24 entries, 4 above
    MihIndex index = MihIndex.build(w.clone(), n, queries % 2 == 0 ? 3 : 4);
    for (int k = 0; k < queries; k++) {
      long[] q = n == 0 || rnd.nextInt(4) == 0 ? uniform(rnd, 1) : near(rnd, w, rnd.nextInt(n), rnd.nextInt(64));
      int r = rnd.nextInt(64);
      assertEquals(viaScan(w, n, q, r), viaIndex(index, q, r), "n=" + n + " r=" + r);
    }
  }

  @Test
  void uniformSetsOfManySizesMatchTheScanAtEveryRadius() {
    SplittableRandom rnd = new SplittableRandom(0x5EED1L);
    for (int n : new int[] {0, 1, 2, 3, 15, 16, 17, 100, 1000, 5000}) {
      long[] w = uniform(rnd, n);
      check(w, n, rnd, 300);
      check(w, n, rnd, 301);
    }
  }

  @Test
  void clusteredSetsWithDuplicatesMatchTheScan() {
    SplittableRandom rnd = new SplittableRandom(0x5EED2L);
    for (int spread : new int[] {0, 4, 16, 40, 80}) {
      long[] w = clustered(rnd, 4000, 50, spread);
      check(w, 4000, rnd, 300);
      check(w, 4000, rnd, 301);
    }
  }

  @Test
  void everyRadiusFromZeroTo63AndBeyondOnOneSet() {
    SplittableRandom rnd = new SplittableRandom(0x5EED3L);
    long[] w = clustered(rnd, 3000, 20, 48);
    MihIndex index = MihIndex.build(w.clone(), 3000);
    for (int r = 0; r <= 70; r++) {
      for (int k = 0; k < 20; k++) {
        long[] q = near(rnd, w, rnd.nextInt(3000), rnd.nextInt(r + 2));
        assertEquals(viaScan(w, 3000, q, r), viaIndex(index, q, r), "r=" + r);
      }
    }
  }

  @Test
  void queriesAtExactlyTheRadiusAreFoundWhereverTheFlippedBitsFall() {
    // adversarial: the differing bits spread as evenly as possible over the 16 substrings
    SplittableRandom rnd = new SplittableRandom(0x5EED4L);
    long[] w = uniform(rnd, 2000);
    MihIndex index = MihIndex.build(w.clone(), 2000);
    for (int r = 0; r < 48; r++) {
      int i = rnd.nextInt(2000);
      long[] q = {w[4 * i], w[4 * i + 1], w[4 * i + 2], w[4 * i + 3]};
      List<Integer> bits = new ArrayList<>();
      for (int f = 0; f < r; f++) {
        int sub = f % 16;
        int bit = sub * 16 + (f / 16) * 5 + 1;
        bits.add(bit);
      }
      for (int bit : bits) {
        q[bit >>> 6] ^= 1L << (bit & 63);
      }
      TreeMap<Integer, Integer> got = viaIndex(index, q, r);
      assertTrue(got.containsKey(i) && got.get(i) == r, "entry at distance " + r + " found");
      assertEquals(viaScan(w, 2000, q, r), got);
    }
  }

  @Test
  void theTightestSplitOfDifferingBitsOverTheTablesIsStillFound() {
    // r = q * 12 + a: q + 1 differing bits in each of the first a + 1 substrings, q in the rest
    // but one, which gets q - 1: exactly r bits, and only that one substring is within its radius
    SplittableRandom rnd = new SplittableRandom(0x5EED6L);
    long[] w = uniform(rnd, 3000);
    MihIndex index = MihIndex.build(w.clone(), 3000);
    for (int r = 1; r <= MihIndex.MAX_PROBE_RADIUS; r++) {
      int q = r / 12;
      int a = r % 12;
      int[] perTable = new int[12];
      int total = 0;
      for (int t = 0; t < 12; t++) {
        perTable[t] = t <= a ? q + 1 : q;
        total += perTable[t];
      }
      int excess = total - r;
      for (int t = 11; t > a && excess > 0; t--) {
        if (perTable[t] > 0) {
          perTable[t]--;
          excess--;
        }
      }
      if (excess > 0 || q == 0) {
        continue; // no such split
      }
      int i = rnd.nextInt(3000);
      long[] q4 = {w[4 * i], w[4 * i + 1], w[4 * i + 2], w[4 * i + 3]};
      int start = 0;
      for (int t = 0; t < 12; t++) {
        int len = t < 4 ? 22 : 21;
        for (int f = 0; f < perTable[t]; f++) {
          int bit = start + f * 5 % len;
          q4[bit >>> 6] ^= 1L << (bit & 63);
        }
        start += len;
      }
      TreeMap<Integer, Integer> got = viaIndex(index, q4, r);
      assertEquals(r, got.get(i), "entry at distance " + r);
      assertEquals(viaScan(w, 3000, q4, r), got);
    }
  }

  @Test
  void findLocatesExactEntriesOnly() {
    SplittableRandom rnd = new SplittableRandom(0x5EED5L);
    long[] w = uniform(rnd, 500);
    MihIndex index = MihIndex.build(w.clone(), 500);
    for (int i = 0; i < 500; i++) {
      assertEquals(i, index.find(w[4 * i], w[4 * i + 1], w[4 * i + 2], w[4 * i + 3]));
    }
    assertEquals(-1, index.find(1, 2, 3, 4));
  }

  @Test
  void dedupeOfALargeBatchMatchesASetBasedReference() {
    SplittableRandom rnd = new SplittableRandom(0x5EED7L);
    int n = 150_000;
    long[] w = uniform(rnd, n);
    int[] added = new int[n];
    for (int i = 0; i < n; i++) {
      added[i] = i;
      if (i > 0 && rnd.nextInt(5) == 0) {
        int j = rnd.nextInt(i);
        System.arraycopy(w, 4 * j, w, 4 * i, 4);
      }
    }
    java.util.LinkedHashMap<List<Long>, Integer> expected = new java.util.LinkedHashMap<>();
    for (int i = 0; i < n; i++) {
      expected.putIfAbsent(List.of(w[4 * i], w[4 * i + 1], w[4 * i + 2], w[4 * i + 3]), added[i]);
    }
    int m = PdqStore.dedupe(w, added, n);
    assertEquals(expected.size(), m);
    int k = 0;
    for (java.util.Map.Entry<List<Long>, Integer> e : expected.entrySet()) {
      assertEquals(e.getKey(), List.of(w[4 * k], w[4 * k + 1], w[4 * k + 2], w[4 * k + 3]));
      assertEquals(e.getValue(), added[k]);
      k++;
    }
  }

  @Test
  void dedupeKeepsFirstOccurrences() {
    long[] w = {1, 2, 3, 4, 5, 6, 7, 8, 1, 2, 3, 4, 9, 9, 9, 9, 5, 6, 7, 8};
    int[] added = {10, 20, 30, 40, 50};
    int n = PdqStore.dedupe(w, added, 5);
    assertEquals(3, n);
    assertEquals(9, w[8]);
    assertEquals(40, added[2]);
  }
}
