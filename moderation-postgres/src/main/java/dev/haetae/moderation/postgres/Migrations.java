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
          "V9__engine_memory.sql");

  private static final String RESOURCE_DIR = "migrations/";

  private Migrations() {}

  static List<String> migrate(HaetaePostgres pg) {
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
      for (String file : FILES) {
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
      throw Jdbc.unavailable("migrating schema " + pg.schema(), e);
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
