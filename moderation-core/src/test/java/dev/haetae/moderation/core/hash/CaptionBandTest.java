package dev.haetae.moderation.core.hash;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * Caption paint-outs on seeded frames (smooth backgrounds with a band of "text" burned into the
 * lower part, some bands ending a row or two above the bottom): each paint-out changes one run of
 * rows, by a per-column linear blend of the rows just outside it, and covers the band; on a frame
 * of 2 x 2 means the margin never takes the blend to the last row (only a band whose own edge is
 * there ends on it; a band that reaches the bottom is copied from above instead). {@code -Dhaetae.captionBand.trials=N} runs more frames.
 */
class CaptionBandTest {
  private static final int TRIALS = Integer.getInteger("haetae.captionBand.trials", 120);

  /** A frame with a band; returns {top, bottom} of the band in {@code band}. */
  private static float[] frame(Random rnd, int w, int h, int[] band) {
    float[] luma = new float[w * h];
    float a = 40 + rnd.nextFloat() * 150;
    float gx = (rnd.nextFloat() - 0.5f) * 60 / w;
    float gy = (rnd.nextFloat() - 0.5f) * 60 / h;
    for (int y = 0; y < h; y++) {
      for (int x = 0; x < w; x++) {
        luma[y * w + x] = a + gx * x + gy * y;
      }
    }
    int height = Math.max(3, (int) (h * (0.06 + rnd.nextFloat() * 0.12)));
    // from "touching the bottom" to well above it; the first choices end 0, 1 or 2 rows above it
    int gap = rnd.nextInt(4) < 3 ? rnd.nextInt(3) : rnd.nextInt(Math.max(1, h / 6));
    int bottom = h - gap;
    int top = bottom - height;
    float ground = rnd.nextBoolean() ? 10 : 240;
    for (int y = top; y < bottom; y++) {
      for (int x = 0; x < w; x++) {
        boolean ink = ((x / 3) % 4 == 0) && rnd.nextInt(3) > 0;
        luma[y * w + x] = ink ? 255 - ground : ground;
      }
    }
    band[0] = top;
    band[1] = bottom;
    return luma;
  }

  /** {first, last} changed row of {@code painted}, or null when nothing changed. */
  private static int[] changedRows(float[] luma, float[] painted, int w, int h) {
    int first = -1;
    int last = -1;
    for (int i = 0; i < luma.length; i++) {
      if (painted[i] != luma[i]) {
        if (first < 0) {
          first = i / w;
        }
        last = i / w;
      }
    }
    return first < 0 ? null : new int[] {first, last};
  }


  private static void check(float[] luma, int w, int h, int[] band, List<float[]> painted, boolean half,
      String what) {
    assertFalse(painted.isEmpty(), what + ": no band found");
    boolean covered = false;
    for (float[] p : painted) {
      assertEquals(luma.length, p.length, what);
      int[] rows = changedRows(luma, p, w, h);
      if (rows == null) {
        continue;
      }
      int from = rows[0];
      int to = rows[1] + 1;
      assertTrue(from >= 1, what + ": the first row is an anchor");
      if (half && to == h - 1) {
        // on 2 x 2 means the margin never takes the anchor to the last row: only a band edge there
        // (the change from the row above, or from two rows above, as the half-scale search measures)
        float change = 0;
        float change2 = 0;
        for (int x = 0; x < w; x++) {
          change += Math.abs(luma[(h - 1) * w + x] - luma[(h - 2) * w + x]);
          change2 += Math.abs(luma[(h - 1) * w + x] - luma[(h - 3) * w + x]);
        }
        assertTrue(Math.max(change, change2) / w >= 12f, what + ": blend ends on the last row without an edge there");
      }
      for (int y = from; y < to; y++) {
        for (int x = 0; x < w; x++) {
          float up = luma[(from - 1) * w + x];
          float down = to < h ? luma[to * w + x] : up;
          float v = p[y * w + x];
          assertTrue(v >= Math.min(up, down) - 1e-3f && v <= Math.max(up, down) + 1e-3f,
              what + ": row " + y + " is not a blend of rows " + (from - 1) + " and " + to);
        }
      }
      covered |= from <= band[0] && to >= band[1];
    }
    assertTrue(covered, what + ": no paint-out covers the band " + band[0] + ".." + band[1]);
  }

  @Test
  void paintOutsBlendOneRunOfRowsAndHalfScaleNeverEndsOnTheLastRow() {
    Random rnd = new Random(0x18CAB);
    int endsAboveLastRow = 0;
    for (int t = 0; t < TRIALS; t++) {
      int w = 48 + rnd.nextInt(400);
      int h = 64 + rnd.nextInt(300);
      int[] band = new int[2];
      float[] luma = frame(rnd, w, h, band);
      float[] copy = luma.clone();
      String what = "trial " + t + " (" + w + " x " + h + ", band " + band[0] + ".." + band[1] + ")";
      List<float[]> half = CaptionBand.paintOutHalfScale(luma, w, h);
      check(luma, w, h, band, half, true, what + ", half scale");
      check(luma, w, h, band, CaptionBand.paintOut(luma, w, h), false, what + ", full scale");
      assertTrue(java.util.Arrays.equals(copy, luma), what + ": input modified");
      for (float[] p : half) {
        int[] rows = changedRows(luma, p, w, h);
        if (rows != null && rows[1] == h - 3 && band[1] >= h - 2) {
          endsAboveLastRow++;
        }
      }
    }
    // the generator puts most bands within two rows of the bottom: the rule was exercised
    assertTrue(endsAboveLastRow > TRIALS / 10, "blends ending just above the last row: " + endsAboveLastRow);
  }
}
