package dev.haetae.moderation.kafka;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.haetae.moderation.api.AccountEvent;
import dev.haetae.moderation.api.AccountId;
import dev.haetae.moderation.api.Action;
import dev.haetae.moderation.api.Decision;
import dev.haetae.moderation.api.DecisionId;
import dev.haetae.moderation.api.DecisionLogException;
import dev.haetae.moderation.api.Evidence;
import dev.haetae.moderation.core.audit.AuditLog;
import dev.haetae.moderation.core.audit.EngineLog;
import dev.haetae.moderation.core.audit.LogEntry;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What the contract does not cover: a second writer fences the first; the chain resumes past an
 * aborted transaction that readers never see; damaged records in a topic give {@link
 * DecisionLogException} and nothing else, to readers and to a writer resuming (seeded).
 */
class KafkaDecisionLogTest {
  private static final long SEED = Long.getLong("haetae.fuzz.seed", 0x4AF_CA23L);
  private static final int DAMAGE_CASES = 12 * Integer.getInteger("haetae.fuzz.scale", 1);

  static Decision decision(String id, int i) {
    return new Decision(DecisionId.of(id), Instant.EPOCH.plusSeconds(i), List.of(new Action.Allow()), List.of(),
        Optional.empty(), List.of(), List.of(), List.of());
  }

  static Evidence evidence(int i) {
    return new Evidence(Instant.EPOCH.plusSeconds(i), new AccountEvent(AccountId.of("u" + i), Instant.EPOCH, false,
        Optional.empty()), List.of(), Map.of());
  }

  private static KafkaLogShard shard(String topic, int partition) {
    return KafkaLogShard.of(KafkaBroker.shared().bootstrap(), topic, partition);
  }

  private static List<LogEntry> entries(KafkaLogShard s) {
    List<LogEntry> out = new ArrayList<>();
    s.forEachEntry(out::add);
    return out;
  }

  /** A second writer of a shard fences the first; the chain goes on from the last committed record. */
  @Test
  void aSecondWriterFencesTheFirst() {
    KafkaBroker.shared().createLogTopics("fence", 2);
    EngineLog a = shard("fence", 0).writer().build();
    List<dev.haetae.moderation.api.observe.LogBatch> batches = new java.util.concurrent.CopyOnWriteArrayList<>();
    a.observe(new dev.haetae.moderation.api.observe.EngineListener() {
      @Override
      public void logBatchWritten(dev.haetae.moderation.api.observe.LogBatch batch) {
        batches.add(batch);
      }
    });
    assertEquals(0, a.append(evidence(0), decision("a0", 0)));
    assertEquals(1, a.append(evidence(1), decision("a1", 1)));
    assertEquals(2, batches.size(), "one committed transaction per append: " + batches);
    for (dev.haetae.moderation.api.observe.LogBatch batch : batches) {
      assertEquals("kafka", batch.log());
      assertEquals(1, batch.records());
    }
    try (EngineLog b = shard("fence", 0).writer().build()) {
      DecisionLogException e = assertThrows(DecisionLogException.class, () -> a.append(evidence(2), decision("a2", 2)));
      assertTrue(e.getMessage().contains("fenced"), e.getMessage());
      assertEquals(2, b.append(evidence(3), decision("b0", 3)), "the new writer resumes after a1");
      assertThrows(DecisionLogException.class, () -> a.append(evidence(4), decision("a3", 4)), "fenced for good");
      assertEquals(2, batches.size(), "a fenced writer's failed appends are no batches");
      try (EngineLog other = shard("fence", 1).writer().build()) {
        assertEquals(0, other.append(evidence(5), decision("c0", 5)), "another shard is another chain and writer");
      }
    } finally {
      a.close();
    }
    List<String> ids = new ArrayList<>();
    for (LogEntry e : entries(shard("fence", 0))) {
      ids.add(((dev.haetae.moderation.core.audit.LoggedRecord) e).decision().id().value());
    }
    assertEquals(List.of("a0", "a1", "b0"), ids, "the fenced writer's append is not in the log");
  }

  /**
   * Records of an aborted transaction at the end of the partition are skipped when the chain is
   * resumed and when it is read, exported and verified.
   */
  @Test
  void anAbortedTransactionIsNeverPartOfTheChain(@TempDir Path dir) {
    KafkaBroker.shared().createLogTopics("aborted", 1);
    KafkaLogShard s = shard("aborted", 0);
    try (EngineLog log = s.writer().build()) {
      log.append(evidence(0), decision("d0", 0));
    }
    try (KafkaProducer<byte[], byte[]> p = new KafkaProducer<>(Map.of(
        ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, KafkaBroker.shared().bootstrap(),
        ProducerConfig.TRANSACTIONAL_ID_CONFIG, "haetae-log-aborted-0"), new ByteArraySerializer(),
        new ByteArraySerializer())) {
      p.initTransactions();
      p.beginTransaction();
      p.send(new ProducerRecord<>("aborted", 0, null, "not a record".getBytes(StandardCharsets.UTF_8)));
      p.flush();
      p.abortTransaction();
    }
    try (EngineLog log = s.writer().build()) {
      assertEquals(1, log.append(evidence(1), decision("d1", 1)));
    }
    assertEquals(2, entries(s).size());
    assertEquals(2, s.exportTo(dir.resolve("export")));
    var report = AuditLog.open(dir.resolve("export")).verify();
    assertTrue(report.ok(), report.summary());
    assertEquals(2, report.records());
  }

  /**
   * Seeded: damaged records (random bytes, a valid record with one byte changed, cut short, or
   * repeated) after good ones give readers and a resuming writer a {@link DecisionLogException},
   * and no other exception.
   */
  @Test
  void damagedRecordsGiveDecisionLogExceptionOnly() {
    String topic = "damaged";
    KafkaBroker.shared().createLogTopics(topic, DAMAGE_CASES);
    Random random = new Random(SEED);
    try (KafkaProducer<byte[], byte[]> raw = new KafkaProducer<>(Map.of(
        ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, KafkaBroker.shared().bootstrap()), new ByteArraySerializer(),
        new ByteArraySerializer())) {
      for (int c = 0; c < DAMAGE_CASES; c++) {
        KafkaLogShard s = shard(topic, c);
        int good = 1 + random.nextInt(3);
        try (EngineLog log = s.writer().build()) {
          for (int i = 0; i < good; i++) {
            log.append(evidence(i), decision("d" + i, i));
          }
        }
        byte[] last = lastLine(s);
        int kind = c % 4;
        byte[] bad;
        switch (kind) {
          case 0 -> {
            bad = new byte[random.nextInt(200)];
            random.nextBytes(bad);
          }
          case 1 -> {
            bad = last.clone();
            bad[random.nextInt(bad.length)] ^= (byte) (1 + random.nextInt(255));
          }
          case 2 -> bad = java.util.Arrays.copyOf(last, random.nextInt(last.length));
          default -> bad = last.clone();
        }
        raw.send(new ProducerRecord<>(topic, c, null, bad));
        raw.flush();
        String what = "seed " + SEED + " case " + c + " (kind " + kind + ")";
        assertThrows(DecisionLogException.class, () -> s.forEachEntry(e -> { }), what);
        assertThrows(DecisionLogException.class, () -> s.writer().build().close(), what);
      }
    }
  }

  private static byte[] lastLine(KafkaLogShard s) {
    byte[][] last = {null};
    try (var c = s.consumer()) {
      var tp = new org.apache.kafka.common.TopicPartition(s.topic(), s.shard());
      c.assign(List.of(tp));
      long end = s.stableEnd(c, tp, false);
      c.seekToBeginning(List.of(tp));
      s.drain(c, tp, end, r -> last[0] = r.value());
    }
    return last[0];
  }
}
