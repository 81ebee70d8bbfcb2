package dev.haetae.moderation.core.hash;

import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import dev.haetae.moderation.api.ContentDecodeException;
import dev.haetae.moderation.api.LimitExceededException;
import dev.haetae.moderation.api.Limits;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Seeded mutation fuzzing of the reduced-scale JPEG decode ({@link JpegDcDecoder#decodeReduced}
 * and the {@link ImageHasher} path that uses it, 512 to 1023 px baseline colour JPEGs): damaged
 * copies of generated files (4:4:4, 4:2:2 and 4:2:0, with and without restart intervals; bytes
 * flipped anywhere or in the tables, truncation, spliced junk, maximal header values). The decoder
 * must return an image of the declared size or null (then ImageIO decides), never throw; the
 * hasher must hash or raise a {@link ContentDecodeException} or {@link LimitExceededException}
 * about the input, nothing else. Memory is bounded by the limits (at most 1,000,000 declared
 * pixels here); the timeout is a hang guard only. Quick by default ({@value #QUICK_CASES} cases);
 * the {@code long-fuzz} profile sets {@code haetae.fuzz.cases} (20,000);
 * {@code -Dhaetae.fuzz.seed=N} explores another sequence. A failure names the seed and case.
 */
class JpegReducedFuzzTest {
  private static final long SEED = Long.getLong("haetae.fuzz.seed", 0x5EED_D0C5L);
  private static final int QUICK_CASES = 900;
  private static final int CASES = Integer.getInteger("haetae.fuzz.cases", QUICK_CASES);

  @Test
  @Timeout(1800) // a hang guard for the long mode, not a timing assertion
  void mutatedReducedScaleJpegsOnlyRaiseDocumentedExceptions() throws IOException {
    Limits limits = Limits.builder().maxImagePixels(1_000_000).maxImageDimension(8192).build();
    ImageHasher hasher = ImageHasher.builder().limits(limits).halfScaleJpeg(true).build();
    Random random = new Random(SEED);
    List<byte[]> seeds = new ArrayList<>();
    seeds.add(JpegReducedDecodeTest.jpeg(JpegReducedDecodeTest.photoLike(640, 480, random), 0.8f, 2, 2, 0));
    seeds.add(JpegReducedDecodeTest.jpeg(JpegReducedDecodeTest.photoLike(517, 603, random), 0.95f, 1, 1, 7));
    seeds.add(JpegReducedDecodeTest.jpeg(JpegReducedDecodeTest.photoLike(1000, 97, random), 0.5f, 2, 1, 1));
    for (byte[] seed : seeds) {
      assertNotNull(JpegDcDecoder.decodeReduced(seed, seed.length, 2, 512, 1024, 1_000_000, 8192));
    }
    int decoded = 0;
    int refused = 0;
    int rejected = 0;
    for (int c = 0; c < CASES; c++) {
      byte[] original = seeds.get(c % seeds.size());
      byte[] mutated = random.nextInt(4) == 0 ? damageTables(original, random) : ImageFuzzTest.mutate(original, random);
      String where = "case " + c + " (seed " + SEED + ")";
      try {
        JpegDcDecoder.Result r = JpegDcDecoder.decodeReduced(mutated, mutated.length, 2, 512, 1024,
            limits.maxImagePixels(), limits.maxImageDimension());
        if (r == null) {
          refused++;
        } else {
          decoded++;
          assertTrue(r.luma.length == r.width * r.height && r.width == (r.fullWidth + 1) / 2
              && r.height == (r.fullHeight + 1) / 2 && (long) r.fullWidth * r.fullHeight <= limits.maxImagePixels(),
              where + ": " + r.width + "x" + r.height + " of " + r.fullWidth + "x" + r.fullHeight);
          for (float v : r.luma) {
            if (!(v >= 0f && v <= 255f)) {
              fail(where + ": value " + v + " outside the pixel range");
            }
          }
        }
      } catch (Throwable t) {
        fail(where + ": the decoder threw " + t, t);
      }
      try {
        hasher.fingerprint(mutated);
      } catch (ContentDecodeException | LimitExceededException expected) {
        if (String.valueOf(expected.getMessage()).contains(ImageHasher.NOT_HASHED)) {
          fail(where + ": a defect of the hashing, not of the input: " + expected, expected);
        }
        rejected++;
      } catch (Throwable t) {
        fail(where + ": unexpected " + t, t);
      }
    }
    assertTrue(decoded > 0 && refused > 0 && rejected > 0,
        "decoded " + decoded + ", refused " + refused + ", rejected " + rejected);
  }

  /** A few bytes changed among the headers and tables (before the scan data). */
  static byte[] damageTables(byte[] original, Random random) {
    byte[] b = original.clone();
    int sos = 2;
    while (sos + 1 < b.length && !((b[sos] & 0xff) == 0xFF && (b[sos + 1] & 0xff) == 0xDA)) {
      sos++;
    }
    int n = 1 + random.nextInt(3);
    for (int k = 0; k < n; k++) {
      b[2 + random.nextInt(Math.max(1, Math.min(sos + 12, b.length) - 2))] = (byte) random.nextInt(256);
    }
    return b;
  }
}
