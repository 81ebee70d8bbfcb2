package dev.haetae.moderation.core.audit;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/**
 * Seeded mutations of encoded records for the codec fuzz tests: a field dropped, or replaced by a
 * value of another JSON type (or a nested object's field mutated in turn).
 */
final class CodecFuzz {
  private static final JsonNodeFactory F = JsonNodeFactory.instance;

  private CodecFuzz() {}

  /** A value of a random JSON type, including the shapes the codec writes (ids, instants, lists). */
  static JsonNode value(Random r) {
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
        return F.textNode(List.of("", "ncii", "k1:u1", "pdq", "2026-12-01T09:00:00Z", "x".repeat(200),
            "platform-removals", "csam").get(r.nextInt(8)));
      case 5:
        return F.arrayNode().add("ncii").add(7);
      case 6:
        return F.objectNode().put("kid", "k1").put("p", "abc");
      case 7:
        return F.objectNode().put("sha256", "zz");
      default:
        return F.arrayNode();
    }
  }

  /** Drops one field of {@code n} or replaces it (nested objects are mutated in turn, half the time). */
  static void mutate(ObjectNode n, Random r) {
    List<String> names = new ArrayList<>();
    n.fieldNames().forEachRemaining(names::add);
    if (names.isEmpty()) {
      n.set("x", value(r));
      return;
    }
    String f = names.get(r.nextInt(names.size()));
    JsonNode cur = n.get(f);
    if (cur.isObject() && cur.size() > 0 && r.nextBoolean()) {
      mutate((ObjectNode) cur, r);
    } else if (r.nextInt(3) == 0) {
      n.remove(f);
    } else {
      n.set(f, value(r));
    }
  }
}
