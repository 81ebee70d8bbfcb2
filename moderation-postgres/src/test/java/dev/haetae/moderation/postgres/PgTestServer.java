package dev.haetae.moderation.postgres;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Locale;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;

/**
 * The PostgreSQL server the integration tests use: {@code HAETAE_PG_URL} (with {@code
 * HAETAE_PG_USER}/{@code HAETAE_PG_PASSWORD}) or, by default, the one {@code .ci/postgres.sh start}
 * runs on 127.0.0.1, port {@code HAETAE_PG_PORT} (default 54329; the script reads the same
 * variable). Each test class works in a fresh schema of its own.
 */
final class PgTestServer {
  private static volatile String problem;
  private static volatile boolean probed;
  private static volatile boolean warned;

  private PgTestServer() {}

  static String url() {
    String env = System.getenv("HAETAE_PG_URL");
    if (env != null && !env.isBlank()) {
      return env;
    }
    String port = System.getenv("HAETAE_PG_PORT");
    return "jdbc:postgresql://127.0.0.1:" + (port == null || port.isBlank() ? "54329" : port)
        + "/haetae_test";
  }

  static String user() {
    String env = System.getenv("HAETAE_PG_USER");
    return env == null || env.isBlank() ? "haetae" : env;
  }

  static String password() {
    return System.getenv("HAETAE_PG_PASSWORD");
  }

  static boolean required() {
    return "1".equals(System.getenv("HAETAE_PG_REQUIRED"));
  }

  /** Null when a server answers; otherwise why not. Probed once per JVM. */
  static synchronized String problem() {
    if (!probed) {
      probed = true;
      try (Connection c = DriverManager.getConnection(url(), user(), password())) {
        c.isValid(5);
      } catch (SQLException e) {
        problem = "no PostgreSQL reachable at " + url() + " (" + e.getMessage() + ")";
      }
    }
    if (problem != null && !warned && !required()) {
      warned = true;
      System.err.println("[haetae] PostgreSQL integration tests SKIPPED: " + problem
          + ". Run `bash .ci/postgres.sh start` to include them.");
    }
    return problem;
  }

  /** A fresh schema name, unique per call. */
  static String freshSchema(String prefix) {
    return ("t_" + prefix + "_" + Long.toString(ThreadLocalRandom.current().nextLong() >>> 1, 36))
        .toLowerCase(Locale.ROOT);
  }

  /** A migrated {@link HaetaePostgres} on a fresh schema. */
  static HaetaePostgres open(String prefix) {
    return open(prefix, freshSchema(prefix));
  }

  /** A migrated {@link HaetaePostgres} on the given schema (e.g. a second "instance"). */
  static HaetaePostgres open(String prefix, String schema) {
    HaetaePostgres.Builder b = HaetaePostgres.builder().jdbcUrl(url()).schema(schema).maxPoolSize(8);
    b.credentials(user(), password());
    return b.build();
  }

  /** Drops a schema and everything in it. */
  static void drop(String schema) {
    try (Connection c = DriverManager.getConnection(url(), user(), password());
        Statement st = c.createStatement()) {
      st.execute("DROP SCHEMA IF EXISTS " + schema + " CASCADE");
    } catch (SQLException e) {
      throw new IllegalStateException("dropping test schema " + schema, e);
    }
  }

  /** Whether this JVM may restart the server: only the one {@code .ci/postgres.sh} manages. */
  static boolean canRestart() {
    return (System.getenv("HAETAE_PG_URL") == null || System.getenv("HAETAE_PG_URL").isBlank())
        && Files.isRegularFile(script());
  }

  /** Restarts the local server (fast shutdown: open connections are cut) and waits until it is up. */
  static void restart() {
    run("restart");
  }

  /** Stops the local server. */
  static void stop() {
    run("stop");
  }

  /** Starts the local server. */
  static void start() {
    run("start");
  }

  private static Path script() {
    // Surefire runs in the module directory; the script sits at the repository root.
    return Path.of("").toAbsolutePath().resolveSibling(".ci").resolve("postgres.sh");
  }

  private static void run(String command) {
    try {
      // Not inheritIO: the forked test JVM's stdout is Surefire's channel.
      Path out = Files.createTempFile("postgres-sh", ".log");
      try {
        Process p = new ProcessBuilder("bash", script().toString(), command)
            .redirectErrorStream(true)
            .redirectOutput(out.toFile())
            .start();
        if (!p.waitFor(120, TimeUnit.SECONDS) || p.exitValue() != 0) {
          throw new IllegalStateException(
              "postgres.sh " + command + " failed: " + Files.readString(out).strip());
        }
      } finally {
        Files.deleteIfExists(out);
      }
    } catch (IOException e) {
      throw new IllegalStateException("cannot run postgres.sh " + command, e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted running postgres.sh " + command, e);
    }
  }

  /**
   * Polls until {@code condition} holds, failing after two minutes. For state that another process
   * (the database, a follower's notification thread) changes, which a test cannot latch onto.
   */
  static void await(String what, java.util.function.BooleanSupplier condition) throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError("not within two minutes: " + what);
      }
      Thread.sleep(10);
    }
  }

  /** Waits until {@code value} reaches {@code target}, failing after two minutes. */
  static void awaitAtLeast(String what, java.util.function.IntSupplier value, int target)
      throws InterruptedException {
    await(what + " (" + target + ")", () -> value.getAsInt() >= target);
  }

  /** Waits until the server takes connections again (after a start it may still be recovering). */
  static void awaitAccepting() throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
    while (true) {
      try (Connection c = DriverManager.getConnection(url(), user(), password())) {
        if (c.isValid(5)) {
          return;
        }
      } catch (SQLException e) {
        if (System.nanoTime() > deadline) {
          throw new IllegalStateException("the PostgreSQL server did not come back after a restart", e);
        }
      }
      Thread.sleep(100);
    }
  }
}
