package dev.haetae.moderation.core.hash;

import dev.haetae.moderation.api.PdqHash;

/**
 * The PDQ algorithm on a luminance buffer, written from the published description (Meta's
 * "The TMK+PDQF video-hashing algorithm and the PDQ image similarity algorithm", 2019):
 *
 * <ol>
 *   <li>luminance Y = 0.299 R + 0.587 G + 0.114 B, in {@code float};
 *   <li>two passes of a Jarosz tent filter, each a box blur along rows then along columns, with a
 *       window of about width/128 (rows) and height/128 (columns);
 *   <li>decimation to 64 x 64 by sampling the blurred buffer at pixel centres;
 *   <li>a quality score from the sum of absolute neighbour differences of the 64 x 64 buffer;
 *   <li>the 16 x 16 low-frequency block (DC excluded) of the 2-D DCT of the 64 x 64 buffer, as
 *       D A D<sup>T</sup> with a 16 x 64 DCT-II matrix D;
 *   <li>bit i*16+j set when coefficient (i, j) is strictly above the median of the 256.
 * </ol>
 *
 * <p>Every operation is done in the order and the precision that make the result bit-exact with
 * the reference hasher (single-precision accumulation, integer window arithmetic); the tests
 * check this against the reference's own output. Stateless and thread-safe; each call allocates
 * its own scratch buffers.
 */
final class PdqCore {
  static final int DIM = 64;
  static final int COEFFS = 16;
  private static final float LUMA_R = 0.299f;
  private static final float LUMA_G = 0.587f;
  private static final float LUMA_B = 0.114f;
  private static final int BLUR_PASSES = 2;

  /**
   * D[i][k], row-major 16 x 64: sqrt(2/64) cos(pi/128 (i+1) (2k+1)), the scale factor held in
   * single precision and the product rounded to float. Which of these roundings is used changes
   * a few entries by one ulp; that never changes the hash of an image with content, but on a
   * perfectly flat image the coefficients are rounding residue and the hash is their pattern, so
   * the precision must be exactly the reference's.
   */
  private static final float[] DCT = new float[COEFFS * DIM];

  /** The transpose of {@link #DCT}: DCT_T[k][j] = D[j][k], row-major 64 x 16. */
  private static final float[] DCT_T = new float[DIM * COEFFS];

  static {
    float scale = (float) Math.sqrt(2.0 / DIM);
    for (int i = 0; i < COEFFS; i++) {
      for (int k = 0; k < DIM; k++) {
        DCT[i * DIM + k] = (float) (scale * Math.cos((Math.PI / 2 / DIM) * (i + 1) * (2 * k + 1)));
        DCT_T[k * COEFFS + i] = DCT[i * DIM + k];
      }
    }
  }

  private PdqCore() {}

  /** The output of one PDQ run: the hash, its quality and the 16 x 16 DCT block it came from. */
  static final class Result {
    final PdqHash hash;
    final int quality;
    /** The 16 x 16 coefficients, row-major; owned by this result, never modified. */
    final float[] dct;

    Result(PdqHash hash, int quality, float[] dct) {
      this.hash = hash;
      this.quality = quality;
      this.dct = dct;
    }
  }

  /**
   * Luminance of packed {@code 0xAARRGGBB} pixels (alpha ignored, as the reference does).
   *
   * @param rgb pixels, row-major; {@code count} of them from {@code offset}
   * @param luma destination, written from {@code lumaOffset}
   */
  static void luma(int[] rgb, int offset, int count, float[] luma, int lumaOffset) {
    for (int k = 0; k < count; k++) {
      int p = rgb[offset + k];
      int r = (p >> 16) & 0xff;
      int g = (p >> 8) & 0xff;
      int b = p & 0xff;
      luma[lumaOffset + k] = LUMA_R * r + LUMA_G * g + LUMA_B * b;
    }
  }

  /** Luminance of one (possibly fractional) colour, with the coefficients of {@link #luma}. */
  static float lumaOf(float r, float g, float b) {
    return LUMA_R * r + LUMA_G * g + LUMA_B * b;
  }

  /**
   * Hashes a luminance buffer. {@code luma} is used as scratch space and overwritten.
   *
   * @param luma width*height luminance values, row-major
   * @param width columns, at least 1
   * @param height rows, at least 1
   */
  static Result hashLuma(float[] luma, int width, int height) {
    return hashLuma(luma, width, height, 0);
  }

  /**
   * Hashes a luminance buffer with both blur windows widened by {@code extraWindow} (0 for PDQ as
   * published). {@code luma} is used as scratch space and overwritten.
   */
  static Result hashLuma(float[] luma, int width, int height, int extraWindow) {
    float[] scratch = new float[width * height];
    blur(luma, scratch, width, height, extraWindow);
    float[] small = decimate(luma, width, height);
    return hash64(small);
  }

  /**
   * Approximates the PDQ hash of a {@code fullWidth} x {@code fullHeight} image from its means over
   * {@code factor} x {@code factor} blocks ({@code width} x {@code height} of them, block (x, y)
   * covering full-size columns {@code factor*x} to {@code factor*x+factor-1}), without rebuilding
   * the full-size image: the 64 x 64 samples come from {@link #smoothedScaled64}, then are hashed
   * as {@link #hash64} does. {@code means} is overwritten.
   *
   * @param extraWindow added to both full-size windows, as in {@link #hashLuma(float[], int, int, int)}
   */
  static Result hashScaled(float[] means, int width, int height, int factor, int fullWidth,
      int fullHeight, int extraWindow) {
    return hash64(smoothedScaled64(means, width, height, factor, fullWidth, fullHeight, extraWindow));
  }

  /**
   * Approximates the PDQ hash of a {@code fullWidth} x {@code fullHeight} image from its 2 x 2
   * block means ({@code width} x {@code height} of them, the last column or row covering one pixel
   * when a side is odd) with {@link #exactScaled64} and its slopes, far closer to the full path
   * than {@link #hashScaled}'s smoothing (on the shared re-share corpus's originals, 0.15 against
   * 0.30 grey levels of mean difference in the 64 x 64 samples). Used for the half-scale JPEG
   * decode; the block-means variants of full-resolution frames keep {@link #hashScaled}, with
   * which their recall was measured. {@code means} is not modified.
   *
   * @param extraWindow added to both full-size windows, as in {@link #hashLuma(float[], int, int, int)}
   */
  static Result hashHalfScale(float[] means, int width, int height, int fullWidth, int fullHeight,
      int extraWindow) {
    return hash64(exactScaled64(means, width, height, 2, fullWidth, fullHeight, extraWindow, true));
  }

  /**
   * The 64 x 64 samples PDQ takes from the full-size image, computed from its block means. Each
   * sample of the full path is a fixed weighted sum of full-size pixels (two box passes per axis,
   * with the windows shrinking at the edges exactly as {@link #box} does, then the sample position
   * of {@link #decimate}); here those weights are carried over to the block means. Without
   * {@code tilt}, every block mean gets the sum of the weights of its block's pixels: exact (up to
   * float rounding) when the pixels are constant within each block. With {@code tilt}, the pixels
   * of a block are taken to follow the slope between its neighbours' means (one-sided at the ends),
   * which keeps the block's mean: exact when the image is bilinear (a + bx + cy + dxy), and on the
   * shared re-share corpus's originals it halves the mean difference from the full path's samples
   * (0.25 to 0.15 grey levels from the half-scale decoder's means). Both are linear filters of a
   * few taps per sample, separable: columns first (64 rows of weighted sums of whole rows of
   * means, which vectorises), then rows (64 values per such row).
   * {@code means} is not modified.
   */
  static float[] exactScaled64(float[] means, int width, int height, int factor, int fullWidth,
      int fullHeight, int extraWindow, boolean tilt) {
    int rowWindow = Math.min(fullWidth, window(fullWidth) + extraWindow);
    int colWindow = Math.min(fullHeight, window(fullHeight) + extraWindow);
    Taps tx = Taps.cached(fullWidth, rowWindow, factor, width, tilt);
    Taps ty = Taps.cached(fullHeight, colWindow, factor, height, tilt);
    // Columns first: 64 rows of weighted sums of whole rows of means (contiguous, vectorisable),
    // then the few taps of each of the 64 samples along those 64 rows.
    float[] cols = new float[DIM * width];
    for (int i = 0; i < DIM; i++) {
      int at = i * ty.length;
      int out = i * width;
      for (int k = 0; k < ty.length; k++) {
        float wk = ty.weight[at + k];
        int from = (ty.start[i] + k) * width;
        for (int x = 0; x < width; x++) {
          cols[out + x] += wk * means[from + x];
        }
      }
    }
    float[] small = new float[DIM * DIM];
    for (int i = 0; i < DIM; i++) {
      int base = i * width;
      int out = i * DIM;
      for (int j = 0; j < DIM; j++) {
        int from = base + tx.start[j];
        int at = j * tx.length;
        float s = 0f;
        for (int k = 0; k < tx.length; k++) {
          s += tx.weight[at + k] * cols[from + k];
        }
        small[out + j] = s;
      }
    }
    return small;
  }

  /**
   * Per sample position of one axis, the weights of the block means that make up that sample:
   * {@code length} weights from block {@code start[j]} for sample j (zero-padded to a common
   * length, never reaching past the last block). Never modified once built (shared through
   * {@link #cached}).
   */
  static final class Taps {
    final int[] start = new int[DIM];
    final int length;
    final float[] weight;
    /** What it was built from: n, window, factor, blocks, tilt (0 or 1). */
    private final int[] key = new int[5];

    private Taps(int length) {
      this.length = length;
      this.weight = new float[DIM * length];
    }

    /**
     * Taps built recently, by their arguments, direct-mapped: an image's main hash, its caption
     * paint-outs and the images of a size that recurs all ask for the same few, and building a
     * pair costs about a tenth of a half-scale hash. A slot holds an immutable entry and is
     * overwritten by the next taps that map to it, so at most {@value #CACHED} are kept (each a
     * few KB at most; the weights of one axis are 64 times its longest span of blocks).
     */
    private static final int CACHED = 32;

    private static final java.util.concurrent.atomic.AtomicReferenceArray<Taps> CACHE =
        new java.util.concurrent.atomic.AtomicReferenceArray<>(CACHED);

    /** {@link #of}, or the same taps built before from the same arguments. Thread-safe. */
    static Taps cached(int n, int window, int factor, int blocks, boolean tilt) {
      int t = tilt ? 1 : 0;
      int h = (((n * 31 + window) * 31 + factor) * 31 + blocks) * 31 + t;
      int slot = ((h ^ (h >>> 16)) & 0x7fffffff) % CACHED;
      Taps hit = CACHE.get(slot);
      if (hit != null && hit.key[0] == n && hit.key[1] == window && hit.key[2] == factor && hit.key[3] == blocks
          && hit.key[4] == t) {
        return hit;
      }
      Taps built = of(n, window, factor, blocks, tilt);
      CACHE.set(slot, built);
      return built;
    }

    /**
     * Taps for an axis of {@code n} full-size pixels, box window {@code window} (already clamped
     * to {@code n}), blocks of {@code factor} pixels, {@code blocks} blocks (block k covering
     * pixels {@code k*factor} to {@code k*factor+factor-1}, clipped to the axis); {@code tilt} as
     * in {@link #exactScaled64}.
     */
    static Taps of(int n, int window, int factor, int blocks, boolean tilt) {
      int ahead = (window + 2) / 2;
      double[][] full = new double[DIM][];
      int[] lo = new int[DIM];
      int longest = 1;
      int[] first = new int[DIM];
      for (int j = 0; j < DIM; j++) {
        int p = (int) (((j + 0.5) * n) / DIM);
        // pass 2 averages pass 1 over cover(p); pass 1 averages pixels over cover(q)
        int qLo = Math.max(0, p - window + ahead);
        int qHi = Math.min(n - 1, p + ahead - 1);
        int iLo = Math.max(0, qLo - window + ahead);
        int iHi = Math.min(n - 1, qHi + ahead - 1);
        double[] w = new double[iHi - iLo + 1];
        double outer = 1.0 / (qHi - qLo + 1);
        for (int q = qLo; q <= qHi; q++) {
          int a = Math.max(0, q - window + ahead);
          int b = Math.min(n - 1, q + ahead - 1);
          double inner = outer / (b - a + 1);
          for (int i = a; i <= b; i++) {
            w[i - iLo] += inner;
          }
        }
        full[j] = w;
        lo[j] = iLo;
        int bLo = Math.min(blocks - 1, iLo / factor);
        int bHi = Math.min(blocks - 1, iHi / factor);
        first[j] = bLo;
        longest = Math.max(longest, bHi - bLo + 1);
      }
      if (tilt) {
        longest = Math.min(blocks, longest + 2);
      }
      Taps t = new Taps(longest);
      t.key[0] = n;
      t.key[1] = window;
      t.key[2] = factor;
      t.key[3] = blocks;
      t.key[4] = tilt ? 1 : 0;
      for (int j = 0; j < DIM; j++) {
        int s = Math.max(0, Math.min(first[j] - (tilt ? 1 : 0), blocks - longest));
        t.start[j] = s;
        double[] acc = new double[longest];
        // d[k]: block s+k's pixel weights times their offsets from the block's centre
        double[] d = new double[longest];
        for (int i = 0; i < full[j].length; i++) {
          int block = Math.min(blocks - 1, (lo[j] + i) / factor);
          acc[block - s] += full[j][i];
          d[block - s] += full[j][i] * ((lo[j] + i) - block * factor - (factor - 1) / 2.0);
        }
        if (tilt && blocks > 1) {
          for (int k = 0; k < longest; k++) {
            if (d[k] != 0) {
              // slope from the neighbours' means; one-sided at the ends
              int block = s + k;
              int up = Math.min(blocks - 1, block + 1);
              int down = Math.max(0, block - 1);
              double c = d[k] / ((double) (up - down) * factor);
              acc[up - s] += c;
              acc[down - s] -= c;
            }
          }
        }
        for (int k = 0; k < longest; k++) {
          t.weight[j * longest + k] = (float) acc[k];
        }
      }
      return t;
    }
  }

  /**
   * The samples {@link #hashScaled} hashes: on the full image PDQ applies two box passes of
   * window n per axis (a filter of variance 2(n^2-1)/12 full-size pixels^2); the block means have
   * already applied a box of width {@code factor} (variance (factor^2-1)/12), so the remaining
   * variance is made up with passes of a 3-tap kernel on the block means, and the 64 x 64 grid is then sampled by bilinear
   * interpolation at the full-size sample positions (shifted like the reference's even windows).
   * {@code means} is used as scratch space and overwritten.
   */
  static float[] smoothedScaled64(float[] means, int width, int height, int factor, int fullWidth,
      int fullHeight, int extraWindow) {
    int rowWindow = Math.min(fullWidth, window(fullWidth) + extraWindow);
    int colWindow = Math.min(fullHeight, window(fullHeight) + extraWindow);
    float[] tmp = new float[width * height];
    smooth(means, tmp, width, height, residualVariance(rowWindow, factor), 1, width);
    smooth(means, tmp, height, width, residualVariance(colWindow, factor), width, 1);
    float[] small = new float[DIM * DIM];
    float[] ux = new float[DIM];
    float[] uy = new float[DIM];
    for (int j = 0; j < DIM; j++) {
      ux[j] = blockCoordinate((int) (((j + 0.5) * fullWidth) / DIM), rowWindow, factor, width);
      uy[j] = blockCoordinate((int) (((j + 0.5) * fullHeight) / DIM), colWindow, factor, height);
    }
    for (int i = 0; i < DIM; i++) {
      int y0 = (int) uy[i];
      int y1 = Math.min(height - 1, y0 + 1);
      float fy = uy[i] - y0;
      for (int j = 0; j < DIM; j++) {
        int x0 = (int) ux[j];
        int x1 = Math.min(width - 1, x0 + 1);
        float fx = ux[j] - x0;
        float top = means[y0 * width + x0] * (1 - fx) + means[y0 * width + x1] * fx;
        float bottom = means[y1 * width + x0] * (1 - fx) + means[y1 * width + x1] * fx;
        small[i * DIM + j] = top * (1 - fy) + bottom * fy;
      }
    }
    return small;
  }

  /** Variance, in block units squared, still to apply after the block means' own box. */
  private static double residualVariance(int window, int factor) {
    double full = BLUR_PASSES * (window * (double) window - 1) / 12.0;
    double own = (factor * (double) factor - 1) / 12.0;
    return Math.max(0.0, (full - own) / ((double) factor * factor));
  }

  /**
   * Where full-size sample column (or row) {@code x} falls in block coordinates (block k's centre
   * at k), after the half-pixel shift of each even-window pass; clamped to the block grid.
   */
  private static float blockCoordinate(int x, int window, int factor, int blocks) {
    double centre = x + ((window & 1) == 0 ? BLUR_PASSES * 0.5 : 0.0);
    double u = (centre - (factor - 1) / 2.0) / factor;
    return (float) Math.max(0.0, Math.min(blocks - 1, u));
  }

  /**
   * Smooths {@code lines} lines of {@code n} values (value k of line l at {@code l*lineStep +
   * k*step}) with passes of the kernel [a, 1-2a, a] (a at most 1/4 per pass) adding up to the
   * variance {@code variance}; at the ends the kernel is renormalised over the values present.
   */
  private static void smooth(float[] buf, float[] tmp, int n, int lines, double variance, int step,
      int lineStep) {
    double left = variance;
    while (left > 1e-6 && n > 1) {
      float a = (float) (Math.min(0.5, left) / 2.0);
      left -= 2.0 * a;
      if (step == 1) {
        smoothRows(buf, tmp, n, lines, a);
      } else {
        smoothColumns(buf, tmp, n, lines, a);
      }
      System.arraycopy(tmp, 0, buf, 0, n * lines);
    }
  }

  /** One pass of [a, 1-2a, a] along each of {@code lines} rows of {@code n} values. */
  private static void smoothRows(float[] buf, float[] tmp, int n, int lines, float a) {
    float c = 1 - 2 * a;
    float edge = 1 / (1 - a);
    for (int base = 0; base < n * lines; base += n) {
      tmp[base] = (c * buf[base] + a * buf[base + 1]) * edge;
      for (int at = base + 1; at < base + n - 1; at++) {
        tmp[at] = c * buf[at] + a * (buf[at - 1] + buf[at + 1]);
      }
      int last = base + n - 1;
      tmp[last] = (c * buf[last] + a * buf[last - 1]) * edge;
    }
  }

  /**
   * One pass of [a, 1-2a, a] down each of the {@code lines} columns of a row-major buffer with
   * {@code n} rows, walking the rows in memory order; each value sees the same operations as in
   * {@link #smoothRows}.
   */
  private static void smoothColumns(float[] buf, float[] tmp, int n, int width, float a) {
    float c = 1 - 2 * a;
    float edge = 1 / (1 - a);
    for (int x = 0; x < width; x++) {
      tmp[x] = (c * buf[x] + a * buf[x + width]) * edge;
    }
    for (int row = width; row < (n - 1) * width; row += width) {
      for (int x = row; x < row + width; x++) {
        tmp[x] = c * buf[x] + a * (buf[x - width] + buf[x + width]);
      }
    }
    int last = (n - 1) * width;
    for (int x = last; x < last + width; x++) {
      tmp[x] = (c * buf[x] + a * buf[x - width]) * edge;
    }
  }

  /** Hashes an already decimated 64 x 64 buffer (row-major). */
  static Result hash64(float[] small) {
    int quality = quality(small);
    float[] dct = dct16(small);
    return new Result(threshold(dct), quality, dct);
  }

  /** Window size of the box filter for a dimension being reduced to 64 samples. */
  static int window(int oldDimension) {
    return (oldDimension + 2 * DIM - 1) / (2 * DIM);
  }

  /** Two tent passes in place in {@code buf}; {@code tmp} is scratch of the same size. */
  static void blur(float[] buf, float[] tmp, int width, int height) {
    blur(buf, tmp, width, height, 0);
  }

  /** {@link #blur(float[], float[], int, int)} with both windows widened by {@code extra}. */
  static void blur(float[] buf, float[] tmp, int width, int height, int extra) {
    int rowWindow = Math.min(width, window(width) + extra);
    int colWindow = Math.min(height, window(height) + extra);
    for (int pass = 0; pass < BLUR_PASSES; pass++) {
      boxRows(buf, tmp, width, height, rowWindow);
      boxColumns(tmp, buf, width, height, colWindow);
    }
  }

  /**
   * {@link #box} along every row, four rows in lockstep: each row's running sum is a chain of
   * dependent additions, and four independent chains keep the processor busy where one would wait
   * on each addition. Every row sees exactly the operations of {@link #box}, so the result is
   * bit-identical.
   */
  static void boxRows(float[] in, float[] out, int width, int height, int window) {
    int ahead = (window + 2) / 2;
    int lead = ahead - 1;
    int grow = window - ahead + 1;
    int full = width - window;
    int y = 0;
    for (; y + 4 <= height; y += 4) {
      int b0 = y * width;
      int b1 = b0 + width;
      int b2 = b1 + width;
      int b3 = b2 + width;
      float s0 = 0.0f;
      float s1 = 0.0f;
      float s2 = 0.0f;
      float s3 = 0.0f;
      int count = 0;
      int read = 0;
      int drop = 0;
      int write = 0;
      for (int k = 0; k < lead; k++, read++) {
        s0 += in[b0 + read];
        s1 += in[b1 + read];
        s2 += in[b2 + read];
        s3 += in[b3 + read];
        count++;
      }
      for (int k = 0; k < grow; k++, read++, write++) {
        s0 += in[b0 + read];
        s1 += in[b1 + read];
        s2 += in[b2 + read];
        s3 += in[b3 + read];
        count++;
        out[b0 + write] = s0 / count;
        out[b1 + write] = s1 / count;
        out[b2 + write] = s2 / count;
        out[b3 + write] = s3 / count;
      }
      for (int k = 0; k < full; k++, read++, drop++, write++) {
        s0 += in[b0 + read];
        s1 += in[b1 + read];
        s2 += in[b2 + read];
        s3 += in[b3 + read];
        s0 -= in[b0 + drop];
        s1 -= in[b1 + drop];
        s2 -= in[b2 + drop];
        s3 -= in[b3 + drop];
        out[b0 + write] = s0 / count;
        out[b1 + write] = s1 / count;
        out[b2 + write] = s2 / count;
        out[b3 + write] = s3 / count;
      }
      for (int k = 0; k < lead; k++, drop++, write++) {
        s0 -= in[b0 + drop];
        s1 -= in[b1 + drop];
        s2 -= in[b2 + drop];
        s3 -= in[b3 + drop];
        count--;
        out[b0 + write] = s0 / count;
        out[b1 + write] = s1 / count;
        out[b2 + write] = s2 / count;
        out[b3 + write] = s3 / count;
      }
    }
    for (; y < height; y++) {
      box(in, out, y * width, 1, width, window);
    }
  }

  /**
   * One box-filter pass over a line of {@code n} values spaced {@code stride} apart starting at
   * {@code start}. The window is centred (for even windows, one more value ahead than behind) and
   * shrinks at both ends; each output is the running sum divided by the values in the window.
   */
  static void box(float[] in, float[] out, int start, int stride, int n, int window) {
    int ahead = (window + 2) / 2; // values read before the first write
    int lead = ahead - 1;
    int grow = window - ahead + 1;
    int full = n - window;
    int read = start;
    int drop = start;
    int write = start;
    float sum = 0.0f;
    int count = 0;
    for (int k = 0; k < lead; k++) {
      sum += in[read];
      count++;
      read += stride;
    }
    for (int k = 0; k < grow; k++) {
      sum += in[read];
      count++;
      out[write] = sum / count;
      read += stride;
      write += stride;
    }
    for (int k = 0; k < full; k++) {
      sum += in[read];
      sum -= in[drop];
      out[write] = sum / count;
      read += stride;
      drop += stride;
      write += stride;
    }
    for (int k = 0; k < lead; k++) {
      sum -= in[drop];
      count--;
      out[write] = sum / count;
      drop += stride;
      write += stride;
    }
  }

  /**
   * {@link #box} along every column at once, walking the rows in memory order (a column at a time
   * would stride through memory and miss the cache on every value). Each column sees exactly the
   * same sequence of float operations as in {@link #box}, so the result is bit-identical.
   */
  static void boxColumns(float[] in, float[] out, int width, int height, int window) {
    int ahead = (window + 2) / 2;
    int lead = ahead - 1;
    int grow = window - ahead + 1;
    int full = height - window;
    float[] sum = new float[width];
    int read = 0;
    int drop = 0;
    int write = 0;
    int count = 0;
    for (int k = 0; k < lead; k++, read += width) {
      for (int x = 0; x < width; x++) {
        sum[x] += in[read + x];
      }
      count++;
    }
    for (int k = 0; k < grow; k++, read += width, write += width) {
      count++;
      for (int x = 0; x < width; x++) {
        sum[x] += in[read + x];
        out[write + x] = sum[x] / count;
      }
    }
    for (int k = 0; k < full; k++, read += width, drop += width, write += width) {
      for (int x = 0; x < width; x++) {
        float s = sum[x] + in[read + x];
        s -= in[drop + x];
        sum[x] = s;
        out[write + x] = s / count;
      }
    }
    for (int k = 0; k < lead; k++, drop += width, write += width) {
      count--;
      for (int x = 0; x < width; x++) {
        sum[x] -= in[drop + x];
        out[write + x] = sum[x] / count;
      }
    }
  }

  /** Samples the blurred buffer at the centres of a 64 x 64 grid. */
  static float[] decimate(float[] buf, int width, int height) {
    float[] small = new float[DIM * DIM];
    for (int i = 0; i < DIM; i++) {
      int y = (int) (((i + 0.5) * height) / DIM);
      for (int j = 0; j < DIM; j++) {
        int x = (int) (((j + 0.5) * width) / DIM);
        small[i * DIM + j] = buf[y * width + x];
      }
    }
    return small;
  }

  /** Quality 0..100: the summed absolute neighbour differences (in percent of 255) over 90. */
  static int quality(float[] small) {
    int gradient = 0;
    for (int i = 0; i < DIM - 1; i++) {
      for (int j = 0; j < DIM; j++) {
        int d = (int) ((small[i * DIM + j] - small[(i + 1) * DIM + j]) * 100 / 255);
        gradient += Math.abs(d);
      }
    }
    for (int i = 0; i < DIM; i++) {
      for (int j = 0; j < DIM - 1; j++) {
        int d = (int) ((small[i * DIM + j] - small[i * DIM + j + 1]) * 100 / 255);
        gradient += Math.abs(d);
      }
    }
    return Math.min(100, gradient / 90);
  }

  /**
   * The 16 x 16 block D A D^T, row-major. Each coefficient is accumulated over k in increasing
   * order from 0, as a plain triple loop would; the loops are only ordered so that the innermost
   * one runs along contiguous rows (and can be vectorised), which does not change any result.
   */
  static float[] dct16(float[] a) {
    float[] t = new float[COEFFS * DIM];
    for (int i = 0; i < COEFFS; i++) {
      int row = i * DIM;
      for (int k = 0; k < DIM; k++) {
        float d = DCT[row + k];
        int src = k * DIM;
        for (int j = 0; j < DIM; j++) {
          t[row + j] += d * a[src + j];
        }
      }
    }
    float[] b = new float[COEFFS * COEFFS];
    for (int i = 0; i < COEFFS; i++) {
      int row = i * COEFFS;
      for (int k = 0; k < DIM; k++) {
        float v = t[i * DIM + k];
        int src = k * COEFFS;
        for (int j = 0; j < COEFFS; j++) {
          b[row + j] += v * DCT_T[src + j];
        }
      }
    }
    return b;
  }

  /** Sets bit i*16+j when coefficient (i, j) is strictly above the (lower) median. */
  static PdqHash threshold(float[] dct) {
    float median = lowerMedian(dct);
    long[] w = new long[4];
    for (int k = 0; k < COEFFS * COEFFS; k++) {
      if (dct[k] > median) {
        w[k >>> 6] |= 1L << (k & 63);
      }
    }
    return new PdqHash(w[3], w[2], w[1], w[0]);
  }

  /**
   * How far the coefficients typically are from the threshold: the lower median of |c - m| over
   * the 256 coefficients, m their {@link #lowerMedian}. An image whose coefficients crowd the
   * median (a faint texture, a near-flat design) has its bits decided by tiny differences, so any
   * change to the pixels, a slightly different decoder included, flips many of them.
   */
  static float medianGap(float[] dct) {
    float median = lowerMedian(dct);
    float[] gaps = new float[dct.length];
    for (int k = 0; k < dct.length; k++) {
      gaps[k] = Math.abs(dct[k] - median);
    }
    java.util.Arrays.sort(gaps);
    return gaps[(gaps.length - 1) / 2];
  }

  /** The value of rank 128 (1-based) of the 256 coefficients. */
  static float lowerMedian(float[] values) {
    float[] sorted = values.clone();
    java.util.Arrays.sort(sorted);
    return sorted[(sorted.length - 1) / 2];
  }

  /**
   * The eight dihedral transforms of an image, in the order of {@link #dihedral(float[], int)}.
   * Index 0 is the identity.
   */
  static final int DIHEDRAL_COUNT = 8;

  /**
   * The DCT block of the image transformed by dihedral element {@code op}, derived from the
   * original block without re-hashing: a left-right flip negates the coefficients of odd
   * horizontal frequency (even {@code j}, since frequencies start at 1), a top-bottom flip those of
   * odd vertical frequency, and a transpose swaps the indices. 0 identity, 1 rotate 90 clockwise,
   * 2 rotate 180, 3 rotate 270 clockwise, 4 flip left-right, 5 flip top-bottom, 6 transpose (flip
   * about the main diagonal), 7 anti-transpose.
   */
  static float[] dihedral(float[] dct, int op) {
    float[] out = new float[COEFFS * COEFFS];
    for (int i = 0; i < COEFFS; i++) {
      for (int j = 0; j < COEFFS; j++) {
        boolean iOdd = (i & 1) == 0; // frequency i+1 is odd
        boolean jOdd = (j & 1) == 0;
        float v;
        switch (op) {
          case 0:
            v = dct[i * COEFFS + j];
            break;
          case 1: // transpose, then flip left-right
            v = jOdd ? -dct[j * COEFFS + i] : dct[j * COEFFS + i];
            break;
          case 2:
            v = iOdd != jOdd ? -dct[i * COEFFS + j] : dct[i * COEFFS + j];
            break;
          case 3: // transpose, then flip top-bottom
            v = iOdd ? -dct[j * COEFFS + i] : dct[j * COEFFS + i];
            break;
          case 4:
            v = jOdd ? -dct[i * COEFFS + j] : dct[i * COEFFS + j];
            break;
          case 5:
            v = iOdd ? -dct[i * COEFFS + j] : dct[i * COEFFS + j];
            break;
          case 6:
            v = dct[j * COEFFS + i];
            break;
          case 7:
            v = iOdd != jOdd ? -dct[j * COEFFS + i] : dct[j * COEFFS + i];
            break;
          default:
            throw new IllegalArgumentException("dihedral op " + op);
        }
        out[i * COEFFS + j] = v;
      }
    }
    return out;
  }
}
