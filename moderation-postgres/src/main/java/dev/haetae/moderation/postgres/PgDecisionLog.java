package dev.haetae.moderation.postgres;

import dev.haetae.moderation.api.Decision;
import dev.haetae.moderation.api.DecisionLogException;
import dev.haetae.moderation.api.Evidence;
import dev.haetae.moderation.api.StoreUnavailableException;
import dev.haetae.moderation.api.spi.DecisionLog;
import dev.haetae.moderation.core.audit.RecordFormat;
import java.sql.Array;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * The decision log of one shard in PostgreSQL.
 *
 * <p>{@link #append} encodes and pseudonymises its record outside any lock and queues it. The first
 * waiting thread becomes the flusher: in one transaction it locks the shard's head row ({@code
 * SELECT … FOR UPDATE}), which holds the next sequence number and the previous record's hash, frames
 * every queued record onto the chain, inserts them and moves the head, and commits; the others wait.
 * Records queued during that transaction form the next batch (group commit). Because every writer of
 * a shard, in any process, goes through the head row lock, the shard's sequence has no gaps and no
 * forks; the schema's triggers refuse any transaction that would leave one.
 *
 * <p>A failed transaction was rolled back: its records get no sequence number and every append in
 * the batch throws {@link DecisionLogException}. Unlike the file log, the log stays usable: the next
 * append starts a new transaction, and succeeds once the database is back.
 */
final class PgDecisionLog implements DecisionLog {
  private static final String LOCK_HEAD =
      "SELECT next_seq, last_hash FROM decision_log_head WHERE shard = ? FOR UPDATE";
  private static final String CREATE_HEAD =
      "INSERT INTO decision_log_head(shard, next_seq, last_hash) VALUES (?, 0, ?) ON CONFLICT (shard) DO NOTHING";
  private static final String INSERT_AND_MOVE =
      "WITH ins AS (INSERT INTO decision_log(shard, seq, prev, hash, decision_id, record)"
          + " SELECT ?, t.seq, t.prev, t.hash, t.decision_id, t.record"
          + " FROM unnest(?::bigint[], ?::text[], ?::text[], ?::text[], ?::bytea[])"
          + " AS t(seq, prev, hash, decision_id, record) RETURNING 1)"
          + " UPDATE decision_log_head SET next_seq = ?, last_hash = ?, updated_at = now()"
          + " WHERE shard = ? AND next_seq = ? AND (SELECT count(*) FROM ins) = ?";

  private final HaetaePostgres pg;
  private final String shard;
  private final RecordFormat format;
  private final int maxBatch;

  private final ReentrantLock lock = new ReentrantLock();
  private final Condition done = lock.newCondition();
  // guarded by lock
  private final ArrayDeque<Pending> queue = new ArrayDeque<>();
  private boolean flushing;
  private boolean closed;
  // statistics, written by the flusher, read racily by toString
  private volatile long transactions;
  private volatile long committedRecords;

  /** One queued record and, once its batch is over, its outcome. */
  private static final class Pending {
    final String decisionId;
    final byte[] payload;
    long seq = -1;
    DecisionLogException failure;
    boolean finished;

    Pending(String decisionId, byte[] payload) {
      this.decisionId = decisionId;
      this.payload = payload;
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
    Pending p = new Pending(decision.id().value(), format.payload(evidence, decision));
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
          List<Pending> batch = new ArrayList<>(Math.min(maxBatch, queue.size()));
          while (batch.size() < maxBatch && !queue.isEmpty()) {
            batch.add(queue.poll());
          }
          lock.unlock();
          try {
            flush(batch);
          } finally {
            lock.lock();
            flushing = false;
            for (Pending b : batch) {
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

  /** Writes one batch in one transaction and records each record's outcome; never throws. */
  private void flush(List<Pending> batch) {
    boolean[] reachedCommit = {false};
    try {
      long first =
          pg.inTransaction("appending " + batch.size() + " record(s) to decision log shard " + shard, c -> {
            reachedCommit[0] = false;
            long next;
            String prev;
            String[] head = lockHead(c);
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
            next = Long.parseLong(head[0]);
            prev = head[1];
            int n = batch.size();
            Long[] seqs = new Long[n];
            String[] prevs = new String[n];
            String[] hashes = new String[n];
            String[] ids = new String[n];
            byte[][] lines = new byte[n][];
            String h = prev;
            for (int i = 0; i < n; i++) {
              RecordFormat.Frame f = RecordFormat.frame(next + i, h, batch.get(i).payload);
              seqs[i] = next + i;
              prevs[i] = h;
              hashes[i] = f.hash();
              ids[i] = batch.get(i).decisionId;
              lines[i] = f.line();
              h = f.hash();
            }
            try (PreparedStatement ps = c.prepareStatement(INSERT_AND_MOVE)) {
              ps.setString(1, shard);
              Array a1 = c.createArrayOf("bigint", seqs);
              Array a2 = c.createArrayOf("text", prevs);
              Array a3 = c.createArrayOf("text", hashes);
              Array a4 = c.createArrayOf("text", ids);
              Array a5 = c.createArrayOf("bytea", lines);
              ps.setArray(2, a1);
              ps.setArray(3, a2);
              ps.setArray(4, a3);
              ps.setArray(5, a4);
              ps.setArray(6, a5);
              ps.setLong(7, next + n);
              ps.setString(8, h);
              ps.setString(9, shard);
              ps.setLong(10, next);
              ps.setInt(11, n);
              if (ps.executeUpdate() != 1) {
                throw new SQLException("the head row of shard " + shard + " moved while locked", "HT002");
              }
            }
            reachedCommit[0] = true;
            return next;
          });
      for (int i = 0; i < batch.size(); i++) {
        batch.get(i).seq = first + i;
      }
      transactions++;
      committedRecords += batch.size();
    } catch (StoreUnavailableException | DecisionLogException | IllegalArgumentException e) {
      String doubt = reachedCommit[0] && connectionBroke(e)
          ? " (the connection failed at COMMIT: the database may have committed the batch, in which case the"
              + " record is in the log although this append failed)"
          : "; nothing was written";
      for (Pending b : batch) {
        b.failure = new DecisionLogException("decision log shard " + shard + ": decision " + b.decisionId
            + " was not recorded" + doubt + ": " + e.getMessage(), e);
      }
    } catch (RuntimeException e) {
      for (Pending b : batch) {
        b.failure = new DecisionLogException("decision log shard " + shard + ": decision " + b.decisionId
            + " was not recorded: " + e, e);
      }
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

  private String[] lockHead(Connection c) throws SQLException {
    try (PreparedStatement ps = c.prepareStatement(LOCK_HEAD)) {
      ps.setString(1, shard);
      try (ResultSet rs = ps.executeQuery()) {
        if (!rs.next()) {
          return null;
        }
        return new String[] {Long.toString(rs.getLong(1)), rs.getString(2)};
      }
    }
  }

  /**
   * Marks the log closed after the batches already queued are written. Does not close the pool,
   * which belongs to {@link HaetaePostgres}.
   */
  @Override
  public void close() {
    lock.lock();
    try {
      closed = true;
      // appends already queued are still served by their own threads; wait for them to finish
      while (flushing || !queue.isEmpty()) {
        done.awaitUninterruptibly();
      }
    } finally {
      lock.unlock();
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
