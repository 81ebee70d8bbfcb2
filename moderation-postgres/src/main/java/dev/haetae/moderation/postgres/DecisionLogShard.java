package dev.haetae.moderation.postgres;

import dev.haetae.moderation.api.ConfigurationException;
import dev.haetae.moderation.api.DecisionLogException;
import dev.haetae.moderation.api.StoreUnavailableException;
import dev.haetae.moderation.api.spi.DecisionLog;
import dev.haetae.moderation.api.spi.Pseudonymizer;
import dev.haetae.moderation.core.audit.AuditLog;
import dev.haetae.moderation.core.audit.EngineLog;
import dev.haetae.moderation.core.audit.LogEntry;
import dev.haetae.moderation.core.audit.LoggedRecord;
import dev.haetae.moderation.core.audit.Pseudonymizers;
import dev.haetae.moderation.core.audit.RecordFormat;
import dev.haetae.moderation.core.audit.Retention;
import dev.haetae.moderation.core.audit.VerificationReport;
import dev.haetae.moderation.core.legal.Instrument;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.function.Consumer;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * One shard of the decision log in PostgreSQL: a hash chain of records numbered 0, 1, 2, ... that
 * every backend instance writing to the shard extends, with no gaps and no forks. Get one from
 * {@link HaetaePostgres#decisionLogShard(String)}.
 *
 * <p>Records are stored in the decision log's own format ({@link RecordFormat}): each row holds the
 * exact line the file log ({@code DecisionLogs.directory}) would have written, with people, rooms,
 * content, notices and appeals as keyed pseudonyms and free text masked. So a shard can be
 * {@linkplain #verify() verified} where it is, {@linkplain #forEach read back} for replay, or
 * {@linkplain #exportTo(Path) exported} to a directory that {@link AuditLog#open(Path)}, {@code
 * Replayer} and the {@code haetae verify}/{@code replay}/{@code export-sor} commands read.
 *
 * <p>Writing goes through {@link #logBuilder()}. Reading uses one repeatable-read transaction, so it
 * sees a consistent prefix of a shard that writers are still extending.
 *
 * <p><b>Thread safety.</b> Immutable; safe to share. Every method reads the database afresh.
 *
 * @since 0.1
 */
public final class DecisionLogShard {
  private static final Pattern NAME = Pattern.compile("[A-Za-z0-9._:-]{1,100}");
  private static final int FETCH = 256;

  private final HaetaePostgres pg;
  private final String name;

  DecisionLogShard(HaetaePostgres pg, String name) {
    Objects.requireNonNull(name, "shard");
    if (!NAME.matcher(name).matches()) {
      throw new ConfigurationException("shard: '" + name
          + "' is not a shard name (1..100 characters of letters, digits, '.', '_', ':' and '-')");
    }
    this.pg = pg;
    this.name = name;
  }

  /**
   * The shard's name.
   *
   * @return the name; never null
   */
  public String name() {
    return name;
  }

  /**
   * Where this shard's records are, in {@link LoggedRecord#segment()} and in problems: {@code
   * shard:<name>}. A record's line there is its sequence number plus one.
   *
   * @return the location; never null
   */
  public String location() {
    return "shard:" + name;
  }

  /**
   * Starts configuring a writer of this shard.
   *
   * @return a new builder; not thread-safe
   */
  public Builder logBuilder() {
    return new Builder(this);
  }

  /**
   * The number of records committed to the shard (its head's next sequence number).
   *
   * @return 0 or more
   * @throws StoreUnavailableException when the database cannot be reached
   */
  public long size() {
    return pg.inTransaction("reading the head of decision log shard " + name, c -> {
      try (PreparedStatement ps = c.prepareStatement("SELECT next_seq FROM decision_log_head WHERE shard = ?")) {
        ps.setString(1, name);
        try (ResultSet rs = ps.executeQuery()) {
          return rs.next() ? rs.getLong(1) : 0L;
        }
      }
    });
  }

  /** A row as stored. */
  private static final class Row {
    final long seq;
    final String prev;
    final String hash;
    final byte[] record;

    Row(long seq, String prev, String hash, byte[] record) {
      this.seq = seq;
      this.prev = prev;
      this.hash = hash;
      this.record = record;
    }
  }

  /** Receives the rows of a scan. */
  private interface RowVisitor {
    /** Returns false to stop the scan; {@code snap} holds what was read before the rows. */
    boolean visit(Row row, Snapshot snap) throws IOException;
  }

  /** What a scan read besides the rows, in the same snapshot. */
  static final class Snapshot {
    /** The head's next seq, or -1 without a head row. */
    long headNext = -1;
    String headHash;
    /** The prune records (prunes.jsonl lines), oldest first. */
    final List<byte[]> prunes = new ArrayList<>();
    /** The keys that sign them (keys.jsonl lines). */
    final List<byte[]> keys = new ArrayList<>();
    /** The first seq of each partition of the shard. */
    final java.util.TreeSet<Long> partitionStarts = new java.util.TreeSet<>();
    /** Where the rows start after the last prune record (read, not verified): seq and prev; 0 and genesis without. */
    long start;
    String startPrev = RecordFormat.GENESIS;
    /** Why the last prune record cannot be read, or null. */
    String badPrune;
  }

  /**
   * Reads the head, the prune records, keys and partitions, and then every row in seq order in one
   * snapshot.
   */
  private Snapshot scan(String what, RowVisitor visitor) throws IOException {
    try (Connection c = pg.connection()) {
      c.setAutoCommit(false);
      try {
        try (java.sql.Statement st = c.createStatement()) {
          // in the transaction, not the session: a transaction-mode pooler would keep a session's setting
          st.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY");
        }
        Snapshot snap = new Snapshot();
        try (PreparedStatement ps =
            c.prepareStatement("SELECT next_seq, last_hash FROM decision_log_head WHERE shard = ?")) {
          ps.setString(1, name);
          try (ResultSet rs = ps.executeQuery()) {
            if (rs.next()) {
              snap.headNext = rs.getLong(1);
              snap.headHash = rs.getString(2);
            }
          }
        }
        readSide(c, "SELECT line FROM decision_log_prune WHERE shard = ? ORDER BY first_seq", snap.prunes);
        readSide(c, "SELECT line FROM decision_log_key WHERE shard = ? ORDER BY kid", snap.keys);
        try (PreparedStatement ps = c.prepareStatement("SELECT first_seq FROM decision_log_partition WHERE shard = ?")) {
          ps.setString(1, name);
          try (ResultSet rs = ps.executeQuery()) {
            while (rs.next()) {
              snap.partitionStarts.add(rs.getLong(1));
            }
          }
        }
        if (!snap.prunes.isEmpty()) {
          try {
            com.fasterxml.jackson.databind.JsonNode last =
                JSON.readTree(snap.prunes.get(snap.prunes.size() - 1));
            long to = last.path("to").asLong(-1);
            String lastHash = last.path("last_hash").asText("");
            if (!last.path("to").isIntegralNumber() || to < 0 || !lastHash.matches("[0-9a-f]{64}")) {
              snap.badPrune = "the last prune record has no valid \"to\" and \"last_hash\"";
            } else {
              snap.start = to + 1;
              snap.startPrev = lastHash;
            }
          } catch (IOException e) {
            snap.badPrune = "the last prune record is not JSON: " + e.getMessage();
          }
        }
        try (PreparedStatement ps = c.prepareStatement(
            "SELECT seq, prev, hash, record FROM decision_log WHERE shard = ? ORDER BY seq")) {
          ps.setFetchSize(FETCH);
          ps.setString(1, name);
          try (ResultSet rs = ps.executeQuery()) {
            while (rs.next()) {
              if (!visitor.visit(new Row(rs.getLong(1), rs.getString(2), rs.getString(3), rs.getBytes(4)), snap)) {
                break;
              }
            }
          }
        }
        c.commit();
        return snap;
      } catch (SQLException | IOException | RuntimeException e) {
        try {
          c.rollback();
        } catch (SQLException r) {
          e.addSuppressed(r);
        }
        throw e;
      } finally {
        try {
          c.setAutoCommit(true);
        } catch (SQLException ignored) {
          // a broken connection; the pool discards it
        }
      }
    } catch (SQLException e) {
      throw Jdbc.unavailable(what + " decision log shard " + name, e);
    }
  }

  private void readSide(Connection c, String sql, List<byte[]> into) throws SQLException {
    try (PreparedStatement ps = c.prepareStatement(sql)) {
      ps.setString(1, name);
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          into.add(rs.getBytes(1));
        }
      }
    }
  }

  private static final com.fasterxml.jackson.databind.ObjectMapper JSON = new com.fasterxml.jackson.databind.ObjectMapper();

  /**
   * Verifies the shard: every record's own hash (a changed byte), that the stored sequence number
   * and hashes agree with the record line, that sequence numbers run 0, 1, 2, ... without gaps or
   * repeats, that each record's {@code prev} is the previous record's hash, and that the head row
   * points at the last record (records removed from the end). Reports the first problem with the
   * sequence number of the first record affected; its location is {@code shard:<name>} and line
   * {@code seq + 1}.
   *
   * <p>After a {@linkplain #prune prune} the records start after the pruned range: the prune records
   * are checked as the file log checks them (each signature against the keys in {@code
   * decision_log_key}, ranges continuing one another from seq 0, one log identity: otherwise {@code
   * BAD_PRUNE_RECORD}), the first record kept must name the range's last hash ({@code
   * CHAIN_BROKEN}), and records missing at the start without a prune record that covers them (a
   * partition dropped without one) are a {@code MISSING_RECORD}. Each prune is reported among the
   * notes.
   *
   * <p>The schema's triggers already refuse gaps, forks, updates and deletes from any writer, so a
   * problem here means the tables were changed with those triggers disabled (by the table owner or
   * a superuser), or the storage was damaged. Unlike the file log, a shard has no signed
   * checkpoints: whoever can disable the triggers can also rewrite the whole chain consistently.
   * Export the shard regularly and keep the last hash elsewhere to detect that.
   *
   * @return the report; never null; its {@code records} counts the records kept, its {@code
   *     segments} is 1 when the shard has records, its {@code checkpoints} 0
   * @throws StoreUnavailableException when the database cannot be reached (damage is reported, not
   *     thrown)
   */
  public VerificationReport verify() {
    long[] expected = {-1};
    String[] prev = {null};
    VerificationReport.Problem[] problem = {null};
    byte[][] firstKept = {null};
    Snapshot snap;
    try {
      snap = scan("verifying", (row, sn) -> {
        if (expected[0] < 0) {
          expected[0] = sn.start;
          prev[0] = sn.startPrev;
          firstKept[0] = row.record;
        }
        long seq = expected[0];
        RecordFormat.Frame f;
        try {
          f = RecordFormat.check(row.record);
        } catch (DecisionLogException e) {
          problem[0] = problem(VerificationReport.Kind.CORRUPT_RECORD, Math.min(seq, row.seq), e.getMessage());
          return false;
        }
        if (f.seq() != row.seq || !f.prev().equals(row.prev) || !f.hash().equals(row.hash)) {
          problem[0] = problem(VerificationReport.Kind.CORRUPT_RECORD, Math.min(seq, row.seq),
              "the row's seq/prev/hash columns (" + row.seq + ", " + abbrev(row.prev) + ", " + abbrev(row.hash)
                  + ") differ from its record line (" + f.seq() + ", " + abbrev(f.prev()) + ", "
                  + abbrev(f.hash()) + ")");
          return false;
        }
        if (row.seq != seq) {
          String what = seq == sn.start && row.seq > seq
              ? "records " + seq + ".." + (row.seq - 1) + " are missing and no prune record covers them (a partition"
                  + " dropped, or rows removed, without a signed prune record)"
              : "found seq " + row.seq + " where seq " + seq + " was expected";
          problem[0] = problem(row.seq > seq ? VerificationReport.Kind.MISSING_RECORD
              : VerificationReport.Kind.OUT_OF_ORDER, seq, what);
          return false;
        }
        if (!f.prev().equals(prev[0])) {
          problem[0] = problem(VerificationReport.Kind.CHAIN_BROKEN, seq, "prev " + abbrev(f.prev())
              + " is not the previous record's hash " + abbrev(prev[0])
              + (seq == sn.start && seq > 0 ? " (the last hash of the pruned range)" : ""));
          return false;
        }
        prev[0] = f.hash();
        expected[0]++;
        return true;
      });
    } catch (IOException e) {
      throw new IllegalStateException(e); // the visitor does no I/O
    }
    if (expected[0] < 0) {
      expected[0] = snap.start;
      prev[0] = snap.startPrev;
    }
    List<String> notes = new ArrayList<>();
    notes.add("PostgreSQL shard " + name + " in schema " + pg.schema() + ": hash chain and head row checked;"
        + " a shard has no signed checkpoints");
    if (snap.badPrune != null) {
      problem[0] = new VerificationReport.Problem(VerificationReport.Kind.BAD_PRUNE_RECORD, location() + " prunes",
          snap.prunes.size(), 0, snap.badPrune);
    } else if (!snap.prunes.isEmpty()) {
      VerificationReport.Problem bad = ShardRetention.verifyPrunes(this, snap, firstKept[0], notes);
      if (bad != null) {
        problem[0] = bad;
      }
    }
    long records = expected[0] - snap.start;
    if (problem[0] == null) {
      long headNext = snap.headNext < 0 ? 0 : snap.headNext;
      long end = expected[0];
      if (headNext > end) {
        problem[0] = problem(VerificationReport.Kind.MISSING_RECORD, end, "the head row says the shard has "
            + headNext + " records but they end before seq " + end + ": records were removed from the end");
      } else if (headNext < end) {
        problem[0] = problem(VerificationReport.Kind.OUT_OF_ORDER, headNext, "records from seq " + headNext
            + " on are beyond the head row (" + (snap.headNext < 0 ? "missing" : "next seq " + headNext) + ")");
      } else if (snap.headNext >= 0 && end > 0 && !snap.headHash.equals(prev[0])) {
        problem[0] = problem(VerificationReport.Kind.CHAIN_BROKEN, Math.max(0, end - 1),
            "the head row's last hash " + abbrev(snap.headHash) + " is not the last record's hash "
                + abbrev(prev[0]));
      }
    }
    return new VerificationReport(records, records > 0 ? 1 : 0, 0, Optional.ofNullable(problem[0]), List.of(), notes,
        records, false);
  }

  private VerificationReport.Problem problem(VerificationReport.Kind kind, long seq, String message) {
    return new VerificationReport.Problem(kind, location(), seq + 1, seq, message);
  }

  private static String abbrev(String hash) {
    return hash == null ? "null" : hash.length() > 12 ? hash.substring(0, 12) + "…" : hash;
  }

  /**
   * Reads every decision record in sequence order, checking each record's hash and chain link as
   * it goes (as {@link AuditLog#forEach} does), and hands it to {@code consumer}; event records are
   * checked and skipped (see {@link #forEachEntry}). The records' ids are the stored pseudonyms;
   * replay them with {@code Replayer.replay(LoggedRecord)}.
   *
   * @param consumer receives each decision record; not null; exceptions it throws propagate
   * @return the number of decision records read
   * @throws DecisionLogException when a record is damaged or cannot be decoded; the message names
   *     the shard and the sequence number
   * @throws StoreUnavailableException when the database cannot be reached
   */
  public long forEach(Consumer<LoggedRecord> consumer) {
    Objects.requireNonNull(consumer, "consumer");
    long[] n = {0};
    forEachEntry(e -> {
      if (e instanceof LoggedRecord) {
        consumer.accept((LoggedRecord) e);
        n[0]++;
      }
    });
    return n[0];
  }

  /**
   * Reads every record, decisions and events, in sequence order, checking each record's hash and
   * chain link as it goes (as {@link AuditLog#forEachEntry} does), and hands it to {@code
   * consumer}.
   *
   * @param consumer receives each record; not null; exceptions it throws propagate
   * @return the number of records read
   * @throws DecisionLogException when a record is damaged or cannot be decoded; the message names
   *     the shard and the sequence number
   * @throws StoreUnavailableException when the database cannot be reached
   * @since 0.2
   */
  public long forEachEntry(Consumer<LogEntry> consumer) {
    Objects.requireNonNull(consumer, "consumer");
    long[] expected = {-1};
    String[] prev = {null};
    long[] read = {0};
    try {
      scan("reading", (row, sn) -> {
        if (expected[0] < 0) {
          if (sn.badPrune != null) {
            throw damaged(sn.start, sn.badPrune);
          }
          expected[0] = sn.start;
          prev[0] = sn.startPrev;
        }
        long seq = expected[0];
        RecordFormat.Frame f;
        try {
          f = RecordFormat.check(row.record);
        } catch (DecisionLogException e) {
          throw damaged(seq, e.getMessage());
        }
        if (row.seq != seq || f.seq() != seq) {
          throw damaged(seq, "found seq " + row.seq);
        }
        if (!f.prev().equals(prev[0])) {
          throw damaged(seq, "hash chain broken");
        }
        consumer.accept(RecordFormat.decodeEntry(f, location(), seq + 1));
        prev[0] = f.hash();
        expected[0]++;
        read[0]++;
        return true;
      });
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
    return read[0];
  }

  private DecisionLogException damaged(long seq, String what) {
    return new DecisionLogException("decision log shard " + name + " damaged at seq " + seq + ": " + what
        + "; run verify() for details", null);
  }

  /**
   * Writes the shard's records, exactly as stored and in sequence order, to a directory in the file
   * log's format: one {@code segment-<first seq>.jsonl} file per partition, {@code keys.jsonl} with
   * the keys of the shard's prune records (empty without; a shard has no signed checkpoints) and,
   * after a prune, {@code prunes.jsonl} with its prune records, the records starting after them. {@link AuditLog#open(Path)} and the
   * {@code haetae} audit commands then verify, replay and export it; damage in the database shows
   * up there as it would in a file log. Reads one consistent snapshot; records committed after it
   * began are not included.
   *
   * @param dir a directory that does not exist or holds no segment files; created when missing;
   *     not null
   * @return the number of records written
   * @throws DecisionLogException when the directory already holds a log or cannot be written
   * @throws StoreUnavailableException when the database cannot be reached
   */
  public long exportTo(Path dir) {
    Objects.requireNonNull(dir, "dir");
    try {
      Files.createDirectories(dir);
      try (Stream<Path> s = Files.list(dir)) {
        if (s.anyMatch(p -> p.getFileName().toString().startsWith("segment-"))) {
          throw new DecisionLogException("cannot export decision log shard " + name + " to " + dir
              + ": the directory already holds segment files", null);
        }
      }
      long[] n = {0};
      OutputStream[] out = {null};
      Snapshot snap;
      try {
        snap = scan("exporting", (row, sn) -> {
          if (out[0] == null || sn.partitionStarts.contains(row.seq)) {
            if (out[0] != null) {
              out[0].close();
            }
            out[0] = Files.newOutputStream(dir.resolve(RecordFormat.segmentName(row.seq)),
                StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE);
          }
          out[0].write(row.record);
          out[0].write('\n');
          n[0]++;
          return true;
        });
      } finally {
        if (out[0] != null) {
          out[0].close();
        }
      }
      writeLines(dir.resolve("keys.jsonl"), snap.keys);
      if (!snap.prunes.isEmpty()) {
        writeLines(dir.resolve("prunes.jsonl"), snap.prunes);
      }
      return n[0];
    } catch (IOException e) {
      throw new DecisionLogException("cannot export decision log shard " + name + " to " + dir + ": " + e, e);
    }
  }

  private static void writeLines(Path file, List<byte[]> lines) throws IOException {
    try (OutputStream o = Files.newOutputStream(file, StandardOpenOption.CREATE, StandardOpenOption.TRUNCATE_EXISTING,
        StandardOpenOption.WRITE)) {
      for (byte[] l : lines) {
        o.write(l);
        o.write('\n');
      }
    }
  }

  /**
   * Plans which whole partitions at the head of this shard a retention duty lets go, as {@link
   * Retention#plan} does for a directory log: each partition is one {@link Retention.Segment} (named
   * {@code segment-<first seq>.jsonl}, as in an {@linkplain #exportTo export}); the period is the
   * longest minimum of {@code instruments} and {@code floor}; a partition may go only when all of
   * its records are older than the cutoff, in an unbroken run from the head that stops before the
   * shard's last partition with records (open for appends), a record of an obligation still open,
   * and the configuration record in force for the first record kept. Changes nothing. Reads the
   * whole shard once (through a temporary export, deleted after).
   *
   * @param instruments every instrument that applies to the shard's records; not null
   * @param floor the host's own minimum, zero or more; not null
   * @param now the instant to plan at (from the host's clock); not null
   * @return the plan; never null
   * @throws IllegalArgumentException when {@code floor} is negative
   * @throws DecisionLogException when the shard is damaged or the temporary export fails
   * @throws StoreUnavailableException when the database cannot be reached
   * @since 0.3
   */
  public Retention.Plan planRetention(java.util.Collection<Instrument> instruments, java.time.Duration floor,
      java.time.Instant now) {
    return ShardRetention.plan(this, instruments, floor, now);
  }

  /**
   * Removes the partitions of a plan from the shard: writes a prune record signed with {@code keys}
   * in the file log's format ({@code haetae-prune-v1}: the shard's identity, the range, its first
   * and last hashes, the segments, rule, cutoff and time) into {@code decision_log_prune}, the
   * public key into {@code decision_log_key} when absent, then detaches and drops the partitions,
   * all in one transaction: the prune record and the drop commit together or not at all. Writers
   * of the shard wait for that transaction (DETACH takes an exclusive lock on {@code
   * decision_log} for a moment). Run as the schema's owner: the application role may not drop
   * partitions. Afterwards {@link #verify()}, the readers and {@link #exportTo} start after the
   * pruned range; {@code verify} checks the record's signature and that the first record kept
   * names the range's last hash.
   *
   * @param plan a plan from {@link #planRetention} on this shard; not null
   * @param kid the signing key's id; not null
   * @param keys an Ed25519 key pair; not null
   * @param at the prune's time (from the host's clock); not null
   * @return the number of partitions dropped
   * @throws IllegalStateException when the shard's head partitions are no longer the plan's (plan
   *     again), or a segment of the plan is not one whole partition
   * @throws dev.haetae.moderation.api.ConfigurationException when the connecting role may not drop
   *     partitions (connect as the schema's owner)
   * @throws DecisionLogException when the shard is damaged or the temporary export fails
   * @throws StoreUnavailableException when the database cannot be reached
   * @since 0.3
   */
  public int prune(Retention.Plan plan, String kid, java.security.KeyPair keys, java.time.Instant at) {
    return ShardRetention.prune(this, plan, kid, keys, at);
  }

  HaetaePostgres pg() {
    return pg;
  }

  @Override
  public String toString() {
    return "DecisionLogShard[" + name + " in schema " + pg.schema() + "]";
  }

  /**
   * Configures a writer of one shard. Not thread-safe; build once per process and share the log.
   *
   * @since 0.1
   */
  public static final class Builder {
    private final DecisionLogShard shard;
    private Pseudonymizer pseudonymizer;
    private final Set<String> keep = new LinkedHashSet<>();
    private int maxBatch = 512;

    private Builder(DecisionLogShard shard) {
      this.shard = shard;
    }

    /**
     * The pseudonymizer for every id written. Every instance writing to the shard must use the same
     * key (e.g. {@link Pseudonymizers#hmacSha256} with a key from the secret store), or the same
     * account gets different pseudonyms depending on the instance. Default: {@link
     * Pseudonymizers#ephemeral()}, whose pseudonyms differ between processes; fine for tests only.
     *
     * @param value the pseudonymizer; not null
     * @return this builder
     */
    public Builder pseudonymizer(Pseudonymizer value) {
      this.pseudonymizer = Objects.requireNonNull(value, "pseudonymizer");
      return this;
    }

    /**
     * Keeps one free-text field instead of masking it, as {@code DecisionLogs.Builder.keepText}
     * does for the file log.
     *
     * @param field one of {@link RecordFormat#textFields()}; not null
     * @return this builder
     * @throws IllegalArgumentException when the field is not one of those
     */
    public Builder keepText(String field) {
      if (!RecordFormat.textFields().contains(Objects.requireNonNull(field, "field"))) {
        throw new IllegalArgumentException("unknown free-text field '" + field + "'; allowed: "
            + new java.util.TreeSet<>(RecordFormat.textFields()));
      }
      keep.add(field);
      return this;
    }

    /**
     * The most records one transaction commits (group commit). Default 512; 1 commits every record
     * in its own transaction (for comparison in benchmarks).
     *
     * @param records 1 to 10000
     * @return this builder
     * @throws IllegalArgumentException when out of range
     */
    public Builder maxBatch(int records) {
      if (records < 1 || records > 10_000) {
        throw new IllegalArgumentException("maxBatch must be 1..10000, got " + records);
      }
      this.maxBatch = records;
      return this;
    }

    /**
     * Builds the writer. Touches no database: the shard's head row is created by the first append
     * when missing, and a database that is down fails the appends, not this method.
     *
     * <p>The log is an {@link EngineLog}: besides decisions, it takes decisions with their effects
     * and obligation events, whose outbox entries it inserts in the same transaction (table {@code
     * decision_log_outbox}), and the engine's event records. {@link EngineLog#pending()} reads the
     * shard's entries not yet carried out, whichever process wrote them; {@link EngineLog#done}
     * deletes an entry with the log's next transaction (or at {@link DecisionLog#close()}).
     *
     * <p>The log's {@link DecisionLog#append} is thread-safe and returns only after the transaction
     * holding its record has committed; concurrent appends share one transaction (group commit).
     * It returns the record's sequence number in the shard, which other instances extend too. When
     * the transaction fails it throws {@link DecisionLogException} (its cause a {@link
     * StoreUnavailableException} when the database was unreachable): the record was not written
     * and has no sequence number, except in the one case the message names, a connection that broke
     * during COMMIT, where PostgreSQL may have committed it. The log stays usable; later appends
     * succeed once the database is back. {@link DecisionLog#close()} waits for queued appends and
     * leaves the pool open.
     *
     * @return the log; never null
     */
    public EngineLog build() {
      Pseudonymizer p = pseudonymizer != null ? pseudonymizer : Pseudonymizers.ephemeral();
      return new PgDecisionLog(shard.pg, shard.name, RecordFormat.of(p, keep), maxBatch);
    }
  }
}
