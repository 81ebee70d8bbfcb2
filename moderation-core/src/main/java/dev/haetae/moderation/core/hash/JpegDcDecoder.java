package dev.haetae.moderation.core.hash;

/**
 * Reduced-resolution JPEG decoding: decodes only the DC coefficient of every 8 x 8 block of a
 * baseline (sequential, Huffman-coded, 8-bit) JPEG, which is the block's mean, giving the image at
 * 1/8 of its size without any inverse DCT, upsampling of full-size planes or colour conversion of
 * every pixel. The AC coefficients still have to be entropy-decoded (to find where the next block
 * starts) but are not used. PDQ keeps only the lowest frequencies of a 64 x 64 summary, which an
 * image of block means (at least 128 px on its longer side, as used) still carries.
 *
 * <p>This is a fast path, not a validator: whenever the file is anything else than what it
 * handles (progressive, arithmetic-coded, 12-bit, CMYK, non-interleaved scans, an Adobe RGB
 * transform) or anything looks wrong (a bad Huffman code, a missing restart marker, data that ends
 * before the last block), {@link #decode} returns null and the caller decodes the file with
 * ImageIO, which then reports damage with its usual exceptions. Nothing is allocated before the
 * declared dimensions have been checked against the limits. Stateless and thread-safe.
 */
final class JpegDcDecoder {
  private JpegDcDecoder() {}

  /** A decoded image of block means: luminance, row-major, and its size. */
  static final class Result {
    final float[] luma;
    final int width;
    final int height;

    Result(float[] luma, int width, int height) {
      this.luma = luma;
      this.width = width;
      this.height = height;
    }
  }

  /** Declared size of a baseline JPEG, or null when the fast path does not apply. */
  static int[] size(byte[] b, int length) {
    try {
      Parsed p = parse(b, length);
      return p == null ? null : new int[] {p.width, p.height};
    } catch (RuntimeException e) {
      return null;
    }
  }

  /**
   * Decodes the block means.
   *
   * @return the image at 1/8 scale, or null when the fast path does not apply or the data is not
   *     perfectly sound (the caller then uses ImageIO)
   */
  static Result decode(byte[] b, int length, long maxPixels, int maxDimension) {
    try {
      Parsed p = parse(b, length);
      if (p == null || p.width > maxDimension || p.height > maxDimension
          || (long) p.width * p.height > maxPixels) {
        return null;
      }
      return p.decodeScan(b, length);
    } catch (RuntimeException e) {
      return null; // anything unexpected: let ImageIO decide
    }
  }

  private static int u16(byte[] b, int at) {
    return ((b[at] & 0xff) << 8) | (b[at + 1] & 0xff);
  }

  private static Parsed parse(byte[] b, int length) {
    if (length < 4 || (b[0] & 0xff) != 0xFF || (b[1] & 0xff) != 0xD8) {
      return null;
    }
    Parsed p = new Parsed();
    int pos = 2;
    while (pos + 4 <= length) {
      if ((b[pos] & 0xff) != 0xFF) {
        return null;
      }
      int marker = b[pos + 1] & 0xff;
      if (marker == 0xFF) {
        pos++;
        continue;
      }
      if (marker == 0xD8 || marker == 0x01 || (marker >= 0xD0 && marker <= 0xD7)) {
        pos += 2;
        continue;
      }
      if (marker == 0xD9) {
        return null;
      }
      int len = u16(b, pos + 2);
      int body = pos + 4;
      int end = pos + 2 + len;
      if (len < 2 || end > length) {
        return null;
      }
      switch (marker) {
        case 0xC0:
        case 0xC1:
          if (!p.frame(b, body, end)) {
            return null;
          }
          break;
        case 0xC4:
          if (!p.huffman(b, body, end)) {
            return null;
          }
          break;
        case 0xDB:
          if (!p.quant(b, body, end)) {
            return null;
          }
          break;
        case 0xDD:
          if (len < 4) {
            return null;
          }
          p.restartInterval = u16(b, body);
          break;
        case 0xEE:
          // Adobe: transform 0 means the three channels are RGB (or CMYK), not YCbCr.
          if (len >= 14 && b[body] == 'A' && b[body + 1] == 'd' && b[body + 2] == 'o' && b[body + 3] == 'b'
              && b[body + 4] == 'e' && (b[body + 11] & 0xff) != 1 && p.components != 1) {
            p.adobeNotYcc = true;
          }
          break;
        case 0xDA:
          if (!p.scan(b, body, end)) {
            return null;
          }
          p.scanStart = end;
          return p.width > 0 && !p.adobeNotYcc ? p : null;
        default:
          if ((marker >= 0xC2 && marker <= 0xCF) && marker != 0xC4 && marker != 0xC8 && marker != 0xCC) {
            return null; // progressive, lossless, hierarchical or arithmetic-coded
          }
          break;
      }
      pos = end;
    }
    return null;
  }

  /** What the headers say, and the entropy decoder. */
  private static final class Parsed {
    int width;
    int height;
    int components;
    final int[] id = new int[3];
    final int[] h = new int[3];
    final int[] v = new int[3];
    final int[] tq = new int[3];
    final int[] td = new int[3];
    final int[] ta = new int[3];
    final int[] quant0 = {-1, -1, -1, -1};
    final Huffman[] dc = new Huffman[4];
    final Huffman[] ac = new Huffman[4];
    int restartInterval;
    boolean adobeNotYcc;
    int scanStart;

    boolean frame(byte[] b, int at, int end) {
      if (end - at < 6 || (b[at] & 0xff) != 8) {
        return false;
      }
      height = u16(b, at + 1);
      width = u16(b, at + 3);
      components = b[at + 5] & 0xff;
      if (width <= 0 || height <= 0 || (components != 1 && components != 3) || at + 6 + 3 * components > end) {
        return false;
      }
      for (int c = 0; c < components; c++) {
        int o = at + 6 + 3 * c;
        id[c] = b[o] & 0xff;
        h[c] = (b[o + 1] & 0xff) >> 4;
        v[c] = b[o + 1] & 0x0f;
        tq[c] = b[o + 2] & 0xff;
        if (h[c] < 1 || h[c] > 4 || v[c] < 1 || v[c] > 4 || tq[c] > 3) {
          return false;
        }
      }
      return true;
    }

    boolean quant(byte[] b, int at, int end) {
      while (at < end) {
        int pq = (b[at] & 0xff) >> 4;
        int t = b[at] & 0x0f;
        int size = pq == 0 ? 64 : 128;
        if (t > 3 || pq > 1 || at + 1 + size > end) {
          return false;
        }
        quant0[t] = pq == 0 ? b[at + 1] & 0xff : u16(b, at + 1);
        at += 1 + size;
      }
      return true;
    }

    boolean huffman(byte[] b, int at, int end) {
      while (at < end) {
        int tc = (b[at] & 0xff) >> 4;
        int th = b[at] & 0x0f;
        if (tc > 1 || th > 3 || at + 17 > end) {
          return false;
        }
        int[] counts = new int[17];
        int total = 0;
        for (int l = 1; l <= 16; l++) {
          counts[l] = b[at + l] & 0xff;
          total += counts[l];
        }
        if (total > 256 || at + 17 + total > end) {
          return false;
        }
        int[] symbols = new int[total];
        for (int k = 0; k < total; k++) {
          symbols[k] = b[at + 17 + k] & 0xff;
        }
        Huffman table = Huffman.build(counts, symbols);
        if (table == null) {
          return false;
        }
        if (tc == 0) {
          dc[th] = table;
        } else {
          ac[th] = table;
        }
        at += 17 + total;
      }
      return true;
    }

    boolean scan(byte[] b, int at, int end) {
      if (width == 0 || end - at < 1) {
        return false;
      }
      int ns = b[at] & 0xff;
      if (ns != components || at + 1 + 2 * ns + 3 > end) {
        return false; // non-interleaved multi-scan files take the ImageIO path
      }
      for (int k = 0; k < ns; k++) {
        int cid = b[at + 1 + 2 * k] & 0xff;
        if (cid != id[k]) {
          return false;
        }
        td[k] = (b[at + 2 + 2 * k] & 0xff) >> 4;
        ta[k] = b[at + 2 + 2 * k] & 0x0f;
        if (td[k] > 3 || ta[k] > 3 || dc[td[k]] == null || ac[ta[k]] == null || quant0[tq[k]] < 0) {
          return false;
        }
      }
      int o = at + 1 + 2 * ns;
      return (b[o] & 0xff) == 0 && (b[o + 1] & 0xff) == 63 && (b[o + 2] & 0xff) == 0;
    }

    Result decodeScan(byte[] b, int length) {
      int hmax = 1;
      int vmax = 1;
      for (int c = 0; c < components; c++) {
        hmax = Math.max(hmax, h[c]);
        vmax = Math.max(vmax, v[c]);
      }
      int mcusX;
      int mcusY;
      int[] bw = new int[components];
      int[] bh = new int[components];
      if (components == 1) {
        mcusX = (width + 7) / 8;
        mcusY = (height + 7) / 8;
        bw[0] = mcusX;
        bh[0] = mcusY;
      } else {
        mcusX = (width + 8 * hmax - 1) / (8 * hmax);
        mcusY = (height + 8 * vmax - 1) / (8 * vmax);
        for (int c = 0; c < components; c++) {
          bw[c] = mcusX * h[c];
          bh[c] = mcusY * v[c];
        }
      }
      float[][] plane = new float[components][];
      for (int c = 0; c < components; c++) {
        plane[c] = new float[bw[c] * bh[c]];
      }
      Bits bits = new Bits(b, scanStart, length);
      int[] pred = new int[components];
      int mcus = mcusX * mcusY;
      int rst = 0;
      for (int m = 0; m < mcus; m++) {
        if (restartInterval > 0 && m > 0 && m % restartInterval == 0) {
          if (!bits.restart(0xD0 + (rst & 7))) {
            return null;
          }
          rst++;
          java.util.Arrays.fill(pred, 0);
        }
        int mx = m % mcusX;
        int my = m / mcusX;
        for (int c = 0; c < components; c++) {
          int hc = components == 1 ? 1 : h[c];
          int vc = components == 1 ? 1 : v[c];
          for (int by = 0; by < vc; by++) {
            for (int bx = 0; bx < hc; bx++) {
              int t = dc[td[c]].decode(bits);
              if (t < 0 || t > 11) {
                return null;
              }
              int diff = t == 0 ? 0 : extend(bits.take(t), t);
              pred[c] += diff;
              if (!skipAc(bits, ac[ta[c]])) {
                return null;
              }
              plane[c][(my * vc + by) * bw[c] + mx * hc + bx] = pred[c] * quant0[tq[c]] / 8f + 128f;
            }
          }
        }
        if (bits.overrun()) {
          return null; // the data ended before this block: truncated
        }
      }
      return compose(plane, bw, hmax, vmax);
    }

    /**
     * Skips the AC coefficients of one block. The common codes are resolved by one lookup in the
     * table's {@link Huffman#skip} table (code length plus magnitude bits to drop, and how far the
     * coefficient index advances); magnitudes are never assembled, since only the DC is used.
     */
    private static boolean skipAc(Bits bits, Huffman table) {
      int[] fast = table.skip;
      int k = 1;
      while (true) {
        if (bits.count < 32) {
          bits.fill();
        }
        int e = fast[(int) (bits.buffer >>> (64 - Huffman.LOOKUP))];
        int adv;
        if (e != 0) {
          int n = e & 0xff;
          bits.buffer <<= n;
          bits.count -= n;
          adv = e >>> 8;
        } else {
          int rs = table.decode(bits);
          if (rs < 0) {
            return false;
          }
          int r = rs >> 4;
          int size = rs & 15;
          if (size == 0) {
            adv = r == 15 ? 16 : Huffman.END_OF_BLOCK;
          } else {
            bits.take(size);
            adv = r + 1;
          }
        }
        if (adv == Huffman.END_OF_BLOCK) {
          return true;
        }
        k += adv;
        if (k >= 64) {
          return k == 64;
        }
      }
    }

    private static int extend(int value, int size) {
      return value < (1 << (size - 1)) ? value - (1 << size) + 1 : value;
    }

    private Result compose(float[][] plane, int[] bw, int hmax, int vmax) {
      int w = (width + 7) / 8;
      int hgt = (height + 7) / 8;
      int[] row = new int[w];
      float[] luma = new float[w * hgt];
      for (int y = 0; y < hgt; y++) {
        for (int x = 0; x < w; x++) {
          if (components == 1) {
            int g = clamp(plane[0][y * bw[0] + x]);
            row[x] = g << 16 | g << 8 | g;
          } else {
            float yy = sample(plane[0], bw[0], x, y, h[0], v[0], hmax, vmax);
            float cb = sample(plane[1], bw[1], x, y, h[1], v[1], hmax, vmax) - 128f;
            float cr = sample(plane[2], bw[2], x, y, h[2], v[2], hmax, vmax) - 128f;
            int r = clamp(yy + 1.402f * cr);
            int g = clamp(yy - 0.344136f * cb - 0.714136f * cr);
            int bl = clamp(yy + 1.772f * cb);
            row[x] = r << 16 | g << 8 | bl;
          }
        }
        PdqCore.luma(row, 0, w, luma, y * w);
      }
      return new Result(luma, w, hgt);
    }

    private static float sample(float[] p, int pw, int x, int y, int hc, int vc, int hmax, int vmax) {
      return p[(y * vc / vmax) * pw + x * hc / hmax];
    }

    private static int clamp(float value) {
      int i = Math.round(value);
      return i < 0 ? 0 : Math.min(255, i);
    }
  }

  /**
   * A canonical Huffman table with a 10-bit lookup for the common short codes, and for AC use a
   * second lookup that resolves a whole run/size symbol: {@code skip[peek]} is zero for codes
   * longer than the lookup, else (code length + magnitude size) in the low 8 bits and the advance
   * of the coefficient index above ({@link #END_OF_BLOCK} for an end of block).
   */
  private static final class Huffman {
    static final int LOOKUP = 10;
    static final int END_OF_BLOCK = 0xff;
    final int[] lookup = new int[1 << LOOKUP];
    final int[] skip = new int[1 << LOOKUP];
    final int[] maxCode = new int[18];
    final int[] valPtr = new int[17];
    final int[] minCode = new int[17];
    int[] symbols;

    static Huffman build(int[] counts, int[] symbols) {
      Huffman t = new Huffman();
      t.symbols = symbols;
      int code = 0;
      int k = 0;
      for (int l = 1; l <= 16; l++) {
        t.valPtr[l] = k;
        t.minCode[l] = code;
        for (int n = 0; n < counts[l]; n++, k++, code++) {
          if (l <= LOOKUP) {
            int shift = LOOKUP - l;
            int rs = symbols[k];
            int r = rs >> 4;
            int size = rs & 15;
            int entry = size != 0 ? (r + 1) << 8 | (l + size)
                : (r == 15 ? 16 : END_OF_BLOCK) << 8 | l;
            for (int fill = 0; fill < (1 << shift); fill++) {
              t.lookup[(code << shift) | fill] = (l << 8) | symbols[k];
              t.skip[(code << shift) | fill] = entry;
            }
          }
        }
        t.maxCode[l] = counts[l] == 0 ? -1 : code - 1;
        if (code > (1 << l)) {
          return null; // over-subscribed code lengths
        }
        code <<= 1;
      }
      t.maxCode[17] = Integer.MAX_VALUE;
      return t;
    }

    /** The next symbol, or -1 for a code not in the table. */
    int decode(Bits bits) {
      bits.fill();
      int peek = bits.peek(LOOKUP);
      int e = lookup[peek];
      if (e != 0) {
        bits.skip(e >> 8);
        return e & 0xff;
      }
      for (int l = LOOKUP + 1; l <= 16; l++) {
        int code = bits.peek(l);
        if (maxCode[l] >= 0 && code <= maxCode[l] && code >= minCode[l]) {
          bits.skip(l);
          return symbols[valPtr[l] + code - minCode[l]];
        }
      }
      return -1;
    }
  }

  /** Entropy-coded data reader: removes byte stuffing and stops at markers. */
  private static final class Bits {
    private static final java.lang.invoke.VarHandle BIG_ENDIAN_LONG =
        java.lang.invoke.MethodHandles.byteArrayViewVarHandle(long[].class, java.nio.ByteOrder.BIG_ENDIAN);

    private final byte[] b;
    private final int end;
    private int pos;
    long buffer;
    int count;
    private int padding; // zero bytes fed after the data (or a marker) ended
    private boolean atMarker;

    Bits(byte[] b, int start, int end) {
      this.b = b;
      this.pos = start;
      this.end = end;
    }

    /** Tops the buffer up to at least 57 bits (zero padding after the data or a marker). */
    void fill() {
      if (count > 56) {
        return;
      }
      if (!atMarker && pos + 8 <= end) {
        // Fast path: when none of the next eight bytes is 0xFF there is no stuffing and no marker,
        // so as many whole bytes as fit are appended at once.
        long v = (long) BIG_ENDIAN_LONG.get(b, pos);
        long t = ~v;
        if (((t - 0x0101010101010101L) & ~t & 0x8080808080808080L) == 0) {
          int n = (64 - count) >>> 3;
          long top = n == 8 ? v : (v >>> (64 - 8 * n)) << (64 - 8 * n);
          buffer |= top >>> count;
          count += 8 * n;
          pos += n;
          return;
        }
      }
      while (count <= 56) {
        int next = 0;
        if (!atMarker && pos < end) {
          int x = b[pos] & 0xff;
          if (x == 0xFF) {
            int y = pos + 1 < end ? b[pos + 1] & 0xff : -1;
            if (y == 0) {
              next = 0xFF;
              pos += 2;
            } else {
              atMarker = true;
              padding++;
            }
          } else {
            next = x;
            pos++;
          }
        } else {
          padding++;
        }
        buffer |= ((long) next) << (56 - count);
        count += 8;
      }
    }

    int peek(int n) {
      return (int) (buffer >>> (64 - n));
    }

    void skip(int n) {
      buffer <<= n;
      count -= n;
    }

    int take(int n) {
      fill();
      int value = peek(n);
      skip(n);
      return value;
    }

    /** Whether bits that were not in the data (padding) have been consumed. */
    boolean overrun() {
      return padding * 8 > count;
    }

    /** Skips to after the expected restart marker and resets the bit buffer. */
    boolean restart(int marker) {
      if (overrun()) {
        return false;
      }
      while (pos < end && (b[pos] & 0xff) != 0xFF) {
        pos++; // only the fill bits of the last byte should remain
      }
      while (pos + 1 < end && (b[pos] & 0xff) == 0xFF && (b[pos + 1] & 0xff) == 0xFF) {
        pos++;
      }
      if (pos + 1 >= end || (b[pos + 1] & 0xff) != marker) {
        return false;
      }
      pos += 2;
      buffer = 0;
      count = 0;
      padding = 0;
      atMarker = false;
      return true;
    }
  }
}
