package dev.haetae.moderation.video;

import java.awt.image.BufferedImage;
import java.util.Arrays;

/**
 * The canvas an animated GIF or WebP is drawn on: each frame is a rectangle placed on it, drawn
 * over what is there (alpha blending) or replacing it, and afterwards left, cleared to transparent,
 * or (GIF) restored to what was there before. Pixels never drawn stay transparent black, which the
 * hasher (ignoring alpha) sees as black. Not thread-safe; one per decode.
 */
final class Canvas {
  /** What happens to a frame's rectangle after it was shown. */
  enum Dispose {
    /** Left as drawn. */
    NONE,
    /** Cleared to transparent. */
    BACKGROUND,
    /** Restored to the canvas before the frame was drawn (GIF only). */
    PREVIOUS
  }

  final int width;
  final int height;
  final int[] argb;
  private int[] saved;

  Canvas(int width, int height) {
    this.width = width;
    this.height = height;
    this.argb = new int[width * height];
  }

  /**
   * Draws {@code frame} with its top left corner at {@code (x, y)}, clipped to the canvas, and
   * returns what to do after showing it.
   *
   * @param blend whether the frame is drawn over the canvas (alpha compositing) or replaces it
   * @param row a scratch row of at least the frame's width
   */
  void draw(BufferedImage frame, int x, int y, boolean blend, Dispose dispose, int[] row) {
    if (dispose == Dispose.PREVIOUS) {
      if (saved == null) {
        saved = new int[argb.length];
      }
      System.arraycopy(argb, 0, saved, 0, argb.length);
    }
    int fw = frame.getWidth();
    int x0 = Math.max(0, x);
    int x1 = Math.min(width, x + fw);
    int y0 = Math.max(0, y);
    int y1 = Math.min(height, y + frame.getHeight());
    if (x0 >= x1) {
      return;
    }
    for (int cy = y0; cy < y1; cy++) {
      frame.getRGB(0, cy - y, fw, 1, row, 0, fw);
      int at = cy * width;
      for (int cx = x0; cx < x1; cx++) {
        int src = row[cx - x];
        argb[at + cx] = blend ? over(src, argb[at + cx]) : src;
      }
    }
  }

  /** Undoes the last frame's rectangle as its disposal says, once it was shown. */
  void dispose(BufferedImage frame, int x, int y, Dispose dispose) {
    if (dispose == Dispose.NONE) {
      return;
    }
    int x0 = Math.max(0, x);
    int x1 = Math.min(width, x + frame.getWidth());
    int y0 = Math.max(0, y);
    int y1 = Math.min(height, y + frame.getHeight());
    for (int cy = y0; cy < y1 && x0 < x1; cy++) {
      int at = cy * width;
      if (dispose == Dispose.BACKGROUND) {
        Arrays.fill(argb, at + x0, at + x1, 0);
      } else {
        System.arraycopy(saved, at + x0, argb, at + x0, x1 - x0);
      }
    }
  }

  /** Porter-Duff source over destination, non-premultiplied 8-bit channels. */
  static int over(int src, int dst) {
    int sa = src >>> 24;
    if (sa == 255) {
      return src;
    }
    if (sa == 0) {
      return dst;
    }
    int da = dst >>> 24;
    int outA = sa + da * (255 - sa) / 255;
    if (outA == 0) {
      return 0;
    }
    int r = channel(src >>> 16, dst >>> 16, sa, da, outA);
    int g = channel(src >>> 8, dst >>> 8, sa, da, outA);
    int b = channel(src, dst, sa, da, outA);
    return outA << 24 | r << 16 | g << 8 | b;
  }

  private static int channel(int s, int d, int sa, int da, int outA) {
    s &= 0xff;
    d &= 0xff;
    return Math.min(255, (s * sa * 255 + d * da * (255 - sa)) / (255 * outA));
  }
}
