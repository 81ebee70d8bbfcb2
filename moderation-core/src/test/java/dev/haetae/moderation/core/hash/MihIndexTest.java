package dev.haetae.moderation.core.hash;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
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

  /** A result as comparable text: the hash's words and the distance. */
  static String result(long w0, long w1, long w2, long w3, int d) {
    return Long.toHexString(w3) + ":" + Long.toHexString(w2) + ":" + Long.toHexString(w1) + ":"
        + Long.toHexString(w0) + "@" + d;
  }

  /**
   * Searches, and when the radius allows also probes whatever the cost, and scans the index's own
   * entries; all three must agree. Returns the sorted results (a multiset: duplicates stay).
   */
  static List<String> viaIndex(MihIndex index, long[] q, int r) {
    List<String> out = collect(index, q, r, 0);
    if (r <= MihIndex.MAX_PROBE_RADIUS) {
      assertEquals(out, collect(index, q, r, 1), "probing at radius " + r);
    }
    assertEquals(out, collect(index, q, r, 2), "scanning the index at radius " + r);
    return out;
  }

  private static List<String> collect(MihIndex index, long[] q, int r, int how) {
    List<String> out = new ArrayList<>();
    java.util.Set<Integer> seen = new java.util.HashSet<>();
    MihIndex.Hits hits = (id, w0, w1, w2, w3, d) -> {
      assertTrue(seen.add(id), "ordinal " + id + " reported twice");
      long[] words = new long[4];
      index.words(id, words);
      assertEquals(List.of(words[0], words[1], words[2], words[3]), List.of(w0, w1, w2, w3), "words of " + id);
      out.add(result(w0, w1, w2, w3, d));
    };
    if (how == 0) {
      index.search(q[0], q[1], q[2], q[3], r, hits);
    } else if (how == 1) {
      index.probe(q[0], q[1], q[2], q[3], r, hits);
    } else {
      index.scan(q[0], q[1], q[2], q[3], r, hits);
    }
    out.sort(null);
    return out;
  }

  static List<String> viaScan(long[] w, int n, long[] q, int r) {
    List<String> out = new ArrayList<>();
    MihIndex.scan(w, n, q[0], q[1], q[2], q[3], r, (i, d) -> out.add(result(w[4 * i], w[4 * i + 1], w[4 * i + 2],
        w[4 * i + 3], d)));
    out.sort(null);
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

  static MihIndex build(long[] w, int n) {
    return MihIndex.build(w.clone(), null, n);
  }

  private static void check(long[] w, int n, SplittableRandom rnd, int queries) {
    // alternate layouts: the default; every table on its full key (table 0 then stores no key
    // bits), with wide postings; and heavily folded keys (many entries per bucket)
    int layout = queries % 3;
    MihIndex index = layout == 0 ? build(w, n)
        : MihIndex.build(w.clone(), null, n, layout == 1 ? 24 : 5, layout == 1 ? 31 : 0);
    // the full-key layout walks 2^24 buckets per scan: fewer queries
    for (int k = 0, m = layout == 1 ? queries / 10 : queries; k < m; k++) {
      long[] q = n == 0 || rnd.nextInt(4) == 0 ? uniform(rnd, 1) : near(rnd, w, rnd.nextInt(n), rnd.nextInt(64));
      int r = rnd.nextInt(64);
      assertEquals(viaScan(w, n, q, r), viaIndex(index, q, r), "n=" + n + " r=" + r + " layout " + layout);
    }
  }

  @Test
  void uniformSetsOfManySizesMatchTheScanAtEveryRadius() {
    SplittableRandom rnd = new SplittableRandom(0x5EED1L);
    for (int n : new int[] {0, 1, 2, 3, 15, 16, 17, 100, 1000, 5000}) {
      long[] w = uniform(rnd, n);
      check(w, n, rnd, 300);
      check(w, n, rnd, 301);
      check(w, n, rnd, 302);
    }
  }

  @Test
  void clusteredSetsWithDuplicatesMatchTheScan() {
    SplittableRandom rnd = new SplittableRandom(0x5EED2L);
    for (int spread : new int[] {0, 4, 16, 40, 80}) {
      long[] w = clustered(rnd, 4000, 50, spread);
      check(w, 4000, rnd, 300);
      check(w, 4000, rnd, 301);
      check(w, 4000, rnd, 302);
    }
  }

  @Test
  void everyRadiusFromZeroTo63AndBeyondOnOneSet() {
    SplittableRandom rnd = new SplittableRandom(0x5EED3L);
    long[] w = clustered(rnd, 3000, 20, 48);
    MihIndex index = build(w, 3000);
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
    MihIndex index = build(w, 2000);
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
      List<String> got = viaIndex(index, q, r);
      assertTrue(got.contains(result(w[4 * i], w[4 * i + 1], w[4 * i + 2], w[4 * i + 3], r)),
          "entry at distance " + r + " found");
      assertEquals(viaScan(w, 2000, q, r), got);
    }
  }

  @Test
  void theTightestSplitOfDifferingBitsOverTheTablesIsStillFound() {
    // r = q * 11 + a: q + 1 differing bits in each of the first a + 1 substrings, q in the rest
    // but one, which gets q - 1: exactly r bits, and only that one substring is within its radius
    SplittableRandom rnd = new SplittableRandom(0x5EED6L);
    long[] w = uniform(rnd, 3000);
    int m = MihIndex.TABLES;
    for (MihIndex index : new MihIndex[] {build(w, 3000), MihIndex.build(w.clone(), null, 3000, 24, 0)}) {
      for (int r = 1; r <= MihIndex.MAX_PROBE_RADIUS; r++) {
        int q = r / m;
        int a = r % m;
        int[] perTable = new int[m];
        int total = 0;
        for (int t = 0; t < m; t++) {
          perTable[t] = t <= a ? q + 1 : q;
          total += perTable[t];
        }
        int excess = total - r;
        for (int t = m - 1; t > a && excess > 0; t--) {
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
        for (int t = 0; t < m; t++) {
          int len = MihIndex.LEN[t];
          for (int f = 0; f < perTable[t]; f++) {
            int bit = start + f * 5 % len;
            q4[bit >>> 6] ^= 1L << (bit & 63);
          }
          start += len;
        }
        List<String> got = viaIndex(index, q4, r);
        assertTrue(got.contains(result(w[4 * i], w[4 * i + 1], w[4 * i + 2], w[4 * i + 3], r)), "entry at distance " + r);
        assertEquals(viaScan(w, 3000, q4, r), got);
      }
    }
  }

  @Test
  void findLocatesExactEntriesOnly() {
    SplittableRandom rnd = new SplittableRandom(0x5EED5L);
    long[] w = uniform(rnd, 500);
    MihIndex index = build(w, 500);
    long[] got = new long[4];
    java.util.Set<Integer> ordinals = new java.util.HashSet<>();
    for (int i = 0; i < 500; i++) {
      int id = index.find(w[4 * i], w[4 * i + 1], w[4 * i + 2], w[4 * i + 3]);
      assertTrue(id >= 0 && ordinals.add(id), "entry " + i);
      index.words(id, got);
      assertEquals(List.of(w[4 * i], w[4 * i + 1], w[4 * i + 2], w[4 * i + 3]), List.of(got[0], got[1], got[2], got[3]));
      // one bit off anywhere is not found
      int bit = (i * 37) & 255;
      long[] q = {w[4 * i], w[4 * i + 1], w[4 * i + 2], w[4 * i + 3]};
      q[bit >>> 6] ^= 1L << (bit & 63);
      assertEquals(-1, index.find(q[0], q[1], q[2], q[3]));
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
