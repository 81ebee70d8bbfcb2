package dev.haetae.moderation.kafka;

import dev.haetae.moderation.api.Decision;
import dev.haetae.moderation.api.DecisionLogException;
import dev.haetae.moderation.api.Evidence;
import dev.haetae.moderation.api.ObligationEvent;
import dev.haetae.moderation.core.audit.EngineLog;
import dev.haetae.moderation.core.audit.LogEvent;
import dev.haetae.moderation.core.audit.RecordFormat;
import dev.haetae.moderation.core.effect.Effect;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.InvalidProducerEpochException;
import org.apache.kafka.common.errors.ProducerFencedException;
import org.apache.kafka.common.errors.TransactionalIdAuthorizationException;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The decision log of one shard on Kafka, an {@link EngineLog}; see {@link KafkaLogWriter#build()}
 * for the contract.
 *
 * <p>{@link #append} encodes and pseudonymises its record outside any lock and queues it. The first
 * waiting thread becomes the flusher: in one transaction it frames every queued record onto the
 * chain after the head (next sequence number, previous hash), sends the records to the shard's
 * partition and their outbox entries (and the tombstones of the entries carried out) to the
 * outbox topic's partition, and commits; the others wait. Records queued meanwhile form the next
 * batch (group commit; the producer sends a batch's records in one request per partition).
 *
 * <p>The head is this writer's own: one transactional id per shard means no other writer can commit
 * to the shard while this one is not fenced. After a failed transaction the producer is closed; the
 * next flush opens a new one ({@code initTransactions}, which fences nothing new but makes the
 * cluster finish or abort the old transaction) and reads the head again from the partition, so the
 * chain always continues from what was committed.
 *
 * <p><b>No append on an unproven head.</b> The head is read only once the partition's last stable
 * offset has reached its high watermark (no transaction open in it), and it is read up to that
 * offset: every record before it is committed or aborted for good. That offset is where the next
 * record must land. Before each commit the writer checks where its batch's records did land (the
 * producer is flushed first, which a commit does anyway): the first must sit exactly at the
 * expected offset and the rest follow it, and after a commit the next batch is expected one offset
 * after the last record (the commit marker's). Anything else means something else reached the
 * partition after the head was read, e.g. a transaction of an earlier producer that the cluster
 * completed late; its records come before the batch's in the partition, so committing would fork
 * the chain. The writer then aborts the transaction (nothing is acknowledged), discards the
 * producer and reads the head again before the next append (compare-and-set on the chain).
 */
final class KafkaDecisionLog implements EngineLog {
  private static final Logger LOG = LoggerFactory.getLogger(KafkaDecisionLog.class);
  /** Done marks queued at most before {@link #done} writes them itself. */
  private static final int MAX_DONE_QUEUE = 4096;

  private final KafkaLogShard shard;
  private final String transactionalId;
  private final RecordFormat format;
  private final int maxBatch;
  private final TopicPartition logPartition;
  private final TopicPartition outboxPartition;

  private final ReentrantLock lock = new ReentrantLock();
  private final Condition finished = lock.newCondition();
  // guarded by lock
  private final ArrayDeque<Queued> queue = new ArrayDeque<>();
  private final List<Long> doneQueue = new ArrayList<>();
  private boolean flushing;
  private boolean closed;
  // touched only by the flusher (flushing == true), or by open and close
  private KafkaProducer<byte[], byte[]> producer;
  private long nextSeq;
  private String lastHash;
  /** The offset of the log partition where the next batch's first record must land. */
  private long nextOffset;
  /** The head a batch whose commit failed would have left, to check once the producer is back. */
  private long[] doubtNext;
  private String doubtHash;
  private List<String> doubtIds;
  private volatile boolean fenced;
  // decisions whose append failed although their batch was committed, for tests
  final List<String> committedInDoubt = new CopyOnWriteArrayList<>();
  private volatile long transactions;
  private volatile long committedRecords;
  /**
   * The last batch whose commit this writer requested, and a later batch whose commit it never
   * requested (null once a later commit is requested), to end either if the cluster leaves it open;
   * see {@link #endHanging}.
   */
  private Sent lastRequested;
  private Sent lastUnrequested;
  /** Transactions the cluster left open that this writer ended, for tests. */
  final java.util.concurrent.atomic.AtomicLong hangingEnded = new java.util.concurrent.atomic.AtomicLong();
  /** Batches aborted because the partition had changed since the head was read, for tests. */
  final java.util.concurrent.atomic.AtomicLong headChanged = new java.util.concurrent.atomic.AtomicLong();
  /** Told of every batch committed; see {@link #observe}. */
  private volatile dev.haetae.moderation.api.observe.EngineListener listener =
      dev.haetae.moderation.api.observe.EngineListener.NONE;

  /** One queued record and, once its batch is over, its outcome. */
  private static final class Queued {
    final String decisionId;
    final byte[] payload;
    /** The outbox entry, for a decision appended with its effects; null otherwise. */
    final byte[] outbox;
    long seq = -1;
    DecisionLogException failure;
    boolean done;

    Queued(String decisionId, byte[] payload, byte[] outbox) {
      this.decisionId = decisionId;
      this.payload = payload;
      this.outbox = outbox;
    }
  }

  /**
   * What this writer sent to the log partition in its last batch: where the batch's first record
   * had to land, the framed records and outbox entries, and whether the writer asked the cluster to
   * commit it (after which its outcome is the cluster's: acknowledged, or in doubt).
   */
  private static final class Sent {
    final long firstOffset;
    final List<byte[]> lines;
    /** Outbox entries: key, value. */
    final List<byte[][]> outbox;
    boolean commitRequested;
    /** Its records were written again and committed by the recovery producer. */
    boolean copied;
    /** The recovery producer's commit failed: whether the copies are committed is unknown. */
    boolean copyInDoubt;

    Sent(long firstOffset, List<byte[]> lines, List<byte[][]> outbox) {
      this.firstOffset = firstOffset;
      this.lines = lines;
      this.outbox = outbox;
    }
  }

  private KafkaDecisionLog(KafkaLogShard shard, String transactionalId, RecordFormat format, int maxBatch) {
    this.shard = shard;
    this.transactionalId = transactionalId;
    this.format = format;
    this.maxBatch = maxBatch;
    this.logPartition = new TopicPartition(shard.topic(), shard.shard());
    this.outboxPartition = new TopicPartition(KafkaLogShard.outboxTopic(shard.topic()), shard.shard());
  }

  static KafkaDecisionLog open(KafkaLogShard shard, String transactionalId, RecordFormat format, int maxBatch) {
    KafkaDecisionLog log = new KafkaDecisionLog(shard, transactionalId, format, maxBatch);
    log.connect();
    return log;
  }

  @Override
  public long append(Evidence evidence, Decision decision) {
    if (evidence == null || decision == null) {
      throw new NullPointerException(evidence == null ? "evidence" : "decision");
    }
    return append(new Queued(decision.id().value(), format.payload(evidence, decision), null));
  }

  @Override
  public long append(Evidence evidence, Decision decision, List<Effect> effects, List<ObligationEvent> events) {
    if (evidence == null || decision == null || effects == null || events == null) {
      throw new NullPointerException("evidence, decision, effects and events are required");
    }
    return append(new Queued(decision.id().value(), format.payload(evidence, decision, effects, events),
        RecordFormat.outboxEntry(evidence, decision, effects, events)));
  }

  @Override
  public long append(LogEvent event) {
    if (event == null) {
      throw new NullPointerException("event");
    }
    return append(new Queued("event:" + event.kind().wireName(), format.payload(event), null));
  }

  private long append(Queued p) {
    lock.lock();
    try {
      if (closed) {
        throw new DecisionLogException(shard.location() + " is closed; " + what(p) + " was not recorded", null);
      }
      queue.add(p);
      runUntil(() -> p.done);
    } finally {
      lock.unlock();
    }
    if (p.failure != null) {
      throw p.failure;
    }
    return p.seq;
  }

  private static String what(Queued p) {
    return p.decisionId.startsWith("event:") ? "event " + p.decisionId.substring(6) : "decision " + p.decisionId;
  }

  /**
   * With the lock held: flushes batches (as the flusher) or waits for the flusher, until {@code
   * until} holds. Waits through interrupts (durability first) and restores the flag after.
   */
  private void runUntil(java.util.function.BooleanSupplier until) {
    boolean interrupted = false;
    while (!until.getAsBoolean()) {
      if (!flushing) {
        flushing = true;
        List<Queued> batch = new ArrayList<>(Math.min(maxBatch, queue.size()));
        while (batch.size() < maxBatch && !queue.isEmpty()) {
          batch.add(queue.poll());
        }
        List<Long> dones = new ArrayList<>(doneQueue);
        doneQueue.clear();
        lock.unlock();
        boolean written = false;
        try {
          written = flush(batch, dones);
        } finally {
          lock.lock();
          flushing = false;
          if (!written) {
            doneQueue.addAll(0, dones);
          }
          for (Queued b : batch) {
            if (b.seq < 0 && b.failure == null) { // cut short by an Error
              b.failure = new DecisionLogException(shard.location() + ": " + what(b)
                  + " was not recorded: the writing thread failed", null);
            }
            b.done = true;
          }
          finished.signalAll();
        }
      } else {
        try {
          finished.await();
        } catch (InterruptedException e) {
          interrupted = true;
        }
      }
    }
    if (interrupted) {
      Thread.currentThread().interrupt();
    }
  }

  /**
   * Writes one batch (possibly empty, for done marks alone) in one transaction and records each
   * record's outcome; never throws.
   *
   * @return whether the transaction committed
   */
  private boolean flush(List<Queued> batch, List<Long> dones) {
    dev.haetae.moderation.api.observe.EngineListener told = listener;
    boolean observed = told != dev.haetae.moderation.api.observe.EngineListener.NONE;
    long started = observed ? System.nanoTime() : 0;
    if (fenced) {
      fail(batch, "this writer was fenced: another writer of the shard (same transactional id) started", null);
      return false;
    }
    if (batch.isEmpty() && dones.isEmpty()) {
      return true;
    }
    boolean atCommit = false;
    long seq = nextSeq;
    String prev = lastHash;
    try {
      if (producer == null) {
        connect();
      }
      seq = nextSeq;
      prev = lastHash;
      producer.beginTransaction();
      List<Future<RecordMetadata>> sent = new ArrayList<>(batch.size());
      Sent record = batch.isEmpty() ? null : new Sent(nextOffset, new ArrayList<>(batch.size()), new ArrayList<>());
      if (record != null) {
        lastUnrequested = record; // before the first send: a record of it may land even if a later step fails
      }
      for (Queued q : batch) {
        RecordFormat.Frame f = RecordFormat.frame(seq, prev, q.payload);
        record.lines.add(f.line());
        sent.add(producer.send(new ProducerRecord<>(logPartition.topic(), logPartition.partition(), null, f.line())));
        if (q.outbox != null) {
          byte[] key = KafkaLogShard.outboxKey(seq);
          record.outbox.add(new byte[][] {key, q.outbox});
          producer.send(new ProducerRecord<>(outboxPartition.topic(), outboxPartition.partition(), key, q.outbox));
        }
        prev = f.hash();
        seq++;
      }
      for (long d : dones) {
        producer.send(new ProducerRecord<>(outboxPartition.topic(), outboxPartition.partition(),
            KafkaLogShard.outboxKey(d), null));
      }
      if (!sent.isEmpty()) {
        producer.flush();
        String moved = landedWhereExpected(sent);
        if (moved != null) {
          headChanged.incrementAndGet();
          LOG.error("{}: {}; the batch is aborted and the head read again", shard.location(), moved);
          abortQuietly();
          closeProducer();
          fail(batch, "nothing was written: " + moved + "; the writer reads the head again", null);
          return false;
        }
      }
      atCommit = true;
      if (record != null) {
        record.commitRequested = true; // from here on the cluster may commit it
        lastRequested = record;
        lastUnrequested = null;
      }
      producer.commitTransaction();
    } catch (ProducerFencedException | InvalidProducerEpochException | TransactionalIdAuthorizationException e) {
      fenced = true;
      closeProducer();
      fail(batch, "this writer was fenced: another writer of the shard (same transactional id) started", e);
      return false;
    } catch (DecisionLogException e) {
      closeProducer();
      fail(batch, e.getMessage(), e);
      return false;
    } catch (KafkaException | IllegalStateException e) {
      if (atCommit && !batch.isEmpty()) {
        doubtNext = new long[] {seq};
        doubtHash = prev;
        doubtIds = new ArrayList<>();
        batch.forEach(b -> doubtIds.add(b.decisionId));
      }
      closeProducer();
      fail(batch, atCommit
          ? "the commit failed and its outcome is unknown (the cluster may have committed the batch, in which case"
              + " the record is in the log although this append failed): " + e
          : "nothing was written: " + e, e);
      return false;
    }
    long first = nextSeq;
    for (int i = 0; i < batch.size(); i++) {
      batch.get(i).seq = first + i;
    }
    nextSeq = seq;
    lastHash = prev;
    if (!batch.isEmpty()) {
      nextOffset += batch.size() + 1; // the records, then the commit marker
    }
    transactions++;
    committedRecords += batch.size();
    if (observed && !batch.isEmpty()) {
      try { // outside the lock; never fails the batch's appends
        told.logBatchWritten(new dev.haetae.moderation.api.observe.LogBatch("kafka", batch.size(),
            Math.max(0, System.nanoTime() - started)));
      } catch (RuntimeException e) {
        LOG.debug("log listener {} failed", told, e);
      }
    }
    return true;
  }

  /**
   * Where the flushed records of a batch landed in the log partition: null when the first is at
   * {@link #nextOffset} and the others follow it, or what is wrong.
   *
   * @throws KafkaException when a record could not be sent (nothing is committed then)
   */
  private String landedWhereExpected(List<Future<RecordMetadata>> sent) {
    long want = nextOffset;
    for (int i = 0; i < sent.size(); i++) {
      long at;
      try {
        at = sent.get(i).get().offset();
      } catch (ExecutionException e) {
        throw e.getCause() instanceof KafkaException k ? k : new KafkaException(e.getCause());
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new org.apache.kafka.common.errors.InterruptException(e);
      }
      if (at != want + i) {
        return "the partition changed after the head was read: record " + (nextSeq + i) + " of the batch landed at"
            + " offset " + at + ", not " + (want + i);
      }
    }
    return null;
  }

  private void abortQuietly() {
    try {
      producer.abortTransaction();
    } catch (RuntimeException e) {
      // the next producer's initTransactions aborts it
      LOG.debug("{}: aborting: {}", shard.location(), e.toString());
    }
  }

  private void fail(List<Queued> batch, String why, Throwable cause) {
    for (Queued b : batch) {
      b.failure = new DecisionLogException(shard.location() + ": " + what(b) + " was not recorded; " + why, cause);
    }
  }

  /**
   * Opens the transactional producer (fencing earlier writers of the same id, and letting the
   * cluster finish or abort their open transaction), then reads the head from the partition.
   *
   * @throws DecisionLogException when the cluster cannot be reached, a topic is missing, or the last
   *     record is damaged
   */
  private void connect() {
    KafkaProducer<byte[], byte[]> p = newProducer(transactionalId);
    try {
      p.initTransactions();
      readHead();
    } catch (ProducerFencedException e) {
      p.close(Duration.ZERO);
      throw new DecisionLogException(shard.location() + ": fenced while starting: another writer of the shard"
          + " started meanwhile", e);
    } catch (KafkaException | DecisionLogException e) {
      p.close(Duration.ZERO);
      if (e instanceof DecisionLogException) {
        throw (DecisionLogException) e;
      }
      throw new DecisionLogException(shard.location() + ": cannot start the writer at " + shard.bootstrapServers()
          + ": " + e, e);
    }
    producer = p;
    if (doubtNext != null) {
      boolean landed = nextSeq == doubtNext[0] && lastHash.equals(doubtHash);
      if (landed) {
        committedInDoubt.addAll(doubtIds);
        LOG.warn("{}: the batch whose commit failed was committed after all (up to seq {}): decisions {} are in the"
            + " log but their appends failed and they were not acted on", shard.location(), nextSeq - 1, doubtIds);
      } else {
        LOG.info("{}: the batch whose commit failed was not committed; {} are not in the log", shard.location(),
            doubtIds);
      }
      doubtNext = null;
      doubtIds = null;
      doubtHash = null;
    }
  }

  /** A transactional producer of the shard with the given transactional id, not yet initialised. */
  private KafkaProducer<byte[], byte[]> newProducer(String id) {
    Map<String, Object> m = new HashMap<>(shard.clientProperties());
    int t = (int) shard.timeout().toMillis();
    m.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, shard.bootstrapServers());
    m.put(ProducerConfig.TRANSACTIONAL_ID_CONFIG, id);
    m.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, "true");
    m.put(ProducerConfig.ACKS_CONFIG, "all");
    m.put(ProducerConfig.LINGER_MS_CONFIG, "0");
    m.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, t);
    m.put(ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG, t);
    m.put(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, t);
    m.putIfAbsent(ProducerConfig.TRANSACTION_TIMEOUT_CONFIG, Math.max(60_000, 2 * t));
    try {
      return new KafkaProducer<>(m, new ByteArraySerializer(), new ByteArraySerializer());
    } catch (KafkaException e) {
      throw new DecisionLogException(shard.location() + ": cannot configure the producer: " + e, e);
    }
  }

  /**
   * Reads the last committed record of the shard's partition and sets the head after it: windows
   * growing sixteenfold back from the last stable offset, since aborted records and transaction
   * markers take offsets too.
   */
  private void readHead() {
    try (KafkaConsumer<byte[], byte[]> c = shard.consumer()) {
      var parts = c.partitionsFor(shard.topic(), shard.timeout());
      var outboxParts = c.partitionsFor(outboxPartition.topic(), shard.timeout());
      if (parts == null || parts.size() <= shard.shard() || outboxParts == null
          || outboxParts.size() <= shard.shard()) {
        throw new DecisionLogException(shard.location() + ": topics " + shard.topic() + " and "
            + outboxPartition.topic() + " must exist with at least " + (shard.shard() + 1) + " partition(s) (log: "
            + KafkaLogShard.logTopicConfig() + ", outbox: " + KafkaLogShard.outboxTopicConfig() + ")", null);
      }
      List<TopicPartition> tps = List.of(logPartition);
      c.assign(tps);
      long begin = c.beginningOffsets(tps).get(logPartition);
      // strict: every record before the end is committed or aborted for good, so the head read is
      // the head, and the next record must land at the end (checked before each commit)
      long end;
      try {
        end = shard.stableEnd(c, logPartition, true);
      } catch (DecisionLogException open) {
        String why = endHanging();
        if (why != null) {
          throw new DecisionLogException(open.getMessage() + "; " + why, open);
        }
        end = shard.stableEnd(c, logPartition, true);
      }
      nextOffset = end;
      byte[][] tail = {null, null}; // the last two records: [0] before [1]
      long window = 16;
      long from = end;
      while (tail[0] == null && from > begin) {
        from = Math.max(begin, end - window);
        c.seek(logPartition, from);
        tail[0] = null;
        tail[1] = null;
        shard.drain(c, logPartition, end, r -> {
          tail[0] = tail[1];
          tail[1] = r.value() == null ? new byte[0] : r.value();
        });
        window *= 16;
      }
      if (tail[1] == null) {
        if (begin > 0) {
          throw new DecisionLogException(shard.location() + ": every record was deleted (retention or deleteRecords);"
              + " the chain cannot be resumed. Give the log topic retention.ms=-1", null);
        }
        nextSeq = 0;
        lastHash = RecordFormat.GENESIS;
        return;
      }
      RecordFormat.Frame f;
      try {
        f = RecordFormat.check(tail[1]);
        // the last record must follow the one before it (or open the chain), or the tail was tampered with
        long wantSeq = 0;
        String wantPrev = RecordFormat.GENESIS;
        if (tail[0] != null) {
          RecordFormat.Frame before = RecordFormat.check(tail[0]);
          wantSeq = before.seq() + 1;
          wantPrev = before.hash();
        }
        if (tail[0] != null || begin == 0) {
          if (f.seq() != wantSeq || !f.prev().equals(wantPrev)) {
            throw new DecisionLogException("seq " + f.seq() + " does not follow the record before it", null);
          }
        }
      } catch (DecisionLogException e) {
        throw new DecisionLogException(shard.location() + ": the last committed records are damaged, so the chain"
            + " cannot be resumed: " + e.getMessage() + "; export the shard and run haetae verify", e);
      }
      nextSeq = f.seq() + 1;
      lastHash = f.hash();
    } catch (KafkaException e) {
      throw new DecisionLogException(shard.location() + ": cannot read the shard's last record at "
          + shard.bootstrapServers() + ": " + e, e);
    }
  }

  /**
   * Ends a transaction of this writer that the cluster left open in the log partition, which holds
   * the last stable offset back for good: Kafka's transaction coordinator completes a transaction
   * without writing its marker to a partition that has no leader at that moment ("likely deleted"),
   * which on a one-broker cluster happens to every partition while the broker shuts down, and to a
   * partition whose replicas are all offline in a larger one. Called only after this writer's
   * {@code initTransactions} returned, so the coordinator has finished every earlier transaction of
   * the transactional id and will write no more markers for them.
   *
   * <p>Only one of the writer's own last batches is ended (the last whose commit it requested, or a
   * later one whose commit it never requested), proven from its state: the one open transaction in
   * the partition starts at the offset where that batch's first record landed (or had to land),
   * the coordinator of the transactional id is done with every earlier epoch (its state is complete
   * or empty at a later epoch), and the transaction's records are the batch's, byte for byte (all of
   * them for a batch whose commit was requested, whose offsets the writer checked before the
   * commit; a prefix otherwise). Then:
   *
   * <ul>
   *   <li>if the writer never asked to commit it, the cluster cannot have committed it (only its
   *       producer's commit request does), nothing of it was acknowledged, and it is aborted;
   *   <li>if the writer asked to commit it (acknowledged, or in doubt), its outcome at the
   *       coordinator may be a commit and the decisions may have been acted on, so it must never
   *       simply be aborted: the same records and outbox entries are first written again and
   *       committed by a recovery producer ({@code <transactional id>-recover}), contiguously after
   *       it, and only then is the open transaction aborted. A reader sees the head, then the
   *       batch once. A crash between the two leaves the transaction open with the copies after
   *       it (the next writer reports it; nothing acknowledged is lost).
   * </ul>
   *
   * @return null when the transaction was ended (the caller waits for the last stable offset
   *     again), or why it was not
   */
  private String endHanging() {
    try (org.apache.kafka.clients.admin.Admin admin = shard.admin()) {
      List<org.apache.kafka.clients.admin.ProducerState> open = openTransactions(admin, logPartition);
      if (open.size() != 1) {
        return open.size() + " transactions are open in it: " + open;
      }
      org.apache.kafka.clients.admin.ProducerState h = open.get(0);
      long start = h.currentTransactionStartOffset().getAsLong();
      String what = "the transaction of producer id " + h.producerId() + " epoch " + h.producerEpoch()
          + " open since offset " + start;
      Sent s = lastRequested != null && lastRequested.firstOffset == start ? lastRequested
          : lastUnrequested != null && lastUnrequested.firstOffset == start ? lastUnrequested : null;
      if (s == null) {
        return what + " is not one of this writer's last batches (" + (lastRequested == null ? "none" : "one began at"
            + " offset " + lastRequested.firstOffset) + "); if its coordinator has completed it, end it with"
            + " kafka-transactions.sh after checking it (see the Kafka guide)";
      }
      if (s.copyInDoubt) {
        return what + " is this writer's batch, whose copy's commit failed with an unknown outcome; check the"
            + " partition and end it with kafka-transactions.sh (see the Kafka guide)";
      }
      var txn = admin.describeTransactions(List.of(transactionalId)).description(transactionalId)
          .get(shard.timeout().toMillis(), java.util.concurrent.TimeUnit.MILLISECONDS);
      boolean finished = switch (txn.state()) {
        case EMPTY, COMPLETE_COMMIT, COMPLETE_ABORT -> true;
        default -> false;
      };
      if (!finished || (txn.producerId() == h.producerId() && txn.producerEpoch() <= h.producerEpoch())) {
        return what + ": the coordinator of " + transactionalId + " is not done with it (" + txn.state()
            + ", producer id " + txn.producerId() + " epoch " + txn.producerEpoch() + ")";
      }
      List<byte[]> found = shard.uncommitted(logPartition, start, shard.highWatermark(logPartition));
      int n = s.commitRequested ? s.lines.size() : Math.min(found.size(), s.lines.size());
      if (found.size() < n || n == 0) {
        return what + " holds " + found.size() + " record(s), this writer's batch " + s.lines.size();
      }
      for (int i = 0; i < n; i++) {
        if (!java.util.Arrays.equals(found.get(i), s.lines.get(i))) {
          return what + ": its record at offset " + (start + i) + " is not this writer's";
        }
      }
      if (s.commitRequested && !s.copied) {
        copy(s);
        s.copied = true;
      }
      try {
        abort(admin, logPartition, h);
        for (org.apache.kafka.clients.admin.ProducerState o : openTransactions(admin, outboxPartition)) {
          if (o.producerId() == h.producerId() && o.producerEpoch() == h.producerEpoch()) {
            abort(admin, outboxPartition, o);
          }
        }
      } catch (ExecutionException e) {
        return what + " could not be aborted (" + e.getCause() + "; the writer's principal needs the Alter or"
            + " ClusterAction right on the cluster). It is " + (s.copied ? "safe to abort: its records were committed"
                + " again after it" : "safe to abort: the writer never asked to commit it")
            + ". Run: kafka-transactions.sh"
            + " --bootstrap-server " + shard.bootstrapServers() + " abort --topic " + logPartition.topic()
            + " --partition " + logPartition.partition() + " --producer-id " + h.producerId() + " --producer-epoch "
            + h.producerEpoch() + " --coordinator-epoch " + h.coordinatorEpoch().orElse(0)
            + " (and the same for partition " + outboxPartition + " if it is open there)";
      }
      hangingEnded.incrementAndGet();
      LOG.warn("{}: {} had been left open by the cluster (its transaction coordinator completed it without writing"
          + " the partition's marker); {}", shard.location(), what, s.commitRequested
              ? "the writer had asked to commit it, so its " + s.lines.size() + " record(s) were written again"
                  + " and committed after it, and then it was aborted"
              : "the writer had never asked to commit it, so it was aborted");
      return null;
    } catch (ExecutionException e) {
      return "its open transactions could not be examined or ended: " + e.getCause();
    } catch (java.util.concurrent.TimeoutException e) {
      return "its open transactions could not be examined within " + shard.timeout().toSeconds() + " s";
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return "interrupted while examining its open transactions";
    } catch (KafkaException e) {
      return "its open transactions could not be examined or ended: " + e;
    }
  }

  private List<org.apache.kafka.clients.admin.ProducerState> openTransactions(
      org.apache.kafka.clients.admin.Admin admin, TopicPartition tp)
      throws ExecutionException, InterruptedException, java.util.concurrent.TimeoutException {
    return admin.describeProducers(List.of(tp)).partitionResult(tp)
        .get(shard.timeout().toMillis(), java.util.concurrent.TimeUnit.MILLISECONDS).activeProducers().stream()
        .filter(p -> p.currentTransactionStartOffset().isPresent()).toList();
  }

  private void abort(org.apache.kafka.clients.admin.Admin admin, TopicPartition tp,
      org.apache.kafka.clients.admin.ProducerState p)
      throws ExecutionException, InterruptedException, java.util.concurrent.TimeoutException {
    admin.abortTransaction(new org.apache.kafka.clients.admin.AbortTransactionSpec(tp, p.producerId(),
        (short) p.producerEpoch(), p.coordinatorEpoch().orElse(0))).all()
        .get(shard.timeout().toMillis(), java.util.concurrent.TimeUnit.MILLISECONDS);
  }

  /**
   * Writes the batch's records and outbox entries again in one transaction of the recovery producer
   * and commits it; the records must land contiguously.
   *
   * @throws KafkaException when that fails before the commit (nothing is copied)
   */
  private void copy(Sent s) throws ExecutionException, InterruptedException {
    try (KafkaProducer<byte[], byte[]> r = newProducer(transactionalId + "-recover")) {
      r.initTransactions();
      r.beginTransaction();
      List<Future<RecordMetadata>> sent = new ArrayList<>(s.lines.size());
      for (byte[] line : s.lines) {
        sent.add(r.send(new ProducerRecord<>(logPartition.topic(), logPartition.partition(), null, line)));
      }
      for (byte[][] e : s.outbox) {
        r.send(new ProducerRecord<>(outboxPartition.topic(), outboxPartition.partition(), e[0], e[1]));
      }
      r.flush();
      long first = sent.get(0).get().offset();
      for (int i = 1; i < sent.size(); i++) {
        if (sent.get(i).get().offset() != first + i) {
          r.abortTransaction();
          throw new KafkaException("the copies did not land contiguously (another write reached the partition)");
        }
      }
      try {
        r.commitTransaction();
      } catch (KafkaException e) {
        s.copyInDoubt = true;
        throw e;
      }
    }
  }

  private void closeProducer() {
    if (producer != null) {
      try {
        producer.close(Duration.ZERO);
      } catch (RuntimeException e) {
        LOG.debug("{}: closing the producer: {}", shard.location(), e.toString());
      }
      producer = null;
    }
  }

  @Override
  public List<EngineLog.Pending> pending() {
    Set<Long> queuedDone;
    lock.lock();
    try {
      queuedDone = new HashSet<>(doneQueue);
    } finally {
      lock.unlock();
    }
    TreeMap<Long, byte[]> entries = shard.outboxEntries();
    List<EngineLog.Pending> out = new ArrayList<>(entries.size());
    entries.forEach((seq, entry) -> {
      if (!queuedDone.contains(seq)) {
        out.add(RecordFormat.readOutboxEntry(seq, entry));
      }
    });
    return out;
  }

  @Override
  public void done(long seq) {
    lock.lock();
    try {
      if (closed) {
        return;
      }
      doneQueue.add(seq);
      if (doneQueue.size() >= MAX_DONE_QUEUE && !flushing && queue.isEmpty()) {
        boolean[] tried = {false};
        runUntil(() -> { // one transaction of done marks alone, whatever its outcome
          boolean t = tried[0];
          tried[0] = true;
          return t;
        });
      }
    } finally {
      lock.unlock();
    }
  }

  /**
   * Waits for queued appends, writes the queued done marks in a last transaction (when that fails
   * they are lost, which only means the decisions are carried out again after a restart), and closes
   * the producer.
   */
  @Override
  public void observe(dev.haetae.moderation.api.observe.EngineListener value) {
    listener = java.util.Objects.requireNonNull(value, "listener");
  }

  @Override
  public void close() {
    lock.lock();
    try {
      if (closed) {
        return;
      }
      closed = true;
      runUntil(() -> queue.isEmpty() && !flushing);
      if (!doneQueue.isEmpty() && !fenced) {
        flushing = true;
        List<Long> dones = new ArrayList<>(doneQueue);
        doneQueue.clear();
        lock.unlock();
        try {
          if (!flush(List.of(), dones)) {
            LOG.info("{}: {} done mark(s) not written at close; those decisions will be carried out again",
                shard.location(), dones.size());
          }
        } finally {
          lock.lock();
          flushing = false;
          finished.signalAll();
        }
      }
      closeProducer();
    } finally {
      lock.unlock();
    }
  }

  @Override
  public String toString() {
    return "KafkaDecisionLog[" + shard.location() + ", " + transactions + " transactions, " + committedRecords
        + " records]";
  }
}
