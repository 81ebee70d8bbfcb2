package dev.haetae.moderation.core.hash;

/**
 * A fixed-length array of unsigned integers of {@code width} bits each (0 to 64), bit-packed into
 * pages of {@value #PAGE} values.
 *
 * <p>Pages rather than one array: every page is at most 256 KiB, below half of the smallest G1
 * region (1 MiB), so the collector never allocates it as a humongous object, whose unused region
 * tail would otherwise cost up to a region per array (a 4 MiB region at a 6 GiB heap). Each page
 * has one spare word so that a read may always load two words.
 *
 * <p>Not synchronised. {@link #set} rewrites one 64-bit word; a value of a width that divides 32
 * never straddles a 32-bit half, so a reader racing a writer sees either the old or the new value
 * of that entry (the index's state bits rely on this; see {@code PdqStore}).
 */
final class Packed {
  static final int PAGE_BITS = 15;
  static final int PAGE = 1 << PAGE_BITS;
  private static final int PAGE_MASK = PAGE - 1;

  private final long[][] pages;
  private final int width;
  private final long mask;
  private final int size;

  Packed(int size, int width) {
    if (size < 0 || width < 0 || width > 64) {
      throw new IllegalArgumentException("size " + size + ", width " + width);
    }
    this.size = size;
    this.width = width;
    this.mask = width == 64 ? -1L : (1L << width) - 1;
    if (width == 0 || size == 0) {
      pages = new long[0][];
      return;
    }
    int n = (size + PAGE - 1) >>> PAGE_BITS;
    pages = new long[n][];
    for (int p = 0; p < n; p++) {
      int values = Math.min(PAGE, size - (p << PAGE_BITS));
      pages[p] = new long[(int) (((long) values * width + 63) >>> 6) + 1];
    }
  }

  /** The number of bits needed to hold every value in {@code [0, max]} (0 for max 0). */
  static int bitsFor(long max) {
    return 64 - Long.numberOfLeadingZeros(max);
  }

  int size() {
    return size;
  }

  int width() {
    return width;
  }

  /** Value {@code i}. */
  long get(int i) {
    if (width == 0) {
      return 0;
    }
    long[] p = pages[i >>> PAGE_BITS];
    long bit = (long) (i & PAGE_MASK) * width;
    int w = (int) (bit >>> 6);
    int sh = (int) bit & 63;
    // the second word's bits land above the first word's (64 - sh); shifting in two steps keeps
    // a shift of 64 (sh == 0) from wrapping around
    return ((p[w] >>> sh) | ((p[w + 1] << 1) << (63 - sh))) & mask;
  }

  /** Sets value {@code i} to {@code v} (its low {@code width} bits). */
  void set(int i, long v) {
    if (width == 0) {
      return;
    }
    v &= mask;
    long[] p = pages[i >>> PAGE_BITS];
    long bit = (long) (i & PAGE_MASK) * width;
    int w = (int) (bit >>> 6);
    int sh = (int) bit & 63;
    p[w] = (p[w] & ~(mask << sh)) | (v << sh);
    if (sh + width > 64) {
      int hi = 64 - sh;
      p[w + 1] = (p[w + 1] & ~(mask >>> hi)) | (v >>> hi);
    }
  }

  /** Sets values {@code 0 .. n-1} from {@code values}, packing each page sequentially. */
  void setAll(int[] values, int n) {
    if (width == 0) {
      return;
    }
    for (int p = 0, i = 0; i < n; p++) {
      long[] page = pages[p];
      int end = Math.min(n, (p + 1) << PAGE_BITS);
      long acc = 0;
      int fill = 0;
      int w = 0;
      for (; i < end; i++) {
        long v = values[i] & mask;
        acc |= v << fill;
        fill += width;
        if (fill >= 64) {
          page[w++] = acc;
          fill -= 64;
          acc = fill == 0 ? 0 : v >>> (width - fill);
        }
      }
      if (fill > 0) {
        page[w] = acc;
      }
    }
  }

  /** Heap bytes of the pages, headers included. */
  long heapBytes() {
    long b = 16L + 4L * pages.length;
    for (long[] p : pages) {
      b += 16L + 8L * p.length;
    }
    return b;
  }

  // ---------------------------------------------------------------- snapshots

  /** Writes the size, the width and the pages, for {@link #read}. */
  void write(SnapshotIo.Out out) throws java.io.IOException {
    out.writeInt(size);
    out.writeInt(width);
    for (long[] p : pages) {
      out.writeLongs(p, 0, p.length);
    }
  }

  /**
   * Reads what {@link #write} wrote, checking the declared size and width (and that their pages
   * fit the rest of the file) before allocating.
   */
  static Packed read(SnapshotIo.In in, String what) throws java.io.IOException {
    int size = in.readInt();
    int width = in.readInt();
    if (size < 0 || width < 0 || width > 64) {
      throw in.corrupt(what + ": size " + size + ", width " + width);
    }
    long words = 0;
    if (width != 0 && size != 0) {
      for (long at = 0; at < size; at += PAGE) {
        words += ((Math.min(PAGE, size - at) * width + 63) >>> 6) + 1;
      }
    }
    if (8 * words > in.left()) {
      throw in.corrupt(what + ": " + size + " values of " + width + " bits do not fit the " + in.left()
          + " bytes left");
    }
    Packed p = new Packed(size, width);
    for (long[] page : p.pages) {
      in.readLongs(page, 0, page.length);
    }
    return p;
  }
}
