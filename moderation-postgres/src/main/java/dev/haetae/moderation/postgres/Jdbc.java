package dev.haetae.moderation.postgres;

import dev.haetae.moderation.api.StoreUnavailableException;
import java.sql.Connection;
import java.sql.SQLException;

/** Transactions, retries and the mapping of driver failures to Haetae's exceptions. */
final class Jdbc {
  /** Attempts for a transaction that keeps failing on serialization or deadlock. */
  static final int MAX_ATTEMPTS = 20;

  private Jdbc() {}

  /** A transaction body. */
  @FunctionalInterface
  interface SqlWork<T> {
    T run(Connection c) throws SQLException;
  }

  static <T> T inTransaction(HaetaePostgres pg, String what, SqlWork<T> work) {
    SQLException last = null;
    for (int attempt = 1; attempt <= MAX_ATTEMPTS; attempt++) {
      try (Connection c = pg.connection()) {
        boolean auto = c.getAutoCommit();
        c.setAutoCommit(false);
        try {
          T result = work.run(c);
          c.commit();
          return result;
        } catch (SQLException | RuntimeException e) {
          rollbackQuietly(c, e);
          throw e;
        } finally {
          restoreQuietly(c, auto);
        }
      } catch (SQLException e) {
        if (retryable(e)) {
          last = e;
          backoff(attempt);
          continue;
        }
        throw unavailable(what, e);
      }
    }
    throw unavailable(what + " (gave up after " + MAX_ATTEMPTS + " conflicting attempts)", last);
  }

  /** Serialization failure or deadlock: the transaction can simply be run again. */
  static boolean retryable(SQLException e) {
    String state = e.getSQLState();
    return "40001".equals(state) || "40P01".equals(state);
  }

  static StoreUnavailableException unavailable(String what, SQLException e) {
    String state = e == null ? null : e.getSQLState();
    return new StoreUnavailableException(
        "PostgreSQL: " + what + " failed" + (state == null ? "" : " (SQLSTATE " + state + ")")
            + (e == null ? "" : ": " + e.getMessage()),
        e);
  }

  private static void rollbackQuietly(Connection c, Exception cause) {
    try {
      c.rollback();
    } catch (SQLException r) {
      cause.addSuppressed(r);
    }
  }

  private static void restoreQuietly(Connection c, boolean auto) {
    try {
      c.setAutoCommit(auto);
    } catch (SQLException ignored) {
      // The connection is broken; the pool discards it.
    }
  }

  private static void backoff(int attempt) {
    try {
      Thread.sleep(Math.min(50, attempt * 2L));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
