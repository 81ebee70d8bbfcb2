package dev.haetae.moderation.postgres;

import dev.haetae.moderation.api.Decision;
import dev.haetae.moderation.api.DecisionLogException;
import dev.haetae.moderation.api.Evidence;
import dev.haetae.moderation.api.ObligationEvent;
import dev.haetae.moderation.api.StoreUnavailableException;
import dev.haetae.moderation.core.audit.EngineLog;
import dev.haetae.moderation.core.audit.LogEvent;
import dev.haetae.moderation.core.audit.RecordFormat;
import dev.haetae.moderation.core.effect.Effect;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The decision log of one shard in PostgreSQL, an {@link EngineLog}: decision records with their
 * effects and obligation events, event records, and the outbox ({@code decision_log_outbox}).
 *
 * <p>{@link #append} encodes and pseudonymises its record outside any lock and queues it. The first
 * waiting thread becomes the flusher: in one transaction it frames every queued record onto the
 * chain after the shard's head row (which holds the next sequence number and the previous record's
 * hash), moves the head and inserts the records, and commits; the others wait. Records queued
 * during that transaction form the next batch (group commit).
 *
 * <p>The head is taken from this instance's last commit and moved only if it is still there (one
 * statement, which locks the head row); when another instance wrote in between, the flusher locks
 * the head row ({@code SELECT … FOR UPDATE}), reads it and frames the batch again. Because every
 * writer of a shard, in any process, moves the head row under its row lock in the transaction that
 * inserts the records, the shard's sequence has no gaps and no forks; the schema's triggers refuse
 * any transaction that would leave one.
 *
 * <p>A failed transaction was rolled back: its records get no sequence number and every append in
 * the batch throws {@link DecisionLogException}. Unlike the file log, the log stays usable: the next
 * append starts a new transaction, and succeeds once the database is back. When the connection
 * failed at COMMIT the outcome is unknown: the exception says so, and after the next successful
 * commit the flusher looks the batch up and logs (WARN) the decisions that were committed after
 * all, which are in the log but were not acted on.
 *
 * <p><b>The outbox.</b> A decision appended with its effects also gets a row in {@code
 * decision_log_outbox} (its {@link RecordFormat#outboxEntry outbox entry}, with raw ids), inserted by
 * the same transaction as its record: both commit or neither. {@link #done} only queues the
 * sequence number; the next transaction of this log deletes the queued entries (and {@link #close}
 * does, when nothing else comes): a deletion lost in a crash means the decision is carried out
 * again, which its idempotent effects allow. {@link #pending} reads the shard's entries that are
 * neither deleted nor queued for deletion.
 */
final class PgDecisionLog implements EngineLog {
  private static final Logger LOG = LoggerFactory.getLogger(PgDecisionLog.class);
  /** Done marks queued at most before {@link #done} writes them itself. */
  private static final int MAX_DONE_QUEUE = 4096;
  /** Batches in doubt remembered at most; the oldest is dropped (and logged) beyond. */
  private static final int MAX_IN_DOUBT = 1000;
  private static final String INSERT_OUTBOX =
      "INSERT INTO decision_log_outbox(shard, seq, decision_id, entry)"
          + " SELECT ?, t.seq, t.decision_id, t.entry FROM unnest(?::bigint[], ?::text[], ?::bytea[])"
          + " AS t(seq, decision_id, entry)";
  private static final String DELETE_OUTBOX = "DELETE FROM decision_log_outbox WHERE shard = ? AND seq = ANY(?)";
  private static final String LOCK_HEAD =
      "SELECT next_seq, last_hash FROM decision_log_head WHERE shard = ? FOR UPDATE";
  private static final String CREATE_HEAD =
      "INSERT INTO decision_log_head(shard, next_seq, last_hash) VALUES (?, 0, ?) ON CONFLICT (shard) DO NOTHING";
  /**
   * Moves the head from the position the batch was framed on and inserts the batch, in one
   * statement; inserts nothing (and returns 0) when the head is elsewhere. Run on a head read
   * without a lock (this instance's last commit) it saves a round trip when no other instance
   * wrote in between; the UPDATE takes the head row's lock either way.
   */
  private static final String MOVE_AND_INSERT =
      "WITH moved AS (UPDATE decision_log_head SET next_seq = ?, last_hash = ?, updated_at = now()"
          + " WHERE shard = ? AND next_seq = ? AND last_hash = ? RETURNING 1)"
          + " INSERT INTO decision_log(shard, seq, prev, hash, decision_id, record)"
          + " SELECT ?, t.seq, t.prev, t.hash, t.decision_id, t.record"
          + " FROM unnest(?::bigint[], ?::text[], ?::text[], ?::text[], ?::bytea[])"
          + " AS t(seq, prev, hash, decision_id, record) WHERE EXISTS (SELECT 1 FROM moved)";

  private final HaetaePostgres pg;
  private final String shard;
  private final RecordFormat format;
  private final int maxBatch;

  private final ReentrantLock lock = new ReentrantLock();
  private final Condition done = lock.newCondition();
  // guarded by lock
  private final ArrayDeque<Queued> queue = new ArrayDeque<>();
  /** Outbox entries carried out, to delete with the next transaction. */
  private final List<Long> doneQueue = new ArrayList<>();
  private boolean flushing;
  private boolean closed;
  // written and read only by the flusher (flushing == true); volatile for the hand-over between flushers
  private volatile Head lastCommitted;
  // touched only by the flusher: batches whose COMMIT was in doubt, until the database answers again
  private final List<InDoubt> inDoubt = new ArrayList<>();
  // decisions whose append failed although their batch was committed, for tests
  private final List<String> committedInDoubt = new java.util.concurrent.CopyOnWriteArrayList<>();
  // statistics, written by the flusher, read racily by toString
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
    boolean finished;

    Queued(String decisionId, byte[] payload, byte[] outbox) {
      this.decisionId = decisionId;
      this.payload = payload;
      this.outbox = outbox;
    }
  }

  PgDecisionLog(HaetaePostgres pg, String shard, RecordFormat format, int maxBatch) {
    this.pg = pg;
    this.shard = shard;
    this.format = format;
    this.maxBatch = maxBatch;
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
    boolean interrupted = false;
    lock.lock();
    try {
      if (closed) {
        throw new DecisionLogException("decision log shard " + shard + " is closed; decision "
            + p.decisionId + " was not recorded", null);
      }
      queue.add(p);
      while (!p.finished) {
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
              doneQueue.addAll(dones); // for the next transaction
            }
            for (Queued b : batch) {
              if (b.seq < 0 && b.failure == null) { // flush was cut short by an Error
                b.failure = new DecisionLogException("decision log shard " + shard + ": decision " + b.decisionId
                    + " was not recorded: the writing thread failed", null);
              }
              b.finished = true;
            }
            done.signalAll();
          }
        } else {
          try {
            done.await();
          } catch (InterruptedException e) {
            interrupted = true; // durability first: keep waiting for the outcome, restore the flag after
          }
        }
      }
    } finally {
      lock.unlock();
      if (interrupted) {
        Thread.currentThread().interrupt();
      }
    }
    if (p.failure != null) {
      throw p.failure;
    }
    return p.seq;
  }

  /**
   * Writes one batch in one transaction, with the outbox entries of its decisions and the deletion
   * of the entries carried out, and records each record's outcome; never throws.
   *
   * @return whether the transaction committed
   */
  private boolean flush(List<Queued> batch, List<Long> dones) {
    dev.haetae.moderation.api.observe.EngineListener told = listener;
    boolean observed = told != dev.haetae.moderation.api.observe.EngineListener.NONE;
    long started = observed ? System.nanoTime() : 0;
    boolean[] reachedCommit = {false};
    long[] framedAt = {-1};
    Head known = lastCommitted;
    lastCommitted = null; // until this transaction's outcome is known
    try {
      Head moved =
          pg.inTransaction("appending " + batch.size() + " record(s) to decision log shard " + shard, c -> {
            reachedCommit[0] = false;
            Head after = known == null ? null : moveAndInsert(c, known, batch);
            if (after == null) { // another instance wrote since, or first use: lock the head and read it
              Head head = lockHead(c);
              if (head == null) {
                try (PreparedStatement ps = c.prepareStatement(CREATE_HEAD)) {
                  ps.setString(1, shard);
                  ps.setString(2, RecordFormat.GENESIS);
                  ps.executeUpdate();
                }
                head = lockHead(c);
                if (head == null) {
                  throw new SQLException("the head row of shard " + shard + " vanished", "HT001");
                }
              }
              after = moveAndInsert(c, head, batch);
              if (after == null) {
                throw new SQLException("the head row of shard " + shard + " moved while locked", "HT002");
              }
            }
            writeOutbox(c, after.nextSeq - batch.size(), batch, dones);
            framedAt[0] = after.nextSeq - batch.size();
            reachedCommit[0] = true;
            return after;
          });
      long first = moved.nextSeq - batch.size();
      for (int i = 0; i < batch.size(); i++) {
        batch.get(i).seq = first + i;
      }
      lastCommitted = moved;
      transactions++;
      committedRecords += batch.size();
      if (!inDoubt.isEmpty()) {
        resolveInDoubt();
      }
      if (observed && !batch.isEmpty()) {
        try { // outside the lock; never fails the batch's appends
          told.logBatchWritten(new dev.haetae.moderation.api.observe.LogBatch("postgres", batch.size(),
              Math.max(0, System.nanoTime() - started)));
        } catch (RuntimeException e) {
          LOG.debug("log listener {} failed", told, e);
        }
      }
      return true;
    } catch (StoreUnavailableException | DecisionLogException | IllegalArgumentException e) {
      boolean doubtful = reachedCommit[0] && connectionBroke(e);
      String doubt = doubtful
          ? " (the connection failed at COMMIT: the database may have committed the batch, in which case the"
              + " record is in the log although this append failed)"
          : "; nothing was written";
      if (doubtful) {
        List<String> ids = new ArrayList<>(batch.size());
        for (Queued b : batch) {
          ids.add(b.decisionId);
        }
        if (inDoubt.size() >= MAX_IN_DOUBT) {
          LOG.warn("decision log shard {}: too many batches in doubt; no longer checking decisions {}", shard,
              inDoubt.remove(0).ids);
        }
        inDoubt.add(new InDoubt(framedAt[0], ids));
      }
      for (Queued b : batch) {
        b.failure = new DecisionLogException("decision log shard " + shard + ": decision " + b.decisionId
            + " was not recorded" + doubt + ": " + e.getMessage(), e);
      }
      // a commit in doubt may have deleted the done entries: deleting them again is harmless
      return false;
    } catch (RuntimeException e) {
      for (Queued b : batch) {
        b.failure = new DecisionLogException("decision log shard " + shard + ": decision " + b.decisionId
            + " was not recorded: " + e, e);
      }
      return false;
    }
  }

  /**
   * Inserts the batch's outbox entries (their records start at {@code first}) and deletes the
   * entries carried out, in the batch's transaction.
   */
  private void writeOutbox(Connection c, long first, List<Queued> batch, List<Long> dones) throws SQLException {
    List<Long> seqs = new ArrayList<>(0);
    List<String> ids = new ArrayList<>(0);
    List<byte[]> entries = new ArrayList<>(0);
    for (int i = 0; i < batch.size(); i++) {
      Queued q = batch.get(i);
      if (q.outbox != null) {
        seqs.add(first + i);
        ids.add(q.decisionId);
        entries.add(q.outbox);
      }
    }
    if (!entries.isEmpty()) {
      try (PreparedStatement ps = c.prepareStatement(INSERT_OUTBOX)) {
        ps.setString(1, shard);
        ps.setArray(2, c.createArrayOf("bigint", seqs.toArray()));
        ps.setArray(3, c.createArrayOf("text", ids.toArray()));
        ps.setArray(4, c.createArrayOf("bytea", entries.toArray(new byte[0][])));
        ps.executeUpdate();
      }
    }
    if (!dones.isEmpty()) {
      deleteDone(c, dones);
    }
  }

  private void deleteDone(Connection c, List<Long> dones) throws SQLException {
    try (PreparedStatement ps = c.prepareStatement(DELETE_OUTBOX)) {
      ps.setString(1, shard);
      ps.setArray(2, c.createArrayOf("bigint", dones.toArray()));
      ps.executeUpdate();
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
    List<long[]> seqs = new ArrayList<>();
    List<byte[]> entries = new ArrayList<>();
    try {
      pg.inTransaction("reading the outbox of decision log shard " + shard, c -> {
        seqs.clear();
        entries.clear();
        try (PreparedStatement ps = c.prepareStatement(
            "SELECT seq, entry FROM decision_log_outbox WHERE shard = ? ORDER BY seq")) {
          ps.setString(1, shard);
          try (ResultSet rs = ps.executeQuery()) {
            while (rs.next()) {
              seqs.add(new long[] {rs.getLong(1)});
              entries.add(rs.getBytes(2));
            }
          }
        }
        return null;
      });
    } catch (StoreUnavailableException e) {
      throw new DecisionLogException("cannot read the outbox of decision log shard " + shard + ": " + e.getMessage(),
          e);
    }
    List<EngineLog.Pending> out = new ArrayList<>(seqs.size());
    for (int i = 0; i < seqs.size(); i++) {
      long seq = seqs.get(i)[0];
      if (!queuedDone.contains(seq)) {
        out.add(RecordFormat.readOutboxEntry(seq, entries.get(i)));
      }
    }
    return out;
  }

  @Override
  public void done(long seq) {
    List<Long> write = null;
    lock.lock();
    try {
      if (closed) {
        return;
      }
      doneQueue.add(seq);
      if (doneQueue.size() >= MAX_DONE_QUEUE && !flushing && queue.isEmpty()) {
        write = new ArrayList<>(doneQueue);
        doneQueue.clear();
      }
    } finally {
      lock.unlock();
    }
    if (write != null) {
      writeDone(write);
    }
  }

  /** Deletes carried-out entries in a transaction of their own; on failure they are queued again. */
  private void writeDone(List<Long> dones) {
    try {
      pg.inTransaction("deleting " + dones.size() + " carried-out outbox entries of decision log shard " + shard,
          c -> {
            deleteDone(c, dones);
            return null;
          });
    } catch (RuntimeException e) {
      LOG.debug("decision log shard {}: outbox entries stay until the next write: {}", shard, e.toString());
      lock.lock();
      try {
        doneQueue.addAll(dones);
      } finally {
        lock.unlock();
      }
    }
  }

  /**
   * Once the database answers again, finds out which batches whose COMMIT was in doubt were
   * committed, and says so in the log (WARN: those decisions are in the log but were not acted on).
   * Called by the flusher after a successful commit; a failure leaves the batches for next time.
   */
  private void resolveInDoubt() {
    try {
      List<String> landed = pg.inTransaction("checking doubtful commits in decision log shard " + shard, c -> {
        List<String> found = new ArrayList<>();
        try (PreparedStatement ps = c.prepareStatement(
            "SELECT decision_id FROM decision_log WHERE shard = ? AND seq >= ? AND seq < ? ORDER BY seq")) {
          for (InDoubt d : inDoubt) {
            ps.setString(1, shard);
            ps.setLong(2, d.firstSeq);
            ps.setLong(3, d.firstSeq + d.ids.size());
            List<String> there = new ArrayList<>();
            try (ResultSet rs = ps.executeQuery()) {
              while (rs.next()) {
                there.add(rs.getString(1));
              }
            }
            if (there.equals(d.ids)) {
              found.addAll(d.ids);
              LOG.warn("decision log shard {}: the batch whose COMMIT failed was committed after all (seq {}..{}):"
                  + " decisions {} are in the log but evaluate failed and they were not acted on", shard,
                  d.firstSeq, d.firstSeq + d.ids.size() - 1, d.ids);
            } else {
              LOG.info("decision log shard {}: the batch whose COMMIT failed was not committed; decisions {}"
                  + " are not in the log", shard, d.ids);
            }
          }
        }
        return found;
      });
      committedInDoubt.addAll(landed);
      inDoubt.clear();
    } catch (RuntimeException e) {
      LOG.debug("decision log shard {}: cannot check doubtful commits yet: {}", shard, e.toString());
    }
  }

  /**
   * Whether a failure at COMMIT leaves the outcome unknown: anything but the server's definite
   * refusal (data, integrity, rollback, syntax or transaction-state errors) may have come after the
   * commit was durable, e.g. a connection cut by a shutdown (57P01) right after it.
   */
  private static boolean connectionBroke(Throwable e) {
    for (Throwable t = e; t != null; t = t.getCause()) {
      if (t instanceof SQLException) {
        String state = ((SQLException) t).getSQLState();
        if (state == null || state.length() < 2) {
          return true;
        }
        switch (state.substring(0, 2)) {
          case "22":
          case "23":
          case "25":
          case "40":
          case "42":
            return false;
          default:
            return true;
        }
      }
    }
    return false;
  }

  /** A batch whose COMMIT failed in a way that leaves its outcome unknown. */
  private static final class InDoubt {
    final long firstSeq;
    final List<String> ids;

    InDoubt(long firstSeq, List<String> ids) {
      this.firstSeq = firstSeq;
      this.ids = ids;
    }
  }

  /** A shard head: the next sequence number and the hash of the record before it. */
  private static final class Head {
    final long nextSeq;
    final String lastHash;

    Head(long nextSeq, String lastHash) {
      this.nextSeq = nextSeq;
      this.lastHash = lastHash;
    }
  }

  private Head lockHead(Connection c) throws SQLException {
    try (PreparedStatement ps = c.prepareStatement(LOCK_HEAD)) {
      ps.setString(1, shard);
      try (ResultSet rs = ps.executeQuery()) {
        if (!rs.next()) {
          return null;
        }
        return new Head(rs.getLong(1), rs.getString(2));
      }
    }
  }

  /** Frames the batch on {@code head} and writes it if the head is still there; null when it is not. */
  private Head moveAndInsert(Connection c, Head head, List<Queued> batch) throws SQLException {
    int n = batch.size();
    Long[] seqs = new Long[n];
    String[] prevs = new String[n];
    String[] hashes = new String[n];
    String[] ids = new String[n];
    byte[][] lines = new byte[n][];
    String h = head.lastHash;
    for (int i = 0; i < n; i++) {
      RecordFormat.Frame f = RecordFormat.frame(head.nextSeq + i, h, batch.get(i).payload);
      seqs[i] = head.nextSeq + i;
      prevs[i] = h;
      hashes[i] = f.hash();
      ids[i] = batch.get(i).decisionId;
      lines[i] = f.line();
      h = f.hash();
    }
    try (PreparedStatement ps = c.prepareStatement(MOVE_AND_INSERT)) {
      ps.setLong(1, head.nextSeq + n);
      ps.setString(2, h);
      ps.setString(3, shard);
      ps.setLong(4, head.nextSeq);
      ps.setString(5, head.lastHash);
      ps.setString(6, shard);
      ps.setArray(7, c.createArrayOf("bigint", seqs));
      ps.setArray(8, c.createArrayOf("text", prevs));
      ps.setArray(9, c.createArrayOf("text", hashes));
      ps.setArray(10, c.createArrayOf("text", ids));
      ps.setArray(11, c.createArrayOf("bytea", lines));
      int inserted = ps.executeUpdate();
      if (inserted == 0) {
        return null;
      }
      if (inserted != n) {
        throw new SQLException("inserted " + inserted + " of " + n + " records into shard " + shard, "HT003");
      }
      return new Head(head.nextSeq + n, h);
    }
  }

  /**
   * Marks the log closed after the batches already queued are written, and deletes the outbox
   * entries marked done since the last transaction. Does not close the pool, which belongs to
   * {@link HaetaePostgres}. Idempotent.
   */
  @Override
  public void observe(dev.haetae.moderation.api.observe.EngineListener value) {
    listener = java.util.Objects.requireNonNull(value, "listener");
  }

  @Override
  public void close() {
    List<Long> dones;
    lock.lock();
    try {
      closed = true;
      // appends already queued are still served by their own threads; wait for them to finish
      while (flushing || !queue.isEmpty()) {
        done.awaitUninterruptibly();
      }
      dones = new ArrayList<>(doneQueue);
      doneQueue.clear();
    } finally {
      lock.unlock();
    }
    if (!dones.isEmpty()) {
      try {
        pg.inTransaction("deleting carried-out outbox entries of decision log shard " + shard, c -> {
          deleteDone(c, dones);
          return null;
        });
      } catch (RuntimeException e) {
        LOG.warn("decision log shard {}: {} decision(s) carried out stay in the outbox and will be carried out"
            + " again by the next engine on the shard: {}", shard, dones.size(), e.getMessage());
      }
    }
  }

  /** Appends waiting for a transaction (not counting those in the one running); for tests. */
  int queued() {
    lock.lock();
    try {
      return queue.size();
    } finally {
      lock.unlock();
    }
  }

  /**
   * Decisions whose append failed at COMMIT although the batch was committed, as found once the
   * database answered again; for tests.
   */
  List<String> committedInDoubt() {
    return List.copyOf(committedInDoubt);
  }

  /** Committed transactions so far; for tests and benchmarks. */
  long transactions() {
    return transactions;
  }

  @Override
  public String toString() {
    return "PgDecisionLog[shard " + shard + ", " + committedRecords + " records in " + transactions
        + " transactions]";
  }
}
