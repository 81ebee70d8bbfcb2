package dev.haetae.moderation.core.hash;

import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import dev.haetae.moderation.api.ContentDecodeException;
import dev.haetae.moderation.api.LimitExceededException;
import dev.haetae.moderation.api.Limits;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * Seeded mutation fuzzing: thousands of damaged copies of valid JPEG (baseline and progressive),
 * PNG, GIF, BMP and WebP files, of ordinary and odd shapes (1 x N, N x 1, 4000 x 3). Each either
 * hashes or fails with a {@link ContentDecodeException} or {@link LimitExceededException}; nothing
 * else (no OutOfMemoryError, no decoder-internal exception) may escape, and no failure may be a
 * defect of the hashing itself (the {@value ImageHasher#NOT_HASHED} exception). Memory stays
 * bounded because the limits cap what any mutated header can make the decoder allocate: at most
 * 250 000 pixels here (2 million for the WebP and the 1024 px JPEG seeds). A failure prints the
 * seed and case. {@code -Plong-fuzz} multiplies the cases by {@code haetae.fuzz.scale};
 * {@code -Dhaetae.fuzz.seed=N} explores another sequence.
 */
class ImageFuzzTest {
  private static final long SEED = Long.getLong("haetae.fuzz.seed", 0x5EED_D0C5L);
  private static final int SCALE = Integer.getInteger("haetae.fuzz.scale", 1);
  private static final int CASES_PER_FILE = 400 * SCALE;
  private static final int CASES_PER_ODD_FILE = 16 * SCALE;

  @Test
  void mutatedFilesOnlyRaiseDocumentedExceptions() throws IOException {
    ImageHasher hasher = ImageHasher.builder()
        .limits(Limits.builder().maxImagePixels(250_000).maxImageDimension(8192).build())
        .build();
    ImageHasher webpHasher = ImageHasher.builder()
        .limits(Limits.builder().maxImagePixels(2_000_000).maxImageDimension(8192).build())
        .build();
    BufferedImage base = ImageSafetyTest.decode("threatexchange/reg-test-input/labelme-subset/q0291.jpg");
    BufferedImage small = base.getSubimage(0, 0, 96, 80);
    List<byte[]> seeds = new ArrayList<>();
    seeds.add(TestData.bytes("threatexchange/reg-test-input/labelme-subset/q0291.jpg"));
    seeds.add(TestData.bytes("threatexchange/misc-images/small.jpg")); // progressive
    seeds.add(ImageSafetyTest.encode(copy(small), "png"));
    seeds.add(ImageSafetyTest.encode(copy(small), "gif"));
    seeds.add(ImageSafetyTest.encode(copy(small), "bmp"));
    seeds.add(largeBaselineJpeg(base)); // 1024 px: takes the block-means (DC-only) decoder
    seeds.add(TestData.bytes("threatexchange/misc-images/modes/I.webp"));
    Random random = new Random(SEED);
    int hashed = 0;
    int rejected = 0;
    for (int s = 0; s < seeds.size(); s++) {
      byte[] original = seeds.get(s);
      boolean webp = s == seeds.size() - 1; // 1600x1004: slow to decode, so fewer cases
      boolean large = s == seeds.size() - 2;
      int cases = webp ? CASES_PER_FILE / 20 : large ? CASES_PER_FILE / 3 : CASES_PER_FILE;
      for (int c = 0; c < cases; c++) {
        byte[] mutated = mutate(original, random);
        try {
          (webp || large ? webpHasher : hasher).fingerprint(mutated);
          hashed++;
        } catch (ContentDecodeException | LimitExceededException expected) {
          notADefect(expected, "seed file " + s + ", case " + c);
          rejected++;
        } catch (Throwable t) {
          fail("seed file " + s + ", case " + c + " (seed " + SEED + "): unexpected " + t, t);
        }
      }
    }
    assertTrue(hashed > 0 && rejected > 0, "hashed " + hashed + ", rejected " + rejected);
  }

  @Test
  void mutatedOddShapesInEveryFormatOnlyRaiseDocumentedExceptions() {
    ImageHasher[] hashers = {
        ImageHasher.builder().limits(Limits.builder().maxImagePixels(250_000).maxImageDimension(8192).build())
            .build(),
        ImageHasher.builder().limits(Limits.builder().maxImagePixels(250_000).maxImageDimension(8192).build())
            .resolution(ImageHasher.Resolution.FULL).build(),
    };
    Random random = new Random(SEED + 1);
    int[][] shapes = {{1536, 1}, {1, 1536}, {4000, 3}, {3, 4000}, {1, 1}, {1537, 2}, {1024, 5}};
    int hashed = 0;
    int rejected = 0;
    for (int[] shape : shapes) {
      for (OddImages.Format format : OddImages.Format.values()) {
        byte[] original = format == OddImages.Format.WEBP ? OddImages.webp(shape[0], shape[1], random)
            : OddImages.encode(OddImages.picture(shape[0], shape[1], random.nextInt(3), random), format, random);
        for (int c = 0; c < CASES_PER_ODD_FILE; c++) {
          byte[] mutated = mutate(original, random);
          String where = format + " " + shape[0] + "x" + shape[1] + ", case " + c + " (seed " + (SEED + 1) + ")";
          for (ImageHasher hasher : hashers) {
            try {
              hasher.fingerprint(mutated);
              hashed++;
            } catch (ContentDecodeException | LimitExceededException expected) {
              notADefect(expected, where);
              rejected++;
            } catch (Throwable t) {
              fail(where + ": unexpected " + t, t);
            }
          }
        }
      }
    }
    assertTrue(hashed > 0 && rejected > 0, "hashed " + hashed + ", rejected " + rejected);
  }

  /** A rejection must be about the input, not a defect of the hashing hidden behind its exception. */
  private static void notADefect(RuntimeException e, String where) {
    if (String.valueOf(e.getMessage()).contains(ImageHasher.NOT_HASHED)) {
      fail(where + ": a defect of the hashing, not of the input: " + e, e);
    }
  }

  private static byte[] largeBaselineJpeg(BufferedImage base) throws IOException {
    BufferedImage large = new BufferedImage(1024, 640, BufferedImage.TYPE_INT_RGB);
    large.getGraphics().drawImage(base, 0, 0, 1024, 640, null);
    return ImageSafetyTest.encode(large, "jpeg");
  }

  private static BufferedImage copy(BufferedImage image) {
    BufferedImage out = new BufferedImage(image.getWidth(), image.getHeight(), BufferedImage.TYPE_INT_RGB);
    out.getGraphics().drawImage(image, 0, 0, null);
    return out;
  }

  static byte[] mutate(byte[] original, Random random) {
    byte[] b = original.clone();
    switch (random.nextInt(5)) {
      case 0: { // flip a few bytes anywhere
        int n = 1 + random.nextInt(8);
        for (int k = 0; k < n; k++) {
          b[random.nextInt(b.length)] = (byte) random.nextInt(256);
        }
        return b;
      }
      case 1: // truncate
        return Arrays.copyOf(b, random.nextInt(b.length));
      case 2: { // damage the header, where dimensions and table sizes live
        int n = 1 + random.nextInt(4);
        for (int k = 0; k < n; k++) {
          b[random.nextInt(Math.min(b.length, 64))] = (byte) random.nextInt(256);
        }
        return b;
      }
      case 3: { // splice random bytes in
        int at = random.nextInt(b.length);
        byte[] junk = new byte[1 + random.nextInt(64)];
        random.nextBytes(junk);
        byte[] out = new byte[b.length + junk.length];
        System.arraycopy(b, 0, out, 0, at);
        System.arraycopy(junk, 0, out, at, junk.length);
        System.arraycopy(b, at, out, at + junk.length, b.length - at);
        return out;
      }
      default: { // maximal values in the header (huge dimensions, lengths)
        int at = random.nextInt(Math.min(b.length - 1, 40));
        b[at] = (byte) 0xFF;
        b[at + 1] = (byte) 0xFF;
        return b;
      }
    }
  }
}
