package dev.haetae.moderation.postgres;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.haetae.moderation.api.Category;
import dev.haetae.moderation.api.Fingerprints;
import dev.haetae.moderation.api.MatchType;
import dev.haetae.moderation.api.Pdq;
import dev.haetae.moderation.api.PdqHash;
import dev.haetae.moderation.core.hash.BankConfig;
import dev.haetae.moderation.core.hash.HashBanks;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.util.List;
import java.util.Random;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Two "instances" (two pools on one schema, two HashBanks) following the same banks. Waits poll a
 * condition with a generous timeout; nothing asserts how fast.
 */
@RequiresPostgres
class BankFollowerTest {

  private static String schema;
  private static HaetaePostgres a;
  private static HaetaePostgres b;

  @BeforeAll
  static void open() {
    schema = PgTestServer.freshSchema("follow");
    a = PgTestServer.open("follow", schema);
    b = PgTestServer.open("follow", schema);
  }

  @AfterAll
  static void drop() {
    if (a != null) {
      a.close();
    }
    if (b != null) {
      b.close();
      PgTestServer.drop(schema);
    }
  }

  static void await(String what, BooleanSupplier condition) throws InterruptedException {
    PgTestServer.await(what, condition);
  }

  static Fingerprints fp(String pdqHex) {
    return Fingerprints.none().withPdq(new Pdq(PdqHash.fromHex(pdqHex), 100, List.of()));
  }

  static BankConfig config(String id) {
    return BankConfig.builder(id, Category.NCII).pdqDistance(31).build();
  }

  @Test
  void aWithdrawalOnOneInstanceStopsMatchingOnTheOtherAndVersionsAgree() throws Exception {
    BankStore onA = a.bankStore("victims", Category.NCII);
    Random r = new Random(11);
    String early = BankStoreTest.randomPdq(r);
    onA.add(MatchType.PDQ, early);
    HashBanks banksA = HashBanks.inMemory();
    HashBanks banksB = HashBanks.inMemory();
    // a long poll: within the test's patience only the notifications can be what moves B
    try (BankFollower fa = a.followBanks(banksA, Duration.ofMinutes(10));
        BankFollower fb = b.followBanks(banksB, Duration.ofMinutes(10))) {
      fa.connect(config("victims"));
      fb.connect(config("victims"));
      assertEquals(1, banksB.match(fp(early)).size(), "loaded");

      java.time.Instant beforeAdd = fb.lags().get(0).lastApplied();
      String h = BankStoreTest.randomPdq(r);
      onA.add(MatchType.PDQ, h);
      await("B matches what A added", () -> banksB.match(fp(h)).size() == 1);
      await("B's lag says it applied the addition", () -> fb.lags().get(0).applied() == onA.lastChange());
      assertTrue(!fb.lags().get(0).lastApplied().isBefore(beforeAdd), fb.lags().toString());
      onA.withdraw(MatchType.PDQ, h);
      await("B stops matching what A withdrew", () -> banksB.match(fp(h)).isEmpty());
      onA.delete(MatchType.PDQ, early);
      await("B stops matching what A deleted", () -> banksB.match(fp(early)).isEmpty());

      long last = onA.lastChange();
      await("both applied every change", () -> fa.position("victims") == last && fb.position("victims") == last);
      assertEquals(banksA.versions(), banksB.versions());
      for (BankFollower f : List.of(fa, fb)) { // caught up: nothing known is left to apply
        dev.haetae.moderation.api.observe.FollowerLag lag = f.lags().get(0);
        assertEquals("victims", lag.bank());
        assertEquals(last, lag.applied());
        assertEquals(0, lag.behind(), lag.toString());
      }
      assertTrue(banksB.versions().get("bank:victims").startsWith(last + "-"), banksB.versions().toString());

      // a third instance that starts now loads only the active entries, and agrees
      HashBanks banksC = HashBanks.inMemory();
      try (HaetaePostgres c = PgTestServer.open("follow", schema);
          BankFollower fc = c.followBanks(banksC, Duration.ofMinutes(10))) {
        fc.connect(config("victims"));
        assertEquals(banksB.versions(), banksC.versions());
      }
    }
  }

  @Test
  void aNewInstanceStartsFromASnapshotAndPullsOnlyTheChangesSince(@org.junit.jupiter.api.io.TempDir java.nio.file.Path dir)
      throws Exception {
    BankStore onA = a.bankStore("snapped", Category.NCII);
    Random r = new Random(13);
    String early = BankStoreTest.randomPdq(r);
    String gone = BankStoreTest.randomPdq(r);
    onA.add(MatchType.PDQ, early);
    onA.add(MatchType.PDQ, gone);
    HashBanks banksB = HashBanks.inMemory();
    java.nio.file.Path file = dir.resolve("snapped.snapshot");
    try (BankFollower fb = b.followBanks(banksB, Duration.ofMinutes(10))) {
      fb.connect(config("snapped"));
      banksB.writeSnapshot("snapped", file);
    }
    // changes after the snapshot: one add, one withdrawal
    String late = BankStoreTest.randomPdq(r);
    onA.add(MatchType.PDQ, late);
    onA.withdraw(MatchType.PDQ, gone);
    HashBanks banksC = HashBanks.inMemory();
    HashBanks banksD = HashBanks.inMemory();
    try (HaetaePostgres c = PgTestServer.open("follow", schema);
        BankFollower fc = c.followBanks(banksC, Duration.ofMinutes(10));
        BankFollower fd = c.followBanks(banksD, Duration.ofMinutes(10))) {
      dev.haetae.moderation.core.hash.ImportReport caughtUp = fc.connect(config("snapped"), file);
      assertEquals(2, caughtUp.applied(), "only the two changes since the snapshot were pulled");
      assertEquals(1, banksC.match(fp(early)).size());
      assertEquals(1, banksC.match(fp(late)).size());
      assertTrue(banksC.match(fp(gone)).isEmpty());
      assertEquals(onA.lastChange(), fc.position("snapped"));
      fd.connect(config("snapped")); // a full load agrees with the snapshot and its catch-up
      assertEquals(banksD.versions(), banksC.versions());
      // and C follows on from there
      String later = BankStoreTest.randomPdq(r);
      onA.add(MatchType.PDQ, later);
      await("C follows after starting from the snapshot", () -> banksC.match(fp(later)).size() == 1);
    }
  }

  @Test
  void pollingAloneConverges() throws Exception {
    BankStore onA = a.bankStore("polled", Category.NCII);
    HashBanks banksB = HashBanks.inMemory();
    try (BankFollower fb = b.pollBanks(banksB, Duration.ofMillis(200))) {
      fb.connect(config("polled"));
      String h = BankStoreTest.randomPdq(new Random(12));
      onA.add(MatchType.PDQ, h);
      await("B polls the add", () -> banksB.match(fp(h)).size() == 1);
      onA.withdraw(MatchType.PDQ, h);
      await("B polls the withdrawal", () -> banksB.match(fp(h)).isEmpty());
    }
  }

  @Test
  void theFollowerSurvivesItsListeningConnectionBeingTerminated() throws Exception {
    BankStore onA = a.bankStore("dropped", Category.NCII);
    HashBanks banksB = HashBanks.inMemory();
    Random r = new Random(13);
    try (BankFollower fb = b.followBanks(banksB, Duration.ofMinutes(10))) {
      PgBankFollower follower = (PgBankFollower) fb;
      fb.connect(config("dropped"));
      await("listening", () -> follower.listenerPid() > 0);
      int pid = follower.listenerPid();
      try (Connection c = a.connection();
          PreparedStatement st = c.prepareStatement("SELECT pg_terminate_backend(?)")) {
        st.setInt(1, pid);
        try (ResultSet rs = st.executeQuery()) {
          rs.next();
          assertTrue(rs.getBoolean(1), "terminated backend " + pid);
        }
      }
      // a change committed while the listener may be down is caught up on reconnection
      String during = BankStoreTest.randomPdq(r);
      onA.add(MatchType.PDQ, during);
      await("listening again on a new connection",
          () -> follower.listenerPid() > 0 && follower.listenerPid() != pid);
      await("B caught up with the change made meanwhile", () -> banksB.match(fp(during)).size() == 1);
      String after = BankStoreTest.randomPdq(r);
      onA.add(MatchType.PDQ, after);
      await("B follows notifications again", () -> banksB.match(fp(after)).size() == 1);
    }
  }

  @Test
  void feedbackThroughTheEngineSideIsSeenByEveryInstance() throws Exception {
    BankStore onA = a.bankStore("precision", Category.NCII);
    String h = BankStoreTest.randomPdq(new Random(14));
    onA.add(MatchType.PDQ, h);
    HashBanks banksB = HashBanks.inMemory();
    try (BankFollower fb = b.followBanks(banksB, Duration.ofMinutes(10))) {
      fb.connect(config("precision"));
      banksB.feedback("precision", h, true);   // a reviewer on instance B confirmed a match
      banksB.feedback("precision", h, false);
      await("the feedback reached the database",
          () -> onA.entry(MatchType.PDQ, h).orElseThrow().confirmed() == 1
              && onA.entry(MatchType.PDQ, h).orElseThrow().deconfirmed() == 1);
      assertEquals(0.5, onA.entry(MatchType.PDQ, h).orElseThrow().precision().orElseThrow(), 1e-9);
    }
  }

  @Test
  void aClosedFollowerRefusesNewBanks() {
    BankFollower f = b.followBanks(HashBanks.inMemory(), Duration.ofSeconds(1));
    f.close();
    f.close();
    assertThrows(IllegalStateException.class, () -> f.connect(config("closed")));
  }
}
