package dev.haetae.moderation.postgres;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.haetae.moderation.api.AccountId;
import dev.haetae.moderation.api.Action;
import dev.haetae.moderation.api.Category;
import dev.haetae.moderation.api.ContentEvent;
import dev.haetae.moderation.api.ContentId;
import dev.haetae.moderation.api.ContentKind;
import dev.haetae.moderation.api.Decision;
import dev.haetae.moderation.api.Fingerprints;
import dev.haetae.moderation.api.InvalidRequestException;
import dev.haetae.moderation.api.MatchType;
import dev.haetae.moderation.api.ReporterId;
import dev.haetae.moderation.api.ReviewOutcome;
import dev.haetae.moderation.api.RoomId;
import dev.haetae.moderation.api.Sha256;
import dev.haetae.moderation.api.Surface;
import dev.haetae.moderation.api.Target;
import dev.haetae.moderation.api.UserReport;
import dev.haetae.moderation.api.Verdict;
import dev.haetae.moderation.api.spi.HashBankSource;
import dev.haetae.moderation.api.spi.Pseudonymizer;
import dev.haetae.moderation.core.audit.Pseudonymizers;
import dev.haetae.moderation.core.engine.ModerationEngine;
import dev.haetae.moderation.core.engine.PolicyIsolation;
import dev.haetae.moderation.core.hash.EntryInfo;
import dev.haetae.moderation.core.simulate.SettableClock;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * A fleet's shared platform bank keeps each entry's uploader (the keyed pseudonym of the removed
 * content's poster, column {@code uploader} of {@code V15__bank_entry_uploader.sql}): the entry and
 * change tables and the change feed carry it, an active entry keeps its first uploader, and a report
 * on another instance on someone else's content only blurs and queues a person.
 */
@RequiresPostgres
class SharedBankUploaderTest {
  private static final Instant T0 = Instant.parse("2026-11-21T10:00:00Z");
  private static final byte[] NCII = "an intimate image shared without consent".getBytes(StandardCharsets.UTF_8);
  private static final Pseudonymizer P = Pseudonymizers.hmacSha256("fleet-1",
      "a key every instance shares 0123".getBytes(StandardCharsets.UTF_8));

  private static ModerationEngine engine(HaetaePostgres pg, String shard, SettableClock clock) {
    return ModerationEngine.builder().clock(clock).stores(pg.stores()).pseudonymizer(P)
        .decisionLog(pg.decisionLog(shard, LogRequests.KEY)).policyIsolation(PolicyIsolation.INLINE).build();
  }

  private static String sha256(byte[] b) throws Exception {
    return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(b));
  }

  private static ContentEvent upload(String id, String account, byte[] bytes) {
    return ContentEvent.upload(ContentId.of(id), AccountId.of(account), RoomId.of("r-" + id), Surface.GROUP,
        ContentKind.FILE, bytes);
  }

  @Test
  void theUploaderCrossesTheFleetAndBoundsAReportOnSomeoneElsesContent() throws Exception {
    String schema = PgTestServer.freshSchema("bankup");
    SettableClock clock = new SettableClock(T0);
    String ncii = sha256(NCII);
    String abuser = "fleet-1:" + P.pseudonymize("account", "abuser");
    try (HaetaePostgres pgA = PgTestServer.open("bankup", schema);
        HaetaePostgres pgB = PgTestServer.open("bankup", schema);
        ModerationEngine a = engine(pgA, "a", clock);
        ModerationEngine b = engine(pgB, "b", clock)) {
      b.evaluate(upload("her-photo", "victim", NCII));
      clock.advance(Duration.ofMinutes(5));
      a.evaluate(upload("leak", "abuser", NCII));
      a.evaluate(ReviewOutcome.ofContent(ContentId.of("leak"), Verdict.VIOLATING, Category.NCII).by("m1"));
      Decision banked = a.evaluate(ReviewOutcome.ofContent(ContentId.of("leak"), Verdict.VIOLATING, Category.NCII)
          .by("m2"));
      assertTrue(banked.has(Action.BlockReupload.class), banked.toString());
      PgTestServer.await("B's platform bank holds the entry with its uploader", () -> b.banks()
          .find(ModerationEngine.PLATFORM_BANK).flatMap(x -> x.entry(MatchType.SHA256, ncii))
          .flatMap(EntryInfo::uploader).isPresent());
      EntryInfo onB = b.banks().find(ModerationEngine.PLATFORM_BANK).orElseThrow().entry(MatchType.SHA256, ncii)
          .orElseThrow();
      assertEquals(Optional.of(abuser), onB.uploader());
      clock.advance(Duration.ofMinutes(5));
      Decision report = b.evaluate(UserReport.of(ReporterId.of("throwaway"), Target.content(ContentId.of("her-photo")),
          Category.NCII));
      assertFalse(report.has(Action.Remove.class), report.toString());
      assertTrue(report.reasons().stream().anyMatch(r -> r.code().equals("bank_match_other_uploader")),
          report.reasons().toString());
    } finally {
      PgTestServer.drop(schema);
    }
  }

  @Test
  void anActiveEntryKeepsItsFirstUploaderAndTheFeedCarriesIt() throws Exception {
    String schema = PgTestServer.freshSchema("bankup");
    try (HaetaePostgres pg = PgTestServer.open("bankup", schema)) {
      PgBankStore store = PgBankStore.openOrCreate(pg, "platform-removals", Category.NCII);
      Fingerprints fp = Fingerprints.none().withSha256(Sha256.fromHex(sha256(NCII)));
      assertEquals(1, store.addFingerprints(fp, Category.NCII, "first", null));
      assertEquals(1, store.addFingerprints(fp, Category.NCII, "first", "k1:abuser"), "a first uploader is a change");
      assertEquals(0, store.addFingerprints(fp, Category.NCII, "first", "k1:someone-else"), "the first is kept");
      assertEquals(0, store.addFingerprints(fp, Category.NCII, "first"), "a note without one keeps it");
      assertEquals(1, store.addFingerprints(fp, Category.CSAM, "re-reviewed", null), "a new category is a change");
      List<HashBankSource.Entry> seen = new ArrayList<>();
      store.source().load(seen::add);
      assertEquals(List.of(Optional.of("k1:abuser")), seen.stream().map(HashBankSource.Entry::uploader).toList());
      List<HashBankSource.Entry> changes = new ArrayList<>();
      store.source().changes(Optional.of("0"), changes::add);
      assertEquals(List.of(Optional.empty(), Optional.of("k1:abuser"), Optional.of("k1:abuser")),
          changes.stream().map(HashBankSource.Entry::uploader).toList(), "the change feed carries the uploader");
      long before = store.lastChange();
      assertThrows(InvalidRequestException.class, () -> store.addFingerprints(fp, Category.NCII, "r", " "));
      assertEquals(before, store.lastChange(), "a blank uploader changes nothing");
      store.withdraw(MatchType.SHA256, sha256(NCII));
      assertEquals(1, store.addFingerprints(fp, Category.NCII, "again", "k1:victim"));
      seen.clear();
      store.source().load(seen::add);
      assertEquals(Optional.of("k1:victim"), seen.get(0).uploader(), "a withdrawal forgot the first uploader");
    } finally {
      PgTestServer.drop(schema);
    }
  }
}
