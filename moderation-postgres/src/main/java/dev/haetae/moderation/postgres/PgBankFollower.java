package dev.haetae.moderation.postgres;

import dev.haetae.moderation.api.Category;
import dev.haetae.moderation.api.InvalidRequestException;
import dev.haetae.moderation.core.hash.BankConfig;
import dev.haetae.moderation.core.hash.HashBanks;
import dev.haetae.moderation.core.hash.ImportReport;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;
import org.postgresql.PGConnection;
import org.postgresql.PGNotification;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@link BankFollower}: one daemon thread that LISTENs on the schema's bank channel with a pool
 * connection of its own (when {@code listen}), refreshes the banks a notification names, and polls
 * every bank's last change id at the poll interval in any case.
 */
final class PgBankFollower implements BankFollower {
  /** The logger named in {@link BankFollower}'s contract. */
  private static final Logger LOG = LoggerFactory.getLogger(BankFollower.class);
  /** How long one wait for notifications may block before the loop looks at its clock again. */
  private static final int WAIT_SLICE_MS = 250;
  private static final long FIRST_RETRY_MS = 250;

  private final HaetaePostgres pg;
  private final HashBanks banks;
  private final long pollNanos;
  private final boolean listen;
  private final String channel;
  private final Thread thread;
  /** Held while connecting a bank or refreshing: one load or change stream at a time. */
  private final Object refreshLock = new Object();
  private volatile Map<String, PgBankSource> sources = Map.of();
  /** Banks to connect once they exist in the database, with their configuration by stored category. */
  private final Map<String, Function<Category, BankConfig>> awaited = new ConcurrentHashMap<>();
  private final Set<String> dirty = new LinkedHashSet<>();
  private boolean awaitedDirty;
  private volatile boolean lookForAwaited;
  private volatile boolean closed;
  /** Per bank: the newest change id seen in a notification or poll, and when a change was last applied. */
  private final Map<String, Long> newest = new ConcurrentHashMap<>();
  private final Map<String, java.time.Instant> lastApplied = new ConcurrentHashMap<>();

  private Connection listener;
  private volatile int listenerPid = -1;
  private long nextListenAttempt;
  private long listenRetryMs = FIRST_RETRY_MS;
  private boolean failing;

  PgBankFollower(HaetaePostgres pg, HashBanks banks, Duration poll, boolean listen) {
    this.pg = pg;
    this.banks = InvalidRequestException.requireNonNull("banks", banks);
    InvalidRequestException.requireNonNull("poll", poll);
    if (poll.toMillis() < 10) {
      throw new InvalidRequestException("poll", "must be at least 10 ms, was " + poll);
    }
    this.pollNanos = poll.toNanos();
    this.listen = listen;
    this.channel = channel(pg.schema());
    this.thread = new Thread(this::run, "haetae-bank-follower-" + pg.schema());
    thread.setDaemon(true);
    thread.start();
  }

  /** The notification channel of a schema's banks, as the V5 trigger names it. */
  static String channel(String schema) {
    String c = "hb_" + schema;
    return c.length() > 63 ? c.substring(0, 63) : c;
  }

  @Override
  public ImportReport connect(BankConfig config) {
    InvalidRequestException.requireNonNull("config", config);
    if (closed) {
      throw new IllegalStateException("the bank follower is closed");
    }
    PgBankStore store = new PgBankStore(pg, config.id(), config.category());
    PgBankSource source = new PgBankSource(store);
    synchronized (refreshLock) {
      ImportReport r = banks.connect(source, config);
      banks.shareVersionCounter(config.id(), source.position());
      lastApplied.put(config.id(), java.time.Instant.now());
      Map<String, PgBankSource> next = new LinkedHashMap<>(sources);
      next.put(config.id(), source);
      sources = Map.copyOf(next);
      return r;
    }
  }

  @Override
  public ImportReport connect(BankConfig config, java.nio.file.Path snapshot) throws java.io.IOException {
    InvalidRequestException.requireNonNull("config", config);
    InvalidRequestException.requireNonNull("snapshot", snapshot);
    if (closed) {
      throw new IllegalStateException("the bank follower is closed");
    }
    PgBankStore store = new PgBankStore(pg, config.id(), config.category());
    PgBankSource source = new PgBankSource(store);
    synchronized (refreshLock) {
      ImportReport r = banks.connect(source, config, snapshot, dev.haetae.moderation.core.hash.ImportOptions.defaults());
      banks.shareVersionCounter(config.id(), source.position());
      lastApplied.put(config.id(), java.time.Instant.now());
      Map<String, PgBankSource> next = new LinkedHashMap<>(sources);
      next.put(config.id(), source);
      sources = Map.copyOf(next);
      return r;
    }
  }

  /**
   * Connects a bank as soon as it exists in the database (now, or when any instance creates it),
   * with the configuration {@code config} gives for the category it is stored with; the follower's
   * thread does it. A failed connection is tried again at the next poll.
   */
  void connectWhenCreated(String bankId, Function<Category, BankConfig> config) {
    InvalidRequestException.requireNonNull("bankId", bankId);
    InvalidRequestException.requireNonNull("config", config);
    if (closed) {
      throw new IllegalStateException("the bank follower is closed");
    }
    awaited.put(bankId, config);
    lookForAwaited = true; // within one wait slice rather than at the next poll
  }

  @Override
  public List<String> banks() {
    return List.copyOf(sources.keySet());
  }

  @Override
  public long position(String bankId) {
    PgBankSource s = sources.get(bankId);
    return s == null ? -1 : s.position();
  }

  @Override
  public List<dev.haetae.moderation.api.observe.FollowerLag> lags() {
    List<dev.haetae.moderation.api.observe.FollowerLag> out = new ArrayList<>();
    for (PgBankSource src : sources.values()) {
      long applied = Math.max(-1, src.position());
      long known = Math.max(applied, newest.getOrDefault(src.bankId(), applied));
      out.add(new dev.haetae.moderation.api.observe.FollowerLag(src.bankId(), applied, known,
          lastApplied.getOrDefault(src.bankId(), java.time.Instant.EPOCH)));
    }
    return out;
  }

  /** The backend pid of the listening connection, or -1 when none is open (tests). */
  int listenerPid() {
    return listenerPid;
  }

  @Override
  public void close() {
    closed = true;
    thread.interrupt();
  }

  // ---------------------------------------------------------------- the thread

  private void run() {
    long nextPoll = System.nanoTime();
    try {
      while (!closed) {
        try {
          if (listen && listener == null && System.nanoTime() - nextListenAttempt >= 0) {
            openListener();
            if (listener != null) {
              nextPoll = System.nanoTime(); // catch up with what was missed while not listening
            }
          }
          long wait = Math.max(1, (nextPoll - System.nanoTime()) / 1_000_000);
          waitForNotifications((int) Math.min(wait, WAIT_SLICE_MS));
          if (System.nanoTime() - nextPoll >= 0) {
            nextPoll = System.nanoTime() + pollNanos;
            awaitedDirty = !awaited.isEmpty();
            poll();
          }
          if (awaitedDirty || lookForAwaited) {
            awaitedDirty = false;
            lookForAwaited = false;
            connectAwaited();
          }
          refreshDirty();
        } catch (RuntimeException e) {
          failed("following the banks", e);
          sleep(WAIT_SLICE_MS);
        }
      }
    } finally {
      closeListener();
    }
  }

  private void openListener() {
    Connection c = null;
    try {
      c = pg.connection();
      c.setAutoCommit(true);
      try (Statement st = c.createStatement()) {
        st.execute("LISTEN " + channel);
        try (ResultSet rs = st.executeQuery("SELECT pg_backend_pid()")) {
          rs.next();
          listenerPid = rs.getInt(1);
        }
      }
      listener = c;
      listenRetryMs = FIRST_RETRY_MS;
      LOG.debug("listening on {} (backend {})", channel, listenerPid);
    } catch (RuntimeException | SQLException e) {
      closeQuietly(c);
      scheduleListenRetry();
      failed("listening for bank changes", e);
    }
  }

  private void waitForNotifications(int ms) {
    Connection c = listener;
    if (c == null) {
      sleep(ms);
      return;
    }
    PGNotification[] got;
    try {
      got = c.unwrap(PGConnection.class).getNotifications(ms);
    } catch (SQLException e) {
      failed("waiting for bank notifications", e);
      closeListener();
      scheduleListenRetry();
      return;
    }
    if (got == null) {
      return;
    }
    Map<String, PgBankSource> s = sources;
    for (PGNotification n : got) {
      // payload "<bank id> <last change id>"
      String p = n.getParameter();
      int sp = p.indexOf(' ');
      if (sp < 0) {
        continue;
      }
      PgBankSource src = s.get(p.substring(0, sp));
      if (src == null) {
        awaitedDirty |= awaited.containsKey(p.substring(0, sp));
        continue;
      }
      try {
        long id = Long.parseLong(p.substring(sp + 1));
        newest.merge(src.bankId(), id, Math::max);
        if (id > src.position()) {
          dirty.add(src.bankId());
        }
      } catch (NumberFormatException e) {
        dirty.add(src.bankId());
      }
    }
  }

  /** Connects the awaited banks that exist now; the others stay awaited. */
  private void connectAwaited() {
    if (awaited.isEmpty()) {
      return;
    }
    Map<String, String> categories = new LinkedHashMap<>();
    try (Connection c = pg.connection();
        PreparedStatement q = c.prepareStatement("SELECT bank_id, category FROM hash_bank WHERE bank_id = ANY(?)")) {
      q.setArray(1, c.createArrayOf("text", awaited.keySet().toArray()));
      try (ResultSet rs = q.executeQuery()) {
        while (rs.next()) {
          categories.put(rs.getString(1), rs.getString(2));
        }
      }
    } catch (SQLException e) {
      throw Jdbc.unavailable("looking for banks to follow", e);
    }
    for (Map.Entry<String, String> e : categories.entrySet()) {
      Function<Category, BankConfig> config = awaited.get(e.getKey());
      if (config == null || closed) {
        continue;
      }
      connect(config.apply(Category.fromWire(e.getValue())));
      awaited.remove(e.getKey());
      LOG.debug("following bank {} of schema {} from now on", e.getKey(), pg.schema());
    }
  }

  /** Marks every bank whose last change is past what was applied. */
  private void poll() {
    checkListener();
    Map<String, PgBankSource> s = sources;
    if (s.isEmpty()) {
      return;
    }
    try (Connection c = pg.connection();
        PreparedStatement q = c.prepareStatement(
            "SELECT bank_id, last_change FROM hash_bank WHERE bank_id = ANY(?)")) {
      q.setArray(1, c.createArrayOf("text", s.keySet().toArray()));
      try (ResultSet rs = q.executeQuery()) {
        while (rs.next()) {
          PgBankSource src = s.get(rs.getString(1));
          if (src != null) {
            newest.merge(src.bankId(), rs.getLong(2), Math::max);
          }
          if (src != null && rs.getLong(2) != src.position()) {
            dirty.add(src.bankId());
          }
        }
      }
    } catch (SQLException e) {
      throw Jdbc.unavailable("polling the banks' last changes", e);
    }
    if (dirty.isEmpty()) {
      recovered(); // otherwise the refresh says whether it did
    }
  }

  /** A listening connection that died without a word (no reset) is noticed at the next poll. */
  private void checkListener() {
    Connection c = listener;
    if (c == null) {
      return;
    }
    try (Statement st = c.createStatement()) {
      st.execute("SELECT 1");
    } catch (SQLException e) {
      failed("checking the listening connection", e);
      closeListener();
      scheduleListenRetry();
    }
  }

  private void refreshDirty() {
    if (dirty.isEmpty()) {
      return;
    }
    List<String> todo = new ArrayList<>(dirty);
    dirty.clear();
    for (String id : todo) {
      if (closed) {
        return;
      }
      PgBankSource src = sources.get(id);
      synchronized (refreshLock) {
        try {
          long before = src.position();
          banks.refresh(id);
          banks.shareVersionCounter(id, src.position());
          if (src.position() != before) {
            lastApplied.put(id, java.time.Instant.now());
          }
        } catch (RuntimeException e) {
          // the next poll finds the bank behind and tries again
          failed("refreshing bank " + id, e);
          return;
        }
      }
    }
    recovered();
  }

  private void failed(String what, Exception e) {
    if (closed) {
      return;
    }
    if (!failing) {
      failing = true;
      LOG.warn("bank follower on schema {}: {} failed, retrying (next failures at debug level until it"
          + " recovers): {}", pg.schema(), what, e.toString());
    } else {
      LOG.debug("bank follower on schema {}: {} failed again: {}", pg.schema(), what, e.toString());
    }
  }

  private void recovered() {
    if (failing) {
      failing = false;
      LOG.info("bank follower on schema {}: recovered", pg.schema());
    }
  }

  private void scheduleListenRetry() {
    nextListenAttempt = System.nanoTime() + listenRetryMs * 1_000_000;
    listenRetryMs = Math.min(listenRetryMs * 2, Math.max(FIRST_RETRY_MS, pollNanos / 1_000_000));
  }

  private void closeListener() {
    Connection c = listener;
    listener = null;
    listenerPid = -1;
    if (c != null) {
      try (Statement st = c.createStatement()) {
        st.execute("UNLISTEN *"); // the connection goes back to the pool
      } catch (SQLException e) {
        // broken: the pool discards it
      }
      closeQuietly(c);
    }
  }

  private static void closeQuietly(Connection c) {
    if (c != null) {
      try {
        c.close();
      } catch (SQLException e) {
        // nothing to do
      }
    }
  }

  private void sleep(long ms) {
    try {
      Thread.sleep(ms);
    } catch (InterruptedException e) {
      // close() interrupts; the loop checks closed
    }
  }
}
