package dev.haetae.moderation.kafka;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.haetae.moderation.api.Category;
import dev.haetae.moderation.api.Fingerprints;
import dev.haetae.moderation.api.Sha256;
import dev.haetae.moderation.api.StoreUnavailableException;
import dev.haetae.moderation.api.MatchType;
import dev.haetae.moderation.core.hash.Bank;
import dev.haetae.moderation.core.hash.EntryInfo;
import dev.haetae.moderation.core.hash.HashBanks;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.junit.jupiter.api.Test;

/**
 * The engine's bank of removed content shared through a compacted topic: what one instance adds,
 * a follower started before and one started after both apply; a tombstone withdraws; both report
 * the same bank version; seeded malformed records are skipped without stopping the follower.
 */
class KafkaSharedBankTest {
  private static final long SEED = Long.getLong("haetae.fuzz.seed", 0xBA_4CF1L);
  private static final int JUNK = 200 * Integer.getInteger("haetae.fuzz.scale", 1);
  private static final String BANK = "platform-removals";

  private static Fingerprints sha(int i) {
    return Fingerprints.none().withSha256(Sha256.fromHex("%064x".formatted(1000 + i)));
  }

  private static boolean blocks(HashBanks banks, Fingerprints f) {
    return !banks.match(f).isEmpty();
  }

  /** Waits, one applied batch at a time, until {@code done} holds. */
  private static void await(Semaphore applied, BooleanSupplier done, String what) throws InterruptedException {
    while (!done.getAsBoolean()) {
      if (!applied.tryAcquire(120, TimeUnit.SECONDS)) {
        throw new AssertionError("not within two minutes: " + what);
      }
    }
  }

  @Test
  void everyInstanceFollowsWhatAnyInstanceAdds() throws Exception {
    KafkaBroker broker = KafkaBroker.shared();
    broker.createTopic("bank-feed", KafkaSharedBank.topicConfig());
    Semaphore appliedB = new Semaphore(0);
    Semaphore appliedC = new Semaphore(0);
    Semaphore appliedAny = new Semaphore(0);
    HashBanks a = HashBanks.inMemory();
    HashBanks b = HashBanks.inMemory();
    HashBanks c = HashBanks.inMemory();
    try (KafkaSharedBank sa = KafkaSharedBank.create(broker.bootstrap(), "bank-feed", Duration.ofSeconds(30));
        KafkaSharedBank sb = KafkaSharedBank.create(broker.bootstrap(), "bank-feed", Duration.ofSeconds(30),
            id -> {
              appliedB.release();
              appliedAny.release();
            });
        KafkaSharedBank sc = KafkaSharedBank.create(broker.bootstrap(), "bank-feed", Duration.ofSeconds(30),
            id -> {
              appliedC.release();
              appliedAny.release();
            })) {
      AutoCloseable followB = sb.follow(b, BANK);
      a.addToBank(BANK, Category.NCII, sha(1));
      sa.add(BANK, Category.NCII, sha(1));
      sa.add(BANK, Category.NCII, sha(2));
      sa.add(BANK, Category.NCII, sha(2)); // idempotent
      await(appliedB, () -> blocks(b, sha(1)) && blocks(b, sha(2)), "the follower applies both entries");
      assertEquals(Category.NCII, b.bank(BANK).config().category(), "defined with the feed's category");
      AutoCloseable followC = sc.follow(c, BANK);
      try {
        await(appliedC, () -> blocks(c, sha(1)) && blocks(c, sha(2)), "a late follower loads from the start");
        String version = "bank:" + BANK;
        await(appliedAny, () -> c.versions().get(version).equals(b.versions().get(version)),
            "instances that applied the same records report the same version");
        assertTrue(c.versions().get(version).startsWith("3-"),
            "the counter is the feed's position (three records): " + c.versions());
        try (KafkaProducer<byte[], byte[]> raw = new KafkaProducer<>(Map.of(
            ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrap()), new ByteArraySerializer(),
            new ByteArraySerializer())) {
          raw.send(new ProducerRecord<>("bank-feed", 0,
              (BANK + "\nSHA256\n" + "%064x".formatted(1001)).getBytes(StandardCharsets.UTF_8), null)).get();
          Random random = new Random(SEED);
          for (int i = 0; i < JUNK; i++) {
            byte[] key = switch (random.nextInt(3)) {
              case 0 -> (BANK + "\n" + "SHA256\n" + Long.toHexString(random.nextLong())).getBytes(StandardCharsets.UTF_8);
              case 1 -> (BANK + "\nNOPE\n00").getBytes(StandardCharsets.UTF_8);
              default -> {
                byte[] k = new byte[random.nextInt(40)];
                random.nextBytes(k);
                yield k;
              }
            };
            byte[] value = new byte[random.nextInt(12)];
            random.nextBytes(value);
            raw.send(new ProducerRecord<>("bank-feed", 0, key, random.nextInt(4) == 0 ? null
                : random.nextBoolean() ? "NCII".getBytes(StandardCharsets.UTF_8) : value));
          }
          raw.flush();
        }
        sa.add(BANK, Category.NCII, sha(3));
        await(appliedB, () -> blocks(b, sha(3)), "the follower goes on past malformed records");
        await(appliedC, () -> blocks(c, sha(3)), "so does the other");
        assertFalse(blocks(b, sha(1)), "the tombstone withdrew the entry");
        assertFalse(blocks(c, sha(1)));
        assertTrue(blocks(b, sha(2)));
      } finally {
        followC.close();
        followB.close();
      }
    }
  }

  @Test
  void followersApplyEachEntrysOwnCategoryReasonAndUploader() throws Exception {
    KafkaBroker broker = KafkaBroker.shared();
    broker.createTopic("bank-feed-v2", KafkaSharedBank.topicConfig());
    Semaphore applied = new Semaphore(0);
    HashBanks b = HashBanks.inMemory();
    try (KafkaSharedBank sa = KafkaSharedBank.create(broker.bootstrap(), "bank-feed-v2", Duration.ofSeconds(30));
        KafkaSharedBank sb = KafkaSharedBank.create(broker.bootstrap(), "bank-feed-v2", Duration.ofSeconds(30),
            id -> applied.release())) {
      assertThrows(IllegalArgumentException.class, () -> sa.add(BANK, Category.NCII, sha(20), Category.DOXXING,
          "x", Optional.of("k1:a\nb")), "a line break in the uploader is refused");
      assertThrows(IllegalArgumentException.class, () -> sa.add(BANK, Category.NCII, sha(20), Category.DOXXING,
          "x", Optional.of(" ")), "a blank uploader is refused");
      sa.add(BANK, Category.NCII, sha(21), Category.SEXUAL_DEEPFAKE, "media violating\nsecond line",
          Optional.of("k1:poster"));
      sa.add(BANK, Category.NCII, sha(22), Category.DOXXING, "caption", Optional.empty());
      sa.add(BANK, Category.NCII, sha(23)); // a record as versions before 0.4 write it
      try (KafkaProducer<byte[], byte[]> raw = new KafkaProducer<>(Map.of(
          ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrap()), new ByteArraySerializer(),
          new ByteArraySerializer())) {
        for (String junk : List.of("v2", "v2\nNCII", "v2\nNCII\nNOPE\n\nr", "v2\nNOPE\nNCII\n\nr",
            "v2\nNCII\nNCII\nk1:x")) {
          raw.send(new ProducerRecord<>("bank-feed-v2", 0,
              (BANK + "\nSHA256\n" + "%064x".formatted(1030)).getBytes(StandardCharsets.UTF_8),
              junk.getBytes(StandardCharsets.UTF_8))).get();
        }
      }
      sa.add(BANK, Category.NCII, sha(24), Category.NCII, "last", Optional.of("k1:last"));
      AutoCloseable follow = sb.follow(b, BANK);
      try {
        await(applied, () -> blocks(b, sha(24)), "the follower applies every valid record");
        Bank bank = b.bank(BANK);
        EntryInfo deepfake = bank.entry(MatchType.SHA256, sha(21).sha256().orElseThrow().toHex()).orElseThrow();
        assertEquals(Category.SEXUAL_DEEPFAKE, deepfake.category());
        assertEquals(Optional.of("media violating\nsecond line"), deepfake.reason());
        assertEquals(Optional.of("k1:poster"), deepfake.uploader());
        EntryInfo doxx = bank.entry(MatchType.SHA256, sha(22).sha256().orElseThrow().toHex()).orElseThrow();
        assertEquals(Category.DOXXING, doxx.category());
        assertEquals(Optional.of("caption"), doxx.reason());
        assertEquals(Optional.empty(), doxx.uploader());
        EntryInfo old = bank.entry(MatchType.SHA256, sha(23).sha256().orElseThrow().toHex()).orElseThrow();
        assertEquals(Category.NCII, old.category(), "an old record's entry takes the bank's category");
        assertEquals(Optional.empty(), old.uploader());
        assertTrue(bank.entry(MatchType.SHA256, "%064x".formatted(1030)).isEmpty(),
            "malformed v2 values are skipped");
        assertEquals(Category.NCII, bank.config().category(), "the bank keeps the category it was defined with");
      } finally {
        follow.close();
      }
    }
  }

  @Test
  void anAddTheClusterDoesNotAcknowledgeFails() {
    try (KafkaSharedBank s = KafkaSharedBank.create("127.0.0.1:1", "bank-feed", Duration.ofSeconds(1))) {
      assertThrows(StoreUnavailableException.class, () -> s.add(BANK, Category.NCII, sha(9)));
    }
  }
}
