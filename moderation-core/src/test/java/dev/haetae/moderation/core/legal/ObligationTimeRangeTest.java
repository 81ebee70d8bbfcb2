package dev.haetae.moderation.core.legal;

import static dev.haetae.moderation.core.legal.ObligationsTest.IN;
import static dev.haetae.moderation.core.legal.ObligationsTest.TCO;
import static dev.haetae.moderation.core.legal.ObligationsTest.TID;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import dev.haetae.moderation.api.ContentId;
import dev.haetae.moderation.api.LegalNotice;
import dev.haetae.moderation.api.NoticeSender;
import dev.haetae.moderation.api.ObligationEvent;
import dev.haetae.moderation.api.TimeOutOfRangeException;
import dev.haetae.moderation.api.spi.ObligationRecord;
import dev.haetae.moderation.api.spi.ObligationStore;
import dev.haetae.moderation.core.store.InMemoryObligationStore;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.Test;

/**
 * Time at the edges: a tick at 9999-12-31 once re-breached a breached obligation in an endless loop
 * until memory ran out (the far-future "never" next check was due). Instants outside the documented
 * range are refused with {@link TimeOutOfRangeException}; inside it, every loop over time ends
 * within a bound: seeded property tests over the whole {@link Instant} range count the store's
 * updates, so an endless loop fails the test instead of hanging it.
 */
class ObligationTimeRangeTest {
  private static final long SEED = Long.getLong("haetae.fuzz.seed", 0x7135_9999L);
  private static final int CASES = 400 * Integer.getInteger("haetae.fuzz.scale", 1);

  /** Counts updates and fails past a bound: a loop over time that does not end fails, not hangs. */
  private static final class BoundedStore implements ObligationStore {
    final InMemoryObligationStore inner = new InMemoryObligationStore();
    final AtomicInteger updates = new AtomicInteger();
    final int bound = 10_000;

    @Override
    public ObligationRecord open(ObligationRecord obligation) {
      return inner.open(obligation);
    }

    @Override
    public Optional<ObligationRecord> find(String id) {
      return inner.find(id);
    }

    @Override
    public List<ObligationRecord> openFor(ContentId content) {
      return inner.openFor(content);
    }

    @Override
    public List<ObligationRecord> all() {
      return inner.all();
    }

    @Override
    public List<ObligationRecord> due(Instant now, int max) {
      return inner.due(now, max);
    }

    @Override
    public void update(ObligationRecord obligation) {
      inner.update(obligation);
    }

    @Override
    public ObligationRecord update(String id, UnaryOperator<ObligationRecord> change) {
      if (updates.incrementAndGet() > bound) {
        throw new AssertionError("more than " + bound + " updates: a loop over time does not end");
      }
      return inner.update(id, change);
    }
  }

  private final BoundedStore store = new BoundedStore();
  private final Obligations obligations = new Obligations(JurisdictionProfiles.bundled(), store, 0.5, 0.8);

  private static LegalNotice notice(String id, Instant received) {
    return new LegalNotice(id, "US-TAKE-IT-DOWN", ContentId.of("c-" + id), NoticeSender.VICTIM, TID, received);
  }

  @Test
  void aTickAtTheEndOfTimeIsRefusedInsteadOfLoopingUntilOutOfMemory() {
    Instant received = Instant.parse("2026-11-21T10:00:00Z");
    obligations.receive(notice("n1", received), false, received);
    List<ObligationEvent> breached = obligations.tick(Instant.parse("2026-12-01T00:00:00Z"));
    assertEquals(ObligationEvent.Type.BREACHED, breached.get(breached.size() - 1).type());
    for (String t : new String[] {"9999-12-31T00:00:00Z", "9999-12-31T23:59:59Z", "+10000-01-01T00:00:00Z",
        "9000-01-01T00:00:00Z"}) {
      TimeOutOfRangeException e = assertThrows(TimeOutOfRangeException.class,
          () -> obligations.tick(Instant.parse(t)));
      assertEquals(Instant.parse(t), e.instant());
      assertEquals("now", e.field());
    }
    assertEquals(List.of(), obligations.tick(Instant.parse("8999-12-31T23:59:59Z")),
        "the latest accepted tick finds nothing more to do: a breach is final");
    assertThrows(TimeOutOfRangeException.class, () -> obligations.tick(Instant.parse("1969-12-31T23:59:59Z")));
    assertThrows(TimeOutOfRangeException.class, () -> obligations.tick(Instant.MAX));
    assertThrows(TimeOutOfRangeException.class, () -> obligations.tick(Instant.MIN));
  }

  @Test
  void noticesAndRemovalsOutsideTheRangeAreRefusedAndChangeNothing() {
    Instant ok = Instant.parse("2026-11-21T10:00:00Z");
    assertThrows(TimeOutOfRangeException.class,
        () -> obligations.receive(notice("late", Instant.parse("9999-12-31T00:00:00Z")), false, ok));
    assertThrows(TimeOutOfRangeException.class,
        () -> obligations.receive(notice("now", ok), false, Instant.parse("9999-12-31T00:00:00Z")));
    assertTrue(store.find("US-TAKE-IT-DOWN:late").isEmpty() && store.find("US-TAKE-IT-DOWN:now").isEmpty());
    obligations.receive(notice("n2", ok), false, ok);
    assertThrows(TimeOutOfRangeException.class,
        () -> obligations.fulfil(ContentId.of("c-n2"), Instant.parse("9999-12-31T00:00:00Z")));
    assertEquals(ObligationRecord.Status.OPEN, store.find("US-TAKE-IT-DOWN:n2").orElseThrow().status());
  }

  @Test
  void aBreachedObligationIsNeverBreachedAgainWhateverItsNextCheckSays() {
    Instant received = Instant.parse("2026-11-21T10:00:00Z");
    obligations.receive(notice("n3", received), false, received);
    obligations.tick(Instant.parse("2026-12-01T00:00:00Z"));
    ObligationRecord b = store.find("US-TAKE-IT-DOWN:n3").orElseThrow();
    assertEquals(ObligationRecord.Status.BREACHED, b.status());
    // A store (or an older version) holding a breached obligation with a next check in range:
    Instant due = Instant.parse("2027-01-01T00:00:00Z");
    store.update(new ObligationRecord(b.id(), b.instrument(), b.citation(), b.category(), b.content(),
        b.receivedAt(), b.deadline(), b.duties(), b.preserveFor(), b.status(), due, b.escalations(),
        b.closedAt()));
    assertEquals(List.of(), obligations.tick(due.plusSeconds(1)));
  }

  @Test
  void seededInstantsAcrossTheWholeRangeEitherWorkOrAreRefusedAndEveryLoopEnds() {
    Random random = new Random(SEED);
    List<String> instruments = List.of("US-TAKE-IT-DOWN", "EU-TCO-3", "IN-ITR-3-2-B");
    List<Map<String, String>> fields = List.of(TID, TCO, IN);
    List<NoticeSender> senders = List.of(NoticeSender.VICTIM, NoticeSender.POLICE, NoticeSender.VICTIM);
    int refused = 0;
    int events = 0;
    for (int c = 0; c < CASES; c++) {
      Instant received = anInstant(random);
      Instant now = random.nextBoolean() ? received : anInstant(random);
      Instant tick = random.nextInt(4) == 0 ? anInstant(random) : later(now, random);
      int k = random.nextInt(instruments.size());
      String where = "case " + c + " (seed " + SEED + "): received " + received + ", now " + now + ", tick " + tick;
      // a fresh store per case: the bound below is per notice
      BoundedStore store = new BoundedStore();
      Obligations obligations = new Obligations(JurisdictionProfiles.bundled(), store, 0.5, 0.8);
      try {
        Obligations.Receipt r = obligations.receive(new LegalNotice("p" + c, instruments.get(k),
            ContentId.of("p" + c), senders.get(k), fields.get(k), received), random.nextInt(5) == 0, now);
        events += r.events().size();
        List<ObligationEvent> ticked = obligations.tick(tick);
        events += ticked.size();
        if (random.nextBoolean()) {
          events += obligations.fulfil(ContentId.of("p" + c), tick).size();
        }
      } catch (TimeOutOfRangeException expected) {
        refused++;
        Instant bad = expected.instant();
        assertTrue(bad.isBefore(TimeOutOfRangeException.EARLIEST) || !bad.isBefore(TimeOutOfRangeException.LATEST),
            where + ": refused an instant inside the range: " + bad);
      } catch (RuntimeException e) {
        fail(where + ": unexpected " + e, e);
      }
      // one notice: opened, at most two escalations, a breach, a close or fulfilment
      assertTrue(store.updates.get() <= 8, where + ": " + store.updates.get() + " updates");
    }
    assertTrue(refused > 0 && events > 0, "refused " + refused + ", events " + events);
  }

  /** Anywhere on the time line, with weight on the edges of the range and of {@link Instant}. */
  private static Instant anInstant(Random random) {
    switch (random.nextInt(6)) {
      case 0:
        return Instant.ofEpochSecond(random.nextLong() % Instant.MAX.getEpochSecond());
      case 1:
        return TimeOutOfRangeException.LATEST.minusSeconds(random.nextInt(1_000_000) - 500_000);
      case 2:
        return TimeOutOfRangeException.EARLIEST.plusSeconds(random.nextInt(1_000_000) - 500_000);
      case 3:
        return Instant.parse("9999-12-31T00:00:00Z").plusSeconds(random.nextInt(200_000) - 100_000);
      case 4:
        return random.nextBoolean() ? Instant.MAX : Instant.MIN;
      default:
        return Instant.parse("2026-01-01T00:00:00Z").plusSeconds(random.nextInt(400_000_000));
    }
  }

  private static Instant later(Instant t, Random random) {
    try {
      return t.plusSeconds(random.nextInt(30 * 86_400));
    } catch (java.time.DateTimeException e) {
      return t;
    }
  }
}
