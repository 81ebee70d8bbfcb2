package dev.haetae.moderation.core.audit;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.haetae.moderation.api.Decision;
import dev.haetae.moderation.api.Evidence;
import java.io.IOException;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The record hash is taken over the bytes {@link JsonBytes} writes, so they must be byte for byte
 * Jackson's: checked on seeded random trees (every node type, every class of character, deep and
 * wide nesting, both node factories) and on every line a log written through the engine holds.
 */
class JsonBytesTest {
  /** Trees per run; {@code -Plong-fuzz} raises it. */
  private static final int TREES = Integer.getInteger("haetae.jsonBytes.trees", 3000);

  @Test
  void randomTreesAreWrittenExactlyAsJacksonWritesThem() throws IOException {
    Random r = new Random(20261205);
    for (int i = 0; i < TREES; i++) {
      JsonNodeFactory f = r.nextBoolean() ? Encoding.F : JsonNodeFactory.instance;
      JsonNode tree = value(r, f, 0);
      byte[] jackson = Frames.JSON.writeValueAsBytes(tree);
      assertArrayEquals(jackson, JsonBytes.of(tree), () -> "tree " + tree);
      ByteBuffer out = ByteBuffer.allocate(jackson.length);
      JsonBytes.write(tree, out);
      assertArrayEquals(jackson, out.array(), () -> "tree written into a buffer " + tree);
      ObjectNode object = object(r, f, 0);
      byte[] whole = Frames.JSON.writeValueAsBytes(object);
      assertArrayEquals(Arrays.copyOfRange(whole, 1, whole.length - 1), JsonBytes.members(object),
          () -> "members of " + object);
    }
  }

  @Test
  void aLongStringThatOutgrowsTheKeptBufferIsWrittenAndTheNextIsToo() throws IOException {
    StringBuilder sb = new StringBuilder();
    for (int i = 0; i < 100_000; i++) {
      sb.append(i % 3 == 0 ? '\n' : i % 3 == 1 ? '\u00e9' : '\ud800');
    }
    JsonNode big = Encoding.F.objectNode().put("s", sb.toString());
    assertArrayEquals(Frames.JSON.writeValueAsBytes(big), JsonBytes.of(big));
    JsonNode small = Encoding.F.objectNode().put("a", 1);
    assertArrayEquals(Frames.JSON.writeValueAsBytes(small), JsonBytes.of(small));
  }

  @Test
  void membersOfSomethingOtherThanAnObjectIsRefused() {
    assertThrows(IllegalArgumentException.class, () -> JsonBytes.members(Encoding.F.arrayNode()));
    assertEquals(0, assertDoesNotThrowMembers(Encoding.F.objectNode()).length);
  }

  private static byte[] assertDoesNotThrowMembers(ObjectNode o) {
    try {
      return JsonBytes.members(o);
    } catch (IOException e) {
      throw new AssertionError(e);
    }
  }

  /** Every request, signal and action the fixtures produce, pseudonymised and raw, as records. */
  @Test
  void everyKindOfDecisionRecordIsWrittenAsJacksonWritesIt() throws IOException {
    RecordCodec pseudonymised = new RecordCodec(DirectoryDecisionLogTest.P, RecordCodec.TEXT_FIELDS);
    RecordCodec raw = RecordCodec.raw();
    Fixtures fx = new Fixtures(77);
    for (int i = 0; i < 1500; i++) {
      Evidence e = fx.evidence();
      Decision d = fx.decision(e);
      for (RecordCodec c : List.of(pseudonymised, raw)) {
        ObjectNode rec = c.encode(e, d);
        byte[] whole = Frames.JSON.writeValueAsBytes(rec);
        assertArrayEquals(Arrays.copyOfRange(whole, 1, whole.length - 1), JsonBytes.members(rec), "record " + i);
      }
      byte[] outbox = FileOutbox.encode(e, d, List.of(), List.of());
      assertArrayEquals(Frames.JSON.writeValueAsBytes(raw.encode(e, d, List.of(), List.of())), outbox,
          "outbox entry " + i);
    }
  }

  /**
   * A log written through the engine holds decision records with effects and obligation events,
   * event records and outbox entries: each line must be exactly what Jackson writes for the tree
   * it parses to (the line is compact JSON, so Jackson reproduces it).
   */
  @Test
  void everyLineOfAnEngineWrittenLogIsJacksonsOwnRendering(@TempDir Path dir) throws IOException {
    EngineLogs.write(dir, 400, 11);
    int lines = 0;
    try (Stream<Path> files = Files.list(dir)) {
      for (Path p : files.filter(p -> p.getFileName().toString().startsWith("segment-")).toList()) {
        for (String line : Files.readAllLines(p, StandardCharsets.UTF_8)) {
          JsonNode tree = Frames.JSON.readTree(line);
          assertEquals(line, new String(Frames.JSON.writeValueAsBytes(tree), StandardCharsets.UTF_8));
          lines++;
        }
      }
    }
    assertTrue(lines >= 400, "records read: " + lines);
  }

  private static JsonNode value(Random r, JsonNodeFactory f, int depth) {
    int k = r.nextInt(depth > 5 ? 8 : 11);
    switch (k) {
      case 0:
        return f.textNode(text(r));
      case 1:
        return f.numberNode(r.nextInt());
      case 2:
        return f.numberNode(r.nextLong());
      case 3:
        return f.numberNode(aDouble(r));
      case 4:
        return f.booleanNode(r.nextBoolean());
      case 5:
        return f.nullNode();
      case 6:
        switch (r.nextInt(3)) {
          case 0:
            return f.numberNode(new BigInteger(100, r));
          case 1:
            return f.numberNode(new BigDecimal(new BigInteger(60, r), r.nextInt(20) - 10));
          default:
            return f.numberNode(r.nextFloat() * 1000);
        }
      case 7:
        return f.textNode(r.nextBoolean() ? "" : "plain-" + r.nextInt(1000));
      case 8:
      case 9:
        return object(r, f, depth + 1);
      default: {
        ArrayNode a = f.arrayNode();
        int n = r.nextInt(6);
        for (int i = 0; i < n; i++) {
          a.add(value(r, f, depth + 1));
        }
        return a;
      }
    }
  }

  private static ObjectNode object(Random r, JsonNodeFactory f, int depth) {
    ObjectNode o = f.objectNode();
    // now and then more members than Members keeps without an index
    int n = r.nextInt(20) == 0 ? Members.INDEXED + r.nextInt(40) : r.nextInt(7);
    for (int i = 0; i < n; i++) {
      // a small key space so that keys repeat: a repeated put replaces the value in place
      String key = r.nextInt(4) == 0 ? text(r) : "k" + r.nextInt(2 * n + 1);
      o.set(key, depth > 6 ? f.numberNode(i) : value(r, f, depth + 1));
    }
    if (n > 0 && r.nextInt(4) == 0) {
      o.remove("k" + r.nextInt(2 * n + 1));
    }
    return o;
  }

  private static double aDouble(Random r) {
    switch (r.nextInt(6)) {
      case 0:
        return r.nextDouble();
      case 1:
        return -0.0;
      case 2:
        return Double.longBitsToDouble(r.nextLong()); // any exponent; NaN and infinities too
      case 3:
        return r.nextInt(1000) / 4.0;
      case 4:
        return r.nextBoolean() ? Double.MIN_VALUE : Double.MAX_VALUE;
      default:
        return (r.nextDouble() - 0.5) * Math.pow(10, r.nextInt(40) - 20);
    }
  }

  /** Text from every class of character Jackson treats differently. */
  private static String text(Random r) {
    int n = r.nextInt(r.nextInt(10) == 0 ? 300 : 12);
    StringBuilder sb = new StringBuilder(n);
    for (int i = 0; i < n; i++) {
      switch (r.nextInt(8)) {
        case 0:
          sb.append((char) r.nextInt(0x20)); // control characters
          break;
        case 1:
          sb.append("\"\\/\u007f".charAt(r.nextInt(4)));
          break;
        case 2:
          sb.append((char) (0x80 + r.nextInt(0x800 - 0x80))); // two UTF-8 bytes
          break;
        case 3:
          sb.append((char) (0x800 + r.nextInt(0xD800 - 0x800))); // three bytes
          break;
        case 4:
          sb.appendCodePoint(0x10000 + r.nextInt(0x100000)); // a surrogate pair
          break;
        case 5:
          sb.append((char) (0xD800 + r.nextInt(0x800))); // a lone surrogate
          break;
        case 6:
          sb.append((char) (0xE000 + r.nextInt(0x2000))); // above the surrogates
          break;
        default:
          sb.append((char) (0x20 + r.nextInt(0x60)));
      }
    }
    return sb.toString();
  }
}
