package dev.haetae.moderation.spring.boot;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import org.junit.jupiter.api.Assumptions;

/**
 * The PostgreSQL test server: {@code HAETAE_PG_URL} (with {@code HAETAE_PG_USER}/{@code
 * HAETAE_PG_PASSWORD}), or {@code .ci/postgres.sh}'s server on 127.0.0.1:{@code HAETAE_PG_PORT}
 * (default 54329). Without one the calling test is skipped with a message, or fails when {@code
 * HAETAE_PG_REQUIRED=1} (CI), as the other modules' PostgreSQL tests do.
 */
final class TestPostgres {
  private TestPostgres() {}

  static String url() {
    String env = System.getenv("HAETAE_PG_URL");
    if (env != null && !env.isBlank()) {
      return env;
    }
    String port = System.getenv("HAETAE_PG_PORT");
    return "jdbc:postgresql://127.0.0.1:" + (port == null || port.isBlank() ? "54329" : port) + "/haetae_test";
  }

  static String user() {
    String env = System.getenv("HAETAE_PG_USER");
    return env == null || env.isBlank() ? "haetae" : env;
  }

  static String password() {
    return System.getenv("HAETAE_PG_PASSWORD");
  }

  static void requireServer(String test) {
    try (Connection c = DriverManager.getConnection(url(), user(), password())) {
      c.isValid(5);
    } catch (SQLException e) {
      String why = "no PostgreSQL reachable at " + url() + " (" + e.getMessage() + ")";
      if ("1".equals(System.getenv("HAETAE_PG_REQUIRED"))) {
        throw new IllegalStateException("HAETAE_PG_REQUIRED is set but " + why, e);
      }
      System.err.println("[haetae] " + test + " SKIPPED: " + why);
      Assumptions.abort("SKIPPED: " + why + ". Start one with `bash .ci/postgres.sh start`.");
    }
  }

  static long count(String sql) throws SQLException {
    try (Connection c = DriverManager.getConnection(url(), user(), password()); Statement st = c.createStatement();
        var rs = st.executeQuery(sql)) {
      rs.next();
      return rs.getLong(1);
    }
  }

  static void drop(String schema) throws SQLException {
    try (Connection c = DriverManager.getConnection(url(), user(), password()); Statement st = c.createStatement()) {
      st.execute("DROP SCHEMA IF EXISTS " + schema + " CASCADE");
    }
  }
}
