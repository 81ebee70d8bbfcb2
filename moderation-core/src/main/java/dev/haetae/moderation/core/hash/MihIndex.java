package dev.haetae.moderation.core.hash;

import java.util.Arrays;
import java.util.stream.IntStream;

/**
 * An immutable multi-index-hashing (MIH) index over PDQ hashes, exact with respect to a linear
 * scan.
 *
 * <p>The 256 bits are cut into {@value #TABLES} substrings (four of 22 bits, eight of 21). Write the
 * radius as {@code r = q * m + a} with {@code m} substrings and {@code 0 <= a < m}: if two hashes
 * are within {@code r}, then one of the first {@code a + 1} substrings differs in at most {@code q}
 * bits or one of the others in at most {@code q - 1} (otherwise the distance would be at least
 * {@code r + 1}; Norouzi, Punjani and Fleet, "Fast exact search in Hamming space with multi-index
 * hashing", 2014). So probing table {@code t} with every key within its radius of the query's
 * substring finds every true neighbour. At distance 31 that is radius 2 in eight tables and 1 in
 * four: about two thousand probes and, at ten million hashes, a few thousand candidates, against
 * 16 x 17 probes and forty thousand candidates with sixteen 16-bit substrings.
 *
 * <p>Each table is a CSR array: {@code offsets} per bucket and {@code postings} (entry ordinals, in
 * three bytes each below 2^24 entries, else four)
 * grouped by bucket, built by counting sort in O(n). Keys are folded onto fewer bucket bits when
 * the index is small (about one bucket per entry); verification against the full hash keeps the
 * result exact. A candidate found in table {@code t} is reported only if {@code t} is the first
 * table within whose radius it lies, so each result is reported once.
 *
 * <p>When the estimated probes and candidates exceed a sequential scan's cost (large radii),
 * {@link #search} scans instead.
 *
 * <p>Hash {@code i} is {@code words[4 * i + k]} for word {@code k} (0 = bits 63..0, as in
 * {@code PdqHash.word}). Immutable after construction and safe to share between threads; the array
 * passed in is owned by the index and must not be changed afterwards.
 */
final class MihIndex {
  static final int TABLES = 12;
  private static final int PARALLEL_FROM = 1 << 18;
  /** The largest radius {@link #probe} enumerates (three bits in every table). */
  static final int MAX_PROBE_RADIUS = 4 * TABLES - 1;
  private static final int[] LEN = {22, 22, 22, 22, 21, 21, 21, 21, 21, 21, 21, 21};
  private static final int[] START = new int[TABLES];

  static {
    int s = 0;
    for (int t = 0; t < TABLES; t++) {
      START[t] = s;
      s += LEN[t];
    }
    if (s != 256) {
      throw new AssertionError(s);
    }
  }

  /** Receives search results. */
  interface Hits {
    /**
     * One entry within the radius.
     *
     * @param ordinal the entry's ordinal in the index
     * @param distance its Hamming distance to the query
     */
    void hit(int ordinal, int distance);
  }

  private final long[] words;
  private final int size;
  private final int[] bucketBits;
  private final int[][] offsets;
  /** Posting bytes per ordinal: 3 below 2^24 entries, else 4. */
  private final int width;
  private final byte[][] postings;

  private MihIndex(long[] words, int size, int[] bucketBits, int[][] offsets, byte[][] postings, int width) {
    this.words = words;
    this.size = size;
    this.bucketBits = bucketBits;
    this.offsets = offsets;
    this.postings = postings;
    this.width = width;
  }

  /** Posting width for an index of {@code size} entries. */
  static int width(int size) {
    return size < 1 << 24 ? 3 : 4;
  }

  /** Ordinal {@code j} of a posting array of the given width. */
  private static int ordinal(byte[] p, int j, int width) {
    int o = j * width;
    int id = (p[o] & 0xFF) | (p[o + 1] & 0xFF) << 8 | (p[o + 2] & 0xFF) << 16;
    return width == 3 ? id : id | (p[o + 3] & 0xFF) << 24;
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
   * Builds the index over the first {@code size} hashes of {@code words} (taken over, not copied).
   */
  static MihIndex build(long[] words, int size) {
    return build(words, size, width(size));
  }

  /** As {@link #build(long[], int)} with a given posting width, 3 or 4 (tests use 4 on small sets). */
  static MihIndex build(long[] words, int size, int width) {
    if (width != 4 && (width != 3 || size >= 1 << 24)) {
      throw new IllegalArgumentException("posting width " + width + " cannot hold " + size + " ordinals");
    }
    if (size < 0 || (long) size * 4 > words.length) {
      throw new IllegalArgumentException("size " + size + " does not fit " + words.length + " words");
    }
    int log2 = 31 - Integer.numberOfLeadingZeros(Math.max(16, size));
    int[] bits = new int[TABLES];
    int[][] offsets = new int[TABLES][];
    for (int t = 0; t < TABLES; t++) {
      bits[t] = Math.max(4, Math.min(LEN[t], log2 - 1));
      offsets[t] = new int[(1 << bits[t]) + 1];
    }
    byte[][] postings = new byte[TABLES][];
    // one table at a time (its offsets stay in cache while counting), tables in parallel for large
    // builds: each table is written by one thread only, and the join publishes them
    IntStream tables = IntStream.range(0, TABLES);
    if (size >= PARALLEL_FROM) {
      tables = tables.parallel();
    }
    tables.forEach(t -> postings[t] = table(words, size, t, offsets[t], (1 << bits[t]) - 1, width));
    return new MihIndex(words, size, bits, offsets, postings, width);
  }

  /**
   * Builds table {@code t}: fills its bucket offsets {@code o} and returns its postings. A
   * cache-conscious two-level counting sort: keys are first distributed by their top (at most) 8
   * bits into 256 sequential streams, then each stream, which covers a small contiguous range of
   * buckets, is counted and scattered while its counters and output stay in cache. Ordinals stay in
   * increasing order within each bucket.
   */
  private static byte[] table(long[] words, int size, int t, int[] o, int mask, int width) {
    int bits = Integer.bitCount(mask);
    int hiBits = Math.min(8, bits);
    int loBits = bits - hiBits;
    int chunks = 1 << hiBits;
    int loMask = (1 << loBits) - 1;
    // the key is bits [START, START + LEN) and the bucket its low bits: read them straight from the
    // word array (mask has at most LEN bits)
    int wi = START[t] >>> 6;
    int off = START[t] & 63;
    boolean cross = off + LEN[t] > 64;
    int back = 64 - off;
    int[] keys = new int[size];
    int[] chunkStart = new int[chunks + 1];
    for (int i = 0, b = wi; i < size; i++, b += 4) {
      long lo = words[b] >>> off;
      if (cross) {
        lo |= words[b + 1] << back;
      }
      int k = (int) lo & mask;
      keys[i] = k;
      chunkStart[(k >>> loBits) + 1]++;
    }
    for (int c = 0; c < chunks; c++) {
      chunkStart[c + 1] += chunkStart[c];
    }
    int[] cursor = Arrays.copyOf(chunkStart, chunks);
    int[] byChunkKey = new int[size];
    int[] byChunkOrd = new int[size];
    for (int i = 0; i < size; i++) {
      int k = keys[i];
      int at = cursor[k >>> loBits]++;
      byChunkKey[at] = k;
      byChunkOrd[at] = i;
    }
    keys = null;
    byte[] p = new byte[width * size];
    int[] count = new int[(1 << loBits) + 1];
    for (int c = 0; c < chunks; c++) {
      int from = chunkStart[c];
      int to = chunkStart[c + 1];
      Arrays.fill(count, 0);
      for (int j = from; j < to; j++) {
        count[(byChunkKey[j] & loMask) + 1]++;
      }
      int base = c << loBits;
      for (int l = 0; l <= loMask; l++) {
        o[base + l] = from + count[l];
        count[l + 1] += count[l];
      }
      for (int j = from; j < to; j++) {
        int at = width * (from + count[byChunkKey[j] & loMask]++);
        int ord = byChunkOrd[j];
        p[at] = (byte) ord;
        p[at + 1] = (byte) (ord >>> 8);
        p[at + 2] = (byte) (ord >>> 16);
        if (width == 4) {
          p[at + 3] = (byte) (ord >>> 24);
        }
      }
    }
    o[o.length - 1] = size;
    return p;
  }

  int size() {
    return size;
  }

  /** The hash words array (owned by the index; read only). */
  long[] words() {
    return words;
  }

  /** Heap bytes held by the index's arrays, headers included (approximately 16 bytes each). */
  long heapBytes() {
    long b = 16L + 8L * words.length;
    for (int t = 0; t < TABLES; t++) {
      b += 16L + 4L * offsets[t].length + 16L + postings[t].length;
    }
    return b + 3 * (16L + 8L * TABLES) + 48;
  }

  /**
   * The ordinal of an entry equal to the query, or -1.
   */
  int find(long q0, long q1, long q2, long q3) {
    if (size == 0) {
      return -1;
    }
    int bucket = key(q0, q1, q2, q3, 0) & ((1 << bucketBits[0]) - 1);
    int[] o = offsets[0];
    byte[] p = postings[0];
    for (int j = o[bucket], end = o[bucket + 1]; j < end; j++) {
      int id = ordinal(p, j, width);
      int base = 4 * id;
      if (words[base] == q0 && words[base + 1] == q1 && words[base + 2] == q2 && words[base + 3] == q3) {
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
        // a probe and a candidate each cost about one cache miss; a scanned hash about 1/8 of one
        cost += v + v * (double) size / (1 << bucketBits[t]);
      }
    }
    return cost * 8 < size;
  }

  /**
   * Reports every entry within {@code radius} (inclusive) of the query, each exactly once, in no
   * particular order.
   */
  void search(long q0, long q1, long q2, long q3, int radius, Hits hits) {
    if (size == 0 || radius < 0) {
      return;
    }
    if (!probes(radius)) {
      scan(words, size, q0, q1, q2, q3, radius, hits);
      return;
    }
    probe(q0, q1, q2, q3, radius, hits);
  }

  /** The probing search itself, whatever its cost; radius at most {@link #MAX_PROBE_RADIUS}. */
  void probe(long q0, long q1, long q2, long q3, int radius, Hits hits) {
    if (radius > MAX_PROBE_RADIUS) {
      throw new IllegalArgumentException("radius " + radius + " above " + MAX_PROBE_RADIUS);
    }
    int[] probe = new int[1800];
    for (int t = 0; t < TABLES; t++) {
      int rt = tableRadius(radius, t);
      if (rt < 0) {
        continue;
      }
      int n = probeList(key(q0, q1, q2, q3, t), bucketBits[t], rt, probe);
      int[] o = offsets[t];
      byte[] p = postings[t];
      int w = width;
      for (int pi = 0; pi < n; pi++) {
        int bucket = probe[pi];
        for (int j = o[bucket], end = o[bucket + 1]; j < end; j++) {
          int id = ordinal(p, j, w);
          int base = 4 * id;
          long x0 = words[base] ^ q0;
          long x1 = words[base + 1] ^ q1;
          long x2 = words[base + 2] ^ q2;
          long x3 = words[base + 3] ^ q3;
          int d = Long.bitCount(x0) + Long.bitCount(x1) + Long.bitCount(x2) + Long.bitCount(x3);
          if (d <= radius && firstQualifyingTable(x0, x1, x2, x3, radius) == t) {
            hits.hit(id, d);
          }
        }
      }
    }
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

  /**
   * Fills {@code out} with the distinct buckets of every key within {@code q} (at most 3) of
   * {@code sub}: flips of bits at or above {@code bits} fold onto buckets already listed.
   */
  private static int probeList(int sub, int bits, int q, int[] out) {
    int base = sub & ((1 << bits) - 1);
    int n = 0;
    out[n++] = base;
    if (q >= 1) {
      for (int a = 0; a < bits; a++) {
        out[n++] = base ^ (1 << a);
      }
    }
    if (q >= 2) {
      for (int a = 0; a < bits; a++) {
        for (int b = a + 1; b < bits; b++) {
          out[n++] = base ^ (1 << a) ^ (1 << b);
        }
      }
    }
    if (q >= 3) {
      for (int a = 0; a < bits; a++) {
        for (int b = a + 1; b < bits; b++) {
          for (int c = b + 1; c < bits; c++) {
            out[n++] = base ^ (1 << a) ^ (1 << b) ^ (1 << c);
          }
        }
      }
    }
    return n;
  }

  /**
   * The reference linear scan: every hash in {@code words[0 .. 4*size)} within {@code radius}.
   */
  static void scan(long[] words, int size, long q0, long q1, long q2, long q3, int radius, Hits hits) {
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
}
