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
    int pages = (int) ((words + 1 + PAGE - 1) >>> PAGE_BITS);
    vector = new long[pages][];
    long left = words + 1; // one spare word: walks may load one word past the last bit
    for (int p = 0; p < pages; p++) {
      vector[p] = new long[(int) Math.min(PAGE, left)];
      java.util.Arrays.fill(vector[p], -1L);
      left -= PAGE;
    }
    // all ones, then a zero after each bucket's ones: bucket k ends at bit start[k + 1] + k
    for (int k = 0; k < buckets; k++) {
      long z = (long) start[k + 1] + k;
      vector[(int) (z >>> 6 >>> PAGE_BITS)][(int) ((z >>> 6) & PAGE_MASK)] &= ~(1L << (z & 63));
    }
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

  /**
   * The positions of bucket {@code k}: {@code (start << 32) | end}, end exclusive.
   */
  long range(int k) {
    int block = k >>> 6;
    int skip = k & 63;
    long base = samples.get(block);
    long blockPos = base + ((long) block << 6);
    long p = blockPos;
    // skip `skip` zero bits: p ends just after the last one skipped
    while (skip > 0) {
      int sh = (int) (p & 63);
      long z = ~word(p >>> 6) >>> sh; // the zeros from p on, as ones
      int cz = Long.bitCount(z);
      if (cz >= skip) {
        p += select(z, skip - 1) + 1;
        break;
      }
      skip -= cz;
      p += 64 - sh;
    }
    long start = base + (p - blockPos) - (k & 63);
    // count the ones from p
    long end = start;
    while (true) {
      int sh = (int) (p & 63);
      int run = Long.numberOfTrailingZeros(~(word(p >>> 6) >>> sh));
      if (run < 64 - sh) {
        end += run;
        break;
      }
      end += 64 - sh;
      p += 64 - sh;
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

  /** The position of the {@code r}-th (0-based) one bit of {@code x}, which has more than r. */
  static int select(long x, int r) {
    int off = 0;
    int c = Long.bitCount(x & 0xFFFFFFFFL);
    if (r >= c) {
      r -= c;
      x >>>= 32;
      off = 32;
    }
    c = Integer.bitCount((int) x & 0xFFFF);
    if (r >= c) {
      r -= c;
      x >>>= 16;
      off += 16;
    }
    c = Integer.bitCount((int) x & 0xFF);
    if (r >= c) {
      r -= c;
      x >>>= 8;
      off += 8;
    }
    int b = (int) x & 0xFF;
    for (; r > 0; r--) {
      b &= b - 1;
    }
    return off + Integer.numberOfTrailingZeros(b);
  }

  /** Heap bytes, headers included. */
  long heapBytes() {
    long b = 32L + 16L + 4L * vector.length + samples.heapBytes();
    for (long[] p : vector) {
      b += 16L + 8L * p.length;
    }
    return b;
  }
}
