package dev.haetae.moderation.core.engine;

import static dev.haetae.moderation.core.engine.Fixtures.T0;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.haetae.moderation.api.AccountId;
import dev.haetae.moderation.api.Action;
import dev.haetae.moderation.api.Category;
import dev.haetae.moderation.api.ContentEvent;
import dev.haetae.moderation.api.ContentId;
import dev.haetae.moderation.api.ContentKind;
import dev.haetae.moderation.api.Decision;
import dev.haetae.moderation.api.Evidence;
import dev.haetae.moderation.api.Fingerprints;
import dev.haetae.moderation.api.MatchType;
import dev.haetae.moderation.api.RoomId;
import dev.haetae.moderation.api.Signal;
import dev.haetae.moderation.api.Surface;
import dev.haetae.moderation.core.hash.HashBanks;
import dev.haetae.moderation.core.hash.ImageHasher;
import dev.haetae.moderation.core.simulate.SettableClock;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.Arrays;
import java.util.concurrent.CopyOnWriteArrayList;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;

class ImageUploadTest {

  private static byte[] picture(boolean mirrored) throws IOException {
    BufferedImage img = new BufferedImage(320, 240, BufferedImage.TYPE_INT_RGB);
    for (int y = 0; y < 240; y++) {
      for (int x = 0; x < 320; x++) {
        int xx = mirrored ? 319 - x : x;
        int r = (xx * 255 / 320) ^ (y * 3 & 0xff);
        int g = (int) (127 + 120 * Math.sin(xx / 17.0) * Math.cos(y / 23.0));
        int b = (xx + y) % 256 < 128 ? 40 : 220;
        img.setRGB(x, y, (r << 16) | (g << 8) | b);
      }
    }
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ImageIO.write(img, "png", out);
    return out.toByteArray();
  }

  @Test
  void uploadedImageBytesAreHashedWithPdqAndAMirroredCopyStillMatches() throws IOException {
    byte[] original = picture(false);
    Fingerprints known = ImageHasher.create().fingerprint(original);
    HashBanks banks = HashBanks.inMemory();
    banks.add("stopncii", Category.NCII, MatchType.PDQ, known.pdq().orElseThrow().hash().toHex());
    RecordingLog log = new RecordingLog(new CopyOnWriteArrayList<>());
    try (ModerationEngine engine = ModerationEngine.builder().clock(new SettableClock(T0)).banks(banks)
        .decisionLog(log).build()) {
      Decision d = engine.evaluate(ContentEvent.upload(ContentId.of("c1"), AccountId.of("u1"), RoomId.of("r1"),
          Surface.GROUP, ContentKind.IMAGE, picture(true)));
      assertTrue(d.has(Action.Remove.class), d.toString());
      Evidence ev = log.entries.get(0).evidence();
      ContentEvent logged = (ContentEvent) ev.request();
      assertTrue(logged.bytes().isEmpty(), "bytes never reach the evidence");
      assertTrue(logged.content().fingerprints().pdq().isPresent());
      assertTrue(logged.content().fingerprints().sha256().isPresent());
      assertEquals(0, ev.signals(Signal.HashMatch.class).get(0).distance(), "the mirror variant matches exactly");
    }
  }

  @Test
  void anUndecodableImageIsStillMatchedByItsDigestsAndTheReasonIsRecorded() throws IOException {
    byte[] broken = Arrays.copyOf(picture(false), 200);
    Fingerprints digests = Fingerprints.none();
    RecordingLog log = new RecordingLog(new CopyOnWriteArrayList<>());
    HashBanks banks = HashBanks.inMemory();
    try (ModerationEngine engine = ModerationEngine.builder().clock(new SettableClock(T0)).banks(banks)
        .decisionLog(log).build()) {
      engine.evaluate(ContentEvent.upload(ContentId.of("c1"), AccountId.of("u1"), RoomId.of("r1"), Surface.GROUP,
          ContentKind.IMAGE, broken));
      Evidence ev = log.entries.get(0).evidence();
      digests = ((ContentEvent) ev.request()).content().fingerprints();
      assertTrue(digests.pdq().isEmpty());
      Signal.NotHashed why = ev.signals(Signal.NotHashed.class).stream().findFirst().orElseThrow();
      assertTrue(why.reason().contains("Exception"), why.toString());
      banks.add("kr-regulator", Category.CSAM, MatchType.SHA256, digests.sha256().orElseThrow().toHex());
      Decision again = engine.evaluate(ContentEvent.upload(ContentId.of("c2"), AccountId.of("u2"), RoomId.of("r2"),
          Surface.GROUP, ContentKind.IMAGE, broken));
      assertTrue(again.has(Action.Remove.class), again.toString());
      assertTrue(again.has(Action.ReportToAuthority.class), again.toString());
    }
  }

  /** A 1536 x 1 PNG: once crashed the reduced decode path, so no decision was made or logged. */
  private static byte[] strip() throws IOException {
    BufferedImage img = new BufferedImage(1536, 1, BufferedImage.TYPE_INT_RGB);
    for (int x = 0; x < 1536; x++) {
      img.setRGB(x, 0, x * 0x010101 & 0xffffff);
    }
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ImageIO.write(img, "png", out);
    return out.toByteArray();
  }

  @Test
  void anOddShapedImageInACsamBankIsDecidedLoggedAndMatchedByItsDigest() throws IOException {
    byte[] strip = strip();
    HashBanks banks = HashBanks.inMemory();
    banks.add("kr-regulator", Category.CSAM, MatchType.SHA256,
        ImageHasher.digests(strip).sha256().orElseThrow().toHex());
    RecordingLog log = new RecordingLog(new CopyOnWriteArrayList<>());
    try (ModerationEngine engine = ModerationEngine.builder().clock(new SettableClock(T0)).banks(banks)
        .decisionLog(log).build()) {
      Decision d = engine.evaluate(ContentEvent.upload(ContentId.of("c1"), AccountId.of("u1"), RoomId.of("r1"),
          Surface.GROUP, ContentKind.IMAGE, strip));
      assertTrue(d.has(Action.Remove.class) && d.has(Action.ReportToAuthority.class), d.toString());
      assertEquals(1, log.entries.size());
      assertTrue(((ContentEvent) log.entries.get(0).evidence().request()).content().fingerprints().pdq().isPresent(),
          "a strip is a valid image and gets its PDQ hash too");
    }
  }

  @Test
  void anImageThatCannotBeHashedGoesToReviewNeverASilentAllow() throws IOException {
    byte[] broken = Arrays.copyOf(picture(false), 200);
    // over the dimension limit: refused from the header, even subsampled
    byte[] huge = pngDeclaring(40_000, 2);
    RecordingLog log = new RecordingLog(new CopyOnWriteArrayList<>());
    try (ModerationEngine engine = ModerationEngine.builder().clock(new SettableClock(T0)).banks(HashBanks.inMemory())
        .decisionLog(log).build()) {
      int n = 0;
      for (byte[] bytes : new byte[][] {broken, huge}) {
        Decision d = engine.evaluate(ContentEvent.upload(ContentId.of("c" + n++), AccountId.of("u1"),
            RoomId.of("r1"), Surface.GROUP, ContentKind.IMAGE, bytes));
        Action.QueueForReview review = d.actions().stream().filter(a -> a instanceof Action.QueueForReview)
            .map(a -> (Action.QueueForReview) a).findFirst().orElseThrow(() -> new AssertionError(d.toString()));
        assertEquals("unhashed_image", review.lane(), d.toString());
        assertTrue(d.reasons().stream().anyMatch(r -> r.code().equals("image_not_hashed")), d.toString());
      }
    }
  }

  /** A PNG whose header declares {@code w} x {@code h}, with no pixel data. */
  private static byte[] pngDeclaring(int w, int h) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    out.writeBytes(new byte[] {(byte) 0x89, 'P', 'N', 'G', '\r', '\n', 0x1A, '\n', 0, 0, 0, 13});
    byte[] ihdr = {'I', 'H', 'D', 'R', (byte) (w >>> 24), (byte) (w >>> 16), (byte) (w >>> 8), (byte) w,
        (byte) (h >>> 24), (byte) (h >>> 16), (byte) (h >>> 8), (byte) h, 8, 2, 0, 0, 0};
    out.writeBytes(ihdr);
    java.util.zip.CRC32 crc = new java.util.zip.CRC32();
    crc.update(ihdr);
    long c = crc.getValue();
    out.writeBytes(new byte[] {(byte) (c >>> 24), (byte) (c >>> 16), (byte) (c >>> 8), (byte) c});
    return out.toByteArray();
  }
}
