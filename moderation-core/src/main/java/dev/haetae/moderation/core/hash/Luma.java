package dev.haetae.moderation.core.hash;

import java.awt.image.BufferedImage;
import java.awt.image.DataBufferByte;
import java.awt.image.DataBufferInt;

/**
 * Converts a decoded image to PDQ luminance with exactly the colour values
 * {@link BufferedImage#getRGB(int, int)} returns (the reference hasher's input), reading the raster
 * directly for the common layouts where that is equivalent and in bulk otherwise. Stateless and
 * thread-safe.
 */
final class Luma {
  private Luma() {}

  /**
   * The luminance of every pixel, reading an 8-bit single-band (grey) raster's samples as they
   * are stored. {@link BufferedImage#getRGB(int, int)} treats such a raster as linear grey and
   * brightens it on the way to sRGB; the reference hasher inherits that, so a greyscale re-share of
   * a colour image hashes tens of bits away from it. The stored grey value is what a greyscale
   * converter wrote, i.e. the colour image's luma, so it is hashed as a query variant.
   *
   * @param image a decoded image; not modified
   * @return width*height values, or null when the image is not 8-bit grey without alpha
   */
  static float[] ofStoredGrey(BufferedImage image) {
    java.awt.image.Raster raster = image.getRaster();
    if (raster.getNumBands() != 1 || raster.getSampleModel().getSampleSize(0) != 8
        || image.getColorModel().hasAlpha()) {
      return null;
    }
    int w = image.getWidth();
    int h = image.getHeight();
    float[] luma = new float[Math.multiplyExact(w, h)];
    int[] row = new int[w];
    for (int y = 0; y < h; y++) {
      raster.getSamples(0, y, w, 1, 0, row);
      for (int x = 0; x < w; x++) {
        int v = row[x] & 0xff;
        row[x] = v << 16 | v << 8 | v;
      }
      PdqCore.luma(row, 0, w, luma, y * w);
    }
    return luma;
  }

  /**
   * The luminance of every pixel, row-major.
   *
   * @param image a decoded image; not modified
   * @return width*height values
   */
  static float[] of(BufferedImage image) {
    int w = image.getWidth();
    int h = image.getHeight();
    float[] luma = new float[Math.multiplyExact(w, h)];
    switch (image.getType()) {
      case BufferedImage.TYPE_3BYTE_BGR:
        if (fromBgr(image, luma, w, h)) {
          return luma;
        }
        break;
      case BufferedImage.TYPE_INT_RGB:
      case BufferedImage.TYPE_INT_ARGB:
        if (fromInt(image, luma, w, h)) {
          return luma;
        }
        break;
      default:
        break;
    }
    int[] row = new int[w];
    for (int y = 0; y < h; y++) {
      image.getRGB(0, y, w, 1, row, 0, w);
      PdqCore.luma(row, 0, w, luma, y * w);
    }
    return luma;
  }

  private static boolean fromBgr(BufferedImage image, float[] luma, int w, int h) {
    if (!(image.getRaster().getDataBuffer() instanceof DataBufferByte)
        || image.getRaster().getParent() != null
        || image.getRaster().getSampleModelTranslateX() != 0
        || image.getRaster().getSampleModelTranslateY() != 0) {
      return false;
    }
    byte[] data = ((DataBufferByte) image.getRaster().getDataBuffer()).getData();
    if (data.length < 3L * w * h) {
      return false;
    }
    int[] row = new int[w];
    for (int y = 0; y < h; y++) {
      int base = 3 * y * w;
      for (int x = 0; x < w; x++) {
        int p = base + 3 * x;
        row[x] = (data[p] & 0xff) | (data[p + 1] & 0xff) << 8 | (data[p + 2] & 0xff) << 16;
      }
      PdqCore.luma(row, 0, w, luma, y * w);
    }
    return true;
  }

  private static boolean fromInt(BufferedImage image, float[] luma, int w, int h) {
    if (!(image.getRaster().getDataBuffer() instanceof DataBufferInt)
        || image.getRaster().getParent() != null
        || image.getRaster().getSampleModelTranslateX() != 0
        || image.getRaster().getSampleModelTranslateY() != 0) {
      return false;
    }
    int[] data = ((DataBufferInt) image.getRaster().getDataBuffer()).getData();
    if (data.length < (long) w * h) {
      return false;
    }
    PdqCore.luma(data, 0, w * h, luma, 0);
    return true;
  }

  /**
   * The luminance of the means of {@code factor x factor} blocks, computed from the colour sums of
   * each block (luminance is linear in R, G and B, so this is the mean luminance up to float
   * rounding) without a full-size luminance buffer; trailing rows and columns that do not fill a
   * block are dropped. The colour values are those {@link #of(BufferedImage)} reads.
   *
   * @return a buffer of (width / factor) x (height / factor) values
   */
  static float[] blockMeans(BufferedImage image, int factor) {
    int w = image.getWidth();
    int h = image.getHeight();
    int dw = w / factor;
    int dh = h / factor;
    float[] out = new float[dw * dh];
    int[] row = new int[w];
    int[] sr = new int[dw];
    int[] sg = new int[dw];
    int[] sb = new int[dw];
    byte[] bgr = directBgr(image, w, h);
    int[] ints = bgr == null ? directInt(image, w, h) : null;
    float norm = 1.0f / (factor * factor);
    for (int y = 0; y < dh; y++) {
      java.util.Arrays.fill(sr, 0);
      java.util.Arrays.fill(sg, 0);
      java.util.Arrays.fill(sb, 0);
      for (int r = 0; r < factor; r++) {
        int sy = y * factor + r;
        int[] src = row;
        int off = 0;
        if (bgr != null) {
          // Summed straight from the interleaved bytes (B, G, R), without packing pixels.
          int p = 3 * sy * w;
          for (int x = 0; x < dw; x++) {
            int rr = 0;
            int gg = 0;
            int bb = 0;
            for (int end = p + 3 * factor; p < end; p += 3) {
              bb += bgr[p] & 0xff;
              gg += bgr[p + 1] & 0xff;
              rr += bgr[p + 2] & 0xff;
            }
            sr[x] += rr;
            sg[x] += gg;
            sb[x] += bb;
          }
          continue;
        } else if (ints != null) {
          src = ints;
          off = sy * w;
        } else {
          image.getRGB(0, sy, w, 1, row, 0, w);
        }
        for (int x = 0; x < dw; x++) {
          int rr = 0;
          int gg = 0;
          int bb = 0;
          int p = off + x * factor;
          for (int c = 0; c < factor; c++) {
            int v = src[p + c];
            rr += (v >> 16) & 0xff;
            gg += (v >> 8) & 0xff;
            bb += v & 0xff;
          }
          sr[x] += rr;
          sg[x] += gg;
          sb[x] += bb;
        }
      }
      for (int x = 0; x < dw; x++) {
        // Reuses PdqCore.luma's coefficients on the (fractional) block mean.
        out[y * dw + x] = PdqCore.lumaOf(sr[x] * norm, sg[x] * norm, sb[x] * norm);
      }
    }
    return out;
  }

  private static byte[] directBgr(BufferedImage image, int w, int h) {
    if (image.getType() != BufferedImage.TYPE_3BYTE_BGR
        || !(image.getRaster().getDataBuffer() instanceof DataBufferByte)
        || image.getRaster().getParent() != null
        || image.getRaster().getSampleModelTranslateX() != 0
        || image.getRaster().getSampleModelTranslateY() != 0) {
      return null;
    }
    byte[] data = ((DataBufferByte) image.getRaster().getDataBuffer()).getData();
    return data.length < 3L * w * h ? null : data;
  }

  private static int[] directInt(BufferedImage image, int w, int h) {
    if ((image.getType() != BufferedImage.TYPE_INT_RGB && image.getType() != BufferedImage.TYPE_INT_ARGB)
        || !(image.getRaster().getDataBuffer() instanceof DataBufferInt)
        || image.getRaster().getParent() != null
        || image.getRaster().getSampleModelTranslateX() != 0
        || image.getRaster().getSampleModelTranslateY() != 0) {
      return null;
    }
    int[] data = ((DataBufferInt) image.getRaster().getDataBuffer()).getData();
    return data.length < (long) w * h ? null : data;
  }

  /**
   * Averages {@code factor x factor} blocks (an area-average downscale); trailing rows and columns
   * that do not fill a block are dropped.
   *
   * @return a buffer of (w / factor) x (h / factor) values
   */
  static float[] downscale(float[] luma, int w, int h, int factor) {
    int dw = w / factor;
    int dh = h / factor;
    float[] out = new float[dw * dh];
    float[] acc = new float[dw];
    float norm = 1.0f / (factor * factor);
    for (int y = 0; y < dh; y++) {
      java.util.Arrays.fill(acc, 0f);
      for (int r = 0; r < factor; r++) {
        int base = (y * factor + r) * w;
        for (int x = 0; x < dw; x++) {
          float s = 0f;
          int p = base + x * factor;
          for (int c = 0; c < factor; c++) {
            s += luma[p + c];
          }
          acc[x] += s;
        }
      }
      for (int x = 0; x < dw; x++) {
        out[y * dw + x] = acc[x] * norm;
      }
    }
    return out;
  }

  /** Doubles both dimensions by repeating each value in a 2 x 2 block. */
  static float[] upscale2(float[] luma, int w, int h) {
    int dw = 2 * w;
    float[] out = new float[4 * w * h];
    for (int y = 0; y < h; y++) {
      int row = 2 * y * dw;
      for (int x = 0; x < w; x++) {
        float v = luma[y * w + x];
        out[row + 2 * x] = v;
        out[row + 2 * x + 1] = v;
      }
      System.arraycopy(out, row, out, row + dw, dw);
    }
    return out;
  }
}
