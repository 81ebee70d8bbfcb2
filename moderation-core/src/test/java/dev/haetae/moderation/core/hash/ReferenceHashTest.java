package dev.haetae.moderation.core.hash;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.haetae.moderation.api.Pdq;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Bit-exactness with the reference Java PDQ hasher, row by row, on the copied subset of the
 * ThreatExchange test images and the re-share corpus: same hash and same quality, from the same
 * decoded pixels (full resolution, no EXIF rotation).
 */
class ReferenceHashTest {
  private static final ImageHasher FULL =
      ImageHasher.builder().resolution(ImageHasher.Resolution.FULL).queryVariants(false).build();
  private static final ImageHasher REDUCED = ImageHasher.builder().queryVariants(false).build();

  static Stream<TestData.Row> rows() {
    return TestData.allRows().stream();
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("rows")
  void fullResolutionPathReproducesHashAndQuality(TestData.Row row) {
    Pdq pdq = FULL.fingerprint(TestData.bytes(row.file())).pdq().orElseThrow();
    assertEquals(row.hash().toHex(), pdq.hash().toHex(), row.file());
    assertEquals(row.quality(), pdq.quality(), row.file());
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("rows")
  void decodedImageEntryPointReproducesHashAndQuality(TestData.Row row) throws IOException {
    if (row.file().endsWith("CMYK.jpg")) {
      return; // javax.imageio.ImageIO.read picks the TwelveMonkeys reader for it; fingerprint() picks the JDK's
    }
    BufferedImage image = javax.imageio.ImageIO.read(new ByteArrayInputStream(TestData.bytes(row.file())));
    Pdq pdq = FULL.pdq(image);
    assertEquals(row.hash(), pdq.hash(), row.file());
    assertEquals(row.quality(), pdq.quality(), row.file());
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("rows")
  void reducedPathStaysWithinTenBitsOnGoodImages(TestData.Row row) {
    if (row.quality() < 80) {
      return;
    }
    Pdq pdq = REDUCED.fingerprint(TestData.bytes(row.file())).pdq().orElseThrow();
    int d = pdq.hash().distance(row.hash());
    assertTrue(d <= 10, row.file() + " drifted " + d + " bits");
  }
}
