package dev.haetae.moderation.core.audit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.haetae.moderation.api.Action;
import dev.haetae.moderation.api.ActionConfirmation;
import dev.haetae.moderation.api.Decision;
import dev.haetae.moderation.api.DecisionId;
import dev.haetae.moderation.api.Evidence;
import dev.haetae.moderation.api.spi.Pseudonymizer;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * Seeded property and fuzz test of the logged form of {@link ActionConfirmation}: random
 * confirmations (hostile decision ids and details included) round-trip through the record codec,
 * with the detail kept or masked as configured; records whose confirmation has fields dropped or
 * replaced by values of every JSON type decode or fail with the codec's {@code FormatException},
 * never anything else. {@code -Plong-fuzz} multiplies the cases by {@code haetae.fuzz.scale}. A
 * failure prints the seed and case.
 */
class ConfirmationCodecFuzzTest {
  private static final long SEED = Long.getLong("haetae.fuzz.seed", 0xC0_4F_12L);
  private static final int CASES = 2000 * Integer.getInteger("haetae.fuzz.scale", 1);
  private static final JsonNodeFactory F = JsonNodeFactory.instance;
  private static final Pseudonymizer P = Pseudonymizers.hmacSha256("k1", "0123456789abcdef".getBytes(
      StandardCharsets.UTF_8));
  private static final List<String> HOSTILE = List.of("d-1", "</script><script>alert(1)</script>", "a\"b'c",
      "\u0000\u2028x", "@@DATA@@", "x".repeat(300), "\uD83D\uDE00", "<img src=x onerror=alert(1)>");

  private static ActionConfirmation confirmation(Random r) {
    Action.Kind[] kinds = Action.Kind.values();
    Action.Kind kind = kinds[r.nextInt(kinds.length)];
    Action.Recipient[] recipients = Action.Recipient.values();
    return new ActionConfirmation(DecisionId.of(HOSTILE.get(r.nextInt(HOSTILE.size())) + r.nextInt(100)),
        kind, r.nextBoolean() ? ActionConfirmation.Outcome.CARRIED_OUT
            : ActionConfirmation.Outcome.FAILED,
        Instant.parse("2026-01-01T00:00:00Z").plusSeconds(r.nextInt(1_000_000)),
        r.nextBoolean() ? Optional.empty() : Optional.of(HOSTILE.get(r.nextInt(HOSTILE.size()))),
        kind == Action.Kind.NOTIFY_USER && r.nextBoolean() ? Optional.of(recipients[r.nextInt(recipients.length)])
            : Optional.empty());
  }

  private static JsonNode value(Random r) {
    switch (r.nextInt(8)) {
      case 0:
        return F.nullNode();
      case 1:
        return F.booleanNode(r.nextBoolean());
      case 2:
        return F.numberNode(r.nextInt(2001) - 1000);
      case 3:
        return F.textNode(List.of("", "remove", "REMOVE", "carried_out", "failed", "2026-13-01T00:00:00Z",
            "not a time", "x".repeat(200)).get(r.nextInt(8)));
      case 4:
        return F.arrayNode().add("remove");
      case 5:
        return F.objectNode().put("masked", 3).put("h", "abc");
      case 6:
        return F.objectNode().put("kid", "k1").put("p", "abc");
      default:
        return F.arrayNode();
    }
  }

  @Test
  void confirmationsRoundTripThroughTheLog() {
    Random r = new Random(SEED);
    Fixtures fx = new Fixtures(SEED);
    RecordCodec keep = new RecordCodec(P, Set.of("confirmation.detail"));
    RecordCodec masked = new RecordCodec(P, Set.of());
    for (int i = 0; i < CASES; i++) {
      ActionConfirmation c = confirmation(r);
      Evidence e = new Evidence(c.at(), c, List.of(), Map.of());
      Decision d = fx.decision(e);
      try {
        assertEquals(c, RecordCodec.readEvidence((ObjectNode) keep.encode(e, d).get("evidence")).request());
        ActionConfirmation m = (ActionConfirmation) RecordCodec.readEvidence(
            (ObjectNode) masked.encode(e, d).get("evidence")).request();
        assertEquals(List.of(c.decision(), c.action(), c.outcome(), c.at()),
            List.of(m.decision(), m.action(), m.outcome(), m.at()));
        assertEquals(c.detail().isPresent(), m.detail().isPresent());
        m.detail().ifPresent(x -> assertTrue(x.startsWith("[masked "), x));
      } catch (RuntimeException | AssertionError ex) {
        fail("seed " + SEED + ", case " + i + ": " + c, ex);
      }
    }
  }

  @Test
  void brokenConfirmationsFailWithTheCodecsOwnException() {
    Random r = new Random(SEED + 1);
    Fixtures fx = new Fixtures(SEED + 1);
    RecordCodec writer = new RecordCodec(P, Set.of("confirmation.detail"));
    int decoded = 0;
    for (int i = 0; i < CASES; i++) {
      ActionConfirmation c = confirmation(r);
      Evidence e = new Evidence(c.at(), c, List.of(), Map.of());
      ObjectNode ev = (ObjectNode) writer.encode(e, fx.decision(e)).get("evidence");
      ObjectNode req = (ObjectNode) ev.get("request");
      for (int k = 1 + r.nextInt(3); k > 0; k--) {
        List<String> names = new ArrayList<>();
        req.fieldNames().forEachRemaining(names::add);
        String f = names.get(r.nextInt(names.size()));
        if (r.nextInt(3) == 0) {
          req.remove(f);
        } else {
          req.set(f, value(r));
        }
      }
      try {
        RecordCodec.readEvidence(ev);
        decoded++;
      } catch (Json.FormatException expected) {
        // documented: a record that does not have the documented shape
      } catch (RuntimeException | StackOverflowError ex) {
        fail("seed " + SEED + ", case " + i + ": unexpected " + ex + " for " + req, ex);
      }
    }
    assertTrue(decoded > 0 && decoded < CASES, "decoded " + decoded + " of " + CASES);
  }
}
