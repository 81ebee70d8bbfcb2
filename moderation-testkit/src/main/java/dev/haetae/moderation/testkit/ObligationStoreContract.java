package dev.haetae.moderation.testkit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.haetae.moderation.api.Category;
import dev.haetae.moderation.api.ContentId;
import dev.haetae.moderation.api.Duty;
import dev.haetae.moderation.api.spi.ObligationRecord;
import dev.haetae.moderation.api.spi.ObligationStore;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * The contract of an {@link ObligationStore}, for adapter authors: {@code open} is idempotent by id;
 * {@code find} and {@code all} see every obligation; {@code openFor} lists only open or breached ones,
 * earliest deadline first; {@code due} lists open obligations whose next check has come, earliest
 * first, at most {@code max}; {@code update} replaces by id and refuses unknown ids.
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
}
