package dev.haetae.moderation.core.hash;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.haetae.moderation.api.LimitExceededException;
import dev.haetae.moderation.api.Limits;
import dev.haetae.moderation.api.PdqHash;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * Images over the pixel limit: an upscaled copy of banked content must not evade matching, so the
 * reduced path decodes it to at most the limit (block means or subsampling) instead of skipping
 * it; what cannot be decoded in bounded memory is still refused with the limit's exception.
 */
class PixelLimitTest {
  /** The limit of these tests: the upscaled copies below are 1.2 million pixels. */
  private static final Limits LIMITS = Limits.builder().maxImagePixels(200_000).build();
  private static final ImageHasher REDUCED = ImageHasher.builder().limits(LIMITS).queryVariants(false).build();

  private static BufferedImage original() throws IOException {
    return ImageSafetyTest.decode("threatexchange/reg-test-input/labelme-subset/q0291.jpg");
  }

  private static BufferedImage scaled(BufferedImage src, int w, int h) {
    BufferedImage out = new BufferedImage(w, h, BufferedImage.TYPE_INT_RGB);
    var g = out.createGraphics();
    g.setRenderingHint(RenderingHints.KEY_INTERPOLATION, RenderingHints.VALUE_INTERPOLATION_BILINEAR);
    g.drawImage(src, 0, 0, w, h, null);
    g.dispose();
    return out;
  }

  @Test
  void anUpscaledCopyOverTheLimitStillMatchesItsOriginalInEveryFormatThatCanBeBounded() throws IOException {
    BufferedImage small = scaled(original(), 320, 240);
    PdqHash banked = ImageHasher.builder().queryVariants(false).build()
        .fingerprint(ImageSafetyTest.encode(small, "png")).pdq().orElseThrow().hash();
    BufferedImage upscaled = scaled(small, 1280, 960);
    Random random = new Random(1);
    for (OddImages.Format f : new OddImages.Format[] {OddImages.Format.JPEG, OddImages.Format.PNG,
        OddImages.Format.GIF, OddImages.Format.BMP}) {
      byte[] bytes = OddImages.encode(upscaled, f, random);
      PdqHash h = REDUCED.fingerprint(bytes).pdq().orElseThrow().hash();
      assertTrue(h.distance(banked) <= 31, f + ": distance " + h.distance(banked));
    }
  }

  @Test
  void whatCannotBeDecodedInBoundedMemoryOverTheLimitIsRefused() {
    Random random = new Random(2);
    byte[] progressive = OddImages.encode(OddImages.picture(1280, 960, 1, random),
        OddImages.Format.PROGRESSIVE_JPEG, random);
    byte[] webp = OddImages.webp(1280, 960, random);
    for (byte[] bytes : new byte[][] {progressive, webp}) {
      LimitExceededException e = assertThrows(LimitExceededException.class, () -> REDUCED.fingerprint(bytes));
      assertTrue(e.field().endsWith("imagePixels"), e.getMessage());
      assertEquals(1280L * 960, e.actual());
    }
    ImageHasher full = ImageHasher.builder().limits(LIMITS).resolution(ImageHasher.Resolution.FULL).build();
    byte[] png = OddImages.encode(OddImages.picture(1280, 960, 1, random), OddImages.Format.PNG, random);
    assertThrows(LimitExceededException.class, () -> full.fingerprint(png),
        "the full path promises the reference's pixels, so it does not subsample");
  }

  @Test
  void theSubsamplingStepIsTheSmallestThatFits() {
    assertEquals(1, ImageDecoder.subsamplingStep(100, 100, 10_000));
    assertEquals(2, ImageDecoder.subsamplingStep(101, 100, 10_000)); // 51 x 50
    assertEquals(3, ImageDecoder.subsamplingStep(30_000, 30_000, 100_000_000));
    assertEquals(30_000, ImageDecoder.subsamplingStep(30_000, 1, 1));
    Random random = new Random(3);
    for (int i = 0; i < 10_000; i++) {
      int w = 1 + random.nextInt(32_768);
      int h = 1 + random.nextInt(32_768);
      long max = 1 + (long) random.nextInt(64_000_000);
      int s = ImageDecoder.subsamplingStep(w, h, max);
      assertTrue(cells(w, h, s) <= max, w + "x" + h + " step " + s);
      assertTrue(s == 1 || cells(w, h, s - 1) > max, w + "x" + h + " step " + s + " is not the smallest");
    }
  }

  private static long cells(int w, int h, int s) {
    return ((w + (long) s - 1) / s) * ((h + (long) s - 1) / s);
  }
}
