package dev.haetae.docs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.haetae.moderation.api.ContentDecodeException;
import dev.haetae.moderation.api.Fingerprints;
import dev.haetae.moderation.api.LimitExceededException;
import dev.haetae.moderation.api.Limits;
import dev.haetae.moderation.api.Pdq;
import dev.haetae.moderation.api.PdqHash;
import dev.haetae.moderation.core.hash.ImageHasher;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;

/** The code quoted in src-docs/fingerprints.md. */
class FingerprintsGuideTest {

  // --8<-- [start:match]
  /** True when an upload matches a bank hash, trying the query variants too. */
  static boolean matches(Pdq upload, PdqHash bankHash, int threshold) {
    if (upload.hash().distance(bankHash) <= threshold) {
      return true;
    }
    for (PdqHash variant : upload.queryVariants()) {
      if (variant.distance(bankHash) <= threshold) {
        return true;
      }
    }
    return false;
  }
  // --8<-- [end:match]

  @Test
  void fingerprintAnUploadAndMatchARotatedCopy() throws IOException {
    byte[] original = png(photo(false));
    byte[] rotated = png(photo(true));

    // --8<-- [start:fingerprint]
    // One hasher for the whole application: immutable and thread-safe.
    ImageHasher hasher = ImageHasher.builder()
        .limits(Limits.builder().maxImagePixels(40_000_000).build())
        .build(); // reduced-resolution path, query variants on, EXIF orientation ignored

    // A bank entry, hashed exactly as the reference PDQ hasher does.
    ImageHasher bankHasher = ImageHasher.builder()
        .resolution(ImageHasher.Resolution.FULL)
        .queryVariants(false)
        .build();
    PdqHash bankHash = bankHasher.fingerprint(original).pdq().orElseThrow().hash();

    // An upload: a rotated re-share of the banked image.
    Fingerprints upload = hasher.fingerprint(rotated);
    Pdq pdq = upload.pdq().orElseThrow();
    boolean plainMatch = pdq.hash().distance(bankHash) <= 31;
    boolean haetaeMatch = matches(pdq, bankHash, 31);
    // --8<-- [end:fingerprint]

    assertTrue(upload.sha256().isPresent() && upload.md5().isPresent());
    assertTrue(!plainMatch, "a 90 degree rotation defeats plain PDQ");
    assertTrue(haetaeMatch, "the dihedral query variants find it");

    // --8<-- [start:bank]
    // Banking an image the platform holds: index its hash and its centre-crop hashes.
    List<PdqHash> bankEntries = new ArrayList<>();
    bankEntries.add(bankHash);
    bankEntries.addAll(bankHasher.bankVariants(original));
    // --8<-- [end:bank]
    assertTrue(bankEntries.size() >= 2 && bankEntries.size() <= 3, "own hash plus up to two crops");

    // A 29-byte GIF declaring a 60000 x 60000 image (a decompression bomb).
    byte[] uploadBytes = {'G', 'I', 'F', '8', '9', 'a', 0x60, (byte) 0xEA, 0x60, (byte) 0xEA, 0, 0, 0,
        0x2C, 0, 0, 0, 0, 0x60, (byte) 0xEA, 0x60, (byte) 0xEA, 0, 2, 2, 0x44, 0x01, 0, 0x3B};
    // --8<-- [start:errors]
    try {
      hasher.fingerprint(uploadBytes);
    } catch (LimitExceededException e) {
      // e.g. declared 60000 x 60000: rejected from the header, before any pixel is decoded
      assertEquals(60_000, e.actual());
    } catch (ContentDecodeException e) {
      // empty, not an image, truncated or damaged: e.getMessage() says which
      throw new AssertionError(e);
    }
    // --8<-- [end:errors]
    assertThrows(ContentDecodeException.class, () -> hasher.fingerprint(new byte[0]));

    // region notHashed
    Fingerprints f;
    String notHashed = null;
    try {
      f = hasher.fingerprint(uploadBytes);
    } catch (LimitExceededException | ContentDecodeException e) {
      f = ImageHasher.digests(uploadBytes);   // SHA-256 and MD5 still match exact-hash banks
      notHashed = e.getMessage();             // keep the reason, and send the upload to review
    }
    // endregion
    assertTrue(f.pdq().isEmpty() && f.sha256().isPresent() && f.md5().isPresent());
    assertTrue(notHashed.contains("imageDimension"), notHashed);
  }

  @Test
  void halfScaleJpegIsTheDefaultAndCanBeSwitchedOff() throws IOException {
    byte[] jpegBytes = jpeg(640, 427);

    // region halfScale
    // The default: a baseline colour JPEG of 512 to 1023 px is hashed from its half-scale luma.
    ImageHasher hasher = ImageHasher.create();
    // ImageIO decodes such JPEGs instead (the path before the switch's default changed).
    ImageHasher imageIo = ImageHasher.builder().halfScaleJpeg(false).build();
    // endregion

    PdqHash fast = hasher.fingerprint(jpegBytes).pdq().orElseThrow().hash();
    PdqHash slow = imageIo.fingerprint(jpegBytes).pdq().orElseThrow().hash();
    PdqHash reference = ImageHasher.builder().resolution(ImageHasher.Resolution.FULL).queryVariants(false).build()
        .fingerprint(jpegBytes).pdq().orElseThrow().hash();
    assertTrue(slow.distance(reference) == 0, "the ImageIO path hashes this JPEG in full");
    assertTrue(fast.distance(reference) <= 10, "half-scale drift " + fast.distance(reference) + " bits");
  }

  /** {@link #photo} scaled to {@code w} x {@code h}, as a baseline JPEG (ImageIO's default, 4:2:0). */
  private static byte[] jpeg(int w, int h) throws IOException {
    BufferedImage small = photo(false);
    BufferedImage image = new BufferedImage(w, h, BufferedImage.TYPE_INT_RGB);
    java.awt.Graphics2D g = image.createGraphics();
    g.setRenderingHint(java.awt.RenderingHints.KEY_INTERPOLATION, java.awt.RenderingHints.VALUE_INTERPOLATION_BILINEAR);
    g.drawImage(small, 0, 0, w, h, null);
    g.dispose();
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ImageIO.write(image, "jpg", out);
    return out.toByteArray();
  }

  /** A synthetic "photo": smooth gradients and a few shapes, optionally rotated 90 degrees. */
  private static BufferedImage photo(boolean rotate) {
    int w = 480;
    int h = 320;
    BufferedImage image = new BufferedImage(rotate ? h : w, rotate ? w : h, BufferedImage.TYPE_INT_RGB);
    for (int y = 0; y < h; y++) {
      for (int x = 0; x < w; x++) {
        double v = Math.sin(x / 37.0) * Math.cos(y / 23.0) + ((x - 300) * (x - 300) + (y - 100) * (y - 100) < 3600 ? 1 : 0);
        int g = (int) Math.max(0, Math.min(255, 128 + 90 * v));
        int rgb = (g << 16) | ((255 - g) << 8) | (x * 255 / w);
        if (rotate) {
          image.setRGB(h - 1 - y, x, rgb);
        } else {
          image.setRGB(x, y, rgb);
        }
      }
    }
    return image;
  }

  private static byte[] png(BufferedImage image) throws IOException {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ImageIO.write(image, "png", out);
    return out.toByteArray();
  }
}
