package dev.haetae.moderation.core.hash;

/**
 * Reduced-resolution JPEG decoding: keeps only the DC coefficient of every 8 x 8 luma block of a
 * baseline (sequential, Huffman-coded, 8-bit) JPEG, which is the block's mean, giving the image's
 * luminance at 1/8 of its size without any inverse DCT, upsampling or colour conversion. The AC
 * coefficients, and the chroma blocks, still have to be entropy-decoded (to find where the next
 * block starts) but are skipped without assembling their values. PDQ keeps only the lowest
 * frequencies of a 64 x 64 summary, which an image of block means (at least 128 px on its longer
 * side, as used) still carries.
 *
 * <p>The scan is first copied without byte stuffing, so that the bit buffer can be refilled with
 * one unaligned 8-byte read and no branch on the data; table lookups of {@value Huffman#LOOKUP}
 * bits then resolve a DC code with its difference, or a group of whole AC symbols, at a time (see
 * {@link Huffman}). The reduced-scale decode reads the values of a luma block's lowest
 * coefficients through a second table that resolves code, run and value in one lookup, and its
 * 4 x 4 inverse DCT is unrolled with the transform's weights as constants.
 *
 * <p>This is a fast path, not a validator: whenever the file is anything else than what it
 * handles (progressive, arithmetic-coded, 12-bit, CMYK, non-interleaved scans, an Adobe RGB
 * transform or RGB component ids, luma subsampled below a chroma plane, more than 10 blocks per
 * MCU) or anything looks wrong (a bad Huffman code, a missing restart marker, data that ends
 * before the last block), {@link #decode} returns null and the caller decodes the file with
 * ImageIO, which then reports damage with its usual exceptions. Nothing is allocated before the
 * declared dimensions have been checked against the limits. Thread-safe; the only state shared
 * between calls is a small cache of built Huffman tables (see {@link Huffman#cached}).
 */
final class JpegDcDecoder {
  private JpegDcDecoder() {}

  /** A decoded image of block means: luminance, row-major, its size, and the full image's. */
  static final class Result {
    final float[] luma;
    final int width;
    final int height;
    final int fullWidth;
    final int fullHeight;

    Result(float[] luma, int width, int height, int fullWidth, int fullHeight) {
      this.luma = luma;
      this.width = width;
      this.height = height;
      this.fullWidth = fullWidth;
      this.fullHeight = fullHeight;
    }
  }

  /**
   * Decodes the block means of a baseline JPEG whose longer side is at least {@code minSide}, or
   * which declares more than {@code maxPixels} pixels (up to {@code maxDeclaredPixels}): block
   * means take 1/64 of the memory of the
   * pixels, so such an image is still hashed as long as its blocks are within {@code maxPixels}
   * (ImageIO, even subsampling, would hold its full coefficients or rows).
   *
   * @return the image at 1/8 scale, or null when the fast path does not apply (including an
   *     image smaller than {@code minSide} and within the pixel limit, a side over
   *     {@code maxDimension}, more pixels than {@code maxDeclaredPixels} or more blocks than
   *     {@code maxPixels}) or the data is not perfectly
   *     sound (the caller then uses ImageIO)
   */
  static Result decode(byte[] b, int length, int minSide, long maxPixels, long maxDeclaredPixels,
      int maxDimension) {
    try {
      Parsed p = parse(b, length);
      long pixels = p == null ? 0 : (long) p.width * p.height;
      if (p == null || p.width > maxDimension || p.height > maxDimension || pixels > maxDeclaredPixels) {
        return null;
      }
      boolean overLimit = pixels > maxPixels;
      long blocks = (long) ((p.width + 7) / 8) * ((p.height + 7) / 8);
      if ((!overLimit && Math.max(p.width, p.height) < minSide) || blocks > maxPixels) {
        return null;
      }
      return p.decodeScan(b, length, 1);
    } catch (RuntimeException e) {
      return null; // anything unexpected: let ImageIO decide
    }
  }

  /**
   * Decodes the luminance of a baseline colour JPEG at 1/{@code scale} of its size: each value is
   * the mean of a {@code scale} x {@code scale} block of pixels, computed from the block's lowest
   * 8 / {@code scale} x 8 / {@code scale} DCT coefficients (a reduced inverse DCT; the higher
   * coefficients, and the chroma planes, are entropy-decoded only to find where the next block
   * starts). The YCbCr to RGB matrix followed by PDQ's luma weights is the identity on Y, so Y is
   * the PDQ luminance up to the clamping of out-of-gamut colours and the rounding of RGB to bytes.
   *
   * <p>Greyscale files are refused (null): ImageIO, and so the reference hash, reads their grey as
   * linear and brightens it, which Y taken as stored would not match.
   *
   * @param scale 2 or 4
   * @param minSide the shortest longer side decoded
   * @param belowSide the longer side must be below this
   * @return the image at 1/{@code scale} (ceil of each side), or null when the file is not a
   *     sound baseline three-component YCbCr JPEG with its longer side in
   *     [{@code minSide}, {@code belowSide}) and within {@code maxPixels} and {@code maxDimension}
   *     (the caller then uses ImageIO)
   */
  static Result decodeReduced(byte[] b, int length, int scale, int minSide, int belowSide, long maxPixels,
      int maxDimension) {
    if (scale != 2 && scale != 4) {
      throw new IllegalArgumentException("scale must be 2 or 4, got " + scale);
    }
    try {
      Parsed p = parse(b, length);
      int longer = p == null ? 0 : Math.max(p.width, p.height);
      if (p == null || p.components != 3 || longer < minSide || longer >= belowSide || p.width > maxDimension
          || p.height > maxDimension || (long) p.width * p.height > maxPixels) {
        return null;
      }
      return p.decodeScan(b, length, 8 / scale);
    } catch (RuntimeException e) {
      return null; // anything unexpected: let ImageIO decide
    }
  }

  /** Natural-order row and column of each zigzag index. */
  private static final int[] ZIGZAG_ROW = new int[64];
  private static final int[] ZIGZAG_COL = new int[64];

  static {
    int r = 0;
    int c = 0;
    for (int z = 0; z < 64; z++) {
      ZIGZAG_ROW[z] = r;
      ZIGZAG_COL[z] = c;
      if (((r + c) & 1) == 0) { // moving up and right
        if (c == 7) {
          r++;
        } else if (r == 0) {
          c++;
        } else {
          r--;
          c++;
        }
      } else { // moving down and left
        if (r == 7) {
          c++;
        } else if (c == 0) {
          r++;
        } else {
          r++;
          c--;
        }
      }
    }
  }

  /** The largest zigzag index inside the lowest {@code n} x {@code n} coefficients. */
  static int lastZigzag(int n) {
    int last = 0;
    for (int z = 0; z < 64; z++) {
      if (ZIGZAG_ROW[z] < n && ZIGZAG_COL[z] < n) {
        last = z;
      }
    }
    return last;
  }

  /**
   * The reduced inverse DCT of {@code n} outputs per axis: {@code t[x * n + u]} weighs coefficient
   * {@code u} in output {@code x}, the mean over its 8 / n pixels of the 8-point DCT's basis
   * function (with the transform's normalisation), so that an output is its block's mean as far as
   * the first n coefficients carry it.
   */
  static float[] reducedIdct(int n) {
    int s = 8 / n;
    float[] t = new float[n * n];
    for (int x = 0; x < n; x++) {
      for (int u = 0; u < n; u++) {
        double sum = 0;
        for (int k = 0; k < s; k++) {
          sum += Math.cos((2 * (s * x + k) + 1) * u * Math.PI / 16);
        }
        double cu = u == 0 ? Math.sqrt(0.5) : 1;
        t[x * n + u] = (float) (cu / 2 * sum / s);
      }
    }
    return t;
  }

  /** The half-scale decode's transform ({@link #reducedIdct} of 4), as constants of its unrolled form. */
  private static final float[] IDCT4 = reducedIdct(4);
  private static final float T00 = IDCT4[0];
  private static final float T01 = IDCT4[1];
  private static final float T02 = IDCT4[2];
  private static final float T03 = IDCT4[3];
  private static final float T10 = IDCT4[4];
  private static final float T11 = IDCT4[5];
  private static final float T12 = IDCT4[6];
  private static final float T13 = IDCT4[7];
  private static final float T20 = IDCT4[8];
  private static final float T21 = IDCT4[9];
  private static final float T22 = IDCT4[10];
  private static final float T23 = IDCT4[11];
  private static final float T30 = IDCT4[12];
  private static final float T31 = IDCT4[13];
  private static final float T32 = IDCT4[14];
  private static final float T33 = IDCT4[15];

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
          // Component ids 'R', 'G', 'B' can mean RGB rather than YCbCr: left to ImageIO.
          boolean rgbIds = p.components == 3 && p.id[0] == 'R' && p.id[1] == 'G' && p.id[2] == 'B';
          return p.width > 0 && !p.adobeNotYcc && !rgbIds ? p : null;
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
    /** Whole quantisation tables, in zigzag order (only read by the reduced-scale decode). */
    final int[][] quant = new int[4][];
    final int[][] dcCounts = new int[4][];
    final int[][] dcSymbols = new int[4][];
    final int[][] acCounts = new int[4][];
    final int[][] acSymbols = new int[4][];
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
        int[] q = new int[64];
        for (int k = 0; k < 64; k++) {
          q[k] = pq == 0 ? b[at + 1 + k] & 0xff : u16(b, at + 1 + 2 * k);
        }
        quant[t] = q;
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
        // The lookup tables are built only when the scan is decoded.
        if (tc == 0) {
          dcCounts[th] = counts;
          dcSymbols[th] = symbols;
        } else {
          acCounts[th] = counts;
          acSymbols[th] = symbols;
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
        if (td[k] > 3 || ta[k] > 3 || dcCounts[td[k]] == null || acCounts[ta[k]] == null || quant0[tq[k]] < 0) {
          return false;
        }
      }
      int o = at + 1 + 2 * ns;
      return (b[o] & 0xff) == 0 && (b[o + 1] & 0xff) == 63 && (b[o + 2] & 0xff) == 0;
    }

    /**
     * Entropy-decodes the scan and returns the luminance at {@code side} values per block side: 1
     * for the block means (DC only), 2 or 4 for a reduced inverse DCT of the lowest side x side
     * coefficients. Only component 0 (Y, or the grey of a one-component file) is kept: its block
     * mean is the PDQ luminance of the block up to the clamping of out-of-gamut colours (the YCbCr
     * to RGB matrix followed by PDQ's luma weights is the identity on Y), so the chroma planes are
     * decoded only to find where the next block starts, and never converted.
     */
    Result decodeScan(byte[] b, int length, int side) {
      int hmax = 1;
      int vmax = 1;
      for (int c = 0; c < components; c++) {
        hmax = Math.max(hmax, h[c]);
        vmax = Math.max(vmax, v[c]);
      }
      int h0 = components == 1 ? 1 : h[0];
      int v0 = components == 1 ? 1 : v[0];
      if (h0 != hmax || v0 != vmax) {
        return null; // luma not at full resolution: rare, left to ImageIO
      }
      int mcusX = (width + 8 * hmax - 1) / (8 * hmax);
      int mcusY = (height + 8 * vmax - 1) / (8 * vmax);
      int step = 8 / side;
      int w = (width + step - 1) / step;
      int hgt = (height + step - 1) / step;
      // The reduced inverse DCT (side > 1): the lowest side x side coefficients, by zigzag index.
      int lowLast = side == 1 ? 0 : lastZigzag(side);
      int[] coef = new int[lowLast + 1];
      float[] coefScale = new float[lowLast + 1];
      int[] coefAt = new int[lowLast + 1];
      for (int z = 0; z <= lowLast; z++) {
        boolean inside = ZIGZAG_ROW[z] < side && ZIGZAG_COL[z] < side;
        coefScale[z] = inside ? quant[tq[0]][z] : 0f;
        coefAt[z] = inside ? ZIGZAG_ROW[z] * side + ZIGZAG_COL[z] : 0;
      }
      float[] idct = side == 1 ? null : reducedIdct(side);
      float[] freq = new float[side * side];
      float[] rows = new float[side * side];

      // The blocks of one MCU in coding order: component, and for luma its offset in the MCU.
      int perMcu = 0;
      for (int c = 0; c < components; c++) {
        perMcu += components == 1 ? 1 : h[c] * v[c];
      }
      if (perMcu > MAX_BLOCKS_PER_MCU) {
        return null; // not a valid JPEG frame
      }
      int[] blockComp = new int[perMcu];
      int[] blockDx = new int[perMcu];
      int[] blockDy = new int[perMcu];
      short[][] dcTable = new short[perMcu][];
      short[][] acTable = new short[perMcu][];
      int[][] acValue = new int[perMcu][];
      Huffman[] dcCodes = new Huffman[perMcu];
      Huffman[] acCodes = new Huffman[perMcu];
      Huffman[] builtDc = new Huffman[4];
      Huffman[] builtAc = new Huffman[4];
      for (int c = 0, k = 0; c < components; c++) {
        Huffman dh = builtDc[td[c]];
        if (dh == null) {
          dh = builtDc[td[c]] = Huffman.cached(dcCounts[td[c]], dcSymbols[td[c]], false, false);
        }
        Huffman ah = builtAc[ta[c]];
        if (ah == null) {
          // Only luma's values are read (component 0 comes first), and only below the block means.
          ah = builtAc[ta[c]] = Huffman.cached(acCounts[ta[c]], acSymbols[ta[c]], true, c == 0 && side > 1);
        }
        if (dh == null || ah == null) {
          return null;
        }
        int hc = components == 1 ? 1 : h[c];
        int vc = components == 1 ? 1 : v[c];
        for (int by = 0; by < vc; by++) {
          for (int bx = 0; bx < hc; bx++, k++) {
            blockComp[k] = c;
            blockDx[k] = bx;
            blockDy[k] = by;
            dcCodes[k] = dh;
            acCodes[k] = ah;
            dcTable[k] = dh.fast;
            acTable[k] = ah.fast;
            acValue[k] = ah.value;
          }
        }
      }

      Scan scan = Scan.unstuff(b, scanStart, length);
      byte[] data = scan.data;
      float[] luma = new float[w * hgt];
      float scale0 = quant0[tq[0]] / 8f;
      int pred0 = 0;
      int pred1 = 0;
      int pred2 = 0;
      long buf = 0;
      int cnt = 0;
      int pos = 0;
      int segment = 0;
      long limit = 8L * scan.end(0);
      int mx = 0;
      int my = 0;
      int mcus = mcusX * mcusY;
      for (int m = 0; m < mcus; m++) {
        if (restartInterval > 0 && m > 0 && m % restartInterval == 0) {
          // Restart: the next segment must be the one after the expected marker.
          if (8L * pos - cnt > limit || segment >= scan.markers || scan.marker[segment] != 0xD0 + (segment & 7)) {
            return null;
          }
          pos = scan.start[segment];
          segment++;
          limit = 8L * scan.end(segment);
          buf = 0;
          cnt = 0;
          pred0 = 0;
          pred1 = 0;
          pred2 = 0;
        }
        for (int k = 0; k < perMcu; k++) {
          // DC: code and magnitude resolved by one lookup in the common case.
          buf |= ((long) BIG_ENDIAN_LONG.get(data, pos)) >>> cnt;
          pos += (63 - cnt) >>> 3;
          cnt |= 56;
          int e = dcTable[k][(int) (buf >>> (64 - Huffman.LOOKUP))];
          int n;
          int diff;
          if (e != 0) {
            n = e & Huffman.DC_BITS_MASK;
            diff = e >> Huffman.DC_DIFF_SHIFT;
          } else {
            int code = dcCodes[k].slow((int) (buf >>> 48));
            if (code < 0) {
              return null;
            }
            int l = code >>> 8;
            int t = code & 0xff;
            if (t > 11) {
              return null;
            }
            diff = t == 0 ? 0 : extend((int) ((buf << l) >>> (64 - t)), t);
            n = l + t;
          }
          buf <<= n;
          cnt -= n;
          int comp = blockComp[k];
          int i = 1; // index of the next coefficient
          boolean blockDone = false;
          if (comp == 0) {
            pred0 += diff;
            int x = mx * h0 + blockDx[k];
            int y = my * v0 + blockDy[k];
            if (side == 1) {
              if (x < w && y < hgt) {
                luma[y * w + x] = clamp(pred0 * scale0 + 128f);
              }
            } else {
              // The lowest coefficients with their values: one lookup per symbol resolves the
              // code, the run and the value in the common case (see Huffman.value).
              coef[0] = pred0; // coef[1..lowLast] are zero: cleared after the previous block
              int last = 0;
              int[] values = acValue[k];
              while (i <= lowLast) {
                if (cnt < 32) {
                  buf |= ((long) BIG_ENDIAN_LONG.get(data, pos)) >>> cnt;
                  pos += (63 - cnt) >>> 3;
                  cnt |= 56;
                }
                int v = values[(int) (buf >>> (64 - Huffman.VALUE_LOOKUP))];
                if ((v & Huffman.V_SPECIAL) == 0) {
                  buf <<= v; // the bits taken are in the low five bits (a shift uses only those)
                  cnt -= v & Huffman.BITS_MASK;
                  i += (v >>> Huffman.RUN_SHIFT) & 15;
                  v >>= Huffman.VALUE_SHIFT;
                } else if ((v & Huffman.V_EOB) != 0) {
                  int l = v & Huffman.BITS_MASK; // an end of block, once per block: read first
                  buf <<= l;
                  cnt -= l;
                  blockDone = true;
                  break;
                } else {
                  int l;
                  int r;
                  int size;
                  if ((v & Huffman.V_SLOW) != 0) {
                    int code = acCodes[k].slow((int) (buf >>> 48));
                    if (code < 0) {
                      return null;
                    }
                    l = code >>> 8;
                    r = (code >> 4) & 15;
                    size = code & 15;
                  } else {
                    l = v & Huffman.BITS_MASK;
                    r = (v >>> Huffman.RUN_SHIFT) & 15;
                    size = (v >>> Huffman.SIZE_SHIFT) & 15; // a pending magnitude (V_EOB was read above)
                  }
                  if (size == 0 && r != 15) {
                    buf <<= l;
                    cnt -= l;
                    blockDone = true; // end of block
                    break;
                  }
                  v = size == 0 ? 0 : extend((int) ((buf << l) >>> (64 - size)), size);
                  buf <<= l + size;
                  cnt -= l + size;
                  i += r;
                }
                if (i > 63) {
                  return null;
                }
                if (i <= lowLast) {
                  coef[i] = v;
                  if (v != 0) {
                    last = i;
                  }
                }
                i++;
              }
              if (i >= 64) {
                if (i > 64) {
                  return null;
                }
                blockDone = true;
              }
              if (side == 4) {
                writeBlock4(coef, last, coefScale, luma, w, hgt, x * 4, y * 4);
              } else {
                writeBlock(coef, last, coefScale, coefAt, idct, freq, rows, side, luma, w, hgt, x * side, y * side);
              }
              for (int z = 1; z <= last; z++) {
                coef[z] = 0; // only coefficients up to the last non-zero one were set non-zero
              }
            }
          } else if (comp == 1) {
            pred1 += diff;
          } else {
            pred2 += diff;
          }

          // AC: skipped, several symbols per lookup when they fit (see Huffman.build).
          short[] ac = acTable[k];
          while (!blockDone) {
            if (cnt < 2 * Huffman.GROUP_BITS) {
              buf |= ((long) BIG_ENDIAN_LONG.get(data, pos)) >>> cnt;
              pos += (63 - cnt) >>> 3;
              cnt |= 56;
            }
            e = ac[(int) (buf >>> (64 - Huffman.LOOKUP))];
            int next = i + ((e >>> Huffman.ADVANCE_SHIFT) & Huffman.ADVANCE_MASK);
            if (next < 64) {
              buf <<= e; // the group's bit count is in the low six bits (a shift uses only those)
              cnt -= e & Huffman.BITS_MASK;
              if ((e & Huffman.GROUP_EOB) != 0) {
                break;
              }
              i = next;
              // At least GROUP_BITS are left: enough for one more group without a refill.
              e = ac[(int) (buf >>> (64 - Huffman.LOOKUP))];
              next = i + ((e >>> Huffman.ADVANCE_SHIFT) & Huffman.ADVANCE_MASK);
              if (next < 64) {
                buf <<= e;
                cnt -= e & Huffman.BITS_MASK;
                if ((e & Huffman.GROUP_EOB) != 0) {
                  break;
                }
                i = next;
              }
              continue;
            }
            if (next == 64 && (e & Huffman.GROUP_EOB) == 0) {
              buf <<= e; // the group ends exactly with the block's last coefficient
              cnt -= e & Huffman.BITS_MASK;
              break;
            }
            // A code longer than the lookup, a magnitude that does not fit in it, or a group
            // that runs past the end of the block: one symbol, decoded canonically.
            int code = acCodes[k].slow((int) (buf >>> 48));
            if (code < 0) {
              return null;
            }
            int l = code >>> 8;
            int r = (code >> 4) & 15;
            int size = code & 15;
            n = l + size;
            buf <<= n;
            cnt -= n;
            if (size == 0 && r != 15) {
              break; // end of block
            }
            i += size == 0 ? 16 : r + 1;
            if (i >= 64) {
              if (i > 64) {
                return null;
              }
              break;
            }
          }
        }
        if (8L * pos - cnt > limit) {
          return null; // the data (or the restart interval) ended before this MCU did
        }
        if (++mx == mcusX) {
          mx = 0;
          my++;
        }
      }
      return new Result(luma, w, hgt, width, height);
    }

    private static int extend(int value, int size) {
      return value < (1 << (size - 1)) ? value - (1 << size) + 1 : value;
    }

    /**
     * {@code x} clamped to the pixel range [0, 255]: the same value as
     * {@code Math.max(0f, Math.min(255f, x))} for every {@code x} but NaN (a signed zero becomes
     * +0 in both), which a decoded value never is (integer coefficients times quantisation steps,
     * finite weights); two compares instead of the NaN- and zero-aware min and max.
     */
    private static float clamp(float x) {
      return x > 0f ? (x < 255f ? x : 255f) : 0f;
    }

    /** A flat block (DC only): its mean, {@code dc} + 128 clamped, at all n x n outputs. */
    private static void writeFlat(float dc, int n, float[] luma, int w, int hgt, int x0, int y0) {
      float v = clamp(dc + 128f);
      for (int y = 0; y < n && y0 + y < hgt; y++) {
        for (int x = 0; x < n && x0 + x < w; x++) {
          luma[(y0 + y) * w + x0 + x] = v;
        }
      }
    }

    /**
     * {@link #writeBlock} for 4 x 4 outputs (the half-scale decode), unrolled with the transform's
     * weights as constants: the same operations in the same order, so the same values bit for bit
     * (a signed zero aside, which the final {@code + 128} removes).
     */
    private static void writeBlock4(int[] coef, int last, float[] coefScale, float[] luma, int w, int hgt, int x0,
        int y0) {
      if (last == 0) {
        writeFlat(coef[0] * coefScale[0] / 8f, 4, luma, w, hgt, x0, y0);
        return;
      }
      float f00 = coef[0] * coefScale[0];
      float f01 = coef[1] * coefScale[1];
      float f02 = coef[5] * coefScale[5];
      float f03 = coef[6] * coefScale[6];
      float f10 = coef[2] * coefScale[2];
      float f11 = coef[4] * coefScale[4];
      float f12 = coef[7] * coefScale[7];
      float f13 = coef[13] * coefScale[13];
      float f20 = coef[3] * coefScale[3];
      float f21 = coef[8] * coefScale[8];
      float f22 = coef[12] * coefScale[12];
      float f23 = coef[17] * coefScale[17];
      float f30 = coef[9] * coefScale[9];
      float f31 = coef[11] * coefScale[11];
      float f32 = coef[18] * coefScale[18];
      float f33 = coef[24] * coefScale[24];
      // The horizontal pass over each row of coefficients, then the vertical pass.
      float r00 = 0f + T00 * f00 + T01 * f01 + T02 * f02 + T03 * f03;
      float r01 = 0f + T10 * f00 + T11 * f01 + T12 * f02 + T13 * f03;
      float r02 = 0f + T20 * f00 + T21 * f01 + T22 * f02 + T23 * f03;
      float r03 = 0f + T30 * f00 + T31 * f01 + T32 * f02 + T33 * f03;
      float r10 = 0f + T00 * f10 + T01 * f11 + T02 * f12 + T03 * f13;
      float r11 = 0f + T10 * f10 + T11 * f11 + T12 * f12 + T13 * f13;
      float r12 = 0f + T20 * f10 + T21 * f11 + T22 * f12 + T23 * f13;
      float r13 = 0f + T30 * f10 + T31 * f11 + T32 * f12 + T33 * f13;
      float r20 = 0f + T00 * f20 + T01 * f21 + T02 * f22 + T03 * f23;
      float r21 = 0f + T10 * f20 + T11 * f21 + T12 * f22 + T13 * f23;
      float r22 = 0f + T20 * f20 + T21 * f21 + T22 * f22 + T23 * f23;
      float r23 = 0f + T30 * f20 + T31 * f21 + T32 * f22 + T33 * f23;
      float r30 = 0f + T00 * f30 + T01 * f31 + T02 * f32 + T03 * f33;
      float r31 = 0f + T10 * f30 + T11 * f31 + T12 * f32 + T13 * f33;
      float r32 = 0f + T20 * f30 + T21 * f31 + T22 * f32 + T23 * f33;
      float r33 = 0f + T30 * f30 + T31 * f31 + T32 * f32 + T33 * f33;
      if (x0 + 4 <= w && y0 + 4 <= hgt) {
        int at0 = (y0 + 0) * w + x0;
        luma[at0 + 0] = clamp(0f + T00 * r00 + T01 * r10 + T02 * r20 + T03 * r30 + 128f);
        luma[at0 + 1] = clamp(0f + T00 * r01 + T01 * r11 + T02 * r21 + T03 * r31 + 128f);
        luma[at0 + 2] = clamp(0f + T00 * r02 + T01 * r12 + T02 * r22 + T03 * r32 + 128f);
        luma[at0 + 3] = clamp(0f + T00 * r03 + T01 * r13 + T02 * r23 + T03 * r33 + 128f);
        int at1 = (y0 + 1) * w + x0;
        luma[at1 + 0] = clamp(0f + T10 * r00 + T11 * r10 + T12 * r20 + T13 * r30 + 128f);
        luma[at1 + 1] = clamp(0f + T10 * r01 + T11 * r11 + T12 * r21 + T13 * r31 + 128f);
        luma[at1 + 2] = clamp(0f + T10 * r02 + T11 * r12 + T12 * r22 + T13 * r32 + 128f);
        luma[at1 + 3] = clamp(0f + T10 * r03 + T11 * r13 + T12 * r23 + T13 * r33 + 128f);
        int at2 = (y0 + 2) * w + x0;
        luma[at2 + 0] = clamp(0f + T20 * r00 + T21 * r10 + T22 * r20 + T23 * r30 + 128f);
        luma[at2 + 1] = clamp(0f + T20 * r01 + T21 * r11 + T22 * r21 + T23 * r31 + 128f);
        luma[at2 + 2] = clamp(0f + T20 * r02 + T21 * r12 + T22 * r22 + T23 * r32 + 128f);
        luma[at2 + 3] = clamp(0f + T20 * r03 + T21 * r13 + T22 * r23 + T23 * r33 + 128f);
        int at3 = (y0 + 3) * w + x0;
        luma[at3 + 0] = clamp(0f + T30 * r00 + T31 * r10 + T32 * r20 + T33 * r30 + 128f);
        luma[at3 + 1] = clamp(0f + T30 * r01 + T31 * r11 + T32 * r21 + T33 * r31 + 128f);
        luma[at3 + 2] = clamp(0f + T30 * r02 + T31 * r12 + T32 * r22 + T33 * r32 + 128f);
        luma[at3 + 3] = clamp(0f + T30 * r03 + T31 * r13 + T32 * r23 + T33 * r33 + 128f);
        return;
      }
      float[] out = {
        0f + T00 * r00 + T01 * r10 + T02 * r20 + T03 * r30,
        0f + T00 * r01 + T01 * r11 + T02 * r21 + T03 * r31,
        0f + T00 * r02 + T01 * r12 + T02 * r22 + T03 * r32,
        0f + T00 * r03 + T01 * r13 + T02 * r23 + T03 * r33,
        0f + T10 * r00 + T11 * r10 + T12 * r20 + T13 * r30,
        0f + T10 * r01 + T11 * r11 + T12 * r21 + T13 * r31,
        0f + T10 * r02 + T11 * r12 + T12 * r22 + T13 * r32,
        0f + T10 * r03 + T11 * r13 + T12 * r23 + T13 * r33,
        0f + T20 * r00 + T21 * r10 + T22 * r20 + T23 * r30,
        0f + T20 * r01 + T21 * r11 + T22 * r21 + T23 * r31,
        0f + T20 * r02 + T21 * r12 + T22 * r22 + T23 * r32,
        0f + T20 * r03 + T21 * r13 + T22 * r23 + T23 * r33,
        0f + T30 * r00 + T31 * r10 + T32 * r20 + T33 * r30,
        0f + T30 * r01 + T31 * r11 + T32 * r21 + T33 * r31,
        0f + T30 * r02 + T31 * r12 + T32 * r22 + T33 * r32,
        0f + T30 * r03 + T31 * r13 + T32 * r23 + T33 * r33
      };
      for (int y = 0; y < 4 && y0 + y < hgt; y++) {
        for (int x = 0; x < 4 && x0 + x < w; x++) {
          luma[(y0 + y) * w + x0 + x] = clamp(out[y * 4 + x] + 128f);
        }
      }
    }

    /**
     * The reduced inverse DCT of one luma block (coefficients up to zigzag index {@code last}),
     * written at ({@code x0}, {@code y0}) of the {@code w} x {@code hgt} output, clamped to the
     * pixel range; outputs beyond the image's edge are dropped.
     */
    private static void writeBlock(int[] coef, int last, float[] coefScale, int[] coefAt, float[] idct,
        float[] freq, float[] rows, int n, float[] luma, int w, int hgt, int x0, int y0) {
      if (last == 0) {
        writeFlat(coef[0] * coefScale[0] / 8f, n, luma, w, hgt, x0, y0);
        return;
      }
      java.util.Arrays.fill(freq, 0f);
      for (int z = 0; z <= last; z++) {
        freq[coefAt[z]] += coef[z] * coefScale[z];
      }
      // rows[v * n + x]: the horizontal pass over each row of coefficients.
      for (int v = 0; v < n; v++) {
        for (int x = 0; x < n; x++) {
          float sum = 0f;
          for (int u = 0; u < n; u++) {
            sum += idct[x * n + u] * freq[v * n + u];
          }
          rows[v * n + x] = sum;
        }
      }
      for (int y = 0; y < n && y0 + y < hgt; y++) {
        for (int x = 0; x < n && x0 + x < w; x++) {
          float sum = 0f;
          for (int v = 0; v < n; v++) {
            sum += idct[y * n + v] * rows[v * n + x];
          }
          luma[(y0 + y) * w + x0 + x] = clamp(sum + 128f);
        }
      }
    }
  }

  /** The most blocks an MCU may hold (ITU T.81, B.2.3). */
  private static final int MAX_BLOCKS_PER_MCU = 10;

  private static final java.lang.invoke.VarHandle BIG_ENDIAN_LONG =
      java.lang.invoke.MethodHandles.byteArrayViewVarHandle(long[].class, java.nio.ByteOrder.BIG_ENDIAN);

  /** For byte tests that do not care about the order (no byte swap). */
  private static final java.lang.invoke.VarHandle NATIVE_LONG =
      java.lang.invoke.MethodHandles.byteArrayViewVarHandle(long[].class, java.nio.ByteOrder.nativeOrder());

  /**
   * The entropy-coded data of a scan with byte stuffing removed, cut into restart intervals. The
   * copy is followed by {@value #PADDING} zero bytes, more than the decoder can consume between two
   * of its overrun checks (one MCU: at most 10 blocks of a 27-bit DC and 63 AC symbols of at most
   * 31 bits, plus an 8-byte read), so it never reads past the array.
   */
  private static final class Scan {
    static final int PADDING = 4096;

    final byte[] data;
    /** Data length. */
    final int length;
    /** Restart markers found (0xD0..0xD7) and where the data after each starts. */
    int markers;
    int[] marker = new int[8];
    int[] start = new int[8];

    private Scan(byte[] data, int length) {
      this.data = data;
      this.length = length;
    }

    /** Where segment {@code s} (0: before the first restart marker) ends in {@link #data}. */
    int end(int s) {
      return s < markers ? start[s] : length;
    }

    static Scan unstuff(byte[] b, int from, int to) {
      byte[] out = new byte[to - from + PADDING];
      int o = 0;
      int i = from;
      int[] marker = new int[8];
      int[] start = new int[8];
      int markers = 0;
      while (i < to) {
        // Copy the run up to the next 0xFF in one go; it is found sixteen bytes at a time.
        int run = i;
        while (i + 16 <= to) {
          long t = ~(long) NATIVE_LONG.get(b, i);
          long u = ~(long) NATIVE_LONG.get(b, i + 8);
          long zero = ((t - 0x0101010101010101L) & ~t) | ((u - 0x0101010101010101L) & ~u);
          if ((zero & 0x8080808080808080L) != 0) { // a byte of t or u is zero: 0xFF in the data
            break;
          }
          i += 16;
        }
        while (i < to && b[i] != (byte) 0xFF) {
          i++;
        }
        System.arraycopy(b, run, out, o, i - run);
        o += i - run;
        if (i + 1 >= to) {
          break; // the data ends (a lone trailing 0xFF is not data)
        }
        int y = b[i + 1] & 0xff;
        if (y == 0) {
          out[o++] = (byte) 0xFF;
          i += 2;
        } else if (y == 0xFF) {
          i++; // fill byte before a marker
        } else if (y >= 0xD0 && y <= 0xD7) {
          if (markers == marker.length) {
            marker = java.util.Arrays.copyOf(marker, 2 * markers);
            start = java.util.Arrays.copyOf(start, 2 * markers);
          }
          marker[markers] = y;
          start[markers] = o;
          markers++;
          i += 2;
        } else {
          break; // end of the scan (EOI or any other marker)
        }
      }
      Scan scan = new Scan(out, o);
      scan.markers = markers;
      scan.marker = marker;
      scan.start = start;
      return scan;
    }
  }

  /**
   * A canonical Huffman table with a {@value #LOOKUP}-bit lookup table {@link #fast} indexed by
   * the next bits of the stream; zero means "not resolved by the table, use {@link #slow}".
   *
   * <p>For a DC table an entry resolves a code together with its magnitude bits: the number of
   * bits both take in the low 4 bits, the sign-extended difference above.
   *
   * <p>For an AC table an entry resolves a group of whole symbols (code plus magnitude bits, which
   * are skipped, never assembled): as many as fit in the lookup bits, ending early after an end of
   * block; the last symbol's magnitude bits may run past the lookup bits (the code itself must be
   * inside them) as long as the group takes at most {@value #GROUP_BITS} bits. It holds the bits the group takes (low 5 bits; bit 5 is clear so that a long shift by
   * the entry shifts by exactly that), the coefficient-index advance of its symbols other than an
   * end of block, and whether it ends with an end of block. Unresolved patterns have the largest
   * advance, so the decoder's single end-of-block test sends them to {@link #slow}, as it does a
   * group that would run past the block's 63rd coefficient.
   */
  static final class Huffman {
    static final int LOOKUP = 12;
    /**
     * The most bits an AC group may take: its last symbol's magnitude bits may run past the
     * {@value #LOOKUP} bits looked up (they are skipped unseen), up to this many in all. The skip
     * loop refills below twice this, so that two groups fit between refills.
     */
    static final int GROUP_BITS = 16;
    static final int BITS_MASK = 31;
    static final int ADVANCE_SHIFT = 6;
    static final int ADVANCE_MASK = 127;
    static final int GROUP_EOB = 1 << 13;
    static final int DC_BITS_MASK = 15;
    static final int DC_DIFF_SHIFT = 4;
    static final int VALUE_LOOKUP = 12;
    static final int V_EOB = 1 << 6;
    static final int V_PENDING = 1 << 7;
    static final int V_SLOW = 1 << 5;
    static final int V_SPECIAL = V_EOB | V_PENDING | V_SLOW;
    static final int RUN_SHIFT = 8;
    static final int SIZE_SHIFT = 12;
    static final int VALUE_SHIFT = 16;

    /** Lookup entries, kept to 16 bits so that the four tables of a colour JPEG fit in L1. */
    final short[] fast = new short[1 << LOOKUP];
    /**
     * For an AC table, the reduced-scale decode's table (it needs the values): one symbol per
     * pattern of {@value #VALUE_LOOKUP} bits. When the code and its magnitude bits both fit, the
     * entry holds the bits they take (low 5 bits, bit 5 clear, so a long shift by the entry shifts
     * by exactly that), the run ({@link #RUN_SHIFT}) and the sign-extended value above
     * {@link #VALUE_SHIFT} (0 for a run of sixteen zeros); an end of block is {@link #V_EOB} with
     * the code's length. When only the code fits, {@link #V_PENDING} with the code's length, the
     * run and the magnitude's size ({@link #SIZE_SHIFT}); when not even the code fits,
     * {@link #V_SLOW} alone. Built only for the luma table of a reduced-scale decode, else null.
     */
    final int[] value;
    final int[] maxCode = new int[17];
    final int[] valPtr = new int[17];
    final int[] minCode = new int[17];
    final int[] symbols;

    private Huffman(int[] symbols, boolean values) {
      this.symbols = symbols;
      this.value = values ? new int[1 << VALUE_LOOKUP] : null;
    }

    /**
     * Tables built recently, by content, direct-mapped: most files carry the same few tables (the
     * example tables of ITU T.81 Annex K, which most encoders write by default), and building one
     * costs more than decoding a small image's blocks. A slot holds an immutable entry and is
     * overwritten by the next table that maps to it, so at most {@value #CACHED} tables are kept
     * (each at most 24 KB) and files with their own optimised tables cost what they did before.
     */
    private static final int CACHED = 32;

    private static final java.util.concurrent.atomic.AtomicReferenceArray<Cached> CACHE =
        new java.util.concurrent.atomic.AtomicReferenceArray<>(CACHED);

    /** A built table and the content it was built from: kind, code counts and symbols. */
    private static final class Cached {
      final byte[] key;
      final Huffman table;

      Cached(byte[] key, Huffman table) {
        this.key = key;
        this.table = table;
      }
    }

    /** {@link #build}, or the same table built before from the same content. */
    static Huffman cached(int[] counts, int[] symbols, boolean ac, boolean values) {
      byte[] key = new byte[17 + symbols.length];
      key[0] = (byte) ((ac ? 1 : 0) | (ac && values ? 2 : 0));
      for (int l = 1; l <= 16; l++) {
        key[l] = (byte) counts[l];
      }
      for (int k = 0; k < symbols.length; k++) {
        key[17 + k] = (byte) symbols[k];
      }
      int slot = (java.util.Arrays.hashCode(key) & 0x7fffffff) % CACHED;
      Cached hit = CACHE.get(slot);
      if (hit != null && java.util.Arrays.equals(hit.key, key)) {
        return hit.table;
      }
      Huffman t = build(counts, symbols, ac, values);
      if (t != null) {
        CACHE.set(slot, new Cached(key, t));
      }
      return t;
    }

    /**
     * The table, or null when the code lengths are over-subscribed; {@code values}: also build
     * {@link #value} (an AC table only).
     */
    static Huffman build(int[] counts, int[] symbols, boolean ac, boolean values) {
      Huffman t = new Huffman(symbols, ac && values);
      int[] codes = new int[1 << LOOKUP]; // (length << 8 | symbol) of the code each pattern starts with
      int code = 0;
      int k = 0;
      for (int l = 1; l <= 16; l++) {
        t.valPtr[l] = k;
        t.minCode[l] = code;
        for (int n = 0; n < counts[l]; n++, k++, code++) {
          if (l <= LOOKUP) {
            int shift = LOOKUP - l;
            java.util.Arrays.fill(codes, code << shift, (code + 1) << shift, l << 8 | symbols[k]);
          }
        }
        t.maxCode[l] = counts[l] == 0 ? -1 : code - 1;
        if (code > (1 << l)) {
          return null; // over-subscribed code lengths
        }
        code <<= 1;
      }
      if (ac && values) {
        t.fillValues(codes);
      }
      int mask = (1 << LOOKUP) - 1;
      for (int p = 0; p <= mask; p++) {
        int c = codes[p];
        if (c == 0) {
          if (ac) {
            t.fast[p] = (short) (ADVANCE_MASK << ADVANCE_SHIFT);
          }
          continue;
        }
        int l = c >>> 8;
        int sym = c & 0xff;
        if (!ac) {
          if (sym <= 11 && l + sym <= LOOKUP) {
            int diff = sym == 0 ? 0 : extend((p >>> (LOOKUP - l - sym)) & ((1 << sym) - 1), sym);
            t.fast[p] = (short) (diff << DC_DIFF_SHIFT | (l + sym));
          }
          continue;
        }
        int used = 0;
        int advance = 0;
        int entry = 0;
        while (used < LOOKUP) {
          int s = codes[(p << used) & mask];
          int sl = s >>> 8;
          if (s == 0 || sl > LOOKUP - used) {
            break;
          }
          int r = (s >> 4) & 15;
          int size = s & 15;
          // A symbol whose code fits but whose magnitude bits do not still ends the group, when
          // the group stays within GROUP_BITS: those bits are skipped without being looked at.
          boolean partial = sl + size > LOOKUP - used;
          if (partial && used + sl + size > GROUP_BITS) {
            break;
          }
          boolean eob = size == 0 && r != 15;
          int a = eob ? 0 : size == 0 ? 16 : r + 1;
          if (advance + a > 63) {
            break;
          }
          used += sl + size;
          advance += a;
          if (eob) {
            entry |= GROUP_EOB;
            break;
          }
          if (partial) {
            break;
          }
        }
        t.fast[p] = (short) (used > 0 ? entry | advance << ADVANCE_SHIFT | used : ADVANCE_MASK << ADVANCE_SHIFT);
      }
      return t;
    }

    /** Fills {@link #value} from the {@value #LOOKUP}-bit code of each pattern. */
    private void fillValues(int[] codes) {
      for (int p = 0; p < value.length; p++) {
        int c = codes[p << (LOOKUP - VALUE_LOOKUP)];
        int l = c >>> 8;
        if (c == 0 || l > VALUE_LOOKUP) {
          value[p] = V_SLOW;
          continue;
        }
        int r = (c >> 4) & 15;
        int size = c & 15;
        if (size == 0) { // an end of block (any run but 15, as the skip path reads it) or sixteen zeros
          value[p] = r == 15 ? 15 << RUN_SHIFT | l : V_EOB | l;
        } else if (l + size <= VALUE_LOOKUP) {
          int v = extend((p >>> (VALUE_LOOKUP - l - size)) & ((1 << size) - 1), size);
          value[p] = v << VALUE_SHIFT | r << RUN_SHIFT | (l + size);
        } else {
          value[p] = V_PENDING | size << SIZE_SHIFT | r << RUN_SHIFT | l;
        }
      }
    }

    private static int extend(int value, int size) {
      return value < (1 << (size - 1)) ? value - (1 << size) + 1 : value;
    }

    /**
     * Decodes a code of any length from the next 16 bits of the stream.
     *
     * @return (code length &lt;&lt; 8 | symbol), or -1 when the bits start no code of this table
     */
    int slow(int next16) {
      for (int l = 1; l <= 16; l++) {
        int code = next16 >>> (16 - l);
        if (maxCode[l] >= 0 && code <= maxCode[l] && code >= minCode[l]) {
          return l << 8 | symbols[valPtr[l] + code - minCode[l]];
        }
      }
      return -1;
    }
  }
}
