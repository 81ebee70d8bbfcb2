package dev.haetae.moderation.testkit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.haetae.moderation.api.ContentId;
import dev.haetae.moderation.api.spi.EvidenceHold;
import dev.haetae.moderation.api.spi.EvidenceHoldStore;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * The contract of an {@link EvidenceHoldStore}, for adapter authors (e.g. a PostgreSQL store):
 * content is never deletable while a hold on it is active; a hold only gets longer; {@code expire}
 * hands each ended hold to exactly one caller, earliest end first, and a hold extended after it
 * expired binds again; the listings keep their documented orders; concurrent placements of one
 * basis keep the latest end.
 *
 * <p>The holds used have instants in whole seconds, so stores that keep instants to the
 * millisecond or microsecond pass.
 *
 * @since 0.1
 */
public abstract class EvidenceHoldStoreContract {
  private static final ContentId C = ContentId.of("c1");
  private static final Instant T = Instant.parse("2026-11-21T10:00:00Z");

  /** For subclasses. */
  protected EvidenceHoldStoreContract() {}

  /**
   * A new, empty store.
   *
   * @return the store; never null
   * @throws Exception when it cannot be created
   */
  protected abstract EvidenceHoldStore newStore() throws Exception;

  private static Instant day(int n) {
    return T.plus(Duration.ofDays(n));
  }

  /** Held evidence is never deletable before its last hold ends, whether or not expire has run. */
  @Test
  void heldEvidenceIsNeverDeletableBeforeItsLastHoldEnds() throws Exception {
    EvidenceHoldStore s = newStore();
    EvidenceHold first = s.place(C, "EU-TCO-3:o1", "TCO Art. 6", T, Duration.ofDays(186));
    assertEquals(new EvidenceHold(EvidenceHold.idOf(C, "EU-TCO-3:o1"), C, "EU-TCO-3:o1", "TCO Art. 6", T, day(186),
        Optional.empty()), first);
    s.place(C, "US-18-2258A:o2", "2258A(h)", day(10), Duration.ofDays(366));
    Instant last = day(376);
    assertFalse(s.mayDelete(C, T));
    assertEquals(Optional.of(last), s.heldUntil(C, T));
    assertEquals(List.of(), s.expire(day(185)));
    List<EvidenceHold> ended = s.expire(day(186));
    assertEquals(1, ended.size());
    assertEquals(Optional.of(day(186)), ended.get(0).expiredAt());
    assertFalse(s.mayDelete(C, day(200)), "the other hold still binds");
    assertFalse(s.mayDelete(C, last.minusSeconds(1)), "not deletable until the last hold ends");
    assertTrue(s.mayDelete(C, last), "deletable when the last hold ends, even before expire runs");
    assertEquals(Optional.empty(), s.heldUntil(C, last));
    assertTrue(s.mayDelete(ContentId.of("never-held"), T));
  }

  /** Placing the same basis again keeps the later end and the first start; one hold per basis. */
  @Test
  void placingTheSameBasisAgainNeverShortensAHold() throws Exception {
    EvidenceHoldStore s = newStore();
    s.place(C, "b", "x", T, Duration.ofDays(30));
    EvidenceHold shorter = s.place(C, "b", "y", day(1), Duration.ofDays(2));
    assertEquals(day(30), shorter.until());
    assertEquals(T, shorter.from());
    assertEquals("x", shorter.citation(), "a placement that changes nothing keeps the stored ground");
    EvidenceHold longer = s.place(C, "b", "x2", day(20), Duration.ofDays(30));
    assertEquals(day(50), longer.until());
    assertEquals(T, longer.from(), "a hold keeps its first start");
    assertEquals("x2", longer.citation(), "the placement that extends a hold gives its ground");
    assertEquals(List.of(longer), s.on(C));
    assertEquals(1, s.expire(day(60)).size(), "expired once, at its latest end");
    assertEquals(List.of(), s.expire(day(61)));
    assertThrows(IllegalArgumentException.class, () -> s.place(C, "z", "x", T, Duration.ZERO));
    assertThrows(IllegalArgumentException.class, () -> s.place(C, "z", "x", T, Duration.ofDays(-1)));
    assertEquals(1, s.all().size(), "a refused placement stores nothing");
  }

  /** A hold extended after it expired binds again and expires again at its new end. */
  @Test
  void aHoldExtendedAfterItExpiredBindsAgain() throws Exception {
    EvidenceHoldStore s = newStore();
    s.place(C, "b", "x", T, Duration.ofDays(1));
    assertEquals(1, s.expire(day(2)).size());
    assertTrue(s.mayDelete(C, day(2)));
    EvidenceHold again = s.place(C, "b", "x", day(2), Duration.ofDays(5));
    assertEquals(day(7), again.until());
    assertEquals(Optional.empty(), again.expiredAt(), "an extended hold is active again");
    assertFalse(s.mayDelete(C, day(3)));
    assertEquals(List.of(again), s.active(day(3)));
    List<EvidenceHold> ended = s.expire(day(7));
    assertEquals(1, ended.size());
    assertEquals(Optional.of(day(7)), ended.get(0).expiredAt());
  }

  /** Expiry and the listings keep their orders. */
  @Test
  void listingsKeepTheirOrders() throws Exception {
    EvidenceHoldStore s = newStore();
    ContentId c2 = ContentId.of("c2");
    EvidenceHold a = s.place(C, "late", "x", T, Duration.ofDays(30));
    EvidenceHold b = s.place(c2, "early", "x", day(1), Duration.ofDays(5));
    EvidenceHold c = s.place(C, "middle", "x", day(2), Duration.ofDays(10));
    assertEquals(List.of(a, c), s.on(C), "on(content): in the order first placed");
    assertEquals(List.of(a, b, c), s.all(), "all(): by start");
    assertEquals(List.of(b, c, a), s.active(day(3)), "active(now): earliest end first");
    assertEquals(List.of(c, a), s.active(day(6)));
    List<EvidenceHold> ended = s.expire(day(40));
    assertEquals(List.of(b.id(), c.id(), a.id()), ended.stream().map(EvidenceHold::id).toList(),
        "expire(now): earliest end first");
    assertEquals(List.of(), s.active(day(3)), "expired holds are not active");
    assertEquals(3, s.all().size(), "expired holds stay on record");
    assertTrue(s.all().stream().allMatch(h -> h.expiredAt().equals(Optional.of(day(40)))));
  }

  /** Concurrent placements of one basis keep the latest end. */
  @Test
  void concurrentPlacementsKeepTheLatestEnd() throws Exception {
    EvidenceHoldStore s = newStore();
    int threads = 4;
    int each = 25;
    ExecutorService pool = Executors.newFixedThreadPool(threads);
    CountDownLatch go = new CountDownLatch(1);
    try {
      List<Future<?>> fs = new ArrayList<>();
      for (int t = 0; t < threads; t++) {
        int base = t;
        fs.add(pool.submit(() -> {
          go.await(10, TimeUnit.SECONDS);
          for (int i = 0; i < each; i++) {
            s.place(C, "b", "x", T, Duration.ofDays(1 + i * threads + base));
          }
          return null;
        }));
      }
      go.countDown();
      for (Future<?> f : fs) {
        f.get();
      }
    } finally {
      pool.shutdownNow();
    }
    assertEquals(List.of(day(threads * each)), s.on(C).stream().map(EvidenceHold::until).toList());
  }

  /** Callers expiring at once get each ended hold exactly once between them. */
  @Test
  void concurrentExpiriesHandEachHoldToOneCaller() throws Exception {
    EvidenceHoldStore s = newStore();
    int holds = 40;
    for (int i = 0; i < holds; i++) {
      s.place(ContentId.of("c" + i), "b", "x", T, Duration.ofDays(1 + i % 5));
    }
    int threads = 4;
    ExecutorService pool = Executors.newFixedThreadPool(threads);
    CountDownLatch go = new CountDownLatch(1);
    List<EvidenceHold> got = new ArrayList<>();
    try {
      List<Future<List<EvidenceHold>>> fs = new ArrayList<>();
      for (int t = 0; t < threads; t++) {
        fs.add(pool.submit(() -> {
          go.await(10, TimeUnit.SECONDS);
          List<EvidenceHold> mine = new ArrayList<>();
          for (int d = 1; d <= 6; d++) {
            mine.addAll(s.expire(day(d)));
          }
          return mine;
        }));
      }
      go.countDown();
      for (Future<List<EvidenceHold>> f : fs) {
        got.addAll(f.get());
      }
    } finally {
      pool.shutdownNow();
    }
    Set<String> ids = new HashSet<>();
    for (EvidenceHold h : got) {
      assertTrue(ids.add(h.id()), "hold " + h.id() + " expired twice");
    }
    assertEquals(holds, ids.size(), "every ended hold must expire once");
    assertEquals(List.of(), s.active(day(5)));
  }
}
