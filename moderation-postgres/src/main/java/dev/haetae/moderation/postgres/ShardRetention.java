package dev.haetae.moderation.postgres;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.haetae.moderation.api.ConfigurationException;
import dev.haetae.moderation.api.DecisionLogException;
import dev.haetae.moderation.api.StoreUnavailableException;
import dev.haetae.moderation.core.audit.AuditLog;
import dev.haetae.moderation.core.audit.ProgressListener;
import dev.haetae.moderation.core.audit.RecordFormat;
import dev.haetae.moderation.core.audit.Retention;
import dev.haetae.moderation.core.audit.VerificationReport;
import dev.haetae.moderation.core.legal.Instrument;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;
import java.util.stream.Stream;

/**
 * Retention on a PostgreSQL shard, designed once in {@link Retention}: the shard is exported to a
 * temporary directory with one segment per partition, {@link Retention#plan} plans on it and {@link
 * Retention#prune} signs the prune record there (same format, same keys file); the record and the key
 * then go into {@code decision_log_prune} and {@code decision_log_key} and the partitions are
 * detached and dropped, in one transaction. Verification writes the prune records, the keys and the
 * first record kept into a temporary directory and lets {@link AuditLog#verify()} check them, so the
 * signature rules are those of the file log. Stateless.
 */
final class ShardRetention {
  private static final ObjectMapper JSON = new ObjectMapper();

  private ShardRetention() {}

  static Retention.Plan plan(DecisionLogShard shard, Collection<Instrument> instruments, Duration floor, Instant now) {
    Objects.requireNonNull(instruments, "instruments");
    Objects.requireNonNull(floor, "floor");
    Objects.requireNonNull(now, "now");
    Path tmp = temp(shard);
    try {
      shard.exportTo(tmp);
      return Retention.plan(AuditLog.open(tmp), instruments, floor, now, ProgressListener.NONE);
    } finally {
      delete(tmp);
    }
  }

  static int prune(DecisionLogShard shard, Retention.Plan plan, String kid, KeyPair keys, Instant at) {
    Objects.requireNonNull(plan, "plan");
    Objects.requireNonNull(kid, "kid");
    Objects.requireNonNull(keys, "keys");
    Objects.requireNonNull(at, "at");
    if (plan.removable().isEmpty()) {
      return 0;
    }
    Path tmp = temp(shard);
    try {
      shard.exportTo(tmp);
      // checks that the plan is the export's head and continues the last prune, then signs
      int n = Retention.prune(AuditLog.open(tmp), plan, kid, keys, at);
      List<String> prunes = Files.readAllLines(tmp.resolve("prunes.jsonl"), StandardCharsets.UTF_8);
      byte[] pruneLine = prunes.get(prunes.size() - 1).getBytes(StandardCharsets.UTF_8);
      byte[] keyLine = null;
      for (String l : Files.readAllLines(tmp.resolve("keys.jsonl"), StandardCharsets.UTF_8)) {
        if (!l.isBlank() && kid.equals(JSON.readTree(l).path("kid").asText(null))) {
          keyLine = l.getBytes(StandardCharsets.UTF_8);
        }
      }
      if (keyLine == null) {
        throw new IllegalStateException("the prune key '" + kid + "' is missing from the export's keys");
      }
      drop(shard, plan, pruneLine, kid, keyLine);
      return n;
    } catch (IOException e) {
      throw new DecisionLogException("cannot prune decision log shard " + shard.name() + ": " + e.getMessage(), e);
    } finally {
      delete(tmp);
    }
  }

  private static void drop(DecisionLogShard shard, Retention.Plan plan, byte[] pruneLine, String kid, byte[] keyLine) {
    String name = shard.name();
    Retention.Segment first = plan.removable().get(0);
    Retention.Segment last = plan.removable().get(plan.removable().size() - 1);
    try {
      shard.pg().inTransaction("pruning decision log shard " + name, c -> {
        List<String> tables = new ArrayList<>();
        try (PreparedStatement ps = c.prepareStatement("SELECT table_name, end_seq FROM decision_log_partition"
            + " WHERE shard = ? AND first_seq = ? FOR UPDATE")) {
          for (Retention.Segment s : plan.removable()) {
            ps.setString(1, name);
            ps.setLong(2, s.firstSeq());
            try (ResultSet rs = ps.executeQuery()) {
              if (!rs.next() || rs.getLong(2) != s.lastSeq() + 1) {
                throw new IllegalStateException("decision log shard " + name + ": records " + s.firstSeq() + ".."
                    + s.lastSeq() + " are not one whole partition; plan again");
              }
              tables.add(rs.getString(1));
            }
          }
        }
        try (PreparedStatement ps = c.prepareStatement("SELECT hash FROM decision_log WHERE shard = ? AND seq = ?")) {
          for (long[] seqHash : new long[][] {{first.firstSeq(), 0}, {last.lastSeq(), 1}}) {
            ps.setString(1, name);
            ps.setLong(2, seqHash[0]);
            String want = seqHash[1] == 0 ? first.firstHash() : last.lastHash();
            try (ResultSet rs = ps.executeQuery()) {
              if (!rs.next() || !rs.getString(1).equals(want)) {
                throw new IllegalStateException("decision log shard " + name + ": record " + seqHash[0]
                    + " is not the plan's; plan again");
              }
            }
          }
        }
        try (PreparedStatement ps = c.prepareStatement(
            "INSERT INTO decision_log_prune(shard, first_seq, last_seq, line) VALUES (?, ?, ?, ?)")) {
          ps.setString(1, name);
          ps.setLong(2, first.firstSeq());
          ps.setLong(3, last.lastSeq());
          ps.setBytes(4, pruneLine);
          ps.executeUpdate();
        }
        try (PreparedStatement ps = c.prepareStatement(
            "INSERT INTO decision_log_key(shard, kid, line) VALUES (?, ?, ?) ON CONFLICT (shard, kid) DO NOTHING")) {
          ps.setString(1, name);
          ps.setString(2, kid);
          ps.setBytes(3, keyLine);
          ps.executeUpdate();
        }
        try (Statement st = c.createStatement();
            PreparedStatement del = c.prepareStatement(
                "DELETE FROM decision_log_partition WHERE shard = ? AND first_seq = ?")) {
          for (int i = 0; i < tables.size(); i++) {
            String t = "\"" + tables.get(i).replace("\"", "\"\"") + "\"";
            st.execute("ALTER TABLE decision_log DETACH PARTITION " + t);
            st.execute("DROP TABLE " + t);
            del.setString(1, name);
            del.setLong(2, plan.removable().get(i).firstSeq());
            del.executeUpdate();
          }
        }
        return null;
      });
    } catch (StoreUnavailableException e) {
      if (e.getCause() instanceof SQLException && "42501".equals(((SQLException) e.getCause()).getSQLState())) {
        throw new ConfigurationException("pruning decision log shard " + name + ": the connecting role may not drop"
            + " its partitions (" + e.getCause().getMessage() + "); prune as the schema's owner", e);
      }
      throw e;
    }
  }

  /**
   * Checks a shard's prune records as the file log does: each signature against the shard's keys,
   * continuity from seq 0, one log identity, and that {@code firstKept} (the first record after the
   * last range, or null) names its last hash. Adds the prune notes.
   *
   * @return a {@code BAD_PRUNE_RECORD} problem, or null
   */
  static VerificationReport.Problem verifyPrunes(DecisionLogShard shard, DecisionLogShard.Snapshot snap,
      byte[] firstKept, List<String> notes) {
    Path tmp = temp(shard);
    try {
      write(tmp.resolve("prunes.jsonl"), snap.prunes);
      write(tmp.resolve("keys.jsonl"), snap.keys);
      if (firstKept != null) {
        try {
          long seq = RecordFormat.check(firstKept).seq();
          write(tmp.resolve(RecordFormat.segmentName(seq)), List.of(firstKept));
        } catch (DecisionLogException e) {
          // a damaged record: the chain check reports it
        }
      }
      VerificationReport r;
      try {
        r = AuditLog.open(tmp).verify();
      } catch (DecisionLogException e) {
        return new VerificationReport.Problem(VerificationReport.Kind.BAD_PRUNE_RECORD, shard.location() + " prunes",
            snap.prunes.size(), snap.start, "the prune records cannot be read: " + e.getMessage());
      }
      for (String n : r.notes()) {
        if (n.contains("pruned")) {
          notes.add(n);
        }
      }
      if (r.firstProblem().isPresent() && r.firstProblem().get().kind() == VerificationReport.Kind.BAD_PRUNE_RECORD) {
        VerificationReport.Problem p = r.firstProblem().get();
        return new VerificationReport.Problem(VerificationReport.Kind.BAD_PRUNE_RECORD, shard.location() + " prunes",
            p.line(), p.seq(), p.message());
      }
      return null;
    } catch (IOException e) {
      throw new DecisionLogException("cannot check the prune records of decision log shard " + shard.name() + ": "
          + e.getMessage(), e);
    } finally {
      delete(tmp);
    }
  }

  private static void write(Path file, List<byte[]> lines) throws IOException {
    try (java.io.OutputStream o = Files.newOutputStream(file)) {
      for (byte[] l : lines) {
        o.write(l);
        if (l.length == 0 || l[l.length - 1] != '\n') {
          o.write('\n');
        }
      }
    }
  }

  private static Path temp(DecisionLogShard shard) {
    try {
      return Files.createTempDirectory("haetae-shard-");
    } catch (IOException e) {
      throw new DecisionLogException("cannot create a temporary directory for decision log shard " + shard.name()
          + ": " + e.getMessage(), e);
    }
  }

  private static void delete(Path dir) {
    try (Stream<Path> s = Files.walk(dir)) {
      for (Path p : s.sorted(Comparator.reverseOrder()).toList()) {
        Files.deleteIfExists(p);
      }
    } catch (IOException e) {
      // a temporary directory left behind; nothing depends on it
    }
  }
}
