package dev.haetae.moderation.kafka;

import dev.haetae.moderation.api.Category;
import dev.haetae.moderation.api.Fingerprints;
import dev.haetae.moderation.api.MatchType;
import dev.haetae.moderation.api.StoreUnavailableException;
import dev.haetae.moderation.core.engine.SharedBank;
import dev.haetae.moderation.core.hash.HashBanks;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The engine's bank of removed content shared through a compacted Kafka topic, an alternative to
 * the PostgreSQL bank tables and their change feed: every instance {@linkplain #add adds} the
 * fingerprints of content it removed, and {@linkplain #follow follows} the whole topic from its
 * start, so content removed on one instance is blocked on every other within moments.
 *
 * <p>Each record is one bank entry: key {@code <bank>\n<type>\n<hex>} (a bank with no entry yet:
 * {@code <bank>\n\n}), value UTF-8: the bank's category name, as written by {@link #add(String,
 * Category, Fingerprints)} and by versions before 0.4 (the entry takes the bank's category), or,
 * when the engine banks with the entry's own category, reason and uploader (since 0.4),
 * {@code v2\n<bank category>\n<entry category>\n<uploader or empty>\n<reason>} (the reason last,
 * so it may hold line breaks). Adding an entry twice writes the same key, which compaction keeps
 * once; a tombstone (null value) withdraws the entry from every follower. An entry keeps the first
 * uploader a follower applied; a follower that starts after compaction reads only the latest record
 * of a key, so when two instances bank the same hash from different posters, followers may differ
 * in which poster the entry names (each decision logs the uploader it matched, so replay is not
 * affected). Create the topic with one partition, {@code cleanup.policy=compact} and the production
 * replication of the log topics (see the Kafka guide).
 *
 * <p>A follower is a daemon thread with a consumer of its own (no consumer group: every instance
 * reads everything). It loads the bank as soon as the topic holds an entry of it, applies every
 * later entry, and sets the bank's version counter to the topic's position, so instances that
 * applied the same records report the same bank version. Malformed records are skipped with a
 * warning; an unreachable cluster is retried; neither ever reaches request threads.
 *
 * <p><b>Thread safety.</b> Thread-safe. {@link #close()} closes the producer; followers stop when
 * their handles are closed.
 *
 * @since 0.2
 */
public final class KafkaSharedBank implements SharedBank, AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(KafkaSharedBank.class);
  private static final Duration POLL = Duration.ofMillis(200);

  private final String bootstrapServers;
  private final String topic;
  private final Duration timeout;
  private final KafkaProducer<byte[], byte[]> producer;
  /** Called by followers after each applied batch, with the bank id; for tests. */
  private final java.util.function.Consumer<String> applied;

  private KafkaSharedBank(String bootstrapServers, String topic, Duration timeout,
      java.util.function.Consumer<String> applied) {
    this.bootstrapServers = bootstrapServers;
    this.topic = topic;
    this.timeout = timeout;
    this.applied = applied;
    Map<String, Object> m = new HashMap<>();
    m.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
    m.put(ProducerConfig.ACKS_CONFIG, "all");
    m.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, "true");
    m.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, (int) timeout.toMillis());
    m.put(ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG, (int) timeout.toMillis());
    m.put(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, (int) timeout.toMillis());
    m.put(ProducerConfig.LINGER_MS_CONFIG, "0");
    this.producer = new KafkaProducer<>(m, new ByteArraySerializer(), new ByteArraySerializer());
  }

  /**
   * A shared bank on {@code topic}. Contacts the cluster only when adding or following.
   *
   * @param bootstrapServers comma-separated host:port pairs; not null
   * @param topic the feed topic (compacted, one partition); not null
   * @param timeout how long an {@link #add} waits for the cluster's acknowledgement: 1 second to 10
   *     minutes; not null
   * @return the shared bank; close it at shutdown; never null
   * @throws IllegalArgumentException when an argument is malformed
   */
  public static KafkaSharedBank create(String bootstrapServers, String topic, Duration timeout) {
    return create(bootstrapServers, topic, timeout, id -> { });
  }

  static KafkaSharedBank create(String bootstrapServers, String topic, Duration timeout,
      java.util.function.Consumer<String> applied) {
    KafkaLogShard.of(bootstrapServers, topic, 0).withTimeout(timeout); // validates all three
    return new KafkaSharedBank(bootstrapServers, topic, timeout, applied);
  }

  /**
   * The topic settings the feed topic needs: {@code cleanup.policy=compact} (an entry written twice
   * is kept once, a withdrawn entry goes with its tombstone) and {@code
   * unclean.leader.election.enable=false}.
   *
   * @return the settings; never null; unmodifiable
   */
  public static Map<String, String> topicConfig() {
    Map<String, String> m = new LinkedHashMap<>();
    m.put("cleanup.policy", "compact");
    m.put("unclean.leader.election.enable", "false");
    return java.util.Collections.unmodifiableMap(m);
  }

  /**
   * Writes removed content's fingerprints (its SHA-256, MD5 and bankable PDQ hash, as {@link
   * HashBanks#addToBank} takes them) to the feed, and returns once the cluster acknowledged them
   * ({@code acks=all}).
   *
   * @throws StoreUnavailableException when the cluster did not acknowledge within the timeout
   *     (some of the entries may have been written; adding again is harmless)
   */
  @Override
  public void add(String bankId, Category category, Fingerprints fingerprints) {
    Objects.requireNonNull(bankId, "bankId");
    Objects.requireNonNull(category, "category");
    Objects.requireNonNull(fingerprints, "fingerprints");
    send(bankId, fingerprints, category.name().getBytes(StandardCharsets.UTF_8));
  }

  /**
   * As {@link #add(String, Category, Fingerprints)}, each entry carrying its own category and the
   * reason it was banked, which every follower applies with it.
   *
   * @throws StoreUnavailableException when the cluster did not acknowledge within the timeout
   * @throws NullPointerException when an argument is null
   * @since 0.4
   */
  @Override
  public void add(String bankId, Category bankCategory, Fingerprints fingerprints, Category entryCategory,
      String reason) {
    add(bankId, bankCategory, fingerprints, entryCategory, reason, java.util.Optional.empty());
  }

  /**
   * As {@link #add(String, Category, Fingerprints, Category, String)}, each entry also carrying the
   * keyed pseudonym of the removed content's poster (see the class comment for what followers keep).
   *
   * @throws StoreUnavailableException when the cluster did not acknowledge within the timeout
   * @throws NullPointerException when an argument is null
   * @throws IllegalArgumentException when the uploader is blank or holds a line break
   * @since 0.4
   */
  @Override
  public void add(String bankId, Category bankCategory, Fingerprints fingerprints, Category entryCategory,
      String reason, java.util.Optional<String> uploader) {
    Objects.requireNonNull(bankId, "bankId");
    Objects.requireNonNull(bankCategory, "bankCategory");
    Objects.requireNonNull(fingerprints, "fingerprints");
    Objects.requireNonNull(entryCategory, "entryCategory");
    Objects.requireNonNull(reason, "reason");
    Objects.requireNonNull(uploader, "uploader");
    if (uploader.isPresent() && (uploader.get().isBlank() || uploader.get().indexOf('\n') >= 0)) {
      throw new IllegalArgumentException("uploader must be a non-blank keyed pseudonym without line breaks");
    }
    String value = V2 + "\n" + bankCategory.name() + "\n" + entryCategory.name() + "\n" + uploader.orElse("")
        + "\n" + reason;
    send(bankId, fingerprints, value.getBytes(StandardCharsets.UTF_8));
  }

  /** The first line of a record value that carries the entry's own category, uploader and reason. */
  static final String V2 = "v2";

  /** Writes one record per fingerprint (or the bank's own record) with {@code value}; waits for acks. */
  private void send(String bankId, Fingerprints fingerprints, byte[] value) {
    List<String[]> entries = new ArrayList<>();
    fingerprints.sha256().ifPresent(h -> entries.add(new String[] {MatchType.SHA256.name(), h.toHex()}));
    fingerprints.md5().ifPresent(h -> entries.add(new String[] {MatchType.MD5.name(), h.toHex()}));
    fingerprints.pdq().filter(HashBanks::isBankable)
        .ifPresent(p -> entries.add(new String[] {MatchType.PDQ.name(), p.hash().toHex()}));
    if (entries.isEmpty()) {
      entries.add(new String[] {"", ""}); // the bank itself, so that followers define it
    }
    List<java.util.concurrent.Future<?>> sent = new ArrayList<>();
    try {
      for (String[] e : entries) {
        byte[] key = (bankId + "\n" + e[0] + "\n" + e[1]).getBytes(StandardCharsets.UTF_8);
        sent.add(producer.send(new ProducerRecord<>(topic, 0, key, value)));
      }
      for (java.util.concurrent.Future<?> f : sent) {
        f.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
      }
    } catch (KafkaException | ExecutionException | TimeoutException e) {
      throw new StoreUnavailableException("cannot add to shared bank " + bankId + " on topic " + topic + " at "
          + bootstrapServers + ": " + e, e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new StoreUnavailableException("interrupted while adding to shared bank " + bankId, e);
    }
  }

  /**
   * Follows bank {@code bankId} of {@code banks} from the feed's start, in a daemon thread.
   *
   * @return a handle that stops the thread; never null
   */
  @Override
  public AutoCloseable follow(HashBanks banks, String bankId) {
    Objects.requireNonNull(banks, "banks");
    Objects.requireNonNull(bankId, "bankId");
    Follower f = new Follower(banks, bankId);
    Thread t = new Thread(f, "haetae-kafka-bank-" + bankId);
    t.setDaemon(true);
    t.start();
    return f;
  }

  /** Closes the producer; followers keep running until their handles are closed. */
  @Override
  public void close() {
    producer.close(timeout);
  }

  @Override
  public String toString() {
    return "KafkaSharedBank[" + topic + " at " + bootstrapServers + "]";
  }

  /** One follower: a consumer of every partition of the feed, from the start. */
  private final class Follower implements Runnable, AutoCloseable {
    private final HashBanks banks;
    private final String bankId;
    private final AtomicBoolean closed = new AtomicBoolean();
    private final java.util.concurrent.CountDownLatch stopped = new java.util.concurrent.CountDownLatch(1);
    private volatile KafkaConsumer<byte[], byte[]> consumer;

    Follower(HashBanks banks, String bankId) {
      this.banks = banks;
      this.bankId = bankId;
    }

    @Override
    public void run() {
      while (!closed.get()) {
        Map<String, Object> m = new HashMap<>();
        m.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        m.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
        m.put(ConsumerConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, (int) timeout.toMillis());
        try (KafkaConsumer<byte[], byte[]> c = new KafkaConsumer<>(m, new ByteArrayDeserializer(),
            new ByteArrayDeserializer())) {
          consumer = c;
          if (closed.get()) {
            return;
          }
          List<PartitionInfo> parts = c.partitionsFor(topic, timeout);
          if (parts == null || parts.isEmpty()) {
            throw new KafkaException("topic " + topic + " does not exist");
          }
          List<TopicPartition> tps = new ArrayList<>();
          parts.forEach(p -> tps.add(new TopicPartition(topic, p.partition())));
          c.assign(tps);
          c.seekToBeginning(tps);
          while (!closed.get()) {
            boolean any = false;
            for (ConsumerRecord<byte[], byte[]> r : c.poll(POLL)) {
              any |= apply(r);
            }
            if (any) {
              long position = 0;
              for (TopicPartition tp : tps) {
                position += c.position(tp);
              }
              if (banks.find(bankId).isPresent()) {
                banks.shareVersionCounter(bankId, position);
              }
              applied.accept(bankId);
            }
          }
        } catch (WakeupException e) {
          return; // closed
        } catch (KafkaException | IllegalStateException e) {
          if (closed.get()) {
            return;
          }
          LOG.warn("shared bank {} on {}: {}; following again from the start in a second", bankId, topic,
              e.toString());
          try {
            stopped.await(1, TimeUnit.SECONDS); // back off, or return at once when closed
          } catch (InterruptedException ie) {
            return;
          }
        } finally {
          consumer = null;
        }
      }
    }

    /** Applies one record of this follower's bank; skips others and malformed ones. */
    private boolean apply(ConsumerRecord<byte[], byte[]> r) {
      String key = r.key() == null ? "" : new String(r.key(), StandardCharsets.UTF_8);
      int b = key.lastIndexOf('\n', key.lastIndexOf('\n') - 1);
      int t = key.lastIndexOf('\n');
      if (b < 0 || !key.substring(0, b).equals(bankId)) {
        return false;
      }
      String type = key.substring(b + 1, t);
      String hex = key.substring(t + 1);
      try {
        if (r.value() == null) {
          if (!type.isEmpty()) {
            banks.withdraw(bankId, MatchType.valueOf(type), hex);
          }
          return true;
        }
        String value = new String(r.value(), StandardCharsets.UTF_8);
        if (!value.startsWith(V2 + "\n")) {
          Category category = Category.valueOf(value);
          if (type.isEmpty()) {
            define(category);
          } else {
            banks.add(bankId, category, MatchType.valueOf(type), hex);
          }
          return true;
        }
        String[] part = value.split("\n", 5);
        if (part.length != 5) {
          throw new IllegalArgumentException("a v2 value has five parts, found " + part.length);
        }
        Category bankCategory = Category.valueOf(part[1]);
        Category entryCategory = Category.valueOf(part[2]);
        dev.haetae.moderation.core.hash.Bank bank = define(bankCategory);
        if (!type.isEmpty()) {
          bank.addEntry(MatchType.valueOf(type), hex, entryCategory, part[4], part[3].isEmpty() ? null : part[3]);
        }
        return true;
      } catch (RuntimeException e) {
        LOG.warn("shared bank {} on {}: skipping malformed record at offset {}: {}", bankId, topic, r.offset(),
            e.toString());
        return false;
      }
    }

    /** This follower's bank, defined with {@code category} if {@code banks} does not have it yet. */
    private dev.haetae.moderation.core.hash.Bank define(Category category) {
      return banks.find(bankId).orElseGet(() -> banks.define(
          dev.haetae.moderation.core.hash.BankConfig.builder(bankId, category).build()));
    }

    @Override
    public void close() {
      if (closed.compareAndSet(false, true)) {
        stopped.countDown();
        KafkaConsumer<byte[], byte[]> c = consumer;
        if (c != null) {
          c.wakeup();
        }
      }
    }
  }
}
