package dev.haetae.moderation.testkit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.haetae.moderation.api.AccountId;
import dev.haetae.moderation.api.Category;
import dev.haetae.moderation.api.ContentId;
import dev.haetae.moderation.api.DecisionId;
import dev.haetae.moderation.api.ReporterId;
import dev.haetae.moderation.api.Target;
import dev.haetae.moderation.api.spi.ReportRecord;
import dev.haetae.moderation.api.spi.ReporterRecord;
import dev.haetae.moderation.api.spi.ReputationStore;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;

/**
 * The contract of a {@link ReputationStore}, for adapter authors (e.g. a PostgreSQL store): unknown
 * reporters are empty; {@code updateReporter} starts from an unknown record and is atomic (no lost
 * updates under contention); {@code addReport} keeps one report per reporter and target; reports
 * come back oldest first; {@code updateReports} is atomic; every field of a reporter's record and of
 * a report comes back as written (instants to the millisecond); {@code pendingReports} lists the
 * pending, unresolved reports earliest first.
 *
 * @since 0.1
 */
public abstract class ReputationStoreContract {
  private static final Instant T0 = Instant.parse("2026-11-21T10:00:00Z");

  /** For subclasses. */
  protected ReputationStoreContract() {}

  /**
   * A new, empty store.
   *
   * @return the store; never null
   * @throws Exception when it cannot be created
   */
  protected abstract ReputationStore newStore() throws Exception;

  /** An unknown reporter has no record; the first update starts from an unknown record. */
  @Test
  void unknownReportersStartEmpty() throws Exception {
    ReputationStore s = newStore();
    ReporterId r = ReporterId.of("r1");
    assertEquals(Optional.empty(), s.reporter(r));
    ReporterRecord written = s.updateReporter(r, T0, x -> {
      assertEquals(ReporterRecord.unknown(r, T0), x, "the first update must see ReporterRecord.unknown");
      return new ReporterRecord(r, Optional.of(T0), true, 1, 0, T0, 0, Optional.empty());
    });
    assertEquals(Optional.of(written), s.reporter(r));
  }

  /** Concurrent updates of one reporter lose nothing. */
  @Test
  void reporterUpdatesAreAtomic() throws Exception {
    ReputationStore s = newStore();
    ReporterId r = ReporterId.of("r1");
    int threads = 4;
    int each = 100;
    ExecutorService pool = Executors.newFixedThreadPool(threads);
    try {
      List<Future<?>> fs = new ArrayList<>();
      for (int t = 0; t < threads; t++) {
        fs.add(pool.submit(() -> {
          for (int i = 0; i < each; i++) {
            s.updateReporter(r, T0, x -> new ReporterRecord(r, x.accountCreated(), x.trustedFlagger(),
                x.confirmed() + 1, x.rejected(), x.updatedAt(), x.warnings(), x.suspendedUntil()));
          }
        }));
      }
      for (Future<?> f : fs) {
        f.get();
      }
    } finally {
      pool.shutdownNow();
    }
    assertEquals(threads * each, s.reporter(r).orElseThrow().confirmed(), 0.0, "updates were lost");
  }

  /** One report per reporter and target, oldest first. */
  @Test
  void reportsAreDeduplicatedAndOrdered() throws Exception {
    ReputationStore s = newStore();
    Target c = Target.content(ContentId.of("c1"));
    assertTrue(s.addReport(new ReportRecord(ReporterId.of("a"), c, Category.NCII, T0, ReportRecord.Status.PENDING)));
    assertTrue(s.addReport(new ReportRecord(ReporterId.of("b"), c, Category.SPAM, T0.plusSeconds(1),
        ReportRecord.Status.PENDING)));
    assertFalse(s.addReport(new ReportRecord(ReporterId.of("a"), c, Category.SPAM, T0.plusSeconds(2),
        ReportRecord.Status.PENDING)), "a second report by the same reporter on the same target must be refused");
    assertTrue(s.addReport(new ReportRecord(ReporterId.of("a"), Target.account(AccountId.of("u1")), Category.SPAM, T0,
        ReportRecord.Status.PENDING)));
    List<ReportRecord> got = s.reports(c);
    assertEquals(2, got.size());
    assertEquals(ReporterId.of("a"), got.get(0).reporter());
    assertEquals(ReporterId.of("b"), got.get(1).reporter());
    assertEquals(List.of(), s.reports(Target.content(ContentId.of("none"))));
  }

  /**
   * {@code pendingReports} lists the pending, unresolved reports on every target, earliest receipt
   * first, bounded by its limit, with their fields as written; resolved and rejected reports are not
   * listed. (Stores written before 0.4 inherit a default that lists none: override it.) And
   * {@code report(reporter, target)} finds the one report of a reporter on a target.
   */
  @Test
  void pendingReportsAreListedEarliestFirst() throws Exception {
    ReputationStore s = newStore();
    String run = Long.toHexString(System.nanoTime());
    Target c = Target.content(ContentId.of("pending-" + run));
    Target a = Target.account(AccountId.of("pending-" + run));
    DecisionId d = DecisionId.of("d-" + run);
    s.addReport(new ReportRecord(ReporterId.of("late"), c, Category.SPAM, T0.plusSeconds(20),
        ReportRecord.Status.PENDING, Optional.of(d), Optional.of(DecisionId.of("f-" + run)), false, Optional.empty()));
    s.addReport(new ReportRecord(ReporterId.of("early"), a, Category.NCII, T0.plusSeconds(10),
        ReportRecord.Status.PENDING, Optional.empty(), Optional.of(d), true, Optional.empty()));
    s.addReport(new ReportRecord(ReporterId.of("judged"), c, Category.SPAM, T0, ReportRecord.Status.PENDING));
    s.updateReports(c, l -> l.stream().map(r -> r.reporter().value().equals("judged")
        ? r.resolved(ReportRecord.Status.REJECTED, d) : r).toList());
    s.addReport(new ReportRecord(ReporterId.of("unweighed"), a, Category.SPAM, T0, ReportRecord.Status.UNPROCESSED));
    List<ReportRecord> mine = s.pendingReports(10_000).stream()
        .filter(r -> r.target().equals(c) || r.target().equals(a)).toList();
    assertEquals(List.of("early", "late"), mine.stream().map(r -> r.reporter().value()).toList());
    assertEquals(s.reports(a).get(0), mine.get(0), "every field as written");
    assertEquals(s.reports(c).stream().filter(r -> r.reporter().value().equals("late")).findFirst().orElseThrow(),
        mine.get(1));
    assertTrue(s.pendingReports(1).size() <= 1, "the limit bounds the list");
    assertEquals(Optional.of(mine.get(1)), s.report(ReporterId.of("late"), c), "one report by reporter and target");
    assertEquals(Category.SPAM, s.report(ReporterId.of("judged"), c).orElseThrow().category());
    assertEquals(Optional.empty(), s.report(ReporterId.of("late"), a));
    assertEquals(Optional.empty(), s.report(ReporterId.of("nobody"), Target.content(ContentId.of("none-" + run))));
    assertEquals(List.of(), s.pendingReports(0));
    assertThrows(IllegalArgumentException.class, () -> s.pendingReports(-1));
  }

  /** Every field of a reporter's record and of a report comes back as written. */
  @Test
  void everyFieldIsKept() throws Exception {
    ReputationStore s = newStore();
    ReporterId r = ReporterId.of("r-all");
    Target c = Target.content(ContentId.of("c-all"));
    List<ReporterRecord.Trace> traces = List.of(
        new ReporterRecord.Trace(c, r, Category.NCII, T0.plusMillis(1), true),
        new ReporterRecord.Trace(Target.account(AccountId.of("u-all")), ReporterId.of("other"), Category.DOXXING,
            T0.plusMillis(2), false),
        new ReporterRecord.Trace(Target.room(dev.haetae.moderation.api.RoomId.of("room-all")), r, Category.SPAM,
            T0.plusMillis(3), false));
    ReporterRecord full = new ReporterRecord(r, Optional.of(T0.minusSeconds(86_400)), false, 2.5, 0.25,
        T0.plusMillis(7), 1, Optional.of(T0.plusSeconds(3600)),
        List.of(new dev.haetae.moderation.api.AccountEvent.RoomJoin(dev.haetae.moderation.api.RoomId.of("news"),
            T0.minusSeconds(60))),
        List.of(T0.minusSeconds(30), T0.minusSeconds(20)), Optional.of(T0.minusSeconds(10)), traces,
        traces.subList(1, 3), List.of(dev.haetae.moderation.api.DecisionId.of("d-1"),
            dev.haetae.moderation.api.DecisionId.of("d-2")),
        Optional.of(new ReporterRecord.Sanction(dev.haetae.moderation.api.DecisionId.of("d-proposal"),
            ReporterRecord.Sanction.State.PROPOSED)));
    assertEquals(full, s.updateReporter(r, T0, x -> full));
    assertEquals(Optional.of(full), s.reporter(r));
    // every state of a misuse case is kept, and closing the case is kept too
    for (ReporterRecord.Sanction.State st : ReporterRecord.Sanction.State.values()) {
      ReporterRecord next = full.withSanction(Optional.of(new ReporterRecord.Sanction(
          dev.haetae.moderation.api.DecisionId.of("d-" + st), st)));
      assertEquals(next, s.updateReporter(r, T0, x -> next));
      assertEquals(Optional.of(next), s.reporter(r));
    }
    assertEquals(Optional.empty(), s.updateReporter(r, T0, x -> x.withSanction(Optional.empty())).sanction());
    assertEquals(Optional.empty(), s.reporter(r).orElseThrow().sanction());
    s.updateReporter(r, T0, x -> full);
    ReportRecord report = new ReportRecord(r, c, Category.NCII, T0.plusMillis(5), ReportRecord.Status.PENDING,
        Optional.of(dev.haetae.moderation.api.DecisionId.of("d-queue")),
        Optional.of(dev.haetae.moderation.api.DecisionId.of("d-own")), true);
    assertTrue(s.addReport(report));
    assertEquals(List.of(report), s.reports(c));
    ReportRecord resolved = report.resolved(ReportRecord.Status.CONFIRMED,
        dev.haetae.moderation.api.DecisionId.of("d-review"));
    assertEquals(List.of(resolved), s.updateReports(c, l -> List.of(l.get(0).resolved(ReportRecord.Status.CONFIRMED,
        dev.haetae.moderation.api.DecisionId.of("d-review")))));
    assertEquals(List.of(resolved), s.reports(c));
  }

  /** Concurrent report updates lose nothing. */
  @Test
  void reportUpdatesAreAtomic() throws Exception {
    ReputationStore s = newStore();
    Target c = Target.content(ContentId.of("c1"));
    int threads = 4;
    int each = 50;
    ExecutorService pool = Executors.newFixedThreadPool(threads);
    try {
      List<Future<?>> fs = new ArrayList<>();
      for (int t = 0; t < threads; t++) {
        int base = t * each;
        fs.add(pool.submit(() -> {
          for (int i = 0; i < each; i++) {
            ReportRecord rec = new ReportRecord(ReporterId.of("r" + (base + i)), c, Category.SPAM, T0,
                ReportRecord.Status.PENDING);
            s.updateReports(c, l -> {
              List<ReportRecord> n = new ArrayList<>(l);
              n.add(rec);
              return n;
            });
          }
        }));
      }
      for (Future<?> f : fs) {
        f.get();
      }
    } finally {
      pool.shutdownNow();
    }
    assertEquals(threads * each, s.reports(c).size(), "report updates were lost");
  }
}
