package dev.haetae.moderation.core.audit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.haetae.moderation.api.spi.DecisionLog;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Property: whatever single tampering is applied to a log, verify reports a problem and names the
 * first record it affects. Seeded generators; each failure message carries the seed.
 */
class VerifyPropertyTest {
  private static final int TRIALS_PER_KIND = 40;

  /** A log's records as lines, grouped by segment file. */
  private static final class Layout {
    final List<Path> segments = new ArrayList<>();
    final List<List<byte[]>> lines = new ArrayList<>();
    int records;

    static Layout of(Path dir) throws IOException {
      Layout l = new Layout();
      for (Path p : LogRecovery.segments(dir)) {
        l.segments.add(p);
        List<byte[]> ls = new ArrayList<>();
        byte[] b = Files.readAllBytes(p);
        int pos = 0;
        while (pos < b.length) {
          int nl = LogRecovery.indexOf(b, (byte) '\n', pos);
          ls.add(Arrays.copyOfRange(b, pos, nl + 1));
          pos = nl + 1;
        }
        l.lines.add(ls);
        l.records += ls.size();
      }
      return l;
    }

    /** Segment index and line index of record k. */
    int[] where(int k) {
      int s = 0;
      while (k >= lines.get(s).size()) {
        k -= lines.get(s).size();
        s++;
      }
      return new int[] {s, k};
    }

    byte[] line(int k) {
      int[] w = where(k);
      return lines.get(w[0]).get(w[1]);
    }

    void write() throws IOException {
      for (int s = 0; s < segments.size(); s++) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (byte[] l : lines.get(s)) {
          out.write(l);
        }
        Files.write(segments.get(s), out.toByteArray());
      }
    }
  }

  private static Layout freshLog(Path dir, Random r) throws IOException {
    int n = 20 + r.nextInt(40);
    try (DecisionLog log = DecisionLogs.directory(dir).pseudonymizer(DirectoryDecisionLogTest.P).segmentBytes(4096)
        .checkpointEvery(5).fsync(false).build()) {
      DirectoryDecisionLogTest.write(log, new Fixtures(r.nextLong()), n);
    }
    Layout l = Layout.of(dir);
    assertEquals(n, l.records);
    assertTrue(AuditLog.open(dir).verify().ok());
    return l;
  }

  private interface Mutation {
    /** Applies the mutation and returns the sequence number verify must report. */
    long apply(Path dir, Layout l, Random r) throws IOException;
  }

  private static void check(Path root, String name, Mutation m) throws IOException {
    for (int t = 0; t < TRIALS_PER_KIND; t++) {
      long seed = name.hashCode() * 1000L + t;
      Random r = new Random(seed);
      Path dir = Files.createDirectory(root.resolve(name + "-" + t));
      Layout l = freshLog(dir, r);
      long expected = m.apply(dir, l, r);
      VerificationReport rep = AuditLog.open(dir).verify();
      assertTrue(!rep.ok(), name + " seed " + seed + ": tampering not detected");
      VerificationReport.Problem p = rep.firstProblem().orElseThrow();
      assertEquals(expected, p.seq(), name + " seed " + seed + ": " + p);
    }
  }

  @Test
  void flippedByte(@TempDir Path root) throws IOException {
    check(root, "flip", (dir, l, r) -> {
      int k = r.nextInt(l.records);
      byte[] line = l.line(k);
      line[r.nextInt(line.length)] ^= (byte) (1 + r.nextInt(255));
      l.write();
      return k;
    });
  }

  @Test
  void deletedRecord(@TempDir Path root) throws IOException {
    check(root, "delete", (dir, l, r) -> {
      int k = r.nextInt(l.records);
      int[] w = l.where(k);
      l.lines.get(w[0]).remove(w[1]);
      l.write();
      return k;
    });
  }

  @Test
  void insertedCopyOfAnotherRecord(@TempDir Path root) throws IOException {
    check(root, "insert", (dir, l, r) -> {
      int k = r.nextInt(l.records);
      int j = r.nextInt(l.records);
      byte[] copy = l.line(j).clone();
      int[] w = l.where(k);
      l.lines.get(w[0]).add(w[1], copy);
      l.write();
      // a copy of record k inserted before k is byte-identical to it: the second one is the extra
      return j == k ? k + 1 : k;
    });
  }

  @Test
  void duplicatedRecord(@TempDir Path root) throws IOException {
    check(root, "duplicate", (dir, l, r) -> {
      int k = r.nextInt(l.records);
      int[] w = l.where(k);
      l.lines.get(w[0]).add(w[1] + 1, l.line(k).clone());
      l.write();
      return k + 1;
    });
  }

  @Test
  void reorderedRecords(@TempDir Path root) throws IOException {
    check(root, "reorder", (dir, l, r) -> {
      int k = r.nextInt(l.records - 1);
      int[] a = l.where(k);
      int[] b = l.where(k + 1);
      byte[] x = l.lines.get(a[0]).get(a[1]);
      l.lines.get(a[0]).set(a[1], l.lines.get(b[0]).get(b[1]));
      l.lines.get(b[0]).set(b[1], x);
      l.write();
      return k;
    });
  }

  @Test
  void truncatedSegment(@TempDir Path root) throws IOException {
    check(root, "truncate", (dir, l, r) -> {
      int s = r.nextInt(l.segments.size());
      byte[] all = Files.readAllBytes(l.segments.get(s));
      int cut = r.nextInt(all.length);
      Files.write(l.segments.get(s), Arrays.copyOf(all, cut));
      long first = 0;
      for (int i = 0; i < s; i++) {
        first += l.lines.get(i).size();
      }
      int pos = 0;
      for (byte[] line : l.lines.get(s)) {
        if (cut < pos + line.length) {
          break;
        }
        pos += line.length;
        first++;
      }
      return first;
    });
  }

  @Test
  void badCheckpointSignature(@TempDir Path root) throws IOException {
    check(root, "checkpoint", (dir, l, r) -> {
      Path cp = dir.resolve(Checkpoints.FILE);
      List<String> lines = Files.readAllLines(cp, StandardCharsets.UTF_8);
      int i = r.nextInt(lines.size());
      String line = lines.get(i);
      int sig = line.indexOf("\"sig\":\"") + 7;
      int at = sig + r.nextInt(40);
      char c = line.charAt(at);
      line = line.substring(0, at) + (c == 'A' ? 'B' : 'A') + line.substring(at + 1);
      lines.set(i, line);
      Files.write(cp, lines, StandardCharsets.UTF_8);
      long seq = Frames.JSON.readTree(line).get("seq").asLong();
      VerificationReport rep = AuditLog.open(dir).verify();
      assertEquals(VerificationReport.Kind.BAD_CHECKPOINT_SIGNATURE, rep.firstProblem().orElseThrow().kind());
      return seq;
    });
  }
}
