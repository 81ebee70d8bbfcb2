package dev.haetae.moderation.core.hash;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * A multi-query search (an image's hash and all its query variants at once) must report, for every
 * query, exactly what a linear scan reports for that query alone, each (query, entry) pair once.
 * Seeded: query sets mix near variants (a few bits from a base, so they share bucket keys and
 * overlapping neighbourhoods), far ones, exact duplicates and more than one batch of queries.
 * Quick by default (40 query sets per bank); {@code -P long-fuzz} runs 2,000
 * ({@code -Dhaetae.multiQuery.sets=N} sets any number).
 */
class MultiQueryTest {
  private static final int SETS = Integer.getInteger("haetae.multiQuery.sets", 40);

  /** An image's queries: bases with near variants around each, some duplicates. */
  static long[] querySet(SplittableRandom rnd, long[] w, int n, int count) {
    long[] q = new long[4 * count];
    long[] base = MihIndexTest.uniform(rnd, 1);
    for (int j = 0; j < count; j++) {
      int kind = rnd.nextInt(6);
      if (j == 0 || kind == 0) {
        // a new base: random, or near an entry
        base = n == 0 || rnd.nextBoolean() ? MihIndexTest.uniform(rnd, 1)
            : MihIndexTest.near(rnd, w, rnd.nextInt(n), rnd.nextInt(20));
        System.arraycopy(base, 0, q, 4 * j, 4);
      } else if (kind == 1 && j > 0) {
        System.arraycopy(q, 4 * rnd.nextInt(j), q, 4 * j, 4); // a duplicate query
      } else {
        // a near variant of the current base: 0..6 bits, often in one table's key
        System.arraycopy(base, 0, q, 4 * j, 4);
        int flips = rnd.nextInt(7);
        for (int f = 0; f < flips; f++) {
          int bit = rnd.nextBoolean() ? rnd.nextInt(24) : rnd.nextInt(256);
          q[4 * j + (bit >>> 6)] ^= 1L << (bit & 63);
        }
      }
    }
    return q;
  }

  private static void check(MihIndex index, long[] w, int n, long[] q, int count, int r, boolean probe) {
    List<List<String>> got = new ArrayList<>();
    for (int j = 0; j < count; j++) {
      got.add(new ArrayList<>());
    }
    Set<Long> pairs = new HashSet<>();
    MihIndex.MultiHits hits = (j, id, w0, w1, w2, w3, d) -> {
      assertTrue(pairs.add((long) j << 32 | id), "query " + j + ", ordinal " + id + " reported twice");
      got.get(j).add(MihIndexTest.result(w0, w1, w2, w3, d));
    };
    if (probe) {
      for (int from = 0; from < count; from += MihIndex.MAX_BATCH) {
        index.probe(q, from, Math.min(MihIndex.MAX_BATCH, count - from), r, hits);
      }
    } else {
      index.search(q, count, r, hits);
    }
    for (int j = 0; j < count; j++) {
      long[] one = {q[4 * j], q[4 * j + 1], q[4 * j + 2], q[4 * j + 3]};
      List<String> g = got.get(j);
      g.sort(null);
      assertEquals(MihIndexTest.viaScan(w, n, one, r), g, "query " + j + " of " + count + ", r=" + r + ", n=" + n);
    }
  }

  private static void run(long[] w, int n, SplittableRandom rnd, int sets) {
    MihIndex index = MihIndex.build(w.clone(), null, n);
    MihIndex folded = MihIndex.build(w.clone(), null, n, 6, 0);
    for (int s = 0; s < sets; s++) {
      int count = 1 + rnd.nextInt(s % 10 == 0 ? 150 : 40);
      long[] q = querySet(rnd, w, n, count);
      int r = s % 4 == 0 ? rnd.nextInt(64) : 31;
      check(index, w, n, q, count, r, false);
      if (r <= MihIndex.MAX_PROBE_RADIUS) {
        check(index, w, n, q, count, r, true);
        check(folded, w, n, q, count, r, true);
      }
    }
  }

  @Test
  void uniformSetsMatchTheScanForEveryQuery() {
    SplittableRandom rnd = new SplittableRandom(0x5EED18L);
    for (int n : new int[] {0, 1, 17, 1000, 20_000}) {
      run(MihIndexTest.uniform(rnd, n), n, rnd, SETS);
    }
  }

  @Test
  void clusteredSetsMatchTheScanForEveryQuery() {
    SplittableRandom rnd = new SplittableRandom(0xC1A5L);
    for (int n : new int[] {64, 3000, 20_000}) {
      run(MihIndexTest.clustered(rnd, n, 20, 24), n, rnd, SETS);
    }
  }

  /**
   * Four bucket bits put about 14,000 of 20,000 entries in one table's neighbourhood at distance
   * 31, more than the scratch arrays start with (4,096 candidates): a fresh thread (fresh scratch
   * arrays) grows them mid-search, the candidates' gathered words included, and still reports
   * exactly what the scan does.
   */
  @Test
  void aTableWithMoreCandidatesThanTheScratchArraysHoldMatchesTheScan() throws InterruptedException {
    SplittableRandom rnd = new SplittableRandom(0xB16L);
    int n = 20_000;
    long[] w = MihIndexTest.clustered(rnd, n, 20, 24);
    MihIndex crowded = MihIndex.build(w.clone(), null, n, 4, 0);
    long[] q = querySet(rnd, w, n, 30);
    Throwable[] failure = new Throwable[1];
    Thread fresh = new Thread(() -> {
      try {
        check(crowded, w, n, q, 30, 31, true);
      } catch (Throwable e) {
        failure[0] = e;
      }
    });
    fresh.start();
    fresh.join();
    if (failure[0] != null) {
      throw new AssertionError("crowded index", failure[0]);
    }
  }

  @Test
  void aSearchStartedFromAHitCallbackGetsItsOwnScratchArrays() {
    SplittableRandom rnd = new SplittableRandom(0xF00DL);
    int n = 3000;
    long[] w = MihIndexTest.clustered(rnd, n, 20, 24);
    MihIndex index = MihIndex.build(w.clone(), null, n);
    long[] outer = MihIndexTest.near(rnd, w, 7, 3);
    long[] inner = MihIndexTest.near(rnd, w, 1500, 5);
    List<String> got = new ArrayList<>();
    List<String> nested = new ArrayList<>();
    index.search(outer, 1, 31, (j, id, w0, w1, w2, w3, d) -> {
      got.add(MihIndexTest.result(w0, w1, w2, w3, d));
      List<String> once = new ArrayList<>();
      index.search(inner, 1, 31, (k, id2, x0, x1, x2, x3, d2) -> once.add(MihIndexTest.result(x0, x1, x2, x3, d2)));
      once.sort(null);
      nested.add(String.join(",", once));
    });
    got.sort(null);
    assertEquals(MihIndexTest.viaScan(w, n, outer, 31), got);
    assertTrue(!got.isEmpty(), "the outer query is near an entry");
    String expected = String.join(",", MihIndexTest.viaScan(w, n, inner, 31));
    for (String s : nested) {
      assertEquals(expected, s);
    }
  }
}
