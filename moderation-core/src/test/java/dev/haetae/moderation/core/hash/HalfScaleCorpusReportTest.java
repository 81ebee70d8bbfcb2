package dev.haetae.moderation.core.hash;

import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.haetae.moderation.api.PdqHash;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;

/**
 * Opt-in measurement (never part of the default build; it reads a directory outside the project):
 * how far the half-scale path's 64 x 64 luminance and hash are from the full path's, per JPEG of
 * a directory, for the factor-2 filters of {@link PdqCore#scaled64}: the exact block weights
 * ({@link PdqCore#exactScaled64}, without and with the slopes) and the earlier variance-matched
 * smoothing ({@link PdqCore#smoothedScaled64}), on two sets of 2 x 2 means: ImageIO's pixels
 * averaged (the filter's own error; an odd side loses its last column or row there, so those rows
 * are not comparable) and the project's half-scale decoder (filter plus decoder). Per image also:
 * the number of caption-band candidates on the half-scale frame, the largest coefficient error
 * of the sloped filter against the full path, and how close the coefficients crowd their median
 * (the gaps of rank 32 and 128, {@link PdqCore#medianGap}, and how many are within 2). Run with
 * {@code -Dhaetae.corpus.dir=<dir of JPEGs>} (for instance the shared re-share corpus's
 * originals).
 */
@EnabledIfSystemProperty(named = "haetae.corpus.dir", matches = ".+")
class HalfScaleCorpusReportTest {

  private static float[] tilted(JpegDcDecoder.Result dec) {
    return PdqCore.exactScaled64(dec.luma, dec.width, dec.height, 2, dec.fullWidth, dec.fullHeight, 0, true);
  }

  @Test
  void report() throws IOException {
    Path dir = Path.of(System.getProperty("haetae.corpus.dir"));
    List<Path> files;
    try (Stream<Path> s = Files.list(dir)) {
      files = s.filter(p -> p.toString().endsWith(".jpg")).sorted().collect(Collectors.toList());
    }
    double[] sumDiff = new double[5];
    int[] maxBits = new int[5];
    int[] sumBits = new int[5];
    int[] over10 = new int[5];
    int n = 0;
    int withBands = 0;
    System.out.println("image  | mean |luma diff| and hash bits vs full: averaged+smoothed, averaged+exact,"
        + " decoder+smoothed, decoder+exact, decoder+exact with slopes");
    for (Path file : files) {
      byte[] bytes = Files.readAllBytes(file);
      JpegDcDecoder.Result dec = JpegDcDecoder.decodeReduced(bytes, bytes.length, 2, 512, 1024, 50_000_000L, 20_000);
      if (dec == null) {
        continue;
      }
      BufferedImage image = ImageIO.read(new ByteArrayInputStream(bytes));
      int w = image.getWidth();
      int h = image.getHeight();
      float[] pixels = Luma.of(image);
      float[] averaged = Luma.downscale(pixels, w, h, 2);
      int aw = w / 2;
      int ah = h / 2;
      float[] full = pixels.clone();
      PdqCore.blur(full, new float[full.length], w, h);
      float[] fullSmall = PdqCore.decimate(full, w, h);
      PdqHash fullHash = PdqCore.hash64(fullSmall.clone()).hash;
      float[][] smalls = {
        PdqCore.smoothedScaled64(averaged.clone(), aw, ah, 2, 2 * aw, 2 * ah, 0),
        PdqCore.exactScaled64(averaged, aw, ah, 2, 2 * aw, 2 * ah, 0, false),
        PdqCore.smoothedScaled64(dec.luma.clone(), dec.width, dec.height, 2, dec.fullWidth, dec.fullHeight, 0),
        PdqCore.exactScaled64(dec.luma.clone(), dec.width, dec.height, 2, dec.fullWidth, dec.fullHeight, 0, false),
        tilted(dec),
      };
      StringBuilder line = new StringBuilder(String.format(Locale.ROOT, "%-28s", file.getFileName()));
      for (int k = 0; k < 5; k++) {
        double diff = 0;
        for (int i = 0; i < fullSmall.length; i++) {
          diff += Math.abs(smalls[k][i] - fullSmall[i]);
        }
        diff /= fullSmall.length;
        int bits = PdqCore.hash64(smalls[k]).hash.distance(fullHash);
        sumDiff[k] += diff;
        sumBits[k] += bits;
        maxBits[k] = Math.max(maxBits[k], bits);
        over10[k] += bits > 10 ? 1 : 0;
        line.append(String.format(Locale.ROOT, " %6.3f %2d", diff, bits));
      }
      float[] fd = PdqCore.dct16(fullSmall);
      float[] td = PdqCore.dct16(smalls[4]);
      float med = PdqCore.lowerMedian(td);
      double maxDelta = 0;
      float[] gaps = new float[256];
      for (int i = 0; i < 256; i++) {
        maxDelta = Math.max(maxDelta, Math.abs(fd[i] - td[i]));
        gaps[i] = Math.abs(td[i] - med);
      }
      java.util.Arrays.sort(gaps);
      int near = 0;
      for (float g : gaps) {
        near += g < 2.0f ? 1 : 0;
      }
      int bands = CaptionBand.paintOutHalfScale(dec.luma, dec.width, dec.height).size();
      withBands += bands > 0 ? 1 : 0;
      line.append(String.format(Locale.ROOT, "  bands %d maxdc %.2f gap32 %.2f gapmed %.2f near2 %d", bands, maxDelta, gaps[32], gaps[128], near));
      System.out.println(line);
      n++;
    }
    String[] names = {"averaged+smoothed", "averaged+exact", "decoder+smoothed", "decoder+exact", "decoder+tilt"};
    for (int k = 0; k < 5; k++) {
      System.out.printf(Locale.ROOT, "%-18s mean |diff| %.3f grey levels, hash bits mean %.2f max %d, over 10: %d of %d%n",
          names[k], sumDiff[k] / n, (double) sumBits[k] / n, maxBits[k], over10[k], n);
    }
    System.out.println("half-scale frames with a caption band candidate: " + withBands + " of " + n);
    assertTrue(n > 0, "no half-scale JPEG in " + dir);
    // the exact weights must not be further from the full path than the smoothing they replace
    assertTrue(sumDiff[1] <= sumDiff[0], "exact filter further from the full path on averaged pixels");
    assertTrue(sumDiff[3] <= sumDiff[2], "exact filter further from the full path on decoded means");
    assertTrue(sumDiff[4] <= sumDiff[3], "the slopes moved the samples away from the full path");
  }
}
