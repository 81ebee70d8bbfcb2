package dev.haetae.moderation.core.audit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.haetae.moderation.api.Evidence;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Done marks, kept apart from the log's lock (each engine-path append marks its decision done right
 * after it returns): marks made from other threads than the appending ones, while batches are
 * written, all reach the outbox; a mark after close is dropped.
 */
class DoneMarksTest {
  /**
   * 32 threads append on the engine path with batches of at most 4 records, and hand their sequence
   * numbers to 8 other threads, which mark them done (all but a seeded third) while later batches
   * are written; after closing and reopening, exactly the unmarked decisions are pending, and a mark
   * made after close is dropped without an exception.
   */
  @Test
  void doneMarksFromOtherThreadsAllReachTheOutbox(@TempDir Path dir) throws Exception {
    int appenders = 32;
    int markers = 8;
    int each = 20;
    java.util.concurrent.BlockingQueue<Long> toMark = new java.util.concurrent.LinkedBlockingQueue<>();
    Set<Long> unmarked = ConcurrentHashMap.newKeySet();
    Set<Long> all = ConcurrentHashMap.newKeySet();
    CountDownLatch appended = new CountDownLatch(appenders);
    EngineLog log = DecisionLogs.directory(dir).pseudonymizer(DirectoryDecisionLogTest.P).maxBatch(4)
        .fsync(false).checkpointEvery(100).build();
    try {
      List<Throwable> errors = Concurrently.run(appenders + markers, t -> {
        if (t < appenders) {
          try {
            Fixtures fx = new Fixtures(18_710 + t);
            for (int i = 0; i < each; i++) {
              Evidence e = fx.evidence();
              long seq = log.append(e, fx.decision(e), List.of(), List.of());
              all.add(seq);
              toMark.put(seq);
            }
          } finally {
            appended.countDown();
            if (appended.getCount() == 0) {
              for (int m = 0; m < markers; m++) {
                toMark.put(-1L);
              }
            }
          }
        } else {
          java.util.Random r = new java.util.Random(18_720 + t);
          while (true) {
            long seq = toMark.take();
            if (seq < 0) {
              return; // every appender has finished
            }
            if (r.nextInt(3) == 0) {
              unmarked.add(seq);
            } else {
              log.done(seq);
            }
          }
        }
      });
      assertTrue(errors.isEmpty(), errors.toString());
    } finally {
      log.close();
    }
    log.done(0); // after close: dropped, no exception
    assertEquals(appenders * each, all.size());
    try (EngineLog reopened = DecisionLogs.directory(dir).pseudonymizer(DirectoryDecisionLogTest.P).build()) {
      TreeSet<Long> pending = new TreeSet<>();
      for (EngineLog.Pending p : reopened.pending()) {
        pending.add(p.seq());
      }
      assertEquals(new TreeSet<>(unmarked), pending);
    }
    assertTrue(AuditLog.open(dir).verify().ok());
  }
}
