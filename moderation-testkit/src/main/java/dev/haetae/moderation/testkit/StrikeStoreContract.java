package dev.haetae.moderation.testkit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.haetae.moderation.api.AccountId;
import dev.haetae.moderation.api.ContentId;
import dev.haetae.moderation.api.spi.StrikeStore;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * The contract of a {@link StrikeStore}, for adapter authors (e.g. a PostgreSQL store): one strike
 * per account and removed content, keeping the later expiry; a strike counts while {@code now} is
 * before its expiry; clearing removes exactly one pair's strike; accounts are independent; and
 * concurrent records of one pair leave one strike.
 *
 * <p>Instants are in whole seconds, so stores that keep instants to the millisecond or microsecond
 * pass.
 *
 * @since 0.1
 */
public abstract class StrikeStoreContract {
  private static final Instant T = Instant.parse("2026-11-21T10:00:00Z");
  private static final AccountId U1 = AccountId.of("u1");
  private static final AccountId U2 = AccountId.of("u2");

  /** For subclasses. */
  protected StrikeStoreContract() {}

  /**
   * A new, empty store.
   *
   * @return the store; never null
   * @throws Exception when it cannot be created
   */
  protected abstract StrikeStore newStore() throws Exception;

  private static Instant day(int n) {
    return T.plus(Duration.ofDays(n));
  }

  /** A strike counts while now is before its expiry, and each removed content counts once. */
  @Test
  void strikesCountUntilTheyExpire() throws Exception {
    StrikeStore s = newStore();
    assertEquals(0, s.live(U1, T));
    s.record(U1, ContentId.of("c1"), day(30));
    s.record(U1, ContentId.of("c2"), day(90));
    assertEquals(2, s.live(U1, T));
    assertEquals(2, s.live(U1, day(30).minusSeconds(1)));
    assertEquals(1, s.live(U1, day(30)), "a strike stops counting at its expiry");
    assertEquals(0, s.live(U1, day(90)));
    assertEquals(0, s.live(U2, T), "accounts are independent");
  }

  /** Recording the same removal again keeps one strike, with the later expiry. */
  @Test
  void oneStrikePerRemovalWithTheLaterExpiry() throws Exception {
    StrikeStore s = newStore();
    ContentId c = ContentId.of("c1");
    s.record(U1, c, day(30));
    s.record(U1, c, day(10));
    assertEquals(1, s.live(U1, T));
    assertEquals(1, s.live(U1, day(20)), "an earlier expiry does not shorten the strike");
    s.record(U1, c, day(60));
    assertEquals(1, s.live(U1, day(50)), "a later expiry lengthens it");
    s.record(U2, c, day(30));
    assertEquals(1, s.live(U2, T), "the same content can strike another account (a re-upload)");
  }

  /** Clearing removes exactly the pair's strike, once. */
  @Test
  void clearingRemovesOnePairsStrike() throws Exception {
    StrikeStore s = newStore();
    s.record(U1, ContentId.of("c1"), day(30));
    s.record(U1, ContentId.of("c2"), day(30));
    s.record(U2, ContentId.of("c1"), day(30));
    assertTrue(s.clear(U1, ContentId.of("c1")));
    assertFalse(s.clear(U1, ContentId.of("c1")), "already cleared");
    assertFalse(s.clear(U1, ContentId.of("never")));
    assertEquals(1, s.live(U1, T));
    assertEquals(1, s.live(U2, T), "another account's strike for the same content stays");
    s.record(U1, ContentId.of("c1"), day(30));
    assertEquals(2, s.live(U1, T), "a removal made again after a reversal strikes again");
  }

  /** Null arguments are refused. */
  @Test
  void nullArgumentsAreRefused() throws Exception {
    StrikeStore s = newStore();
    ContentId c = ContentId.of("c1");
    assertThrows(NullPointerException.class, () -> s.record(null, c, T));
    assertThrows(NullPointerException.class, () -> s.record(U1, null, T));
    assertThrows(NullPointerException.class, () -> s.record(U1, c, null));
    assertThrows(NullPointerException.class, () -> s.clear(U1, null));
    assertThrows(NullPointerException.class, () -> s.live(null, T));
    assertThrows(NullPointerException.class, () -> s.live(U1, null));
    assertEquals(0, s.live(U1, T), "a refused record stores nothing");
  }

  /** Concurrent records of one removal leave one strike; of distinct removals, one each. */
  @Test
  void concurrentRecordsOfOneRemovalLeaveOneStrike() throws Exception {
    StrikeStore s = newStore();
    int threads = 4;
    int perThread = 25;
    ExecutorService pool = Executors.newFixedThreadPool(threads);
    try {
      CountDownLatch start = new CountDownLatch(1);
      List<Future<?>> fs = new ArrayList<>();
      for (int t = 0; t < threads; t++) {
        int id = t;
        fs.add(pool.submit(() -> {
          start.await();
          for (int i = 0; i < perThread; i++) {
            s.record(U1, ContentId.of("shared"), day(30 + id));
            s.record(U2, ContentId.of("c-" + id + "-" + i), day(30));
          }
          return null;
        }));
      }
      start.countDown();
      for (Future<?> f : fs) {
        f.get(60, TimeUnit.SECONDS);
      }
    } finally {
      pool.shutdownNow();
    }
    assertEquals(1, s.live(U1, T));
    assertEquals(1, s.live(U1, day(30 + threads - 1).minusSeconds(1)), "the latest expiry won");
    assertEquals(threads * perThread, s.live(U2, T));
  }
}
