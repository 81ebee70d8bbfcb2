package dev.haetae.moderation.core.hash;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.haetae.moderation.api.ContentDecodeException;
import dev.haetae.moderation.api.CorruptContentException;
import dev.haetae.moderation.api.EmptyContentException;
import dev.haetae.moderation.api.Fingerprints;
import dev.haetae.moderation.api.LimitExceededException;
import dev.haetae.moderation.api.Limits;
import dev.haetae.moderation.api.UnsupportedFormatException;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.zip.CRC32;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Hostile and broken input: each case gets its documented exception, never an error. */
class ImageSafetyTest {
  private static final ImageHasher HASHER = ImageHasher.create();
  private static final String JPEG = "threatexchange/reg-test-input/labelme-subset/q0122.jpg";

  @Test
  void zeroBytesAreEmptyContent() {
    EmptyContentException e = assertThrows(EmptyContentException.class, () -> HASHER.fingerprint(new byte[0]));
    assertEquals("content", e.field());
  }

  @Test
  void unknownBytesAreUnsupported() {
    byte[] text = "just some text, not an image".getBytes(StandardCharsets.US_ASCII);
    assertThrows(UnsupportedFormatException.class, () -> HASHER.fingerprint(text));
  }

  @Test
  void truncatedJpegIsCorrupt() {
    byte[] jpeg = TestData.bytes(JPEG);
    byte[] half = Arrays.copyOf(jpeg, jpeg.length / 2);
    assertThrows(CorruptContentException.class, () -> HASHER.fingerprint(half));
  }

  @Test
  void truncatedPngIsCorrupt() throws IOException {
    byte[] png = encode(decode(JPEG), "png");
    byte[] half = Arrays.copyOf(png, png.length / 2);
    assertThrows(CorruptContentException.class, () -> HASHER.fingerprint(half));
  }

  @Test
  void headerOnlyIsCorrupt() {
    byte[] jpeg = Arrays.copyOf(TestData.bytes(JPEG), 3);
    assertThrows(CorruptContentException.class, () -> HASHER.fingerprint(jpeg));
  }

  @Test
  void pngDeclaring60000x60000IsRejectedBeforeDecoding() {
    byte[] bomb = pngHeader(60_000, 60_000);
    LimitExceededException e = assertThrows(LimitExceededException.class, () -> HASHER.fingerprint(bomb));
    assertTrue(e.field().endsWith("imageDimension"), e.getMessage());
    assertEquals(60_000, e.actual());
  }

  @Test
  void pixelLimitIsCheckedFromTheHeaderOnTheFullPath() {
    byte[] bomb = pngHeader(30_000, 30_000); // under the dimension limit, over 64 million pixels
    ImageHasher full = ImageHasher.builder().resolution(ImageHasher.Resolution.FULL).build();
    LimitExceededException e = assertThrows(LimitExceededException.class, () -> full.fingerprint(bomb));
    assertTrue(e.field().endsWith("imagePixels"), e.getMessage());
    assertEquals(900_000_000L, e.actual());
  }

  @Test
  void overThePixelLimitTheReducedPathDecodesSubsampledWithoutAllocatingTheDeclaredSize() {
    // The header declares 225 million pixels; subsampled to 64 million, the rows then run out.
    byte[] bomb = pngHeader(15_000, 15_000);
    assertThrows(CorruptContentException.class, () -> HASHER.fingerprint(bomb));
    // 900 million: over the declared-pixel limit, refused from the header
    LimitExceededException e = assertThrows(LimitExceededException.class,
        () -> HASHER.fingerprint(pngHeader(30_000, 30_000)));
    assertTrue(e.field().endsWith("declaredImagePixels"), e.getMessage());
  }

  @Test
  void jpegDeclaring60000x60000IsRejected() {
    byte[] jpeg = TestData.bytes(JPEG).clone();
    int sof = findSof(jpeg);
    jpeg[sof + 5] = (byte) (60_000 >> 8);
    jpeg[sof + 6] = (byte) 60_000;
    jpeg[sof + 7] = (byte) (60_000 >> 8);
    jpeg[sof + 8] = (byte) 60_000;
    assertThrows(LimitExceededException.class, () -> HASHER.fingerprint(jpeg));
  }

  @Test
  void gifDeclaring60000x60000IsRejected() {
    byte[] gif = {'G', 'I', 'F', '8', '9', 'a', (byte) 0x60, (byte) 0xEA, (byte) 0x60, (byte) 0xEA, 0, 0, 0,
        0x2C, 0, 0, 0, 0, (byte) 0x60, (byte) 0xEA, (byte) 0x60, (byte) 0xEA, 0, 2, 2, 0x44, 0x01, 0, 0x3B};
    assertThrows(LimitExceededException.class, () -> HASHER.fingerprint(gif));
  }

  @Test
  void contentOverTheByteLimitIsRejected() {
    ImageHasher small = ImageHasher.builder().limits(Limits.builder().maxContentBytes(100).build()).build();
    assertThrows(LimitExceededException.class, () -> small.fingerprint(TestData.bytes(JPEG)));
    assertThrows(LimitExceededException.class,
        () -> small.fingerprint(new ByteArrayInputStream(TestData.bytes(JPEG))));
  }

  @Test
  void formatComesFromTheBytesNotTheFileName(@TempDir Path dir) throws IOException {
    Path png = dir.resolve("photo.jpg");
    Files.write(png, encode(decode(JPEG), "png"));
    assertTrue(HASHER.fingerprint(png).pdq().isPresent());
    Path text = dir.resolve("photo.png");
    Files.writeString(text, "not an image");
    UnsupportedFormatException e = assertThrows(UnsupportedFormatException.class, () -> HASHER.fingerprint(text));
    assertEquals("photo.png", e.field());
    Path empty = dir.resolve("empty.jpg");
    Files.write(empty, new byte[0]);
    assertThrows(EmptyContentException.class, () -> HASHER.fingerprint(empty));
  }

  @Test
  void everyFailureIsAContentDecodeExceptionOrALimit() {
    for (Class<?> c : new Class<?>[] {EmptyContentException.class, UnsupportedFormatException.class,
        CorruptContentException.class}) {
      assertTrue(ContentDecodeException.class.isAssignableFrom(c));
    }
  }

  @Test
  void digestsAreOfTheOriginalBytes() throws Exception {
    byte[] jpeg = TestData.bytes(JPEG);
    Fingerprints f = HASHER.fingerprint(jpeg);
    assertEquals(hex(java.security.MessageDigest.getInstance("SHA-256").digest(jpeg)), f.sha256().orElseThrow().toHex());
    assertEquals(hex(java.security.MessageDigest.getInstance("MD5").digest(jpeg)), f.md5().orElseThrow().toHex());
    assertEquals(f, HASHER.fingerprint(new ByteArrayInputStream(jpeg)));
  }

  static byte[] pngHeader(int w, int h) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    out.writeBytes(new byte[] {(byte) 0x89, 'P', 'N', 'G', '\r', '\n', 0x1A, '\n'});
    byte[] ihdr = {'I', 'H', 'D', 'R', (byte) (w >>> 24), (byte) (w >>> 16), (byte) (w >>> 8), (byte) w,
        (byte) (h >>> 24), (byte) (h >>> 16), (byte) (h >>> 8), (byte) h, 8, 2, 0, 0, 0};
    out.writeBytes(new byte[] {0, 0, 0, 13});
    out.writeBytes(ihdr);
    CRC32 crc = new CRC32();
    crc.update(ihdr);
    long c = crc.getValue();
    out.writeBytes(new byte[] {(byte) (c >>> 24), (byte) (c >>> 16), (byte) (c >>> 8), (byte) c});
    return out.toByteArray();
  }

  static int findSof(byte[] jpeg) {
    for (int p = 2; p + 9 < jpeg.length; ) {
      int marker = jpeg[p + 1] & 0xff;
      if (marker == 0xC0 || marker == 0xC1 || marker == 0xC2) {
        return p;
      }
      p += 2 + (((jpeg[p + 2] & 0xff) << 8) | (jpeg[p + 3] & 0xff));
    }
    throw new AssertionError("no SOF");
  }

  static BufferedImage decode(String resource) throws IOException {
    return ImageIO.read(new ByteArrayInputStream(TestData.bytes(resource)));
  }

  static byte[] encode(BufferedImage image, String format) throws IOException {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    if (!ImageIO.write(image, format, out)) {
      throw new IOException("no writer for " + format);
    }
    return out.toByteArray();
  }

  private static String hex(byte[] b) {
    StringBuilder s = new StringBuilder();
    for (byte x : b) {
      s.append(String.format("%02x", x));
    }
    return s.toString();
  }
}
