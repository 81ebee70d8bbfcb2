package dev.haetae.moderation.core.audit;

import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.haetae.moderation.api.Decision;
import dev.haetae.moderation.api.Evidence;
import dev.haetae.moderation.api.spi.Pseudonymizer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * Seeded fuzzing of the decoder of the reputation model's signals ({@code report_intake},
 * {@code report_resolution}) and of first-party reports: fields dropped or replaced by values of
 * every JSON type decode or fail with the codec's {@code FormatException}, never anything else. A
 * failure prints the seed and case.
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

  private static void mutate(ObjectNode n, Random r) {
    List<String> names = new ArrayList<>();
    n.fieldNames().forEachRemaining(names::add);
    String f = names.get(r.nextInt(names.size()));
    if (r.nextInt(3) == 0) {
      n.remove(f);
    } else {
      JsonNode cur = n.get(f);
      if (cur.isArray() && cur.size() > 0 && cur.get(0).isObject() && r.nextBoolean()) {
        mutate((ObjectNode) cur.get(0), r);
      } else {
        n.set(f, value(r));
      }
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
        mutate(targets.get(r.nextInt(targets.size())), r);
      }
      mutated++;
      try {
        RecordCodec.readEvidence(ev);
        decoded++;
      } catch (RecordCodec.FormatException expected) {
        // documented: a record that does not have the documented shape
      } catch (RuntimeException | StackOverflowError ex) {
        fail("seed " + SEED + ", case " + i + ": unexpected " + ex + " for " + ev, ex);
      }
    }
    assertTrue(mutated > 1000, "too few records with report signals: " + mutated);
    assertTrue(decoded > 0 && decoded < mutated, "decoded " + decoded + " of " + mutated);
  }
}
