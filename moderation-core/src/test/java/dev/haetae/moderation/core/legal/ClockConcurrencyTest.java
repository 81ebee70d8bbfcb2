package dev.haetae.moderation.core.legal;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.haetae.moderation.api.ContentId;
import dev.haetae.moderation.api.NoticeSender;
import dev.haetae.moderation.api.ObligationEvent;
import dev.haetae.moderation.api.spi.ObligationRecord;
import dev.haetae.moderation.core.store.InMemoryObligationStore;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;

class ClockConcurrencyTest {
  private static final Instant T = Instant.parse("2026-11-21T10:00:00Z");

  @Test
  void aTickOnAnotherThreadNeverUndoesAFulfilment() throws Exception {
    for (int round = 0; round < 20; round++) {
      InMemoryObligationStore store = new InMemoryObligationStore();
      Obligations obligations = new Obligations(JurisdictionProfiles.bundled(), store, 0.5, 0.8);
      int n = 500;
      for (int i = 0; i < n; i++) {
        obligations.receive(ObligationsTest.notice("n" + i, "EU-TCO-3", "c" + i, NoticeSender.POLICE,
            ObligationsTest.TCO, T), false, T);
      }
      Set<String> fulfilled = ConcurrentHashMap.newKeySet();
      CountDownLatch start = new CountDownLatch(1);
      ExecutorService pool = Executors.newFixedThreadPool(2);
      try {
        Future<?> ticker = pool.submit(() -> {
          start.await();
          for (int k = 1; k <= 8; k++) {
            obligations.tick(T.plus(Duration.ofMinutes(15L * k)));
          }
          return null;
        });
        Future<?> remover = pool.submit(() -> {
          start.await();
          for (int i = 0; i < n; i++) {
            for (ObligationEvent e : obligations.fulfil(ContentId.of("c" + i), T.plus(Duration.ofMinutes(40)))) {
              fulfilled.add(e.obligation().id());
            }
          }
          return null;
        });
        start.countDown();
        ticker.get();
        remover.get();
      } finally {
        pool.shutdownNow();
      }
      List<ObligationRecord> all = store.all();
      assertEquals(n, fulfilled.size(), "every content was removed while its obligation was open or breached");
      for (ObligationRecord o : all) {
        assertEquals(ObligationRecord.Status.FULFILLED, o.status(), o.id() + " was fulfilled, then overwritten");
      }
      assertEquals(List.of(), obligations.tick(T.plus(Duration.ofDays(1))), "nothing left on the clock");
    }
  }
}
