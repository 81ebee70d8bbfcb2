package dev.haetae.moderation.postgres;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.haetae.moderation.api.Category;
import dev.haetae.moderation.api.ConfigurationException;
import dev.haetae.moderation.api.Fingerprints;
import dev.haetae.moderation.api.InvalidRequestException;
import dev.haetae.moderation.api.MatchType;
import dev.haetae.moderation.api.Md5;
import dev.haetae.moderation.api.Pdq;
import dev.haetae.moderation.api.PdqHash;
import dev.haetae.moderation.api.Sha256;
import dev.haetae.moderation.api.spi.HashBankSource;
import dev.haetae.moderation.api.spi.HashBankSource.Entry;
import dev.haetae.moderation.api.spi.HashBankSource.Entry.State;
import dev.haetae.moderation.core.hash.ImportReport;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

@RequiresPostgres
class BankStoreTest {
  private static final String PDQ = "d8f8f0cee0f4a84f0637022a078f67f0b36e2ed596621e1d33e6339c4e9c9b22";
  private static final String MD5 = "0123456789abcdef0123456789abcdef";
  private static final String SHA = "ab".repeat(32);

  private static String schema;
  private static HaetaePostgres pg;

  @BeforeAll
  static void open() {
    schema = PgTestServer.freshSchema("banks");
    pg = PgTestServer.open("banks", schema);
  }

  @AfterAll
  static void drop() {
    if (pg != null) {
      pg.close();
      PgTestServer.drop(schema);
    }
  }

  static String randomPdq(Random r) {
    return String.format("%016x%016x%016x%016x", r.nextLong(), r.nextLong(), r.nextLong(), r.nextLong());
  }

  private static List<Entry> load(HashBankSource s) {
    List<Entry> out = new ArrayList<>();
    s.load(out::add);
    return out;
  }

  @Test
  void loadStreamsActiveEntriesAndChangesStreamEverythingAfterTheCheckpoint() {
    BankStore store = pg.bankStore("roundtrip", Category.NCII);
    Instant t = Instant.parse("2026-01-05T00:00:00Z");
    assertTrue(store.add(MatchType.PDQ, PDQ.toUpperCase(), t, "SN-1001"));
    assertTrue(store.add(MatchType.MD5, MD5));
    assertTrue(store.add(MatchType.SHA256, SHA));
    assertTrue(store.withdraw(MatchType.SHA256, SHA));

    PgBankSource source = (PgBankSource) store.source();
    List<Entry> loaded = load(source);
    assertEquals(2, loaded.size(), loaded.toString());
    Entry pdq = loaded.stream().filter(e -> e.type() == MatchType.PDQ).findFirst().orElseThrow();
    assertEquals(PDQ, pdq.hash(), "stored in canonical lower case");
    assertEquals(Optional.of(t), pdq.addedAt());
    assertEquals(Optional.of("SN-1001"), pdq.caseId());
    assertEquals(4, source.position());
    assertEquals(4, store.lastChange());

    // after the load: a withdrawal, a deletion, an add
    assertTrue(store.withdraw(MatchType.PDQ, PDQ));
    assertTrue(store.delete(MatchType.MD5, MD5));
    String other = randomPdq(new Random(1));
    assertTrue(store.add(MatchType.PDQ, other));
    List<Entry> changes = new ArrayList<>();
    Optional<String> cp = source.changes(Optional.empty(), changes::add);
    assertEquals(Optional.of("7"), cp);
    assertEquals(List.of(State.WITHDRAWN, State.DELETED, State.ACTIVE), changes.stream().map(Entry::state).toList());
    assertEquals(List.of(PDQ, MD5, other), changes.stream().map(Entry::hash).toList());
    assertEquals(Optional.empty(), changes.get(0).caseId(), "a withdrawal carries no case id");

    List<Entry> none = new ArrayList<>();
    assertEquals(Optional.of("7"), source.changes(cp, none::add));
    assertEquals(List.of(), none);
    // from an older checkpoint the same changes come again, in order
    List<Entry> again = new ArrayList<>();
    assertEquals(Optional.of("7"), source.changes(Optional.of("5"), again::add));
    assertEquals(List.of(MD5, other), again.stream().map(Entry::hash).toList());
    // a checkpoint ahead of the database (restored from an older backup) streams nothing, and says so
    List<Entry> ahead = new ArrayList<>();
    assertEquals(Optional.of("100"), source.changes(Optional.of("100"), ahead::add));
    assertEquals(List.of(), ahead);
  }

  @Test
  void onlyChangesThatChangeSomethingAreLoggedAsInMemory() {
    BankStore store = pg.bankStore("lifecycle", Category.NCII);
    assertTrue(store.add(MatchType.PDQ, PDQ, Instant.EPOCH, "C-1"));
    assertFalse(store.add(MatchType.PDQ, PDQ), "already active");
    assertTrue(store.withdraw(MatchType.PDQ, PDQ));
    assertFalse(store.withdraw(MatchType.PDQ, PDQ), "not active");
    BankEntry withdrawn = store.entry(MatchType.PDQ, PDQ).orElseThrow();
    assertEquals(State.WITHDRAWN, withdrawn.state());
    assertEquals(Optional.empty(), withdrawn.caseId(), "case id dropped on withdrawal");
    assertTrue(store.add(MatchType.PDQ, PDQ), "re-activated");
    assertTrue(store.delete(MatchType.PDQ, PDQ));
    assertFalse(store.delete(MatchType.PDQ, PDQ), "already gone");
    assertFalse(store.withdraw(MatchType.PDQ, PDQ));
    assertEquals(Optional.empty(), store.entry(MatchType.PDQ, PDQ));
    assertEquals(4, store.lastChange());
    assertEquals(0, store.activeCount());
    // the same hex as MD5 and as video MD5 are two entries
    assertTrue(store.add(MatchType.MD5, MD5));
    assertTrue(store.add(MatchType.VIDEO_MD5, MD5));
    assertEquals(2, store.activeCount());
  }

  @Test
  void malformedHashesAreRefusedWithTheProblemNamed() {
    BankStore store = pg.bankStore("malformed", Category.NCII);
    InvalidRequestException shortPdq =
        assertThrows(InvalidRequestException.class, () -> store.add(MatchType.PDQ, PDQ.substring(1)));
    assertEquals("hash", shortPdq.field());
    assertTrue(shortPdq.getMessage().contains("64 hex digits, got 63"), shortPdq.getMessage());
    InvalidRequestException nonHex = assertThrows(InvalidRequestException.class,
        () -> store.add(MatchType.SHA256, "g" + SHA.substring(1)));
    assertTrue(nonHex.getMessage().contains("non-hex character 'g'"), nonHex.getMessage());
    InvalidRequestException zeros =
        assertThrows(InvalidRequestException.class, () -> store.add(MatchType.PDQ, "0".repeat(64)));
    assertTrue(zeros.getMessage().contains("all zeros"), zeros.getMessage());
    InvalidRequestException ones =
        assertThrows(InvalidRequestException.class, () -> store.withdraw(MatchType.PDQ, "F".repeat(64)));
    assertTrue(ones.getMessage().contains("all ones"), ones.getMessage());
    InvalidRequestException md5 =
        assertThrows(InvalidRequestException.class, () -> store.delete(MatchType.MD5, SHA));
    assertTrue(md5.getMessage().contains("32 hex digits, got 64"), md5.getMessage());
    assertThrows(InvalidRequestException.class, () -> store.add(MatchType.PDQ, null));
    assertEquals(0, store.lastChange(), "nothing written");

    // an import reports them by position and loads the rest
    List<Entry> entries = new ArrayList<>();
    entries.add(new Entry(MatchType.PDQ, PDQ));
    entries.add(new Entry(MatchType.PDQ, "0".repeat(64)));
    entries.add(null);
    entries.add(new Entry(MatchType.MD5, "xyz"));
    entries.add(new Entry(MatchType.MD5, MD5));
    ImportReport r = store.importEntries(entries, 2);
    assertEquals(2, r.applied());
    assertEquals(List.of(2L, 3L, 4L), r.problems().stream().map(ImportReport.Problem::line).toList());
    assertTrue(r.problems().get(0).message().contains("all zeros"), r.problems().toString());
  }

  @Test
  void removedContentsFingerprintsAreAddedAsTheInMemoryBankAddsThem() {
    BankStore store = pg.bankStore("platform-removals", Category.NCII);
    Fingerprints fp = Fingerprints.none()
        .withSha256(Sha256.fromHex(SHA))
        .withMd5(Md5.fromHex(MD5))
        .withPdq(new Pdq(PdqHash.fromHex(PDQ), 90, List.of()));
    assertEquals(3, store.addFingerprints(fp));
    assertEquals(0, store.addFingerprints(fp), "already there");
    Fingerprints degenerate = Fingerprints.none().withPdq(new Pdq(PdqHash.fromHex("0".repeat(64)), 0, List.of()));
    assertEquals(0, store.addFingerprints(degenerate));
    assertTrue(store.entry(MatchType.MD5, MD5).isPresent());
  }

  @Test
  void badBankIdsAndCategoryMismatchesAreRefused() {
    assertThrows(InvalidRequestException.class, () -> pg.bankStore("Bad Id", Category.NCII));
    pg.bankStore("cat", Category.NCII);
    ConfigurationException e =
        assertThrows(ConfigurationException.class, () -> pg.bankStore("cat", Category.TERRORISM));
    assertTrue(e.getMessage().contains("stored with category ncii"), e.getMessage());
  }

  @Test
  void bulkImportIsIdempotentAndBatchesAddAndWithdrawTheSameEntry() {
    BankStore store = pg.bankStore("bulk", Category.NCII);
    Random r = new Random(7);
    List<Entry> entries = new ArrayList<>();
    for (int i = 0; i < 2_500; i++) {
      entries.add(new Entry(MatchType.PDQ, randomPdq(r)));
    }
    // a later batch withdraws an entry of the first; inside the last batch one entry is deleted and re-added
    entries.add(new Entry(MatchType.PDQ, entries.get(0).hash(), State.WITHDRAWN, Optional.empty(),
        Optional.empty()));
    entries.add(new Entry(MatchType.PDQ, entries.get(1).hash(), State.DELETED, Optional.empty(), Optional.empty()));
    entries.add(new Entry(MatchType.PDQ, entries.get(1).hash()));
    ImportReport first = store.importEntries(entries, 1_000);
    assertEquals(2_503, first.applied());
    assertEquals(2_499 + 0, store.activeCount(), "2,500 added, one withdrawn, one deleted and re-added");
    ImportReport again = store.importEntries(entries.subList(0, 2_500), 1_000);
    assertEquals(1, again.applied(), "only the withdrawn one changes (re-activated)");
    assertEquals(2_500, store.activeCount());
    assertEquals(2_504, store.lastChange());
  }

  @Test
  void concurrentWritersFromTwoPoolsLoseNothing() throws Exception {
    try (HaetaePostgres other = PgTestServer.open("banks", schema)) {
      BankStore a = pg.bankStore("concurrent", Category.NCII);
      BankStore b = other.bankStore("concurrent", Category.NCII);
      ExecutorService threads = Executors.newFixedThreadPool(4);
      List<Future<Set<String>>> work = new ArrayList<>();
      for (int t = 0; t < 4; t++) {
        BankStore s = t % 2 == 0 ? a : b;
        int seed = t;
        work.add(threads.submit(() -> {
          Random r = new Random(100 + seed);
          Set<String> mine = new HashSet<>();
          List<Entry> bulk = new ArrayList<>();
          for (int i = 0; i < 150; i++) {
            String h = randomPdq(r);
            mine.add(h);
            s.add(MatchType.PDQ, h);
            String g = randomPdq(r);
            mine.add(g);
            bulk.add(new Entry(MatchType.PDQ, g));
            if (bulk.size() == 50) {
              s.importEntries(bulk, 25);
              bulk.clear();
            }
          }
          return mine;
        }));
      }
      Set<String> all = new HashSet<>();
      for (Future<Set<String>> f : work) {
        all.addAll(f.get(120, TimeUnit.SECONDS));
      }
      threads.shutdown();
      assertEquals(1_200, all.size());
      assertEquals(1_200, a.activeCount());
      assertEquals(1_200, b.lastChange());
      Set<String> loaded = new HashSet<>();
      a.source().load(e -> loaded.add(e.hash()));
      assertEquals(all, loaded);
      // change ids are dense and one per change
      try (Connection c = pg.connection();
          Statement st = c.createStatement();
          ResultSet rs = st.executeQuery("SELECT count(*), min(change_id), max(change_id), count(DISTINCT hash)"
              + " FROM hash_bank_change WHERE bank_id = 'concurrent'")) {
        rs.next();
        assertEquals(1_200, rs.getLong(1));
        assertEquals(1, rs.getLong(2));
        assertEquals(1_200, rs.getLong(3));
        assertEquals(1_200, rs.getLong(4));
      }
    }
  }

  @Test
  void feedbackAndQuarantineNoticesAreRecordedForEveryInstance() throws Exception {
    BankStore store = pg.bankStore("feedback", Category.NCII);
    store.add(MatchType.PDQ, PDQ);
    PgBankSource source = (PgBankSource) store.source();
    source.feedback(PDQ, true);
    source.feedback(PDQ, true);
    source.feedback(PDQ, false);
    source.quarantined(PDQ, 120);
    source.feedback(MD5, true); // no such entry: ignored
    assertTrue(source.awaitNotices(30, TimeUnit.SECONDS));
    BankEntry e = store.entry(MatchType.PDQ, PDQ).orElseThrow();
    assertEquals(2, e.confirmed());
    assertEquals(1, e.deconfirmed());
    assertEquals(1, e.quarantines());
    assertEquals(2.0 / 3, e.precision().orElseThrow(), 1e-9);
    // withdrawal drops the feedback, as in memory
    store.withdraw(MatchType.PDQ, PDQ);
    store.add(MatchType.PDQ, PDQ);
    BankEntry back = store.entry(MatchType.PDQ, PDQ).orElseThrow();
    assertEquals(0, back.confirmed() + back.deconfirmed() + back.quarantines());
  }
}
