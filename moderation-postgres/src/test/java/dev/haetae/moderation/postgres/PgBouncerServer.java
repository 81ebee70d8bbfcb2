package dev.haetae.moderation.postgres;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.concurrent.TimeUnit;

/**
 * PgBouncer in transaction mode in front of the test server, as {@code .ci/postgres.sh
 * pgbouncer-start} runs it: 127.0.0.1, port {@code HAETAE_PGBOUNCER_PORT} (default the server's port
 * + 10000), role {@code haetae_bouncer} whose default search_path is the schema {@link #SCHEMA}.
 * When nothing answers there and the script manages the local server, the first probe starts it
 * (the script installs Debian's package when missing).
 */
final class PgBouncerServer {
  /** The one schema the bouncer role reaches (its default search_path). */
  static final String SCHEMA = "haetae_bouncer";
  static final String USER = "haetae_bouncer";
  private static volatile String problem;
  private static volatile boolean probed;

  private PgBouncerServer() {}

  static String url() {
    String port = System.getenv("HAETAE_PGBOUNCER_PORT");
    if (port == null || port.isBlank()) {
      String pg = System.getenv("HAETAE_PG_PORT");
      port = Integer.toString(Integer.parseInt(pg == null || pg.isBlank() ? "54329" : pg) + 10_000);
    }
    return "jdbc:postgresql://127.0.0.1:" + port + "/haetae_test";
  }

  static boolean required() {
    return "1".equals(System.getenv("HAETAE_PGBOUNCER_REQUIRED"));
  }

  /** Null when PgBouncer answers; otherwise why not. Probed (and started if possible) once per JVM. */
  static synchronized String problem() {
    if (!probed) {
      probed = true;
      problem = probe();
      if (problem != null && PgTestServer.problem() == null && PgTestServer.canRestart()) {
        String started = start();
        problem = started != null ? problem + "; " + started : probe();
      }
    }
    return problem;
  }

  private static String probe() {
    try (Connection c = DriverManager.getConnection(url(), USER, null)) {
      c.isValid(5);
      return null;
    } catch (SQLException e) {
      return "no PgBouncer reachable at " + url() + " (" + e.getMessage() + ")";
    }
  }

  private static String start() {
    Path script = Path.of("").toAbsolutePath().resolveSibling(".ci").resolve("postgres.sh");
    try {
      Path out = Files.createTempFile("pgbouncer-sh", ".log");
      try {
        Process p = new ProcessBuilder("bash", script.toString(), "pgbouncer-start")
            .redirectErrorStream(true).redirectOutput(out.toFile()).start();
        if (!p.waitFor(300, TimeUnit.SECONDS) || p.exitValue() != 0) {
          return "postgres.sh pgbouncer-start failed: " + Files.readString(out).strip();
        }
        return null;
      } finally {
        Files.deleteIfExists(out);
      }
    } catch (IOException e) {
      return "cannot run postgres.sh pgbouncer-start: " + e;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return "interrupted starting pgbouncer";
    }
  }

  /** Drops the bouncer's schema (directly on the server) and migrates it afresh through PgBouncer. */
  static HaetaePostgres fresh(long partitionRecords) {
    PgTestServer.drop(SCHEMA);
    HaetaePostgres.Builder b = builder();
    if (partitionRecords > 0) {
      b.logPartitionRecords(partitionRecords);
    }
    return b.build();
  }

  /** A builder through PgBouncer, in transaction-pooling mode. */
  static HaetaePostgres.Builder builder() {
    return HaetaePostgres.builder().jdbcUrl(url()).credentials(USER, null).schema(SCHEMA).maxPoolSize(8)
        .transactionPooling(true);
  }

  /** Runs a statement on the server directly (not through PgBouncer), as the test server's user. */
  static void direct(String sql) throws SQLException {
    try (Connection c = DriverManager.getConnection(PgTestServer.url(), PgTestServer.user(), PgTestServer.password());
        Statement st = c.createStatement()) {
      st.execute(sql);
    }
  }
}
