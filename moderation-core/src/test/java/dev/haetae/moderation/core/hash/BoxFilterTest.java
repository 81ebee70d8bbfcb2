package dev.haetae.moderation.core.hash;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;

import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * The cache-friendly column pass and the four-rows-in-lockstep row pass must be bit-identical to
 * the one-line-at-a-time pass.
 */
class BoxFilterTest {
  @Test
  void columnPassEqualsPerColumnPassBitForBit() {
    Random random = new Random(42);
    for (int trial = 0; trial < 200; trial++) {
      int w = 1 + random.nextInt(90);
      int h = 1 + random.nextInt(300);
      int window = PdqCore.window(h);
      float[] in = new float[w * h];
      for (int k = 0; k < in.length; k++) {
        in[k] = random.nextFloat() * 255f;
      }
      float[] expected = new float[w * h];
      for (int x = 0; x < w; x++) {
        PdqCore.box(in, expected, x, w, h, window);
      }
      float[] actual = new float[w * h];
      PdqCore.boxColumns(in, actual, w, h, window);
      assertArrayEquals(expected, actual, "w=" + w + " h=" + h);
    }
  }

  @Test
  void rowPassEqualsPerRowPassBitForBit() {
    Random random = new Random(43);
    for (int trial = 0; trial < 300; trial++) {
      int w = 1 + random.nextInt(700);
      int h = 1 + random.nextInt(40);
      int window = random.nextBoolean() ? PdqCore.window(w) : 1 + random.nextInt(Math.min(w, 24));
      float[] in = new float[w * h];
      for (int k = 0; k < in.length; k++) {
        in[k] = random.nextFloat() * 255f;
      }
      float[] expected = new float[w * h];
      for (int y = 0; y < h; y++) {
        PdqCore.box(in, expected, y * w, 1, w, window);
      }
      float[] actual = new float[w * h];
      PdqCore.boxRows(in, actual, w, h, window);
      assertArrayEquals(expected, actual, "w=" + w + " h=" + h + " window=" + window);
    }
  }
}
