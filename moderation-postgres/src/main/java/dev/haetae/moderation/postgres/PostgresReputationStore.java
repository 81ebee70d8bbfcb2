package dev.haetae.moderation.postgres;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import dev.haetae.moderation.api.AccountEvent;
import dev.haetae.moderation.api.Category;
import dev.haetae.moderation.api.DecisionId;
import dev.haetae.moderation.api.ReporterId;
import dev.haetae.moderation.api.RoomId;
import dev.haetae.moderation.api.Target;
import dev.haetae.moderation.api.spi.ReportRecord;
import dev.haetae.moderation.api.spi.ReporterRecord;
import dev.haetae.moderation.api.spi.ReputationStore;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;
import java.util.function.UnaryOperator;

/**
 * {@link ReputationStore} on PostgreSQL (tables of {@code V2__reputation.sql}). A reporter's record
 * is one row, changed under {@code SELECT ... FOR UPDATE}; a target's reports are rows in list
 * order, changed under {@code FOR UPDATE} on the target's row in {@code haetae_report_targets}; so
 * updates are atomic per key across every instance on the schema. A change function may run more
 * than once (when two instances create the same reporter at once).
 *
 * <p>Instants are kept to the microsecond: what the methods return is what a later read returns.
 * A change function must keep the key: a record for another reporter, or a report on another
 * target, is refused with {@link IllegalArgumentException} and nothing is written.
 *
 * <p>Thread-safe. Failures of the database surface as {@link
 * dev.haetae.moderation.api.StoreUnavailableException}, with the transaction rolled back.
 */
final class PostgresReputationStore implements ReputationStore {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String REPORTER_COLUMNS =
      "reporter, account_created, trusted_flagger, confirmed, rejected, updated_at, warnings, suspended_until,"
          + " rooms::text AS rooms, unfounded::text AS unfounded, warned_at, reported::text AS reported,"
          + " received::text AS received, applied::text AS applied, sanction_decision, sanction_state";
  private static final String REPORT_COLUMNS = "position, reporter, category, at, status, decision, filed_by,"
      + " first_party, resolved_by";

  private final HaetaePostgres pg;

  PostgresReputationStore(HaetaePostgres pg) {
    this.pg = Objects.requireNonNull(pg, "pg");
  }

  @Override
  public Optional<ReporterRecord> reporter(ReporterId reporter) {
    Objects.requireNonNull(reporter, "reporter");
    return Columns.read(pg, "reading reporter " + reporter.value(), c -> select(c, reporter, false));
  }

  @Override
  public ReporterRecord updateReporter(ReporterId reporter, Instant now, UnaryOperator<ReporterRecord> change) {
    Objects.requireNonNull(reporter, "reporter");
    Objects.requireNonNull(now, "now");
    Objects.requireNonNull(change, "change");
    return pg.inTransaction("updating reporter " + reporter.value(), c -> {
      while (true) {
        Optional<ReporterRecord> cur = select(c, reporter, true);
        if (cur.isPresent()) {
          ReporterRecord next = checked(reporter, change.apply(cur.get()));
          if (!next.equals(cur.get())) {
            write(c, next, false);
          }
          return next;
        }
        ReporterRecord next = checked(reporter, change.apply(ReporterRecord.unknown(reporter, now)));
        if (write(c, next, true)) {
          return next;
        }
        // Another instance created the row since the select: lock it and change what it wrote.
      }
    });
  }

  private static ReporterRecord checked(ReporterId reporter, ReporterRecord next) {
    Objects.requireNonNull(next, "change returned null");
    if (!next.reporter().equals(reporter)) {
      throw new IllegalArgumentException(
          "change returned a record of reporter " + next.reporter().value() + " for " + reporter.value());
    }
    List<AccountEvent.RoomJoin> rooms = new ArrayList<>(next.rooms().size());
    for (AccountEvent.RoomJoin j : next.rooms()) {
      rooms.add(new AccountEvent.RoomJoin(j.room(), Columns.micros(j.joinedAt())));
    }
    return new ReporterRecord(reporter, Columns.micros(next.accountCreated()), next.trustedFlagger(),
        next.confirmed(), next.rejected(), Columns.micros(next.updatedAt()), next.warnings(),
        Columns.micros(next.suspendedUntil()), rooms, next.unfounded().stream().map(Columns::micros).toList(),
        Columns.micros(next.warnedAt()), micros(next.reported()), micros(next.received()), next.applied(),
        next.sanction());
  }

  private static Optional<ReporterRecord> select(Connection c, ReporterId reporter, boolean lock)
      throws SQLException {
    try (PreparedStatement ps = c.prepareStatement(
        "SELECT " + REPORTER_COLUMNS + " FROM haetae_reporters WHERE reporter = ?" + (lock ? " FOR UPDATE" : ""))) {
      ps.setString(1, reporter.value());
      try (ResultSet rs = ps.executeQuery()) {
        if (!rs.next()) {
          return Optional.empty();
        }
        return Optional.of(new ReporterRecord(reporter, Columns.optionalInstant(rs, "account_created"),
            rs.getBoolean("trusted_flagger"), rs.getDouble("confirmed"), rs.getDouble("rejected"),
            Columns.instant(rs, "updated_at"), rs.getInt("warnings"), Columns.optionalInstant(rs, "suspended_until"),
            rooms(rs.getString("rooms")), instants(rs.getString("unfounded")),
            Columns.optionalInstant(rs, "warned_at"), traces(rs.getString("reported")),
            traces(rs.getString("received")), decisions(rs.getString("applied")), sanction(rs)));
      }
    }
  }

  /** Inserts (when {@code insert}; false when the row exists already) or updates the reporter's row. */
  private static boolean write(Connection c, ReporterRecord r, boolean insert) throws SQLException {
    String sql = insert
        ? "INSERT INTO haetae_reporters (account_created, trusted_flagger, confirmed, rejected, updated_at, warnings,"
            + " suspended_until, rooms, unfounded, warned_at, reported, received, applied, sanction_decision,"
            + " sanction_state, reporter)"
            + " VALUES (?, ?, ?, ?, ?, ?, ?, ?::jsonb, ?::jsonb, ?, ?::jsonb, ?::jsonb, ?::jsonb, ?, ?, ?)"
            + " ON CONFLICT (reporter) DO NOTHING"
        : "UPDATE haetae_reporters SET account_created = ?, trusted_flagger = ?, confirmed = ?, rejected = ?,"
            + " updated_at = ?, warnings = ?, suspended_until = ?, rooms = ?::jsonb, unfounded = ?::jsonb,"
            + " warned_at = ?, reported = ?::jsonb, received = ?::jsonb, applied = ?::jsonb,"
            + " sanction_decision = ?, sanction_state = ? WHERE reporter = ?";
    try (PreparedStatement ps = c.prepareStatement(sql)) {
      Columns.setInstant(ps, 1, r.accountCreated());
      ps.setBoolean(2, r.trustedFlagger());
      ps.setDouble(3, r.confirmed());
      ps.setDouble(4, r.rejected());
      Columns.setInstant(ps, 5, r.updatedAt());
      ps.setInt(6, r.warnings());
      Columns.setInstant(ps, 7, r.suspendedUntil());
      ps.setString(8, roomsJson(r.rooms()));
      ps.setString(9, instantsJson(r.unfounded()));
      Columns.setInstant(ps, 10, r.warnedAt());
      ps.setString(11, tracesJson(r.reported()));
      ps.setString(12, tracesJson(r.received()));
      ps.setString(13, decisionsJson(r.applied()));
      ps.setString(14, r.sanction().map(x -> x.decision().value()).orElse(null));
      ps.setString(15, r.sanction().map(x -> x.state().name().toLowerCase(Locale.ROOT)).orElse(null));
      ps.setString(16, r.reporter().value());
      return ps.executeUpdate() == 1;
    }
  }

  private static Optional<ReporterRecord.Sanction> sanction(ResultSet rs) throws SQLException {
    String decision = rs.getString("sanction_decision");
    String state = rs.getString("sanction_state");
    if (decision == null || state == null) {
      return Optional.empty();
    }
    return Optional.of(new ReporterRecord.Sanction(DecisionId.of(decision),
        ReporterRecord.Sanction.State.valueOf(state.toUpperCase(Locale.ROOT))));
  }

  @Override
  public boolean addReport(ReportRecord report) {
    Objects.requireNonNull(report, "report");
    ReportRecord r = micros(report);
    return pg.inTransaction("adding a report on " + describe(r.target()), c -> {
      lockTarget(c, r.target());
      try (PreparedStatement ps = c.prepareStatement("SELECT count(*), coalesce(bool_or(reporter = ?), false)"
          + " FROM haetae_reports WHERE target_kind = ? AND target_id = ?")) {
        ps.setString(1, r.reporter().value());
        ps.setString(2, r.target().kind());
        ps.setString(3, r.target().id());
        try (ResultSet rs = ps.executeQuery()) {
          rs.next();
          if (rs.getBoolean(2)) {
            return false;
          }
          // positions are 0..n-1 (updateReports keeps them dense), so the next one is the count
          insert(c, r, rs.getInt(1));
          return true;
        }
      }
    });
  }

  @Override
  public List<ReportRecord> reports(Target target) {
    Objects.requireNonNull(target, "target");
    return Columns.read(pg, "reading the reports on " + describe(target), c -> select(c, target));
  }

  @Override
  public List<ReportRecord> updateReports(Target target, UnaryOperator<List<ReportRecord>> change) {
    Objects.requireNonNull(target, "target");
    Objects.requireNonNull(change, "change");
    return pg.inTransaction("updating the reports on " + describe(target), c -> {
      lockTarget(c, target);
      List<ReportRecord> cur = select(c, target);
      List<ReportRecord> returned = Objects.requireNonNull(change.apply(cur), "change returned null");
      List<ReportRecord> next = new ArrayList<>(returned.size());
      for (ReportRecord r : returned) {
        Objects.requireNonNull(r, "change returned a null report");
        if (!r.target().equals(target)) {
          throw new IllegalArgumentException(
              "change returned a report on " + describe(r.target()) + " among the reports on " + describe(target));
        }
        next.add(micros(r));
      }
      int common = Math.min(cur.size(), next.size());
      try (PreparedStatement ps = c.prepareStatement(
          "UPDATE haetae_reports SET reporter = ?, category = ?, at = ?, status = ?, decision = ?, filed_by = ?,"
              + " first_party = ?, resolved_by = ? WHERE target_kind = ? AND target_id = ? AND position = ?")) {
        boolean any = false;
        for (int i = 0; i < common; i++) {
          ReportRecord r = next.get(i);
          if (r.equals(cur.get(i))) {
            continue;
          }
          ps.setString(1, r.reporter().value());
          ps.setString(2, r.category().name());
          Columns.setInstant(ps, 3, r.at());
          ps.setString(4, r.status().name());
          Columns.setOptionalString(ps, 5, r.decision().map(DecisionId::value));
          Columns.setOptionalString(ps, 6, r.filedBy().map(DecisionId::value));
          ps.setBoolean(7, r.firstParty());
          Columns.setOptionalString(ps, 8, r.resolvedBy().map(DecisionId::value));
          ps.setString(9, target.kind());
          ps.setString(10, target.id());
          ps.setInt(11, i);
          ps.addBatch();
          any = true;
        }
        if (any) {
          ps.executeBatch();
        }
      }
      if (cur.size() > next.size()) {
        try (PreparedStatement ps = c.prepareStatement(
            "DELETE FROM haetae_reports WHERE target_kind = ? AND target_id = ? AND position >= ?")) {
          ps.setString(1, target.kind());
          ps.setString(2, target.id());
          ps.setInt(3, next.size());
          ps.executeUpdate();
        }
      }
      for (int i = cur.size(); i < next.size(); i++) {
        insert(c, next.get(i), i);
      }
      return List.copyOf(next);
    });
  }

  /** Creates the target's lock row when missing, and locks it until the transaction ends. */
  private static void lockTarget(Connection c, Target target) throws SQLException {
    try (PreparedStatement ps = c.prepareStatement(
        "INSERT INTO haetae_report_targets (target_kind, target_id) VALUES (?, ?) ON CONFLICT DO NOTHING")) {
      ps.setString(1, target.kind());
      ps.setString(2, target.id());
      ps.executeUpdate();
    }
    try (PreparedStatement ps = c.prepareStatement(
        "SELECT 1 FROM haetae_report_targets WHERE target_kind = ? AND target_id = ? FOR UPDATE")) {
      ps.setString(1, target.kind());
      ps.setString(2, target.id());
      try (ResultSet rs = ps.executeQuery()) {
        if (!rs.next()) {
          throw new SQLException("the lock row of " + describe(target) + " vanished", "55000");
        }
      }
    }
  }

  /** {@inheritDoc} One query on the target's rows, filtered by reporter. */
  @Override
  public Optional<ReportRecord> report(ReporterId reporter, Target target) {
    Objects.requireNonNull(reporter, "reporter");
    Objects.requireNonNull(target, "target");
    return Columns.read(pg, "reading a report on " + describe(target), c -> {
      try (PreparedStatement ps = c.prepareStatement("SELECT " + REPORT_COLUMNS
          + " FROM haetae_reports WHERE target_kind = ? AND target_id = ? AND reporter = ?")) {
        ps.setString(1, target.kind());
        ps.setString(2, target.id());
        ps.setString(3, reporter.value());
        try (ResultSet rs = ps.executeQuery()) {
          return rs.next() ? Optional.of(row(rs, target)) : Optional.<ReportRecord>empty();
        }
      }
    });
  }

  /**
   * {@inheritDoc} One query on the partial index of {@code V15__bank_entry_uploader.sql} (pending,
   * unresolved reports by receipt); the engine calls it once, on its first tick.
   */
  @Override
  public List<ReportRecord> pendingReports(int limit) {
    if (limit < 0) {
      throw new IllegalArgumentException("limit must be at least 0, was " + limit);
    }
    return Columns.read(pg, "reading the pending reports", c -> {
      try (PreparedStatement ps = c.prepareStatement("SELECT target_kind, target_id, " + REPORT_COLUMNS
          + " FROM haetae_reports WHERE status = 'PENDING' AND resolved_by IS NULL ORDER BY at, target_kind,"
          + " target_id, position LIMIT ?")) {
        ps.setInt(1, limit);
        try (ResultSet rs = ps.executeQuery()) {
          List<ReportRecord> out = new ArrayList<>();
          while (rs.next()) {
            out.add(row(rs, target(rs.getString("target_kind"), rs.getString("target_id"))));
          }
          return List.copyOf(out);
        }
      }
    });
  }

  private static Target target(String kind, String id) throws SQLException {
    switch (kind) {
      case "content":
        return Target.content(dev.haetae.moderation.api.ContentId.of(id));
      case "account":
        return Target.account(dev.haetae.moderation.api.AccountId.of(id));
      case "room":
        return Target.room(RoomId.of(id));
      default:
        throw new SQLException("unknown target kind '" + kind + "'", "22P02");
    }
  }

  private static List<ReportRecord> select(Connection c, Target target) throws SQLException {
    try (PreparedStatement ps = c.prepareStatement("SELECT " + REPORT_COLUMNS
        + " FROM haetae_reports WHERE target_kind = ? AND target_id = ? ORDER BY position")) {
      ps.setString(1, target.kind());
      ps.setString(2, target.id());
      try (ResultSet rs = ps.executeQuery()) {
        List<ReportRecord> out = new ArrayList<>();
        while (rs.next()) {
          out.add(row(rs, target));
        }
        return List.copyOf(out);
      }
    }
  }

  /** One row of {@link #REPORT_COLUMNS} on a known target. */
  private static ReportRecord row(ResultSet rs, Target target) throws SQLException {
    String decision = rs.getString("decision");
    String filedBy = rs.getString("filed_by");
    String resolvedBy = rs.getString("resolved_by");
    return new ReportRecord(ReporterId.of(rs.getString("reporter")), target,
        Category.valueOf(rs.getString("category")), Columns.instant(rs, "at"),
        ReportRecord.Status.valueOf(rs.getString("status")),
        decision == null ? Optional.empty() : Optional.of(DecisionId.of(decision)),
        filedBy == null ? Optional.empty() : Optional.of(DecisionId.of(filedBy)), rs.getBoolean("first_party"),
        resolvedBy == null ? Optional.empty() : Optional.of(DecisionId.of(resolvedBy)));
  }

  private static void insert(Connection c, ReportRecord r, int position) throws SQLException {
    try (PreparedStatement ps = c.prepareStatement("INSERT INTO haetae_reports"
        + " (target_kind, target_id, position, reporter, category, at, status, decision, filed_by, first_party,"
        + " resolved_by) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)")) {
      ps.setString(1, r.target().kind());
      ps.setString(2, r.target().id());
      ps.setInt(3, position);
      ps.setString(4, r.reporter().value());
      ps.setString(5, r.category().name());
      Columns.setInstant(ps, 6, r.at());
      ps.setString(7, r.status().name());
      Columns.setOptionalString(ps, 8, r.decision().map(DecisionId::value));
      Columns.setOptionalString(ps, 9, r.filedBy().map(DecisionId::value));
      ps.setBoolean(10, r.firstParty());
      Columns.setOptionalString(ps, 11, r.resolvedBy().map(DecisionId::value));
      ps.executeUpdate();
    }
  }

  private static ReportRecord micros(ReportRecord r) {
    Instant at = Columns.micros(r.at());
    return at.equals(r.at()) ? r : new ReportRecord(r.reporter(), r.target(), r.category(), at, r.status(),
        r.decision(), r.filedBy(), r.firstParty(), r.resolvedBy());
  }

  private static String describe(Target t) {
    return t.kind() + " " + t.id();
  }

  private static String roomsJson(List<AccountEvent.RoomJoin> rooms) {
    ArrayNode a = JSON.createArrayNode();
    for (AccountEvent.RoomJoin j : rooms) {
      a.addObject().put("room", j.room().value()).put("joined_at", j.joinedAt().toString());
    }
    return a.toString();
  }

  private static String instantsJson(List<Instant> instants) {
    ArrayNode a = JSON.createArrayNode();
    for (Instant t : instants) {
      a.add(t.toString());
    }
    return a.toString();
  }

  private static List<ReporterRecord.Trace> micros(List<ReporterRecord.Trace> traces) {
    List<ReporterRecord.Trace> out = new ArrayList<>(traces.size());
    for (ReporterRecord.Trace t : traces) {
      out.add(new ReporterRecord.Trace(t.target(), t.reporter(), t.category(), Columns.micros(t.at()), t.proven()));
    }
    return out;
  }

  private static String tracesJson(List<ReporterRecord.Trace> traces) {
    ArrayNode a = JSON.createArrayNode();
    for (ReporterRecord.Trace t : traces) {
      a.addObject().put("target_kind", t.target().kind()).put("target_id", t.target().id())
          .put("reporter", t.reporter().value()).put("category", t.category().name()).put("at", t.at().toString())
          .put("proven", t.proven());
    }
    return a.toString();
  }

  private static List<ReporterRecord.Trace> traces(String json) throws SQLException {
    List<ReporterRecord.Trace> out = new ArrayList<>();
    for (JsonNode n : parse(json)) {
      String id = n.get("target_id").asText();
      String kind = n.get("target_kind").asText();
      Target target = target(kind, id);
      out.add(new ReporterRecord.Trace(target, ReporterId.of(n.get("reporter").asText()),
          Category.valueOf(n.get("category").asText()), Instant.parse(n.get("at").asText()),
          n.get("proven").asBoolean()));
    }
    return out;
  }

  private static String decisionsJson(List<DecisionId> ids) {
    ArrayNode a = JSON.createArrayNode();
    ids.forEach(d -> a.add(d.value()));
    return a.toString();
  }

  private static List<DecisionId> decisions(String json) throws SQLException {
    List<DecisionId> out = new ArrayList<>();
    for (JsonNode n : parse(json)) {
      out.add(DecisionId.of(n.asText()));
    }
    return out;
  }

  private static List<AccountEvent.RoomJoin> rooms(String json) throws SQLException {
    List<AccountEvent.RoomJoin> out = new ArrayList<>();
    for (JsonNode n : parse(json)) {
      out.add(new AccountEvent.RoomJoin(RoomId.of(n.get("room").asText()), Instant.parse(n.get("joined_at").asText())));
    }
    return out;
  }

  private static List<Instant> instants(String json) throws SQLException {
    List<Instant> out = new ArrayList<>();
    for (JsonNode n : parse(json)) {
      out.add(Instant.parse(n.asText()));
    }
    return out;
  }

  private static JsonNode parse(String json) throws SQLException {
    try {
      return JSON.readTree(json);
    } catch (JsonProcessingException e) {
      throw new SQLException("unreadable JSON in haetae_reporters: " + e.getOriginalMessage(), "22P02", e);
    }
  }
}
