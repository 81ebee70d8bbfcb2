package dev.haetae.moderation.postgres;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.haetae.moderation.api.ConfigurationException;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;

@RequiresPostgres
class MigrationsTest {

  @Test
  void firstStartAppliesEveryMigrationAndARestartAppliesNone() throws Exception {
    String schema = PgTestServer.freshSchema("mig");
    try {
      try (HaetaePostgres first = PgTestServer.open("mig", schema)) {
        assertEquals(HaetaePostgres.migrations(), first.appliedMigrations());
      }
      try (HaetaePostgres again = PgTestServer.open("mig", schema)) {
        assertEquals(List.of(), again.appliedMigrations());
        try (Connection c = again.connection();
            Statement st = c.createStatement();
            ResultSet rs = st.executeQuery("SELECT count(*) FROM haetae_schema_history")) {
          rs.next();
          assertEquals(HaetaePostgres.migrations().size(), rs.getInt(1));
        }
      }
    } finally {
      PgTestServer.drop(schema);
    }
  }

  @Test
  void instancesStartingTogetherApplyEachMigrationOnce() throws Exception {
    String schema = PgTestServer.freshSchema("race");
    ExecutorService pool = Executors.newFixedThreadPool(4);
    try {
      List<Future<HaetaePostgres>> starts = new ArrayList<>();
      for (int i = 0; i < 4; i++) {
        starts.add(pool.submit(() -> PgTestServer.open("race", schema)));
      }
      int applied = 0;
      for (Future<HaetaePostgres> f : starts) {
        try (HaetaePostgres pg = f.get()) {
          applied += pg.appliedMigrations().size();
        }
      }
      assertEquals(HaetaePostgres.migrations().size(), applied);
    } finally {
      pool.shutdownNow();
      PgTestServer.drop(schema);
    }
  }

  @Test
  void anEditedReleasedMigrationIsRefusedWithItsName() throws Exception {
    String schema = PgTestServer.freshSchema("edit");
    try {
      try (HaetaePostgres pg = PgTestServer.open("edit", schema);
          Connection c = pg.connection();
          Statement st = c.createStatement()) {
        st.executeUpdate("UPDATE haetae_schema_history SET checksum = 'x' WHERE version = 1");
      }
      ConfigurationException e =
          assertThrows(ConfigurationException.class, () -> PgTestServer.open("edit", schema));
      assertTrue(e.getMessage().contains("V1__base.sql"), e.getMessage());
    } finally {
      PgTestServer.drop(schema);
    }
  }
}
