package dev.haetae.moderation.core.hash;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.haetae.moderation.api.Category;
import dev.haetae.moderation.api.ConfigurationException;
import dev.haetae.moderation.api.Fingerprints;
import dev.haetae.moderation.api.InvalidRequestException;
import dev.haetae.moderation.api.MatchType;
import dev.haetae.moderation.api.Pdq;
import dev.haetae.moderation.api.PdqHash;
import dev.haetae.moderation.api.Sha256;
import dev.haetae.moderation.api.Signal;
import dev.haetae.moderation.api.spi.HashBankSource;
import dev.haetae.moderation.core.simulate.SettableClock;
import java.io.IOException;
import java.io.StringReader;
import java.io.StringWriter;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.SplittableRandom;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;

class HashBanksTest {

  static final SplittableRandom RND = new SplittableRandom(42);

  static PdqHash randomPdq(SplittableRandom rnd) {
    return new PdqHash(rnd.nextLong(), rnd.nextLong(), rnd.nextLong(), rnd.nextLong());
  }

  static PdqHash flip(PdqHash h, int... bits) {
    long[] w = {h.w0(), h.w1(), h.w2(), h.w3()};
    for (int b : bits) {
      w[b >>> 6] ^= 1L << (b & 63);
    }
    return new PdqHash(w[3], w[2], w[1], w[0]);
  }

  static Fingerprints pdq(PdqHash h) {
    return Fingerprints.none().withPdq(Pdq.of(h));
  }

  @Test
  void emptyBanksMatchNothingAndReportNoVersions() {
    HashBanks banks = HashBanks.inMemory();
    assertEquals(List.of(), banks.match(pdq(randomPdq(RND))));
    assertEquals(0, banks.versions().size());
  }

  @Test
  void pdqMatchesWithinTheBankDistanceUsingTheBestVariant() {
    HashBanks banks = HashBanks.inMemory();
    banks.define(BankConfig.builder("stopncii", Category.NCII).pdqDistance(10).build());
    PdqHash entry = randomPdq(RND);
    assertTrue(banks.add("stopncii", Category.NCII, MatchType.PDQ, entry.toHex()));
    assertFalse(banks.add("stopncii", Category.NCII, MatchType.PDQ, entry.toHex()), "already active");

    PdqHash far = flip(entry, 0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11);
    assertEquals(List.of(), banks.match(pdq(far)));
    PdqHash near = flip(entry, 100, 200, 255);
    Pdq withVariants = new Pdq(far, 90, List.of(randomPdq(RND), near));
    List<Signal.HashMatch> m = banks.match(Fingerprints.none().withPdq(withVariants));
    assertEquals(1, m.size());
    Signal.HashMatch hit = m.get(0);
    assertEquals("stopncii", hit.bank());
    assertEquals(Category.NCII, hit.category());
    assertEquals(MatchType.PDQ, hit.type());
    assertEquals(entry.toHex(), hit.entry());
    assertEquals(3, hit.distance());
    assertEquals(10, hit.maxDistance());
    assertEquals(90, hit.quality());
    assertFalse(hit.reviewOnly());
    assertEquals(banks.bank("stopncii").version(), hit.bankVersion());
  }

  @Test
  void exactTypesMatchAndVideoMd5MatchesTheContentMd5() {
    HashBanks banks = HashBanks.inMemory();
    String sha = "aa".repeat(32);
    String md5 = "0123456789abcdef0123456789abcdef";
    banks.add("kr-regulator", Category.CSAM, MatchType.SHA256, sha.toUpperCase());
    banks.add("tcap", Category.TERRORISM, MatchType.VIDEO_MD5, md5);
    Fingerprints fp = Fingerprints.none().withSha256(Sha256.fromHex(sha))
        .withMd5(dev.haetae.moderation.api.Md5.fromHex(md5));
    List<Signal.HashMatch> m = banks.match(fp);
    assertEquals(2, m.size());
    assertEquals("kr-regulator", m.get(0).bank());
    assertEquals(MatchType.SHA256, m.get(0).type());
    assertEquals(sha, m.get(0).entry());
    assertEquals("tcap", m.get(1).bank());
    assertEquals(MatchType.VIDEO_MD5, m.get(1).type());
  }

  @Test
  void withdrawnAndDeletedEntriesStopMatchingAtOnceAndDeletedOnesLeave() {
    HashBanks banks = HashBanks.inMemory();
    PdqHash a = randomPdq(RND);
    PdqHash b = randomPdq(RND);
    banks.add("stopncii", Category.NCII, MatchType.PDQ, a.toHex());
    banks.add("stopncii", Category.NCII, MatchType.PDQ, b.toHex());
    Bank bank = banks.bank("stopncii");
    long v = bank.version();
    assertTrue(banks.withdraw("stopncii", MatchType.PDQ, a.toHex()));
    assertTrue(bank.version() > v);
    assertEquals(List.of(), banks.match(pdq(a)));
    assertEquals(HashBankSource.Entry.State.WITHDRAWN, bank.entry(MatchType.PDQ, a.toHex()).orElseThrow().state());
    assertTrue(banks.delete("stopncii", MatchType.PDQ, b.toHex()));
    assertEquals(List.of(), banks.match(pdq(b)));
    bank.compact();
    assertEquals(Optional.empty(), bank.entry(MatchType.PDQ, a.toHex()));
    assertEquals(Optional.empty(), bank.entry(MatchType.PDQ, b.toHex()));
    assertFalse(banks.withdraw("nope", MatchType.PDQ, a.toHex()));
    // re-adding a withdrawn entry re-activates it
    banks.add("stopncii", Category.NCII, MatchType.PDQ, a.toHex());
    assertEquals(1, banks.match(pdq(a)).size());
  }

  @Test
  void degenerateAndMalformedHashesAreRejected() {
    HashBanks banks = HashBanks.inMemory();
    assertThrows(InvalidRequestException.class,
        () -> banks.add("b", Category.OTHER, MatchType.PDQ, "0".repeat(64)));
    assertThrows(InvalidRequestException.class,
        () -> banks.add("b", Category.OTHER, MatchType.PDQ, "f".repeat(64)));
    assertThrows(InvalidRequestException.class, () -> banks.add("b", Category.OTHER, MatchType.MD5, "abc"));
    assertThrows(InvalidRequestException.class, () -> banks.add("B A D", Category.OTHER, MatchType.MD5, "a".repeat(32)));
    assertThrows(ConfigurationException.class, () -> banks.bank("missing"));
  }

  @Test
  void versionDigestDependsOnContentNotOrder() {
    List<String> hexes = new ArrayList<>();
    for (int i = 0; i < 50; i++) {
      hexes.add(randomPdq(RND).toHex());
    }
    HashBanks one = HashBanks.inMemory();
    HashBanks two = HashBanks.inMemory();
    for (int i = 0; i < hexes.size(); i++) {
      one.add("x", Category.NCII, MatchType.PDQ, hexes.get(i));
      two.add("x", Category.NCII, MatchType.PDQ, hexes.get(hexes.size() - 1 - i));
    }
    String d1 = one.versions().get("bank:x").split("-")[1];
    String d2 = two.versions().get("bank:x").split("-")[1];
    assertEquals(d1, d2);
    two.withdraw("x", MatchType.PDQ, hexes.get(0));
    assertNotEquals(d1, two.versions().get("bank:x").split("-")[1]);
    two.add("x", Category.NCII, MatchType.PDQ, hexes.get(0));
    assertEquals(d1, two.versions().get("bank:x").split("-")[1]);
  }

  @Test
  void versionDigestIsTheSameInEveryProcess() {
    // a pinned value: the digest must not depend on hash seeds or set iteration order, which
    // differ between JVM runs (an auditor compares digests recorded by different processes)
    HashBanks banks = HashBanks.inMemory();
    banks.define(BankConfig.builder("stopncii", Category.NCII).source("stopncii.org")
        .types(MatchType.VIDEO_MD5, MatchType.PDQ, MatchType.SHA256).build());
    banks.bank("stopncii").add(MatchType.PDQ, "d8f8f0cee0f4a84f0637022a078f67f0b36e2ed596621e1d33e6339c4e9c9b22");
    banks.bank("stopncii").add(MatchType.SHA256, "ab".repeat(32));
    assertEquals("2-51b3d9d3362fe88a", banks.versions().get("bank:stopncii"));
  }

  @Test
  void disabledAndDisabledUntilBanksDoNotMatch() {
    SettableClock clock = new SettableClock(Instant.parse("2026-11-21T10:00:00Z"));
    HashBanks banks = HashBanks.builder().clock(clock).build();
    PdqHash h = randomPdq(RND);
    banks.define(BankConfig.builder("gifct", Category.TERRORISM).enabled(false).build());
    banks.add("gifct", Category.TERRORISM, MatchType.PDQ, h.toHex());
    assertEquals(List.of(), banks.match(pdq(h)));
    banks.define(banks.bank("gifct").config().toBuilder().enabled(true)
        .disabledUntil(clock.instant().plus(Duration.ofHours(1))).build());
    assertEquals(List.of(), banks.match(pdq(h)));
    clock.advance(Duration.ofHours(1));
    assertEquals(1, banks.match(pdq(h)).size());
  }

  @Test
  void negativeBanksSuppressKnownFalseMatches() {
    HashBanks banks = HashBanks.inMemory();
    PdqHash meme = randomPdq(RND);
    PdqHash victim = randomPdq(RND);
    banks.define(BankConfig.builder("benign", Category.OTHER).allowList(true).pdqDistance(8).build());
    banks.define(BankConfig.builder("stopncii", Category.NCII).negativeBanks("benign").build());
    banks.add("stopncii", Category.NCII, MatchType.PDQ, flip(meme, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10).toHex());
    banks.add("stopncii", Category.NCII, MatchType.PDQ, victim.toHex());
    assertEquals(1, banks.match(pdq(meme)).size(), "matches before the allow list knows the meme");
    banks.add("benign", Category.OTHER, MatchType.PDQ, meme.toHex());
    assertEquals(List.of(), banks.match(pdq(flip(meme, 200))), "suppressed, and the allow list never matches");
    assertEquals(1, banks.match(pdq(victim)).size(), "other content still matches");
    // an exact allow-list hit means the content itself is known benign: nothing of the bank matches
    Sha256 logo = Sha256.fromHex("5a".repeat(32));
    banks.add("stopncii", Category.NCII, MatchType.SHA256, logo.toHex());
    Fingerprints both = pdq(victim).withSha256(logo);
    assertEquals(2, banks.match(both).size());
    banks.add("benign", Category.OTHER, MatchType.SHA256, logo.toHex());
    assertEquals(List.of(), banks.match(both));
  }

  @Test
  void stagedRolloutIsDeterministicReviewOnlyAndNearTheRatio() {
    HashBanks banks = HashBanks.inMemory();
    banks.define(BankConfig.builder("victims", Category.NCII).matchRatio(0.25).build());
    List<PdqHash> entries = new ArrayList<>();
    for (int i = 0; i < 400; i++) {
      PdqHash h = randomPdq(RND);
      entries.add(h);
      banks.add("victims", Category.NCII, MatchType.PDQ, h.toHex());
    }
    int matched = 0;
    for (PdqHash h : entries) {
      PdqHash q = flip(h, 7);
      List<Signal.HashMatch> first = banks.match(pdq(q));
      assertEquals(first, banks.match(pdq(q)), "same answer every time");
      if (!first.isEmpty()) {
        matched++;
        assertTrue(first.get(0).reviewOnly());
      }
    }
    assertTrue(matched > 60 && matched < 140, "about a quarter matched: " + matched);
  }

  @Test
  void floodQuarantineDemotesToReviewOnlyUntilRestored() {
    SettableClock clock = new SettableClock(Instant.parse("2026-11-21T10:00:00Z"));
    List<QuarantineEvent> events = new ArrayList<>();
    HashBanks banks = HashBanks.builder().clock(clock).onQuarantine(events::add).build();
    banks.define(BankConfig.builder("stopncii", Category.NCII)
        .flood(new FloodPolicy(Duration.ofHours(1), 20, 5, true)).build());
    PdqHash h = randomPdq(RND);
    banks.add("stopncii", Category.NCII, MatchType.PDQ, h.toHex());
    // a steady baseline of 10 matches an hour for five hours
    for (int hour = 0; hour < 5; hour++) {
      for (int i = 0; i < 10; i++) {
        assertFalse(banks.match(pdq(h)).get(0).reviewOnly());
      }
      clock.advance(Duration.ofHours(1));
    }
    assertEquals(List.of(), events);
    // then a burst
    boolean demoted = false;
    for (int i = 0; i < 60; i++) {
      demoted = banks.match(pdq(h)).get(0).reviewOnly();
    }
    assertTrue(demoted);
    assertEquals(1, events.size());
    assertEquals(h.toHex(), events.get(0).hash());
    assertEquals(events, banks.quarantineEvents());
    assertTrue(banks.bank("stopncii").entry(MatchType.PDQ, h.toHex()).orElseThrow().quarantined());
    assertTrue(banks.restore("stopncii", h.toHex()));
    assertFalse(banks.match(pdq(h)).get(0).reviewOnly());
  }

  @Test
  void feedbackGivesPrecisionAndReachesTheSource() {
    List<String> told = new ArrayList<>();
    HashBankSource source = new HashBankSource() {
      @Override
      public String bankId() {
        return "ncmec";
      }

      @Override
      public Category category() {
        return Category.CSAM;
      }

      @Override
      public void load(Consumer<Entry> sink) {
        sink.accept(new Entry(MatchType.MD5, "0123456789abcdef0123456789abcdef"));
        sink.accept(new Entry(MatchType.MD5, "nothex"));
        sink.accept(new Entry(MatchType.PDQ, "ab".repeat(32), Entry.State.ACTIVE,
            Optional.of(Instant.parse("2025-01-01T00:00:00Z")), Optional.of("case-7")));
      }

      @Override
      public Optional<String> changes(Optional<String> checkpoint, Consumer<Entry> sink) {
        sink.accept(new Entry(MatchType.MD5, "0123456789abcdef0123456789abcdef", Entry.State.DELETED,
            Optional.empty(), Optional.empty()));
        return Optional.of("cp-1");
      }

      @Override
      public void feedback(String entryHash, boolean confirmed) {
        told.add(entryHash + ":" + confirmed);
      }
    };
    HashBanks banks = HashBanks.inMemory();
    ImportReport r = banks.connect(source, BankConfig.builder("ncmec", Category.CSAM).build());
    assertEquals(2, r.applied());
    assertEquals(1, r.problems().size());
    assertEquals(2, r.problems().get(0).line());
    EntryInfo e = banks.bank("ncmec").entry(MatchType.PDQ, "AB".repeat(32)).orElseThrow();
    assertEquals(Optional.of("case-7"), e.caseId());
    assertEquals(Instant.parse("2025-01-01T00:00:00Z"), e.addedAt());
    banks.feedback("ncmec", "ab".repeat(32), true);
    banks.feedback("ncmec", "ab".repeat(32), true);
    banks.feedback("ncmec", "ab".repeat(32), true);
    EntryInfo after = banks.feedback("ncmec", "ab".repeat(32), false);
    assertEquals(0.75, after.precision().getAsDouble(), 1e-9);
    assertEquals(List.of("ab".repeat(32) + ":true", "ab".repeat(32) + ":true", "ab".repeat(32) + ":true",
        "ab".repeat(32) + ":false"), told);
    assertThrows(InvalidRequestException.class, () -> banks.feedback("ncmec", "cd".repeat(32), true));
    ImportReport changes = banks.refresh("ncmec");
    assertEquals(1, changes.applied());
    assertTrue(banks.bank("ncmec").entry(MatchType.MD5, "0123456789abcdef0123456789abcdef").isEmpty());
  }

  @Test
  void addToBankRecordsRemovedContent() {
    HashBanks banks = HashBanks.inMemory();
    PdqHash h = randomPdq(RND);
    Fingerprints fp = pdq(h).withSha256(Sha256.fromHex("12".repeat(32)));
    assertEquals(2, banks.addToBank("platform-removals", Category.NCII, fp));
    assertEquals(Category.NCII, banks.bank("platform-removals").config().category());
    assertEquals(2, banks.match(fp).size());
  }

  @Test
  void addToBankKeepsOnlyTheDigestsOfALowQualityImage() {
    HashBanks banks = HashBanks.inMemory();
    PdqHash h = randomPdq(RND);
    // a plain image: its PDQ hash is rounding residue and would block every similar plain image
    Fingerprints plain = Fingerprints.none().withPdq(new Pdq(h, 0, List.of()))
        .withSha256(Sha256.fromHex("34".repeat(32)));
    assertEquals(1, banks.addToBank("platform-removals", Category.NCII, plain));
    assertTrue(banks.match(Fingerprints.none().withPdq(Pdq.of(h))).isEmpty());
    assertEquals(1, banks.match(plain).size(), "the identical file is still blocked");
    Fingerprints good = Fingerprints.none().withPdq(new Pdq(h, HashBanks.MIN_BANKED_PDQ_QUALITY, List.of()));
    assertEquals(1, banks.addToBank("platform-removals", Category.NCII, good));
  }

  @Test
  void csvImportReportsBadLinesWithNumbersAndLoadsTheRest() throws IOException {
    PdqHash good = randomPdq(RND);
    String csv = String.join("\n",
        "hash,signal_type,added_at,case_id,status",
        good.toHex() + ",pdq,2025-03-01T00:00:00Z,\"case, 1\",active",
        "0".repeat(64) + ",pdq",
        "f".repeat(64) + ",pdq",
        "zz" + good.toHex().substring(2) + ",pdq",
        good.toHex().substring(1) + ",pdq",
        "0123456789abcdef0123456789abcdef,tmk",
        "",
        "# a comment",
        "0123456789abcdef0123456789abcdef,video_md5",
        "0123456789abcdef0123456789abcdef,md5,,,withdrawn",
        "aa".repeat(32) + ",sha256,yesterday");
    HashBanks banks = HashBanks.inMemory();
    Bank bank = banks.define(BankConfig.builder("list", Category.NCII).build());
    ImportReport r = bank.importCsv(new StringReader(csv), "list.csv");
    assertEquals(3, r.applied(), "the pdq, the video_md5 and the tmk kept as a foreign type");
    assertEquals(1, r.foreign());
    assertEquals(1, r.unchanged());
    List<Long> lines = r.problems().stream().map(ImportReport.Problem::line).toList();
    assertEquals(List.of(3L, 4L, 5L, 6L, 12L), lines);
    assertEquals(List.of("tmk"), banks.foreignEntries("list").stream().map(e -> e.signalType()).toList());
    assertTrue(r.problems().get(0).message().contains("all zeros"), r.problems().get(0).message());
    assertEquals("case, 1", bank.entry(MatchType.PDQ, good.toHex()).orElseThrow().caseId().orElseThrow());

    StringWriter out = new StringWriter();
    bank.exportCsv(out);
    Bank copy = banks.define(BankConfig.builder("copy", Category.NCII).build());
    ImportReport back = copy.importCsv(new StringReader(out.toString()), "copy.csv");
    assertEquals(List.of(), back.problems());
    StringWriter again = new StringWriter();
    copy.exportCsv(again);
    assertEquals(out.toString(), again.toString());
    assertEquals(bank.versionString().split("-")[1].length(), 16);
  }

  @Test
  void stopNciiPagesImportWithLineNumbersAndRoundTrip() throws IOException {
    PdqHash a = randomPdq(RND);
    PdqHash b = randomPdq(RND);
    String json = "{\"count\":4,\"nextPageToken\":\"x\",\"hasMoreRecords\":true,\"hashRecords\":[\n"
        + "{\"lastModtimestamp\":1700000000,\"signalType\":\"ImagePDQ\",\"hashValue\":\"" + a.toHex()
        + "\",\"hashStatus\":\"Active\",\"caseNumbers\":{\"C-1\":\"Active\"}},\n"
        + "{\"signalType\":\"ImagePDQ\",\"hashValue\":\"" + "0".repeat(64) + "\",\"hashStatus\":\"Active\"},\n"
        + "{\"signalType\":\"VideoTMK\",\"hashValue\":\"abc\",\"hashStatus\":\"Active\"},\n"
        + "{\"signalType\":\"ImagePDQ\",\"hashValue\":\"" + b.toHex() + "\",\"hashStatus\":\"Active\"}\n"
        + "]}\n"
        + "{\"hashRecords\":[\n"
        + "{\"signalType\":\"ImagePDQ\",\"hashValue\":\"" + b.toHex() + "\",\"hashStatus\":\"Withdrawn\"}\n"
        + "]}\n";
    HashBanks banks = HashBanks.inMemory();
    Bank bank = banks.define(BankConfig.builder("stopncii", Category.NCII).build());
    ImportReport r = bank.importStopNcii(new StringReader(json), "page.json");
    assertEquals(List.of(3L), r.problems().stream().map(ImportReport.Problem::line).toList());
    assertEquals(4, r.applied(), "a, the VideoTMK kept as a foreign type, b, and b's withdrawal");
    assertEquals(1, r.foreign());
    assertEquals(1, banks.match(pdq(a)).size());
    assertEquals(List.of(), banks.match(pdq(b)));
    StringWriter out = new StringWriter();
    bank.exportStopNcii(out);
    Bank copy = banks.define(BankConfig.builder("copy", Category.NCII).build());
    ImportReport back = copy.importStopNcii(new StringReader(out.toString()), "copy.json");
    assertEquals(List.of(), back.problems());
    assertEquals(Optional.of("C-1"), copy.entry(MatchType.PDQ, a.toHex()).orElseThrow().caseId());
    // the export carries the withdrawal downstream; withdrawing an unknown hash never creates an entry
    assertTrue(out.toString().contains("\"Withdrawn\""));
    assertEquals(Optional.empty(), copy.entry(MatchType.PDQ, b.toHex()));
  }

  @Test
  void bulkAddsMatchLikeSingleAddsAndSkipDuplicates() {
    SplittableRandom rnd = new SplittableRandom(7);
    int n = 20_000;
    long[] words = MihIndexTest.clustered(rnd, n, 10, 20);
    HashBanks banks = HashBanks.inMemory();
    Bank bulk = banks.define(BankConfig.builder("bulk", Category.NCII).build());
    int added = bulk.addPdqBulk(words, n);
    assertEquals(bulk.size(MatchType.PDQ), added);
    assertTrue(added < n, "the clustered set holds duplicates");
    HashBanks singles = HashBanks.inMemory();
    for (int i = 0; i < n; i++) {
      singles.add("bulk", Category.NCII, MatchType.PDQ,
          new PdqHash(words[4 * i + 3], words[4 * i + 2], words[4 * i + 1], words[4 * i]).toHex());
    }
    assertEquals(banks.versions().get("bank:bulk").split("-")[1], singles.versions().get("bank:bulk").split("-")[1]);
    for (int k = 0; k < 200; k++) {
      int i = rnd.nextInt(n);
      PdqHash q = flip(new PdqHash(words[4 * i + 3], words[4 * i + 2], words[4 * i + 1], words[4 * i]),
          rnd.nextInt(256), rnd.nextInt(256));
      assertEquals(banks.match(pdq(q)), singles.match(pdq(q)).stream()
          .map(m -> new Signal.HashMatch(m.bank(), bulk.version(), m.category(), m.type(), m.entry(), m.distance(),
              m.maxDistance(), m.quality(), m.reviewOnly()))
          .toList());
    }
  }

  @Test
  void loadReadsEveryListOfADirectoryAsABankNamedAfterTheFile(@org.junit.jupiter.api.io.TempDir java.nio.file.Path dir)
      throws IOException {
    PdqHash a = randomPdq(RND);
    java.nio.file.Files.writeString(dir.resolve("KR-Regulator.csv"),
        "hash,signal_type,category\n" + "cd".repeat(32) + ",sha256,csam\nbad,sha256,csam\n");
    java.nio.file.Files.writeString(dir.resolve("stopncii.json"), "{\"hashRecords\":[{\"signalType\":\"ImagePDQ\","
        + "\"hashValue\":\"" + a.toHex() + "\",\"hashStatus\":\"Active\"}]}");
    java.nio.file.Files.writeString(dir.resolve("notes.txt"), "ignored");
    HashBanks banks = HashBanks.load(dir);
    assertEquals(List.of("kr-regulator", "stopncii"), banks.banks().stream().map(Bank::id).toList());
    assertEquals(Category.CSAM, banks.bank("kr-regulator").config().category());
    assertEquals(Category.NCII, banks.bank("stopncii").config().category());
    assertEquals(1, banks.bank("kr-regulator").size());
    assertEquals(1, banks.match(pdq(a)).size());
    assertThrows(ConfigurationException.class, () -> HashBanks.load(dir.resolve("missing")));
  }

  @Test
  void lowQualityQueriesDoNotMatchBanksThatRequireQuality() {
    HashBanks banks = HashBanks.inMemory();
    banks.define(BankConfig.builder("strict", Category.NCII).minPdqQuality(50).build());
    PdqHash h = randomPdq(RND);
    banks.add("strict", Category.NCII, MatchType.PDQ, h.toHex());
    assertEquals(List.of(), banks.match(Fingerprints.none().withPdq(new Pdq(h, 30, List.of()))));
    assertEquals(1, banks.match(Fingerprints.none().withPdq(new Pdq(h, 80, List.of()))).size());
    assertEquals(1, banks.match(pdq(h)).size(), "unknown quality may match");
  }
}
