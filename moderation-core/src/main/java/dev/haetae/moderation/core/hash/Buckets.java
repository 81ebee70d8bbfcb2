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
  /** Bits per posting interleaved after each block's unary code (0 for table 0). */
  private final int width;
  private final long[][] vector;
  /** {@code samples.get(b)}: the start of bucket {@code 64 * b}; one more sample holds {@code n}. */
  private final Packed samples;

  /**
   * From bucket starts, with no postings.
   *
   * @param start {@code start[k]} is the first position of bucket {@code k}, non-decreasing,
   *     {@code start[2^bits] == n}
   */
  Buckets(int[] start, int bits, int n) {
    this(start, bits, n, null, 0);
  }

  /**
   * From bucket starts, with each position's posting of {@code width} bits interleaved after its
   * block's unary code.
   *
   * @param start as above
   * @param postings {@code postings[i]} is position {@code i}'s value (below {@code 2^width}), or
   *     null when {@code width} is 0
   */
  Buckets(int[] start, int bits, int n, int[] postings, int width) {
    this.bits = bits;
    this.n = n;
    this.width = width;
    int buckets = 1 << bits;
    int blocks = (buckets + 63) >>> 6;
    samples = new Packed(blocks + 1, Math.max(1, Packed.bitsFor(n)));
    for (int b = 0; b < blocks; b++) {
      samples.set(b, start[b << 6]);
    }
    samples.set(blocks, n);
    vector = allocate(streamBits(n, bits, width));
    Appender a = new Appender(vector);
    for (int b = 0; b < blocks; b++) {
      int k0 = b << 6;
      int k1 = Math.min(buckets, k0 + 64);
      for (int k = k0; k < k1; k++) {
        a.ones(start[k + 1] - start[k]);
        a.append(0, 1);
      }
      for (int i = start[k0]; i < start[k1] && width > 0; i++) {
        a.append(postings[i], width);
      }
    }
    a.finish();
  }

  /** Bits of the stream: a 1 per entry, a 0 per bucket, a posting per entry. */
  private static long streamBits(int n, int bits, int width) {
    return (long) n * (1 + width) + (1L << bits);
  }

  /**
   * Pages for a stream of {@code total} bits and two spare words (a window may load past the last
   * bit), filled with ones (the spare bits stay ones, as the snapshot format has them).
   */
  private static long[][] allocate(long total) {
    long words = ((total + 63) >>> 6) + 2;
    int pages = (int) ((words + PAGE - 1) >>> PAGE_BITS);
    long[][] v = new long[pages][];
    long left = words;
    for (int p = 0; p < pages; p++) {
      v[p] = new long[(int) Math.min(PAGE, left)];
      java.util.Arrays.fill(v[p], -1L);
      left -= PAGE;
    }
    return v;
  }

  /** Writes a bit stream into pages, low bits first; the bits past the last one keep their value. */
  private static final class Appender {
    private final long[][] pages;
    private long word;
    private long acc;
    private int fill;

    Appender(long[][] pages) {
      this.pages = pages;
    }

    void append(long v, int len) {
      if (len == 0) {
        return;
      }
      v &= len == 64 ? -1L : (1L << len) - 1;
      acc |= v << fill;
      fill += len;
      if (fill >= 64) {
        flush(acc);
        fill -= 64;
        acc = fill == 0 ? 0 : v >>> (len - fill);
      }
    }

    void ones(int count) {
      for (; count >= 64; count -= 64) {
        append(-1L, 64);
      }
      append(-1L, count);
    }

    private void flush(long w) {
      pages[(int) (word >>> PAGE_BITS)][(int) (word & PAGE_MASK)] = w;
      word++;
    }

    /** Writes the last partial word, its unused bits set. */
    void finish() {
      if (fill > 0) {
        flush(acc | -1L << fill);
        fill = 0;
      }
    }
  }

  /** The bit where block {@code b}'s unary code starts, given its sampled start {@code base}. */
  private long blockBit(int b, long base) {
    return ((long) b << 6) + base * (1 + width);
  }

  /** Buckets in block {@code b} (64 but in a table of fewer than 64 buckets). */
  private int bucketsIn(int b) {
    return Math.min(64, (1 << bits) - (b << 6));
  }

  /** The width of the interleaved postings (0: none). */
  int width() {
    return width;
  }

  /** The {@link #width}-bit posting at bit {@code at} of the stream (see {@link #ranges}). */
  long posting(long at) {
    return window(at) & ((1L << width) - 1);
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

  /**
   * The bit of the stream where position {@code i}'s posting is ({@link #posting}); {@code i}
   * lies in block {@code block}, whose sampled start is {@code base} and whose successor's is
   * {@code next}.
   */
  private long postingBit(int block, long base, long next, long i) {
    return blockBit(block, base) + bucketsIn(block) + (next - base) + (i - base) * width;
  }

  /** The bit of the stream where position {@code i}'s posting is, {@code i} in bucket {@code k}. */
  long postingBit(int k, int i) {
    int block = k >>> 6;
    return postingBit(block, samples.get(block), samples.get(block + 1), i);
  }

  /** Words of the vector gathered per bucket by {@link #ranges}: enough for nearly every bucket. */
  private static final int GATHER = 4;

  /**
   * {@link #range} of {@code n} buckets into {@code out}, in three passes whose loads are
   * independent, so that the processor overlaps their cache misses: every block's sampled start;
   * the {@value #GATHER} vector words from each bucket's block start on (no branch depends on
   * them); then the walks over those gathered words, which find nearly every bucket there (a bucket
   * that ends beyond them is walked in the vector itself).
   */
  void ranges(int[] keys, int n, long[] out) {
    ranges(keys, n, out, new long[GATHER * n]);
  }

  /** {@link #ranges(int[], int, long[])} with a scratch array of at least {@code GATHER * n}. */
  void ranges(int[] keys, int n, long[] out, long[] gathered) {
    ranges(keys, n, out, gathered, null);
  }

  /**
   * {@link #ranges(int[], int, long[], long[])}, and when {@code postingAt} is not null, the bit of
   * the stream where each range's first posting lies into it ({@link #posting}; the others follow,
   * {@link #width} bits apart).
   */
  void ranges(int[] keys, int n, long[] out, long[] gathered, long[] postingAt) {
    if (postingAt != null) {
      for (int i = 0; i < n; i++) {
        int block = keys[i] >>> 6;
        out[i] = samples.get(block);
        postingAt[i] = samples.get(block + 1);
      }
    } else {
      for (int i = 0; i < n; i++) {
        out[i] = samples.get(keys[i] >>> 6);
      }
    }
    long limit = (long) vectorWords() - GATHER;
    if (limit < 0) {
      for (int i = 0; i < n; i++) {
        long base = out[i];
        out[i] = range(keys[i], base);
        if (postingAt != null) {
          postingAt[i] = postingBit(keys[i] >>> 6, base, postingAt[i], out[i] >>> 32);
        }
      }
      return;
    }
    for (int i = 0, g = 0; i < n; i++, g += GATHER) {
      long wi = Math.min(limit, blockBit(keys[i] >>> 6, out[i]) >>> 6);
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
    for (int i = 0, g = 0; i < n; i++, g += GATHER) {
      long base = out[i];
      long r = rangeIn(gathered, g, keys[i], base, limit);
      out[i] = r >= 0 ? r : range(keys[i], base);
      if (postingAt != null) {
        postingAt[i] = postingBit(keys[i] >>> 6, base, postingAt[i], out[i] >>> 32);
      }
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
    long p = blockBit(block, base);
    long wi = Math.min(limit, p >>> 6);
    int q = (int) (p - (wi << 6)); // bit offset within the gathered words
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
    long p = blockBit(block, base);
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
    long blockPos = blockBit(lo, base);
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

  /** Visits every position in order with its bucket; only without postings. */
  void forEach(Visitor v) {
    if (width != 0) {
      throw new IllegalStateException("a walk over interleaved postings");
    }
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

  private Buckets(int bits, int n, int width, long[][] vector, Packed samples) {
    this.bits = bits;
    this.n = n;
    this.width = width;
    this.vector = vector;
    this.samples = samples;
  }

  /**
   * Writes the bucket bits, the size, the unary vector's pages and the samples, for {@link #read};
   * interleaved postings are left out (the snapshot holds them apart: {@link #postings}).
   */
  void write(SnapshotIo.Out out) throws java.io.IOException {
    out.writeInt(bits);
    out.writeInt(n);
    for (long[] p : width == 0 ? vector : interleave(this, null, 0)) {
      out.writeLongs(p, 0, p.length);
    }
    samples.write(out);
  }

  /** The interleaved postings, in position order (empty without postings). */
  Packed postings() {
    Packed p = new Packed(n, width);
    if (width == 0) {
      return p;
    }
    int blocks = samples.size() - 1;
    for (int b = 0; b < blocks; b++) {
      long base = samples.get(b);
      long next = samples.get(b + 1);
      long at = postingBit(b, base, next, base);
      for (long i = base; i < next; i++, at += width) {
        p.set((int) i, posting(at));
      }
    }
    return p;
  }

  /**
   * These buckets with {@code postings} of {@code width} bits interleaved; without postings
   * ({@code width} 0), the unary vector alone. The stream is rebuilt block by block from this
   * one's unary codes.
   */
  Buckets withPostings(Packed postings, int width) {
    return new Buckets(bits, n, width, interleave(this, postings, width), samples);
  }

  /** The stream of {@code from}'s unary codes with {@code postings} of {@code width} bits after each block. */
  private static long[][] interleave(Buckets from, Packed postings, int width) {
    long[][] v = allocate(streamBits(from.n, from.bits, width));
    Appender a = new Appender(v);
    int blocks = from.samples.size() - 1;
    for (int b = 0; b < blocks; b++) {
      long base = from.samples.get(b);
      long next = from.samples.get(b + 1);
      long at = from.blockBit(b, base);
      for (long len = from.bucketsIn(b) + (next - base); len > 0; len -= 64, at += 64) {
        a.append(from.window(at), (int) Math.min(64, len));
      }
      for (long i = base; i < next && width > 0; i++) {
        a.append(postings.get((int) i), width);
      }
    }
    a.finish();
    return v;
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
    Buckets read = new Buckets(bits, n, 0, vector, samples);
    // each block's unary code holds its sampled entries, so that the interleaved postings of
    // withPostings land where a search looks for them
    if (samples.get(0) != 0) {
      throw in.corrupt(what + ": sample 0 is " + samples.get(0));
    }
    for (int b = 0; b < blocks; b++) {
      long base = samples.get(b);
      long at = read.blockBit(b, base);
      long last = at + read.bucketsIn(b) + (samples.get(b + 1) - base) - 1;
      long zeros = 0;
      for (long len = last + 1 - at; len > 0; len -= 64, at += 64) {
        long w = read.window(at);
        zeros += Long.bitCount(len >= 64 ? ~w : ~w & ((1L << len) - 1));
      }
      // as many zeros as buckets, the last bit one of them: exactly the block's unary code
      if (zeros != read.bucketsIn(b) || (read.window(last) & 1) != 0) {
        throw in.corrupt(what + ": block " + b + " does not hold its sampled entries");
      }
    }
    return read;
  }
}
