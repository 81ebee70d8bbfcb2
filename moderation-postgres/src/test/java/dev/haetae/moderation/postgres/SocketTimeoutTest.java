package dev.haetae.moderation.postgres;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** A statement that outlives the socket timeout fails instead of blocking its thread. */
@RequiresPostgres
class SocketTimeoutTest {

  @Test
  void aStatementTheServerDoesNotAnswerInTimeFails() throws SQLException {
    String schema = PgTestServer.freshSchema("sock");
    HaetaePostgres.Builder b = HaetaePostgres.builder().jdbcUrl(PgTestServer.url()).schema(schema)
        .socketTimeout(Duration.ofSeconds(1));
    b.credentials(PgTestServer.user(), PgTestServer.password());
    try (HaetaePostgres pg = b.build()) {
      try (Connection c = pg.dataSource().getConnection(); Statement st = c.createStatement()) {
        SQLException e = assertThrows(SQLException.class, () -> st.execute("SELECT pg_sleep(3)"));
        assertTrue(String.valueOf(e.getMessage()).toLowerCase(java.util.Locale.ROOT).contains("i/o"),
            e.getMessage());
      }
      // the pool replaces the broken connection; work goes on
      try (Connection c = pg.dataSource().getConnection(); Statement st = c.createStatement();
          ResultSet rs = st.executeQuery("SELECT 1")) {
        rs.next();
        assertEquals(1, rs.getInt(1));
      }
    } finally {
      PgTestServer.drop(schema);
    }
  }
}
