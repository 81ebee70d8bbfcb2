package dev.haetae.moderation.core.hash;

import java.lang.reflect.Field;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * Counts the memory a PDQ index query ({@link MihIndex}, distance 31) touches, structure by
 * structure, instead of timing it: the loads of each pass, the distinct cache lines and 4 KiB pages
 * they fall in, and how many of them would miss a translation buffer of 64 and of 2,048 pages
 * (least recently used, fully associative, warm from the queries before). Page arrays are placed
 * one after the other per structure, as the collector allocates them, with a 16-byte header each;
 * a load into a page also reads that page's header (its length, for the bounds check). Loads whose
 * address depends on data already gathered (a bucket walked beyond its gathered words, the third
 * hash word of the rare candidate that passes the first two) are left out: they are a few per
 * query. Before counting, the candidates it lists for the first three queries are checked against
 * a count over every hash (a disagreement stops the run).
 *
 * <p>Run: {@code java -Xmx3g -cp moderation-benchmarks/target/benchmarks.jar
 * dev.haetae.moderation.core.hash.IndexLoads [hashes [queries [uniform|clustered]]]} (defaults
 * 1,000,000 and 300, uniform; the hashes and queries are {@link IndexAb}'s). Benchmarks only: it
 * reads the index's private fields by reflection and lives in the core's package to reach the
 * package-private index. Not thread-safe; a command-line tool.
 */
public final class IndexLoads {
  private static final int RADIUS = 31;
  private static final int LINE = 64;
  private static final int PAGE = 4096;
  private static final int HEADER = 16;

  /**
   * Runs the count (see the class comment for the arguments).
   *
   * @param args optionally the number of hashes, of queries, and the data set
   * @throws Exception when the index's fields cannot be read
   */
  public static void main(String[] args) throws Exception {
    int hashes = args.length > 0 ? Integer.parseInt(args[0]) : 1_000_000;
    int queries = args.length > 1 ? Integer.parseInt(args[1]) : 300;
    boolean clustered = args.length > 2 && args[2].equals("clustered");
    SplittableRandom rnd = new SplittableRandom(7);
    long[] words = IndexAb.hashes(rnd, hashes, clustered);
    long[] qs = IndexAb.queries(rnd, words, hashes, queries);
    MihIndex ix = MihIndex.build(words, null, hashes);
    System.out.printf(Locale.ROOT, "%,d %s hashes, %,d queries at distance %d; per query:%n", hashes,
        clustered ? "clustered" : "uniform", queries, RADIUS);
    checkCandidates(ix, words, hashes, qs, Math.min(3, queries));
    new IndexLoads(true, true).count(ix, qs, queries, "as built");
    new IndexLoads(false, true).count(ix, qs, queries, "if no load read a page's header");
    new IndexLoads(true, false).count(ix, qs, queries, "if a block's sampled start came with its vector words");
  }

  /**
   * Checks the counting against the hashes themselves: for each of the first {@code check}
   * queries, the candidates this tool lists (one record load each) must number exactly the
   * (table, hash) pairs whose bucket keys lie within the table's radius, counted over every hash.
   */
  private static void checkCandidates(MihIndex ix, long[] words, int size, long[] qs, int check) throws Exception {
    int[] bits = (int[]) field(ix, "bucketBits");
    Buckets[] buckets = (Buckets[]) field(ix, "buckets");
    int[] probe = new int[4096];
    for (int j = 0; j < check; j++) {
      int b = 4 * j;
      long listed = 0;
      long counted = 0;
      for (int t = 0; t < MihIndex.TABLES; t++) {
        int rt = MihIndex.tableRadius(RADIUS, t);
        if (rt < 0) {
          continue;
        }
        int mask = (1 << bits[t]) - 1;
        int key = MihIndex.key(qs[b], qs[b + 1], qs[b + 2], qs[b + 3], t) & mask;
        int np = MihIndex.probeList(key, bits[t], rt, probe);
        for (int i = 0; i < np; i++) {
          long r = buckets[t].range(probe[i]);
          listed += (int) r - (int) (r >>> 32);
        }
        for (int e = 0, w = 0; e < size; e++, w += 4) {
          int k = MihIndex.key(words[w], words[w + 1], words[w + 2], words[w + 3], t) & mask;
          if (Integer.bitCount(k ^ key) <= rt) {
            counted++;
          }
        }
      }
      if (listed != counted) {
        throw new AssertionError("query " + j + ": " + listed + " candidates listed, " + counted + " counted");
      }
    }
  }

  /** Whether a load also reads its page array's header; whether the sampled starts are a pass. */
  private final boolean headers;
  private final boolean samplePass;

  private IndexLoads(boolean headers, boolean samplePass) {
    this.headers = headers;
    this.samplePass = samplePass;
  }

  /** One structure's counts over all queries. */
  private static final class Tally {
    long loads;
    long headers;
    long lines;
    long pages;
    long l1Misses;
    long l2Misses;
  }

  private final Map<String, Tally> tallies = new LinkedHashMap<>();
  private final Lru l1 = new Lru(64);
  private final Lru l2 = new Lru(2048);
  private final java.util.HashSet<Long> queryLines = new java.util.HashSet<>();
  private final java.util.HashSet<Long> queryPages = new java.util.HashSet<>();

  private void count(MihIndex ix, long[] qs, int queries, String layout) throws Exception {
    int[] bits = (int[]) field(ix, "bucketBits");
    long[][] hi = (long[][]) field(ix, "hi");
    Buckets[] buckets = (Buckets[]) field(ix, "buckets");
    Packed[] postings = (Packed[]) field(ix, "postings");
    int tables = MihIndex.TABLES;
    // synthetic addresses: each structure in a region of its own, its page arrays back to back
    long[] hiBase = bases(1L << 40, hi.length, p -> hi[p].length);
    long[][] vecBase = new long[tables][];
    long[][] sampleBase = new long[tables][];
    long[][] postBase = new long[tables][];
    int[] sampleWidth = new int[tables];
    int[] postWidth = new int[tables];
    for (int t = 0; t < tables; t++) {
      long[][] vector = (long[][]) field(buckets[t], "vector");
      Packed samples = (Packed) field(buckets[t], "samples");
      long[][] sp = (long[][]) field(samples, "pages");
      sampleWidth[t] = samples.width();
      vecBase[t] = bases((2L + t) << 40, vector.length, p -> vector[p].length);
      sampleBase[t] = bases((20L + t) << 40, sp.length, p -> sp[p].length);
      if (postings[t] != null) {
        long[][] pp = (long[][]) field(postings[t], "pages");
        postWidth[t] = postings[t].width();
        postBase[t] = bases((40L + t) << 40, pp.length, p -> pp[p].length);
      }
    }
    int[] probe = new int[4096];
    long[] ranges = new long[4096];
    for (int j = 0; j < queries; j++) {
      queryLines.clear();
      queryPages.clear();
      int b = 4 * j;
      for (int t = 0; t < tables; t++) {
        int rt = MihIndex.tableRadius(RADIUS, t);
        if (rt < 0) {
          continue;
        }
        int key = MihIndex.key(qs[b], qs[b + 1], qs[b + 2], qs[b + 3], t) & ((1 << bits[t]) - 1);
        int np = MihIndex.probeList(key, bits[t], rt, probe);
        // pass 1: each block's sampled start; pass 2: its four gathered vector words
        int block = -1;
        for (int i = 0; i < np; i++) {
          int k = probe[i];
          ranges[i] = buckets[t].range(k);
          if (k >>> 6 == block) {
            continue;
          }
          block = k >>> 6;
          if (!samplePass) {
            continue;
          }
          long bit = (long) (block & (Packed.PAGE - 1)) * sampleWidth[t];
          load("samples", sampleBase[t], block >>> Packed.PAGE_BITS, 8 * (bit >>> 6), 16);
        }
        block = -1;
        for (int i = 0; i < np; i++) {
          int k = probe[i];
          if (k >>> 6 == block) {
            continue;
          }
          block = k >>> 6;
          long start = buckets[t].range(block << 6) >>> 32;
          long wi = (start + ((long) block << 6)) >>> 6;
          load("vector", vecBase[t], (int) (wi >>> 15), 8 * (wi & 32767), 32);
        }
        // pass 3: the positions in every filled bucket (table 0: the positions are the ordinals)
        int m = 0;
        for (int i = 0; i < np; i++) {
          m += (int) ranges[i] - (int) (ranges[i] >>> 32);
        }
        int[] cand = new int[m];
        m = 0;
        for (int i = 0; i < np; i++) {
          for (int p = (int) (ranges[i] >>> 32); p < (int) ranges[i]; p++) {
            if (t == 0) {
              cand[m++] = p;
            } else {
              long bit = (long) (p & (Packed.PAGE - 1)) * postWidth[t];
              load("postings", postBase[t], p >>> Packed.PAGE_BITS, 8 * (bit >>> 6), 16);
              cand[m++] = (int) postings[t].get(p);
            }
          }
        }
        // pass 4: words 1 and 2 of every candidate's record
        for (int c = 0; c < m; c++) {
          int id = cand[c];
          load("records", hiBase, id >>> 13, 8L * 3 * (id & 8191), 16);
        }
      }
    }
    System.out.println(layout + ":");
    System.out.printf(Locale.ROOT, "%-22s %9s %9s %9s %9s %11s %11s%n", "structure", "loads", "headers", "lines",
        "pages", "miss 64", "miss 2048");
    Tally sum = new Tally();
    for (Map.Entry<String, Tally> e : tallies.entrySet()) {
      Tally x = e.getValue();
      sum.loads += x.loads;
      sum.headers += x.headers;
      sum.lines += x.lines;
      sum.pages += x.pages;
      sum.l1Misses += x.l1Misses;
      sum.l2Misses += x.l2Misses;
      print(e.getKey(), x, queries);
    }
    print("all (distinct per query)", sum, queries);
  }

  private static void print(String name, Tally x, int queries) {
    System.out.printf(Locale.ROOT, "%-22s %9.0f %9.0f %9.0f %9.0f %11.0f %11.0f%n", name, x.loads / (double) queries,
        x.headers / (double) queries, x.lines / (double) queries, x.pages / (double) queries,
        x.l1Misses / (double) queries, x.l2Misses / (double) queries);
  }

  /**
   * One load of {@code bytes} at {@code offset} into page array {@code page} (whose first element
   * lies {@link #HEADER} bytes after {@code base[page]}), plus the read of that array's header.
   */
  private void load(String what, long[] base, int page, long offset, int bytes) {
    Tally x = tallies.computeIfAbsent(what, s -> new Tally());
    x.loads++;
    if (headers) {
      touch(x, base[page], true);
    }
    long a = base[page] + HEADER + offset;
    touch(x, a, false);
    if ((a + bytes - 1) / LINE != a / LINE) {
      touch(x, a + bytes - 1, false);
    }
  }

  private void touch(Tally x, long address, boolean header) {
    if (header) {
      x.headers++;
    }
    long line = address / LINE;
    long page = address / PAGE;
    if (queryLines.add(line)) {
      x.lines++;
    }
    if (queryPages.add(page)) {
      x.pages++;
    }
    if (!l1.touch(page)) {
      x.l1Misses++;
      if (!l2.touch(page)) {
        x.l2Misses++;
      }
    }
  }

  private static long[] bases(long region, int pages, java.util.function.IntUnaryOperator length) {
    long[] base = new long[pages];
    long at = region;
    for (int p = 0; p < pages; p++) {
      base[p] = at;
      at += HEADER + 8L * length.applyAsInt(p);
      at = (at + 7) & ~7L;
    }
    return base;
  }

  private static Object field(Object o, String name) throws ReflectiveOperationException {
    Field f = o.getClass().getDeclaredField(name);
    f.setAccessible(true);
    return f.get(o);
  }

  /** A fully associative translation buffer with least-recently-used replacement. */
  private static final class Lru extends LinkedHashMap<Long, Boolean> {
    private static final long serialVersionUID = 1L;
    private final int capacity;

    Lru(int capacity) {
      super(2 * capacity, 0.75f, true);
      this.capacity = capacity;
    }

    /** Whether {@code page} was held; it is held afterwards. */
    boolean touch(long page) {
      return put(page, Boolean.TRUE) != null;
    }

    @Override
    protected boolean removeEldestEntry(Map.Entry<Long, Boolean> eldest) {
      return size() > capacity;
    }
  }
}
