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
import dev.haetae.moderation.core.audit.VerificationReport;
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
    /** Returns false to stop the scan. */
    boolean visit(Row row) throws IOException;
  }

  /**
   * Reads the head and then every row in seq order in one snapshot; returns {next_seq} of the head
   * (its last hash in headHash[0]) or null when the shard has no head row.
   */
  private long[] scan(String what, String[] headHash, RowVisitor visitor) throws IOException {
    try (Connection c = pg.connection()) {
      c.setAutoCommit(false);
      c.setTransactionIsolation(Connection.TRANSACTION_REPEATABLE_READ);
      c.setReadOnly(true);
      try {
        long[] head = null;
        try (PreparedStatement ps =
            c.prepareStatement("SELECT next_seq, last_hash FROM decision_log_head WHERE shard = ?")) {
          ps.setString(1, name);
          try (ResultSet rs = ps.executeQuery()) {
            if (rs.next()) {
              head = new long[] {rs.getLong(1)};
              headHash[0] = rs.getString(2);
            }
          }
        }
        try (PreparedStatement ps = c.prepareStatement(
            "SELECT seq, prev, hash, record FROM decision_log WHERE shard = ? ORDER BY seq")) {
          ps.setFetchSize(FETCH);
          ps.setString(1, name);
          try (ResultSet rs = ps.executeQuery()) {
            while (rs.next()) {
              if (!visitor.visit(new Row(rs.getLong(1), rs.getString(2), rs.getString(3), rs.getBytes(4)))) {
                break;
              }
            }
          }
        }
        c.commit();
        return head;
      } catch (SQLException | IOException | RuntimeException e) {
        try {
          c.rollback();
        } catch (SQLException r) {
          e.addSuppressed(r);
        }
        throw e;
      } finally {
        try {
          c.setReadOnly(false);
          c.setTransactionIsolation(Connection.TRANSACTION_READ_COMMITTED);
          c.setAutoCommit(true);
        } catch (SQLException ignored) {
          // a broken connection; the pool discards it
        }
      }
    } catch (SQLException e) {
      throw Jdbc.unavailable(what + " decision log shard " + name, e);
    }
  }

  /**
   * Verifies the shard: every record's own hash (a changed byte), that the stored sequence number
   * and hashes agree with the record line, that sequence numbers run 0, 1, 2, ... without gaps or
   * repeats, that each record's {@code prev} is the previous record's hash, and that the head row
   * points at the last record (records removed from the end). Reports the first problem with the
   * sequence number of the first record affected; its location is {@code shard:<name>} and line
   * {@code seq + 1}.
   *
   * <p>The schema's triggers already refuse gaps, forks, updates and deletes from any writer, so a
   * problem here means the tables were changed with those triggers disabled (by the table owner or
   * a superuser), or the storage was damaged. Unlike the file log, a shard has no signed
   * checkpoints: whoever can disable the triggers can also rewrite the whole chain consistently.
   * Export the shard regularly and keep the last hash elsewhere to detect that.
   *
   * @return the report; never null; its {@code segments} is 1 when the shard has records, its
   *     {@code checkpoints} 0
   * @throws StoreUnavailableException when the database cannot be reached (damage is reported, not
   *     thrown)
   */
  public VerificationReport verify() {
    String loc = location();
    long[] expected = {0};
    String[] prev = {RecordFormat.GENESIS};
    VerificationReport.Problem[] problem = {null};
    String[] headHash = {null};
    long[] head;
    try {
      head = scan("verifying", headHash, row -> {
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
          problem[0] = problem(row.seq > seq ? VerificationReport.Kind.MISSING_RECORD
              : VerificationReport.Kind.OUT_OF_ORDER, seq, "found seq " + row.seq + " where seq " + seq
              + " was expected");
          return false;
        }
        if (!f.prev().equals(prev[0])) {
          problem[0] = problem(VerificationReport.Kind.CHAIN_BROKEN, seq, "prev " + abbrev(f.prev())
              + " is not the previous record's hash " + abbrev(prev[0]));
          return false;
        }
        prev[0] = f.hash();
        expected[0]++;
        return true;
      });
    } catch (IOException e) {
      throw new IllegalStateException(e); // the visitor does no I/O
    }
    long records = expected[0];
    if (problem[0] == null) {
      long headNext = head == null ? 0 : head[0];
      if (headNext > records) {
        problem[0] = problem(VerificationReport.Kind.MISSING_RECORD, records, "the head row says the shard has "
            + headNext + " records but they end before seq " + records + ": records were removed from the end");
      } else if (headNext < records) {
        problem[0] = problem(VerificationReport.Kind.OUT_OF_ORDER, headNext, "records from seq " + headNext
            + " on are beyond the head row (" + (head == null ? "missing" : "next seq " + headNext) + ")");
      } else if (head != null && !headHash[0].equals(prev[0])) {
        problem[0] = problem(VerificationReport.Kind.CHAIN_BROKEN, Math.max(0, records - 1),
            "the head row's last hash " + abbrev(headHash[0]) + " is not the last record's hash "
                + abbrev(prev[0]));
      }
    }
    List<String> notes = new ArrayList<>();
    notes.add("PostgreSQL shard " + name + " in schema " + pg.schema() + ": hash chain and head row checked;"
        + " a shard has no signed checkpoints");
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
    long[] expected = {0};
    String[] prev = {RecordFormat.GENESIS};
    try {
      scan("reading", new String[1], row -> {
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
        return true;
      });
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
    return expected[0];
  }

  private DecisionLogException damaged(long seq, String what) {
    return new DecisionLogException("decision log shard " + name + " damaged at seq " + seq + ": " + what
        + "; run verify() for details", null);
  }

  /**
   * Writes the shard's records, exactly as stored and in sequence order, to a directory in the file
   * log's format: {@code segment-<first seq>.jsonl} files of at most {@code 64 MiB} and an empty
   * {@code keys.jsonl} (a shard has no signed checkpoints). {@link AuditLog#open(Path)} and the
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
      Files.write(dir.resolve("keys.jsonl"), new byte[0], StandardOpenOption.CREATE,
          StandardOpenOption.TRUNCATE_EXISTING, StandardOpenOption.WRITE);
      long segmentLimit = 64L << 20;
      long[] n = {0};
      OutputStream[] out = {null};
      long[] size = {0};
      try {
        scan("exporting", new String[1], row -> {
          if (out[0] == null || size[0] >= segmentLimit) {
            if (out[0] != null) {
              out[0].close();
            }
            out[0] = Files.newOutputStream(dir.resolve(RecordFormat.segmentName(row.seq)),
                StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE);
            size[0] = 0;
          }
          out[0].write(row.record);
          out[0].write('\n');
          size[0] += row.record.length + 1;
          n[0]++;
          return true;
        });
      } finally {
        if (out[0] != null) {
          out[0].close();
        }
      }
      return n[0];
    } catch (IOException e) {
      throw new DecisionLogException("cannot export decision log shard " + name + " to " + dir + ": " + e, e);
    }
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
