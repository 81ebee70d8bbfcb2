package dev.haetae.moderation.core.audit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.haetae.moderation.api.AccountId;
import dev.haetae.moderation.api.Action;
import dev.haetae.moderation.api.Content;
import dev.haetae.moderation.api.ContentEvent;
import dev.haetae.moderation.api.ContentId;
import dev.haetae.moderation.api.ContentKind;
import dev.haetae.moderation.api.Evidence;
import dev.haetae.moderation.api.ModerationRequest;
import dev.haetae.moderation.api.Outcome;
import dev.haetae.moderation.api.PolicyId;
import dev.haetae.moderation.api.Priority;
import dev.haetae.moderation.api.Reason;
import dev.haetae.moderation.api.RoomId;
import dev.haetae.moderation.api.Signal;
import dev.haetae.moderation.api.Surface;
import dev.haetae.moderation.api.spi.Policy;
import dev.haetae.moderation.api.spi.SignalProvider;
import dev.haetae.moderation.core.engine.ModerationEngine;
import dev.haetae.moderation.core.simulate.SettableClock;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Host signal attributes were logged in clear (an e-mail address appeared verbatim in a log). They
 * are now masked unless their provider declares them safe; replay still works, and says when a
 * decision depended on a masked attribute; old logs keep decoding.
 */
class CustomAttributeMaskingTest {
  private static final String EMAIL = "alice.victim@example.org";
  private static final Instant T0 = Instant.parse("2026-11-21T10:00:00Z");

  /** A host provider that passes on a contact address and a classifier score. */
  static final class ContactSignals implements SignalProvider {
    @Override
    public String id() {
      return "contact";
    }

    @Override
    public String version() {
      return "7";
    }

    @Override
    public List<Signal> signals(ModerationRequest request, Instant now) {
      return List.of(new Signal.Custom("contact", "who", Map.of("email", EMAIL, "score", "0.93")));
    }

    @Override
    public Set<String> safeAttributes() {
      return Set.of("score");
    }
  }

  /** Reads only the safe attribute. */
  static final class ScorePolicy implements Policy {
    @Override
    public PolicyId id() {
      return PolicyId.of("score-review", "1");
    }

    @Override
    public Outcome evaluate(Evidence evidence) {
      for (Signal.Custom c : evidence.signals(Signal.Custom.class)) {
        if (c.provider().equals("contact") && Double.parseDouble(c.attributes().get("score")) > 0.9) {
          return Outcome.of(List.of(Action.QueueForReview.of(Priority.HIGH)),
              List.of(Reason.note(id(), "score", "classifier score over 0.9")));
        }
      }
      return Outcome.none();
    }
  }

  /** Reads the masked attribute. */
  static final class DomainPolicy implements Policy {
    @Override
    public PolicyId id() {
      return PolicyId.of("domain-review", "1");
    }

    @Override
    public Outcome evaluate(Evidence evidence) {
      for (Signal.Custom c : evidence.signals(Signal.Custom.class)) {
        if (c.attributes().getOrDefault("email", "").endsWith("@example.org")) {
          return Outcome.of(List.of(Action.QueueForReview.of(Priority.LOW)),
              List.of(Reason.note(id(), "domain", "contact at a watched domain")));
        }
      }
      return Outcome.none();
    }
  }

  private static ContentEvent upload(int i) {
    return ContentEvent.upload(Content.of(ContentId.of("c" + i), ContentKind.TEXT, Surface.GROUP).withText("hi")
        .withFingerprints(dev.haetae.moderation.api.Fingerprints.none().withSha256(
            dev.haetae.moderation.api.Sha256.fromHex(String.format("%064x", i)))), AccountId.of("u" + i), RoomId.of("r1"));
  }

  private static void write(Path dir, Policy policy, int n) {
    try (ModerationEngine engine = ModerationEngine.builder().clock(new SettableClock(T0)).logDirectory(dir)
        .defaultPolicies(false).serviceLoader(false, null).policies(policy).signalProvider(new ContactSignals())
        .build()) {
      for (int i = 0; i < n; i++) {
        assertTrue(engine.evaluate(upload(i)).has(Action.QueueForReview.class), "the policy saw the real values");
      }
    }
  }

  private static String allBytes(Path dir) throws IOException {
    StringBuilder sb = new StringBuilder();
    try (Stream<Path> files = Files.walk(dir)) {
      for (Path p : (Iterable<Path>) files.filter(Files::isRegularFile)::iterator) {
        sb.append(new String(Files.readAllBytes(p), StandardCharsets.ISO_8859_1));
      }
    }
    return sb.toString();
  }

  @Test
  void undeclaredAttributesAreMaskedAndARecordNotDependingOnThemReplays(@TempDir Path dir) throws IOException {
    write(dir, new ScorePolicy(), 5);
    String bytes = allBytes(dir);
    assertFalse(bytes.contains(EMAIL), "the e-mail address is not in the log");
    assertFalse(bytes.contains("alice"), "nor any part of it");
    assertTrue(bytes.contains("0.93"), "the declared-safe score is in clear");
    AuditLog log = AuditLog.open(dir);
    log.forEach(ProgressListener.NONE, r -> {
      Signal.Custom c = r.evidence().signals(Signal.Custom.class).get(0);
      assertEquals(Set.of("score"), c.safe());
      assertTrue(c.attributes().get("email").startsWith("[masked " + EMAIL.length() + " chars #"),
          c.attributes().toString());
      assertEquals("0.93", c.attributes().get("score"));
    });
    ReplayReport r = Replayer.of(List.of(new ScorePolicy())).replay(log, ProgressListener.NONE);
    assertEquals(5, r.records());
    assertTrue(r.allIdentical(), r.toString());
  }

  @Test
  void aRecordWhoseDecisionDependsOnAMaskedAttributeIsNotReplayable(@TempDir Path dir) {
    write(dir, new DomainPolicy(), 3);
    ReplayReport r = Replayer.of(List.of(new DomainPolicy())).replay(AuditLog.open(dir), ProgressListener.NONE);
    assertEquals(3, r.notReplayable(), r.toString());
    assertEquals(0, r.diverged());
    ReplayReport.Finding f = r.findings().get(0);
    assertTrue(f.differences().get(0).contains("contact/who.email"), f.differences().toString());
    assertFalse(String.join(" ", f.differences()).contains(EMAIL));
  }

  @Test
  void customSignalsOfOldLogsDecodeWithEveryAttributeInClear() throws IOException {
    ObjectMapper m = new ObjectMapper();
    JsonNode old = m.readTree("{\"type\":\"custom\",\"provider\":\"nsfw\",\"name\":\"score\","
        + "\"attributes\":{\"score\":\"0.4\",\"model\":\"m2\"}}");
    Signal.Custom c = (Signal.Custom) SignalCodec.read(old, 2);
    assertEquals(Map.of("score", "0.4", "model", "m2"), c.attributes());
    assertEquals(Set.of("score", "model"), c.safe(), "written in clear, so safe");
    assertEquals(c, SignalCodec.read(old, 1), "format 1 too");
  }

  /**
   * The decoder of custom signals, fed attribute values of every JSON shape: a string or a masked
   * object decodes, anything else is a {@link Json.FormatException}, never another exception.
   */
  @Test
  void attributeValuesOfAnyShapeDecodeOrFailWithAFormatException() throws IOException {
    ObjectMapper m = new ObjectMapper();
    String[] shapes = {"\"x\"", "\"\"", "{\"masked\":5,\"h\":\"ab\"}", "{\"masked\":\"5\",\"h\":1}", "{\"masked\":5}",
        "{}", "[]", "[1]", "1", "1.5e300", "true", "null", "{\"h\":\"x\"}", "{\"masked\":-1,\"h\":\"\"}"};
    Random r = new Random(Long.getLong("haetae.fuzz.seed", 0xC0570L));
    int cases = 400 * Integer.getInteger("haetae.fuzz.scale", 1);
    int decoded = 0;
    for (int i = 0; i < cases; i++) {
      StringBuilder attrs = new StringBuilder("{");
      int n = r.nextInt(4);
      for (int k = 0; k < n; k++) {
        attrs.append(k == 0 ? "" : ",").append("\"a").append(k).append("\":").append(shapes[r.nextInt(shapes.length)]);
      }
      String json = "{\"type\":\"custom\",\"provider\":\"p\",\"name\":\"n\",\"attributes\":" + attrs + "}}";
      JsonNode node = m.readTree(json);
      try {
        Signal.Custom c = (Signal.Custom) SignalCodec.read(node, 2);
        decoded++;
        for (String k : c.attributes().keySet()) {
          assertEquals(node.get("attributes").get(k).isTextual(), c.safe().contains(k), json);
        }
      } catch (Json.FormatException e) {
        assertTrue(e.getMessage() != null && !e.getMessage().isEmpty(), json);
      }
    }
    assertTrue(decoded > cases / 10, "the generator reaches valid signals too: " + decoded);
  }

  @Test
  void theWriterMasksWhatIsNotDeclaredSafeWhateverTheValue() {
    RecordCodec codec = new RecordCodec(Pseudonymizers.hmacSha256("k1", new byte[32]), RecordCodec.TEXT_FIELDS);
    Random r = new Random(Long.getLong("haetae.fuzz.seed", 0xC0571L));
    for (int i = 0; i < 200 * Integer.getInteger("haetae.fuzz.scale", 1); i++) {
      String secret = "s" + Long.toHexString(r.nextLong()) + "@x.example";
      Signal.Custom c = new Signal.Custom("p", "n", Map.of("secret", secret, "ok", "v" + i), Set.of("ok"));
      Evidence e = new Evidence(T0, upload(i), List.of(c), Map.of("provider:p", "1"));
      ObjectNode n = codec.encode(e, dev.haetae.moderation.core.decide.Decider.decide(
          dev.haetae.moderation.api.DecisionId.of("d-" + i), e, List.of(), List.of()));
      assertFalse(n.toString().contains(secret), n.toString());
      Signal.Custom back = RecordCodec.readEvidence(n.get("evidence")).signals(Signal.Custom.class).get(0);
      assertEquals("v" + i, back.attributes().get("ok"));
      assertEquals(Set.of("ok"), back.safe());
    }
    assertThrows(NullPointerException.class, () -> new Signal.Custom("p", "n", Map.of(), null));
  }
}
