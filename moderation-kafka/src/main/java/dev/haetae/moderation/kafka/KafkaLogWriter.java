package dev.haetae.moderation.kafka;

import dev.haetae.moderation.api.spi.DecisionLog;
import dev.haetae.moderation.api.spi.Pseudonymizer;
import dev.haetae.moderation.core.audit.EngineLog;
import dev.haetae.moderation.core.audit.Pseudonymizers;
import dev.haetae.moderation.core.audit.RecordFormat;
import java.util.LinkedHashSet;
import java.util.Objects;
import java.util.Set;

/**
 * Configures the writer of one {@link KafkaLogShard shard}. Not thread-safe; build once per process
 * and share the log.
 *
 * <p><b>One writer per shard.</b> The writer is a transactional producer whose {@code
 * transactional.id} is fixed per shard ({@code haetae-log-<topic>-<shard>} unless {@link
 * #transactionalId set}): when a second writer of the same shard starts, the cluster fences the
 * first, whose every later append fails. Run one writer per shard (e.g. shard = the instance's slot);
 * many instances need many shards.
 *
 * @since 0.2
 */
public final class KafkaLogWriter {
  private final KafkaLogShard shard;
  private Pseudonymizer pseudonymizer;
  private final Set<String> keep = new LinkedHashSet<>();
  private int maxBatch = 512;
  private String transactionalId;

  KafkaLogWriter(KafkaLogShard shard) {
    this.shard = shard;
  }

  /**
   * The pseudonymizer for every id written. Every writer of the topic must use the same key (e.g.
   * {@link Pseudonymizers#hmacSha256} with a key from the secret store). Default: {@link
   * Pseudonymizers#ephemeral()}, whose pseudonyms differ between processes; fine for tests only.
   *
   * @param value the pseudonymizer; not null
   * @return this builder
   * @throws NullPointerException when {@code value} is null
   */
  public KafkaLogWriter pseudonymizer(Pseudonymizer value) {
    this.pseudonymizer = Objects.requireNonNull(value, "pseudonymizer");
    return this;
  }

  /**
   * Keeps one free-text field instead of masking it, as {@code DecisionLogs.Builder.keepText} does
   * for the file log.
   *
   * @param field one of {@link RecordFormat#textFields()}; not null
   * @return this builder
   * @throws IllegalArgumentException when the field is not one of those
   */
  public KafkaLogWriter keepText(String field) {
    if (!RecordFormat.textFields().contains(Objects.requireNonNull(field, "field"))) {
      throw new IllegalArgumentException("unknown free-text field '" + field + "'; allowed: "
          + new java.util.TreeSet<>(RecordFormat.textFields()));
    }
    keep.add(field);
    return this;
  }

  /**
   * The most records one transaction carries (group commit). Default 512; 1 commits every record
   * in a transaction of its own (for comparison in benchmarks).
   *
   * @param records 1 to 10000
   * @return this builder
   * @throws IllegalArgumentException when out of range
   */
  public KafkaLogWriter maxBatch(int records) {
    if (records < 1 || records > 10_000) {
      throw new IllegalArgumentException("maxBatch must be 1..10000, got " + records);
    }
    this.maxBatch = records;
    return this;
  }

  /**
   * The producer's {@code transactional.id}. Default {@code haetae-log-<topic>-<shard>}. Every
   * writer of the shard must use the same id, or fencing cannot stop a stale one. The writer also
   * uses {@code <id>-recover}, only to end a transaction the cluster left open (see {@link #build}),
   * so ACLs that prescribe transactional ids must allow both.
   *
   * @param id 1 to 200 characters; not null
   * @return this builder
   * @throws IllegalArgumentException when empty or longer
   */
  public KafkaLogWriter transactionalId(String id) {
    Objects.requireNonNull(id, "id");
    if (id.isEmpty() || id.length() > 200) {
      throw new IllegalArgumentException("transactional id must have 1..200 characters, got " + id.length());
    }
    this.transactionalId = id;
    return this;
  }

  /**
   * Opens the writer: starts the transactional producer, which fences any earlier writer of the
   * shard and lets the cluster finish or abort its open transaction, then reads the shard's last
   * committed record ({@code read_committed}) to resume the hash chain after it.
   *
   * <p>The log is an {@link EngineLog}. {@link DecisionLog#append} is thread-safe and returns only
   * after the transaction holding its record committed with {@code acks=all} (how durable that is
   * depends on the topic's replication; see the Kafka guide); concurrent appends share one
   * transaction (group commit). A decision appended with its effects gets its outbox entry in the
   * same transaction, in the outbox topic: both commit or neither. {@link EngineLog#done} queues a
   * tombstone for the next transaction ({@link DecisionLog#close()} writes the queued ones). When a
   * transaction fails, every append in it throws {@code DecisionLogException} and nothing of it is
   * visible to {@code read_committed} readers, except when the failure came at commit, where the
   * outcome is unknown (the message says so): the next append reopens the producer, reads the
   * shard's head again, and logs (WARN) when that batch was committed after all. A fenced writer
   * fails every append.
   *
   * <p>The head is read only while no transaction is open in the partition (a transaction the
   * cluster acknowledged may get its commit markers late, e.g. after a broker restart), and before
   * each commit the writer checks that its batch landed right after the head it read. A batch that
   * did not (something reached the partition meanwhile) is aborted, its appends fail ("nothing was
   * written"), and the head is read again: records are never chained onto a stale head.
   *
   * <p>A transaction that stays open for the shard's timeout is ended by the writer only when it is
   * provably one of its own last batches whose coordinator has finished with it (Kafka completes a
   * transaction without writing the marker of a partition that has no leader at that moment, e.g.
   * on a one-broker cluster that stops): a batch it never asked to commit is aborted; one it asked
   * to commit is first written again and committed by the producer {@code <id>-recover}, then the
   * open one is aborted, so nothing acknowledged is ever removed. That uses the admin API
   * ({@code describeProducers}, {@code describeTransactions}, {@code abortTransaction}: the
   * principal needs {@code Read} on the topics, {@code Describe} on the transactional id and
   * {@code Alter} or {@code ClusterAction} on the cluster); without the rights, or for any other
   * open transaction, the append fails with a message naming the transaction.
   *
   * @return the log; never null
   * @throws dev.haetae.moderation.api.DecisionLogException when a topic or partition is missing,
   *     the cluster does not answer within the shard's timeout, a transaction stays open in the
   *     partition for that long, or the shard's last record is damaged
   */
  public EngineLog build() {
    String id = transactionalId != null ? transactionalId : "haetae-log-" + shard.topic() + "-" + shard.shard();
    RecordFormat format = RecordFormat.of(pseudonymizer != null ? pseudonymizer : Pseudonymizers.ephemeral(), keep);
    return KafkaDecisionLog.open(shard, id, format, maxBatch);
  }
}
