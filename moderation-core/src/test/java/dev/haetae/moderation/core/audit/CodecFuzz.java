package dev.haetae.moderation.core.audit;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.function.Function;
import org.junit.jupiter.api.Assertions;

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

  /**
   * Drops one field of {@code n} or replaces it with a value of {@link #value(Random)}; see
   * {@link #mutate(ObjectNode, Random, Function)}.
   */
  static void mutate(ObjectNode n, Random r) {
    mutate(n, r, CodecFuzz::value);
  }

  /**
   * Drops one field of {@code n} or replaces it with one of {@code values}; half the time a nested
   * object (or the first object of a nested array) is mutated in turn instead. An empty object
   * gains a {@code type} field.
   */
  static void mutate(ObjectNode n, Random r, Function<Random, JsonNode> values) {
    List<String> names = new ArrayList<>();
    n.fieldNames().forEachRemaining(names::add);
    if (names.isEmpty()) {
      n.set("type", values.apply(r));
      return;
    }
    String f = names.get(r.nextInt(names.size()));
    JsonNode cur = n.get(f);
    ObjectNode inner = cur.isObject() && cur.size() > 0 ? (ObjectNode) cur
        : cur.isArray() && cur.size() > 0 && cur.get(0).isObject() ? (ObjectNode) cur.get(0) : null;
    if (inner != null && r.nextBoolean()) {
      mutate(inner, r, values);
    } else if (r.nextInt(3) == 0) {
      n.remove(f);
    } else {
      n.set(f, values.apply(r));
    }
  }

  /**
   * Decodes {@code body} as a logged record: true when it decodes, false when the codec refuses it
   * with its documented {@link Json.FormatException}; any other exception fails the test, named with
   * {@code context}.
   */
  static boolean decodes(ObjectNode body, String context) {
    try {
      RecordCodec.decode(0, "s", 0, "h", body);
      return true;
    } catch (Json.FormatException expected) {
      return false; // documented: a record that does not have the documented shape
    } catch (RuntimeException | StackOverflowError ex) {
      return Assertions.fail(context + ": unexpected " + ex, ex);
    }
  }
}
