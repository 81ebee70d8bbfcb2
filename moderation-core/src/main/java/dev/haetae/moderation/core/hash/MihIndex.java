package dev.haetae.moderation.core.hash;

/**
 * An immutable multi-index-hashing (MIH) index over PDQ hashes, exact with respect to a linear
 * scan.
 *
 * <p>The 256 bits are cut into 16 substrings of 16 bits. If two hashes are within Hamming distance
 * {@code r}, at least one of their 16 substrings differs in at most {@code floor(r / 16)} bits
 * (pigeonhole), so probing every table with every key within that radius of the query's substring
 * finds every true neighbour. Each table is a CSR (compressed sparse row) array: {@code offsets}
 * per bucket and {@code postings} (entry ordinals) grouped by bucket, built by counting sort in
 * O(n). Small indexes fold the 16-bit keys onto fewer bucket bits; verification of each candidate
 * against the full hash keeps the result exact. A candidate found in table {@code t} is reported
 * only if no earlier table would also have found it, so no result is reported twice.
 *
 * <p>Beyond radius 47 (three or more bits per substring) the candidate lists approach the whole set
 * and random access loses to a sequential scan, so {@link #search} falls back to
 * {@link #scan}.
 *
 * <p>Hash {@code i} is {@code words[4 * i + k]} for word {@code k} (0 = bits 63..0, as in
 * {@code PdqHash.word}). Immutable after construction and safe to share between threads; the array
 * passed in is owned by the index and must not be changed afterwards.
 */
final class MihIndex {
  static final int TABLES = 16;
  /** Radius from which {@link #search} scans instead of probing. */
  static final int SCAN_FROM_RADIUS = 48;

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
  private final int bucketBits;
  private final int mask;
  private final int[][] offsets;
  private final int[][] postings;

  private MihIndex(long[] words, int size, int bucketBits, int[][] offsets, int[][] postings) {
    this.words = words;
    this.size = size;
    this.bucketBits = bucketBits;
    this.mask = (1 << bucketBits) - 1;
    this.offsets = offsets;
    this.postings = postings;
  }

  /**
   * Builds the index over the first {@code size} hashes of {@code words} (taken over, not copied).
   */
  static MihIndex build(long[] words, int size) {
    if (size < 0 || (long) size * 4 > words.length) {
      throw new IllegalArgumentException("size " + size + " does not fit " + words.length + " words");
    }
    // about one entry per bucket for small sets, 16 bits (the substring width) at most
    int bits = Math.max(4, Math.min(16, 32 - Integer.numberOfLeadingZeros(Math.max(1, size))));
    int buckets = 1 << bits;
    int m = buckets - 1;
    int[][] offsets = new int[TABLES][buckets + 1];
    for (int i = 0; i < size; i++) {
      for (int w = 0; w < 4; w++) {
        long word = words[4 * i + w];
        for (int s = 0; s < 4; s++) {
          offsets[w * 4 + s][(((int) (word >>> (16 * s))) & m) + 1]++;
        }
      }
    }
    int[][] postings = new int[TABLES][];
    int[][] cursor = new int[TABLES][];
    for (int t = 0; t < TABLES; t++) {
      int[] o = offsets[t];
      for (int b = 0; b < buckets; b++) {
        o[b + 1] += o[b];
      }
      postings[t] = new int[size];
      cursor[t] = java.util.Arrays.copyOf(o, buckets);
    }
    for (int i = 0; i < size; i++) {
      for (int w = 0; w < 4; w++) {
        long word = words[4 * i + w];
        for (int s = 0; s < 4; s++) {
          int t = w * 4 + s;
          postings[t][cursor[t][((int) (word >>> (16 * s))) & m]++] = i;
        }
      }
    }
    return new MihIndex(words, size, bits, offsets, postings);
  }

  int size() {
    return size;
  }

  long word(int ordinal, int k) {
    return words[4 * ordinal + k];
  }

  /** The hash words array (owned by the index; read only). */
  long[] words() {
    return words;
  }

  /** Heap bytes held by the index's arrays, headers included (approximately 16 bytes each). */
  long heapBytes() {
    long b = 16L + 8L * words.length;
    for (int t = 0; t < TABLES; t++) {
      b += 16L + 4L * offsets[t].length + 16L + 4L * postings[t].length;
    }
    return b + 2 * (16L + 8L * TABLES) + 48;
  }

  /**
   * The ordinal of an entry equal to the query, or -1.
   */
  int find(long q0, long q1, long q2, long q3) {
    if (size == 0) {
      return -1;
    }
    int key = ((int) q0) & mask;
    int[] o = offsets[0];
    int[] p = postings[0];
    for (int j = o[key], end = o[key + 1]; j < end; j++) {
      int id = p[j];
      int base = 4 * id;
      if (words[base] == q0 && words[base + 1] == q1 && words[base + 2] == q2 && words[base + 3] == q3) {
        return id;
      }
    }
    return -1;
  }

  /**
   * Reports every entry within {@code radius} (inclusive) of the query, each exactly once, in no
   * particular order.
   */
  void search(long q0, long q1, long q2, long q3, int radius, Hits hits) {
    if (size == 0 || radius < 0) {
      return;
    }
    if (radius >= SCAN_FROM_RADIUS) {
      scan(words, size, q0, q1, q2, q3, radius, hits);
      return;
    }
    int q = radius >>> 4;
    long[] query = {q0, q1, q2, q3};
    int[] probe = new int[1 + 16 + 120];
    for (int t = 0; t < TABLES; t++) {
      int sub = substring(query, t);
      int probes = probes(sub, q, probe);
      int[] o = offsets[t];
      int[] p = postings[t];
      for (int pi = 0; pi < probes; pi++) {
        int bucket = probe[pi];
        for (int j = o[bucket], end = o[bucket + 1]; j < end; j++) {
          int id = p[j];
          int base = 4 * id;
          long h0 = words[base];
          long h1 = words[base + 1];
          int d = Long.bitCount(h0 ^ q0) + Long.bitCount(h1 ^ q1);
          if (d > radius) {
            continue;
          }
          long h2 = words[base + 2];
          long h3 = words[base + 3];
          d += Long.bitCount(h2 ^ q2) + Long.bitCount(h3 ^ q3);
          if (d > radius) {
            continue;
          }
          // the substring of this table must really be within q (folded buckets hold more), and
          // no earlier table may qualify, or the entry is reported there
          if (firstQualifyingTable(h0 ^ q0, h1 ^ q1, h2 ^ q2, h3 ^ q3, q) == t) {
            hits.hit(id, d);
          }
        }
      }
    }
  }

  private static int firstQualifyingTable(long x0, long x1, long x2, long x3, int q) {
    for (int t = 0; t < TABLES; t++) {
      long x = t < 4 ? x0 : t < 8 ? x1 : t < 12 ? x2 : x3;
      if (Long.bitCount((x >>> (16 * (t & 3))) & 0xFFFFL) <= q) {
        return t;
      }
    }
    return -1;
  }

  private static int substring(long[] query, int t) {
    return (int) ((query[t >>> 2] >>> (16 * (t & 3))) & 0xFFFFL);
  }

  /** Fills {@code out} with the distinct buckets of every 16-bit key within {@code q} of {@code sub}. */
  private int probes(int sub, int q, int[] out) {
    int n = 0;
    out[n++] = sub & mask;
    if (q >= 1) {
      for (int a = 0; a < bucketBits; a++) {
        out[n++] = (sub ^ (1 << a)) & mask;
      }
    }
    if (q >= 2) {
      for (int a = 0; a < bucketBits; a++) {
        for (int b = a + 1; b < bucketBits; b++) {
          out[n++] = (sub ^ (1 << a) ^ (1 << b)) & mask;
        }
      }
    }
    // flips of bits above bucketBits fold onto buckets already listed
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
