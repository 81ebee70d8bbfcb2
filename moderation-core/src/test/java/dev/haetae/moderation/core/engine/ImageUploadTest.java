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
}
