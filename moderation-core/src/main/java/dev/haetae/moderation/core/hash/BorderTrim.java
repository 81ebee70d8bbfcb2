package dev.haetae.moderation.core.hash;

/**
 * Finds uniform borders (screenshot padding, letterbox and pillarbox bars, frames) around an image
 * so that the content inside can be hashed on its own. A side is trimmed when its outermost line
 * is flat (all values within {@link #TOLERANCE} of their mean) and as long as the following lines
 * stay within the tolerance of that colour, up to {@link #MAX_FRACTION} of the dimension.
 * Stateless and thread-safe.
 */
final class BorderTrim {
  /** Largest luminance difference (0..255) from the border colour still counted as border. */
  static final float TOLERANCE = 14f;
  /** At most this fraction of a dimension is trimmed from each side. */
  static final double MAX_FRACTION = 0.4;
  /** Trims smaller than this fraction of the dimension (on every side) are ignored. */
  static final double MIN_FRACTION = 0.02;

  private BorderTrim() {}

  /**
   * Candidate content rectangles {x0, y0, x1, y1} (exclusive ends); empty when there is no border
   * worth trimming. The first trims each side independently; the second, when different, trims
   * opposite sides by the smaller of the two, because padding is usually symmetric and content
   * whose own edge is close to the border colour (a white sky against white padding) would
   * otherwise be eaten into on one side.
   */
  static java.util.List<int[]> find(float[] luma, int w, int h) {
    int[] independent = find(luma, w, h, false);
    if (independent == null) {
      return java.util.List.of();
    }
    int[] symmetric = find(luma, w, h, true);
    if (symmetric == null || java.util.Arrays.equals(symmetric, independent)) {
      return java.util.List.of(independent);
    }
    return java.util.List.of(independent, symmetric);
  }

  private static int[] find(float[] luma, int w, int h, boolean symmetric) {
    int top = side(luma, w, h, 0, 1, false);
    int bottom = side(luma, w, h, h - 1, -1, false);
    int left = side(luma, w, h, 0, 1, true);
    int right = side(luma, w, h, w - 1, -1, true);
    if (symmetric) {
      top = bottom = Math.min(top, bottom);
      left = right = Math.min(left, right);
    }
    boolean vertical = top >= MIN_FRACTION * h || bottom >= MIN_FRACTION * h;
    boolean horizontal = left >= MIN_FRACTION * w || right >= MIN_FRACTION * w;
    if (!vertical && !horizontal) {
      return null;
    }
    int x0 = left;
    int x1 = w - right;
    int y0 = top;
    int y1 = h - bottom;
    if (x1 - x0 < 16 || y1 - y0 < 16) {
      return null;
    }
    return new int[] {x0, y0, x1, y1};
  }

  /** How many lines of one side are border. */
  private static int side(float[] luma, int w, int h, int first, int step, boolean column) {
    int lines = column ? w : h;
    int length = column ? h : w;
    int max = (int) (lines * MAX_FRACTION);
    float mean = 0;
    for (int k = 0; k < length; k++) {
      mean += at(luma, w, first, k, column);
    }
    mean /= length;
    int n = 0;
    for (int line = first; n < max; line += step, n++) {
      for (int k = 0; k < length; k++) {
        if (Math.abs(at(luma, w, line, k, column) - mean) > TOLERANCE) {
          return n;
        }
      }
    }
    return n;
  }

  private static float at(float[] luma, int w, int line, int k, boolean column) {
    return column ? luma[k * w + line] : luma[line * w + k];
  }

  /** Copies the rectangle out of the buffer. */
  static float[] crop(float[] luma, int w, int[] rect) {
    int cw = rect[2] - rect[0];
    int ch = rect[3] - rect[1];
    float[] out = new float[cw * ch];
    for (int y = 0; y < ch; y++) {
      System.arraycopy(luma, (rect[1] + y) * w + rect[0], out, y * cw, cw);
    }
    return out;
  }
}
