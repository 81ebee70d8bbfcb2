package dev.haetae.moderation.core.audit;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.haetae.moderation.api.Decision;
import dev.haetae.moderation.api.DecisionLogException;
import dev.haetae.moderation.api.Evidence;
import dev.haetae.moderation.core.simulate.SettableClock;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The directory log's group commit: the flushing baton passed from thread to thread, records framed
 * by the flusher straight into its buffer, the outbox written in the same batch, and a failed write
 * failing every waiting append instead of leaving it parked.
 */
class GroupCommitTest {
  @Test
  void framingIntoABufferGivesTheLineFrameGives() {
    Random r = new Random(18);
    java.security.MessageDigest md = Frames.sha256();
    byte[] head = new byte[Frames.FRAME_OVERHEAD];
    for (int i = 0; i < 2000; i++) {
      long seq = switch (r.nextInt(3)) {
        case 0 -> r.nextInt(1000);
        case 1 -> Long.MAX_VALUE - r.nextInt(10);
        default -> r.nextLong() & Long.MAX_VALUE;
      };
      byte[] h = new byte[32];
      r.nextBytes(h);
      String prev = i % 7 == 0 ? Frames.GENESIS : HexFormat.of().formatHex(h);
      byte[] inner = ("\"k\":\"" + "x".repeat(r.nextInt(3000)) + "\"").getBytes(StandardCharsets.US_ASCII);
      Frames.Framed expected = Frames.frame(seq, prev, inner, md);
      ByteBuffer out = ByteBuffer.allocateDirect(inner.length + Frames.FRAME_OVERHEAD + 5);
      out.put((byte) 'x'); // framing appends after what the buffer already holds
      String hash = Frames.frameInto(out, seq, prev, inner, head, md);
      assertEquals(expected.hash, hash);
      out.flip();
      out.get();
      byte[] line = new byte[out.remaining()];
      out.get(line);
      assertArrayEquals(expected.line, line, "seq " + seq);
    }
  }

  /**
   * 64 callers on the engine path with batches of at most 3 records, so that the baton is handed
   * on while records wait: every append gets its own contiguous sequence number, the chain
   * verifies, every outbox entry holds its own decision, and after reopening exactly the decisions
   * not marked done are pending.
   */
  @Test
  void manyCallersOnTheEnginePathWithSmallBatches(@TempDir Path dir) throws Exception {
    int threads = 64;
    int each = 25;
    Map<Long, String> decisionOf = new ConcurrentHashMap<>();
    Set<Long> notDone = ConcurrentHashMap.newKeySet();
    try (EngineLog log = DecisionLogs.directory(dir).pseudonymizer(DirectoryDecisionLogTest.P).maxBatch(3)
        .fsync(false).segmentBytes(256 * 1024).checkpointEvery(200).build()) {
      List<Throwable> errors = Concurrently.run(threads, t -> {
        Fixtures fx = new Fixtures(1000 + t);
        for (int i = 0; i < each; i++) {
          Evidence e = fx.evidence();
          Decision d = fx.decision(e);
          long seq = i % 5 == 4 ? log.append(e, d) : log.append(e, d, List.of(), List.of());
          assertTrue(decisionOf.put(seq, d.id().value()) == null, "seq " + seq + " given twice");
          if (i % 5 != 4) {
            if (i % 2 == 0) {
              log.done(seq);
            } else {
              notDone.add(seq);
            }
          }
        }
      });
      assertTrue(errors.isEmpty(), errors.toString());
      for (EngineLog.Pending p : log.pending()) {
        assertEquals(decisionOf.get(p.seq()), p.decision().id().value(), "outbox entry " + p.seq());
      }
    }
    assertEquals(threads * each, decisionOf.size());
    for (long s = 0; s < threads * each; s++) {
      assertTrue(decisionOf.containsKey(s), "missing " + s);
    }
    VerificationReport report = AuditLog.open(dir).verify();
    assertTrue(report.ok(), report.toString());
    assertEquals(threads * each, report.records());
    try (EngineLog log = DecisionLogs.directory(dir).pseudonymizer(DirectoryDecisionLogTest.P).build()) {
      TreeSet<Long> pending = new TreeSet<>();
      for (EngineLog.Pending p : log.pending()) {
        pending.add(p.seq());
        assertEquals(decisionOf.get(p.seq()), p.decision().id().value());
      }
      assertEquals(new TreeSet<>(notDone), pending);
    }
  }

  /**
   * Segments of the smallest size (a few records each), and a directory stands where every segment
   * after the first would go: the first batch that must open one fails, and every append waiting then or
   * later fails with the log's exception; none is left parked, and close returns.
   */
  @Test
  @Timeout(120) // a guard against a parked caller, not a measurement
  void aFailedWriteFailsEveryWaitingAppendAndCloseReturns(@TempDir Path dir) throws Exception {
    EngineLog log = DecisionLogs.directory(dir).pseudonymizer(DirectoryDecisionLogTest.P).segmentBytes(4096)
        .maxBatch(2).fsync(false).build();
    for (int s = 1; s <= 2000; s++) {
      Files.createDirectory(dir.resolve(Frames.segmentName(s)));
    }
    int threads = 16;
    AtomicInteger acked = new AtomicInteger();
    AtomicInteger failed = new AtomicInteger();
    List<Throwable> unexpected = Concurrently.run(threads, t -> {
      Fixtures fx = new Fixtures(2000 + t);
      for (int i = 0; i < 50; i++) {
        Evidence e = fx.evidence();
        try {
          log.append(e, fx.decision(e), List.of(), List.of());
          acked.incrementAndGet();
        } catch (DecisionLogException x) {
          failed.incrementAndGet();
        }
      }
    });
    log.close();
    assertTrue(unexpected.isEmpty(), unexpected.toString());
    assertEquals(threads * 50, acked.get() + failed.get());
    assertTrue(acked.get() >= 1 && failed.get() > 0, acked + " acknowledged, " + failed + " failed");
    assertTrue(acked.get() < 20, "only the first segment was written: " + acked.get());
    for (int s = 1; s <= 2000; s++) {
      Files.delete(dir.resolve(Frames.segmentName(s)));
    }
    VerificationReport report = AuditLog.open(dir).verify();
    assertTrue(report.ok(), report.toString());
    assertEquals(acked.get(), report.records(), "every acknowledged record, and nothing else");
  }

  /**
   * The timer's checkpoint takes the flushing baton for its write; an append that queues meanwhile
   * parks, and must be handed the baton when the checkpoint is done (the anchor holds the
   * checkpoint open until the append has parked).
   */
  @Test
  @Timeout(120) // a guard against a parked caller, not a measurement
  void anAppendQueuedDuringATimedCheckpointIsWrittenAfterIt(@TempDir Path dir) throws Exception {
    SettableClock clock = new SettableClock(Instant.parse("2026-12-05T10:00:00Z"));
    CountDownLatch anchoring = new CountDownLatch(1);
    CountDownLatch release = new CountDownLatch(1);
    CheckpointAnchor anchor = new CheckpointAnchor() {
      @Override
      public void anchor(Checkpoint checkpoint) {
        anchoring.countDown();
        try {
          release.await();
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
        }
      }

      @Override
      public Optional<Checkpoint> latest(String log) {
        return Optional.empty();
      }
    };
    Fixtures fx = new Fixtures(3000);
    DirectoryDecisionLog log = (DirectoryDecisionLog) DecisionLogs.directory(dir)
        .pseudonymizer(DirectoryDecisionLogTest.P).clock(clock).checkpointInterval(Duration.ofHours(1))
        .checkpointAnchor(anchor).fsync(false).build();
    Evidence e0 = fx.evidence();
    assertEquals(0, log.append(e0, fx.decision(e0), List.of(), List.of()));
    clock.advance(Duration.ofMinutes(31)); // record 0 has waited half the interval: a checkpoint is due
    Thread timer = new Thread(log::checkpointIfDue);
    timer.start();
    anchoring.await(); // the timed checkpoint holds the baton now
    Evidence e1 = fx.evidence();
    Decision d1 = fx.decision(e1);
    long[] seq = {-1};
    Thread appender = new Thread(() -> seq[0] = log.append(e1, d1, List.of(), List.of()));
    appender.start();
    while (appender.getState() != Thread.State.WAITING) { // parked behind the checkpoint
      Thread.onSpinWait();
    }
    release.countDown();
    timer.join();
    appender.join();
    assertEquals(1, seq[0]);
    log.close();
    VerificationReport report = AuditLog.open(dir).verify();
    assertTrue(report.ok(), report.toString());
    assertEquals(2, report.records());
  }
}
