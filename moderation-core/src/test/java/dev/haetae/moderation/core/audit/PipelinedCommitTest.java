package dev.haetae.moderation.core.audit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.haetae.moderation.api.Decision;
import dev.haetae.moderation.api.Evidence;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The pipelined group commit: the next batch is written while the previous one's fsync runs. A
 * model of the disk stands in for the segments' writes and fsyncs (it does both for real, and
 * remembers, on one clock shared with the appending threads, when each write ended and which bytes
 * each fsync covered). 64 callers append on the engine path and plainly; then: every acknowledged
 * record was covered by an fsync that began after its write ended and finished before its append
 * returned; and at every fsync's end, the state a crash could leave then (each segment's forced
 * bytes, plus a seeded part of what was written and not forced) reopens, verifies, and holds every
 * record acknowledged until then, with an outbox entry pending for each acknowledged engine-path
 * decision.
 */
class PipelinedCommitTest {
  private static final int THREADS = 64;
  private static final int EACH = 6;

  /** Writes and fsyncs segments for real, and remembers when on one clock. */
  static final class DiskModel implements DirectoryDecisionLog.SegmentIo {
    final AtomicLong clock = new AtomicLong();
    /** Per segment: {tick, end offset} of each write, in order. */
    final Map<Path, List<long[]>> writes = new ConcurrentHashMap<>();
    /** {start tick, end tick, forced bytes} with the segment's path, in the order they finished. */
    final List<Object[]> forces = Collections.synchronizedList(new ArrayList<>());

    @Override
    public void write(Path path, FileChannel ch, ByteBuffer b) throws IOException {
      while (b.hasRemaining()) {
        ch.write(b);
      }
      long end = ch.size(); // the only writer of this segment
      writes.computeIfAbsent(path, k -> Collections.synchronizedList(new ArrayList<>()))
          .add(new long[] {clock.incrementAndGet(), end});
    }

    @Override
    public void force(Path path, FileChannel ch) throws IOException {
      long start = clock.incrementAndGet();
      long covered = endWrittenBy(path, start);
      ch.force(false);
      forces.add(new Object[] {new long[] {start, clock.incrementAndGet(), covered}, path});
    }

    /** The end of the bytes of {@code path} whose write had ended before tick {@code t}. */
    long endWrittenBy(Path path, long t) {
      long end = 0;
      List<long[]> ws = writes.getOrDefault(path, List.of());
      synchronized (ws) {
        for (long[] w : ws) {
          if (w[0] < t) {
            end = Math.max(end, w[1]);
          }
        }
      }
      return end;
    }

    /** The bytes of {@code path} that fsyncs ended by tick {@code t} made durable. */
    long forcedBy(Path path, long t) {
      long end = 0;
      synchronized (forces) {
        for (Object[] f : forces) {
          long[] v = (long[]) f[0];
          if (f[1].equals(path) && v[1] <= t) {
            end = Math.max(end, v[2]);
          }
        }
      }
      return end;
    }
  }

  record Ack(long seq, String decision, boolean engine, long tick) {}

  @Test
  void everyAcknowledgedRecordWasForcedAndSurvivesACrashAtTheEndOfEveryFsync(@TempDir Path root) throws Exception {
    Path dir = root.resolve("log");
    DiskModel disk = new DiskModel();
    List<Ack> acks = Collections.synchronizedList(new ArrayList<>());
    List<Throwable> errors;
    // batches below the limit (so the next one is written while one is forced), small segments (rotations)
    try (EngineLog log = DecisionLogs.directory(dir).pseudonymizer(DirectoryDecisionLogTest.P).maxBatch(40)
        .fsync(false).segmentBytes(192 * 1024).checkpointEvery(40).build()) {
      ((DirectoryDecisionLog) log).segmentIo(disk);
      errors = Concurrently.run(THREADS, t -> {
        Fixtures fx = new Fixtures(18_600 + t);
        for (int i = 0; i < EACH; i++) {
          Evidence e = fx.evidence();
          Decision d = fx.decision(e);
          boolean engine = i % 3 != 2;
          long seq = engine ? log.append(e, d, List.of(), List.of()) : log.append(e, d);
          acks.add(new Ack(seq, d.id().value(), engine, disk.clock.incrementAndGet()));
        }
      });
    }
    assertTrue(errors.isEmpty(), errors.toString());
    assertEquals(THREADS * EACH, acks.size());

    // where each record ends, in which segment
    Map<Long, Path> segmentOf = new HashMap<>();
    Map<Long, Long> endOf = new HashMap<>();
    java.security.MessageDigest md = Frames.sha256();
    for (Path seg : LogRecovery.segments(dir)) {
      byte[] b = Files.readAllBytes(seg);
      for (int pos = 0; pos < b.length; ) {
        int nl = LogRecovery.indexOf(b, (byte) '\n', pos);
        long seq = Frames.parse(b, pos, nl - pos, false, md).seq;
        segmentOf.put(seq, seg);
        endOf.put(seq, (long) nl + 1);
        pos = nl + 1;
      }
    }
    assertEquals(THREADS * EACH, segmentOf.size());
    assertTrue(LogRecovery.segments(dir).size() >= 3, "rotations happened: " + LogRecovery.segments(dir));

    // 1. an fsync that began after the record's write ended had finished before its append returned
    for (Ack a : acks) {
      long forced = disk.forcedBy(segmentOf.get(a.seq()), a.tick());
      assertTrue(forced >= endOf.get(a.seq()), "record " + a.seq() + " acknowledged before it was forced");
    }

    // 2. a crash at the end of every fsync
    List<Object[]> forces;
    synchronized (disk.forces) {
      forces = new ArrayList<>(disk.forces);
    }
    assertTrue(forces.size() >= THREADS * EACH / 40, forces.size() + " fsyncs");
    // the pipeline was exercised: some batch was written while an fsync of the same segment ran
    int overlapped = 0;
    for (Object[] f : forces) {
      long[] v = (long[]) f[0];
      List<long[]> ws = disk.writes.get((Path) f[1]);
      synchronized (ws) {
        for (long[] w : ws) {
          overlapped += w[0] > v[0] && w[0] < v[1] ? 1 : 0;
        }
      }
    }
    assertTrue(overlapped > 0, "no batch was written while an fsync ran, in " + forces.size() + " fsyncs");
    Random r = new Random(18_601);
    int crashes = 0;
    for (Object[] f : forces) {
      long at = ((long[]) f[0])[1];
      Path copy = root.resolve("crash-" + crashes++);
      long lastDurable = crashState(dir, copy, disk, at, r);
      Map<Long, String> expected = new TreeMap<>();
      Set<Long> engineSeqs = new java.util.TreeSet<>();
      synchronized (acks) {
        for (Ack a : acks) {
          if (a.tick() < at) {
            expected.put(a.seq(), a.decision());
            if (a.engine()) {
              engineSeqs.add(a.seq());
            }
          }
        }
      }
      Set<Long> pending = new java.util.TreeSet<>();
      try (EngineLog reopened = DecisionLogs.directory(copy).pseudonymizer(DirectoryDecisionLogTest.P).build()) {
        for (EngineLog.Pending p : reopened.pending()) {
          pending.add(p.seq());
        }
      }
      VerificationReport rep = AuditLog.open(copy).verify();
      assertTrue(rep.ok(), "crash at tick " + at + ": " + rep);
      assertTrue(rep.records() > lastDurable, "crash at tick " + at + ": forced records lost: " + rep);
      Map<Long, String> ids = new HashMap<>();
      AuditLog.open(copy).forEach(ProgressListener.NONE, rec -> ids.put(rec.seq(), rec.decision().id().value()));
      for (Map.Entry<Long, String> e : expected.entrySet()) {
        assertEquals(e.getValue(), ids.get(e.getKey()), "crash at tick " + at + ": seq " + e.getKey());
      }
      assertTrue(pending.containsAll(engineSeqs), "crash at tick " + at + ": an acknowledged decision lost its"
          + " outbox entry");
      deleteTree(copy);
    }
    assertEquals(forces.size(), crashes);
  }

  /**
   * Copies the log as a crash at tick {@code at} could leave it: each segment cut after its forced
   * bytes plus a seeded part of its written, unforced ones; segments not written yet absent;
   * checkpoints only of forced records; keys and outbox as they are (both are forced before the
   * records they concern are written).
   *
   * @return the last record wholly within the forced bytes, or -1
   */
  private static long crashState(Path dir, Path copy, DiskModel disk, long at, Random r)
      throws IOException, Frames.BadFrame {
    Files.createDirectories(copy);
    long durableSeq = -1;
    java.security.MessageDigest md = Frames.sha256();
    for (Path seg : LogRecovery.segments(dir)) {
      long written = disk.endWrittenBy(seg, at + 1);
      if (written == 0) {
        continue;
      }
      long forced = disk.forcedBy(seg, at);
      long cut = forced + (written > forced ? (long) r.nextInt((int) (written - forced) + 1) : 0);
      byte[] b = Files.readAllBytes(seg);
      Files.write(copy.resolve(seg.getFileName()), java.util.Arrays.copyOf(b, (int) cut), StandardOpenOption.CREATE_NEW);
      for (int pos = 0; pos < forced; ) {
        int nl = LogRecovery.indexOf(b, (byte) '\n', pos);
        durableSeq = Frames.parse(b, pos, nl - pos, false, md).seq;
        pos = nl + 1;
      }
    }
    StringBuilder cps = new StringBuilder();
    for (String line : Files.readAllLines(dir.resolve(Checkpoints.FILE), StandardCharsets.UTF_8)) {
      if (!line.isBlank() && Frames.JSON.readTree(line).path("seq").asLong() <= durableSeq) {
        cps.append(line).append('\n');
      }
    }
    Files.writeString(copy.resolve(Checkpoints.FILE), cps);
    Files.copy(dir.resolve(Checkpoints.KEYS), copy.resolve(Checkpoints.KEYS));
    Path outbox = dir.resolve(FileOutbox.DIR);
    if (Files.isDirectory(outbox)) {
      Files.createDirectories(copy.resolve(FileOutbox.DIR));
      try (Stream<Path> s = Files.list(outbox)) {
        for (Path p : (Iterable<Path>) s::iterator) {
          Files.copy(p, copy.resolve(FileOutbox.DIR).resolve(p.getFileName()));
        }
      }
    }
    return durableSeq;
  }

  private static void deleteTree(Path p) throws IOException {
    try (Stream<Path> s = Files.walk(p)) {
      for (Path q : (Iterable<Path>) s.sorted(Collections.reverseOrder())::iterator) {
        Files.delete(q);
      }
    }
  }
}
