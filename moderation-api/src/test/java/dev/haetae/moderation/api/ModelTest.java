package dev.haetae.moderation.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import org.junit.jupiter.api.Test;

class ModelTest {

  @Test
  void pdqHexRoundTripsAndFollowsTheReferenceBitLayout() {
    Random rnd = new Random(7);
    for (int i = 0; i < 1000; i++) {
      PdqHash h = new PdqHash(rnd.nextLong(), rnd.nextLong(), rnd.nextLong(), rnd.nextLong());
      assertEquals(h, PdqHash.fromHex(h.toHex()));
      assertEquals(h, PdqHash.fromHex(h.toHex().toUpperCase(java.util.Locale.ROOT)));
      assertEquals(64, h.toHex().length());
    }
    // the last hex digit holds bits 3..0; the first holds bits 255..252
    PdqHash one = PdqHash.fromHex("0".repeat(63) + "1");
    assertTrue(one.bit(0));
    assertEquals(1, one.bitCount());
    PdqHash top = PdqHash.fromHex("8" + "0".repeat(63));
    assertTrue(top.bit(255));
    assertEquals(2, one.distance(top));
    assertThrows(IndexOutOfBoundsException.class, () -> one.bit(256));
  }

  @Test
  void malformedHashesNameTheProblem() {
    InvalidRequestException e = assertThrows(InvalidRequestException.class, () -> PdqHash.fromHex("abc"));
    assertEquals("pdq", e.field());
    assertTrue(e.getMessage().contains("64 hex digits"));
    e = assertThrows(InvalidRequestException.class, () -> Sha256.fromHex("g".repeat(64)));
    assertTrue(e.getMessage().contains("non-hex character 'g' at index 0"), e.getMessage());
    assertThrows(InvalidRequestException.class, () -> Md5.fromBytes(new byte[3]));
  }

  @Test
  void digestsFromBytesMatchTheirHex() throws Exception {
    byte[] d = java.security.MessageDigest.getInstance("SHA-256").digest("haetae".getBytes());
    StringBuilder hex = new StringBuilder();
    for (byte b : d) {
      hex.append(String.format("%02x", b));
    }
    assertEquals(hex.toString(), Sha256.fromBytes(d).toHex());
    assertEquals(Sha256.fromBytes(d), Sha256.fromHex(hex.toString()));
  }

  @Test
  void limitsHaveDocumentedDefaultsAndRejectNonsense() {
    Limits l = Limits.defaults();
    assertEquals(64L << 20, l.maxContentBytes());
    assertEquals(64_000_000L, l.maxImagePixels());
    assertEquals(4096, l.maxTextChars());
    assertEquals(100, l.toBuilder().maxTextChars(100).build().maxTextChars());
    assertEquals("limits.maxImagePixels",
        assertThrows(InvalidRequestException.class, () -> Limits.builder().maxImagePixels(0).build()).field());
    LimitExceededException e = assertThrows(LimitExceededException.class,
        () -> Limits.builder().maxTextChars(3).build().checkText("report.text", "four"));
    assertEquals(3, e.limit());
    assertEquals(4, e.actual());
  }

  @Test
  void recordsCopyTheirCollections() {
    Map<String, String> fields = new HashMap<>(Map.of("signature", "x"));
    LegalNotice n = new LegalNotice("n", "US-TAKE-IT-DOWN", ContentId.of("c"), NoticeSender.VICTIM, fields,
        Instant.EPOCH);
    fields.put("contact", "y");
    assertEquals(1, n.fields().size());
    assertThrows(UnsupportedOperationException.class, () -> n.fields().put("a", "b"));
    assertEquals("notice.fields.signature", assertThrows(InvalidRequestException.class,
        () -> new LegalNotice("n", "X", ContentId.of("c"), NoticeSender.VICTIM, nullValue(), Instant.EPOCH)).field());
  }

  private static Map<String, String> nullValue() {
    Map<String, String> m = new HashMap<>();
    m.put("signature", null);
    return m;
  }

  @Test
  void wireNamesParseCaseInsensitivelyAndListAllowedValues() {
    assertEquals(Category.SEXUAL_DEEPFAKE, Category.fromWire("sexual_deepfake"));
    assertEquals(Surface.PUBLIC_CHANNEL, Surface.fromWire("PUBLIC_CHANNEL"));
    InvalidRequestException e = assertThrows(InvalidRequestException.class, () -> Surface.fromWire("forum"));
    assertTrue(e.getMessage().contains("public_channel, group, direct"), e.getMessage());
  }

  @Test
  void evidenceNeverCarriesContentBytes() {
    ContentEvent e = ContentEvent.upload(ContentId.of("c"), AccountId.of("u"), RoomId.of("r"), Surface.GROUP,
        ContentKind.FILE, new byte[] {1, 2, 3});
    Evidence ev = new Evidence(Instant.EPOCH, e, List.of(), Map.of());
    assertFalse(((ContentEvent) ev.request()).bytes().isPresent());
    assertTrue(e.bytes().isPresent());
  }

  @Test
  void actionsKnowTheirNamesSeverityAndRestrictiveness() {
    assertEquals("remove", new Action.Remove().name());
    assertTrue(new Action.Remove().severity() > new Action.RestrictForwarding().severity());
    assertTrue(new Action.RestrictForwarding().severity() > new Action.Blur("x").severity());
    assertFalse(Action.QueueForReview.of(Priority.LOW).restrictive());
    assertTrue(new Action.SuspendAccount(Optional.of(Duration.ofDays(1))).restrictive());
    assertThrows(IllegalArgumentException.class, () -> new Action.PreserveEvidence(Duration.ZERO));
    assertThrows(IllegalArgumentException.class, () -> new Decision(DecisionId.of("d"), Instant.EPOCH, List.of(),
        List.of(), Optional.empty(), List.of(), List.of(), List.of()));
  }

  @Test
  void contentBytesAreCopiedAndNeverShown() {
    byte[] raw = {1, 2, 3};
    ContentBytes b = ContentBytes.copyOf(raw);
    raw[0] = 9;
    assertEquals(1, b.toByteArray()[0]);
    assertEquals("ContentBytes[3 bytes]", b.toString());
  }
}
