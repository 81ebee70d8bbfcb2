package dev.haetae.moderation.postgres;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import dev.haetae.moderation.api.AccountEvent;
import dev.haetae.moderation.api.AccountId;
import dev.haetae.moderation.api.Category;
import dev.haetae.moderation.api.ContentId;
import dev.haetae.moderation.api.DecisionId;
import dev.haetae.moderation.api.Duty;
import dev.haetae.moderation.api.ReporterId;
import dev.haetae.moderation.api.RoomId;
import dev.haetae.moderation.api.StoreUnavailableException;
import dev.haetae.moderation.api.Target;
import dev.haetae.moderation.api.spi.EvidenceHoldStore;
import dev.haetae.moderation.api.spi.ObligationRecord;
import dev.haetae.moderation.api.spi.ObligationStore;
import dev.haetae.moderation.api.spi.ReportRecord;
import dev.haetae.moderation.api.spi.ReporterRecord;
import dev.haetae.moderation.api.spi.ReputationStore;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;

/** What the PostgreSQL stores do beyond the test kit's contracts. One fresh schema for the class. */
@RequiresPostgres
class PostgresStoresTest {
  private static final Instant T0 = Instant.parse("2026-11-21T10:00:00Z");
  private static String schema;
  private static HaetaePostgres pg;

  @BeforeAll
  static void open() {
    schema = PgTestServer.freshSchema("stores");
    pg = PgTestServer.open("stores", schema);
  }

  @AfterAll
  static void drop() {
    if (pg != null) {
      pg.close();
      PgTestServer.drop(schema);
    }
  }

  @Test
  void reporterRecordsRoundTripWithEveryFieldToTheMicrosecond() {
    ReputationStore s = pg.reputationStore();
    ReporterId r = ReporterId.of("full");
    Instant fine = T0.plusNanos(123_456_789);
    ReporterRecord full = new ReporterRecord(r, Optional.of(T0.minus(Duration.ofDays(3))), true, 2.5, 1.0 / 3,
        fine, 1, Optional.of(T0.plus(Duration.ofDays(14))),
        List.of(new AccountEvent.RoomJoin(RoomId.of("room-a"), T0.minusSeconds(60)),
            new AccountEvent.RoomJoin(RoomId.of("room-b"), fine)),
        List.of(T0.minusSeconds(5), fine), Optional.of(fine));
    ReporterRecord written = s.updateReporter(r, T0, cur -> full);
    Instant micros = T0.plusNanos(123_456_000);
    assertEquals(micros, written.updatedAt(), "kept to the microsecond");
    assertEquals(List.of(T0.minusSeconds(5), micros), written.unfounded());
    assertEquals(micros, written.rooms().get(1).joinedAt());
    assertEquals(1.0 / 3, written.rejected(), "doubles are kept exactly");
    assertEquals(Optional.of(written), s.reporter(r), "what updateReporter returns is what a read returns");
    ReporterRecord plain = ReporterRecord.unknown(ReporterId.of("plain"), T0);
    assertEquals(plain, s.updateReporter(plain.reporter(), T0, cur -> cur));
    assertEquals(Optional.of(plain), s.reporter(plain.reporter()));
    assertThrows(IllegalArgumentException.class,
        () -> s.updateReporter(r, T0, cur -> ReporterRecord.unknown(ReporterId.of("someone-else"), T0)));
    assertThrows(NullPointerException.class, () -> s.updateReporter(r, T0, cur -> null));
    assertEquals(Optional.of(written), s.reporter(r), "a refused change writes nothing");
  }

  @Test
  void reportListsShrinkGrowAndReorder() {
    ReputationStore s = pg.reputationStore();
    Target t = Target.account(AccountId.of("acc-1"));
    for (int i = 0; i < 4; i++) {
      assertTrue(s.addReport(new ReportRecord(ReporterId.of("r" + i), t, Category.SPAM, T0.plusSeconds(i),
          ReportRecord.Status.PENDING)));
    }
    List<ReportRecord> reversed = s.updateReports(t, l -> {
      List<ReportRecord> n = new ArrayList<>(l.subList(1, 4));
      java.util.Collections.reverse(n);
      return n;
    });
    assertEquals(List.of("r3", "r2", "r1"), reporters(s.reports(t)));
    assertEquals(reversed, s.reports(t));
    s.updateReports(t, l -> {
      List<ReportRecord> n = new ArrayList<>(l);
      n.set(1, n.get(1).withStatus(ReportRecord.Status.CONFIRMED).withDecision(DecisionId.of("d-1")));
      n.add(new ReportRecord(ReporterId.of("r9"), t, Category.NCII, T0, ReportRecord.Status.UNPROCESSED));
      return n;
    });
    List<ReportRecord> got = s.reports(t);
    assertEquals(List.of("r3", "r2", "r1", "r9"), reporters(got));
    assertEquals(ReportRecord.Status.CONFIRMED, got.get(1).status());
    assertEquals(Optional.of(DecisionId.of("d-1")), got.get(1).decision());
    assertFalse(s.addReport(new ReportRecord(ReporterId.of("r9"), t, Category.SPAM, T0, ReportRecord.Status.PENDING)));
    assertTrue(s.addReport(new ReportRecord(ReporterId.of("r0"), t, Category.SPAM, T0, ReportRecord.Status.PENDING)),
        "a reporter dropped by an update may report again");
    assertEquals(List.of("r3", "r2", "r1", "r9", "r0"), reporters(s.reports(t)));
    assertThrows(IllegalArgumentException.class, () -> s.updateReports(t, l -> List.of(new ReportRecord(
        ReporterId.of("x"), Target.room(RoomId.of("elsewhere")), Category.SPAM, T0, ReportRecord.Status.PENDING))));
    assertEquals(5, s.reports(t).size(), "a refused change writes nothing");
    assertEquals(List.of(), s.updateReports(t, l -> List.of()));
    assertEquals(List.of(), s.reports(t));
  }

  @Test
  void obligationsKeepInstantsToTheMicrosecondAndOpenReturnsItsArgument() {
    ObligationStore s = pg.obligationStore();
    Instant fine = T0.plusNanos(1_999);
    ObligationRecord o = new ObligationRecord("fine-1", "EU-TCO-3", "cite", Category.TERRORISM, ContentId.of("c-fine"),
        fine, fine.plus(Duration.ofHours(1)), List.of(Duty.REMOVE, Duty.PRESERVE), Duration.parse("P186DT0.5S"),
        ObligationRecord.Status.OPEN, fine.plus(Duration.ofMinutes(30)), 0, Optional.empty());
    assertSame(o, s.open(o));
    ObligationRecord stored = s.find("fine-1").orElseThrow();
    assertEquals(T0.plusNanos(1_000), stored.receivedAt());
    assertEquals(o.preserveFor(), stored.preserveFor(), "durations are kept exactly");
    assertEquals(o.duties(), stored.duties());
    ObligationRecord same = s.update("fine-1", cur -> cur);
    assertEquals(stored, same);
    ObligationRecord later = s.update("fine-1", cur -> new ObligationRecord(cur.id(), cur.instrument(), cur.citation(),
        cur.category(), cur.content(), cur.receivedAt(), cur.deadline(), cur.duties(), cur.preserveFor(),
        ObligationRecord.Status.BREACHED, fine.plus(Duration.ofDays(1)), 1, Optional.empty()));
    assertEquals(Optional.of(later), s.find("fine-1"), "what update returns is what a read returns");
    assertEquals(List.of(), s.due(T0, 0));
  }

  @Test
  void obligationUpdatesFromTwoPoolsAreAtomic() throws Exception {
    ObligationStore first = pg.obligationStore();
    first.open(new ObligationRecord("shared-1", "UK-OSA-INTERNAL", "cite", Category.HARASSMENT,
        ContentId.of("c-shared"), T0, T0.plus(Duration.ofHours(24)), List.of(Duty.REVIEW), Duration.ZERO,
        ObligationRecord.Status.OPEN, T0, 0, Optional.empty()));
    int each = 40;
    ExecutorService pool = Executors.newFixedThreadPool(4);
    try (HaetaePostgres other = PgTestServer.open("stores", schema)) {
      ObligationStore second = other.obligationStore();
      List<Future<?>> fs = new ArrayList<>();
      for (ObligationStore s : List.of(first, second, first, second)) {
        fs.add(pool.submit(() -> {
          for (int i = 0; i < each; i++) {
            s.update("shared-1", cur -> new ObligationRecord(cur.id(), cur.instrument(), cur.citation(),
                cur.category(), cur.content(), cur.receivedAt(), cur.deadline(), cur.duties(), cur.preserveFor(),
                cur.status(), cur.nextCheck().plusSeconds(1), cur.escalations() + 1, cur.closedAt()));
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
    ObligationRecord got = first.find("shared-1").orElseThrow();
    assertEquals(4 * each, got.escalations(), "updates from two pools were lost");
    assertEquals(T0.plusSeconds(4 * each), got.nextCheck());
  }

  @Test
  void holdsRefuseNonPositivePeriodsAndRecordTheirRows() throws Exception {
    EvidenceHoldStore s = pg.evidenceHoldStore();
    assertThrows(IllegalArgumentException.class,
        () -> s.place(ContentId.of("c-h"), "b", "x", T0, Duration.ZERO));
    s.place(ContentId.of("c-h"), "b", "x", T0, Duration.ofDays(1));
    try (Connection c = pg.connection();
        Statement st = c.createStatement();
        ResultSet rs = st.executeQuery("SELECT id, until_at = from_at + interval '1 day' FROM haetae_evidence_holds"
            + " WHERE content = 'c-h'")) {
      assertTrue(rs.next());
      assertEquals("c-h|b", rs.getString(1), "the hold id is content|basis, as EvidenceHold.idOf says");
      assertTrue(rs.getBoolean(2));
    }
  }

  @Test
  void everyOperationFailsWithStoreUnavailableWhenThePoolIsGone() {
    HikariConfig config = new HikariConfig();
    config.setJdbcUrl(PgTestServer.url());
    config.setUsername(PgTestServer.user());
    config.setPassword(PgTestServer.password());
    config.setMaximumPoolSize(2);
    HikariDataSource ds = new HikariDataSource(config);
    HaetaePostgres gone = HaetaePostgres.builder().dataSource(ds).schema(schema).build();
    ReputationStore rep = gone.reputationStore();
    ObligationStore obl = gone.obligationStore();
    EvidenceHoldStore holds = gone.evidenceHoldStore();
    ds.close();
    ReporterId r = ReporterId.of("r");
    Target t = Target.content(ContentId.of("c"));
    ContentId c = ContentId.of("c");
    List<Executable> calls = List.of(
        () -> rep.reporter(r),
        () -> rep.updateReporter(r, T0, x -> x),
        () -> rep.addReport(new ReportRecord(r, t, Category.SPAM, T0, ReportRecord.Status.PENDING)),
        () -> rep.reports(t),
        () -> rep.updateReports(t, l -> l),
        () -> obl.open(new ObligationRecord("o", "i", "c", Category.SPAM, c, T0, T0, List.of(), Duration.ZERO,
            ObligationRecord.Status.OPEN, T0, 0, Optional.empty())),
        () -> obl.find("o"),
        () -> obl.openFor(c),
        () -> obl.due(T0, 10),
        () -> obl.update("o", x -> x),
        () -> obl.all(),
        () -> holds.place(c, "b", "x", T0, Duration.ofDays(1)),
        () -> holds.expire(T0),
        () -> holds.mayDelete(c, T0),
        () -> holds.on(c),
        () -> holds.active(T0),
        () -> holds.all());
    for (Executable call : calls) {
      StoreUnavailableException e = assertThrows(StoreUnavailableException.class, call);
      assertTrue(e.getMessage().startsWith("PostgreSQL: "), e.getMessage());
    }
  }

  private static List<String> reporters(List<ReportRecord> l) {
    return l.stream().map(x -> x.reporter().value()).toList();
  }
}
