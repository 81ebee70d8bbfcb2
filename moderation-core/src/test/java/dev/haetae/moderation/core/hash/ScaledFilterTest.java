package dev.haetae.moderation.core.hash;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * The factor-2 filter of {@link PdqCore#hashHalfScale} ({@link PdqCore#exactScaled64}): the 64 x 64
 * samples it takes from 2 x 2 block means must equal those the full path ({@link PdqCore#blur}
 * then {@link PdqCore#decimate}) takes from the pixels, up to float rounding, when the pixels are
 * constant over each block (without the slopes) or bilinear (with them), whatever the size (odd
 * sides, whose last block holds one column or row; strips; sides below 64), the box windows (even
 * and odd, widened for the softer variant) and the content. Seeded; {@code
 * -Dhaetae.scaledFilter.trials=N} for more images.
 */
class ScaledFilterTest {
  private static final int TRIALS = Integer.getInteger("haetae.scaledFilter.trials", 60);

  @Test
  void blockConstantImagesGiveTheFullPathsSamples() {
    Random random = new Random(20261205L);
    for (int trial = 0; trial < TRIALS; trial++) {
      int fullW = 2 + random.nextInt(trial % 3 == 0 ? 60 : 1100);
      int fullH = 2 + random.nextInt(trial % 5 == 0 ? 60 : 1100);
      int extra = random.nextInt(4) == 0 ? 1 + random.nextInt(6) : 0;
      int bw = (fullW + 1) / 2;
      int bh = (fullH + 1) / 2;
      float[] means = new float[bw * bh];
      boolean smooth = random.nextBoolean();
      for (int k = 0; k < means.length; k++) {
        means[k] = smooth ? (float) (128 + 100 * Math.sin((k % bw) * 0.05 + (k / bw) * 0.03))
            : random.nextFloat() * 255f;
      }
      float[] pixels = new float[fullW * fullH];
      for (int y = 0; y < fullH; y++) {
        for (int x = 0; x < fullW; x++) {
          pixels[y * fullW + x] = means[(y / 2) * bw + x / 2];
        }
      }
      PdqCore.blur(pixels, new float[pixels.length], fullW, fullH, extra);
      float[] expected = PdqCore.decimate(pixels, fullW, fullH);
      float[] copy = means.clone();
      float[] actual = PdqCore.exactScaled64(copy, bw, bh, 2, fullW, fullH, extra, false);
      String what = fullW + " x " + fullH + " extra " + extra;
      for (int k = 0; k < expected.length; k++) {
        assertEquals(expected[k], actual[k], 0.01f, what + " sample " + k);
      }
      assertTrue(java.util.Arrays.equals(means, copy), what + ": the means were modified");
    }
  }

  /**
   * With the slope within each block taken from the neighbours' means (the filter hashHalfScale uses
   * at factor 2), a bilinear image a + bx + cy + dxy gives the full path's samples: its 2 x 2 means
   * are the pixels at the blocks' centres, and the slopes the neighbours give are its own.
   */
  @Test
  void bilinearImagesGiveTheFullPathsSamplesWithTheSlopes() {
    Random random = new Random(20261206L);
    for (int trial = 0; trial < TRIALS; trial++) {
      int bw = 2 + random.nextInt(trial % 3 == 0 ? 30 : 550);
      int bh = 2 + random.nextInt(trial % 5 == 0 ? 30 : 550);
      int fullW = 2 * bw;
      int fullH = 2 * bh;
      int extra = random.nextInt(4) == 0 ? 1 + random.nextInt(6) : 0;
      double a = 100 * random.nextDouble();
      double b = (random.nextDouble() - 0.5) * 200.0 / fullW;
      double c = (random.nextDouble() - 0.5) * 200.0 / fullH;
      double d = (random.nextDouble() - 0.5) * 100.0 / ((double) fullW * fullH);
      float[] pixels = new float[fullW * fullH];
      for (int y = 0; y < fullH; y++) {
        for (int x = 0; x < fullW; x++) {
          pixels[y * fullW + x] = (float) (a + b * x + c * y + d * x * y);
        }
      }
      float[] means = Luma.downscale(pixels, fullW, fullH, 2);
      PdqCore.blur(pixels, new float[pixels.length], fullW, fullH, extra);
      float[] expected = PdqCore.decimate(pixels, fullW, fullH);
      float[] actual = PdqCore.exactScaled64(means, bw, bh, 2, fullW, fullH, extra, true);
      String what = fullW + " x " + fullH + " extra " + extra;
      for (int k = 0; k < expected.length; k++) {
        assertEquals(expected[k], actual[k], 0.01f, what + " sample " + k);
      }
    }
  }

  @Test
  void aConstantImageGivesItsValueEverywhere() {
    for (int side : new int[] {2, 3, 17, 64, 129, 640, 1023}) {
      float[] means = new float[((side + 1) / 2) * 3];
      java.util.Arrays.fill(means, 77.5f);
      for (boolean tilt : new boolean[] {false, true}) {
        float[] small = PdqCore.exactScaled64(means, (side + 1) / 2, 3, 2, side, 6, 0, tilt);
        for (float v : small) {
          assertEquals(77.5f, v, 1e-3f, "side " + side);
        }
      }
    }
  }

  /**
   * The taps cache ({@link PdqCore.Taps#cached}) returns taps equal to freshly built ones for
   * every argument set, while four threads ask for more distinct sets than it has slots (so that
   * slots are overwritten under them): a wrong key comparison or a torn entry would show as other
   * weights or starts.
   */
  @Test
  void cachedTapsEqualFreshOnesUnderContention() throws Exception {
    Random random = new Random(0x7A95L);
    int sets = 200;
    int[][] args = new int[sets][];
    PdqCore.Taps[] fresh = new PdqCore.Taps[sets];
    for (int k = 0; k < sets; k++) {
      int n = 2 + random.nextInt(2000);
      int factor = 1 + random.nextInt(8);
      int blocks = (n + factor - 1) / factor;
      int window = Math.min(n, PdqCore.window(n) + random.nextInt(4));
      args[k] = new int[] {n, window, factor, blocks, random.nextInt(2)};
      fresh[k] = PdqCore.Taps.of(n, window, factor, blocks, args[k][4] == 1);
    }
    java.util.concurrent.ExecutorService pool = java.util.concurrent.Executors.newFixedThreadPool(4);
    try {
      java.util.List<java.util.concurrent.Future<Integer>> done = new java.util.ArrayList<>();
      for (int t = 0; t < 4; t++) {
        long seed = t;
        done.add(pool.submit(() -> {
          Random r = new Random(seed);
          int checked = 0;
          for (int i = 0; i < 3000; i++) {
            int k = r.nextInt(sets);
            int[] a = args[k];
            PdqCore.Taps got = PdqCore.Taps.cached(a[0], a[1], a[2], a[3], a[4] == 1);
            String what = java.util.Arrays.toString(a);
            assertEquals(fresh[k].length, got.length, what);
            assertTrue(java.util.Arrays.equals(fresh[k].start, got.start), what);
            assertTrue(java.util.Arrays.equals(fresh[k].weight, got.weight), what);
            checked++;
          }
          return checked;
        }));
      }
      for (java.util.concurrent.Future<Integer> f : done) {
        assertEquals(3000, f.get());
      }
    } finally {
      pool.shutdownNow();
    }
  }
}
