package dev.haetae.moderation.postgres;

import dev.haetae.moderation.api.Category;
import dev.haetae.moderation.api.ContentId;
import dev.haetae.moderation.api.Duty;
import dev.haetae.moderation.api.spi.ObligationRecord;
import dev.haetae.moderation.api.spi.ObligationStore;
import java.sql.Array;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.function.UnaryOperator;

/**
 * {@link ObligationStore} on PostgreSQL (table {@code haetae_obligations} of {@code
 * V3__obligations.sql}). {@link #open} is {@code INSERT ... ON CONFLICT DO NOTHING}, so of several
 * instances opening one id exactly one stores its obligation (and gets its argument back); {@link
 * #update(String, UnaryOperator)} changes the row under {@code SELECT ... FOR UPDATE}; {@link #due}
 * reads a partial index on the next check of open obligations, so a tick costs in proportion to
 * what is due.
 *
 * <p>Instants are kept to the microsecond: reads and {@link #update(String, UnaryOperator)} return
 * them truncated. {@link #open} returns its argument itself when it stored it, as the SPI requires
 * (the engine relies on it to tell a new notice from a duplicate), so an argument with finer
 * instants reads back truncated.
 *
 * <p>Thread-safe. Failures of the database surface as {@link
 * dev.haetae.moderation.api.StoreUnavailableException}, with the transaction rolled back.
 */
final class PostgresObligationStore implements ObligationStore {
  private static final String COLUMNS = "id, instrument, citation, category, content, received_at, deadline, duties,"
      + " preserve_for, status, next_check, escalations, closed_at";
  private static final String OPEN = "status IN ('OPEN', 'BREACHED')";

  private final HaetaePostgres pg;

  PostgresObligationStore(HaetaePostgres pg) {
    this.pg = Objects.requireNonNull(pg, "pg");
  }

  @Override
  public ObligationRecord open(ObligationRecord obligation) {
    Objects.requireNonNull(obligation, "obligation");
    return pg.inTransaction("opening obligation " + obligation.id(), c -> {
      try (PreparedStatement ps = c.prepareStatement("INSERT INTO haetae_obligations (instrument, citation,"
          + " category, content, received_at, deadline, duties, preserve_for, status, next_check, escalations,"
          + " closed_at, id) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (id) DO NOTHING")) {
        bind(c, ps, obligation);
        if (ps.executeUpdate() == 1) {
          return obligation;
        }
      }
      // Stored already (perhaps by another instance a moment ago, now committed): return that one.
      return select(c, obligation.id(), false)
          .orElseThrow(() -> new SQLException("obligation " + obligation.id() + " conflicted but is not there",
              "55000"));
    });
  }

  @Override
  public Optional<ObligationRecord> find(String id) {
    Objects.requireNonNull(id, "id");
    return Columns.read(pg, "reading obligation " + id, c -> select(c, id, false));
  }

  @Override
  public List<ObligationRecord> openFor(ContentId content) {
    Objects.requireNonNull(content, "content");
    return Columns.read(pg, "reading the open obligations on " + content.value(), c -> list(c,
        "SELECT " + COLUMNS + " FROM haetae_obligations WHERE content = ? AND " + OPEN + " ORDER BY deadline, seq",
        ps -> ps.setString(1, content.value())));
  }

  @Override
  public List<ObligationRecord> due(Instant now, int max) {
    Objects.requireNonNull(now, "now");
    if (max <= 0) {
      return List.of();
    }
    return Columns.read(pg, "reading the due obligations", c -> list(c,
        "SELECT " + COLUMNS + " FROM haetae_obligations WHERE " + OPEN + " AND next_check <= ?"
            + " ORDER BY next_check, id LIMIT ?",
        ps -> {
          Columns.setInstant(ps, 1, now);
          ps.setInt(2, max);
        }));
  }

  @Override
  public void update(ObligationRecord obligation) {
    Objects.requireNonNull(obligation, "obligation");
    pg.inTransaction("updating obligation " + obligation.id(), c -> {
      if (!write(c, obligation)) {
        throw new IllegalArgumentException("no obligation with id " + obligation.id());
      }
      return null;
    });
  }

  @Override
  public ObligationRecord update(String id, UnaryOperator<ObligationRecord> change) {
    Objects.requireNonNull(id, "id");
    Objects.requireNonNull(change, "change");
    return pg.inTransaction("updating obligation " + id, c -> {
      ObligationRecord cur = select(c, id, true)
          .orElseThrow(() -> new IllegalArgumentException("no obligation with id " + id));
      ObligationRecord next = Objects.requireNonNull(change.apply(cur), "change returned null");
      if (!next.id().equals(id)) {
        throw new IllegalArgumentException("change returned obligation " + next.id() + " for " + id);
      }
      next = micros(next);
      if (next.equals(cur)) {
        return cur;
      }
      write(c, next);
      return next;
    });
  }

  @Override
  public List<ObligationRecord> all() {
    return Columns.read(pg, "reading all obligations", c -> list(c,
        "SELECT " + COLUMNS + " FROM haetae_obligations ORDER BY received_at, id", ps -> { }));
  }

  private static boolean write(Connection c, ObligationRecord o) throws SQLException {
    try (PreparedStatement ps = c.prepareStatement("UPDATE haetae_obligations SET instrument = ?, citation = ?,"
        + " category = ?, content = ?, received_at = ?, deadline = ?, duties = ?, preserve_for = ?, status = ?,"
        + " next_check = ?, escalations = ?, closed_at = ? WHERE id = ?")) {
      bind(c, ps, o);
      return ps.executeUpdate() == 1;
    }
  }

  /** Binds every column, the id last. */
  private static void bind(Connection c, PreparedStatement ps, ObligationRecord o) throws SQLException {
    ps.setString(1, o.instrument());
    ps.setString(2, o.citation());
    ps.setString(3, o.category().name());
    ps.setString(4, o.content().value());
    Columns.setInstant(ps, 5, o.receivedAt());
    Columns.setInstant(ps, 6, o.deadline());
    String[] duties = new String[o.duties().size()];
    for (int i = 0; i < duties.length; i++) {
      duties[i] = o.duties().get(i).name();
    }
    Array array = c.createArrayOf("text", duties);
    ps.setArray(7, array);
    ps.setString(8, o.preserveFor().toString());
    ps.setString(9, o.status().name());
    Columns.setInstant(ps, 10, o.nextCheck());
    ps.setInt(11, o.escalations());
    Columns.setInstant(ps, 12, o.closedAt());
    ps.setString(13, o.id());
  }

  /** A statement's parameters. */
  @FunctionalInterface
  private interface Binder {
    void bind(PreparedStatement ps) throws SQLException;
  }

  private static List<ObligationRecord> list(Connection c, String sql, Binder binder) throws SQLException {
    try (PreparedStatement ps = c.prepareStatement(sql)) {
      binder.bind(ps);
      try (ResultSet rs = ps.executeQuery()) {
        List<ObligationRecord> out = new ArrayList<>();
        while (rs.next()) {
          out.add(read(rs));
        }
        return out;
      }
    }
  }

  private static Optional<ObligationRecord> select(Connection c, String id, boolean lock) throws SQLException {
    List<ObligationRecord> one = list(c,
        "SELECT " + COLUMNS + " FROM haetae_obligations WHERE id = ?" + (lock ? " FOR UPDATE" : ""),
        ps -> ps.setString(1, id));
    return one.isEmpty() ? Optional.empty() : Optional.of(one.get(0));
  }

  private static ObligationRecord read(ResultSet rs) throws SQLException {
    Array array = rs.getArray("duties");
    List<Duty> duties = new ArrayList<>();
    for (Object d : (Object[]) array.getArray()) {
      duties.add(Duty.valueOf((String) d));
    }
    array.free();
    return new ObligationRecord(rs.getString("id"), rs.getString("instrument"), rs.getString("citation"),
        Category.valueOf(rs.getString("category")), ContentId.of(rs.getString("content")),
        Columns.instant(rs, "received_at"), Columns.instant(rs, "deadline"), duties,
        Duration.parse(rs.getString("preserve_for")), ObligationRecord.Status.valueOf(rs.getString("status")),
        Columns.instant(rs, "next_check"), rs.getInt("escalations"), Columns.optionalInstant(rs, "closed_at"));
  }

  private static ObligationRecord micros(ObligationRecord o) {
    return new ObligationRecord(o.id(), o.instrument(), o.citation(), o.category(), o.content(),
        Columns.micros(o.receivedAt()), Columns.micros(o.deadline()), o.duties(), o.preserveFor(), o.status(),
        Columns.micros(o.nextCheck()), o.escalations(), Columns.micros(o.closedAt()));
  }
}
