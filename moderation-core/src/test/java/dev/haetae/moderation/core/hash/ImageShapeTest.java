package dev.haetae.moderation.core.hash;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import dev.haetae.moderation.api.Fingerprints;
import dev.haetae.moderation.api.Limits;
import dev.haetae.moderation.api.Pdq;
import java.awt.image.BufferedImage;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * Odd shapes: every valid image, however thin or long, in every format the hasher reads, on both
 * decoding paths, with and without EXIF handling, gets its digests and a PDQ hash (a 1536 x 1 PNG
 * once crashed the reduced path with an {@link ArrayIndexOutOfBoundsException}). Seeded: the quick
 * mode runs {@value #CASES} random shapes; {@code -Plong-fuzz} multiplies that by
 * {@code haetae.fuzz.scale}, and {@code -Dhaetae.fuzz.seed=N} explores another sequence. A failure
 * names the seed, case, format and shape.
 */
class ImageShapeTest {
  private static final long SEED = Long.getLong("haetae.fuzz.seed", 0x0DD5_4A9EL);
  private static final int CASES = 48 * Integer.getInteger("haetae.fuzz.scale", 1);

  /** The shapes the adversarial probe used, and their neighbours on both sides of each threshold. */
  private static final int[][] KNOWN = {
      {1536, 1}, {1, 1536}, {4000, 3}, {3, 4000}, {1, 1}, {2, 1}, {1, 2}, {1535, 1}, {1537, 2}, {2, 1537},
      {1024, 1}, {1, 1024}, {1024, 7}, {8, 1024}, {1023, 9}, {199, 1}, {400, 1}, {401, 1}, {16384, 1},
      {1, 16384}, {3000, 2}, {767, 1}, {768, 1}, {1536, 15}, {1600, 7}
  };

  private static final ImageHasher[] HASHERS = {
      ImageHasher.create(),
      ImageHasher.builder().resolution(ImageHasher.Resolution.FULL).build(),
      ImageHasher.builder().applyExifOrientation(true).queryVariants(false).build(),
  };

  @Test
  void theProbesShapesHashInEveryFormatOnEveryPath() {
    Random random = new Random(SEED);
    for (int[] shape : KNOWN) {
      for (OddImages.Format format : OddImages.Format.values()) {
        check(format, shape[0], shape[1], random, "known shape");
      }
    }
  }

  @Test
  void randomThinAndLongShapesHashInEveryFormat() {
    Random random = new Random(SEED);
    for (int c = 0; c < CASES; c++) {
      int shortSide = random.nextInt(4) == 0 ? 1 + random.nextInt(64) : 1 + random.nextInt(8);
      // log-uniform long side from 1 to 2^14
      int longSide = Math.max(1, (int) Math.pow(2, random.nextDouble() * 14));
      boolean wide = random.nextBoolean();
      OddImages.Format format = OddImages.Format.values()[random.nextInt(OddImages.Format.values().length)];
      check(format, wide ? longSide : shortSide, wide ? shortSide : longSide, random,
          "case " + c + " (seed " + SEED + ")");
    }
  }

  @Test
  void hugeAspectRatiosWithinTheLimitsHash() {
    // The longest strips the default dimension limit allows.
    Random random = new Random(SEED);
    check(OddImages.Format.PNG, Limits.defaults().maxImageDimension(), 1, random, "widest");
    check(OddImages.Format.BMP, 1, Limits.defaults().maxImageDimension(), random, "tallest");
  }

  private static void check(OddImages.Format format, int w, int h, Random random, String label) {
    String what = label + ": " + format + " " + w + "x" + h;
    BufferedImage img = OddImages.picture(format == OddImages.Format.WEBP ? 1 : w,
        format == OddImages.Format.WEBP ? 1 : h, random.nextInt(3), random);
    byte[] bytes;
    if (format == OddImages.Format.WEBP) {
      bytes = OddImages.webp(w, h, random);
    } else {
      img = OddImages.picture(w, h, random.nextInt(3), random);
      bytes = OddImages.encode(img, format, random);
    }
    for (ImageHasher hasher : HASHERS) {
      try {
        Fingerprints f = hasher.fingerprint(bytes);
        assertEquals(sha256(bytes), f.sha256().orElseThrow().toHex(), what);
        Pdq pdq = f.pdq().orElseThrow(() -> new AssertionError(what + ": no PDQ"));
        assertTrue(pdq.quality() >= 0 && pdq.quality() <= 100, what);
        hasher.bankVariants(bytes);
        if (format != OddImages.Format.WEBP) {
          hasher.pdq(img);
          hasher.bankVariants(img);
        }
      } catch (Throwable t) {
        fail(what + " (" + hasher.resolution() + "): " + t, t);
      }
    }
  }

  private static String sha256(byte[] b) throws Exception {
    return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(b));
  }
}
