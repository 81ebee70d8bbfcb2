package dev.haetae.moderation.postgres;

import dev.haetae.moderation.api.ContentId;
import dev.haetae.moderation.api.spi.EvidenceHold;
import dev.haetae.moderation.api.spi.EvidenceHoldStore;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * {@link EvidenceHoldStore} on PostgreSQL (table {@code haetae_evidence_holds} of {@code
 * V3__obligations.sql}). {@link #place} changes a hold under {@code SELECT ... FOR UPDATE} (or
 * inserts it with {@code ON CONFLICT DO NOTHING} and retries when another instance inserted it
 * first), so concurrent placements keep the latest end. {@link #expire} marks the ended holds in one
 * statement that locks them with {@code FOR UPDATE SKIP LOCKED}, so each ended hold is handed to
 * exactly one instance (a hold being extended at that moment is left to the next tick); it and
 * {@link #due} read a partial index on the end of unexpired holds.
 *
 * <p>Instants are kept to the microsecond: a hold's start and end are truncated before they are
 * stored and compared.
 *
 * <p>Thread-safe. Failures of the database surface as {@link
 * dev.haetae.moderation.api.StoreUnavailableException}, with the transaction rolled back.
 */
final class PostgresEvidenceHoldStore implements EvidenceHoldStore {
  private static final String COLUMNS = "id, content, basis, citation, from_at, until_at, expired_at";
  private static final Comparator<EvidenceHold> BY_END =
      Comparator.comparing(EvidenceHold::until).thenComparing(EvidenceHold::id);

  private final HaetaePostgres pg;

  PostgresEvidenceHoldStore(HaetaePostgres pg) {
    this.pg = Objects.requireNonNull(pg, "pg");
  }

  @Override
  public EvidenceHold place(ContentId content, String basis, String citation, Instant from, Duration period) {
    Objects.requireNonNull(content, "content");
    Objects.requireNonNull(basis, "basis");
    Objects.requireNonNull(citation, "citation");
    Objects.requireNonNull(from, "from");
    if (period.isNegative() || period.isZero()) {
      throw new IllegalArgumentException("a hold needs a positive period, got " + period);
    }
    String id = EvidenceHold.idOf(content, basis);
    Instant start = Columns.micros(from);
    Instant until = Columns.micros(from.plus(period));
    return pg.inTransaction("placing evidence hold " + id, c -> {
      while (true) {
        Optional<EvidenceHold> cur = select(c, id);
        if (cur.isPresent()) {
          EvidenceHold h = cur.get();
          if (!until.isAfter(h.until())) {
            return h;
          }
          try (PreparedStatement ps = c.prepareStatement(
              "UPDATE haetae_evidence_holds SET until_at = ?, citation = ?, expired_at = NULL WHERE id = ?")) {
            Columns.setInstant(ps, 1, until);
            ps.setString(2, citation);
            ps.setString(3, id);
            ps.executeUpdate();
          }
          // the placement that extends the hold gives its ground, as in the in-memory store
          return new EvidenceHold(id, content, basis, citation, h.from(), until, Optional.empty());
        }
        try (PreparedStatement ps = c.prepareStatement("INSERT INTO haetae_evidence_holds"
            + " (id, content, basis, citation, from_at, until_at) VALUES (?, ?, ?, ?, ?, ?)"
            + " ON CONFLICT (id) DO NOTHING")) {
          ps.setString(1, id);
          ps.setString(2, content.value());
          ps.setString(3, basis);
          ps.setString(4, citation);
          Columns.setInstant(ps, 5, start);
          Columns.setInstant(ps, 6, until);
          if (ps.executeUpdate() == 1) {
            return new EvidenceHold(id, content, basis, citation, start, until, Optional.empty());
          }
        }
        // Another instance placed it since the select: lock its row and extend that one.
      }
    });
  }

  /**
   * The holds {@link #expire} would end at {@code now}, read from the partial index on the end of
   * unexpired holds: a tick costs in proportion to what is due, not to every hold ever placed.
   */
  @Override
  public List<EvidenceHold> due(Instant now) {
    Objects.requireNonNull(now, "now");
    return Columns.read(pg, "reading the evidence holds due", c -> list(c,
        "SELECT " + COLUMNS + " FROM haetae_evidence_holds WHERE expired_at IS NULL AND until_at <= ?"
            + " ORDER BY until_at, id",
        ps -> Columns.setInstant(ps, 1, now)));
  }

  @Override
  public List<EvidenceHold> expire(Instant now) {
    Objects.requireNonNull(now, "now");
    return pg.inTransaction("expiring evidence holds", c -> {
      List<EvidenceHold> out = list(c, "UPDATE haetae_evidence_holds SET expired_at = ? WHERE id IN ("
          + "SELECT id FROM haetae_evidence_holds WHERE expired_at IS NULL AND until_at <= ?"
          + " FOR UPDATE SKIP LOCKED) RETURNING " + COLUMNS, ps -> {
            Columns.setInstant(ps, 1, now);
            Columns.setInstant(ps, 2, now);
          });
      out.sort(BY_END);
      return out;
    });
  }

  @Override
  public Optional<Instant> heldUntil(ContentId content, Instant now) {
    Objects.requireNonNull(content, "content");
    Objects.requireNonNull(now, "now");
    return Columns.read(pg, "reading the evidence holds on " + content.value(), c -> {
      try (PreparedStatement ps = c.prepareStatement(
          "SELECT max(until_at) AS until_at FROM haetae_evidence_holds WHERE content = ? AND until_at > ?")) {
        ps.setString(1, content.value());
        // until is stored to the microsecond, so until > now exactly when until > now truncated
        Columns.setInstant(ps, 2, now);
        try (ResultSet rs = ps.executeQuery()) {
          rs.next();
          return Columns.optionalInstant(rs, "until_at");
        }
      }
    });
  }

  @Override
  public List<EvidenceHold> on(ContentId content) {
    Objects.requireNonNull(content, "content");
    return Columns.read(pg, "reading the evidence holds on " + content.value(), c -> list(c,
        "SELECT " + COLUMNS + " FROM haetae_evidence_holds WHERE content = ? ORDER BY seq",
        ps -> ps.setString(1, content.value())));
  }

  @Override
  public List<EvidenceHold> active(Instant now) {
    Objects.requireNonNull(now, "now");
    return Columns.read(pg, "reading the active evidence holds", c -> list(c,
        "SELECT " + COLUMNS + " FROM haetae_evidence_holds WHERE expired_at IS NULL AND until_at > ?"
            + " ORDER BY until_at, id",
        ps -> Columns.setInstant(ps, 1, now)));
  }

  @Override
  public List<EvidenceHold> all() {
    return Columns.read(pg, "reading all evidence holds", c -> list(c,
        "SELECT " + COLUMNS + " FROM haetae_evidence_holds ORDER BY from_at, id", ps -> { }));
  }

  /** A statement's parameters. */
  @FunctionalInterface
  private interface Binder {
    void bind(PreparedStatement ps) throws SQLException;
  }

  private static Optional<EvidenceHold> select(Connection c, String id) throws SQLException {
    List<EvidenceHold> one = list(c, "SELECT " + COLUMNS + " FROM haetae_evidence_holds WHERE id = ? FOR UPDATE",
        ps -> ps.setString(1, id));
    return one.isEmpty() ? Optional.empty() : Optional.of(one.get(0));
  }

  private static List<EvidenceHold> list(Connection c, String sql, Binder binder) throws SQLException {
    try (PreparedStatement ps = c.prepareStatement(sql)) {
      binder.bind(ps);
      try (ResultSet rs = ps.executeQuery()) {
        List<EvidenceHold> out = new ArrayList<>();
        while (rs.next()) {
          out.add(new EvidenceHold(rs.getString("id"), ContentId.of(rs.getString("content")), rs.getString("basis"),
              rs.getString("citation"), Columns.instant(rs, "from_at"), Columns.instant(rs, "until_at"),
              Columns.optionalInstant(rs, "expired_at")));
        }
        return out;
      }
    }
  }
}
