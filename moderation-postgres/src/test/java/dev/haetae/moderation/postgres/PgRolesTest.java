package dev.haetae.moderation.postgres;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.haetae.moderation.api.Category;
import dev.haetae.moderation.api.ConfigurationException;
import dev.haetae.moderation.api.MatchType;
import dev.haetae.moderation.api.spi.DecisionLog;
import dev.haetae.moderation.api.spi.EvidenceHoldStore;
import dev.haetae.moderation.api.spi.ObligationStore;
import dev.haetae.moderation.api.spi.ReputationStore;
import dev.haetae.moderation.api.spi.StrikeStore;
import dev.haetae.moderation.core.engine.ModerationEngine;
import dev.haetae.moderation.core.engine.PolicyIsolation;
import dev.haetae.moderation.testkit.DecisionLogContract;
import dev.haetae.moderation.testkit.EvidenceHoldStoreContract;
import dev.haetae.moderation.testkit.ObligationStoreContract;
import dev.haetae.moderation.testkit.ReputationStoreContract;
import dev.haetae.moderation.testkit.StrikeStoreContract;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Random;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

/**
 * The owner role and the application role. The owner (not a superuser) migrates the schema and
 * grants the application role its privileges; the application connects with {@code migrate(false)}.
 * The test kit's store and decision-log contracts then run as the application role (so it has every
 * privilege the adapters need), and the application role is shown unable to update, delete or
 * truncate the decision log, move its head back, disable or drop its triggers, alter its tables or
 * create anything in the schema.
 */
class PgRolesTest {
  private static final String SUFFIX = Long.toString(ThreadLocalRandom.current().nextLong() >>> 1, 36)
      .toLowerCase(Locale.ROOT);
  static final String OWNER = "haetae_owner_" + SUFFIX;
  static final String APP = "haetae_app_" + SUFFIX;
  private static final List<HaetaePostgres> OPEN = new ArrayList<>();
  private static final List<String> SCHEMAS = new ArrayList<>();
  private static boolean rolesCreated;

  private static Connection admin() throws SQLException {
    return DriverManager.getConnection(PgTestServer.url(), PgTestServer.user(), PgTestServer.password());
  }

  /** Creates the two roles once: the owner may create schemas in the database, nothing more. */
  private static synchronized void roles() {
    if (rolesCreated) {
      return;
    }
    try (Connection c = admin(); Statement st = c.createStatement()) {
      st.execute("CREATE ROLE " + OWNER + " LOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE");
      st.execute("CREATE ROLE " + APP + " LOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE");
      st.execute("GRANT CREATE ON DATABASE " + c.getCatalog() + " TO " + OWNER);
      rolesCreated = true;
    } catch (SQLException e) {
      throw new IllegalStateException("creating the test roles (the test server's user must be able to)", e);
    }
  }

  private static HaetaePostgres.Builder as(String role, String schema) {
    return HaetaePostgres.builder().jdbcUrl(PgTestServer.url()).credentials(role, PgTestServer.password())
        .schema(schema).maxPoolSize(4);
  }

  /** A fresh schema migrated by the owner for the application role, and the application's view of it. */
  static synchronized HaetaePostgres application(String prefix) {
    roles();
    String schema = PgTestServer.freshSchema(prefix);
    SCHEMAS.add(schema);
    try (HaetaePostgres owner = as(OWNER, schema).applicationRole(APP).build()) {
      assertEquals(HaetaePostgres.migrations(), owner.appliedMigrations());
    }
    HaetaePostgres app = as(APP, schema).migrate(false).build();
    OPEN.add(app);
    return app;
  }

  @AfterAll
  static synchronized void dropEverything() throws SQLException {
    for (HaetaePostgres pg : OPEN) {
      pg.close();
    }
    OPEN.clear();
    for (String schema : SCHEMAS) {
      PgTestServer.drop(schema);
    }
    SCHEMAS.clear();
    if (rolesCreated) {
      try (Connection c = admin(); Statement st = c.createStatement()) {
        for (String role : List.of(APP, OWNER)) {
          st.execute("DROP OWNED BY " + role);
          st.execute("DROP ROLE " + role);
        }
      }
      rolesCreated = false;
    }
  }

  @Nested
  @RequiresPostgres
  class Privileges {
    @Test
    void theApplicationRoleCannotRewriteTruncateOrUnprotectTheDecisionLog() throws SQLException {
      HaetaePostgres app = application("roles");
      String s = app.schema();
      try (DecisionLog log = app.decisionLog("main", LogRequests.KEY);
          ModerationEngine engine = ModerationEngine.builder().clock(new LogRequests.TickingClock())
              .policyIsolation(PolicyIsolation.INLINE).decisionLog(log).build()) {
        Random r = new Random(7);
        for (int i = 0; i < 3; i++) {
          engine.evaluate(LogRequests.request(r, i));
        }
      }
      app.bankStore("stopncii", Category.NCII).add(MatchType.SHA256, "ab".repeat(32));
      int written = records(s);
      assertTrue(written >= 3, "the three decisions (and the engine's configuration event) are logged");
      String[] refused = {
          "UPDATE " + s + ".decision_log SET record = record WHERE seq = 1",
          "DELETE FROM " + s + ".decision_log WHERE seq = 2",
          "TRUNCATE " + s + ".decision_log",
          "DELETE FROM " + s + ".decision_log_head",
          "TRUNCATE " + s + ".decision_log_head",
          "ALTER TABLE " + s + ".decision_log DISABLE TRIGGER decision_log_append_only",
          "ALTER TABLE " + s + ".decision_log DISABLE TRIGGER ALL",
          "DROP TRIGGER decision_log_append_only ON " + s + ".decision_log",
          "ALTER TABLE " + s + ".decision_log_head DISABLE TRIGGER decision_log_head_forward_only",
          "CREATE OR REPLACE FUNCTION " + s + ".decision_log_refuse_change() RETURNS trigger LANGUAGE plpgsql"
              + " AS $$ BEGIN RETURN NEW; END $$",
          "DROP TABLE " + s + ".decision_log",
          "CREATE TABLE " + s + ".shadow_log (x int)",
          "ALTER TABLE " + s + ".hash_bank_change DISABLE TRIGGER ALL",
          // the partitions: only the owner detaches or drops them, and only its prune writes the side tables
          "ALTER TABLE " + s + ".decision_log DETACH PARTITION " + s + "." + partition(s),
          "DROP TABLE " + s + "." + partition(s),
          "DELETE FROM " + s + "." + partition(s),
          "TRUNCATE " + s + "." + partition(s),
          "DELETE FROM " + s + ".decision_log_partition",
          "INSERT INTO " + s + ".decision_log_prune(shard, first_seq, last_seq, line) VALUES ('main', 0, 1, 'x')",
          "INSERT INTO " + s + ".decision_log_key(shard, kid, line) VALUES ('main', 'k', 'x')",
      };
      try (Connection c = DriverManager.getConnection(PgTestServer.url(), APP, PgTestServer.password())) {
        for (String sql : refused) {
          try (Statement st = c.createStatement()) {
            st.execute(sql);
            throw new AssertionError("the application role could run: " + sql);
          } catch (SQLException e) {
            assertEquals("42501", e.getSQLState(), sql + ": " + e.getMessage());
          }
        }
        // granting itself more is a no-op (PostgreSQL only warns): it holds no grant option
        try (Statement st = c.createStatement()) {
          st.execute("GRANT UPDATE, DELETE, TRUNCATE, TRIGGER ON " + s + ".decision_log TO " + APP);
        }
        for (String privilege : List.of("UPDATE", "DELETE", "TRUNCATE", "TRIGGER", "REFERENCES")) {
          try (Statement st = c.createStatement();
              var rs = st.executeQuery("SELECT has_table_privilege('" + s + ".decision_log', '" + privilege + "')")) {
            rs.next();
            assertTrue(!rs.getBoolean(1), "the application role holds " + privilege + " on the decision log");
          }
        }
        // what it may update, the head, only moves forward: the trigger refuses the rest
        try (Statement st = c.createStatement()) {
          st.execute("UPDATE " + s + ".decision_log_head SET next_seq = 0 WHERE shard = 'main'");
          throw new AssertionError("the head moved back");
        } catch (SQLException e) {
          assertEquals("23000", e.getSQLState(), e.getMessage());
        }
      }
      assertEquals(written, records(s), "every record is still there");
      // asking for partitions far ahead of the head is refused by the owner's function
      try (Connection c = DriverManager.getConnection(PgTestServer.url(), APP, PgTestServer.password());
          Statement st = c.createStatement()) {
        st.execute("SELECT " + s + ".decision_log_add_partitions('main', 1000000)");
        throw new AssertionError("a million records ahead were granted");
      } catch (SQLException e) {
        assertEquals("22023", e.getSQLState(), e.getMessage());
      }
    }

    private String partition(String schema) throws SQLException {
      try (Connection c = admin(); Statement st = c.createStatement();
          var rs = st.executeQuery("SELECT table_name FROM " + schema + ".decision_log_partition WHERE shard = 'main'"
              + " ORDER BY first_seq LIMIT 1")) {
        rs.next();
        return rs.getString(1);
      }
    }

    private int records(String schema) throws SQLException {
      try (Connection c = admin(); Statement st = c.createStatement();
          var rs = st.executeQuery("SELECT count(*) FROM " + schema + ".decision_log")) {
        rs.next();
        return rs.getInt(1);
      }
    }

    /** Only the owner prunes: the application role's prune is refused with the reason, and nothing changes. */
    @Test
    void theApplicationRoleMayPlanButNotPrune() throws Exception {
      roles();
      String schema = PgTestServer.freshSchema("prune");
      SCHEMAS.add(schema);
      try (HaetaePostgres owner = as(OWNER, schema).applicationRole(APP).logPartitionRecords(10).build();
          HaetaePostgres app = as(APP, schema).migrate(false).build()) {
        try (DecisionLog log = app.decisionLog("main", LogRequests.KEY)) {
          for (int i = 0; i < 25; i++) {
            log.append(PgDecisionLogTest.evidence(i), PgDecisionLogTest.decision(i));
          }
        }
        java.security.KeyPair keys = java.security.KeyPairGenerator.getInstance("Ed25519").generateKeyPair();
        java.time.Instant late = java.time.Instant.parse("2100-01-01T00:00:00Z");
        var plan = app.decisionLogShard("main").planRetention(
            dev.haetae.moderation.core.legal.JurisdictionProfiles.bundled().instruments().values(),
            java.time.Duration.ZERO, late);
        assertEquals(2, plan.removable().size());
        ConfigurationException denied = assertThrows(ConfigurationException.class,
            () -> app.decisionLogShard("main").prune(plan, "retention", keys, late));
        assertTrue(denied.getMessage().contains("prune as the schema's owner"), denied.getMessage());
        assertEquals(25, app.decisionLogShard("main").verify().records(), "nothing was dropped or recorded");
        assertEquals(2, owner.decisionLogShard("main").prune(plan, "retention", keys, late));
        assertTrue(app.decisionLogShard("main").verify().ok());
      }
    }

    @Test
    void theApplicationRoleMayNotMigrateAndAnUnmigratedSchemaIsNamed() {
      roles();
      String schema = PgTestServer.freshSchema("nomig");
      SCHEMAS.add(schema);
      ConfigurationException notMigrated = assertThrows(ConfigurationException.class,
          () -> as(APP, schema).migrate(false).build());
      assertTrue(notMigrated.getMessage().contains("has not been migrated"), notMigrated.getMessage());
      ConfigurationException denied = assertThrows(ConfigurationException.class, () -> as(APP, schema).build());
      assertTrue(denied.getMessage().contains("lacks a privilege"), denied.getMessage());
      assertThrows(ConfigurationException.class,
          () -> as(OWNER, schema).applicationRole(APP).migrate(false).build());
      assertThrows(ConfigurationException.class, () -> HaetaePostgres.builder().applicationRole("Robert'); DROP"));
    }

    @Test
    void everyTableOfTheSchemaHasItsApplicationPrivileges() throws SQLException {
      HaetaePostgres app = application("tables");
      List<String> tables = new ArrayList<>();
      try (Connection c = admin(); Statement st = c.createStatement();
          var rs = st.executeQuery("SELECT tablename FROM pg_tables WHERE schemaname = '" + app.schema() + "'")) {
        while (rs.next()) {
          tables.add(rs.getString(1));
        }
      }
      assertEquals(Migrations.APPLICATION_PRIVILEGES.keySet().stream().sorted().toList(),
          tables.stream().sorted().toList());
    }
  }

  private static final AtomicInteger SHARDS = new AtomicInteger();

  @Nested
  @RequiresPostgres
  class Reputation extends ReputationStoreContract {
    @Override
    protected ReputationStore newStore() {
      return application("rrep").reputationStore();
    }
  }

  @Nested
  @RequiresPostgres
  class Obligations extends ObligationStoreContract {
    @Override
    protected ObligationStore newStore() {
      return application("robl").obligationStore();
    }
  }

  @Nested
  @RequiresPostgres
  class Strikes extends StrikeStoreContract {
    @Override
    protected StrikeStore newStore() {
      return application("rstr").strikeStore();
    }
  }

  @Nested
  @RequiresPostgres
  class EvidenceHolds extends EvidenceHoldStoreContract {
    @Override
    protected EvidenceHoldStore newStore() {
      return application("rhold").evidenceHoldStore();
    }
  }

  @Nested
  @RequiresPostgres
  class Log extends DecisionLogContract {
    private HaetaePostgres pg;

    @Override
    protected DecisionLog openLog() {
      if (pg == null) {
        pg = application("rlog");
      }
      return pg.decisionLog("contract-" + SHARDS.incrementAndGet(), LogRequests.KEY);
    }
  }
}
