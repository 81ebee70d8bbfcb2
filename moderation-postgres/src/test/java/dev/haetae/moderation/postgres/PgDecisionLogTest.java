package dev.haetae.moderation.postgres;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.haetae.moderation.api.AccountEvent;
import dev.haetae.moderation.api.AccountId;
import dev.haetae.moderation.api.Action;
import dev.haetae.moderation.api.Decision;
import dev.haetae.moderation.api.DecisionId;
import dev.haetae.moderation.api.Evidence;
import dev.haetae.moderation.api.spi.DecisionLog;
import dev.haetae.moderation.core.audit.AuditLog;
import dev.haetae.moderation.core.audit.DecisionLogs;
import dev.haetae.moderation.core.audit.ProgressListener;
import dev.haetae.moderation.core.audit.RecordFormat;
import dev.haetae.moderation.core.audit.ReplayReport;
import dev.haetae.moderation.core.audit.Replayer;
import dev.haetae.moderation.core.audit.VerificationReport;
import dev.haetae.moderation.core.engine.ModerationEngine;
import dev.haetae.moderation.core.engine.PolicyIsolation;
import dev.haetae.moderation.core.policy.PolicyPack;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

@RequiresPostgres
class PgDecisionLogTest {
  private static String schema;
  private static HaetaePostgres pg;

  @BeforeAll
  static void open() {
    schema = PgTestServer.freshSchema("log");
    pg = PgTestServer.open("log", schema);
  }

  @AfterAll
  static void close() {
    if (pg != null) {
      pg.close();
      PgTestServer.drop(schema);
    }
  }

  static Evidence evidence(int i) {
    return new Evidence(Instant.parse("2026-05-01T08:00:00Z").plusSeconds(i),
        new AccountEvent(AccountId.of("RAWID-account-" + i), Instant.EPOCH, false, Optional.empty()), List.of(),
        Map.of("reputation", "rep-1"));
  }

  static Decision decision(int i) {
    return new Decision(DecisionId.of("d" + i), Instant.parse("2026-05-01T08:00:00Z").plusSeconds(i),
        List.of(new Action.Allow()), List.of(), Optional.empty(), List.of(), List.of(), List.of());
  }

  private static Connection raw() throws SQLException {
    Connection c = DriverManager.getConnection(PgTestServer.url(), PgTestServer.user(), PgTestServer.password());
    c.setSchema(schema);
    return c;
  }

  @Test
  void twoInstancesWithSeparatePoolsAppendingToOneShardMakeOneGapFreeChain(@TempDir Path dir) throws Exception {
    int threadsPerInstance = 4;
    int each = 40;
    try (HaetaePostgres second = PgTestServer.open("log", schema);
        DecisionLog a = pg.decisionLog("shared", LogRequests.KEY);
        DecisionLog b = second.decisionLog("shared", LogRequests.KEY)) {
      ExecutorService pool = Executors.newFixedThreadPool(2 * threadsPerInstance);
      try {
        List<Future<List<Long>>> fs = new ArrayList<>();
        for (int t = 0; t < 2 * threadsPerInstance; t++) {
          DecisionLog log = t % 2 == 0 ? a : b;
          int base = t * each;
          fs.add(pool.submit(() -> {
            List<Long> got = new ArrayList<>();
            for (int i = base; i < base + each; i++) {
              got.add(log.append(evidence(i), decision(i)));
            }
            return got;
          }));
        }
        TreeSet<Long> seqs = new TreeSet<>();
        int total = 0;
        for (Future<List<Long>> f : fs) {
          List<Long> got = f.get();
          total += got.size();
          seqs.addAll(got);
        }
        assertEquals(total, seqs.size(), "a sequence number was given twice");
        assertEquals(0L, seqs.first());
        assertEquals(total - 1L, seqs.last(), "sequence numbers have gaps");
      } finally {
        pool.shutdownNow();
      }
    }
    DecisionLogShard shard = pg.decisionLogShard("shared");
    int total = 2 * threadsPerInstance * each;
    assertEquals(total, shard.size());
    VerificationReport v = shard.verify();
    assertTrue(v.ok(), v.toString());
    assertEquals(total, v.records());
    assertEquals(total, shard.exportTo(dir));
    VerificationReport exported = AuditLog.open(dir).verify();
    assertTrue(exported.ok(), exported.toString());
    assertEquals(total, exported.records());
    assertTrue(pg.decisionLogShards().contains("shared"));
  }

  @Test
  void appendsQueuedWhileATransactionRunsShareTheNextTransaction() throws Exception {
    PgDecisionLog log = (PgDecisionLog) pg.decisionLog("group", LogRequests.KEY);
    List<dev.haetae.moderation.api.observe.LogBatch> batches = new java.util.concurrent.CopyOnWriteArrayList<>();
    log.observe(new dev.haetae.moderation.api.observe.EngineListener() {
      @Override
      public void logBatchWritten(dev.haetae.moderation.api.observe.LogBatch batch) {
        batches.add(batch);
      }
    });
    log.append(evidence(0), decision(0)); // creates the head row
    assertEquals(1, log.transactions());
    ExecutorService pool = Executors.newFixedThreadPool(8);
    try (Connection holder = raw()) {
      holder.setAutoCommit(false);
      try (PreparedStatement ps =
          holder.prepareStatement("SELECT 1 FROM decision_log_head WHERE shard = 'group' FOR UPDATE")) {
        ps.executeQuery().close();
      }
      // The first append's transaction now waits for the head row; the other seven queue behind it.
      List<Future<Long>> fs = new ArrayList<>();
      for (int t = 1; t <= 8; t++) {
        int i = t;
        fs.add(pool.submit(() -> log.append(evidence(i), decision(i))));
      }
      PgTestServer.awaitAtLeast("appends queued behind the locked head row", log::queued, 7);
      holder.rollback();
      TreeSet<Long> seqs = new TreeSet<>();
      for (Future<Long> f : fs) {
        seqs.add(f.get());
      }
      assertEquals(new TreeSet<>(List.of(1L, 2L, 3L, 4L, 5L, 6L, 7L, 8L)), seqs);
      assertEquals(3, log.transactions(), "the seven queued appends should have been committed together");
      List<Integer> sizes = new ArrayList<>();
      for (dev.haetae.moderation.api.observe.LogBatch b : batches) {
        assertEquals("postgres", b.log());
        sizes.add(b.records());
      }
      assertEquals(List.of(1, 1, 7), sizes, "the listener hears each transaction's batch size");
    } finally {
      pool.shutdownNow();
      log.close();
    }
    assertTrue(pg.decisionLogShard("group").verify().ok());
  }

  @Test
  void recordsAreTheFileLogsLinesByteForByteAndHoldNoRawIds(@TempDir Path dir) throws Exception {
    Path fileLog = dir.resolve("file");
    try (DecisionLog files = DecisionLogs.directory(fileLog).pseudonymizer(LogRequests.KEY).build();
        DecisionLog db = pg.decisionLog("same-bytes", LogRequests.KEY)) {
      for (int i = 0; i < 30; i++) {
        assertEquals(files.append(evidence(i), decision(i)), db.append(evidence(i), decision(i)));
      }
    }
    Path exported = dir.resolve("export");
    assertEquals(30, pg.decisionLogShard("same-bytes").exportTo(exported));
    byte[] fromDb = Files.readAllBytes(exported.resolve(RecordFormat.segmentName(0)));
    assertArrayEquals(Files.readAllBytes(fileLog.resolve(RecordFormat.segmentName(0))), fromDb);
    assertFalse(new String(fromDb, StandardCharsets.UTF_8).contains("RAWID"), "a raw id reached the log");
  }

  @Test
  void engineDecisionsReplayIdenticallyFromTheShardAndFromAnExport(@TempDir Path dir) throws Exception {
    int n = 60;
    try (DecisionLog log = pg.decisionLog("engine", LogRequests.KEY);
        ModerationEngine engine = ModerationEngine.builder().clock(new LogRequests.TickingClock())
            .policyIsolation(PolicyIsolation.INLINE).decisionLog(log).build()) {
      Random r = new Random(5);
      for (int i = 0; i < n; i++) {
        engine.evaluate(LogRequests.request(r, i));
      }
    }
    DecisionLogShard shard = pg.decisionLogShard("engine");
    Replayer replayer = Replayer.of(PolicyPack.defaults());
    List<ReplayReport.Status> statuses = new ArrayList<>();
    assertEquals(n, shard.forEach(rec -> statuses.add(replayer.replay(rec).status())));
    assertEquals(List.of(ReplayReport.Status.IDENTICAL), new ArrayList<>(Set.copyOf(statuses)));
    shard.exportTo(dir);
    ReplayReport report = replayer.replay(AuditLog.open(dir), ProgressListener.NONE);
    assertEquals(n, report.records());
    assertEquals(n, report.identical(), report.findings().toString());
  }

  @Test
  void theDatabaseRefusesGapsForksChangesAndRecordsTheHeadDoesNotCover() throws Exception {
    try (DecisionLog log = pg.decisionLog("guarded", LogRequests.KEY)) {
      for (int i = 0; i < 3; i++) {
        log.append(evidence(i), decision(i));
      }
    }
    RecordFormat format = RecordFormat.of(LogRequests.KEY, Set.of());
    String last;
    try (Connection c = raw(); Statement st = c.createStatement()) {
      var rs = st.executeQuery("SELECT hash FROM decision_log WHERE shard = 'guarded' AND seq = 2");
      rs.next();
      last = rs.getString(1);
    }
    RecordFormat.Frame good = RecordFormat.frame(3, last, format.payload(evidence(3), decision(3)));
    RecordFormat.Frame gap = RecordFormat.frame(4, good.hash(), format.payload(evidence(4), decision(4)));
    RecordFormat.Frame fork = RecordFormat.frame(3, RecordFormat.GENESIS, format.payload(evidence(5), decision(5)));
    try (Connection c = raw()) {
      // the right next record, but without moving the head
      assertRefused(c, insert(c, good), "without moving the head");
      // a gap: seq 4 while the shard ends at 2, head moved along
      assertRefused(c, insertAndMove(c, gap), "gap or fork");
      // a fork: a second seq 3 that does not follow record 2
      assertRefused(c, insertAndMove(c, fork), "gap or fork");
      assertRefused(c, "UPDATE decision_log SET decision_id = 'x' WHERE shard = 'guarded'", "append-only");
      assertRefused(c, "DELETE FROM decision_log WHERE shard = 'guarded' AND seq = 2", "append-only");
      assertRefused(c, "TRUNCATE decision_log", "append-only");
      assertRefused(c, "UPDATE decision_log_head SET next_seq = 0, last_hash = repeat('0', 64)"
          + " WHERE shard = 'guarded'", "only moves forward");
    }
    assertEquals(3, pg.decisionLogShard("guarded").size());
    assertTrue(pg.decisionLogShard("guarded").verify().ok());
  }

  private static String insert(Connection c, RecordFormat.Frame f) {
    return "INSERT INTO decision_log(shard, seq, prev, hash, decision_id, record) VALUES ('guarded', " + f.seq()
        + ", '" + f.prev() + "', '" + f.hash() + "', 'x', decode('"
        + java.util.HexFormat.of().formatHex(f.line()) + "', 'hex'))";
  }

  private static String insertAndMove(Connection c, RecordFormat.Frame f) {
    return "WITH i AS (" + insert(c, f) + " RETURNING 1) UPDATE decision_log_head SET next_seq = " + (f.seq() + 1)
        + ", last_hash = '" + f.hash() + "' WHERE shard = 'guarded'";
  }

  private static void assertRefused(Connection c, String sql, String why) throws SQLException {
    try (Statement st = c.createStatement()) {
      SQLException e = assertThrows(SQLException.class, () -> st.execute(sql), sql);
      assertTrue(e.getMessage().contains(why), e.getMessage());
    }
  }

  @Test
  void verifyNamesTheFirstRecordAChangeByTheTableOwnerAffected(@TempDir Path dir) throws Exception {
    for (String s : List.of("t-byte", "t-hole", "t-end")) {
      try (DecisionLog log = pg.decisionLog(s, LogRequests.KEY)) {
        for (int i = 0; i < 5; i++) {
          log.append(evidence(i), decision(i));
        }
      }
    }
    try (Connection c = raw(); Statement st = c.createStatement()) {
      st.execute("ALTER TABLE decision_log DISABLE TRIGGER USER");
      try {
        st.execute("UPDATE decision_log SET record = set_byte(record, 60, get_byte(record, 60) # 1)"
            + " WHERE shard = 't-byte' AND seq = 2");
        st.execute("DELETE FROM decision_log WHERE shard = 't-hole' AND seq = 1");
        st.execute("DELETE FROM decision_log WHERE shard = 't-end' AND seq = 4");
      } finally {
        st.execute("ALTER TABLE decision_log ENABLE TRIGGER USER");
      }
    }
    VerificationReport.Problem changed = pg.decisionLogShard("t-byte").verify().firstProblem().orElseThrow();
    assertEquals(VerificationReport.Kind.CORRUPT_RECORD, changed.kind());
    assertEquals(2, changed.seq());
    assertEquals("shard:t-byte", changed.segment());
    VerificationReport.Problem hole = pg.decisionLogShard("t-hole").verify().firstProblem().orElseThrow();
    assertEquals(VerificationReport.Kind.MISSING_RECORD, hole.kind());
    assertEquals(1, hole.seq());
    VerificationReport.Problem end = pg.decisionLogShard("t-end").verify().firstProblem().orElseThrow();
    assertEquals(VerificationReport.Kind.MISSING_RECORD, end.kind());
    assertEquals(4, end.seq());
    // the export carries the damage to the file tools
    pg.decisionLogShard("t-byte").exportTo(dir);
    VerificationReport.Problem inFiles = AuditLog.open(dir).verify().firstProblem().orElseThrow();
    assertEquals(VerificationReport.Kind.CORRUPT_RECORD, inFiles.kind());
    assertEquals(2, inFiles.seq());
    // reading refuses damaged records
    assertThrows(dev.haetae.moderation.api.DecisionLogException.class,
        () -> pg.decisionLogShard("t-hole").forEach(r -> { }));
  }

  @Test
  void shardNamesAreChecked() {
    assertThrows(dev.haetae.moderation.api.ConfigurationException.class, () -> pg.decisionLog("a b"));
    assertThrows(dev.haetae.moderation.api.ConfigurationException.class, () -> pg.decisionLog(""));
    assertEquals(0, pg.decisionLogShard("never-written").size());
    assertTrue(pg.decisionLogShard("never-written").verify().ok());
  }

  @Test
  void anAppendAfterCloseFailsAndAnExportRefusesALogDirectory(@TempDir Path dir) {
    DecisionLog log = pg.decisionLog("closing", LogRequests.KEY);
    assertEquals(0, log.append(evidence(0), decision(0)));
    log.close();
    assertThrows(dev.haetae.moderation.api.DecisionLogException.class, () -> log.append(evidence(1), decision(1)));
    pg.decisionLogShard("closing").exportTo(dir);
    assertThrows(dev.haetae.moderation.api.DecisionLogException.class,
        () -> pg.decisionLogShard("closing").exportTo(dir));
  }
}
