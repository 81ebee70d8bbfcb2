package dev.haetae.moderation.core.hash;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.stream.Stream;
import javax.imageio.IIOImage;
import javax.imageio.ImageIO;
import javax.imageio.ImageWriter;
import javax.imageio.plugins.jpeg.JPEGImageWriteParam;
import javax.imageio.stream.MemoryCacheImageOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The JPEG decoder's values are exactly those of the decoder before the grouped value table
 * ({@link JpegDecoderBefore}, the oracle kept in the test tree), at every scale (8 x 8 block
 * means, 1/2 and 1/4), on every JPEG under the test resources, on seeded generated JPEGs
 * (qualities up to 1.0, so that long codes and magnitudes that do not fit the table occur;
 * standard and optimised Huffman tables; 4:4:4, 4:2:2, 4:2:0; restart intervals) and on seeded
 * mutations of them (bits flipped in the entropy-coded data, damaged tables, the generic image
 * mutations): the same refusals (null), the same sizes, the same float values bit for bit. A failure
 * names the seed and the case. {@code -Dhaetae.jpegEquivalence.images=N} and
 * {@code -Dhaetae.fuzz.seed=N} run more or other cases.
 */
class JpegDecodeEquivalenceTest {
  private static final long SEED = Long.getLong("haetae.fuzz.seed", 0x5EED_D0C5L);
  private static final int IMAGES = Integer.getInteger("haetae.jpegEquivalence.images", 36);
  private static final int MUTATIONS_PER_IMAGE = 12;

  @Test
  void everyResourceJpegDecodesToTheSameValues() throws IOException, URISyntaxException {
    Path root = Path.of(JpegDecodeEquivalenceTest.class.getResource("/pdq").toURI()).getParent();
    List<Path> files;
    try (Stream<Path> walk = Files.walk(root)) {
      files = walk.filter(p -> p.toString().toLowerCase(java.util.Locale.ROOT).matches(".*\\.jpe?g$")).sorted().toList();
    }
    assertTrue(files.size() >= 50, "test resources hold " + files.size() + " JPEGs");
    int[] decoded = new int[3];
    for (Path file : files) {
      byte[] b = Files.readAllBytes(file);
      int[] d = compareAllScales(b, root.relativize(file).toString());
      for (int k = 0; k < 3; k++) {
        decoded[k] += d[k];
      }
    }
    // Most of them are baseline colour JPEGs that every scale decodes.
    assertTrue(decoded[0] >= files.size() / 2 && decoded[1] >= files.size() / 2 && decoded[2] >= files.size() / 2,
        "decoded at scales 1, 2, 4: " + java.util.Arrays.toString(decoded) + " of " + files.size());
  }

  @Test
  @Timeout(600) // a hang guard, not a timing assertion
  void generatedAndMutatedJpegsDecodeToTheSameValues() throws IOException {
    Random random = new Random(SEED);
    int[] decoded = new int[3];
    int mutatedDecoded = 0;
    int mutatedRefused = 0;
    for (int n = 0; n < IMAGES; n++) {
      int w = 16 + random.nextInt(400);
      int h = 16 + random.nextInt(300);
      BufferedImage image = JpegReducedDecodeTest.photoLike(w, h, random);
      float quality = n % 4 == 0 ? 1.0f : 0.2f + 0.8f * random.nextFloat();
      byte[] jpeg;
      String what;
      if (n % 3 == 0) {
        jpeg = optimisedTables(image, quality);
        what = "image " + n + " (seed " + SEED + ", " + w + "x" + h + ", q" + quality + ", optimised tables)";
      } else {
        int hs = 1 + random.nextInt(2);
        int vs = hs == 1 ? 1 : 1 + random.nextInt(2);
        int restart = random.nextInt(3) == 0 ? 1 + random.nextInt(20) : 0;
        jpeg = JpegReducedDecodeTest.jpeg(image, quality, hs, vs, restart);
        what = "image " + n + " (seed " + SEED + ", " + w + "x" + h + ", q" + quality + ", " + hs + "x" + vs
            + ", restart " + restart + ")";
      }
      int[] d = compareAllScales(jpeg, what);
      for (int k = 0; k < 3; k++) {
        decoded[k] += d[k];
      }
      for (int m = 0; m < MUTATIONS_PER_IMAGE; m++) {
        byte[] mutated = switch (m % 3) {
          case 0 -> flipScanBits(jpeg, random);
          case 1 -> JpegReducedFuzzTest.damageTables(jpeg, random);
          default -> ImageFuzzTest.mutate(jpeg, random);
        };
        int[] md = compareAllScales(mutated, what + ", mutation " + m);
        if (md[1] > 0) {
          mutatedDecoded++;
        } else {
          mutatedRefused++;
        }
      }
    }
    assertEquals(IMAGES, decoded[0], "every generated image decodes at 1/8");
    assertEquals(IMAGES, decoded[1], "every generated image decodes at 1/2");
    assertEquals(IMAGES, decoded[2], "every generated image decodes at 1/4");
    // Both outcomes of damage were compared, not just refusals.
    assertTrue(mutatedDecoded > IMAGES && mutatedRefused > IMAGES,
        "mutations decoded " + mutatedDecoded + ", refused " + mutatedRefused);
  }

  /**
   * The decoder keeps built Huffman tables in a small shared cache: threads decoding files with
   * standard tables and with more distinct optimised tables than the cache has slots (so entries
   * are overwritten while others read them) all get the oracle's values.
   */
  @Test
  @Timeout(600) // a hang guard, not a timing assertion
  void tablesCachedAcrossFilesAndThreadsGiveTheSameValues() throws Exception {
    Random random = new Random(SEED ^ 0x7AB1E5L);
    List<byte[]> files = new ArrayList<>();
    List<JpegDecoderBefore.Result> expected = new ArrayList<>();
    for (int n = 0; n < 48; n++) {
      BufferedImage image = JpegReducedDecodeTest.photoLike(24 + random.nextInt(120), 24 + random.nextInt(90), random);
      float quality = 0.3f + 0.7f * random.nextFloat();
      byte[] jpeg = n % 4 == 0 ? JpegReducedDecodeTest.jpeg(image, quality, 2, 2, 0) : optimisedTables(image, quality);
      files.add(jpeg);
      expected.add(JpegDecoderBefore.decodeReduced(jpeg, jpeg.length, 2, 1, 1 << 16, 50_000_000L, 16384));
    }
    int threads = 4;
    java.util.concurrent.CountDownLatch start = new java.util.concurrent.CountDownLatch(1);
    java.util.concurrent.ExecutorService pool = java.util.concurrent.Executors.newFixedThreadPool(threads);
    try {
      List<java.util.concurrent.Future<Integer>> done = new ArrayList<>();
      for (int t = 0; t < threads; t++) {
        int offset = t * 7;
        done.add(pool.submit(() -> {
          start.await();
          int compared = 0;
          for (int round = 0; round < 6; round++) {
            for (int k = 0; k < files.size(); k++) {
              int f = (k + offset + round) % files.size();
              byte[] jpeg = files.get(f);
              JpegDcDecoder.Result now = JpegDcDecoder.decodeReduced(jpeg, jpeg.length, 2, 1, 1 << 16, 50_000_000L, 16384);
              compared += same(now, expected.get(f), "file " + f + ", round " + round);
            }
          }
          return compared;
        }));
      }
      start.countDown();
      int compared = 0;
      for (java.util.concurrent.Future<Integer> f : done) {
        compared += f.get();
      }
      assertEquals(threads * 6 * files.size(), compared, "every file decoded and compared");
    } finally {
      pool.shutdownNow();
    }
  }

  /**
   * Decodes {@code b} with both decoders at scales 1/8, 1/2 and 1/4 (no size window, generous
   * limits) and fails unless they agree exactly; returns 1 per scale that decoded.
   */
  private static int[] compareAllScales(byte[] b, String what) {
    int[] decoded = new int[3];
    JpegDcDecoder.Result now;
    JpegDecoderBefore.Result before;
    try {
      now = JpegDcDecoder.decode(b, b.length, 1, 50_000_000L, 50_000_000L, 16384);
      before = JpegDecoderBefore.decode(b, b.length, 1, 50_000_000L, 50_000_000L, 16384);
    } catch (RuntimeException e) {
      throw new AssertionError(what + ": block means threw", e);
    }
    decoded[0] = same(now, before, what + ", block means");
    int[] scales = {2, 4};
    for (int k = 0; k < 2; k++) {
      try {
        now = JpegDcDecoder.decodeReduced(b, b.length, scales[k], 1, 1 << 16, 50_000_000L, 16384);
        before = JpegDecoderBefore.decodeReduced(b, b.length, scales[k], 1, 1 << 16, 50_000_000L, 16384);
      } catch (RuntimeException e) {
        throw new AssertionError(what + ": scale 1/" + scales[k] + " threw", e);
      }
      decoded[k + 1] = same(now, before, what + ", scale 1/" + scales[k]);
    }
    return decoded;
  }

  private static int same(JpegDcDecoder.Result now, JpegDecoderBefore.Result before, String what) {
    if (now == null || before == null) {
      if ((now == null) != (before == null)) {
        fail(what + ": " + (now == null ? "refused now, decoded before" : "decoded now, refused before"));
      }
      return 0;
    }
    assertEquals(before.width + "x" + before.height + " of " + before.fullWidth + "x" + before.fullHeight,
        now.width + "x" + now.height + " of " + now.fullWidth + "x" + now.fullHeight, what);
    assertArrayEquals(before.luma, now.luma, what); // exact: Float.floatToIntBits equality per value
    return 1;
  }

  /** One to four single-bit flips in the entropy-coded data (after the start-of-scan header). */
  private static byte[] flipScanBits(byte[] jpeg, Random random) {
    byte[] b = jpeg.clone();
    int sos = 2;
    while (sos + 1 < b.length && !((b[sos] & 0xff) == 0xFF && (b[sos + 1] & 0xff) == 0xDA)) {
      sos++;
    }
    int from = Math.min(b.length - 3, sos + 14);
    int n = 1 + random.nextInt(4);
    for (int k = 0; k < n; k++) {
      int at = from + random.nextInt(b.length - 2 - from);
      b[at] ^= (byte) (1 << random.nextInt(8));
    }
    return b;
  }

  /** A baseline 4:2:0 JPEG with Huffman tables optimised for the image (other code lengths). */
  private static byte[] optimisedTables(BufferedImage image, float quality) throws IOException {
    ImageWriter writer = ImageIO.getImageWritersByFormatName("jpeg").next();
    try {
      JPEGImageWriteParam param = new JPEGImageWriteParam(null);
      param.setCompressionMode(JPEGImageWriteParam.MODE_EXPLICIT);
      param.setCompressionQuality(quality);
      param.setOptimizeHuffmanTables(true);
      ByteArrayOutputStream out = new ByteArrayOutputStream();
      try (MemoryCacheImageOutputStream stream = new MemoryCacheImageOutputStream(out)) {
        writer.setOutput(stream);
        writer.write(null, new IIOImage(image, null, null), param);
      }
      return out.toByteArray();
    } finally {
      writer.dispose();
    }
  }

  /** Guards the test's premise: optimised tables differ from the standard ones ImageIO writes. */
  @Test
  void optimisedTablesAreNotTheStandardOnes() throws IOException {
    BufferedImage image = JpegReducedDecodeTest.photoLike(200, 150, new Random(SEED));
    byte[] standard = JpegReducedDecodeTest.jpeg(image, 0.9f, 2, 2, 0);
    byte[] optimised = optimisedTables(image, 0.9f);
    assertTrue(!java.util.Arrays.equals(dht(standard), dht(optimised)), "the DHT segments are equal");
  }

  private static byte[] dht(byte[] jpeg) {
    List<Byte> out = new ArrayList<>();
    for (int i = 2; i + 3 < jpeg.length; i++) {
      if ((jpeg[i] & 0xff) == 0xFF && (jpeg[i + 1] & 0xff) == 0xC4) {
        int len = ((jpeg[i + 2] & 0xff) << 8) | (jpeg[i + 3] & 0xff);
        for (int k = 0; k < len && i + 2 + k < jpeg.length; k++) {
          out.add(jpeg[i + 2 + k]);
        }
      }
      if ((jpeg[i] & 0xff) == 0xFF && (jpeg[i + 1] & 0xff) == 0xDA) {
        break;
      }
    }
    byte[] b = new byte[out.size()];
    for (int k = 0; k < b.length; k++) {
      b[k] = out.get(k);
    }
    return b;
  }
}
