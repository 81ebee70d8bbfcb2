package dev.haetae.moderation.postgres;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.haetae.moderation.api.DecisionLogException;
import dev.haetae.moderation.core.audit.AuditLog;
import dev.haetae.moderation.core.audit.EngineLog;
import dev.haetae.moderation.core.audit.LogEntry;
import dev.haetae.moderation.core.audit.Retention;
import dev.haetae.moderation.core.audit.VerificationReport;
import dev.haetae.moderation.core.legal.Instrument;
import dev.haetae.moderation.core.legal.JurisdictionProfiles;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Retention on a partitioned shard: plan, signed prune record, dropped partitions, verify across the prune. */
@RequiresPostgres
class PgRetentionTest {
  private static final Instant T0 = Instant.parse("2026-05-01T08:00:00Z");
  private static final Collection<Instrument> INSTRUMENTS = JurisdictionProfiles.bundled().instruments().values();
  private static String schema;
  private static HaetaePostgres pg;
  private static KeyPair keys;

  @BeforeAll
  static void open() throws Exception {
    schema = PgTestServer.freshSchema("ret");
    pg = HaetaePostgres.builder().jdbcUrl(PgTestServer.url()).credentials(PgTestServer.user(), PgTestServer.password())
        .schema(schema).logPartitionRecords(10).maxPoolSize(4).build();
    keys = KeyPairGenerator.getInstance("Ed25519").generateKeyPair();
  }

  @AfterAll
  static void close() {
    if (pg != null) {
      pg.close();
      PgTestServer.drop(schema);
    }
  }

  /** Appends records from/to (exclusive), decision i at T0 + i hours. */
  private static void append(String shard, int from, int to) {
    try (EngineLog log = pg.decisionLogShard(shard).logBuilder().pseudonymizer(LogRequests.KEY).maxBatch(7).build()) {
      for (int i = from; i < to; i++) {
        assertEquals(i, log.append(PgDecisionLogTest.evidence(i * 3600), PgDecisionLogTest.decision(i * 3600)));
      }
    }
  }

  private static List<Long> seqs(DecisionLogShard shard) {
    List<Long> out = new ArrayList<>();
    shard.forEachEntry(e -> out.add(e.seq()));
    return out;
  }

  private static void sql(String statement) throws Exception {
    try (Connection c = pg.connection(); Statement st = c.createStatement()) {
      st.execute(statement);
    }
  }

  private static String firstPartition(String shard) throws Exception {
    try (Connection c = pg.connection(); Statement st = c.createStatement();
        ResultSet rs = st.executeQuery("SELECT table_name FROM decision_log_partition WHERE shard = '" + shard
            + "' ORDER BY first_seq LIMIT 1")) {
      rs.next();
      return rs.getString(1);
    }
  }

  @Test
  void pruneDropsWholeOldPartitionsAndVerifyChecksTheChainAcrossIt(@TempDir Path export) throws Exception {
    DecisionLogShard shard = pg.decisionLogShard("prune-ok");
    append("prune-ok", 0, 45);
    Instant now = T0.plus(Duration.ofDays(3650));
    Retention.Plan plan = shard.planRetention(INSTRUMENTS, Duration.ZERO, now);
    assertEquals(4, plan.removable().size(), plan.toString());
    assertEquals(List.of(0L, 10L, 20L, 30L), plan.removable().stream().map(Retention.Segment::firstSeq).toList());
    assertTrue(plan.keptBecause().contains("last segment"), plan.keptBecause());
    // a plan that is too young keeps everything
    assertEquals(List.of(), shard.planRetention(INSTRUMENTS, Duration.ZERO, T0.plus(Duration.ofDays(30))).removable());

    assertEquals(4, shard.prune(plan, "retention", keys, now));
    VerificationReport r = shard.verify();
    assertTrue(r.ok(), r.toString());
    assertEquals(5, r.records());
    assertTrue(r.notes().stream().anyMatch(n -> n.contains("records 0..39") && n.contains("pruned")), r.notes().toString());
    assertEquals(List.of(40L, 41L, 42L, 43L, 44L), seqs(shard));
    // the partitions are gone, not emptied
    assertEquals(0, PgPartitionsTest.count(pg, "SELECT count(*) FROM decision_log_partition WHERE shard = 'prune-ok'"
        + " AND first_seq < 40"));
    // the chain goes on, and an export verifies with the file log's own rules
    append("prune-ok", 45, 52);
    assertTrue(shard.verify().ok());
    assertEquals(12, shard.exportTo(export));
    VerificationReport exported = AuditLog.open(export).verify();
    assertTrue(exported.ok(), exported.toString());
    // a plan made before is refused once the head has moved
    IllegalStateException stale = assertThrows(IllegalStateException.class,
        () -> shard.prune(plan, "retention", keys, now));
    assertTrue(stale.getMessage().contains("plan"), stale.getMessage());
  }

  @Test
  void aPartitionDroppedWithoutAPruneRecordIsAMissingRecord() throws Exception {
    DecisionLogShard shard = pg.decisionLogShard("dropped");
    append("dropped", 0, 25);
    String p = firstPartition("dropped");
    sql("ALTER TABLE decision_log DETACH PARTITION " + p);
    sql("DROP TABLE " + p);
    VerificationReport r = shard.verify();
    assertFalse(r.ok());
    VerificationReport.Problem problem = r.firstProblem().orElseThrow();
    assertEquals(VerificationReport.Kind.MISSING_RECORD, problem.kind());
    assertEquals(0, problem.seq());
    assertTrue(problem.message().contains("no prune record covers them"), problem.message());
    DecisionLogException e = assertThrows(DecisionLogException.class, () -> shard.forEachEntry(x -> { }));
    assertTrue(e.getMessage().contains("seq 0"), e.getMessage());
  }

  @Test
  void aTamperedPruneRecordIsABadPruneRecord() throws Exception {
    DecisionLogShard shard = pg.decisionLogShard("tampered");
    append("tampered", 0, 35);
    Instant now = T0.plus(Duration.ofDays(3650));
    assertEquals(3, shard.prune(shard.planRetention(INSTRUMENTS, Duration.ZERO, now), "retention", keys, now));
    assertTrue(shard.verify().ok());
    // the cutoff rewritten after signing
    sql("UPDATE decision_log_prune SET line = convert_to(replace(convert_from(line, 'UTF8'), '\"cutoff\":\"20',"
        + " '\"cutoff\":\"21'), 'UTF8') WHERE shard = 'tampered'");
    VerificationReport r = shard.verify();
    assertEquals(VerificationReport.Kind.BAD_PRUNE_RECORD, r.firstProblem().orElseThrow().kind(), r.toString());
    // signed by a key the shard does not hold
    KeyPair other = KeyPairGenerator.getInstance("Ed25519").generateKeyPair();
    DecisionLogShard second = pg.decisionLogShard("tampered-key");
    append("tampered-key", 0, 25);
    assertEquals(2, second.prune(second.planRetention(INSTRUMENTS, Duration.ZERO, now), "retention", keys, now));
    sql("UPDATE decision_log_key SET line = convert_to(replace(convert_from(line, 'UTF8'), '"
        + java.util.Base64.getEncoder().encodeToString(keys.getPublic().getEncoded()) + "', '"
        + java.util.Base64.getEncoder().encodeToString(other.getPublic().getEncoded())
        + "'), 'UTF8') WHERE shard = 'tampered-key'");
    assertEquals(VerificationReport.Kind.BAD_PRUNE_RECORD, second.verify().firstProblem().orElseThrow().kind());
  }

  /**
   * Property: over seeded rounds of appends (each through a new writer) and prunes at advancing
   * instants, the shard verifies after every round, its records run without a gap to the last one
   * appended, and what was pruned is whole partitions only.
   */
  @Test
  void roundsOfAppendsAndPrunesAlwaysVerify() {
    int seeds = Integer.getInteger("haetae.fuzz.scale", 1) * 4;
    int prunedInAll = 0;
    for (long seed = 1; seed <= seeds; seed++) {
      Random random = new Random(seed);
      String name = "rounds-" + seed;
      DecisionLogShard shard = pg.decisionLogShard(name);
      int appended = 0;
      for (int round = 0; round < 4; round++) {
        int n = 1 + random.nextInt(30);
        append(name, appended, appended + n);
        appended += n;
        // plan at an instant between the first and the last record's time plus the longest minimum
        Instant now = T0.plus(Duration.ofDays(1096)).plus(Duration.ofHours(random.nextInt(appended + 1)));
        Retention.Plan plan = shard.planRetention(INSTRUMENTS, Duration.ZERO, now);
        for (Retention.Segment s : plan.removable()) {
          assertEquals(0, s.firstSeq() % 10, "seed " + seed + ": " + s);
          assertEquals(9, s.lastSeq() % 10, "seed " + seed + ": " + s);
          assertTrue(s.newest().isBefore(plan.cutoff()), "seed " + seed + ": " + s);
        }
        prunedInAll += shard.prune(plan, "retention", keys, now);
        VerificationReport r = shard.verify();
        assertTrue(r.ok(), "seed " + seed + " round " + round + ": " + r);
        List<Long> seqs = seqs(shard);
        assertFalse(seqs.isEmpty(), "seed " + seed + ": the open partition always stays");
        assertEquals(appended - 1, (long) seqs.get(seqs.size() - 1));
        for (int i = 1; i < seqs.size(); i++) {
          assertEquals(seqs.get(i - 1) + 1, (long) seqs.get(i), "seed " + seed);
        }
        assertEquals(0, seqs.get(0) % 10, "seed " + seed + ": the records kept start at a partition");
      }
    }
    assertTrue(prunedInAll > 3, "the rounds pruned " + prunedInAll + " partitions in all");
  }

  @Test
  void entriesAreReadOnlyFromTheRecordsKept() {
    DecisionLogShard shard = pg.decisionLogShard("readers");
    append("readers", 0, 23);
    Instant now = T0.plus(Duration.ofDays(3650));
    shard.prune(shard.planRetention(INSTRUMENTS, Duration.ZERO, now), "retention", keys, now);
    List<LogEntry> entries = new ArrayList<>();
    assertEquals(3, shard.forEachEntry(entries::add));
    assertEquals(20, entries.get(0).seq());
    assertEquals(3, shard.forEach(r -> { }));
  }

  /**
   * Fuzz: seeded mutations of a stored prune record (flipped, cut, inserted and replaced bytes,
   * other JSON) give {@code verify} a report, never an exception, and the readers either read the
   * records kept or throw the documented {@link DecisionLogException}; most mutations are rejected.
   * 60 cases, times {@code haetae.fuzz.scale} (50 with {@code -Plong-fuzz}).
   */
  @Test
  void mangledPruneRecordsGiveReportsOrTheDocumentedException() throws Exception {
    DecisionLogShard shard = pg.decisionLogShard("fuzz");
    append("fuzz", 0, 25);
    Instant now = T0.plus(Duration.ofDays(3650));
    shard.prune(shard.planRetention(INSTRUMENTS, Duration.ZERO, now), "retention", keys, now);
    byte[] original;
    try (Connection c = pg.connection(); Statement st = c.createStatement();
        ResultSet rs = st.executeQuery("SELECT line FROM decision_log_prune WHERE shard = 'fuzz'")) {
      rs.next();
      original = rs.getBytes(1);
    }
    int cases = Integer.getInteger("haetae.fuzz.scale", 1) * 60;
    Random random = new Random(23);
    int rejected = 0;
    for (int i = 0; i < cases; i++) {
      byte[] line = mutate(original, random);
      try (Connection c = pg.connection();
          java.sql.PreparedStatement ps = c.prepareStatement("UPDATE decision_log_prune SET line = ? WHERE shard = 'fuzz'")) {
        ps.setBytes(1, line);
        ps.executeUpdate();
      }
      VerificationReport r = shard.verify();
      if (!r.ok()) {
        rejected++;
      } else {
        assertEquals(5, r.records(), "case " + i);
      }
      try {
        shard.forEachEntry(e -> { });
      } catch (DecisionLogException expected) {
        // documented
      }
    }
    assertTrue(rejected > cases / 2, rejected + " of " + cases + " mutations rejected");
  }

  private static byte[] mutate(byte[] in, Random r) {
    byte[] b = in.clone();
    switch (r.nextInt(5)) {
      case 0 -> {
        int n = 1 + r.nextInt(4);
        for (int k = 0; k < n; k++) {
          b[r.nextInt(b.length)] ^= (byte) (1 << r.nextInt(8));
        }
        return b;
      }
      case 1 -> {
        return java.util.Arrays.copyOf(b, r.nextInt(b.length));
      }
      case 2 -> {
        byte[] junk = new byte[1 + r.nextInt(16)];
        r.nextBytes(junk);
        int at = r.nextInt(b.length);
        byte[] out = new byte[b.length + junk.length];
        System.arraycopy(b, 0, out, 0, at);
        System.arraycopy(junk, 0, out, at, junk.length);
        System.arraycopy(b, at, out, at + junk.length, b.length - at);
        return out;
      }
      case 3 -> {
        String[] other = {"{}", "[]", "null", "{\"v\":1,\"to\":-5,\"last_hash\":\"x\"}", "{\"v\":1,\"to\":9e99}", "\"\"",
            "{\"v\":1,\"log\":\"a\",\"from\":0,\"to\":9,\"first_hash\":\"" + "0".repeat(64) + "\",\"last_hash\":\""
                + "0".repeat(64) + "\",\"segments\":[],\"rule\":\"r\",\"cutoff\":\"2020-01-01T00:00:00Z\",\"at\":"
                + "\"2020-01-01T00:00:00Z\",\"kid\":\"retention\",\"alg\":\"Ed25519\",\"sig\":\"AAAA\"}"};
        return other[r.nextInt(other.length)].getBytes(java.nio.charset.StandardCharsets.UTF_8);
      }
      default -> {
        String s = new String(b, java.nio.charset.StandardCharsets.UTF_8);
        String[] keys = {"\"to\":", "\"from\":", "\"last_hash\":\"", "\"kid\":\"", "\"sig\":\""};
        String k = keys[r.nextInt(keys.length)];
        int at = s.indexOf(k);
        return (s.substring(0, at + k.length()) + (char) ('0' + r.nextInt(10)) + s.substring(at + k.length()))
            .getBytes(java.nio.charset.StandardCharsets.UTF_8);
      }
    }
  }
}
