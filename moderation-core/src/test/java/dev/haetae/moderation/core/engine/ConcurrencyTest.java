package dev.haetae.moderation.core.engine;

import static dev.haetae.moderation.core.engine.Fixtures.T0;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.haetae.moderation.api.Category;
import dev.haetae.moderation.api.Decision;
import dev.haetae.moderation.api.MatchType;
import dev.haetae.moderation.core.hash.HashBanks;
import dev.haetae.moderation.core.simulate.SettableClock;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class ConcurrencyTest {

  @Test
  void concurrentEvaluationsLoseAndDuplicateNoRecord() throws Exception {
    int threads = 8;
    int perThread = 400;
    RecordingLog log = new RecordingLog(new CopyOnWriteArrayList<>());
    List<Decision> executed = new CopyOnWriteArrayList<>();
    HashBanks banks = HashBanks.inMemory();
    banks.add("stopncii", Category.NCII, MatchType.PDQ, Fixtures.PDQ_A);
    ExecutorService pool = Executors.newFixedThreadPool(threads);
    try (ModerationEngine engine = ModerationEngine.builder().clock(new SettableClock(T0)).banks(banks).decisionLog(log)
        .actionExecutor((r, d) -> executed.add(d)).build()) {
      CountDownLatch start = new CountDownLatch(1);
      List<Future<List<Decision>>> futures = new java.util.ArrayList<>();
      for (int t = 0; t < threads; t++) {
        int tt = t;
        futures.add(pool.submit(() -> {
          start.await();
          List<Decision> mine = new java.util.ArrayList<>();
          for (int i = 0; i < perThread; i++) {
            String hash = i % 10 == 0 ? Fixtures.PDQ_A
                : "0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef";
            mine.add(engine.evaluate(Fixtures.upload("c-" + tt + "-" + i, "u" + tt, "r" + (i % 3), hash)));
          }
          return mine;
        }));
      }
      start.countDown();
      Set<String> ids = new HashSet<>();
      for (Future<List<Decision>> f : futures) {
        for (Decision d : f.get(2, TimeUnit.MINUTES)) {
          ids.add(d.id().value());
        }
      }
      assertEquals(threads * perThread, ids.size(), "decision ids are unique");
      assertEquals(threads * perThread, log.entries.size(), "every decision logged once");
      Set<String> logged = new HashSet<>();
      Set<Long> seqs = new HashSet<>();
      for (RecordingLog.Entry e : log.entries) {
        logged.add(e.decision().id().value());
        seqs.add(e.seq());
      }
      assertEquals(ids, logged);
      assertEquals(threads * perThread, seqs.size());
      assertEquals(threads * perThread, executed.size());
    } finally {
      pool.shutdownNow();
    }
  }
}
