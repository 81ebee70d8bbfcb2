package dev.haetae.moderation.core.audit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.haetae.moderation.api.Decision;
import dev.haetae.moderation.api.DecisionLogException;
import dev.haetae.moderation.api.Evidence;
import dev.haetae.moderation.api.spi.DecisionLog;
import dev.haetae.moderation.api.spi.Pseudonymizer;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DirectoryDecisionLogTest {
  static final Pseudonymizer P = Pseudonymizers.hmacSha256("test-key", "0123456789abcdef0123".getBytes(StandardCharsets.UTF_8));

  static void write(DecisionLog log, Fixtures fx, int n) {
    for (int i = 0; i < n; i++) {
      Evidence e = fx.evidence();
      log.append(e, fx.decision(e));
    }
  }

  @Test
  void concurrentAppendsGetUniqueContiguousSequenceNumbersAndTheChainVerifies(@TempDir Path dir) throws Exception {
    int threads = 8;
    int each = 300;
    Set<Long> seqs = ConcurrentHashMap.newKeySet();
    List<Throwable> errors;
    try (DecisionLog log = DecisionLogs.directory(dir).pseudonymizer(P).segmentBytes(64 * 1024).checkpointEvery(100)
        .build()) {
      errors = Concurrently.run(threads, t -> {
        Fixtures fx = new Fixtures(t);
        for (int i = 0; i < each; i++) {
          Evidence e = fx.evidence();
          assertTrue(seqs.add(log.append(e, fx.decision(e))));
        }
      });
    }
    assertTrue(errors.isEmpty(), errors.toString());
    assertEquals(threads * each, seqs.size());
    for (long s = 0; s < threads * each; s++) {
      assertTrue(seqs.contains(s), "missing " + s);
    }
    AuditLog audit = AuditLog.open(dir);
    VerificationReport report = audit.verify();
    assertTrue(report.ok(), report.toString());
    assertEquals(threads * each, report.records());
    assertTrue(report.segments() > 1, "rotates by size");
    assertTrue(report.checkpoints() >= 2, report.toString());
    List<Decision> read = new ArrayList<>();
    assertEquals(threads * each, audit.forEach(ProgressListener.NONE, r -> read.add(r.decision())));
  }

  @Test
  void reopeningContinuesTheChainAcrossSessions(@TempDir Path dir) {
    Fixtures fx = new Fixtures(1);
    try (DecisionLog log = DecisionLogs.directory(dir).pseudonymizer(P).build()) {
      write(log, fx, 10);
    }
    try (DecisionLog log = DecisionLogs.directory(dir).pseudonymizer(P).build()) {
      Evidence e = fx.evidence();
      assertEquals(10, log.append(e, fx.decision(e)));
    }
    VerificationReport r = AuditLog.open(dir).verify();
    assertTrue(r.ok(), r.toString());
    assertEquals(11, r.records());
    assertEquals(2, r.checkpoints(), "one final checkpoint per session");
  }

  @Test
  void aTornTailIsTruncatedOnReopenAndReported(@TempDir Path dir) throws IOException {
    Fixtures fx = new Fixtures(2);
    try (DecisionLog log = DecisionLogs.directory(dir).pseudonymizer(P).build()) {
      write(log, fx, 5);
    }
    Path seg = dir.resolve(Frames.segmentName(0));
    Files.write(seg, "{\"seq\":5,\"prev\":\"abc".getBytes(StandardCharsets.US_ASCII), StandardOpenOption.APPEND);
    VerificationReport before = AuditLog.open(dir).verify();
    assertEquals(VerificationReport.Kind.TORN_TAIL, before.firstProblem().orElseThrow().kind());
    assertEquals(5, before.firstProblem().orElseThrow().seq());
    try (DecisionLog log = DecisionLogs.directory(dir).pseudonymizer(P).build()) {
      Evidence e = fx.evidence();
      assertEquals(5, log.append(e, fx.decision(e)));
    }
    VerificationReport after = AuditLog.open(dir).verify();
    assertTrue(after.ok(), after.toString());
    assertEquals(6, after.records());
    assertEquals(1, after.recoveries().size());
    assertEquals(5, after.recoveries().get(0).nextSeq());
    assertEquals(20, after.recoveries().get(0).droppedBytes());
  }

  @Test
  void damageBeforeTheEndIsNeverTruncatedAway(@TempDir Path dir) throws IOException {
    Fixtures fx = new Fixtures(3);
    try (DecisionLog log = DecisionLogs.directory(dir).pseudonymizer(P).build()) {
      write(log, fx, 5);
    }
    Path seg = dir.resolve(Frames.segmentName(0));
    byte[] b = Files.readAllBytes(seg);
    b[30] ^= 1;
    Files.write(seg, b);
    DecisionLogException e = assertThrows(DecisionLogException.class,
        () -> DecisionLogs.directory(dir).pseudonymizer(P).build());
    assertTrue(e.getMessage().contains("segment-00000000000000000000.jsonl"), e.getMessage());
    assertTrue(e.getMessage().contains("sequence 0"), e.getMessage());
  }

  @Test
  void closeWhileOthersAppendLosesNoAcknowledgedRecordAndWritesNothingAfterwards(@TempDir Path dir) throws Exception {
    DecisionLog log = DecisionLogs.directory(dir).pseudonymizer(P).build();
    Set<Long> acked = ConcurrentHashMap.newKeySet();
    List<Thread> ts = new ArrayList<>();
    CountDownLatch started = new CountDownLatch(4 * 20);
    for (int t = 0; t < 4; t++) {
      Fixtures fx = new Fixtures(100 + t);
      Thread th = new Thread(() -> {
        while (true) {
          Evidence e;
          Decision d;
          synchronized (fx) {
            e = fx.evidence();
            d = fx.decision(e);
          }
          try {
            acked.add(log.append(e, d));
            started.countDown();
          } catch (DecisionLogException closed) {
            return;
          }
        }
      });
      th.start();
      ts.add(th);
    }
    started.await();
    log.close();
    for (Thread th : ts) {
      th.join();
    }
    VerificationReport r = AuditLog.open(dir).verify();
    assertTrue(r.ok(), r.toString());
    assertEquals(acked.size(), r.records(), "every acknowledged record, and nothing else");
    assertEquals(0, r.notes().stream().filter(n -> n.contains("after the last checkpoint")).count(), r.notes().toString());
  }

  @Test
  void appendsAfterCloseFail(@TempDir Path dir) {
    DecisionLog log = DecisionLogs.directory(dir).pseudonymizer(P).build();
    log.close();
    Fixtures fx = new Fixtures(4);
    Evidence e = fx.evidence();
    assertThrows(DecisionLogException.class, () -> log.append(e, fx.decision(e)));
  }

  @Test
  void theRawLogBytesContainNoRawIdentifierAndNoFreeText(@TempDir Path dir) throws IOException {
    Fixtures fx = new Fixtures(5);
    try (DecisionLog log = DecisionLogs.directory(dir).pseudonymizer(P).segmentBytes(32 * 1024).build()) {
      write(log, fx, 3000);
    }
    List<String> forbidden = new ArrayList<>();
    for (String kind : List.of("content", "account", "room", "reporter", "notice", "appeal")) {
      for (int i = 0; i < 50; i++) {
        forbidden.add(Fixtures.raw(kind, i));
      }
    }
    forbidden.add("RAWID");
    forbidden.add("SECRETTEXT");
    forbidden.add("jane@example.org");
    StringBuilder all = new StringBuilder();
    try (Stream<Path> files = Files.list(dir)) {
      for (Path f : (Iterable<Path>) files::iterator) {
        all.append(new String(Files.readAllBytes(f), StandardCharsets.ISO_8859_1));
      }
    }
    assertTrue(all.length() > 100_000, "the log was written");
    for (String s : forbidden) {
      assertFalse(all.indexOf(s) >= 0, "raw '" + s + "' found in the log bytes");
    }
    // and pseudonyms with their key id are there instead
    assertTrue(all.indexOf("\"kid\":\"test-key\"") >= 0);
    assertTrue(all.indexOf(P.pseudonymize("account", Fixtures.raw("account", 1))) >= 0);
  }
}
