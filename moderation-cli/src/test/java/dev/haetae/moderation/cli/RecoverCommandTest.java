package dev.haetae.moderation.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.haetae.moderation.api.AccountId;
import dev.haetae.moderation.api.ContentEvent;
import dev.haetae.moderation.api.ContentId;
import dev.haetae.moderation.api.ContentKind;
import dev.haetae.moderation.api.LegalNotice;
import dev.haetae.moderation.api.NoticeSender;
import dev.haetae.moderation.api.RoomId;
import dev.haetae.moderation.api.StoreUnavailableException;
import dev.haetae.moderation.api.Surface;
import dev.haetae.moderation.api.spi.ObligationRecord;
import dev.haetae.moderation.api.spi.ObligationStore;
import dev.haetae.moderation.core.engine.ModerationEngine;
import dev.haetae.moderation.core.engine.ModerationEngineBuilder;
import dev.haetae.moderation.core.engine.PolicyIsolation;
import dev.haetae.moderation.core.engine.Stores;
import dev.haetae.moderation.core.store.InMemoryObligationStore;
import dev.haetae.moderation.postgres.HaetaePostgres;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.ThreadLocalRandom;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * {@code haetae recover}: listing a directory log's outbox, carrying a directory log's pending
 * decisions out on the PostgreSQL stores, listing and recovering a PostgreSQL log shard, and bad
 * options refused with a message and exit code 2 (with a seeded fuzz of option combinations: only
 * the documented exit codes, never a stack trace). The PostgreSQL cases run against the test server
 * of the PostgreSQL module ({@code HAETAE_PG_URL}, or {@code .ci/postgres.sh} on {@code
 * HAETAE_PG_PORT}); without one they are skipped, or fail when {@code HAETAE_PG_REQUIRED=1}.
 */
class RecoverCommandTest {
  private static final Instant T0 = Instant.parse("2026-11-21T10:00:00Z");
  private static final Map<String, String> TID = Map.of("signature", "s", "identification", "i", "location", "l",
      "good_faith_statement", "g", "contact", "c");
  private static final int CASES = Integer.getInteger("haetae.fuzz.cases", 200);

  private record Run(int exit, String out, String err) {}

  private static Run run(List<String> args) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    CommandLine cl = Haetae.commandLine();
    cl.setOut(new PrintWriter(out));
    cl.setErr(new PrintWriter(err));
    int exit = cl.execute(args.toArray(new String[0]));
    return new Run(exit, out.toString(), err.toString());
  }

  private static Run run(String... args) {
    return run(List.of(args));
  }

  // ---------------------------------------------------------------- the test server

  private static String url() {
    String env = System.getenv("HAETAE_PG_URL");
    if (env != null && !env.isBlank()) {
      return env;
    }
    String port = System.getenv("HAETAE_PG_PORT");
    return "jdbc:postgresql://127.0.0.1:" + (port == null || port.isBlank() ? "54329" : port) + "/haetae_test";
  }

  private static String user() {
    String env = System.getenv("HAETAE_PG_USER");
    return env == null || env.isBlank() ? "haetae" : env;
  }

  /** Skips (or, with HAETAE_PG_REQUIRED=1, fails) when no server answers. */
  private static void requirePostgres() {
    try (Connection c = DriverManager.getConnection(url(), user(), System.getenv("HAETAE_PG_PASSWORD"))) {
      c.isValid(5);
    } catch (SQLException e) {
      if ("1".equals(System.getenv("HAETAE_PG_REQUIRED"))) {
        throw new IllegalStateException("HAETAE_PG_REQUIRED is set but no PostgreSQL answers at " + url(), e);
      }
      Assumptions.assumeTrue(false, "SKIPPED: no PostgreSQL reachable at " + url()
          + "; start one with `bash .ci/postgres.sh start`");
    }
  }

  private static String freshSchema() {
    return "t_cli_" + Long.toString(ThreadLocalRandom.current().nextLong() >>> 1, 36).toLowerCase(Locale.ROOT);
  }

  private static void drop(String schema) throws SQLException {
    try (Connection c = DriverManager.getConnection(url(), user(), System.getenv("HAETAE_PG_PASSWORD"));
        Statement st = c.createStatement()) {
      st.execute("DROP SCHEMA IF EXISTS " + schema + " CASCADE");
    }
  }

  private static HaetaePostgres open(String schema) {
    return HaetaePostgres.builder().jdbcUrl(url()).schema(schema).maxPoolSize(4)
        .credentials(user(), System.getenv("HAETAE_PG_PASSWORD")).build();
  }

  private static List<String> withPg(String schema, String... args) {
    List<String> out = new ArrayList<>(List.of(args));
    out.addAll(List.of("--pg-url", url(), "--pg-user", user(), "--pg-schema", schema));
    if (System.getenv("HAETAE_PG_PASSWORD") != null) {
      out.addAll(List.of("--pg-password-env", "HAETAE_PG_PASSWORD"));
    }
    return out;
  }

  // ---------------------------------------------------------------- a pending decision

  /** An obligation store whose writes fail: a notice's decision is logged, and stays pending. */
  private static ObligationStore refusingWrites() {
    InMemoryObligationStore reads = new InMemoryObligationStore();
    return new ObligationStore() {
      @Override
      public ObligationRecord open(ObligationRecord o) {
        throw new StoreUnavailableException("the obligation store is away (simulated)", null);
      }

      @Override
      public Optional<ObligationRecord> find(String id) {
        return reads.find(id);
      }

      @Override
      public List<ObligationRecord> openFor(ContentId content) {
        return reads.openFor(content);
      }

      @Override
      public List<ObligationRecord> due(Instant now, int max) {
        return reads.due(now, max);
      }

      @Override
      public void update(ObligationRecord o) {
        throw new StoreUnavailableException("the obligation store is away (simulated)", null);
      }

      @Override
      public List<ObligationRecord> all() {
        return reads.all();
      }
    };
  }

  private static ModerationEngineBuilder engine(Stores stores) {
    return ModerationEngine.builder().stores(stores.withObligations(refusingWrites()))
        .policyIsolation(PolicyIsolation.INLINE);
  }

  /** Uploads c1, then takes a TAKE IT DOWN notice on it whose plan cannot be applied: one decision is pending. */
  private static void leaveOnePending(ModerationEngine engine) {
    engine.evaluate(ContentEvent.upload(ContentId.of("c1"), AccountId.of("u1"), RoomId.of("r1"), Surface.GROUP,
        ContentKind.FILE, "bytes".getBytes(StandardCharsets.UTF_8)));
    assertThrows(StoreUnavailableException.class, () -> engine.evaluate(new LegalNotice("n1", "US-TAKE-IT-DOWN",
        ContentId.of("c1"), NoticeSender.VICTIM, TID, T0)));
  }

  // ---------------------------------------------------------------- directory logs

  @Test
  void listsADirectoryLogsOutbox(@TempDir Path dir) {
    try (ModerationEngine e = engine(Stores.inMemory()).logDirectory(dir).build()) {
      leaveOnePending(e);
    }
    Run r = run("recover", dir.toString());
    assertEquals(1, r.exit(), r.err());
    assertTrue(r.out().contains("1 decision(s) pending") && r.out().contains("open_obligation"), r.out());
  }

  @Test
  void carriesADirectoryLogsPendingDecisionsOutOnPostgres(@TempDir Path dir) throws SQLException {
    requirePostgres();
    String schema = freshSchema();
    try {
      try (ModerationEngine e = engine(Stores.inMemory()).logDirectory(dir).build()) {
        leaveOnePending(e);
      }
      Run r = run(withPg(schema, "recover", dir.toString()));
      assertEquals(0, r.exit(), r.out() + r.err());
      assertTrue(r.out().contains("redelivered decision") && r.out().contains("(notice): remove"), r.out());
      assertTrue(r.out().contains("1 decision(s) carried out"), r.out());
      try (HaetaePostgres pg = open(schema)) {
        Stores s = pg.stores();
        assertEquals(List.of("US-TAKE-IT-DOWN:n1"), s.obligations().all().stream().map(ObligationRecord::id).toList(),
            "the plan's obligation is in the PostgreSQL store");
        assertTrue(s.memory().content(ContentId.of("c1")).isRemoved(), "the removal is in the shared memory");
      }
      Run after = run("recover", dir.toString());
      assertEquals(0, after.exit(), after.out());
      assertTrue(after.out().contains("0 decision(s) pending"), after.out());
    } finally {
      drop(schema);
    }
  }

  // ---------------------------------------------------------------- shards

  @Test
  void listsAndRecoversAShard() throws SQLException {
    requirePostgres();
    String schema = freshSchema();
    try {
      try (HaetaePostgres pg = open(schema);
          ModerationEngine e = engine(pg.stores()).decisionLog(pg.decisionLog("gone")).build()) {
        leaveOnePending(e);
      }
      Run listed = run(withPg(schema, "recover", "--shard", "gone", "--list"));
      assertEquals(1, listed.exit(), listed.out() + listed.err());
      assertTrue(listed.out().contains("1 decision(s) pending in shard:gone"), listed.out());

      Run recovered = run(withPg(schema, "recover", "--shard", "gone"));
      assertEquals(0, recovered.exit(), recovered.out() + recovered.err());
      assertTrue(recovered.out().contains("1 decision(s) carried out"), recovered.out());
      try (HaetaePostgres pg = open(schema)) {
        assertEquals(1, pg.stores().obligations().all().size());
        assertTrue(pg.decisionLog("gone").pending().isEmpty());
      }
      Run again = run(withPg(schema, "recover", "--shard", "gone", "--list"));
      assertEquals(0, again.exit(), again.out());
    } finally {
      drop(schema);
    }
  }

  // ---------------------------------------------------------------- bad options

  @Test
  void badOptionsAreRefusedWithAMessage(@TempDir Path dir) {
    String missing = dir.resolve("missing").toString();
    List<List<String>> cases = List.of(
        List.of("recover"),
        List.of("recover", dir.toString(), "--shard", "s1", "--pg-url", "jdbc:postgresql://localhost/x"),
        List.of("recover", "--shard", "s1"),
        List.of("recover", dir.toString(), "--list"),
        List.of("recover", dir.toString(), "--pg-user", "u"),
        List.of("recover", missing),
        List.of("recover", "--shard", "s1", "--pg-url", "jdbc:postgresql://localhost/x", "--pg-password-env", "P"),
        List.of("recover", "--shard", "s1", "--pg-url", "jdbc:postgresql://localhost/x", "--pg-user", "u",
            "--pg-password-env", "HAETAE_NO_SUCH_VARIABLE_14"),
        List.of("recover", "--shard", "s1", "--pg-url", "jdbc:postgresql://localhost/x", "--pg-schema", "Bad-Schema"));
    for (List<String> args : cases) {
      Run r = run(args);
      assertEquals(2, r.exit(), args + ": " + r.out() + r.err());
      assertTrue(r.err().startsWith("haetae recover: "), args + ": " + r.err());
      assertFalse(r.err().contains("\tat "), "no stack trace: " + r.err());
    }
  }

  /** Random combinations of the options and of bad values: only the documented exit codes, no stack trace. */
  @Test
  void randomOptionCombinationsGiveOnlyDocumentedOutcomes(@TempDir Path dir) throws Exception {
    Path empty = Files.createDirectories(dir.resolve("empty"));
    List<String> options = List.of("--shard", "--pg-url", "--pg-user", "--pg-password-env", "--pg-schema", "--list",
        "--progress", "--no-progress", "--bogus");
    List<String> values = List.of(empty.toString(), dir.resolve("missing").toString(), "s1", "", "-", "x y",
        "jdbc:nope:x", "not-a-url", "Bad-Schema", "haetae", "HAETAE_NO_SUCH_VARIABLE_14", "\u00e9\u0000");
    long seed = 14;
    Random rnd = new Random(seed);
    for (int i = 0; i < CASES; i++) {
      List<String> args = new ArrayList<>(List.of("recover"));
      int n = rnd.nextInt(6);
      for (int k = 0; k < n; k++) {
        if (rnd.nextBoolean()) {
          args.add(options.get(rnd.nextInt(options.size())));
        }
        args.add(values.get(rnd.nextInt(values.size())));
      }
      Run r = run(args);
      assertTrue(Set.of(0, 1, 2, 3).contains(r.exit()), "seed " + seed + " case " + i + " " + args + ": exit "
          + r.exit() + "\n" + r.err());
      assertFalse(r.err().contains("\tat ") || r.out().contains("\tat "), "seed " + seed + " case " + i + " "
          + args + ": a stack trace\n" + r.err());
    }
  }
}
