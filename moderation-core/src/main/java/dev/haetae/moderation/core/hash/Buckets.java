package dev.haetae.moderation.core.hash;

/**
 * The bucket boundaries of one index table: which contiguous range of positions holds each of the
 * {@code 2^bits} buckets, in about {@code n + 1.4 * 2^bits} bits instead of an {@code int} per
 * bucket.
 *
 * <p>A unary bit vector: bucket {@code k} is written as one 1 bit per entry followed by a 0 bit,
 * buckets in order, so the vector has {@code n + 2^bits} bits. Every 64th bucket's start position
 * is sampled ({@link Packed}, {@code bitsFor(n)} bits each). Bucket {@code k} starts at bit
 * {@code start(64 * (k / 64)) + 64 * (k / 64)}, and its range is found by skipping {@code k % 64}
 * zero bits from there and counting the one bits that follow: on average about two words.
 * {@link #bucketOf} is the inverse (which bucket holds position {@code i}): a binary search over the
 * samples, then the same walk.
 *
 * <p>The vector is kept in pages of {@value #PAGE} words (see {@link Packed} on why pages).
 * Immutable after construction.
 */
final class Buckets {
  private static final int PAGE_BITS = 15;
  private static final int PAGE = 1 << PAGE_BITS;
  private static final int PAGE_MASK = PAGE - 1;

  private final int bits;
  private final int n;
  private final long[][] vector;
  /** {@code samples.get(b)}: the start of bucket {@code 64 * b}; one more sample holds {@code n}. */
  private final Packed samples;

  /**
   * From bucket starts.
   *
   * @param start {@code start[k]} is the first position of bucket {@code k}, non-decreasing,
   *     {@code start[2^bits] == n}
   */
  Buckets(int[] start, int bits, int n) {
    this.bits = bits;
    this.n = n;
    int buckets = 1 << bits;
    long total = (long) n + buckets;
    long words = (total + 63) >>> 6;
    int pages = (int) ((words + 2 + PAGE - 1) >>> PAGE_BITS);
    vector = new long[pages][];
    long left = words + 2; // two spare words: a window may load past the last bit
    for (int p = 0; p < pages; p++) {
      vector[p] = new long[(int) Math.min(PAGE, left)];
      java.util.Arrays.fill(vector[p], -1L);
      left -= PAGE;
    }
    // all ones, then a zero after each bucket's ones: bucket k ends at bit start[k + 1] + k;
    // written a word at a time (the zeros come in increasing order)
    long word = 0;
    long acc = -1L;
    for (int k = 0; k < buckets; k++) {
      long z = (long) start[k + 1] + k;
      long wz = z >>> 6;
      if (wz != word) {
        vector[(int) (word >>> PAGE_BITS)][(int) (word & PAGE_MASK)] = acc;
        word = wz;
        acc = -1L;
      }
      acc &= ~(1L << (z & 63));
    }
    vector[(int) (word >>> PAGE_BITS)][(int) (word & PAGE_MASK)] = acc;
    int blocks = (buckets + 63) >>> 6;
    samples = new Packed(blocks + 1, Math.max(1, Packed.bitsFor(n)));
    for (int b = 0; b < blocks; b++) {
      samples.set(b, start[b << 6]);
    }
    samples.set(blocks, n);
  }

  int bits() {
    return bits;
  }

  private long word(long i) {
    return vector[(int) (i >>> PAGE_BITS)][(int) (i & PAGE_MASK)];
  }

  /** The 64 bits of the vector from bit {@code p} on (bit 0 of the result is bit p). */
  private long window(long p) {
    long wi = p >>> 6;
    int sh = (int) p & 63;
    // the second word's bits land above the first's; two shifts keep sh == 0 from wrapping
    return word(wi) >>> sh | (word(wi + 1) << 1) << (63 - sh);
  }

  /**
   * The positions of bucket {@code k}: {@code (start << 32) | end}, end exclusive.
   */
  long range(int k) {
    return range(k, samples.get(k >>> 6));
  }

  /** Words of the vector gathered per bucket by {@link #ranges}: enough for nearly every bucket. */
  private static final int GATHER = 4;

  /**
   * {@link #range} of {@code n} buckets into {@code out}, in three passes whose loads are
   * independent, so that the processor overlaps their cache misses: every block's sampled start;
   * the {@value #GATHER} vector words from each bucket's block start on (no branch depends on
   * them); then the walks over those gathered words, which find nearly every bucket there (a bucket
   * that ends beyond them is walked in the vector itself). Consecutive keys in the same block of 64
   * buckets share that block's sampled start and gathered words, loaded once: callers list the keys
   * block by block ({@code MihIndex.probeList}).
   */
  void ranges(int[] keys, int n, long[] out) {
    ranges(keys, n, out, new long[GATHER * n]);
  }

  /** {@link #ranges(int[], int, long[])} with a scratch array of at least {@code GATHER * n}. */
  void ranges(int[] keys, int n, long[] out, long[] gathered) {
    long start = 0;
    for (int i = 0, block = -1; i < n; i++) {
      int b = keys[i] >>> 6;
      if (b != block) {
        block = b;
        start = samples.get(b);
      }
      out[i] = start;
    }
    long limit = (long) vectorWords() - GATHER;
    if (limit < 0) {
      for (int i = 0; i < n; i++) {
        out[i] = range(keys[i], out[i]);
      }
      return;
    }
    // one slot of gathered words per run of keys in one block
    for (int i = 0, g = -GATHER, block = -1; i < n; i++) {
      int b = keys[i] >>> 6;
      if (b == block) {
        continue;
      }
      block = b;
      g += GATHER;
      long wi = Math.min(limit, (out[i] + ((long) b << 6)) >>> 6);
      long[] page = vector[(int) (wi >>> PAGE_BITS)];
      int o = (int) (wi & PAGE_MASK);
      if (o + GATHER <= page.length) {
        gathered[g] = page[o];
        gathered[g + 1] = page[o + 1];
        gathered[g + 2] = page[o + 2];
        gathered[g + 3] = page[o + 3];
      } else {
        for (int k = 0; k < GATHER; k++) {
          gathered[g + k] = word(wi + k);
        }
      }
    }
    for (int i = 0, g = -GATHER, block = -1; i < n; i++) {
      int k = keys[i];
      if (k >>> 6 != block) {
        block = k >>> 6;
        g += GATHER;
      }
      long base = out[i];
      long r = rangeIn(gathered, g, k, base, limit);
      out[i] = r >= 0 ? r : range(k, base);
    }
  }

  private int vectorWords() {
    return (vector.length - 1) * PAGE + vector[vector.length - 1].length;
  }

  /**
   * {@link #range(int, long)} over the {@value #GATHER} words gathered for bucket {@code k} (words
   * {@code wi..} of the vector, as {@link #ranges} chose {@code wi}), or -1 when the bucket does not
   * end within them.
   */
  private long rangeIn(long[] g, int at, int k, long base, long limit) {
    int block = k >>> 6;
    int j = k & 63;
    long p = base + ((long) block << 6);
    long wi = Math.min(limit, p >>> 6);
    int q = (int) (p - (wi << 6)); // bit offset within the gathered words
    if (q < 64) {
      // the block starts in the first gathered word (all but the vector's last words): the bucket's
      // zero lies in the first 128 bits from there in nearly every case, and its ones after that
      long a1 = g[at + 1];
      long z0 = ~(g[at] >>> q | (a1 << 1) << (63 - q));
      int c0 = Long.bitCount(z0);
      int after; // bits from q to just after the j-th zero
      if (j == 0) {
        after = 0;
      } else if (c0 >= j) {
        after = select(z0, j - 1) + 1;
      } else {
        long z1 = ~(a1 >>> q | (g[at + 2] << 1) << (63 - q));
        if (Long.bitCount(z1) < j - c0) {
          return rangeWalk(g, at, j, base, q);
        }
        after = 64 + select(z1, j - 1 - c0) + 1;
      }
      int r = q + after; // at most 191: its window lies within the four gathered words
      int wr = r >>> 6;
      int sh = r & 63;
      long run = Long.numberOfTrailingZeros(~(g[at + wr] >>> sh | (g[at + wr + 1] << 1) << (63 - sh)));
      if (run == 64) {
        return rangeWalk(g, at, j, base, q);
      }
      long start = base + after - j;
      return start << 32 | (start + run);
    }
    return rangeWalk(g, at, j, base, q);
  }

  /** {@link #rangeIn} by windows of 64 bits, for any {@code q}; -1 past the gathered words. */
  private static long rangeWalk(long[] g, int at, int j, long base, int q) {
    long ones = 0;
    int end = GATHER * 64 - 64; // a window must fit in the gathered words
    if (j > 0) {
      int left = j;
      while (true) {
        if (q > end) {
          return -1;
        }
        long z = ~gatheredWindow(g, at, q);
        int cz = Long.bitCount(z);
        if (cz >= left) {
          int sel = select(z, left - 1);
          ones += sel + 1 - left;
          q += sel + 1;
          break;
        }
        left -= cz;
        ones += 64 - cz;
        q += 64;
      }
    }
    long start = base + ones;
    long stop = start;
    while (true) {
      if (q > end) {
        return -1;
      }
      int run = Long.numberOfTrailingZeros(~gatheredWindow(g, at, q));
      stop += run;
      if (run < 64) {
        break;
      }
      q += 64;
    }
    return start << 32 | stop;
  }

  /** The 64 gathered bits from bit {@code q} on ({@code q <= GATHER * 64 - 64}). */
  private static long gatheredWindow(long[] g, int at, int q) {
    int wi = q >>> 6;
    int sh = q & 63;
    long lo = g[at + wi];
    long hi = wi + 1 < GATHER ? g[at + wi + 1] : 0;
    return lo >>> sh | (hi << 1) << (63 - sh);
  }

  private long range(int k, long base) {
    int block = k >>> 6;
    int j = k & 63;
    long p = base + ((long) block << 6);
    long ones = 0;
    if (j > 0) {
      // skip j zero bits, a window of 64 bits at a time: p ends just after the j-th zero
      int left = j;
      while (true) {
        long z = ~window(p);
        int cz = Long.bitCount(z);
        if (cz >= left) {
          int at = select(z, left - 1);
          ones += at + 1 - left;
          p += at + 1;
          break;
        }
        left -= cz;
        ones += 64 - cz;
        p += 64;
      }
    }
    long start = base + ones;
    // count the ones from p
    long end = start;
    while (true) {
      int run = Long.numberOfTrailingZeros(~window(p));
      end += run;
      if (run < 64) {
        break;
      }
      p += 64;
    }
    return start << 32 | end;
  }

  /** The bucket holding position {@code i} ({@code 0 <= i < n}). */
  int bucketOf(int i) {
    // the last block whose start is at most i
    int lo = 0;
    int hi = samples.size() - 2;
    while (lo < hi) {
      int mid = (lo + hi + 1) >>> 1;
      if (samples.get(mid) <= i) {
        lo = mid;
      } else {
        hi = mid - 1;
      }
    }
    long base = samples.get(lo);
    long blockPos = base + ((long) lo << 6);
    // find the (i - base)-th one (0-based) from blockPos; the zeros before it are the buckets passed
    long skip = i - base;
    long p = blockPos;
    while (true) {
      int sh = (int) (p & 63);
      long o = word(p >>> 6) >>> sh;
      if (sh > 0) {
        o &= -1L >>> sh;
      }
      int co = Long.bitCount(o);
      if (co > skip) {
        p += select(o, (int) skip);
        break;
      }
      skip -= co;
      p += 64 - sh;
    }
    long zeros = (p - blockPos) - (i - base);
    return (int) (((long) lo << 6) + zeros);
  }

  /** Visits every position in order with its bucket. */
  void forEach(Visitor v) {
    long p = 0;
    int bucket = 0;
    int pos = 0;
    long total = (long) n + (1L << bits);
    while (p < total) {
      int sh = (int) (p & 63);
      long w = word(p >>> 6) >>> sh;
      int avail = 64 - sh;
      int run = Long.numberOfTrailingZeros(~w);
      if (run >= avail) {
        run = avail;
      }
      for (int r = 0; r < run; r++) {
        v.visit(pos++, bucket);
      }
      p += run;
      if (run < avail) {
        // a zero: the next bucket; skip a run of zeros at once
        int zeros = Long.numberOfTrailingZeros(w >>> run);
        if (zeros > avail - run) {
          zeros = avail - run;
        }
        bucket += zeros;
        p += zeros;
      }
    }
  }

  /** Receives positions with their bucket. */
  interface Visitor {
    void visit(int position, int bucket);
  }

  /** {@code SELECT8[b * 8 + r]}: the position of the r-th one bit of byte b. */
  private static final byte[] SELECT8 = new byte[256 * 8];

  static {
    for (int b = 0; b < 256; b++) {
      for (int r = 0, bit = 0; bit < 8; bit++) {
        if ((b >>> bit & 1) != 0) {
          SELECT8[b * 8 + r++] = (byte) bit;
        }
      }
    }
  }

  /** The position of the {@code r}-th (0-based) one bit of {@code x}, which has more than r. */
  static int select(long x, int r) {
    // halve branch-free: m is -1 when the bit lies in the upper half
    int c = Long.bitCount(x & 0xFFFFFFFFL);
    int m = (c - r - 1) >> 31;
    int off = 32 & m;
    r -= c & m;
    long y = x >>> off;
    c = Integer.bitCount((int) y & 0xFFFF);
    m = (c - r - 1) >> 31;
    off += 16 & m;
    r -= c & m;
    y = x >>> off;
    c = Integer.bitCount((int) y & 0xFF);
    m = (c - r - 1) >> 31;
    off += 8 & m;
    r -= c & m;
    return off + SELECT8[((int) (x >>> off) & 0xFF) << 3 | r];
  }

  /** Heap bytes, headers included. */
  long heapBytes() {
    long b = 32L + 16L + 4L * vector.length + samples.heapBytes();
    for (long[] p : vector) {
      b += 16L + 8L * p.length;
    }
    return b;
  }

  // ---------------------------------------------------------------- snapshots

  private Buckets(int bits, int n, long[][] vector, Packed samples) {
    this.bits = bits;
    this.n = n;
    this.vector = vector;
    this.samples = samples;
  }

  /** Writes the bucket bits, the size, the vector's pages and the samples, for {@link #read}. */
  void write(SnapshotIo.Out out) throws java.io.IOException {
    out.writeInt(bits);
    out.writeInt(n);
    for (long[] p : vector) {
      out.writeLongs(p, 0, p.length);
    }
    samples.write(out);
  }

  /**
   * Reads what {@link #write} wrote, for a table of {@code expectedBits} bucket bits over
   * {@code expectedN} entries: the layout is derived from those two, so only the values are read.
   * The sampled starts are checked to be non-decreasing and within the entries.
   */
  static Buckets read(SnapshotIo.In in, int expectedBits, int expectedN, String what) throws java.io.IOException {
    int bits = in.readInt();
    int n = in.readInt();
    if (bits != expectedBits || n != expectedN) {
      throw in.corrupt(what + ": " + bits + " bucket bits over " + n + " entries, expected " + expectedBits
          + " over " + expectedN);
    }
    long words = (((long) n + (1L << bits)) + 63 >>> 6) + 2;
    if (8 * words > in.left()) {
      throw in.corrupt(what + ": the bucket vector does not fit the " + in.left() + " bytes left");
    }
    int pages = (int) ((words + PAGE - 1) >>> PAGE_BITS);
    long[][] vector = new long[pages][];
    long left = words;
    for (int p = 0; p < pages; p++) {
      vector[p] = new long[(int) Math.min(PAGE, left)];
      in.readLongs(vector[p], 0, vector[p].length);
      left -= PAGE;
    }
    Packed samples = Packed.read(in, what + " samples");
    int blocks = ((1 << bits) + 63) >>> 6;
    if (samples.size() != blocks + 1 || samples.get(blocks) != n) {
      throw in.corrupt(what + ": " + samples.size() + " samples, expected " + (blocks + 1) + " ending at " + n);
    }
    long previous = 0;
    for (int b = 0; b <= blocks; b++) {
      long s = samples.get(b);
      if (s < previous || s > n) {
        throw in.corrupt(what + ": sample " + b + " is " + s);
      }
      previous = s;
    }
    // the vector holds exactly n ones (one per entry) and 2^bits zeros in its first n + 2^bits bits
    long ones = 0;
    long total = (long) n + (1L << bits);
    for (long w = 0; w < (total >>> 6); w++) {
      ones += Long.bitCount(vector[(int) (w >>> PAGE_BITS)][(int) (w & PAGE_MASK)]);
    }
    if ((total & 63) != 0) {
      long w = total >>> 6;
      ones += Long.bitCount(vector[(int) (w >>> PAGE_BITS)][(int) (w & PAGE_MASK)] & ((1L << (total & 63)) - 1));
    }
    if (ones != n) {
      throw in.corrupt(what + ": the bucket vector holds " + ones + " entries, expected " + n);
    }
    // each block's unary code holds exactly its sampled entries (else a range could point past the
    // entries): as many zeros as buckets, the last bit one of them
    if (samples.get(0) != 0) {
      throw in.corrupt(what + ": sample 0 is " + samples.get(0));
    }
    Buckets read = new Buckets(bits, n, vector, samples);
    for (int b = 0; b < blocks; b++) {
      long base = samples.get(b);
      long at = base + ((long) b << 6);
      int buckets = Math.min(64, (1 << bits) - (b << 6));
      long last = at + buckets + (samples.get(b + 1) - base) - 1;
      long zeros = 0;
      for (long len = last + 1 - at; len > 0; len -= 64, at += 64) {
        long w = read.window(at);
        zeros += Long.bitCount(len >= 64 ? ~w : ~w & ((1L << len) - 1));
      }
      if (zeros != buckets || (read.window(last) & 1) != 0) {
        throw in.corrupt(what + ": block " + b + " does not hold its sampled entries");
      }
    }
    return read;
  }
}
