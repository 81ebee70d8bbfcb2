package dev.haetae.moderation.core.audit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.haetae.moderation.api.Category;
import dev.haetae.moderation.api.Decision;
import dev.haetae.moderation.api.Evidence;
import dev.haetae.moderation.api.Fingerprints;
import dev.haetae.moderation.api.Pdq;
import dev.haetae.moderation.api.PdqHash;
import dev.haetae.moderation.api.Signal;
import dev.haetae.moderation.api.spi.Pseudonymizer;
import dev.haetae.moderation.core.effect.Effect;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * Seeded fuzzing of the fields that carry a platform-bank entry's uploader: {@code uploader} on a
 * {@code hash_match} signal and a {@code bank_fingerprints} effect, {@code poster} on a
 * {@code known_content} signal (all keyed pseudonyms, written as they are). They round-trip, are
 * absent when empty (so records written before them decode as before), and broken records decode or
 * fail with the codec's {@code FormatException}, never anything else. A failure prints the seed and
 * case. {@code -Dhaetae.fuzz.runs} sets the number of records (the {@code long-fuzz} profile raises it).
 */
class BankUploaderCodecFuzzTest {
  private static final long SEED = 0x0B_A9_C0DEL;
  private static final int RUNS = Integer.getInteger("haetae.fuzz.runs", 3000);
  private static final Pseudonymizer P = Pseudonymizers.hmacSha256("k1", "0123456789abcdef".getBytes(
      StandardCharsets.UTF_8));

  private static Effect.BankFingerprints bank(Random r) {
    Fingerprints fp = Fingerprints.none().withPdq(new Pdq(PdqHash.fromHex(String.format("%064x", 1 + r.nextInt(1 << 20))),
        50 + r.nextInt(51), List.of()));
    return new Effect.BankFingerprints("platform-removals", r.nextBoolean() ? Category.NCII : Category.CSAM, fp,
        "review_violating (decision d-" + r.nextInt(100) + ")",
        r.nextInt(3) == 0 ? Optional.empty() : Optional.of("k1:" + P.pseudonymize("account", "a" + r.nextInt(9))));
  }

  @Test
  void theUploaderFieldsRoundTripAndAreAbsentWhenEmpty() {
    RecordCodec raw = RecordCodec.raw();
    Fixtures fx = new Fixtures(SEED);
    Random r = new Random(SEED);
    int uploaders = 0;
    int posters = 0;
    for (int i = 0; i < RUNS; i++) {
      Evidence e = fx.evidence();
      Decision d = fx.decision(e);
      Effect.BankFingerprints banked = bank(r);
      List<Effect> effects = List.of(banked);
      ObjectNode body = raw.encode(e, d, effects, List.of());
      LoggedRecord back = (LoggedRecord) RecordCodec.decode(0, "s", 0, "h", body);
      assertEquals(effects, back.effects(), "case " + i);
      assertEquals(e.signals(), back.evidence().signals(), "case " + i);
      for (Signal s : e.signals()) {
        uploaders += s instanceof Signal.HashMatch && ((Signal.HashMatch) s).uploader().isPresent() ? 1 : 0;
        posters += s instanceof Signal.KnownContent && ((Signal.KnownContent) s).poster().isPresent() ? 1 : 0;
      }
      JsonNode fxNode = body.get("effects").get(0);
      assertEquals(banked.uploader().isPresent(), fxNode.has("uploader"), fxNode.toString());
      for (JsonNode s : (ArrayNode) body.get("evidence").get("signals")) {
        if (s.path("type").asText().equals("hash_match") && !s.has("uploader")) {
          assertTrue(back.evidence().signals(Signal.HashMatch.class).stream()
              .anyMatch(m -> m.uploader().isEmpty()), "absent means empty");
        }
      }
    }
    assertTrue(uploaders > RUNS / 50 && posters > RUNS / 50, "uploaders " + uploaders + ", posters " + posters);
  }

  @Test
  void brokenUploaderCarryingNodesFailOnlyWithTheCodecsException() {
    RecordCodec writer = new RecordCodec(P, RecordCodec.TEXT_FIELDS);
    RecordCodec raw = RecordCodec.raw();
    Fixtures fx = new Fixtures(SEED + 1);
    Random r = new Random(SEED + 1);
    int mutated = 0;
    int decoded = 0;
    for (int i = 0; i < RUNS; i++) {
      Evidence e = fx.evidence();
      Decision d = fx.decision(e);
      boolean withEffects = r.nextBoolean();
      ObjectNode body = withEffects ? raw.encode(e, d, List.of(bank(r)), List.of()) : writer.encode(e, d);
      List<ObjectNode> targets = new ArrayList<>();
      for (JsonNode s : (ArrayNode) body.get("evidence").get("signals")) {
        String type = s.path("type").asText();
        if (type.equals("hash_match") || type.equals("known_content")) {
          targets.add((ObjectNode) s);
        }
      }
      if (withEffects) {
        targets.add((ObjectNode) body.get("effects").get(0));
      }
      if (targets.isEmpty()) {
        continue;
      }
      for (int k = 1 + r.nextInt(3); k > 0; k--) {
        ObjectNode t = targets.get(r.nextInt(targets.size()));
        if (r.nextInt(3) == 0) {
          // the new fields above all: present with a value of any type, or dropped
          String f = t.has("poster") || t.path("type").asText().equals("known_content") ? "poster" : "uploader";
          if (r.nextBoolean()) {
            t.set(f, CodecFuzz.value(r));
          } else {
            t.remove(f);
          }
        } else {
          CodecFuzz.mutate(t, r);
        }
      }
      mutated++;
      try {
        if (withEffects) {
          RecordCodec.decode(0, "s", 0, "h", body);
        } else {
          RecordCodec.readEvidence((ObjectNode) body.get("evidence"));
        }
        decoded++;
      } catch (Json.FormatException expected) {
        // documented: a record that does not have the documented shape
      } catch (RuntimeException | StackOverflowError ex) {
        fail("seed " + (SEED + 1) + ", case " + i + ": unexpected " + ex + " for " + body, ex);
      }
    }
    assertTrue(mutated > RUNS / 3, "too few records with uploader-carrying nodes: " + mutated);
    assertTrue(decoded > 0 && decoded < mutated, "decoded " + decoded + " of " + mutated);
  }
}
