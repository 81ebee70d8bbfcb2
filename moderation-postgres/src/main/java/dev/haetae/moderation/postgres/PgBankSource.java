package dev.haetae.moderation.postgres;

import dev.haetae.moderation.api.Category;
import dev.haetae.moderation.api.MatchType;
import dev.haetae.moderation.api.spi.HashBankSource;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A {@link HashBankSource} on one bank of a {@link PgBankStore}, for one {@code HashBanks}: remembers
 * the change id its last load or change stream reached. Feedback and quarantine notices go to a
 * bounded queue that one daemon thread (started on demand, gone when idle) writes to the database.
 */
final class PgBankSource implements HashBankSource {
  private static final Logger LOG = LoggerFactory.getLogger(PgBankSource.class);
  /** Notices waiting to be written; further ones are dropped (and logged) until it drains. */
  static final int QUEUE = 10_000;
  private static final int FETCH = 10_000;

  private final PgBankStore store;
  private volatile long position = -1;
  private volatile boolean warnedBehind;
  private final ThreadPoolExecutor notices;
  private final AtomicLong dropped = new AtomicLong();

  PgBankSource(PgBankStore store) {
    this.store = store;
    this.notices = new ThreadPoolExecutor(1, 1, 10, TimeUnit.SECONDS, new LinkedBlockingQueue<>(QUEUE), r -> {
      Thread t = new Thread(r, "haetae-bank-feedback-" + store.bankId());
      t.setDaemon(true);
      return t;
    });
    notices.allowCoreThreadTimeOut(true);
  }

  @Override
  public String bankId() {
    return store.bankId();
  }

  @Override
  public Category category() {
    return store.category();
  }

  /** The change id the last load or change stream reached; -1 before the first load. */
  long position() {
    return position;
  }

  @Override
  public void load(Consumer<Entry> sink) {
    long at = store.pg().inTransaction("loading bank " + bankId(), c -> {
      try (Statement st = c.createStatement()) {
        // one snapshot for the position and the entries
        st.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY");
      }
      long last = PgBankStore.lastChange(c, bankId());
      try (PreparedStatement q = c.prepareStatement(
          "SELECT type, hash, added_at, case_id, category, reason, uploader FROM hash_bank_entry"
              + " WHERE bank_id = ? AND state = 'active'")) {
        q.setFetchSize(FETCH);
        q.setString(1, bankId());
        try (ResultSet rs = q.executeQuery()) {
          while (rs.next()) {
            sink.accept(new Entry(MatchType.fromWire(rs.getString(1)), rs.getString(2), Entry.State.ACTIVE,
                Optional.of(rs.getObject(3, OffsetDateTime.class).toInstant()),
                Optional.ofNullable(rs.getString(4)), category(rs.getString(5)), Optional.ofNullable(rs.getString(6)),
                Optional.ofNullable(rs.getString(7))));
          }
        }
      }
      return last;
    });
    position = at;
  }

  /** The change id the load reached, so that a bank snapshot records where its catch-up starts. */
  @Override
  public Optional<String> checkpointAfterLoad() {
    return position < 0 ? Optional.empty() : Optional.of(Long.toString(position));
  }

  @Override
  public Optional<String> changes(Optional<String> checkpoint, Consumer<Entry> sink) {
    long from;
    if (checkpoint.isPresent()) {
      try {
        from = Long.parseLong(checkpoint.get());
      } catch (NumberFormatException e) {
        throw new IllegalArgumentException("bank " + bankId() + ": checkpoint '" + checkpoint.get()
            + "' is not a change id of this source", e);
      }
    } else {
      from = Math.max(0, position);
    }
    long to = store.pg().inTransaction("reading the changes of bank " + bankId(), c -> {
      long last = from;
      long stored = PgBankStore.lastChange(c, bankId());
      if (stored < from) {
        behind(from, stored);
        return from;
      }
      try (PreparedStatement q = c.prepareStatement(
          "SELECT change_id, type, hash, state, added_at, case_id, category, reason, uploader FROM hash_bank_change"
              + " WHERE bank_id = ? AND change_id > ? ORDER BY change_id")) {
        q.setFetchSize(FETCH);
        q.setString(1, bankId());
        q.setLong(2, from);
        try (ResultSet rs = q.executeQuery()) {
          while (rs.next()) {
            OffsetDateTime added = rs.getObject(5, OffsetDateTime.class);
            Instant addedAt = added == null ? null : added.toInstant();
            sink.accept(new Entry(MatchType.fromWire(rs.getString(2)), rs.getString(3),
                Entry.State.valueOf(rs.getString(4).toUpperCase(Locale.ROOT)), Optional.ofNullable(addedAt),
                Optional.ofNullable(rs.getString(6)), category(rs.getString(7)), Optional.ofNullable(rs.getString(8)),
                Optional.ofNullable(rs.getString(9))));
            last = rs.getLong(1);
          }
        }
      }
      warnedBehind = false;
      return last;
    });
    position = to;
    return Optional.of(Long.toString(to));
  }

  /** An entry's own category as stored (a wire name), if it has one. */
  private static Optional<dev.haetae.moderation.api.Category> category(String wire) {
    return wire == null ? Optional.empty() : Optional.of(dev.haetae.moderation.api.Category.fromWire(wire));
  }

  /**
   * The database is behind what this instance applied (restored from an older backup, or the bank
   * was recreated): nothing can be streamed until it passes the checkpoint. Said once per episode.
   */
  private void behind(long applied, long stored) {
    if (!warnedBehind) {
      warnedBehind = true;
      LOG.warn("bank {}: this instance applied change {} but the database's last change is {} (restored from an"
          + " older backup?); its changes are not followed until the bank passes {}: restart the instance to"
          + " reload the bank", bankId(), applied, stored, applied);
    }
  }

  @Override
  public void feedback(String entryHash, boolean confirmed) {
    enqueue("feedback", entryHash, () -> store.recordFeedback(entryHash, confirmed));
  }

  @Override
  public void quarantined(String entryHash, long matchesInWindow) {
    enqueue("quarantine notice", entryHash, () -> store.recordQuarantine(entryHash));
  }

  private void enqueue(String what, String hash, java.util.function.BooleanSupplier write) {
    try {
      notices.execute(() -> {
        try {
          if (!write.getAsBoolean()) {
            LOG.debug("bank {}: {} on {} not recorded: no active entry", bankId(), what, hash);
          }
        } catch (RuntimeException e) {
          LOG.warn("bank {}: could not record {} on {}: {}", bankId(), what, hash, e.getMessage());
        }
      });
    } catch (RejectedExecutionException e) {
      long n = dropped.incrementAndGet();
      if (n == 1 || Long.bitCount(n) == 1) {
        LOG.warn("bank {}: {} {} dropped, {} notices waiting for the database ({} dropped so far)", bankId(),
            what, hash, QUEUE, n);
      }
    }
  }

  /** Waits until every queued notice was written (tests). */
  boolean awaitNotices(long timeout, TimeUnit unit) throws InterruptedException {
    long end = System.nanoTime() + unit.toNanos(timeout);
    while (notices.getCompletedTaskCount() < notices.getTaskCount()) {
      if (System.nanoTime() > end) {
        return false;
      }
      Thread.sleep(5);
    }
    return true;
  }
}
