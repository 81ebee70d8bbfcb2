package dev.haetae.moderation.core.hash;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.haetae.moderation.api.Pdq;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.Random;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;

/**
 * The half-scale JPEG path keeps its decode only when the main hash is stable: a faint texture,
 * whose DCT coefficients crowd their median, is decoded again in full, so its hash is the
 * reference's bit for bit; an image with structure keeps the half-scale decode (its hash then
 * differs from the full path's by a few bits, which shows that the fast path ran). Seeded images.
 */
class HalfScaleFallbackTest {
  private static final ImageHasher HALF = ImageHasher.builder().halfScaleJpeg(true).queryVariants(false).build();
  private static final ImageHasher FULL =
      ImageHasher.builder().resolution(ImageHasher.Resolution.FULL).queryVariants(false).build();

  @Test
  void faintTexturesAreDecodedInFull() throws IOException {
    Random random = new Random(181L);
    for (int k = 0; k < 4; k++) {
      BufferedImage image = new BufferedImage(640, 400 + 40 * k, BufferedImage.TYPE_INT_RGB);
      for (int y = 0; y < image.getHeight(); y++) {
        for (int x = 0; x < image.getWidth(); x++) {
          int v = 120 + random.nextInt(5);
          image.setRGB(x, y, (v + 8) << 16 | v << 8 | (v - 6));
        }
      }
      byte[] jpeg = jpeg(image);
      JpegDcDecoder.Result half = JpegDcDecoder.decodeReduced(jpeg, jpeg.length, 2, ImageHasher.REDUCED_SIDE,
          ImageHasher.BLOCK_MEANS_SIDE, Long.MAX_VALUE, Integer.MAX_VALUE);
      float gap = PdqCore.medianGap(
          PdqCore.hashHalfScale(half.luma, half.width, half.height, half.fullWidth, half.fullHeight, 0).dct);
      assertTrue(gap < ImageHasher.HALF_MIN_GAP, "texture " + k + " is not faint: gap " + gap);
      Pdq reduced = HALF.fingerprint(jpeg).pdq().orElseThrow();
      Pdq full = FULL.fingerprint(jpeg).pdq().orElseThrow();
      assertEquals(full.hash(), reduced.hash(), "texture " + k);
      assertEquals(full.quality(), reduced.quality(), "texture " + k);
    }
  }

  @Test
  void imagesWithStructureKeepTheHalfScaleDecode() throws IOException {
    Random random = new Random(182L);
    int kept = 0;
    for (int k = 0; k < 6; k++) {
      BufferedImage image = new BufferedImage(640, 480, BufferedImage.TYPE_INT_RGB);
      java.awt.Graphics2D g = image.createGraphics();
      g.setColor(new java.awt.Color(random.nextInt(256), random.nextInt(256), random.nextInt(256)));
      g.fillRect(0, 0, 640, 480);
      for (int shape = 0; shape < 12; shape++) {
        g.setColor(new java.awt.Color(random.nextInt(256), random.nextInt(256), random.nextInt(256)));
        g.fillOval(random.nextInt(600) - 60, random.nextInt(440) - 60, 40 + random.nextInt(260), 40 + random.nextInt(200));
      }
      g.dispose();
      byte[] jpeg = jpeg(image);
      JpegDcDecoder.Result half = JpegDcDecoder.decodeReduced(jpeg, jpeg.length, 2, ImageHasher.REDUCED_SIDE,
          ImageHasher.BLOCK_MEANS_SIDE, Long.MAX_VALUE, Integer.MAX_VALUE);
      PdqCore.Result direct =
          PdqCore.hashHalfScale(half.luma, half.width, half.height, half.fullWidth, half.fullHeight, 0);
      assertTrue(PdqCore.medianGap(direct.dct) >= ImageHasher.HALF_MIN_GAP, "image " + k + " is faint");
      Pdq reduced = HALF.fingerprint(jpeg).pdq().orElseThrow();
      Pdq full = FULL.fingerprint(jpeg).pdq().orElseThrow();
      assertEquals(direct.hash, reduced.hash(), "image " + k + ": not hashed from the half-scale decode");
      int bits = reduced.hash().distance(full.hash());
      assertTrue(bits <= 10, "image " + k + ": " + bits + " bits from the full path");
      kept += reduced.hash().equals(full.hash()) ? 0 : 1;
    }
    assertNotEquals(0, kept, "every image hashed exactly as the full path: the half-scale path never ran");
  }

  private static byte[] jpeg(BufferedImage image) throws IOException {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ImageIO.write(image, "jpg", out);
    return out.toByteArray();
  }
}
