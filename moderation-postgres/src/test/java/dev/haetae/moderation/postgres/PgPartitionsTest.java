package dev.haetae.moderation.postgres;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.haetae.moderation.core.audit.EngineLog;
import dev.haetae.moderation.core.audit.VerificationReport;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The decision log partitioned by (shard, seq) range: the V12 migration and partitions made ahead by the writer. */
@RequiresPostgres
class PgPartitionsTest {

  static List<String> hashes(HaetaePostgres pg, String shard) throws SQLException {
    List<String> out = new ArrayList<>();
    try (Connection c = pg.connection();
        Statement st = c.createStatement();
        ResultSet rs = st.executeQuery("SELECT hash FROM decision_log WHERE shard = '" + shard + "' ORDER BY seq")) {
      while (rs.next()) {
        out.add(rs.getString(1));
      }
    }
    return out;
  }

  static long count(HaetaePostgres pg, String sql) throws SQLException {
    try (Connection c = pg.connection();
        Statement st = c.createStatement();
        ResultSet rs = st.executeQuery(sql)) {
      rs.next();
      return rs.getLong(1);
    }
  }

  @Test
  void aV11LogWithRecordsMigratesToPartitionsWithTheSameChain() throws Exception {
    String source = PgTestServer.freshSchema("v12src");
    String old = PgTestServer.freshSchema("v11");
    try {
      List<String> written = new ArrayList<>();
      try (HaetaePostgres src = PgTestServer.open("v12src", source)) {
        for (String shard : List.of("eu-1", "us-2")) {
          try (EngineLog log = src.decisionLog(shard, LogRequests.KEY)) {
            for (int i = 0; i < 25; i++) {
              log.append(PgDecisionLogTest.evidence(i), PgDecisionLogTest.decision(i));
            }
          }
          written.addAll(hashes(src, shard));
        }
        // the same rows in a schema at V11, where decision_log is one plain table
        try (HaetaePostgres v11 = HaetaePostgres.builder().jdbcUrl(PgTestServer.url())
            .credentials(PgTestServer.user(), PgTestServer.password()).schema(old).migrateUpTo(11).build()) {
          assertEquals(11, v11.appliedMigrations().size());
          assertEquals(0, count(v11, "SELECT count(*) FROM pg_partitioned_table p JOIN pg_class c ON c.oid = p.partrelid"
              + " JOIN pg_namespace n ON n.oid = c.relnamespace WHERE n.nspname = '" + old + "'"));
          try (Connection c = v11.connection(); Statement st = c.createStatement()) {
            c.setAutoCommit(false);
            st.execute("INSERT INTO " + old + ".decision_log_head SELECT * FROM " + source + ".decision_log_head");
            st.execute("INSERT INTO " + old + ".decision_log SELECT * FROM " + source + ".decision_log");
            c.commit();
          }
        }
      }
      try (HaetaePostgres v12 = PgTestServer.open("v11", old)) {
        List<String> after11 = HaetaePostgres.migrations().subList(11, HaetaePostgres.migrations().size());
        assertEquals("V12__decision_log_partitions.sql", after11.get(0));
        assertEquals(after11, v12.appliedMigrations(), "V12 and the migrations after it");
        List<String> migrated = new ArrayList<>(hashes(v12, "eu-1"));
        migrated.addAll(hashes(v12, "us-2"));
        assertEquals(written, migrated, "the same records, byte for byte, in the same order");
        for (String shard : List.of("eu-1", "us-2")) {
          VerificationReport r = v12.decisionLogShard(shard).verify();
          assertTrue(r.ok(), r.toString());
          assertEquals(25, r.records());
        }
        assertTrue(count(v12, "SELECT count(*) FROM decision_log_partition WHERE shard = 'eu-1'") >= 1);
        // the chain goes on after the migration, and the triggers still refuse changes on the partitions
        try (EngineLog log = v12.decisionLog("eu-1", LogRequests.KEY)) {
          assertEquals(25, log.append(PgDecisionLogTest.evidence(25), PgDecisionLogTest.decision(25)));
        }
        assertTrue(v12.decisionLogShard("eu-1").verify().ok());
        try (Connection c = v12.connection(); Statement st = c.createStatement()) {
          SQLException e = assertThrows(SQLException.class,
              () -> st.executeUpdate("DELETE FROM decision_log WHERE shard = 'eu-1' AND seq = 3"));
          assertTrue(e.getMessage().contains("append-only"), e.getMessage());
          String partition;
          try (ResultSet rs = st.executeQuery(
              "SELECT table_name FROM decision_log_partition WHERE shard = 'eu-1' ORDER BY first_seq LIMIT 1")) {
            rs.next();
            partition = rs.getString(1);
          }
          e = assertThrows(SQLException.class, () -> st.executeUpdate("UPDATE " + partition + " SET decision_id = 'x'"));
          assertTrue(e.getMessage().contains("append-only"), e.getMessage());
          e = assertThrows(SQLException.class, () -> st.execute("TRUNCATE " + partition));
          assertTrue(e.getMessage().contains("append-only"), e.getMessage());
        }
      }
    } finally {
      PgTestServer.drop(source);
      PgTestServer.drop(old);
    }
  }

  @Test
  void theWriterCreatesPartitionsAheadOfItsHead() throws Exception {
    String schema = PgTestServer.freshSchema("part");
    try (HaetaePostgres pg = HaetaePostgres.builder().jdbcUrl(PgTestServer.url())
        .credentials(PgTestServer.user(), PgTestServer.password()).schema(schema).logPartitionRecords(10).build()) {
      try (EngineLog log = pg.decisionLogShard("a").logBuilder().pseudonymizer(LogRequests.KEY).maxBatch(4).build()) {
        for (int i = 0; i < 57; i++) {
          assertEquals(i, log.append(PgDecisionLogTest.evidence(i), PgDecisionLogTest.decision(i)));
        }
      }
      long partitions = count(pg, "SELECT count(*) FROM decision_log_partition WHERE shard = 'a'");
      assertTrue(partitions >= 6, partitions + " partitions for 57 records of 10 each");
      assertEquals(partitions, count(pg, "SELECT count(*) FROM pg_inherits i JOIN pg_class p ON p.oid = i.inhparent"
          + " JOIN pg_namespace n ON n.oid = p.relnamespace WHERE p.relname = 'decision_log' AND n.nspname = '"
          + schema + "' AND i.inhrelid::regclass::text LIKE '%decision_log_%'"));
      assertEquals(10, count(pg, "SELECT count(*) FROM decision_log_partition WHERE shard = 'a' AND first_seq = 50"
          + " AND end_seq = 60") * 10);
      VerificationReport r = pg.decisionLogShard("a").verify();
      assertTrue(r.ok(), r.toString());
      assertEquals(57, r.records());
    } finally {
      PgTestServer.drop(schema);
    }
  }
}
