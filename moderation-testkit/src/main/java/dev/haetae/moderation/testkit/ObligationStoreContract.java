package dev.haetae.moderation.testkit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.haetae.moderation.api.Category;
import dev.haetae.moderation.api.ContentId;
import dev.haetae.moderation.api.Duty;
import dev.haetae.moderation.api.spi.ObligationRecord;
import dev.haetae.moderation.api.spi.ObligationStore;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * The contract of an {@link ObligationStore}, for adapter authors: {@code open} is idempotent by id;
 * {@code find} and {@code all} see every obligation; {@code openFor} lists only open or breached ones,
 * earliest deadline first; {@code due} lists open obligations whose next check has come, earliest
 * first, at most {@code max}; {@code update} replaces by id and refuses unknown ids; the atomic
 * {@code update(id, change)} loses no update under contention and reschedules what it changes; of
 * concurrent opens of one id exactly one stores its obligation (and gets it back itself).
 *
 * <p>The obligations used have instants in whole seconds, so stores that keep instants to the
 * millisecond or microsecond pass.
 *
 * @since 0.1
 */
public abstract class ObligationStoreContract {
  private static final Instant T0 = Instant.parse("2026-11-21T10:00:00Z");

  /** For subclasses. */
  protected ObligationStoreContract() {}

  /**
   * A new, empty store.
   *
   * @return the store; never null
   * @throws Exception when it cannot be created
   */
  protected abstract ObligationStore newStore() throws Exception;

  private static ObligationRecord ob(String id, String content, Duration deadline, Duration nextCheck,
      ObligationRecord.Status status) {
    return new ObligationRecord(id, "US-TAKE-IT-DOWN", "cite", Category.NCII, ContentId.of(content), T0,
        T0.plus(deadline), List.of(Duty.REMOVE), Duration.ZERO, status, T0.plus(nextCheck), 0,
        status == ObligationRecord.Status.OPEN || status == ObligationRecord.Status.BREACHED ? Optional.empty()
            : Optional.of(T0));
  }

  /** Opening the same id twice keeps the first. */
  @Test
  void openIsIdempotentById() throws Exception {
    ObligationStore s = newStore();
    ObligationRecord a = ob("o1", "c1", Duration.ofHours(48), Duration.ofHours(24), ObligationRecord.Status.OPEN);
    assertEquals(a, s.open(a));
    ObligationRecord again = ob("o1", "c2", Duration.ofHours(1), Duration.ofHours(1), ObligationRecord.Status.OPEN);
    assertEquals(a, s.open(again), "a duplicate id must return the stored obligation");
    assertEquals(Optional.of(a), s.find("o1"));
    assertEquals(Optional.empty(), s.find("nope"));
    assertEquals(1, s.all().size());
  }

  /** Only open obligations, earliest deadline first. */
  @Test
  void openForListsOpenOnesEarliestDeadlineFirst() throws Exception {
    ObligationStore s = newStore();
    s.open(ob("late", "c1", Duration.ofHours(72), Duration.ofHours(1), ObligationRecord.Status.OPEN));
    s.open(ob("early", "c1", Duration.ofHours(2), Duration.ofHours(1), ObligationRecord.Status.OPEN));
    s.open(ob("done", "c1", Duration.ofHours(1), Duration.ofHours(1), ObligationRecord.Status.FULFILLED));
    s.open(ob("other", "c2", Duration.ofHours(1), Duration.ofHours(1), ObligationRecord.Status.OPEN));
    List<ObligationRecord> got = s.openFor(ContentId.of("c1"));
    assertEquals(List.of("early", "late"), got.stream().map(ObligationRecord::id).toList());
    assertEquals(4, s.all().size());
  }

  /** Due obligations, earliest next check first, bounded. */
  @Test
  void dueListsWhatHasComeEarliestFirstBounded() throws Exception {
    ObligationStore s = newStore();
    s.open(ob("b", "c1", Duration.ofHours(48), Duration.ofHours(2), ObligationRecord.Status.OPEN));
    s.open(ob("a", "c2", Duration.ofHours(48), Duration.ofHours(1), ObligationRecord.Status.OPEN));
    s.open(ob("c", "c3", Duration.ofHours(48), Duration.ofHours(30), ObligationRecord.Status.OPEN));
    assertEquals(List.of(), s.due(T0, 10));
    assertEquals(List.of("a", "b"), s.due(T0.plus(Duration.ofHours(2)), 10).stream().map(ObligationRecord::id)
        .toList());
    assertEquals(List.of("a"), s.due(T0.plus(Duration.ofHours(2)), 1).stream().map(ObligationRecord::id).toList());
  }

  /** Update replaces by id; unknown ids are refused. */
  @Test
  void updateReplacesByIdAndRefusesUnknownIds() throws Exception {
    ObligationStore s = newStore();
    s.open(ob("o1", "c1", Duration.ofHours(48), Duration.ofHours(1), ObligationRecord.Status.OPEN));
    ObligationRecord done = ob("o1", "c1", Duration.ofHours(48), Duration.ofHours(1),
        ObligationRecord.Status.FULFILLED);
    s.update(done);
    assertEquals(Optional.of(done), s.find("o1"));
    assertTrue(s.openFor(ContentId.of("c1")).isEmpty(), "a fulfilled obligation is no longer open");
    assertTrue(s.due(T0.plus(Duration.ofDays(10)), 10).isEmpty(), "a fulfilled obligation is never due");
    assertThrows(IllegalArgumentException.class, () -> s.update(ob("nope", "c1", Duration.ofHours(1),
        Duration.ofHours(1), ObligationRecord.Status.OPEN)));
  }

  private static ObligationRecord withEscalations(ObligationRecord o, int escalations, Instant nextCheck) {
    return new ObligationRecord(o.id(), o.instrument(), o.citation(), o.category(), o.content(), o.receivedAt(),
        o.deadline(), o.duties(), o.preserveFor(), o.status(), nextCheck, escalations, o.closedAt());
  }

  /** The store returns the argument itself when it stores it; that is how a caller knows it opened it. */
  @Test
  void openReturnsTheArgumentItselfWhenItStoresIt() throws Exception {
    ObligationStore s = newStore();
    ObligationRecord a = ob("o1", "c1", Duration.ofHours(48), Duration.ofHours(24), ObligationRecord.Status.OPEN);
    assertSame(a, s.open(a), "the obligation this call stored must come back as the same reference");
    ObligationRecord copy = ob("o1", "c1", Duration.ofHours(48), Duration.ofHours(24), ObligationRecord.Status.OPEN);
    assertTrue(s.open(copy) != copy, "a duplicate open must not return its argument");
  }

  /** Of several callers opening one id at once, exactly one stores its obligation. */
  @Test
  void concurrentOpensOfOneIdStoreExactlyOne() throws Exception {
    ObligationStore s = newStore();
    int threads = 4;
    ExecutorService pool = Executors.newFixedThreadPool(threads);
    CountDownLatch go = new CountDownLatch(1);
    try {
      List<Future<Boolean>> fs = new ArrayList<>();
      for (int t = 0; t < threads; t++) {
        ObligationRecord mine = ob("same", "c" + t, Duration.ofHours(48), Duration.ofHours(t + 1),
            ObligationRecord.Status.OPEN);
        fs.add(pool.submit(() -> {
          go.await(10, TimeUnit.SECONDS);
          return s.open(mine) == mine;
        }));
      }
      go.countDown();
      int won = 0;
      for (Future<Boolean> f : fs) {
        won += f.get() ? 1 : 0;
      }
      assertEquals(1, won, "exactly one open must store its obligation");
    } finally {
      pool.shutdownNow();
    }
    assertEquals(1, s.all().size());
  }

  /** The atomic update changes from the current state, reschedules, and can leave it unchanged. */
  @Test
  void updateWithAChangeReadsTheCurrentStateAndReschedules() throws Exception {
    ObligationStore s = newStore();
    ObligationRecord o = ob("o1", "c1", Duration.ofHours(48), Duration.ofHours(1), ObligationRecord.Status.OPEN);
    s.open(o);
    ObligationRecord later = s.update("o1", cur -> withEscalations(cur, cur.escalations() + 1,
        T0.plus(Duration.ofHours(30))));
    assertEquals(1, later.escalations());
    assertEquals(Optional.of(later), s.find("o1"));
    assertEquals(List.of(), s.due(T0.plus(Duration.ofHours(2)), 10), "the old next check must be unscheduled");
    assertEquals(List.of(later), s.due(T0.plus(Duration.ofHours(30)), 10), "the new next check must be scheduled");
    assertEquals(later, s.update("o1", cur -> cur), "returning the argument leaves it unchanged");
    ObligationRecord done = s.update("o1", cur -> new ObligationRecord(cur.id(), cur.instrument(), cur.citation(),
        cur.category(), cur.content(), cur.receivedAt(), cur.deadline(), cur.duties(), cur.preserveFor(),
        ObligationRecord.Status.FULFILLED, cur.nextCheck(), cur.escalations(), Optional.of(T0)));
    assertEquals(Optional.of(done), s.find("o1"));
    assertTrue(s.due(T0.plus(Duration.ofDays(10)), 10).isEmpty(), "a fulfilled obligation is never due");
    assertTrue(s.openFor(ContentId.of("c1")).isEmpty(), "a fulfilled obligation is no longer open");
    assertThrows(IllegalArgumentException.class, () -> s.update("nope", cur -> cur));
    assertThrows(IllegalArgumentException.class, () -> s.update("o1", cur -> ob("other", "c1",
        Duration.ofHours(1), Duration.ofHours(1), ObligationRecord.Status.OPEN)));
    assertEquals(Optional.of(done), s.find("o1"), "a refused change must change nothing");
  }

  /** Concurrent atomic updates of one obligation lose nothing. */
  @Test
  void updatesWithAChangeAreAtomic() throws Exception {
    ObligationStore s = newStore();
    s.open(ob("o1", "c1", Duration.ofHours(48), Duration.ofHours(1), ObligationRecord.Status.OPEN));
    int threads = 4;
    int each = 50;
    ExecutorService pool = Executors.newFixedThreadPool(threads);
    try {
      List<Future<?>> fs = new ArrayList<>();
      for (int t = 0; t < threads; t++) {
        fs.add(pool.submit(() -> {
          for (int i = 0; i < each; i++) {
            s.update("o1", cur -> withEscalations(cur, cur.escalations() + 1, cur.nextCheck().plusSeconds(1)));
          }
          return null;
        }));
      }
      for (Future<?> f : fs) {
        f.get();
      }
    } finally {
      pool.shutdownNow();
    }
    ObligationRecord got = s.find("o1").orElseThrow();
    assertEquals(threads * each, got.escalations(), "updates were lost");
    assertEquals(T0.plus(Duration.ofHours(1)).plusSeconds(threads * each), got.nextCheck());
  }
}
