package dev.haetae.moderation.core.audit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.haetae.moderation.api.AccountEvent;
import dev.haetae.moderation.api.Decision;
import dev.haetae.moderation.api.Evidence;
import dev.haetae.moderation.api.ReviewOutcome;
import dev.haetae.moderation.api.Signal;
import dev.haetae.moderation.api.UserReport;
import dev.haetae.moderation.api.spi.Pseudonymizer;
import dev.haetae.moderation.core.effect.Effect;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * Seeded fuzzing of the decoder of the reputation model's signals ({@code report_intake},
 * {@code report_resolution}), of first-party reports, and of the effects that carry those signals
 * ({@code file_report}, {@code apply_review}): fields dropped or replaced by values of every JSON
 * type decode or fail with the codec's {@code FormatException}, never anything else. The effects
 * also round-trip. A failure prints the seed and case.
 */
class ReportSignalDecodeFuzzTest {
  private static final long SEED = 0x1A7A_CEL;
  private static final JsonNodeFactory F = JsonNodeFactory.instance;
  private static final Pseudonymizer P = Pseudonymizers.hmacSha256("k1", "0123456789abcdef".getBytes(
      StandardCharsets.UTF_8));

  private static JsonNode value(Random r) {
    switch (r.nextInt(9)) {
      case 0:
        return F.nullNode();
      case 1:
        return F.booleanNode(r.nextBoolean());
      case 2:
        return F.numberNode(r.nextInt(2001) - 1000);
      case 3:
        return F.numberNode(r.nextBoolean() ? Double.MAX_VALUE : -r.nextDouble());
      case 4:
        return F.textNode(List.of("", "ncii", "suspended", "warn", "2026-12-01T09:00:00Z", "x".repeat(200),
            "content", "propose_suspension").get(r.nextInt(8)));
      case 5:
        return F.arrayNode().add("ncii").add(7);
      case 6:
        return F.objectNode().put("kid", "k1").put("p", "abc");
      case 7:
        return F.objectNode().put("kind", "room");
      default:
        return F.arrayNode();
    }
  }

  @Test
  void brokenReportSignalsFailWithTheCodecsOwnException() {
    RecordCodec writer = new RecordCodec(P, RecordCodec.TEXT_FIELDS);
    Fixtures fx = new Fixtures(SEED);
    Random r = new Random(SEED);
    int mutated = 0;
    int decoded = 0;
    for (int i = 0; i < 6000; i++) {
      Evidence e = fx.evidence();
      Decision d = fx.decision(e);
      ObjectNode rec = writer.encode(e, d);
      ObjectNode ev = (ObjectNode) rec.get("evidence");
      List<ObjectNode> targets = new ArrayList<>();
      for (JsonNode s : (ArrayNode) ev.get("signals")) {
        String type = s.path("type").asText();
        if (type.equals("report_intake") || type.equals("report_resolution")) {
          targets.add((ObjectNode) s);
        }
      }
      if (ev.get("request").path("type").asText().equals("report")) {
        targets.add((ObjectNode) ev.get("request"));
      }
      if (targets.isEmpty()) {
        continue;
      }
      for (int k = 1 + r.nextInt(3); k > 0; k--) {
        CodecFuzz.mutate(targets.get(r.nextInt(targets.size())), r,
            ReportSignalDecodeFuzzTest::value);
      }
      mutated++;
      try {
        RecordCodec.readEvidence(ev);
        decoded++;
      } catch (Json.FormatException expected) {
        // documented: a record that does not have the documented shape
      } catch (RuntimeException | StackOverflowError ex) {
        fail("seed " + SEED + ", case " + i + ": unexpected " + ex + " for " + ev, ex);
      }
    }
    assertTrue(mutated > 1000, "too few records with report signals: " + mutated);
    assertTrue(decoded > 0 && decoded < mutated, "decoded " + decoded + " of " + mutated);
  }

  /** The effects that carry the model's signals, from the signals of a generated evidence. */
  private static List<Effect> effects(Evidence e, Decision d) {
    List<Effect> out = new ArrayList<>();
    for (Signal s : e.signals()) {
      if (s instanceof Signal.ReportIntake && e.request() instanceof UserReport) {
        out.add(new Effect.FileReport((UserReport) e.request(), (Signal.ReportIntake) s, d.id(), true, e.now()));
      } else if (s instanceof Signal.ReportResolution && e.request() instanceof ReviewOutcome) {
        out.add(new Effect.ApplyReview((ReviewOutcome) e.request(), (Signal.ReportResolution) s, d.id(), e.now()));
      }
    }
    if (e.request() instanceof AccountEvent) {
      out.add(new Effect.AccountFacts((AccountEvent) e.request(), d.id(), e.now()));
    }
    return out;
  }

  @Test
  void theEffectsThatCarryReportSignalsRoundTripAndFailOnlyWithTheCodecsException() {
    RecordCodec raw = RecordCodec.raw();
    Fixtures fx = new Fixtures(SEED + 1);
    Random r = new Random(SEED + 1);
    int carried = 0;
    int broken = 0;
    for (int i = 0; i < 20_000 && broken < 1500; i++) {
      Evidence e = fx.evidence();
      Decision d = fx.decision(e);
      List<Effect> effects = effects(e, d);
      if (effects.isEmpty()) {
        continue;
      }
      carried++;
      ObjectNode body = raw.encode(e, d, effects, List.of());
      assertEquals(effects, ((LoggedRecord) RecordCodec.decode(0, "s", 0, "h", body)).effects(), "case " + i);
      ObjectNode fxNode = (ObjectNode) body.get("effects").get(r.nextInt(effects.size()));
      JsonNode nested = fxNode.has("intake") ? fxNode.get("intake") : fxNode.get("resolution");
      if (nested == null || r.nextBoolean()) {
        List<String> mine = new ArrayList<>(List.of("decision", "at"));
        if (fxNode.has("queued")) {
          mine.add("queued");
        }
        String f = mine.get(r.nextInt(mine.size()));
        if (r.nextBoolean()) {
          fxNode.remove(f);
        } else {
          fxNode.set(f, value(r));
        }
      } else {
        CodecFuzz.mutate((ObjectNode) nested, r, ReportSignalDecodeFuzzTest::value);
      }
      broken++;
      CodecFuzz.decodes(body, "seed " + (SEED + 1) + ", case " + i + ", " + fxNode);
    }
    assertTrue(carried > 200, "too few records with effects that carry report signals: " + carried);
  }
}
