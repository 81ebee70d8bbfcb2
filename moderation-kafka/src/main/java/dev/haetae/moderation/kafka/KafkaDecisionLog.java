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
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
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
  /** The head a batch whose commit failed would have left, to check once the producer is back. */
  private long[] doubtNext;
  private String doubtHash;
  private List<String> doubtIds;
  private volatile boolean fenced;
  // decisions whose append failed although their batch was committed, for tests
  final List<String> committedInDoubt = new CopyOnWriteArrayList<>();
  private volatile long transactions;
  private volatile long committedRecords;
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
      for (Queued q : batch) {
        RecordFormat.Frame f = RecordFormat.frame(seq, prev, q.payload);
        producer.send(new ProducerRecord<>(logPartition.topic(), logPartition.partition(), null, f.line()));
        if (q.outbox != null) {
          producer.send(new ProducerRecord<>(outboxPartition.topic(), outboxPartition.partition(),
              KafkaLogShard.outboxKey(seq), q.outbox));
        }
        prev = f.hash();
        seq++;
      }
      for (long d : dones) {
        producer.send(new ProducerRecord<>(outboxPartition.topic(), outboxPartition.partition(),
            KafkaLogShard.outboxKey(d), null));
      }
      atCommit = true;
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
    Map<String, Object> m = new HashMap<>(shard.clientProperties());
    int t = (int) shard.timeout().toMillis();
    m.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, shard.bootstrapServers());
    m.put(ProducerConfig.TRANSACTIONAL_ID_CONFIG, transactionalId);
    m.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, "true");
    m.put(ProducerConfig.ACKS_CONFIG, "all");
    m.put(ProducerConfig.LINGER_MS_CONFIG, "0");
    m.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, t);
    m.put(ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG, t);
    m.put(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, t);
    m.putIfAbsent(ProducerConfig.TRANSACTION_TIMEOUT_CONFIG, Math.max(60_000, 2 * t));
    KafkaProducer<byte[], byte[]> p;
    try {
      p = new KafkaProducer<>(m, new ByteArraySerializer(), new ByteArraySerializer());
    } catch (KafkaException e) {
      throw new DecisionLogException(shard.location() + ": cannot configure the producer: " + e, e);
    }
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
      long end = shard.stableEnd(c, logPartition, false);
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
