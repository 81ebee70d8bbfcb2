package dev.haetae.moderation.core.audit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.haetae.moderation.api.Decision;
import dev.haetae.moderation.api.Evidence;
import dev.haetae.moderation.api.UserReport;
import dev.haetae.moderation.api.spi.Pseudonymizer;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class RecordCodecTest {
  private static final Pseudonymizer P = Pseudonymizers.hmacSha256("k1", "0123456789abcdef".getBytes(StandardCharsets.UTF_8));

  /** Writes ids as given, with the same key id as P: re-encoding a decoded record must reproduce it. */
  private static final Pseudonymizer IDENTITY = new Pseudonymizer() {
    @Override
    public String keyId() {
      return "k1";
    }

    @Override
    public String pseudonymize(String kind, String rawId) {
      return kind.equals("text") ? P.pseudonymize(kind, rawId) : rawId;
    }
  };

  @Test
  void everyRequestSignalAndActionRoundTrips() {
    RecordCodec writer = new RecordCodec(P, RecordCodec.TEXT_FIELDS);
    RecordCodec rewriter = new RecordCodec(IDENTITY, RecordCodec.TEXT_FIELDS);
    Fixtures fx = new Fixtures(42);
    for (int i = 0; i < 2000; i++) {
      Evidence e = fx.evidence();
      Decision d = fx.decision(e);
      ObjectNode once = writer.encode(e, d);
      Evidence e2 = RecordCodec.readEvidence(once.get("evidence"));
      Decision d2 = RecordCodec.readDecision(once.get("decision"));
      ObjectNode twice = rewriter.encode(e2, d2);
      assertEquals(once, twice, "record " + i);
      // decoding is a fixed point: what replay reads is what was written
      assertEquals(d2, RecordCodec.readDecision(twice.get("decision")));
      assertEquals(e2, RecordCodec.readEvidence(twice.get("evidence")));
    }
  }

  @Test
  void maskedTextReadsAsPlaceholderWithLengthAndKeyedHash() {
    RecordCodec writer = new RecordCodec(P, java.util.Set.of());
    Fixtures fx = new Fixtures(7);
    for (int i = 0; i < 500; i++) {
      Evidence e = fx.evidence();
      ObjectNode n = writer.encode(e, fx.decision(e));
      assertTrue(!n.toString().contains("SECRETTEXT"), n.toString());
      Evidence back = RecordCodec.readEvidence(n.get("evidence"));
      if (e.request() instanceof UserReport && ((UserReport) e.request()).text().isPresent()) {
        String t = ((UserReport) back.request()).text().orElseThrow();
        assertTrue(t.startsWith("[masked 23 chars #"), t);
      }
    }
  }

  @Test
  void rawIdsInPolicyTextAreReplacedByTheirPseudonymsAsWholeTokensOnly() {
    assertEquals("about X, not ab1 or a1b", RecordCodec.replaceToken("about a1, not ab1 or a1b", "a1", "X"));
    assertEquals("X X", RecordCodec.replaceToken("a1 a1", "a1", "X"));
  }
}
