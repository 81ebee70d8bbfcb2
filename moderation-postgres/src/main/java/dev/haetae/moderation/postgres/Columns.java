package dev.haetae.moderation.postgres;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.Optional;

/**
 * Conversions between Java values and the columns of the adapters' tables. Instants are {@code
 * timestamptz}, which keeps microseconds: {@link #micros} drops the rest before a value is written
 * or compared with what was stored, so that what an adapter returns equals what it reads back.
 */
final class Columns {
  private Columns() {}

  /**
   * Runs a read on a pooled connection in auto-commit mode (one round trip per statement, no
   * transaction to begin and commit). For reads of one statement, which see one consistent
   * snapshot by themselves.
   *
   * @throws dev.haetae.moderation.api.StoreUnavailableException when the database cannot be reached
   *     or the statement fails
   */
  static <T> T read(HaetaePostgres pg, String what, Jdbc.SqlWork<T> work) {
    try (Connection c = pg.connection()) {
      return work.run(c);
    } catch (SQLException e) {
      throw Jdbc.unavailable(what, e);
    }
  }

  /** The instant as PostgreSQL keeps it: truncated to the microsecond. */
  static Instant micros(Instant t) {
    return t.truncatedTo(ChronoUnit.MICROS);
  }

  static Optional<Instant> micros(Optional<Instant> t) {
    return t.map(Columns::micros);
  }

  static void setInstant(PreparedStatement ps, int i, Instant t) throws SQLException {
    ps.setObject(i, OffsetDateTime.ofInstant(micros(t), ZoneOffset.UTC));
  }

  static void setInstant(PreparedStatement ps, int i, Optional<Instant> t) throws SQLException {
    if (t.isPresent()) {
      setInstant(ps, i, t.get());
    } else {
      ps.setNull(i, Types.TIMESTAMP_WITH_TIMEZONE);
    }
  }

  static Instant instant(ResultSet rs, String column) throws SQLException {
    OffsetDateTime t = rs.getObject(column, OffsetDateTime.class);
    if (t == null) {
      throw new SQLException("column " + column + " is null", "22004");
    }
    return t.toInstant();
  }

  static Optional<Instant> optionalInstant(ResultSet rs, String column) throws SQLException {
    OffsetDateTime t = rs.getObject(column, OffsetDateTime.class);
    return t == null ? Optional.empty() : Optional.of(t.toInstant());
  }

  static void setOptionalString(PreparedStatement ps, int i, Optional<String> s) throws SQLException {
    if (s.isPresent()) {
      ps.setString(i, s.get());
    } else {
      ps.setNull(i, Types.VARCHAR);
    }
  }
}
