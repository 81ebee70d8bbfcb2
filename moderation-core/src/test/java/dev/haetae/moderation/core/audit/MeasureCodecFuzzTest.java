package dev.haetae.moderation.core.audit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.haetae.moderation.api.Action;
import dev.haetae.moderation.api.ContentId;
import dev.haetae.moderation.api.Decision;
import dev.haetae.moderation.api.DecisionId;
import dev.haetae.moderation.api.Evidence;
import dev.haetae.moderation.api.MeasureExpiry;
import dev.haetae.moderation.api.ModerationRequest;
import dev.haetae.moderation.api.Signal;
import dev.haetae.moderation.api.spi.Pseudonymizer;
import dev.haetae.moderation.core.effect.Effect;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * Seeded fuzzing of what the temporary measure adds to a record: the {@code expiry} request, the
 * {@code temporary_measure} and {@code confirmation_check} signals, the {@code temporary_measure} and
 * {@code end_measure} actions, the {@code open_measure} and {@code close_measure} effects and the
 * action kinds of {@code remember_decision}. Generated records round-trip (raw) and
 * are pseudonymized (keyed: the content id is not written); fields dropped or replaced by values of
 * every JSON type decode or fail with the codec's {@code FormatException}, never anything else. Quick
 * mode runs {@value #QUICK} records; {@code -Dhaetae.fuzz.cases} (the {@code long-fuzz} profile) runs
 * more, {@code -Dhaetae.fuzz.seed} another sequence. A failure names the seed and case.
 */
class MeasureCodecFuzzTest {
  private static final int QUICK = 1500;
  private static final long SEED = Long.getLong("haetae.fuzz.seed", 0x7E3A_5E1L);
  private static final int CASES = Integer.getInteger("haetae.fuzz.cases", QUICK);
  private static final JsonNodeFactory F = JsonNodeFactory.instance;
  private static final Pseudonymizer P = Pseudonymizers.hmacSha256("k1", "0123456789abcdef".getBytes(
      StandardCharsets.UTF_8));
  private static final Instant T0 = Instant.parse("2026-12-05T09:00:00Z");

  private static JsonNode value(Random r) {
    switch (r.nextInt(10)) {
      case 0:
        return F.nullNode();
      case 1:
        return F.booleanNode(r.nextBoolean());
      case 2:
        return F.numberNode(r.nextInt(2001) - 1000);
      case 3:
        return F.textNode(List.of("", "lifted", "upheld", "LIFTED", "expiry", "temporary_measure", "d-1",
            "2026-12-01T09:00:00Z", " ", "P30D").get(r.nextInt(10)));
      case 4:
        return F.arrayNode().add("lifted").add(7);
      case 5:
        return F.objectNode().put("kid", "k1").put("p", "abc");
      case 6:
        return F.objectNode().put("type", "expiry");
      case 7:
        return F.textNode("2026-11-01T00:00:00Z");
      case 8:
        return F.objectNode();
      default:
        return F.arrayNode();
    }
  }

  /** One of the new parts of a record, at random: the request, the signal, an action or an effect. */
  private static ObjectNode target(ObjectNode body, Random r) {
    switch (r.nextInt(4)) {
      case 0:
        return (ObjectNode) body.get("evidence").get("request");
      case 1: {
        ArrayNode signals = (ArrayNode) body.get("evidence").get("signals");
        return (ObjectNode) signals.get(r.nextInt(signals.size()));
      }
      case 2: {
        ArrayNode actions = (ArrayNode) body.get("decision").get("actions");
        return (ObjectNode) actions.get(r.nextInt(actions.size()));
      }
      default: {
        ArrayNode effects = (ArrayNode) body.get("effects");
        return (ObjectNode) effects.get(r.nextInt(effects.size()));
      }
    }
  }

  @Test
  void measuresRoundTripArePseudonymizedAndBrokenOnesFailOnlyWithTheCodecsException() {
    RecordCodec raw = RecordCodec.raw();
    RecordCodec keyed = new RecordCodec(P, RecordCodec.TEXT_FIELDS);
    Random r = new Random(SEED);
    int decoded = 0;
    int refused = 0;
    for (int i = 0; i < CASES; i++) {
      ContentId content = ContentId.of("RAWID-content-" + r.nextInt(1000));
      DecisionId measure = DecisionId.of("d-" + Long.toHexString(r.nextLong()));
      Instant now = T0.plusSeconds(i);
      Instant until = now.plus(Duration.ofHours(1 + r.nextInt(24 * 30)));
      ModerationRequest req = new MeasureExpiry(content, measure);
      Signal s = new Signal.TemporaryMeasure("KR-NA-44-2", r.nextBoolean() ? Optional.empty()
          : Optional.of(measure), now, until);
      Signal check = new Signal.ConfirmationCheck(measure, Action.Kind.values()[r.nextInt(Action.Kind.values().length)],
          Signal.ConfirmationCheck.Standing.values()[r.nextInt(4)]);
      Evidence e = new Evidence(now, req, List.of(s, check), Map.of("jurisdictions", "2026-12-05.3"));
      Action.EndMeasure.Ending ending = Action.EndMeasure.Ending.values()[r.nextInt(3)];
      Decision d = new Decision(DecisionId.of("d-" + i), now, List.of(new Action.TemporaryMeasure(until),
          new Action.EndMeasure(measure, ending)), List.of(), Optional.empty(), List.of(Fixtures.P1), List.of(),
          List.of());
      List<Effect> effects = List.of(new Effect.OpenMeasure(new dev.haetae.moderation.api.spi.EngineMemory.Measure(content,
          d.id(), "KR-NA-44-2", now, until)),
          new Effect.CloseMeasure(content, measure, ending != Action.EndMeasure.Ending.UPHELD),
          new Effect.RememberDecision(d.id(), content, Optional.empty(), Optional.of("KR-NA-44-2"),
              dev.haetae.moderation.api.Category.OTHER, true, Optional.empty(), now, r.nextBoolean()
                  ? java.util.Set.of() : java.util.Set.of(Action.Kind.TEMPORARY_MEASURE, Action.Kind.REVIEW)));
      ObjectNode body = raw.encode(e, d, effects, List.of());
      LoggedRecord back = (LoggedRecord) RecordCodec.decode(0, "s", 0, "h", body);
      assertEquals(req, back.evidence().request(), "case " + i);
      assertEquals(List.of(s, check), back.evidence().signals(), "case " + i);
      assertEquals(d.actions(), back.decision().actions(), "case " + i);
      assertEquals(effects, back.effects(), "case " + i);

      String written = keyed.encode(e, d, effects, List.of()).toString();
      assertFalse(written.contains(content.value()), "case " + i + ": " + written);

      for (int k = 1 + r.nextInt(3); k > 0; k--) {
        CodecFuzz.mutate(target(body, r), r, MeasureCodecFuzzTest::value);
      }
      if (CodecFuzz.decodes(body, "seed " + SEED + ", case " + i + ", " + body)) {
        decoded++;
      } else {
        refused++;
      }
    }
    assertTrue(refused > CASES / 4, "refused " + refused + " of " + CASES);
    assertTrue(decoded > 0, "decoded none of " + CASES);
  }
}
