package dev.haetae.moderation.core.hash;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.haetae.moderation.api.Pdq;
import dev.haetae.moderation.api.PdqHash;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Dihedral variants, EXIF orientation and the supported formats. */
class DihedralAndFormatsTest {
  private static final ImageHasher FULL = ImageHasher.builder().resolution(ImageHasher.Resolution.FULL).build();
  private static final String BRIDGE = "threatexchange/reg-test-input/dih/bridge-1-original.jpg";

  /** Applies dihedral op (as numbered in PdqCore.dihedral) to a square buffer. */
  private static float[] transform(float[] a, int n, int op) {
    float[] out = new float[n * n];
    for (int y = 0; y < n; y++) {
      for (int x = 0; x < n; x++) {
        int sx;
        int sy;
        switch (op) {
          case 0: sx = x; sy = y; break;
          case 1: sx = y; sy = n - 1 - x; break; // rotate 90 clockwise
          case 2: sx = n - 1 - x; sy = n - 1 - y; break;
          case 3: sx = n - 1 - y; sy = x; break; // rotate 270 clockwise
          case 4: sx = n - 1 - x; sy = y; break;
          case 5: sx = x; sy = n - 1 - y; break;
          case 6: sx = y; sy = x; break;
          default: sx = n - 1 - y; sy = n - 1 - x; break;
        }
        out[y * n + x] = a[sy * n + sx];
      }
    }
    return out;
  }

  @Test
  void variantsFromTheDctEqualHashesOfTheTransformedBuffer() throws IOException {
    BufferedImage image = ImageSafetyTest.decode(BRIDGE);
    float[] luma = Luma.of(image);
    int w = image.getWidth();
    int h = image.getHeight();
    PdqCore.blur(luma, new float[w * h], w, h);
    float[] small = PdqCore.decimate(luma, w, h);
    PdqCore.Result original = PdqCore.hash64(small);
    for (int op = 0; op < PdqCore.DIHEDRAL_COUNT; op++) {
      PdqHash derived = PdqCore.threshold(PdqCore.dihedral(original.dct, op));
      PdqHash rehashed = PdqCore.hash64(transform(small, PdqCore.DIM, op)).hash;
      assertEquals(rehashed, derived, "op " + op);
    }
  }

  @Test
  void variantsMatchTheReferenceHashesOfRotatedAndFlippedFiles() {
    Pdq pdq = FULL.fingerprint(TestData.bytes(BRIDGE)).pdq().orElseThrow();
    for (TestData.Row row : TestData.rows("threatexchange/reference-pdq-java.csv")) {
      if (!row.file().contains("/dih/") || row.file().equals(BRIDGE)) {
        continue;
      }
      assertTrue(row.hash().distance(pdq.hash()) > 31, row.file() + " should not match plainly");
      int best = pdq.queryVariants().stream().mapToInt(v -> v.distance(row.hash())).min().orElseThrow();
      assertTrue(best <= 8, row.file() + ": best variant at " + best);
    }
  }

  @Test
  void variantsExcludeTheMainHashAndHaveNoDuplicates() {
    Pdq pdq = FULL.fingerprint(TestData.bytes(BRIDGE)).pdq().orElseThrow();
    assertFalse(pdq.queryVariants().contains(pdq.hash()));
    assertEquals(pdq.queryVariants().size(), pdq.queryVariants().stream().distinct().count());
    assertTrue(pdq.queryVariants().size() >= 7);
  }

  @Test
  void exifOrientationIsAppliedOnlyWhenAskedFor() throws IOException {
    byte[] jpeg = TestData.bytes("threatexchange/reg-test-input/labelme-subset/q0122.jpg");
    byte[] rotated = withExifOrientation(jpeg, 6);
    ImageHasher plain = ImageHasher.builder().resolution(ImageHasher.Resolution.FULL).queryVariants(false).build();
    ImageHasher exif = ImageHasher.builder().resolution(ImageHasher.Resolution.FULL).queryVariants(false)
        .applyExifOrientation(true).build();
    PdqHash stored = plain.fingerprint(jpeg).pdq().orElseThrow().hash();
    assertEquals(stored, plain.fingerprint(rotated).pdq().orElseThrow().hash());
    BufferedImage image = ImageSafetyTest.decode("threatexchange/reg-test-input/labelme-subset/q0122.jpg");
    BufferedImage displayed = new BufferedImage(image.getHeight(), image.getWidth(), BufferedImage.TYPE_INT_RGB);
    for (int y = 0; y < image.getHeight(); y++) {
      for (int x = 0; x < image.getWidth(); x++) {
        displayed.setRGB(image.getHeight() - 1 - y, x, image.getRGB(x, y)); // 90 degrees clockwise
      }
    }
    assertEquals(plain.pdq(displayed).hash(), exif.fingerprint(rotated).pdq().orElseThrow().hash());
  }

  @Test
  void everySupportedFormatHashesCloseToTheOriginal() throws IOException {
    String file = BRIDGE; // large enough that PDQ's blur absorbs palette dithering, as in practice
    BufferedImage image = ImageSafetyTest.decode(file);
    PdqHash reference = FULL.fingerprint(TestData.bytes(file)).pdq().orElseThrow().hash();
    BufferedImage rgb = convert(image, BufferedImage.TYPE_INT_RGB);
    BufferedImage argb = convert(image, BufferedImage.TYPE_INT_ARGB);
    BufferedImage palette = convert(image, BufferedImage.TYPE_BYTE_INDEXED);
    BufferedImage grey = convert(image, BufferedImage.TYPE_BYTE_GRAY);
    List<byte[]> files = List.of(
        ImageSafetyTest.encode(rgb, "png"),
        ImageSafetyTest.encode(argb, "png"),
        ImageSafetyTest.encode(palette, "png"),
        ImageSafetyTest.encode(rgb, "bmp"),
        ImageSafetyTest.encode(palette, "gif"),
        ImageSafetyTest.encode(grey, "jpeg"));
    for (int k = 0; k < files.size(); k++) {
      byte[] bytes = files.get(k);
      Pdq pdq = ImageHasher.create().fingerprint(bytes).pdq().orElseThrow();
      int best = Math.min(pdq.hash().distance(reference),
          pdq.queryVariants().stream().mapToInt(v -> v.distance(reference)).min().orElse(256));
      assertTrue(best <= 31, "file " + k + " at distance " + best);
    }
  }

  @Test
  void webpAndCmykJpegDecode() {
    PdqHash bridge = FULL.fingerprint(TestData.bytes(BRIDGE)).pdq().orElseThrow().hash();
    Pdq webp = ImageHasher.create().fingerprint(TestData.bytes("threatexchange/misc-images/modes/I.webp")).pdq().orElseThrow();
    assertTrue(webp.hash().distance(bridge) <= 31, "webp at " + webp.hash().distance(bridge));
    Pdq cmyk = ImageHasher.create().fingerprint(TestData.bytes("threatexchange/misc-images/modes/CMYK.jpg")).pdq().orElseThrow();
    assertTrue(cmyk.hash().distance(bridge) <= 31, "cmyk at " + cmyk.hash().distance(bridge));
  }

  private static BufferedImage convert(BufferedImage image, int type) {
    BufferedImage out = new BufferedImage(image.getWidth(), image.getHeight(), type);
    out.getGraphics().drawImage(image, 0, 0, null);
    return out;
  }

  /** Inserts an APP1 Exif segment (little-endian TIFF, one IFD entry: orientation) after SOI. */
  static byte[] withExifOrientation(byte[] jpeg, int orientation) {
    byte[] tiff = {'I', 'I', 42, 0, 8, 0, 0, 0, 1, 0, 0x12, 0x01, 3, 0, 1, 0, 0, 0, (byte) orientation, 0, 0, 0, 0, 0, 0, 0};
    int len = 2 + 6 + tiff.length;
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    out.write(0xFF);
    out.write(0xD8);
    out.write(0xFF);
    out.write(0xE1);
    out.write(len >> 8);
    out.write(len & 0xff);
    out.writeBytes(new byte[] {'E', 'x', 'i', 'f', 0, 0});
    out.writeBytes(tiff);
    out.write(jpeg, 2, jpeg.length - 2);
    return out.toByteArray();
  }
}
