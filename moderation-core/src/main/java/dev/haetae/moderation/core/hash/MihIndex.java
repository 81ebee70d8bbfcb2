package dev.haetae.moderation.core.hash;

import java.util.Arrays;
import java.util.stream.IntStream;

/**
 * An immutable multi-index-hashing (MIH) index over PDQ hashes, exact with respect to a linear
 * scan, in about 62 heap bytes per hash at ten million hashes.
 *
 * <p><b>Search.</b> The 256 bits are cut into {@value #TABLES} substrings: three of 24 bits (bits
 * 0..71) and eight of 23. Give table {@code t} a radius {@code r_t}: if the radii satisfy
 * {@code sum(r_t + 1) > r} and two hashes are within {@code r}, then some substring differs in at
 * most its table's radius (otherwise the distance would be at least {@code sum(r_t + 1)};
 * Norouzi, Punjani and Fleet, "Fast exact search in Hamming space with multi-index hashing",
 * 2014). With {@code r = q * m + a}, {@code m} tables and {@code 0 <= a < m}, the first
 * {@code a + 1} tables get {@code q} and the others {@code q - 1}: at distance 31, radius 2 in ten
 * tables and 1 in the last. Probing every bucket within its radius of the query's substring in
 * each table finds every true neighbour: about 2,900 buckets and, at ten million uniform hashes,
 * about 2,900 candidates per query. A candidate found in table {@code t} is reported only if
 * {@code t} is the first table within whose radius it lies, so each result is reported once. When
 * the estimated probes and candidates exceed a sequential scan's cost (large radii),
 * {@link #search} scans instead.
 *
 * <p><b>Layout.</b> Entries are sorted by table 0's bucket (its substring's low bits), so table 0
 * needs no postings: bucket {@code k} is a range of positions, and an entry's ordinal is its
 * position. For the same reason the hash record omits table 0's bucket bits; they are recovered
 * from the position ({@link Buckets#bucketOf}) only for a candidate whose other bits are already
 * within the radius. Per entry:
 * <ul>
 *   <li>hash words 1..3, 24 bytes, three longs per entry in pages of 8,192 entries;
 *   <li>bits 24..63 of word 0, 40 bits ({@link Packed});
 *   <li>bits {@code b0..23} of word 0 when table 0 has {@code b0 < 24} bucket bits (small
 *       indexes; none from eight million entries up);
 *   <li>for each table but the first, the posting (entry ordinal) in {@code bitsFor(n - 1)} bits:
 *       24 bits up to 16.7 million entries;
 *   <li>each table's bucket boundaries ({@link Buckets}): {@code n + 1.4 * 2^b} bits;
 *   <li>the added-at time, dictionary-coded ({@code log2} of the number of distinct times, bits;
 *       none for a bulk load that shares one time).
 * </ul>
 * A table has {@code b = min(its length, max(4, ceil(log2 n) + 2))} bucket bits: a quarter of an
 * entry per bucket or fewer, up to the key's length (from 8.4 million entries on, about one).
 * Keys are folded onto fewer bucket bits when the index is small; verification against the full
 * hash keeps the result exact. Every array is paged below half the smallest G1 region, so
 * the heap holds no humongous-region tails (see {@link Packed}).
 *
 * <p>Immutable after construction and safe to share between threads.
 */
final class MihIndex {
  static final int TABLES = 11;
  private static final int PARALLEL_FROM = 1 << 18;
  /** The largest radius {@link #probe} enumerates (three bits in every table). */
  static final int MAX_PROBE_RADIUS = 4 * TABLES - 1;
  static final int[] LEN = {24, 24, 24, 23, 23, 23, 23, 23, 23, 23, 23};
  private static final int[] START = new int[TABLES];
  /** Bits of word 0 that table 0 covers. */
  private static final int KEY0 = 24;
  private static final int HI_PAGE_BITS = 13;
  private static final int HI_PAGE_MASK = (1 << HI_PAGE_BITS) - 1;
  /** Buckets within radius 3 of a 24-bit key: 1 + 24 + 276 + 2024. */
  private static final int PROBE_CAPACITY = 2325;

  static {
    int s = 0;
    for (int t = 0; t < TABLES; t++) {
      START[t] = s;
      s += LEN[t];
    }
    if (s != 256 || LEN[0] != KEY0) {
      throw new AssertionError(s);
    }
  }

  /** Receives search results. */
  interface Hits {
    /**
     * One entry within the radius.
     *
     * @param ordinal the entry's ordinal in the index
     * @param w0 the entry's word 0 (as {@code PdqHash.w0})
     * @param w1 word 1
     * @param w2 word 2
     * @param w3 word 3
     * @param distance its Hamming distance to the query
     */
    void hit(int ordinal, long w0, long w1, long w2, long w3, int distance);
  }

  /** Receives the results of a multi-query search ({@link #search(long[], int, int, MultiHits)}). */
  interface MultiHits {
    /**
     * One (query, entry) pair within the radius.
     *
     * @param query the query's index in the query array
     * @param ordinal the entry's ordinal in the index
     * @param w0 the entry's word 0
     * @param w1 word 1
     * @param w2 word 2
     * @param w3 word 3
     * @param distance the Hamming distance between the two
     */
    void hit(int query, int ordinal, long w0, long w1, long w2, long w3, int distance);
  }

  /** Queries searched together at most: a probe's owners are a bit mask in one {@code long}. */
  static final int MAX_BATCH = 64;

  /** Receives entries from {@link #forEach}. */
  interface Entries {
    /**
     * One entry.
     *
     * @param ordinal its ordinal
     * @param w0 word 0
     * @param w1 word 1
     * @param w2 word 2
     * @param w3 word 3
     */
    void entry(int ordinal, long w0, long w1, long w2, long w3);
  }

  private final int size;
  private final int[] bucketBits;
  private final long[][] hi;
  private final Packed lo;
  private final Packed key0hi;
  private final Buckets[] buckets;
  private final Packed[] postings;
  /** The distinct added-at times, or null when {@link #addedCodes} holds the times themselves. */
  private final int[] addedValues;
  private final Packed addedCodes;

  private MihIndex(int size, int[] bucketBits, long[][] hi, Packed lo, Packed key0hi, Buckets[] buckets,
      Packed[] postings, int[] addedValues, Packed addedCodes) {
    this.size = size;
    this.bucketBits = bucketBits;
    this.hi = hi;
    this.lo = lo;
    this.key0hi = key0hi;
    this.buckets = buckets;
    this.postings = postings;
    this.addedValues = addedValues;
    this.addedCodes = addedCodes;
  }

  /** Bits {@code [start, start + len)} of the hash, len at most 32. */
  static int key(long w0, long w1, long w2, long w3, int t) {
    int start = START[t];
    int i = start >>> 6;
    int off = start & 63;
    long lo = word(w0, w1, w2, w3, i) >>> off;
    if (off + LEN[t] > 64) {
      lo |= word(w0, w1, w2, w3, i + 1) << (64 - off);
    }
    return (int) (lo & ((1L << LEN[t]) - 1));
  }

  private static long word(long w0, long w1, long w2, long w3, int i) {
    return i == 0 ? w0 : i == 1 ? w1 : i == 2 ? w2 : w3;
  }

  /**
   * Bucket bits beyond {@code ceil(log2 size)}: a quarter of an entry per bucket or fewer, so a
   * probe brings a quarter of the candidates for 20% more probes (probes are cheaper than
   * candidates since {@link Buckets#ranges} overlaps their misses); at 8.4 million entries and
   * more the keys' own length caps them.
   */
  static final int EXTRA_BUCKET_BITS = 2;

  /** The bucket bits of a table of {@code len} key bits in an index of {@code size} entries. */
  static int bucketBits(int len, int size) {
    int log2 = size <= 1 ? 0 : 32 - Integer.numberOfLeadingZeros(size - 1);
    return Math.min(len, Math.max(4, log2 + EXTRA_BUCKET_BITS));
  }

  /**
   * Builds the index over the first {@code size} hashes of {@code words} ({@code words[4 * i + k]}
   * is word {@code k} of hash {@code i}, as in {@code PdqHash.word}) with their added-at times.
   * Ordinals are positions in the index's own order, not in {@code words}. Neither array is
   * retained or changed.
   */
  static MihIndex build(long[] words, int[] added, int size) {
    return build(words, added, size, 0, 0);
  }

  /**
   * As {@link #build(long[], int[], int)}; tests force layouts: {@code forceBucketBits > 0} gives
   * every table that many bucket bits (at most its length), {@code minOrdinalBits} widens the
   * postings.
   */
  static MihIndex build(long[] words, int[] added, int size, int forceBucketBits, int minOrdinalBits) {
    if (size < 0 || (long) size * 4 > words.length || (added != null && added.length < size)) {
      throw new IllegalArgumentException("size " + size + " does not fit " + words.length + " words");
    }
    int[] bits = new int[TABLES];
    for (int t = 0; t < TABLES; t++) {
      bits[t] = forceBucketBits > 0 ? Math.min(LEN[t], forceBucketBits) : bucketBits(LEN[t], size);
    }
    // the added-at codes in input order, then table 0: the entries sorted by its bucket
    int b0 = bits[0];
    int[] code = new int[size];
    int[] addedValues = codeAdded(added, size, code);
    int[] start0 = new int[(1 << b0) + 1];
    long[] sorted = sortRecords(words, code, size, b0, start0);
    long[][] hi = new long[(size + HI_PAGE_MASK) >>> HI_PAGE_BITS][];
    for (int p = 0; p < hi.length; p++) {
      hi[p] = new long[3 * Math.min(1 << HI_PAGE_BITS, size - (p << HI_PAGE_BITS))];
    }
    Packed lo = new Packed(size, 64 - KEY0);
    Packed key0hi = new Packed(size, KEY0 - b0);
    Packed addedCodes = new Packed(size, addedValues == null ? 32 : Packed.bitsFor(addedValues.length - 1));
    Buckets[] buckets = new Buckets[TABLES];
    Packed[] postings = new Packed[TABLES];
    int ordinalBits = Math.max(Math.max(1, minOrdinalBits), Packed.bitsFor(Math.max(0, size - 1)));
    // task 0 packs the hash records, the others build one table each (its counters stay in cache
    // while counting); in parallel for large builds: each structure is written by one task only,
    // and the join publishes them
    IntStream tables = IntStream.range(0, TABLES);
    if (size >= PARALLEL_FROM) {
      tables = tables.parallel();
    }
    tables.forEach(t -> {
      if (t == 0) {
        for (int p = 0, b = 0; p < size; p++, b += 4) {
          long w0 = sorted[b];
          long[] page = hi[p >>> HI_PAGE_BITS];
          int o = 3 * (p & HI_PAGE_MASK);
          page[o] = sorted[b + 1];
          page[o + 1] = sorted[b + 2];
          page[o + 2] = sorted[b + 3];
          lo.set(p, w0 >>> KEY0);
          key0hi.set(p, (w0 & ((1L << KEY0) - 1)) >>> b0);
        }
        addedCodes.setAll(code, size);
        buckets[0] = new Buckets(start0, b0, size);
        return;
      }
      int[] k = new int[size];
      int m = (1 << bits[t]) - 1;
      // the key is bits [START, START + LEN) and the bucket its low bits: read them straight from
      // the word array
      int wi = START[t] >>> 6;
      int off = START[t] & 63;
      int back = 64 - off;
      if (off + bits[t] > 64) {
        for (int i = 0, b = wi; i < size; i++, b += 4) {
          k[i] = (int) (sorted[b] >>> off | sorted[b + 1] << back) & m;
        }
      } else {
        for (int i = 0, b = wi; i < size; i++, b += 4) {
          k[i] = (int) (sorted[b] >>> off) & m;
        }
      }
      int[] st = new int[(1 << bits[t]) + 1];
      int[] ord = sortByKey(k, size, bits[t], st);
      k = null;
      Packed p = new Packed(size, ordinalBits);
      p.setAll(ord, size);
      ord = null;
      postings[t] = p;
      buckets[t] = new Buckets(st, bits[t], size);
    });
    return new MihIndex(size, bits, hi, lo, key0hi, buckets, postings, addedValues, addedCodes);
  }

  /**
   * Dictionary-codes the added-at times into {@code code}: returns the distinct times (a single
   * shared time then takes no bits per entry, up to 4,096 distinct times {@code log2} of their
   * count), or null when there are more, and {@code code} holds the times themselves.
   */
  private static int[] codeAdded(int[] added, int size, int[] code) {
    if (added == null || size == 0) {
      return new int[] {0};
    }
    int cap = 8192;
    int[] table = new int[cap];
    int[] codeOf = new int[cap];
    boolean[] used = new boolean[cap];
    int[] values = new int[4096];
    int distinct = 0;
    for (int i = 0; i < size; i++) {
      int v = added[i];
      int slot = (v * 0x9E3779B9) >>> 19; // 13 bits: cap
      while (used[slot] && table[slot] != v) {
        slot = (slot + 1) & (cap - 1);
      }
      if (!used[slot]) {
        if (distinct == values.length) {
          System.arraycopy(added, 0, code, 0, size);
          return null;
        }
        used[slot] = true;
        table[slot] = v;
        codeOf[slot] = distinct;
        values[distinct++] = v;
      }
      code[i] = codeOf[slot];
    }
    return Arrays.copyOf(values, distinct);
  }

  /**
   * The hashes sorted (stably) by the low {@code bits} bits of word 0, four words each, with
   * {@code code} permuted alike; fills {@code start} with each bucket's first position. Two
   * passes that move the records themselves: first into 256 sequential streams by the bucket's top
   * bits, then, stream by stream (each small enough to stay in cache), into place.
   */
  static long[] sortRecords(long[] words, int[] code, int size, int bits, int[] start) {
    int hiBits = Math.min(8, bits);
    int loBits = bits - hiBits;
    int chunks = 1 << hiBits;
    int loMask = (1 << loBits) - 1;
    int mask = (1 << bits) - 1;
    int[] chunkStart = new int[chunks + 1];
    for (int i = 0; i < size; i++) {
      chunkStart[(((int) words[4 * i] & mask) >>> loBits) + 1]++;
    }
    for (int c = 0; c < chunks; c++) {
      chunkStart[c + 1] += chunkStart[c];
    }
    int[] cursor = Arrays.copyOf(chunkStart, chunks);
    long[] tmp = new long[4 * size];
    int[] tmpCode = new int[size];
    for (int i = 0, b = 0; i < size; i++, b += 4) {
      int at = cursor[((int) words[b] & mask) >>> loBits]++;
      System.arraycopy(words, b, tmp, 4 * at, 4);
      tmpCode[at] = code[i];
    }
    long[] out = new long[4 * size];
    int[] count = new int[(1 << loBits) + 1];
    for (int c = 0; c < chunks; c++) {
      int from = chunkStart[c];
      int to = chunkStart[c + 1];
      Arrays.fill(count, 0);
      for (int j = from; j < to; j++) {
        count[((int) tmp[4 * j] & loMask) + 1]++;
      }
      int base = c << loBits;
      for (int l = 0; l <= loMask; l++) {
        start[base + l] = from + count[l];
        count[l + 1] += count[l];
      }
      for (int j = from; j < to; j++) {
        int at = from + count[(int) tmp[4 * j] & loMask]++;
        System.arraycopy(tmp, 4 * j, out, 4 * at, 4);
        code[at] = tmpCode[j];
      }
    }
    start[start.length - 1] = size;
    return out;
  }

  /**
   * A stable counting sort of {@code keys} (each below {@code 2^bits}): returns the indexes in key
   * order and fills {@code start} ({@code 2^bits + 1} entries) with each key's first position.
   * Cache-conscious, in two levels: keys are first distributed by their top (at most) 8 bits into
   * 256 sequential streams, then each stream, which covers a small contiguous range of keys, is
   * counted and scattered while its counters and output stay in cache.
   */
  static int[] sortByKey(int[] keys, int size, int bits, int[] start) {
    int hiBits = Math.min(8, bits);
    int loBits = bits - hiBits;
    int chunks = 1 << hiBits;
    int loMask = (1 << loBits) - 1;
    int[] chunkStart = new int[chunks + 1];
    for (int i = 0; i < size; i++) {
      chunkStart[(keys[i] >>> loBits) + 1]++;
    }
    for (int c = 0; c < chunks; c++) {
      chunkStart[c + 1] += chunkStart[c];
    }
    int[] cursor = Arrays.copyOf(chunkStart, chunks);
    // key and ordinal in one long: one output stream per chunk rather than two
    long[] byChunk = new long[size];
    for (int i = 0; i < size; i++) {
      int k = keys[i];
      byChunk[cursor[k >>> loBits]++] = (long) (k & loMask) << 32 | i;
    }
    int[] out = new int[size];
    int[] count = new int[(1 << loBits) + 1];
    for (int c = 0; c < chunks; c++) {
      int from = chunkStart[c];
      int to = chunkStart[c + 1];
      Arrays.fill(count, 0);
      for (int j = from; j < to; j++) {
        count[(int) (byChunk[j] >>> 32) + 1]++;
      }
      int base = c << loBits;
      for (int l = 0; l <= loMask; l++) {
        start[base + l] = from + count[l];
        count[l + 1] += count[l];
      }
      for (int j = from; j < to; j++) {
        long e = byChunk[j];
        out[from + count[(int) (e >>> 32)]++] = (int) e;
      }
    }
    start[start.length - 1] = size;
    return out;
  }

  int size() {
    return size;
  }

  /** The added-at time of entry {@code ordinal}, as given to {@link #build}. */
  int addedAt(int ordinal) {
    long c = addedCodes.get(ordinal);
    return addedValues == null ? (int) c : addedValues[(int) c];
  }

  /** Word 0 of entry {@code ordinal} given its table-0 bucket. */
  private long word0(int ordinal, int bucket0) {
    return lo.get(ordinal) << KEY0 | key0hi.get(ordinal) << bucketBits[0] | bucket0;
  }

  /** The four words of entry {@code ordinal} into {@code out}. */
  void words(int ordinal, long[] out) {
    long[] page = hi[ordinal >>> HI_PAGE_BITS];
    int o = 3 * (ordinal & HI_PAGE_MASK);
    out[0] = word0(ordinal, buckets[0].bucketOf(ordinal));
    out[1] = page[o];
    out[2] = page[o + 1];
    out[3] = page[o + 2];
  }

  /** Visits every entry in ordinal order. */
  void forEach(Entries e) {
    if (size == 0) {
      return;
    }
    buckets[0].forEach((p, bucket) -> {
      long[] page = hi[p >>> HI_PAGE_BITS];
      int o = 3 * (p & HI_PAGE_MASK);
      e.entry(p, word0(p, bucket), page[o], page[o + 1], page[o + 2]);
    });
  }

  /** Heap bytes held by the index, headers included. */
  long heapBytes() {
    long b = 64L + 16L + 4L * hi.length + lo.heapBytes() + key0hi.heapBytes() + addedCodes.heapBytes()
        + (addedValues == null ? 0 : 16L + 4L * addedValues.length) + 3 * (16L + 4L * TABLES);
    for (long[] p : hi) {
      b += 16L + 8L * p.length;
    }
    for (int t = 0; t < TABLES; t++) {
      b += buckets[t].heapBytes() + (postings[t] == null ? 0 : postings[t].heapBytes());
    }
    return b;
  }

  /** The ordinal of an entry equal to the query, or -1. */
  int find(long q0, long q1, long q2, long q3) {
    if (size == 0) {
      return -1;
    }
    int bucket = (int) q0 & ((1 << bucketBits[0]) - 1);
    long r = buckets[0].range(bucket);
    long qlo = q0 >>> KEY0;
    long qk = (q0 & ((1L << KEY0) - 1)) >>> bucketBits[0];
    for (int id = (int) (r >>> 32), end = (int) r; id < end; id++) {
      long[] page = hi[id >>> HI_PAGE_BITS];
      int o = 3 * (id & HI_PAGE_MASK);
      if (page[o] == q1 && page[o + 1] == q2 && page[o + 2] == q3 && lo.get(id) == qlo && key0hi.get(id) == qk) {
        return id;
      }
    }
    return -1;
  }

  /** The search radius of table {@code t} for overall radius {@code r}, or -1 to skip it. */
  static int tableRadius(int r, int t) {
    int q = r / TABLES;
    int a = r % TABLES;
    return t <= a ? q : q - 1;
  }

  private static long volume(int bits, int radius) {
    long v = 0;
    long c = 1;
    for (int i = 0; i <= radius; i++) {
      v += c;
      c = c * (bits - i) / (i + 1);
    }
    return v;
  }

  /** Whether probing is expected to beat a sequential scan at this radius. */
  boolean probes(int radius) {
    double cost = 0;
    for (int t = 0; t < TABLES; t++) {
      int rt = tableRadius(radius, t);
      if (rt > 3) {
        return false;
      }
      if (rt >= 0) {
        long v = volume(bucketBits[t], rt);
        // a probe costs about two cache misses, a candidate about two; a scanned hash about 1/8 of one
        cost += 2 * v + 2 * v * (double) size / (1 << bucketBits[t]);
      }
    }
    return cost * 8 < size;
  }

  /**
   * Reports every entry within {@code radius} (inclusive) of the query, each exactly once, in no
   * particular order.
   */
  void search(long q0, long q1, long q2, long q3, int radius, Hits hits) {
    search(new long[] {q0, q1, q2, q3}, 1, radius, (j, id, w0, w1, w2, w3, d) -> hits.hit(id, w0, w1, w2, w3, d));
  }

  /**
   * Reports every (query, entry) pair within {@code radius} (inclusive), each exactly once, in no
   * particular order: for each query exactly what {@link #search(long, long, long, long, int, Hits)}
   * reports for it alone. {@code queries[4 * j + k]} is word {@code k} of query {@code j} (as in
   * {@code PdqHash.word}). The queries share the work they have in common: in each table, queries
   * with the same bucket key probe its neighbourhood once, a bucket inside the neighbourhoods of
   * several keys is probed once for all of them, and each candidate is loaded once and checked
   * against every query whose neighbourhood holds it. Near variants of an image (a softer blur, a
   * caption painted out) have the same key in most tables and so cost little more than one query.
   */
  void search(long[] queries, int count, int radius, MultiHits hits) {
    if (size == 0 || radius < 0 || count <= 0) {
      return;
    }
    boolean probe = probes(radius);
    for (int from = 0; from < count; from += MAX_BATCH) {
      int n = Math.min(MAX_BATCH, count - from);
      if (probe) {
        probe(queries, from, n, radius, hits);
      } else {
        scan(queries, from, n, radius, hits);
      }
    }
  }

  /** A sequential scan of the index's own entries. */
  void scan(long q0, long q1, long q2, long q3, int radius, Hits hits) {
    if (size == 0 || radius < 0) {
      return;
    }
    long qlo = q0 >>> KEY0;
    buckets[0].forEach((p, bucket) -> {
      long[] page = hi[p >>> HI_PAGE_BITS];
      int o = 3 * (p & HI_PAGE_MASK);
      long h1 = page[o];
      long h2 = page[o + 1];
      int d = Long.bitCount(h1 ^ q1) + Long.bitCount(h2 ^ q2);
      if (d > radius) {
        return;
      }
      long h3 = page[o + 2];
      d += Long.bitCount(h3 ^ q3) + Long.bitCount(lo.get(p) ^ qlo);
      if (d > radius) {
        return;
      }
      long w0 = word0(p, bucket);
      d += Long.bitCount((w0 ^ q0) & ((1L << KEY0) - 1));
      if (d <= radius) {
        hits.hit(p, w0, h1, h2, h3, d);
      }
    });
  }

  /** {@link #scan(long, long, long, long, int, Hits)} for queries {@code from .. from + n - 1}. */
  void scan(long[] queries, int from, int n, int radius, MultiHits hits) {
    if (size == 0 || radius < 0) {
      return;
    }
    buckets[0].forEach((p, bucket) -> {
      long[] page = hi[p >>> HI_PAGE_BITS];
      int o = 3 * (p & HI_PAGE_MASK);
      long h1 = page[o];
      long h2 = page[o + 1];
      long h3 = page[o + 2];
      long w0 = word0(p, bucket);
      for (int j = 0; j < n; j++) {
        int b = 4 * (from + j);
        int d = Long.bitCount(h1 ^ queries[b + 1]) + Long.bitCount(h2 ^ queries[b + 2])
            + Long.bitCount(h3 ^ queries[b + 3]) + Long.bitCount(w0 ^ queries[b]);
        if (d <= radius) {
          hits.hit(from + j, p, w0, h1, h2, h3, d);
        }
      }
    });
  }

  /**
   * The probing search itself, whatever its cost; radius at most {@link #MAX_PROBE_RADIUS}.
   */
  void probe(long q0, long q1, long q2, long q3, int radius, Hits hits) {
    if (radius > MAX_PROBE_RADIUS) {
      throw new IllegalArgumentException("radius " + radius + " above " + MAX_PROBE_RADIUS);
    }
    if (size == 0 || radius < 0) {
      return;
    }
    probe(new long[] {q0, q1, q2, q3}, 0, 1, radius, (j, id, w0, w1, w2, w3, d) -> hits.hit(id, w0, w1, w2, w3, d));
  }

  /**
   * The probing search for queries {@code from .. from + n - 1} ({@code n <= MAX_BATCH}).
   *
   * <p>Table by table: the queries are grouped by their bucket key; each group's neighbourhood
   * (every bucket within the table's radius of its key) is listed once, a bucket that an earlier
   * group's neighbourhood already holds is left out, and each listed bucket carries the mask of
   * every query whose neighbourhood holds it. Then, each pass over independent loads so that the
   * processor can overlap their cache misses: the bucket ranges of all probes, the postings of all
   * ranges, the candidates' hash records. A candidate is checked against the queries of its mask
   * and reported for a query only from the first table in which the two are within that table's
   * radius, so each (query, entry) pair is reported once.
   */
  void probe(long[] queries, int from, int n, int radius, MultiHits hits) {
    if (n > MAX_BATCH) {
      throw new IllegalArgumentException(n + " queries above " + MAX_BATCH);
    }
    Scratch sc = SCRATCH.get();
    if (sc == null) {
      sc = new Scratch(); // a search nested in a callback on this thread: its own arrays
    } else {
      SCRATCH.set(null);
    }
    try {
      probe(queries, from, n, radius, hits, sc);
    } finally {
      SCRATCH.set(sc);
    }
  }

  /**
   * Per-thread scratch arrays of {@link #probe}, so that a query allocates nothing in the common
   * case (they hold about 280 KB, which zeroing would otherwise cost every query). Taken out of
   * the thread-local while in use, so a search started from a hit callback gets its own.
   */
  private static final ThreadLocal<Scratch> SCRATCH = ThreadLocal.withInitial(Scratch::new);

  /** Scratch arrays of one probing search; grown as needed, never shrunk. */
  private static final class Scratch {
    int[] gkey = new int[MAX_BATCH];
    long[] gmask = new long[MAX_BATCH];
    int[] near = new int[MAX_BATCH * MAX_BATCH];
    int[] nearCount = new int[MAX_BATCH];
    int[] probe = new int[PROBE_CAPACITY];
    long[] pmask = new long[PROBE_CAPACITY];
    int[] ball = new int[PROBE_CAPACITY];
    long[] ranges = new long[PROBE_CAPACITY];
    int[] filled = new int[PROBE_CAPACITY];
    long[] gathered = new long[4 * PROBE_CAPACITY];
    int[] cand = new int[4096];
    int[] candBucket = new int[4096];
    long[] candMask = new long[4096];
    long[] candWords = new long[2 * 4096];
  }

  private void probe(long[] queries, int from, int n, int radius, MultiHits hits, Scratch sc) {
    int[] gkey = sc.gkey;
    long[] gmask = sc.gmask;
    int[] near = sc.near;
    int[] nearCount = sc.nearCount;
    int[] probe = sc.probe;
    long[] pmask = sc.pmask;
    int[] ball = sc.ball;
    long[] ranges = sc.ranges;
    int[] filled = sc.filled;
    long[] gathered = sc.gathered;
    int[] cand = sc.cand;
    int[] candBucket = sc.candBucket;
    long[] candMask = sc.candMask;
    long[] candWords = sc.candWords;
    for (int t = 0; t < TABLES; t++) {
      int rt = tableRadius(radius, t);
      if (rt < 0) {
        continue;
      }
      int bits = bucketBits[t];
      int bmask = (1 << bits) - 1;
      // group the queries by bucket key
      int groups = 0;
      for (int j = 0; j < n; j++) {
        int b = 4 * (from + j);
        int k = key(queries[b], queries[b + 1], queries[b + 2], queries[b + 3], t) & bmask;
        int g = 0;
        while (g < groups && gkey[g] != k) {
          g++;
        }
        if (g == groups) {
          gkey[groups] = k;
          gmask[groups++] = 0;
        }
        gmask[g] |= 1L << j;
      }
      // the other groups whose neighbourhoods can overlap each group's
      for (int a = 0; a < groups; a++) {
        int c = 0;
        for (int b = 0; b < groups; b++) {
          if (b != a && Integer.bitCount(gkey[a] ^ gkey[b]) <= 2 * rt) {
            near[a * n + c++] = b;
          }
        }
        nearCount[a] = c;
      }
      int np = 0;
      for (int a = 0; a < groups; a++) {
        int nb = probeList(gkey[a], bits, rt, ball);
        if (np + nb > probe.length) {
          int cap = Math.max(np + nb, 2 * probe.length);
          probe = java.util.Arrays.copyOf(probe, cap);
          pmask = java.util.Arrays.copyOf(pmask, cap);
          ranges = new long[cap];
          filled = new int[cap];
          gathered = new long[4 * cap];
          sc.probe = probe;
          sc.pmask = pmask;
          sc.ranges = ranges;
          sc.filled = filled;
          sc.gathered = gathered;
        }
        if (nearCount[a] == 0) {
          long m = gmask[a];
          for (int i = 0; i < nb; i++) {
            probe[np] = ball[i];
            pmask[np++] = m;
          }
          continue;
        }
        next:
        for (int i = 0; i < nb; i++) {
          int p = ball[i];
          long m = gmask[a];
          for (int x = 0; x < nearCount[a]; x++) {
            int b = near[a * n + x];
            if (Integer.bitCount(p ^ gkey[b]) <= rt) {
              if (b < a) {
                continue next; // listed with group b, whose mask holds group a's queries
              }
              m |= gmask[b];
            }
          }
          probe[np] = p;
          pmask[np++] = m;
        }
      }
      buckets[t].ranges(probe, np, ranges, gathered);
      // the probes whose bucket holds an entry, listed without a branch on the data (most buckets
      // are empty, the others hold one entry or a few)
      int total = 0;
      int ne = 0;
      for (int pi = 0; pi < np; pi++) {
        int len = (int) ranges[pi] - (int) (ranges[pi] >>> 32);
        total += len;
        filled[ne] = pi;
        ne += -len >>> 31;
      }
      if (total > cand.length) {
        cand = new int[Math.max(total, 2 * cand.length)];
        candBucket = new int[cand.length];
        candMask = new long[cand.length];
        candWords = new long[2 * cand.length];
        sc.cand = cand;
        sc.candBucket = candBucket;
        sc.candMask = candMask;
        sc.candWords = candWords;
      }
      // each filled bucket's first entry in a loop of independent loads whose trip count is known,
      // so that the processor runs ahead through their cache misses; then the other entries
      int m = 0;
      if (t == 0) {
        for (int x = 0; x < ne; x++) {
          int pi = filled[x];
          candBucket[m] = probe[pi];
          candMask[m] = pmask[pi];
          cand[m++] = (int) (ranges[pi] >>> 32);
        }
        for (int x = 0; x < ne; x++) {
          int pi = filled[x];
          long r = ranges[pi];
          for (int j = (int) (r >>> 32) + 1, end = (int) r; j < end; j++) {
            candBucket[m] = probe[pi];
            candMask[m] = pmask[pi];
            cand[m++] = j;
          }
        }
      } else {
        Packed post = postings[t];
        for (int x = 0; x < ne; x++) {
          int pi = filled[x];
          candMask[m] = pmask[pi];
          cand[m++] = (int) post.get((int) (ranges[pi] >>> 32));
        }
        for (int x = 0; x < ne; x++) {
          int pi = filled[x];
          long r = ranges[pi];
          for (int j = (int) (r >>> 32) + 1, end = (int) r; j < end; j++) {
            candMask[m] = pmask[pi];
            cand[m++] = (int) post.get(j);
          }
        }
      }
      // words 1 and 2 of every candidate first, in a loop of independent loads and nothing else,
      // so that many of their cache misses are in flight at once; the checks below then find them
      // in the scratch array (most candidates are rejected on these two words alone)
      for (int c = 0, w = 0; c < m; c++, w += 2) {
        int id = cand[c];
        long[] page = hi[id >>> HI_PAGE_BITS];
        int o = 3 * (id & HI_PAGE_MASK);
        candWords[w] = page[o];
        candWords[w + 1] = page[o + 1];
      }
      for (int c = 0; c < m; c++) {
        int id = cand[c];
        long[] page = hi[id >>> HI_PAGE_BITS];
        int o = 3 * (id & HI_PAGE_MASK);
        long h1 = candWords[2 * c];
        long h2 = candWords[2 * c + 1];
        long h3 = 0;
        long l = 0;
        long w0 = 0;
        int stage = 0; // 1: h3 and lo loaded, 2: word 0 rebuilt
        for (long mask = candMask[c]; mask != 0; mask &= mask - 1) {
          int j = Long.numberOfTrailingZeros(mask);
          int b = 4 * (from + j);
          long x1 = h1 ^ queries[b + 1];
          long x2 = h2 ^ queries[b + 2];
          int d = Long.bitCount(x1) + Long.bitCount(x2);
          if (d > radius) {
            continue;
          }
          if (stage == 0) {
            h3 = page[o + 2];
            l = lo.get(id);
            stage = 1;
          }
          long x3 = h3 ^ queries[b + 3];
          d += Long.bitCount(x3) + Long.bitCount(l ^ (queries[b] >>> KEY0));
          if (d > radius) {
            continue;
          }
          // A near duplicate is a candidate in many tables but reported from the first only: when a
          // table between 1 and t qualifies (their keys lie above table 0's bits, known here),
          // this is not it, and table 0's bits need not be rebuilt (a search in Buckets.bucketOf).
          if (t > 1 && qualifiesBefore((l ^ (queries[b] >>> KEY0)) << KEY0, x1, x2, x3, radius, t)) {
            continue;
          }
          if (stage == 1) {
            w0 = word0(id, t == 0 ? candBucket[c] : buckets[0].bucketOf(id));
            stage = 2;
          }
          long x0 = w0 ^ queries[b];
          d += Long.bitCount(x0 & ((1L << KEY0) - 1));
          if (d <= radius && firstQualifyingTable(x0, x1, x2, x3, radius) == t) {
            hits.hit(from + j, id, w0, h1, h2, h3, d);
          }
        }
      }
    }
  }

  /**
   * Whether one of tables {@code 1 .. t - 1} holds the pair within its radius; {@code x0} may lack
   * its low {@link #KEY0} bits (table 0's), which these tables do not read.
   */
  private static boolean qualifiesBefore(long x0, long x1, long x2, long x3, int radius, int t) {
    for (int u = 1; u < t; u++) {
      int ru = tableRadius(radius, u);
      if (ru >= 0 && Integer.bitCount(key(x0, x1, x2, x3, u)) <= ru) {
        return true;
      }
    }
    return false;
  }

  private static int firstQualifyingTable(long x0, long x1, long x2, long x3, int radius) {
    for (int t = 0; t < TABLES; t++) {
      int rt = tableRadius(radius, t);
      if (rt >= 0 && Integer.bitCount(key(x0, x1, x2, x3, t)) <= rt) {
        return t;
      }
    }
    return -1;
  }

  /** Bucket-key bits within one block of {@link Buckets} (64 buckets share a sampled start). */
  private static final int BLOCK_BITS = 6;

  /**
   * The masks over the low {@value #BLOCK_BITS} bits of a bucket key in order of weight: the first
   * {@code LOW_UP_TO[w]} are those of weight at most {@code w}.
   */
  private static final int[] LOW_MASKS = new int[1 << BLOCK_BITS];
  private static final int[] LOW_UP_TO = new int[BLOCK_BITS + 1];

  static {
    int n = 0;
    for (int w = 0; w <= BLOCK_BITS; w++) {
      for (int m = 0; m < 1 << BLOCK_BITS; m++) {
        if (Integer.bitCount(m) == w) {
          LOW_MASKS[n++] = m;
        }
      }
      LOW_UP_TO[w] = n;
    }
  }

  /**
   * Fills {@code out} with the distinct buckets of every key within {@code q} (at most 3) of
   * {@code sub}: flips of bits at or above {@code bits} fold onto buckets already listed. Listed
   * block by block (the flips of bits at or above {@value #BLOCK_BITS}, then within each such block
   * every flip of the low bits the radius leaves), so that {@link Buckets#ranges} loads each block's
   * sampled start and vector words once for all its buckets: at 22 bucket bits and radius 2, 137
   * blocks for 254 buckets.
   */
  static int probeList(int sub, int bits, int q, int[] out) {
    int base = sub & ((1 << bits) - 1);
    if (bits < BLOCK_BITS) {
      return probeListFlat(base, bits, q, out);
    }
    int n = 0;
    n = lows(base, q, out, n);
    if (q >= 1) {
      for (int a = BLOCK_BITS; a < bits; a++) {
        int ka = base ^ (1 << a);
        n = lows(ka, q - 1, out, n);
        if (q >= 2) {
          for (int b = a + 1; b < bits; b++) {
            int kb = ka ^ (1 << b);
            n = lows(kb, q - 2, out, n);
            if (q >= 3) {
              for (int c = b + 1; c < bits; c++) {
                out[n++] = kb ^ (1 << c);
              }
            }
          }
        }
      }
    }
    return n;
  }

  /** Appends {@code key} with every flip of at most {@code w} of its low bits, from {@code out[n]}. */
  private static int lows(int key, int w, int[] out, int n) {
    for (int i = 0, end = LOW_UP_TO[w]; i < end; i++) {
      out[n++] = key ^ LOW_MASKS[i];
    }
    return n;
  }

  /** {@link #probeList} for a table of fewer than {@value #BLOCK_BITS} bucket bits (one block). */
  private static int probeListFlat(int base, int bits, int q, int[] out) {
    int n = 0;
    for (int m = 0; m < 1 << bits; m++) {
      if (Integer.bitCount(m) <= q) {
        out[n++] = base ^ m;
      }
    }
    return n;
  }

  /** Receives results of the reference {@link #scan(long[], int, long, long, long, long, int, Flat)}. */
  interface Flat {
    /**
     * One hash within the radius.
     *
     * @param index its index in the scanned array
     * @param distance its distance to the query
     */
    void hit(int index, int distance);
  }

  /**
   * The reference linear scan: every hash in {@code words[0 .. 4*size)} within {@code radius}.
   */
  static void scan(long[] words, int size, long q0, long q1, long q2, long q3, int radius, Flat hits) {
    for (int i = 0, base = 0; i < size; i++, base += 4) {
      int d = Long.bitCount(words[base] ^ q0) + Long.bitCount(words[base + 1] ^ q1);
      if (d > radius) {
        continue;
      }
      d += Long.bitCount(words[base + 2] ^ q2) + Long.bitCount(words[base + 3] ^ q3);
      if (d <= radius) {
        hits.hit(i, d);
      }
    }
  }

  // ---------------------------------------------------------------- snapshots

  /** Writes the index's own arrays, for {@link #read}: loading them needs no build. */
  void write(SnapshotIo.Out out) throws java.io.IOException {
    out.writeInt(size);
    for (int t = 0; t < TABLES; t++) {
      out.writeInt(bucketBits[t]);
    }
    for (long[] p : hi) {
      out.writeLongs(p, 0, p.length);
    }
    lo.write(out);
    key0hi.write(out);
    for (int t = 0; t < TABLES; t++) {
      buckets[t].write(out);
      if (t > 0) {
        postings[t].write(out);
      }
    }
    out.writeBoolean(addedValues != null);
    if (addedValues != null) {
      out.writeInt(addedValues.length);
      out.writeInts(addedValues, 0, addedValues.length);
    }
    addedCodes.write(out);
  }

  /**
   * Reads what {@link #write} wrote. Every array's layout is derived from the size and the bucket
   * bits and checked against them; postings and added-at codes are checked to be in range, so a
   * search on the result stays within its arrays.
   */
  static MihIndex read(SnapshotIo.In in) throws java.io.IOException {
    int size = in.readInt();
    if (size < 0 || 32L * size > in.left()) {
      throw in.corrupt("index: " + size + " entries do not fit the " + in.left() + " bytes left");
    }
    int[] bits = new int[TABLES];
    for (int t = 0; t < TABLES; t++) {
      bits[t] = in.readInt();
      if (bits[t] < 0 || bits[t] > LEN[t]) {
        throw in.corrupt("index: table " + t + " has " + bits[t] + " bucket bits");
      }
    }
    long[][] hi = new long[(size + HI_PAGE_MASK) >>> HI_PAGE_BITS][];
    for (int p = 0; p < hi.length; p++) {
      hi[p] = new long[3 * Math.min(1 << HI_PAGE_BITS, size - (p << HI_PAGE_BITS))];
      in.readLongs(hi[p], 0, hi[p].length);
    }
    Packed lo = expect(Packed.read(in, "index words"), size, 64 - KEY0, in);
    Packed key0hi = expect(Packed.read(in, "index table-0 bits"), size, KEY0 - bits[0], in);
    Buckets[] buckets = new Buckets[TABLES];
    Packed[] postings = new Packed[TABLES];
    for (int t = 0; t < TABLES; t++) {
      buckets[t] = Buckets.read(in, bits[t], size, "index table " + t);
      if (t > 0) {
        Packed p = Packed.read(in, "index postings " + t);
        if (p.size() != size) {
          throw in.corrupt("index postings " + t + ": " + p.size() + " values, expected " + size);
        }
        for (int i = 0; i < size; i++) {
          if (p.get(i) >= size) {
            throw in.corrupt("index postings " + t + ": entry " + i + " points past the index");
          }
        }
        postings[t] = p;
      }
    }
    int[] addedValues = null;
    if (in.readBoolean()) {
      int n = in.count(in.readInt(), 4, "index added-at values");
      addedValues = new int[n];
      in.readInts(addedValues, 0, n);
    }
    Packed addedCodes = Packed.read(in, "index added-at codes");
    if (addedCodes.size() != size) {
      throw in.corrupt("index added-at codes: " + addedCodes.size() + " values, expected " + size);
    }
    if (addedValues != null) {
      for (int i = 0; i < size; i++) {
        if (addedCodes.get(i) >= addedValues.length) {
          throw in.corrupt("index added-at codes: entry " + i + " names no time");
        }
      }
    }
    return new MihIndex(size, bits, hi, lo, key0hi, buckets, postings, addedValues, addedCodes);
  }

  private static Packed expect(Packed p, int size, int width, SnapshotIo.In in) {
    if (p.size() != size || p.width() != width) {
      throw in.corrupt("index: " + p.size() + " values of " + p.width() + " bits, expected " + size + " of " + width);
    }
    return p;
  }
}
