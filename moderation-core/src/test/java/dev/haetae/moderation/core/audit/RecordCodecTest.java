package dev.haetae.moderation.core.audit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.haetae.moderation.api.Category;
import dev.haetae.moderation.api.ContentId;
import dev.haetae.moderation.api.Decision;
import dev.haetae.moderation.api.DecisionId;
import dev.haetae.moderation.api.ReporterId;
import dev.haetae.moderation.api.Signal;
import dev.haetae.moderation.api.Target;
import dev.haetae.moderation.api.Evidence;
import dev.haetae.moderation.api.UserReport;
import dev.haetae.moderation.api.spi.Pseudonymizer;
import dev.haetae.moderation.core.reputation.LegacyIntake;
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
  void aVersionOneIntakeSignalStillDecodesAndReadsAsTheTypedOne() {
    java.util.Map<String, String> old = new java.util.HashMap<>();
    old.put(LegacyIntake.STEP, "suspended");
    old.put(LegacyIntake.SUSPENDED_UNTIL, "2026-12-05T09:00:00Z");
    old.put(LegacyIntake.WARNINGS, "1");
    old.put(LegacyIntake.UNFOUNDED, "5");
    old.put(LegacyIntake.DUPLICATE, "false");
    old.put(LegacyIntake.CREDIBILITY, "0.25");
    old.put(LegacyIntake.TRUSTED_FLAGGER, "false");
    old.put(LegacyIntake.YOUNG, "false");
    old.put(LegacyIntake.PROVEN, "false");
    old.put(LegacyIntake.CORROBORATED, "true");
    old.put(LegacyIntake.ATTACHED_TO, "ab12cd34-7");
    old.put(LegacyIntake.ATTACHED_TRUSTED, "false");
    old.put(LegacyIntake.CLEARED, "true");
    old.put(LegacyIntake.TARGET_REMOVED, "false");
    old.put(LegacyIntake.UNPROVEN, "12");
    old.put(LegacyIntake.LARGEST_CLUSTER, "4");
    old.put(LegacyIntake.CORRELATION, "created_together,wave");
    UserReport report = UserReport.of(ReporterId.of("troll"), Target.content(ContentId.of("post-1")),
        Category.HARASSMENT);
    Evidence e = new Evidence(java.time.Instant.parse("2026-11-21T10:00:00Z"), report,
        java.util.List.of(new Signal.Custom(LegacyIntake.PROVIDER, LegacyIntake.NAME, old, old.keySet())),
        java.util.Map.of());
    Decision d = new Fixtures(7).decision(e);
    ObjectNode once = new RecordCodec(P, RecordCodec.TEXT_FIELDS).encode(e, d);
    Evidence back = RecordCodec.readEvidence(once.get("evidence"));
    assertTrue(LegacyIntake.is(back.signals().get(0)), back.signals().toString());
    Signal.ReportIntake typed = LegacyIntake.read(back).orElseThrow();
    assertEquals(Signal.ReportIntake.Misuse.SUSPENDED, typed.misuse());
    assertEquals(java.util.Optional.of(java.time.Instant.parse("2026-12-05T09:00:00Z")), typed.suspendedUntil());
    assertEquals(5, typed.unfounded());
    assertEquals(java.util.Optional.of(DecisionId.of("ab12cd34-7")), typed.attachedTo());
    assertEquals(java.util.EnumSet.allOf(Category.class), typed.cleared());
    assertEquals(java.util.EnumSet.of(Signal.ReportIntake.Correlation.CREATED_TOGETHER,
        Signal.ReportIntake.Correlation.WAVE), typed.correlation());
    assertEquals(12, typed.unproven());
    assertEquals(Category.HARASSMENT, typed.category());
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
