package dev.haetae.moderation.kafka;

import dev.haetae.moderation.api.DecisionLogException;
import dev.haetae.moderation.core.audit.AuditLog;
import dev.haetae.moderation.core.audit.LogEntry;
import dev.haetae.moderation.core.audit.RecordFormat;
import java.io.IOException;
import java.io.OutputStream;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import java.util.function.Consumer;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;

/**
 * One shard of the decision log on Apache Kafka: partition {@code shard} of a topic, holding a hash
 * chain of records numbered 0, 1, 2, ..., each Kafka record's value one record line exactly as the
 * file log ({@code DecisionLogs.directory}) writes it, with ids as keyed pseudonyms and free text
 * masked. Its outbox (decisions not yet carried out, with the host's raw ids) is the same partition
 * of a compacted topic beside it, {@link #outboxTopic(String) topic + "-outbox"}.
 *
 * <p>Writing goes through {@link #writer()}: one transactional producer per shard. Reading ({@link
 * #forEachEntry}, {@link #exportTo}) uses {@code isolation.level=read_committed}, so it sees only
 * committed transactions, up to the partition's last stable offset when the read began.
 *
 * <p>Name a shard with {@link #parse(String)} ({@code kafka://host:port[,host:port...]/topic?shard=N},
 * the form the {@code haetae} audit commands take in place of a log directory) or {@link #of}.
 *
 * <p><b>Thread safety.</b> Immutable; safe to share. Every read opens its own consumer.
 *
 * @since 0.2
 */
public final class KafkaLogShard {
  private static final Pattern TOPIC = Pattern.compile("[A-Za-z0-9._-]{1,200}");
  private static final Pattern HOST_PORT = Pattern.compile("[A-Za-z0-9.-]{1,253}:[0-9]{1,5}|\\[[0-9a-fA-F:.]{2,45}]:[0-9]{1,5}");
  private static final Duration POLL = Duration.ofMillis(500);

  private final String bootstrapServers;
  private final String topic;
  private final int shard;
  private final Map<String, String> clientProperties;
  private final Duration timeout;

  private KafkaLogShard(String bootstrapServers, String topic, int shard, Map<String, String> clientProperties,
      Duration timeout) {
    this.bootstrapServers = bootstrapServers;
    this.topic = topic;
    this.shard = shard;
    this.clientProperties = Map.copyOf(clientProperties);
    this.timeout = timeout;
  }

  /**
   * Names a shard.
   *
   * @param bootstrapServers comma-separated {@code host:port} pairs of the cluster; not null
   * @param topic the log topic: 1 to 200 letters, digits, '.', '_' or '-' (its outbox topic adds
   *     {@code -outbox}); not null
   * @param shard the partition, 0 or more
   * @return the shard; never null
   * @throws NullPointerException when an argument is null
   * @throws IllegalArgumentException when an argument is malformed (the message names it)
   */
  public static KafkaLogShard of(String bootstrapServers, String topic, int shard) {
    Objects.requireNonNull(bootstrapServers, "bootstrapServers");
    Objects.requireNonNull(topic, "topic");
    for (String hp : bootstrapServers.split(",", -1)) {
      if (!HOST_PORT.matcher(hp).matches()) {
        throw new IllegalArgumentException("bootstrap server '" + hp + "' is not host:port");
      }
      int port = Integer.parseInt(hp.substring(hp.lastIndexOf(':') + 1));
      if (port < 1 || port > 65535) {
        throw new IllegalArgumentException("bootstrap server '" + hp + "': port out of range");
      }
    }
    if (!TOPIC.matcher(topic).matches() || topic.equals(".") || topic.equals("..")) {
      throw new IllegalArgumentException("'" + topic + "' is not a topic name (1..200 of letters, digits, '.',"
          + " '_' and '-')");
    }
    if (shard < 0) {
      throw new IllegalArgumentException("shard must be >= 0, got " + shard);
    }
    return new KafkaLogShard(bootstrapServers, topic, shard, Map.of(), Duration.ofSeconds(30));
  }

  /**
   * Reads a shard's name in the form {@code kafka://host:port[,host:port...]/topic?shard=N} ({@code
   * shard} defaults to 0).
   *
   * @param uri the name; not null
   * @return the shard; never null
   * @throws NullPointerException when {@code uri} is null
   * @throws IllegalArgumentException when it is not of that form (the message says what is wrong)
   */
  public static KafkaLogShard parse(String uri) {
    Objects.requireNonNull(uri, "uri");
    String prefix = "kafka://";
    if (!uri.startsWith(prefix)) {
      throw new IllegalArgumentException("'" + abbreviate(uri) + "' does not start with kafka://");
    }
    String rest = uri.substring(prefix.length());
    int slash = rest.indexOf('/');
    if (slash < 0) {
      throw new IllegalArgumentException("'" + abbreviate(uri) + "' names no topic: kafka://host:port/topic?shard=N");
    }
    String hosts = rest.substring(0, slash);
    String path = rest.substring(slash + 1);
    int shard = 0;
    int q = path.indexOf('?');
    if (q >= 0) {
      String query = path.substring(q + 1);
      path = path.substring(0, q);
      for (String param : query.split("&", -1)) {
        int eq = param.indexOf('=');
        String key = eq < 0 ? param : param.substring(0, eq);
        String value = eq < 0 ? "" : param.substring(eq + 1);
        if (!key.equals("shard")) {
          throw new IllegalArgumentException("unknown parameter '" + abbreviate(key) + "' in a kafka:// log name;"
              + " the only one is shard");
        }
        try {
          shard = Integer.parseInt(value);
        } catch (NumberFormatException e) {
          throw new IllegalArgumentException("shard '" + abbreviate(value) + "' is not a partition number", e);
        }
      }
    }
    String topic;
    try {
      topic = URLDecoder.decode(path, StandardCharsets.UTF_8);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("topic '" + abbreviate(path) + "' is badly escaped", e);
    }
    return of(hosts, topic, shard);
  }

  /**
   * This shard with extra client settings for every producer and consumer it opens, e.g. {@code
   * security.protocol}, {@code sasl.jaas.config} or {@code ssl.truststore.location}. The settings
   * the log relies on (isolation level, idempotence, acks, serializers, transactional id) cannot be
   * overridden.
   *
   * @param properties Kafka client settings; not null, no null keys or values
   * @return a new shard; never null
   * @throws NullPointerException when {@code properties} or one of its entries is null
   */
  public KafkaLogShard withClientProperties(Map<String, String> properties) {
    Map<String, String> m = new HashMap<>(clientProperties);
    properties.forEach((k, v) -> m.put(Objects.requireNonNull(k, "key"), Objects.requireNonNull(v, "value")));
    return new KafkaLogShard(bootstrapServers, topic, shard, m, timeout);
  }

  /**
   * This shard with another bound on each blocking client call (metadata, send, commit, fetch).
   * Default 30 seconds. An append to an unreachable cluster fails after about this long.
   *
   * @param value 1 second to 10 minutes; not null
   * @return a new shard; never null
   * @throws IllegalArgumentException when out of range
   */
  public KafkaLogShard withTimeout(Duration value) {
    if (value.compareTo(Duration.ofSeconds(1)) < 0 || value.compareTo(Duration.ofMinutes(10)) > 0) {
      throw new IllegalArgumentException("timeout must be 1 s to 10 min, got " + value);
    }
    return new KafkaLogShard(bootstrapServers, topic, shard, clientProperties, value);
  }

  /**
   * The cluster's bootstrap servers.
   *
   * @return comma-separated host:port pairs; never null
   */
  public String bootstrapServers() {
    return bootstrapServers;
  }

  /**
   * The log topic.
   *
   * @return the topic; never null
   */
  public String topic() {
    return topic;
  }

  /**
   * The partition that holds this shard, in the log topic and in its outbox topic.
   *
   * @return the partition, 0 or more
   */
  public int shard() {
    return shard;
  }

  /**
   * Where this shard's records are, in {@link dev.haetae.moderation.core.audit.LoggedRecord#segment()}
   * and in messages: {@code kafka:<topic>/<shard>}.
   *
   * @return the location; never null
   */
  public String location() {
    return "kafka:" + topic + "/" + shard;
  }

  /**
   * The outbox topic of a log topic: {@code topic + "-outbox"}.
   *
   * @param topic the log topic; not null
   * @return the outbox topic; never null
   */
  public static String outboxTopic(String topic) {
    return Objects.requireNonNull(topic, "topic") + "-outbox";
  }

  /**
   * The topic settings the log topic needs: {@code cleanup.policy=delete} (never compacted: records
   * have no keys to compact by) and {@code retention.ms=-1}, {@code retention.bytes=-1} (kept until
   * the operator decides; see the guide on retention duties) and {@code
   * unclean.leader.election.enable=false}. Add {@code min.insync.replicas=2} with replication factor
   * 3 on a production cluster (a one-broker test cluster cannot have it).
   *
   * @return the settings; never null; unmodifiable
   */
  public static Map<String, String> logTopicConfig() {
    Map<String, String> m = new LinkedHashMap<>();
    m.put("cleanup.policy", "delete");
    m.put("retention.ms", "-1");
    m.put("retention.bytes", "-1");
    m.put("unclean.leader.election.enable", "false");
    return java.util.Collections.unmodifiableMap(m);
  }

  /**
   * The topic settings the outbox topic needs: {@code cleanup.policy=compact}, so that an entry
   * marked done (a tombstone) and the raw ids it held are removed by the log cleaner, and {@code
   * delete.retention.ms} of one day, after which the tombstones go too.
   *
   * @return the settings; never null; unmodifiable
   */
  public static Map<String, String> outboxTopicConfig() {
    Map<String, String> m = new LinkedHashMap<>();
    m.put("cleanup.policy", "compact");
    m.put("delete.retention.ms", "86400000");
    m.put("unclean.leader.election.enable", "false");
    return java.util.Collections.unmodifiableMap(m);
  }

  /**
   * A writer of this shard. See {@link KafkaLogWriter} for what it guarantees.
   *
   * @return a new builder; never null
   */
  public KafkaLogWriter writer() {
    return new KafkaLogWriter(this);
  }

  /**
   * Reads every record, decisions and events, in sequence order, checking each record's hash and
   * chain link as it goes, and hands it to {@code consumer}. Reads committed records up to the last
   * stable offset at the start of the read.
   *
   * @param consumer receives each record; not null; exceptions it throws propagate
   * @return the number of records read
   * @throws DecisionLogException when a record is damaged, out of sequence or cannot be decoded (the
   *     message names the shard and the sequence number), when records at the start were deleted
   *     (retention), or when the cluster cannot be read
   */
  public long forEachEntry(Consumer<LogEntry> consumer) {
    Objects.requireNonNull(consumer, "consumer");
    long[] expected = {0};
    String[] prev = {RecordFormat.GENESIS};
    scan(line -> {
      long seq = expected[0];
      RecordFormat.Frame f;
      try {
        f = RecordFormat.check(line);
      } catch (DecisionLogException e) {
        throw damaged(seq, e.getMessage());
      }
      if (f.seq() != seq) {
        throw damaged(seq, "found seq " + f.seq());
      }
      if (!f.prev().equals(prev[0])) {
        throw damaged(seq, "hash chain broken");
      }
      consumer.accept(RecordFormat.decodeEntry(f, location(), seq + 1));
      prev[0] = f.hash();
      expected[0]++;
    });
    return expected[0];
  }

  /**
   * Writes the shard's records, exactly as stored and in order, to a directory in the file log's
   * format ({@code segment-<first seq>.jsonl} files of at most 64 MiB and an empty {@code
   * keys.jsonl}: a shard has no signed checkpoints), so that {@link AuditLog#open(Path)} and the
   * {@code haetae} audit commands verify, replay and export it. Damage in the topic is copied, not
   * repaired, and shows up when the directory is verified.
   *
   * @param dir a directory that does not exist or holds no segment files; created when missing; not
   *     null
   * @return the number of records written
   * @throws DecisionLogException when the directory already holds a log or cannot be written, or the
   *     cluster cannot be read
   */
  public long exportTo(Path dir) {
    Objects.requireNonNull(dir, "dir");
    try {
      Files.createDirectories(dir);
      try (Stream<Path> s = Files.list(dir)) {
        if (s.anyMatch(p -> p.getFileName().toString().startsWith("segment-"))) {
          throw new DecisionLogException("cannot export " + location() + " to " + dir
              + ": the directory already holds segment files", null);
        }
      }
      Files.write(dir.resolve("keys.jsonl"), new byte[0]);
      long segmentLimit = 64L << 20;
      long[] n = {0};
      long[] size = {0};
      OutputStream[] out = {null};
      try {
        scan(line -> {
          try {
            if (out[0] == null || size[0] >= segmentLimit) {
              if (out[0] != null) {
                out[0].close();
              }
              out[0] = Files.newOutputStream(dir.resolve(RecordFormat.segmentName(n[0])),
                  StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE);
              size[0] = 0;
            }
            out[0].write(line);
            out[0].write('\n');
          } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
          }
          size[0] += line.length + 1;
          n[0]++;
        });
      } finally {
        if (out[0] != null) {
          out[0].close();
        }
      }
      return n[0];
    } catch (IOException | java.io.UncheckedIOException e) {
      throw new DecisionLogException("cannot export " + location() + " to " + dir + ": " + e, e);
    }
  }

  /** Hands every committed record value of the shard's partition, oldest first, to {@code sink}. */
  private void scan(Consumer<byte[]> sink) {
    TopicPartition tp = new TopicPartition(topic, shard);
    try (KafkaConsumer<byte[], byte[]> c = consumer()) {
      requirePartition(c, topic);
      c.assign(java.util.List.of(tp));
      long begin = c.beginningOffsets(java.util.List.of(tp)).get(tp);
      long end = stableEnd(c, tp, false);
      if (begin > 0) {
        throw new DecisionLogException(location() + ": records before offset " + begin + " were deleted (retention"
            + " or deleteRecords): the chain cannot be checked from its start", null);
      }
      c.seek(tp, begin);
      drain(c, tp, end, r -> sink.accept(r.value() == null ? new byte[0] : r.value()));
    } catch (KafkaException e) {
      throw new DecisionLogException("cannot read " + location() + " at " + bootstrapServers + ": " + e, e);
    }
  }

  /**
   * The committed outbox entries of this shard: sequence number to entry, oldest first; tombstones
   * remove earlier entries.
   */
  TreeMap<Long, byte[]> outboxEntries() {
    TreeMap<Long, byte[]> out = new TreeMap<>();
    String ot = outboxTopic(topic);
    TopicPartition tp = new TopicPartition(ot, shard);
    try (KafkaConsumer<byte[], byte[]> c = consumer()) {
      requirePartition(c, ot);
      c.assign(java.util.List.of(tp));
      long end = stableEnd(c, tp, false);
      c.seekToBeginning(java.util.List.of(tp));
      drain(c, tp, end, r -> {
        long seq = outboxSeq(r.key());
        if (r.value() == null) {
          out.remove(seq);
        } else {
          out.put(seq, r.value());
        }
      });
    } catch (KafkaException e) {
      throw new DecisionLogException("cannot read the outbox of " + location() + " at " + bootstrapServers + ": "
          + e, e);
    }
    return out;
  }

  /**
   * Polls {@code tp} from the consumer's position up to offset {@code end}, handing each record
   * before it to {@code sink}.
   *
   * @throws DecisionLogException when no progress is made for the shard's timeout
   */
  void drain(KafkaConsumer<byte[], byte[]> c, TopicPartition tp, long end,
      Consumer<ConsumerRecord<byte[], byte[]>> sink) {
    long deadline = System.nanoTime() + timeout.toNanos();
    long pos = c.position(tp);
    while (pos < end) {
      for (ConsumerRecord<byte[], byte[]> r : c.poll(POLL)) {
        if (r.offset() < end && r.topic().equals(tp.topic()) && r.partition() == tp.partition()) {
          sink.accept(r);
        }
      }
      long now = c.position(tp);
      if (now > pos) {
        pos = now;
        deadline = System.nanoTime() + timeout.toNanos();
      } else if (System.nanoTime() > deadline) {
        throw new DecisionLogException("reading " + tp + " at " + bootstrapServers + " made no progress for "
            + timeout.toSeconds() + " s (at offset " + pos + " of " + end + ")", null);
      }
    }
  }

  private long outboxSeq(byte[] key) {
    String s = key == null ? "" : new String(key, StandardCharsets.UTF_8);
    try {
      long seq = Long.parseLong(s);
      if (seq >= 0) {
        return seq;
      }
    } catch (NumberFormatException e) {
      // below
    }
    throw new DecisionLogException("the outbox of " + location() + " holds an entry whose key '" + abbreviate(s)
        + "' is not a sequence number", null);
  }

  static byte[] outboxKey(long seq) {
    return Long.toString(seq).getBytes(StandardCharsets.UTF_8);
  }

  private void requirePartition(KafkaConsumer<byte[], byte[]> c, String t) {
    var parts = c.partitionsFor(t, timeout);
    if (parts == null || parts.isEmpty()) {
      throw new DecisionLogException("topic " + t + " does not exist at " + bootstrapServers + "; create it with "
          + (t.equals(topic) ? logTopicConfig() : outboxTopicConfig()) + " (see the Kafka guide)", null);
    }
    if (parts.size() <= shard) {
      throw new DecisionLogException("topic " + t + " has " + parts.size() + " partition(s); shard " + shard
          + " needs at least " + (shard + 1), null);
    }
  }

  /**
   * The end of what {@code c} (read_committed) can read of {@code tp}: its last stable offset,
   * once that has reached the partition's high watermark as it was when called. A transaction's
   * commit returns to its producer before the coordinator has written the commit markers to the
   * partitions, and until then the last stable offset stays before the transaction's records; so
   * reading up to the last stable offset alone could miss a transaction that was acknowledged, and a
   * writer resuming from it would number records again. Waits (polling the offsets, at most the
   * shard's timeout) for every transaction open at the call to end.
   *
   * @param strict whether to throw when the wait times out (a writer resuming), or to return the
   *     last stable offset then (a reader, which reads committed records up to it)
   * @throws DecisionLogException when {@code strict} and transactions stay open for the timeout
   */
  long stableEnd(KafkaConsumer<byte[], byte[]> c, TopicPartition tp, boolean strict) {
    long highWatermark = highWatermark(tp);
    long deadline = System.nanoTime() + timeout.toNanos();
    while (true) {
      long lso = c.endOffsets(java.util.List.of(tp)).get(tp);
      if (lso >= highWatermark) {
        return lso;
      }
      if (System.nanoTime() > deadline) {
        if (!strict) {
          return lso;
        }
        throw new DecisionLogException(tp + " at " + bootstrapServers + " has a transaction open since offset " + lso
            + " for " + timeout.toSeconds() + " s; the chain cannot be resumed before it ends", null);
      }
      var assigned = c.assignment();
      c.pause(assigned); // poll only to let the time pass: nothing is read
      c.poll(POLL);
      c.resume(assigned);
    }
  }

  KafkaConsumer<byte[], byte[]> consumer() {
    return consumer("read_committed");
  }

  /** The high watermark of {@code tp}: the end of what was written, committed or not. */
  long highWatermark(TopicPartition tp) {
    try (KafkaConsumer<byte[], byte[]> u = consumer("read_uncommitted")) {
      return u.endOffsets(java.util.List.of(tp)).get(tp);
    }
  }

  /**
   * The data records of {@code tp} from offset {@code from} to {@code to} (exclusive) as written,
   * committed or not (read_uncommitted; aborted records included, markers not).
   */
  java.util.List<byte[]> uncommitted(TopicPartition tp, long from, long to) {
    java.util.List<byte[]> out = new java.util.ArrayList<>();
    try (KafkaConsumer<byte[], byte[]> u = consumer("read_uncommitted")) {
      u.assign(java.util.List.of(tp));
      u.seek(tp, from);
      drain(u, tp, to, r -> out.add(r.value() == null ? new byte[0] : r.value()));
    }
    return out;
  }

  /** An admin client of the shard's cluster, with the shard's client properties and timeout; the caller closes it. */
  org.apache.kafka.clients.admin.Admin admin() {
    Map<String, Object> m = new HashMap<>(clientProperties);
    m.keySet().retainAll(org.apache.kafka.clients.admin.AdminClientConfig.configNames());
    m.put(org.apache.kafka.clients.admin.AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
    m.put(org.apache.kafka.clients.admin.AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, (int) timeout.toMillis());
    m.put(org.apache.kafka.clients.admin.AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, (int) timeout.toMillis());
    return org.apache.kafka.clients.admin.Admin.create(m);
  }

  private KafkaConsumer<byte[], byte[]> consumer(String isolation) {
    Map<String, Object> m = new HashMap<>(clientProperties);
    m.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
    m.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, isolation);
    m.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
    m.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
    m.put(ConsumerConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, (int) timeout.toMillis());
    m.put(ConsumerConfig.REQUEST_TIMEOUT_MS_CONFIG, (int) timeout.toMillis());
    m.remove(ConsumerConfig.GROUP_ID_CONFIG);
    return new KafkaConsumer<>(m, new ByteArrayDeserializer(), new ByteArrayDeserializer());
  }

  Map<String, String> clientProperties() {
    return clientProperties;
  }

  Duration timeout() {
    return timeout;
  }

  DecisionLogException damaged(long seq, String what) {
    return new DecisionLogException(location() + " damaged at seq " + seq + ": " + what
        + "; export it and run haetae verify for details", null);
  }

  static String abbreviate(String s) {
    return s.length() > 80 ? s.substring(0, 80) + "…" : s;
  }

  @Override
  public String toString() {
    return "KafkaLogShard[" + location() + " at " + bootstrapServers + "]";
  }
}
