package dev.haetae.docs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.haetae.moderation.api.AccountEvent;
import dev.haetae.moderation.api.AccountId;
import dev.haetae.moderation.api.Decision;
import dev.haetae.moderation.api.spi.Pseudonymizer;
import dev.haetae.moderation.core.audit.AuditLog;
import dev.haetae.moderation.core.audit.EngineLog;
import dev.haetae.moderation.core.audit.Pseudonymizers;
import dev.haetae.moderation.core.audit.VerificationReport;
import dev.haetae.moderation.core.engine.ModerationEngine;
import dev.haetae.moderation.kafka.KafkaBroker;
import dev.haetae.moderation.kafka.KafkaLogShard;
import dev.haetae.moderation.kafka.KafkaSharedBank;
import dev.haetae.moderation.core.engine.Stores;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The code quoted in {@code kafka.md}: the writer and the export run against a real broker that the
 * test starts; the bank feed's wiring is compiled (moderation-kafka's KafkaSharedBankTest runs the
 * feed itself).
 */
class KafkaGuideTest {

  record Wired(EngineLog log, ModerationEngine engine) {}

  static Wired writer(String bootstrap, int slot, Pseudonymizer key) {
    // region writer
    KafkaLogShard shard = KafkaLogShard.parse("kafka://" + bootstrap + "/decisions?shard=" + slot)
        .withTimeout(Duration.ofSeconds(10));      // an append fails after this long without the cluster
    EngineLog log = shard.writer()
        .pseudonymizer(key)                        // the same key on every instance
        .build();                                  // fences an older writer of the shard, resumes its chain
    ModerationEngine engine = ModerationEngine.builder().decisionLog(log).build();
    // endregion
    return new Wired(log, engine);
  }

  static ModerationEngine bankFeed(String bootstrap, EngineLog log) {
    // region bank-feed
    KafkaSharedBank removals = KafkaSharedBank.create(bootstrap, "platform-removals", Duration.ofSeconds(10));
    ModerationEngine engine = ModerationEngine.builder()
        .decisionLog(log)
        .stores(Stores.inMemory().withPlatformBank(removals)) // or pg.stores().withPlatformBank(removals)
        .build();
    // endregion
    return engine;
  }

  static long export(String bootstrap, Path dir) {
    // region export
    KafkaLogShard shard = KafkaLogShard.parse("kafka://" + bootstrap + "/decisions?shard=0");
    long records = shard.exportTo(dir);             // committed records, as segment files
    VerificationReport report = AuditLog.open(dir).verify();
    // endregion
    assertTrue(report.ok(), report.summary());
    return records;
  }

  @Test
  void theGuidesExampleWritesAShardThatVerifies(@TempDir Path dir) {
    KafkaBroker broker = KafkaBroker.shared();
    broker.createLogTopics("decisions", 2);
    Pseudonymizer key = Pseudonymizers.hmacSha256("docs", "0123456789abcdef0123".getBytes(StandardCharsets.UTF_8));
    Wired w = writer(broker.bootstrap(), 0, key);
    try (ModerationEngine engine = w.engine()) {
      Decision d = engine.evaluate(new AccountEvent(AccountId.of("u1"), Instant.parse("2025-01-01T00:00:00Z"), false,
          Optional.empty()));
      assertTrue(d.id().value().length() > 0);
    } finally {
      w.log().close();
    }
    long[] decisions = {0};
    long all = KafkaLogShard.of(broker.bootstrap(), "decisions", 0).forEachEntry(e -> {
      if (e instanceof dev.haetae.moderation.core.audit.LoggedRecord) {
        decisions[0]++;
      }
    });
    assertEquals(1, decisions[0], "the one decision, after the engine's own event records");
    assertEquals(all, export(broker.bootstrap(), dir.resolve("shard-0")));
  }
}
