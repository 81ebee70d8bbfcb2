package dev.haetae.moderation.core.hash;

/**
 * Applies an EXIF orientation (1..8) to a row-major buffer, giving the image as a viewer
 * displays it. Stateless and thread-safe.
 */
final class Orientation {
  private Orientation() {}

  /** Whether the orientation swaps width and height. */
  static boolean swaps(int orientation) {
    return orientation >= 5 && orientation <= 8;
  }

  /**
   * The displayed buffer; {@code luma} itself when the orientation is 1 (or unknown).
   *
   * @param luma the stored image, w x h
   * @return the displayed image: w x h, or h x w when {@link #swaps(int)}
   */
  static float[] apply(float[] luma, int w, int h, int orientation) {
    if (orientation < 2 || orientation > 8) {
      return luma;
    }
    float[] out = new float[luma.length];
    boolean swap = swaps(orientation);
    int dw = swap ? h : w;
    int dh = swap ? w : h;
    for (int y = 0; y < dh; y++) {
      for (int x = 0; x < dw; x++) {
        int sx;
        int sy;
        switch (orientation) {
          case 2: sx = w - 1 - x; sy = y; break;
          case 3: sx = w - 1 - x; sy = h - 1 - y; break;
          case 4: sx = x; sy = h - 1 - y; break;
          case 5: sx = y; sy = x; break;
          case 6: sx = y; sy = h - 1 - x; break;
          case 7: sx = w - 1 - y; sy = h - 1 - x; break;
          default: sx = w - 1 - y; sy = x; break; // 8
        }
        out[y * dw + x] = luma[sy * w + sx];
      }
    }
    return out;
  }
}
