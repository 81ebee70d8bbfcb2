package dev.haetae.moderation.postgres;

import dev.haetae.moderation.api.ConfigurationException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;

/**
 * Applies the module's versioned SQL scripts ({@code migrations/V<n>__<name>.sql}) in order, each in
 * its own transaction with its row in {@code haetae_schema_history}, under an advisory lock so that
 * instances starting together apply each script once. A script already applied is checked against
 * its checksum and not run again.
 */
final class Migrations {
  /** The shipped scripts, in order. A script, once released, is never edited: add a new one. */
  static final List<String> FILES =
      List.of(
          "V1__base.sql",
          "V2__reputation.sql",
          "V3__obligations.sql",
          "V4__decision_log.sql",
          "V5__banks.sql",
          "V6__strikes.sql",
          "V7__report_intake.sql",
          "V8__decision_log_outbox.sql",
          "V9__engine_memory.sql",
          "V10__content_posted_at.sql",
          "V11__bank_entry_category.sql",
          "V12__decision_log_partitions.sql",
          "V13__content_digests.sql",
          "V14__temporary_measures.sql",
          "V15__bank_entry_uploader.sql",
          "V16__reporter_sanction.sql");

  private static final String RESOURCE_DIR = "migrations/";

  /**
   * What the application role may do on each table, and nothing more: the least the adapters' own
   * statements need ({@code SELECT ... FOR UPDATE}/{@code FOR SHARE} and {@code ON CONFLICT DO
   * UPDATE} need UPDATE). Above all, the decision log and its head are never updated backwards or
   * deleted ({@code decision_log} gets no UPDATE or DELETE at all), and no table can be truncated,
   * altered or have its triggers disabled: only the owner can do that. Every table of the schema
   * must be listed here ({@link #grant} refuses otherwise), so a migration that adds a table adds
   * its line. The partitions of {@code decision_log} are not listed: the role reaches them only
   * through the partitioned table, and creates them through {@link #APPLICATION_FUNCTIONS}.
   */
  static final Map<String, String> APPLICATION_PRIVILEGES = Map.ofEntries(
      Map.entry("haetae_schema_history", "SELECT"),
      Map.entry("haetae_meta", "SELECT"),
      Map.entry("haetae_reporters", "SELECT, INSERT, UPDATE"),
      Map.entry("haetae_report_targets", "SELECT, INSERT, UPDATE"),
      Map.entry("haetae_reports", "SELECT, INSERT, UPDATE, DELETE"),
      Map.entry("haetae_obligations", "SELECT, INSERT, UPDATE"),
      Map.entry("haetae_evidence_holds", "SELECT, INSERT, UPDATE"),
      Map.entry("decision_log_head", "SELECT, INSERT, UPDATE"),
      Map.entry("decision_log", "SELECT, INSERT"),
      Map.entry("decision_log_partition", "SELECT"),
      Map.entry("decision_log_prune", "SELECT"),
      Map.entry("decision_log_key", "SELECT"),
      Map.entry("decision_log_outbox", "SELECT, INSERT, DELETE"),
      Map.entry("haetae_content", "SELECT, INSERT, UPDATE, DELETE"),
      Map.entry("haetae_decision_memos", "SELECT, INSERT, UPDATE, DELETE"),
      Map.entry("haetae_appeal_links", "SELECT, INSERT, UPDATE, DELETE"),
      Map.entry("haetae_room_matches", "SELECT, INSERT, DELETE"),
      Map.entry("haetae_protected_photos", "SELECT, INSERT, UPDATE, DELETE"),
      Map.entry("haetae_reinstated_entries", "SELECT, INSERT, UPDATE, DELETE"),
      Map.entry("haetae_measures", "SELECT, INSERT, UPDATE, DELETE"),
      Map.entry("hash_bank", "SELECT, INSERT, UPDATE"),
      Map.entry("hash_bank_entry", "SELECT, INSERT, UPDATE, DELETE"),
      Map.entry("hash_bank_change", "SELECT, INSERT"),
      Map.entry("hash_bank_feedback", "SELECT, INSERT, UPDATE, DELETE"),
      Map.entry("haetae_strikes", "SELECT, INSERT, UPDATE, DELETE"));

  /**
   * The functions the application role may execute: {@code SECURITY DEFINER} functions owned by the
   * owner, each doing one checked thing the role may not do itself.
   */
  static final List<String> APPLICATION_FUNCTIONS = List.of("decision_log_add_partitions(text, bigint)");

  private Migrations() {}

  /**
   * Grants the application role what it needs on the (migrated) schema, and nothing else: usage of
   * the schema (not CREATE), {@link #APPLICATION_PRIVILEGES} per table, and use of the identity
   * sequences. Idempotent; run as the schema's owner.
   *
   * @throws IllegalStateException when the schema holds a table without a line in
   *     {@link #APPLICATION_PRIVILEGES} (a migration added a table and forgot its grants)
   */
  static void grant(HaetaePostgres pg, String role) {
    try (Connection c = pg.connection()) {
      c.setAutoCommit(false);
      List<String> tables = new ArrayList<>();
      try (PreparedStatement ps = c.prepareStatement(
          "SELECT c.relname FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace"
              + " WHERE n.nspname = ? AND c.relkind IN ('r', 'p') AND NOT c.relispartition ORDER BY c.relname")) {
        ps.setString(1, pg.schema());
        try (ResultSet rs = ps.executeQuery()) {
          while (rs.next()) {
            tables.add(rs.getString(1));
          }
        }
      }
      try (Statement st = c.createStatement()) {
        st.execute("REVOKE ALL ON SCHEMA " + pg.schema() + " FROM " + role);
        st.execute("GRANT USAGE ON SCHEMA " + pg.schema() + " TO " + role);
        for (String table : tables) {
          String privileges = APPLICATION_PRIVILEGES.get(table);
          if (privileges == null) {
            throw new IllegalStateException("table " + pg.schema() + "." + table
                + " has no application privileges in Migrations.APPLICATION_PRIVILEGES");
          }
          String t = pg.schema() + "." + table;
          st.execute("REVOKE ALL ON " + t + " FROM " + role);
          st.execute("GRANT " + privileges + " ON " + t + " TO " + role);
        }
        st.execute("GRANT USAGE ON ALL SEQUENCES IN SCHEMA " + pg.schema() + " TO " + role);
        for (String f : APPLICATION_FUNCTIONS) {
          st.execute("GRANT EXECUTE ON FUNCTION " + pg.schema() + "." + f + " TO " + role);
        }
      }
      c.commit();
    } catch (SQLException e) {
      throw denied(e, "granting role " + role + " its privileges on schema " + pg.schema());
    }
  }

  /**
   * Checks, without changing anything, that every shipped migration has been applied to the schema
   * as shipped: what an application role that may not migrate does at start.
   *
   * @throws ConfigurationException when a migration is missing or differs
   */
  static void check(HaetaePostgres pg) {
    Map<Integer, String> done = new HashMap<>();
    try (Connection c = pg.connection();
        Statement st = c.createStatement()) {
      try (ResultSet rs = st.executeQuery("SELECT to_regclass('" + pg.schema() + ".haetae_schema_history')")) {
        rs.next();
        if (rs.getString(1) == null) {
          throw new ConfigurationException("schema " + pg.schema() + " has not been migrated (or this role"
              + " cannot see it): run the migrations as the schema's owner first");
        }
      }
      try (ResultSet rs = st.executeQuery("SELECT version, checksum FROM " + pg.schema() + ".haetae_schema_history")) {
        while (rs.next()) {
          done.put(rs.getInt(1), rs.getString(2));
        }
      }
    } catch (SQLException e) {
      throw denied(e, "checking the migrations of schema " + pg.schema());
    }
    for (String file : FILES) {
      String had = done.get(version(file));
      if (had == null) {
        throw new ConfigurationException("schema " + pg.schema() + " lacks migration " + file
            + ": run the migrations as the schema's owner first");
      }
      if (!had.equals(sha256(read(file)))) {
        throw new ConfigurationException("migration " + file + " in schema " + pg.schema()
            + " differs from the one shipped; released migrations must not be edited");
      }
    }
  }

  /** Stores the size of the decision log's partitions created from now on. */
  static void partitionRecords(HaetaePostgres pg, long records) {
    pg.inTransaction("setting the decision log's partition size in schema " + pg.schema(), c -> {
      try (PreparedStatement ps = c.prepareStatement(
          "UPDATE haetae_meta SET value = ? WHERE key = 'decision_log_partition_records'")) {
        ps.setString(1, Long.toString(records));
        ps.executeUpdate();
      }
      return null;
    });
  }

  /** A missing privilege is a configuration mistake, not an unavailable database. */
  private static RuntimeException denied(SQLException e, String what) {
    if ("42501".equals(e.getSQLState())) {
      return new ConfigurationException(what + ": the connecting role lacks a privilege (" + e.getMessage()
          + "); migrations and grants run as the schema's owner, the application with migrate(false)", e);
    }
    return Jdbc.unavailable(what, e);
  }

  static List<String> migrate(HaetaePostgres pg) {
    return migrate(pg, FILES.size());
  }

  /** Applies the first {@code upTo} shipped migrations (tests migrate an older schema this way). */
  static List<String> migrate(HaetaePostgres pg, int upTo) {
    List<String> applied = new ArrayList<>();
    try (Connection c = pg.connection()) {
      c.setAutoCommit(false);
      try (Statement st = c.createStatement()) {
        // One lock per schema, held until this transaction ends; taken before anything else.
        st.execute("SELECT pg_advisory_xact_lock(hashtext('haetae.migrations." + pg.schema() + "'))");
        st.execute("CREATE SCHEMA IF NOT EXISTS " + pg.schema());
        st.execute("SET LOCAL search_path TO " + pg.schema());
        st.execute(
            "CREATE TABLE IF NOT EXISTS haetae_schema_history ("
                + " version integer PRIMARY KEY,"
                + " name text NOT NULL,"
                + " checksum text NOT NULL,"
                + " applied_at timestamptz NOT NULL DEFAULT now())");
      }
      Map<Integer, String> done = new HashMap<>();
      try (Statement st = c.createStatement();
          ResultSet rs = st.executeQuery("SELECT version, checksum FROM haetae_schema_history")) {
        while (rs.next()) {
          done.put(rs.getInt(1), rs.getString(2));
        }
      }
      for (String file : FILES.subList(0, upTo)) {
        int version = version(file);
        String sql = read(file);
        String checksum = sha256(sql);
        String had = done.get(version);
        if (had != null) {
          if (!had.equals(checksum)) {
            throw new ConfigurationException(
                "migration " + file + " in schema " + pg.schema() + " was applied with checksum "
                    + had + " but the shipped script has " + checksum
                    + "; released migrations must not be edited");
          }
          continue;
        }
        try (Statement st = c.createStatement()) {
          st.execute(sql);
        }
        try (PreparedStatement ins =
            c.prepareStatement(
                "INSERT INTO haetae_schema_history(version, name, checksum) VALUES (?, ?, ?)")) {
          ins.setInt(1, version);
          ins.setString(2, file);
          ins.setString(3, checksum);
          ins.executeUpdate();
        }
        applied.add(file);
      }
      c.commit();
      return List.copyOf(applied);
    } catch (SQLException e) {
      throw denied(e, "migrating schema " + pg.schema());
    }
  }

  static int version(String file) {
    int sep = file.indexOf("__");
    if (!file.startsWith("V") || sep < 2) {
      throw new IllegalStateException("migration file name must be V<n>__<name>.sql: " + file);
    }
    return Integer.parseInt(file.substring(1, sep));
  }

  private static String read(String file) {
    try (InputStream in = Migrations.class.getResourceAsStream(RESOURCE_DIR + file)) {
      if (in == null) {
        throw new IllegalStateException("migration script missing from the jar: " + file);
      }
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new IllegalStateException("cannot read migration script " + file, e);
    }
  }

  private static String sha256(String sql) {
    try {
      return HexFormat.of()
          .formatHex(MessageDigest.getInstance("SHA-256").digest(sql.getBytes(StandardCharsets.UTF_8)));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
