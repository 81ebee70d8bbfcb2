package dev.haetae.moderation.kafka;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.Random;
import org.junit.jupiter.api.Test;

/** Naming a shard: the kafka:// form, and seeded junk that must give IllegalArgumentException only. */
class KafkaLogShardParseTest {
  private static final long SEED = Long.getLong("haetae.fuzz.seed", 0x23_4AF1L);
  private static final int CASES = 20_000 * Integer.getInteger("haetae.fuzz.scale", 1);
  private static final String ALPHABET = "kafka:/?&=,.[]-_%0123456789shardtopic\u00e9 \t\n:\\";
  private static final String[] VALID = {
    "kafka://127.0.0.1:9092/decisions?shard=3", "kafka://a.example:9092,b.example:9093/log-eu.1",
    "kafka://[::1]:9092/t?shard=0"};

  @Test
  void theDocumentedFormsAreRead() {
    KafkaLogShard s = KafkaLogShard.parse(VALID[0]);
    assertEquals("127.0.0.1:9092", s.bootstrapServers());
    assertEquals("decisions", s.topic());
    assertEquals(3, s.shard());
    assertEquals("kafka:decisions/3", s.location());
    KafkaLogShard two = KafkaLogShard.parse(VALID[1]);
    assertEquals("a.example:9092,b.example:9093", two.bootstrapServers());
    assertEquals(0, two.shard(), "shard 0 by default");
    assertEquals(0, KafkaLogShard.parse(VALID[2]).shard());
  }

  @Test
  void malformedNamesAreRefusedWithTheirProblem() {
    assertThrows(IllegalArgumentException.class, () -> KafkaLogShard.parse("/var/log/haetae"));
    assertThrows(IllegalArgumentException.class, () -> KafkaLogShard.parse("kafka://host:9092"));
    assertThrows(IllegalArgumentException.class, () -> KafkaLogShard.parse("kafka://host/t"));
    assertThrows(IllegalArgumentException.class, () -> KafkaLogShard.parse("kafka://host:99999/t"));
    assertThrows(IllegalArgumentException.class, () -> KafkaLogShard.parse("kafka://host:9092/t?shard=-1"));
    assertThrows(IllegalArgumentException.class, () -> KafkaLogShard.parse("kafka://host:9092/t?part=1"));
    assertThrows(IllegalArgumentException.class, () -> KafkaLogShard.parse("kafka://host:9092/a/b"));
    assertThrows(IllegalArgumentException.class, () -> KafkaLogShard.parse("kafka://host:9092/.."));
  }

  /** Seeded: mutated valid names and random strings give a shard or IllegalArgumentException. */
  @Test
  void junkGivesIllegalArgumentExceptionOnly() {
    Random random = new Random(SEED);
    int parsed = 0;
    for (int i = 0; i < CASES; i++) {
      StringBuilder b = new StringBuilder(random.nextBoolean() ? VALID[random.nextInt(VALID.length)] : "");
      int edits = 1 + random.nextInt(4);
      for (int e = 0; e < edits; e++) {
        char c = ALPHABET.charAt(random.nextInt(ALPHABET.length()));
        int at = b.length() == 0 ? 0 : random.nextInt(b.length() + 1);
        switch (random.nextInt(3)) {
          case 0 -> b.insert(at, c);
          case 1 -> {
            if (at < b.length()) {
              b.deleteCharAt(at);
            }
          }
          default -> {
            if (at < b.length()) {
              b.setCharAt(at, c);
            }
          }
        }
      }
      String s = b.toString();
      try {
        KafkaLogShard k = KafkaLogShard.parse(s);
        KafkaLogShard.of(k.bootstrapServers(), k.topic(), k.shard()); // what parse accepts, of accepts
        parsed++;
      } catch (IllegalArgumentException expected) {
        // documented
      } catch (RuntimeException e) {
        throw new AssertionError("seed " + SEED + " case " + i + ": '" + s + "' threw " + e, e);
      }
    }
    assertEquals(true, parsed > 0 && parsed < CASES, "the cases mix accepted and refused names: " + parsed);
  }
}
