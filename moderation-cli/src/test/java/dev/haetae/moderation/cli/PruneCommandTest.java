package dev.haetae.moderation.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** {@code haetae prune LOG --dry-run}: the plan is printed, nothing changes, and bad options are usage errors. */
class PruneCommandTest {

  private static int run(StringWriter out, StringWriter err, String... args) {
    CommandLine cl = Haetae.commandLine();
    cl.setOut(new PrintWriter(out));
    cl.setErr(new PrintWriter(err));
    return cl.execute(args);
  }

  /** A new Ed25519 key pair as PKCS#8 and X.509 PEM files, as openssl writes them. */
  private static void writeKeyPair(Path priv, Path pub) throws Exception {
    java.security.KeyPair kp = java.security.KeyPairGenerator.getInstance("Ed25519").generateKeyPair();
    java.util.Base64.Encoder b64 = java.util.Base64.getMimeEncoder();
    Files.writeString(priv, "-----BEGIN PRIVATE KEY-----\n" + b64.encodeToString(kp.getPrivate().getEncoded())
        + "\n-----END PRIVATE KEY-----\n");
    Files.writeString(pub, "-----BEGIN PUBLIC KEY-----\n" + b64.encodeToString(kp.getPublic().getEncoded())
        + "\n-----END PUBLIC KEY-----\n");
  }

  private static List<String> files(Path dir) throws Exception {
    try (Stream<Path> s = Files.list(dir)) {
      return s.map(p -> p.getFileName().toString()).sorted().toList();
    }
  }

  @Test
  void aDryRunPrintsThePlanAndChangesNothing(@TempDir Path root) throws Exception {
    Path log = root.resolve("log");
    StringWriter err = new StringWriter();
    assertEquals(0, run(new StringWriter(), err, "simulate", "../examples/scenarios/quickstart.jsonl", "--log",
        log.toString()), err.toString());
    List<String> before = files(log);
    StringWriter out = new StringWriter();
    assertEquals(0, run(out, err, "prune", "--no-progress", log.toString(), "--dry-run", "--now",
        "2040-01-01T00:00:00Z"), err.toString());
    assertTrue(out.toString().contains("retention P1096D: max("), out.toString());
    assertTrue(out.toString().contains("0 segment(s) may go; kept from here: "), out.toString());
    assertTrue(out.toString().contains("the log's last segment"), out.toString());
    assertEquals(before, files(log));

    out = new StringWriter();
    assertEquals(0, run(out, err, "prune", "--no-progress", log.toString(), "--dry-run", "--keep", "P10000D"));
    assertTrue(out.toString().contains("retention P10000D"), out.toString());

    StringWriter usage = new StringWriter();
    assertEquals(2, run(new StringWriter(), usage, "prune", log.toString(), "--dry-run", "--keep", "5 years"));
    assertTrue(usage.toString().contains("ISO-8601"), usage.toString());
    assertEquals(2, run(new StringWriter(), new StringWriter(), "prune", log.toString()), "--dry-run or --apply");
    assertEquals(2, run(new StringWriter(), new StringWriter(), "prune", log.toString(), "--dry-run", "--apply"));
    assertEquals(2, run(new StringWriter(), new StringWriter(), "prune", log.toString(), "--apply"), "keys needed");
    assertEquals(2, run(new StringWriter(), new StringWriter(), "prune", log.toString(), "--dry-run", "--keep",
        "-P1D"));
  }

  @Test
  void applyPrunesThroughASignedRecordThatVerifyAccepts(@TempDir Path root) throws Exception {
    Path log = root.resolve("log");
    StringWriter err = new StringWriter();
    assertEquals(0, run(new StringWriter(), err, "simulate", "../examples/scenarios/quickstart.jsonl", "--log",
        log.toString()), err.toString());
    Path priv = root.resolve("retention.key");
    Path pub = root.resolve("retention.pub");
    writeKeyPair(priv, pub);
    StringWriter out = new StringWriter();
    assertEquals(0, run(out, err, "prune", "--no-progress", log.toString(), "--apply", "--key", priv.toString(),
        "--public", pub.toString(), "--now", "2040-01-01T00:00:00Z"), err.toString());
    // the quickstart log is one open segment: nothing goes, and the log still verifies
    assertTrue(out.toString().contains("0 segment(s) removed"), out.toString());
    assertEquals(0, run(new StringWriter(), err, "verify", "--no-progress", log.toString()), err.toString());
    StringWriter bad = new StringWriter();
    assertEquals(3, run(new StringWriter(), bad, "prune", log.toString(), "--apply", "--key", pub.toString(),
        "--public", pub.toString()));
    assertTrue(bad.toString().contains("cannot read the key pair"), bad.toString());
  }

  /** A PostgreSQL shard with small partitions: --dry-run lists partitions, --apply drops them, verify holds. */
  @Test
  void aPostgresShardIsPrunedByWholePartitions(@TempDir Path root) throws Exception {
    String port = System.getenv("HAETAE_PG_PORT");
    String url = System.getenv("HAETAE_PG_URL") != null && !System.getenv("HAETAE_PG_URL").isBlank()
        ? System.getenv("HAETAE_PG_URL")
        : "jdbc:postgresql://127.0.0.1:" + (port == null || port.isBlank() ? "54329" : port) + "/haetae_test";
    String user = System.getenv("HAETAE_PG_USER") == null ? "haetae" : System.getenv("HAETAE_PG_USER");
    try (java.sql.Connection c = java.sql.DriverManager.getConnection(url, user, System.getenv("HAETAE_PG_PASSWORD"))) {
      c.isValid(5);
    } catch (java.sql.SQLException e) {
      if ("1".equals(System.getenv("HAETAE_PG_REQUIRED"))) {
        throw e;
      }
      org.junit.jupiter.api.Assumptions.assumeTrue(false, "SKIPPED: no PostgreSQL at " + url);
    }
    String schema = "t_cli_prune_" + Long.toString(java.util.concurrent.ThreadLocalRandom.current().nextLong() >>> 1, 36);
    java.time.Instant t0 = java.time.Instant.parse("2020-01-01T00:00:00Z");
    try (dev.haetae.moderation.postgres.HaetaePostgres pg = dev.haetae.moderation.postgres.HaetaePostgres.builder()
        .jdbcUrl(url).credentials(user, System.getenv("HAETAE_PG_PASSWORD")).schema(schema).logPartitionRecords(10)
        .build()) {
      try (var log = pg.decisionLog("eu-1")) {
        for (int i = 0; i < 25; i++) {
          java.time.Instant at = t0.plusSeconds(i);
          log.append(new dev.haetae.moderation.api.Evidence(at, new dev.haetae.moderation.api.AccountEvent(
              dev.haetae.moderation.api.AccountId.of("a" + i), java.time.Instant.EPOCH, false, java.util.Optional.empty()),
              List.of(), java.util.Map.of("reputation", "rep-1")),
              new dev.haetae.moderation.api.Decision(dev.haetae.moderation.api.DecisionId.of("d" + i), at,
                  List.of(new dev.haetae.moderation.api.Action.Allow()), List.of(), java.util.Optional.empty(), List.of(),
                  List.of(), List.of()));
        }
      }
      Path priv = root.resolve("retention.key");
      Path pub = root.resolve("retention.pub");
      writeKeyPair(priv, pub);
      List<String> pgArgs = new java.util.ArrayList<>(List.of("--shard", "eu-1", "--pg-url", url, "--pg-user", user,
          "--pg-schema", schema, "--now", "2030-01-01T00:00:00Z", "--no-progress"));
      if (System.getenv("HAETAE_PG_PASSWORD") != null) {
        pgArgs.addAll(List.of("--pg-password-env", "HAETAE_PG_PASSWORD"));
      }
      StringWriter out = new StringWriter();
      StringWriter err = new StringWriter();
      List<String> dry = new java.util.ArrayList<>(List.of("prune", "--dry-run"));
      dry.addAll(pgArgs);
      assertEquals(0, run(out, err, dry.toArray(new String[0])), err.toString());
      assertTrue(out.toString().contains("2 partition(s) may go"), out.toString());
      assertEquals(25, pg.decisionLogShard("eu-1").verify().records(), "a dry run changes nothing");
      List<String> apply = new java.util.ArrayList<>(List.of("prune", "--apply", "--key", priv.toString(), "--public",
          pub.toString()));
      apply.addAll(pgArgs);
      out = new StringWriter();
      assertEquals(0, run(out, err, apply.toArray(new String[0])), err.toString());
      assertTrue(out.toString().contains("2 partition(s) of shard:eu-1 dropped"), out.toString());
      var report = pg.decisionLogShard("eu-1").verify();
      assertTrue(report.ok(), report.toString());
      assertEquals(5, report.records());
      // an export verifies with the CLI's verify, prune record included
      Path export = root.resolve("export");
      pg.decisionLogShard("eu-1").exportTo(export);
      assertEquals(0, run(new StringWriter(), err, "verify", "--no-progress", export.toString()), err.toString());
      // a LOG and a shard together, or a shard without a database, are usage errors
      assertEquals(2, run(new StringWriter(), new StringWriter(), "prune", "--dry-run", root.toString(), "--shard", "x",
          "--pg-url", url));
      assertEquals(2, run(new StringWriter(), new StringWriter(), "prune", "--dry-run", "--shard", "x"));
    } finally {
      try (java.sql.Connection c = java.sql.DriverManager.getConnection(url, user, System.getenv("HAETAE_PG_PASSWORD"));
          java.sql.Statement st = c.createStatement()) {
        st.execute("DROP SCHEMA IF EXISTS " + schema + " CASCADE");
      }
    }
  }
}
