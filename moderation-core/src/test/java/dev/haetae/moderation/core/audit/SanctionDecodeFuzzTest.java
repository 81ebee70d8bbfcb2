package dev.haetae.moderation.core.audit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.haetae.moderation.api.Decision;
import dev.haetae.moderation.api.DecisionId;
import dev.haetae.moderation.api.Evidence;
import dev.haetae.moderation.api.ReporterId;
import dev.haetae.moderation.api.ReporterSanction;
import dev.haetae.moderation.api.spi.Pseudonymizer;
import dev.haetae.moderation.core.effect.Effect;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * Seeded fuzzing of the {@code sanction} request and the {@code apply_sanction} effect in a record:
 * generated steps round-trip (raw) and are pseudonymized (keyed: neither the reporter's nor the
 * reviewer's id is written, and the note is scrubbed of them); fields dropped or replaced by values
 * of every JSON type decode or fail with the codec's {@code FormatException}, never anything else.
 * Quick mode runs {@value #QUICK} records; {@code -Dhaetae.fuzz.cases} (the {@code long-fuzz}
 * profile) runs more, {@code -Dhaetae.fuzz.seed} another sequence. A failure names the seed and case.
 */
class SanctionDecodeFuzzTest {
  private static final int QUICK = 1500;
  private static final long SEED = Long.getLong("haetae.fuzz.seed", 0x5A_4C7105L);
  private static final int CASES = Integer.getInteger("haetae.fuzz.cases", QUICK);
  private static final JsonNodeFactory F = JsonNodeFactory.instance;
  private static final Pseudonymizer P = Pseudonymizers.hmacSha256("k1", "0123456789abcdef".getBytes(
      StandardCharsets.UTF_8));
  private static final Instant T0 = Instant.parse("2026-12-05T09:00:00Z");

  private static ReporterSanction sanction(Random r) {
    ReporterSanction.Step step = ReporterSanction.Step.values()[r.nextInt(ReporterSanction.Step.values().length)];
    ReporterId reporter = ReporterId.of("reporter-" + r.nextInt(50));
    DecisionId decision = DecisionId.of("d-" + Long.toHexString(r.nextLong()));
    Optional<String> note = r.nextBoolean() ? Optional.empty()
        : Optional.of("seen the reports of " + reporter.value() + ", " + "x".repeat(r.nextInt(40)));
    Optional<String> reviewer = step == ReporterSanction.Step.APPEAL ? Optional.empty()
        : Optional.of("moderator-" + r.nextInt(20));
    return new ReporterSanction(step, reporter, decision, reviewer, note);
  }

  private static JsonNode value(Random r) {
    switch (r.nextInt(9)) {
      case 0:
        return F.nullNode();
      case 1:
        return F.booleanNode(r.nextBoolean());
      case 2:
        return F.numberNode(r.nextInt(2001) - 1000);
      case 3:
        return F.textNode(List.of("", "confirm", "appeal", "suspend", "CONFIRM", "sanction", "report",
            "2026-12-01T09:00:00Z", " ").get(r.nextInt(9)));
      case 4:
        return F.arrayNode().add("confirm").add(7);
      case 5:
        return F.objectNode().put("kid", "k1").put("p", "abc");
      case 6:
        return F.objectNode().put("type", "account");
      case 7:
        return F.objectNode();
      default:
        return F.arrayNode();
    }
  }

  @Test
  void sanctionsRoundTripArePseudonymizedAndBrokenOnesFailOnlyWithTheCodecsException() {
    RecordCodec raw = RecordCodec.raw();
    RecordCodec keyed = new RecordCodec(P, RecordCodec.TEXT_FIELDS);
    Fixtures fx = new Fixtures(SEED);
    Random r = new Random(SEED);
    int decoded = 0;
    int refused = 0;
    for (int i = 0; i < CASES; i++) {
      ReporterSanction s = sanction(r);
      Evidence e = new Evidence(T0.plusSeconds(i), s, List.of(), Map.of("reputation", "rep-1.0"));
      Decision d = fx.decision(e);
      List<Effect> effects = List.of(new Effect.ApplySanction(s, d.id(), e.now()));
      ObjectNode body = raw.encode(e, d, effects, List.of());
      LoggedRecord back = (LoggedRecord) RecordCodec.decode(0, "s", 0, "h", body);
      assertEquals(s, back.evidence().request(), "case " + i);
      assertEquals(effects, back.effects(), "case " + i);

      String written = keyed.encode(e, d, effects, List.of()).toString();
      assertFalse(written.contains(s.reporter().value()), "case " + i + ": " + written);
      if (s.reviewer().isPresent()) {
        assertFalse(written.contains(s.reviewer().get()), "case " + i + ": " + written);
      }

      ObjectNode target = r.nextBoolean() ? (ObjectNode) body.get("evidence").get("request")
          : (ObjectNode) body.get("effects").get(0);
      for (int k = 1 + r.nextInt(3); k > 0; k--) {
        CodecFuzz.mutate(target, r, SanctionDecodeFuzzTest::value);
      }
      if (CodecFuzz.decodes(body, "seed " + SEED + ", case " + i + ", " + target)) {
        decoded++;
      } else {
        refused++;
      }
    }
    assertTrue(refused > CASES / 4, "refused " + refused + " of " + CASES);
    assertTrue(decoded > 0, "decoded none of " + CASES);
  }
}
