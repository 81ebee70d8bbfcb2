package dev.haetae.moderation.postgres;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.haetae.moderation.api.AccountId;
import dev.haetae.moderation.api.Action;
import dev.haetae.moderation.api.Category;
import dev.haetae.moderation.api.ContentEvent;
import dev.haetae.moderation.api.ContentId;
import dev.haetae.moderation.api.ContentKind;
import dev.haetae.moderation.api.Decision;
import dev.haetae.moderation.api.Fingerprints;
import dev.haetae.moderation.api.MatchType;
import dev.haetae.moderation.api.ReviewOutcome;
import dev.haetae.moderation.api.RoomId;
import dev.haetae.moderation.api.Sha256;
import dev.haetae.moderation.api.Surface;
import dev.haetae.moderation.api.Verdict;
import dev.haetae.moderation.core.engine.ModerationEngine;
import dev.haetae.moderation.core.engine.PolicyIsolation;
import dev.haetae.moderation.core.hash.EntryInfo;
import dev.haetae.moderation.core.simulate.SettableClock;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Duration;
import java.time.Instant;
import java.util.HexFormat;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * A fleet's shared platform bank keeps each entry's own category and reason: an NCII entry banked
 * on instance A, in a bank whose first entry (and so whose bank category) was CSAM, matches as NCII
 * on instance B too, with A's reason, and is not reported to an authority there. The PostgreSQL
 * rows and change feed carry both; a new category for an active entry is a change, a plain
 * re-add is not.
 */
@RequiresPostgres
class SharedBankCategoryTest {
  private static final Instant T0 = Instant.parse("2026-11-21T10:00:00Z");
  private static final byte[] CSAM = "bytes an earlier review found to be csam".getBytes(StandardCharsets.UTF_8);
  private static final byte[] NCII = "an intimate image shared without consent".getBytes(StandardCharsets.UTF_8);

  private static ModerationEngine engine(HaetaePostgres pg, String shard, SettableClock clock) {
    return ModerationEngine.builder().clock(clock).stores(pg.stores())
        .decisionLog(pg.decisionLog(shard, LogRequests.KEY)).policyIsolation(PolicyIsolation.INLINE).build();
  }

  private static String sha256(byte[] b) throws Exception {
    return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(b));
  }

  private static Optional<EntryInfo> entry(ModerationEngine e, String sha) {
    return e.banks().find(ModerationEngine.PLATFORM_BANK).flatMap(b -> b.entry(MatchType.SHA256, sha));
  }

  private static ContentEvent upload(String id, String account, byte[] bytes) {
    return ContentEvent.upload(ContentId.of(id), AccountId.of(account), RoomId.of("r-" + id), Surface.GROUP,
        ContentKind.FILE, bytes);
  }

  @Test
  void aSecondInstanceMatchesASharedEntryWithItsOwnCategoryAndReason() throws Exception {
    String schema = PgTestServer.freshSchema("bankcat");
    SettableClock clock = new SettableClock(T0);
    String csam = sha256(CSAM);
    String ncii = sha256(NCII);
    try (HaetaePostgres pgA = PgTestServer.open("bankcat", schema);
        HaetaePostgres pgB = PgTestServer.open("bankcat", schema);
        ModerationEngine a = engine(pgA, "a", clock);
        ModerationEngine b = engine(pgB, "b", clock)) {
      a.evaluate(upload("abuse-1", "offender", CSAM));
      // four eyes before the platform bank: each entry is banked on a second reviewer's verdict
      a.evaluate(ReviewOutcome.ofContent(ContentId.of("abuse-1"), Verdict.VIOLATING, Category.CSAM));
      a.evaluate(ReviewOutcome.ofContent(ContentId.of("abuse-1"), Verdict.VIOLATING, Category.CSAM));
      clock.advance(Duration.ofMinutes(5));
      a.evaluate(upload("leak", "abuser", NCII));
      a.evaluate(ReviewOutcome.ofContent(ContentId.of("leak"), Verdict.VIOLATING, Category.NCII));
      Decision verdict = a.evaluate(ReviewOutcome.ofContent(ContentId.of("leak"), Verdict.VIOLATING, Category.NCII));
      assertTrue(verdict.has(Action.BlockReupload.class), verdict.toString());
      EntryInfo onA = entry(a, ncii).orElseThrow();
      assertEquals(Category.NCII, onA.category());

      PgTestServer.await("B's platform bank holds the NCII entry with its own category", () -> entry(b, ncii)
          .map(EntryInfo::category).filter(Category.NCII::equals).isPresent());
      EntryInfo onB = entry(b, ncii).orElseThrow();
      assertEquals(Category.CSAM, b.banks().find(ModerationEngine.PLATFORM_BANK).orElseThrow().config().category(),
          "the shared bank's own category is its first entry's");
      assertEquals(onA.reason(), onB.reason(), "B knows why A banked it");
      assertTrue(onB.reason().orElseThrow().contains(verdict.id().value()), onB.toString());
      PgTestServer.await("B's platform bank holds the CSAM entry", () -> entry(b, csam).isPresent());
      assertEquals(Category.CSAM, entry(b, csam).orElseThrow().category());

      clock.advance(Duration.ofMinutes(5));
      Decision reshare = b.evaluate(upload("reshare", "forwarder", NCII));
      assertTrue(reshare.has(Action.Remove.class), "B removes the re-share: " + reshare.actions());
      assertFalse(reshare.has(Action.ReportToAuthority.class), "an NCII entry is not reported as CSAM on B: "
          + reshare.actions());
      Decision copy = b.evaluate(upload("copy", "other", CSAM));
      assertTrue(copy.has(Action.ReportToAuthority.class), "the CSAM entry still reports: " + copy.actions());
    } finally {
      PgTestServer.drop(schema);
    }
  }

  @Test
  void aNewCategoryForAnActiveEntryIsAChangeAndAPlainAddIsNot() throws Exception {
    String schema = PgTestServer.freshSchema("bankcat");
    try (HaetaePostgres pg = PgTestServer.open("bankcat", schema)) {
      PgBankStore store = PgBankStore.openOrCreate(pg, "platform-removals", Category.OTHER);
      Fingerprints fp = Fingerprints.none().withSha256(Sha256.fromHex(sha256(NCII)));
      assertEquals(1, store.addFingerprints(fp, Category.NCII, "first"));
      assertEquals(0, store.addFingerprints(fp, Category.NCII, "first"), "the same note: no change");
      assertEquals(0, store.addFingerprints(fp), "a plain add keeps the entry's own category");
      long before = store.lastChange();
      assertEquals(1, store.addFingerprints(fp, Category.TERRORISM, "re-reviewed"), "a new category is a change");
      assertEquals(before + 1, store.lastChange());
      java.util.List<dev.haetae.moderation.api.spi.HashBankSource.Entry> seen = new java.util.ArrayList<>();
      store.source().load(seen::add);
      assertEquals(1, seen.size());
      assertEquals(Optional.of(Category.TERRORISM), seen.get(0).category());
      assertEquals(Optional.of("re-reviewed"), seen.get(0).reason());
      java.util.List<dev.haetae.moderation.api.spi.HashBankSource.Entry> changes = new java.util.ArrayList<>();
      store.source().changes(Optional.of("0"), changes::add);
      assertEquals(java.util.List.of(Optional.of(Category.NCII), Optional.of(Category.TERRORISM)),
          changes.stream().map(e -> e.category()).toList(), "the change feed carries each note");
      assertEquals(changes.get(0).addedAt(), changes.get(1).addedAt(), "a new note keeps the addition time");
      store.withdraw(MatchType.SHA256, sha256(NCII));
      assertEquals(1, store.addFingerprints(fp), "re-activated without a note");
      seen.clear();
      store.source().load(seen::add);
      assertEquals(Optional.empty(), seen.get(0).category(), "a withdrawal dropped the note");
    } finally {
      PgTestServer.drop(schema);
    }
  }
}
