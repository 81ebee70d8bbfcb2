package dev.haetae.moderation.core.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.haetae.moderation.api.AccountEvent;
import dev.haetae.moderation.api.Category;
import dev.haetae.moderation.api.ContentId;
import dev.haetae.moderation.api.DecisionId;
import dev.haetae.moderation.api.ReporterId;
import dev.haetae.moderation.api.RoomId;
import dev.haetae.moderation.api.Target;
import dev.haetae.moderation.api.spi.ReportRecord;
import dev.haetae.moderation.api.spi.ReporterRecord;
import dev.haetae.moderation.api.spi.ReputationStore;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.Supplier;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** What every ReputationStore must do, run against the in-memory store and the caching wrapper. */
class ReputationStoreContractTest {
  private static final Instant T0 = Instant.parse("2026-11-21T10:00:00Z");
  private static final ReporterId R = ReporterId.of("r1");
  private static final Target T = Target.content(ContentId.of("c1"));

  static Stream<Arguments> stores() {
    Supplier<ReputationStore> mem = InMemoryReputationStore::new;
    Supplier<ReputationStore> cached = () -> ReputationStores.cached(new InMemoryReputationStore(), 1000,
        Duration.ofMinutes(1));
    return Stream.of(Arguments.of("in-memory", mem), Arguments.of("cached", cached));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("stores")
  void recordsRoundTripWithEveryField(String name, Supplier<ReputationStore> s) {
    ReputationStore store = s.get();
    assertTrue(store.reporter(R).isEmpty());
    ReporterRecord full = new ReporterRecord(R, Optional.of(T0.minus(Duration.ofDays(3))), true, 2.5, 1.25, T0, 1,
        Optional.of(T0.plus(Duration.ofDays(14))), List.of(new AccountEvent.RoomJoin(RoomId.of("room"), T0)),
        List.of(T0.minusSeconds(5), T0), Optional.of(T0.minusSeconds(60)));
    store.updateReporter(R, T0, cur -> full);
    assertEquals(Optional.of(full), store.reporter(R));
    ReporterRecord plain = ReporterRecord.unknown(ReporterId.of("r2"), T0);
    assertEquals(plain, store.updateReporter(ReporterId.of("r2"), T0, cur -> cur));
    assertEquals(Optional.of(plain), store.reporter(ReporterId.of("r2")));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("stores")
  void reportsAreKeptOncePerReporterInOrderAndCanBeUpdated(String name, Supplier<ReputationStore> s) {
    ReputationStore store = s.get();
    assertTrue(store.addReport(new ReportRecord(R, T, Category.SPAM, T0, ReportRecord.Status.PENDING)));
    assertFalse(store.addReport(new ReportRecord(R, T, Category.NCII, T0.plusSeconds(1),
        ReportRecord.Status.PENDING)));
    assertTrue(store.addReport(new ReportRecord(ReporterId.of("r2"), T, Category.NCII, T0.plusSeconds(2),
        ReportRecord.Status.PENDING)));
    assertEquals(List.of("r1", "r2"), store.reports(T).stream().map(r -> r.reporter().value()).toList());
    store.updateReports(T, l -> l.stream().map(r -> r.withDecision(DecisionId.of("d1"))).toList());
    assertTrue(store.reports(T).stream().allMatch(r -> r.decision().equals(Optional.of(DecisionId.of("d1")))));
    assertTrue(store.reports(Target.content(ContentId.of("other"))).isEmpty());
    assertThrows(NullPointerException.class, () -> store.updateReporter(R, T0, cur -> null));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("stores")
  void concurrentUpdatesOfOneReporterAreNotLost(String name, Supplier<ReputationStore> s) throws Exception {
    ReputationStore store = s.get();
    ExecutorService pool = Executors.newFixedThreadPool(4);
    try {
      List<Future<?>> fs = new ArrayList<>();
      for (int t = 0; t < 4; t++) {
        fs.add(pool.submit(() -> {
          for (int i = 0; i < 1000; i++) {
            store.updateReporter(R, T0, cur -> new ReporterRecord(cur.reporter(), cur.accountCreated(), false,
                cur.confirmed() + 1, cur.rejected(), cur.updatedAt(), cur.warnings(), cur.suspendedUntil()));
          }
        }));
      }
      for (Future<?> f : fs) {
        f.get();
      }
    } finally {
      pool.shutdown();
    }
    assertEquals(4000.0, store.reporter(R).get().confirmed());
  }
}
