package dev.haetae.moderation.core.banks;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.haetae.moderation.api.Category;
import dev.haetae.moderation.api.ConfigurationException;
import dev.haetae.moderation.api.Fingerprints;
import dev.haetae.moderation.api.MatchType;
import dev.haetae.moderation.api.Md5;
import dev.haetae.moderation.api.Pdq;
import dev.haetae.moderation.api.PdqHash;
import dev.haetae.moderation.api.spi.HashBankSource.Entry.State;
import dev.haetae.moderation.api.spi.HashBankSource.ForeignEntry;
import dev.haetae.moderation.core.hash.HashBanks;
import dev.haetae.moderation.core.hash.HashListException;
import dev.haetae.moderation.core.hash.ImportOptions;
import dev.haetae.moderation.core.hash.ImportReport;
import java.io.IOException;
import java.io.StringReader;
import java.io.StringWriter;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Every reader on its fixture (see {@code src/test/resources/banks/README.md}), and the writers' round trips. */
class HashListFormatsTest {
  static final String P1 = "d8f8f0cee0f4a84f0637022a078f67f0b36e2ed596621e1d33e6339c4e9c9b22";
  static final String P2 = "9851e4d525f45a8295af4c654a13d22e877994afff2f650458e00e8c64beb012";
  static final String P3 = "9c3b5a0e6f1d2c4b8a7f6e5d4c3b2a1908f7e6d5c4b3a29180f7e6d5c4b3a291";
  static final String P4 = "3a5c7e9f1b2d4f6e8a0c2e4f6a8c0e2f4a6c8e0f2a4c6e8f0a2c4e6f8a0c2e4f";

  static Path fixture(String name) {
    try {
      return Path.of(HashListFormatsTest.class.getResource("/banks/" + name).toURI());
    } catch (URISyntaxException e) {
      throw new IllegalStateException(e);
    }
  }

  static String text(String name) throws IOException {
    return Files.readString(fixture(name));
  }

  static boolean matches(HashBanks banks, String pdqHex) {
    return !banks.match(Fingerprints.none().withPdq(Pdq.of(PdqHash.fromHex(pdqHex)))).isEmpty();
  }

  static boolean matchesMd5(HashBanks banks, String md5) {
    return !banks.match(Fingerprints.none().withMd5(Md5.fromHex(md5))).isEmpty();
  }

  static List<String> problems(ImportReport r) {
    List<String> out = new ArrayList<>();
    for (ImportReport.Problem p : r.problems()) {
      out.add(p.line() + " " + p.kind().name().toLowerCase());
    }
    return out;
  }

  @Test
  void haetaeCsvFindsItsHeaderAnywhereBehindABomAndClassifiesJunk() {
    HashBanks banks = HashBanks.inMemory();
    ImportReport r = banks.importFile(fixture("haetae.csv"), "mine");
    assertEquals(List.of("5 low_quality_pdq", "6 degenerate_pdq", "7 wrong_length", "8 not_hex", "10 duplicate",
        "11 unknown_status", "12 bad_time"), problems(r));
    assertEquals(10, r.read());
    assertEquals(2, r.added());
    assertEquals(1, r.unchanged(), "withdrawing a hash the bank never held");
    assertEquals(1, r.foreign());
    assertEquals(7, r.skipped());
    assertEquals(r.read(), r.accepted() + r.skipped());
    assertEquals(1L, r.skippedByKind().get(ProblemKind.DUPLICATE));
    assertTrue(matches(banks, P1));
    assertFalse(matches(banks, P3), "a quality-12 hash is not banked");
    assertEquals(Optional.of("SN-1"), banks.bank("mine").entry(MatchType.PDQ, P1).orElseThrow().caseId());
    assertEquals(Instant.parse("2026-01-05T00:00:00Z"), banks.bank("mine").entry(MatchType.PDQ, P1).orElseThrow().addedAt());
    List<ForeignEntry> foreign = banks.foreignEntries("mine");
    assertEquals(1, foreign.size());
    assertEquals("photodna", foreign.get(0).signalType());
    assertEquals(Optional.of("SN-7"), foreign.get(0).caseId());
    // the per-entry changes, as the decision log needs them
    ImportReport.Change first = r.changes().get(0);
    assertEquals(List.of(ImportReport.Change.Kind.ADDED, "mine", "pdq", P1, Category.OTHER, Optional.of("SN-1"), 3L),
        List.of(first.kind(), first.bank(), first.signalType(), first.hash(), first.category(), first.caseId(),
            first.line()));
    assertEquals(2, r.changes().size());
    assertEquals(ImportReport.Change.Kind.ADDED, r.changes().get(1).kind());
    assertEquals("photodna", r.changes().get(1).signalType());
  }

  @Test
  void csvHeaderInAnyOrderWithABomReadsLikeThePlainOne() throws IOException {
    String plain = "hash,signal_type\n" + P1 + ",pdq\n";
    String shuffled = "\uFEFFstatus,signal_type,case_id,hash\nactive,pdq,C-1," + P1 + "\n";
    for (String csv : List.of(plain, shuffled)) {
      HashBanks banks = HashBanks.inMemory();
      ImportReport r = banks.importList("b", HashListFormat.HAETAE_CSV, new StringReader(csv), "b.csv",
          ImportOptions.defaults());
      assertEquals(List.of(), r.problems(), csv);
      assertEquals(1, r.added(), csv);
    }
  }

  @Test
  void oldHashCommandOutputIsReadAsTheWideLayout() throws IOException {
    String csv = "pdq,quality,sha256,md5,file\n" + P1 + ",90," + "ab".repeat(32) + "," + "cd".repeat(16) + ",a.jpg\n"
        + P2 + ",10," + "ef".repeat(32) + "," + "12".repeat(16) + ",plain.png\n";
    HashBanks banks = HashBanks.inMemory();
    ImportReport r = banks.importList("b", HashListFormat.HAETAE_CSV, new StringReader(csv), "b.csv",
        ImportOptions.defaults());
    assertEquals(5, r.added());
    assertEquals(List.of("3 low_quality_pdq"), problems(r));
    assertTrue(matches(banks, P1));
    assertFalse(matches(banks, P2));
  }

  @Test
  void strictImportFailsAtTheFirstBadLineAndAppliesNothing() {
    HashBanks banks = HashBanks.inMemory();
    HashListException e = assertThrows(HashListException.class,
        () -> banks.importFile(fixture("haetae.csv"), "mine", ImportOptions.defaults().strict(true)));
    assertEquals(5, e.line());
    assertEquals(ProblemKind.LOW_QUALITY_PDQ, e.kind());
    assertTrue(e.getMessage().startsWith("haetae.csv:5 "), e.getMessage());
    assertEquals(0, banks.bank("mine").size());
    assertEquals(List.of(), banks.foreignEntries("mine"));
  }

  @Test
  void hmaLocalFileAndBankJson() {
    HashBanks banks = HashBanks.inMemory();
    ImportReport file = banks.importFile(fixture("list.hma"), "hma");
    assertEquals(List.of("5 malformed", "6 malformed"), problems(file));
    assertEquals(4, file.added());
    assertEquals(1, file.foreign());
    assertTrue(matchesMd5(banks, "facefacefacefacefacefacefaceface"));
    ImportReport json = banks.importFile(fixture("hma-bank.json"), "hmajson");
    assertEquals(List.of("5 malformed", "6 not_hex"), problems(json));
    assertEquals(4, json.added());
    assertEquals(1, json.foreign());
    assertEquals("clip", banks.foreignEntries("hmajson").get(0).signalType());
    assertEquals(Optional.of("2"), banks.bank("hmajson").entry(MatchType.PDQ, P3).orElseThrow().caseId());
  }

  @Test
  void hmaContentIdMayFollowItsSignals() throws IOException {
    HashBanks banks = HashBanks.inMemory();
    ImportReport r = banks.importList("h", HashListFormat.HMA_JSON, new StringReader(
        "{\"signals\": {\"pdq\": \"" + P1 + "\"}, \"id\": 42}"), "one.json", ImportOptions.defaults());
    assertEquals(1, r.added());
    assertEquals(Optional.of("42"), banks.bank("h").entry(MatchType.PDQ, P1).orElseThrow().caseId());
  }

  @Test
  void threatExchangeDescriptorsAndUpdates() {
    HashBanks banks = HashBanks.inMemory();
    ImportReport d = banks.importFile(fixture("threatexchange-descriptors.json"), "te");
    assertEquals(List.of(ProblemKind.UNKNOWN_STATUS, ProblemKind.BAD_TIME),
        d.problems().stream().map(ImportReport.Problem::kind).toList());
    assertEquals(3, d.added());
    assertEquals(1, d.unchanged(), "a NON_MALICIOUS descriptor withdraws; the bank did not hold it");
    assertEquals(1, d.foreign());
    assertEquals("tmk", banks.foreignEntries("te").get(0).signalType());
    assertTrue(matchesMd5(banks, "facefacefacefacefacefacefaceface"));
    ImportReport u = banks.importFile(fixture("threatexchange-updates.json"), "te");
    assertEquals(List.of(ProblemKind.UNKNOWN_STATUS), u.problems().stream().map(ImportReport.Problem::kind).toList());
    assertEquals(1, u.deleted(), "should_delete removes the MD5");
    assertEquals(1, u.changed(), "P1's update carries its own id as case id");
    assertFalse(matchesMd5(banks, "facefacefacefacefacefacefaceface"));
    assertTrue(matches(banks, P1));
  }

  @Test
  void ncmecEntriesFingerprintsAndDeletionsById() {
    HashBanks banks = HashBanks.inMemory();
    ImportReport p1 = banks.importFile(fixture("ncmec-page1.xml"), "ncmec");
    assertEquals(Category.CSAM, banks.bank("ncmec").config().category());
    assertEquals(List.of(ProblemKind.BAD_TIME), p1.problems().stream().map(ImportReport.Problem::kind).toList());
    assertEquals(8, p1.read());
    assertEquals(7, p1.added());
    assertEquals(3, p1.foreign(), "sha1, PhotoDNA and the TMK link");
    assertTrue(matches(banks, P1));
    assertTrue(matchesMd5(banks, "a2a2a2a2a2a2a2a2a2a2a2a2a2a2a2a2"));
    assertEquals(Optional.of(MatchType.VIDEO_MD5), Optional.of(banks.bank("ncmec")
        .entry(MatchType.VIDEO_MD5, "b1b1b1b1b1b1b1b1b1b1b1b1b1b1b1b1").orElseThrow().type()));
    List<String> types = banks.foreignEntries("ncmec").stream().map(ForeignEntry::signalType).sorted().toList();
    assertEquals(List.of("photodna", "sha1", "tmk"), types);
    ImportReport p2 = banks.importFile(fixture("ncmec-page2.xml"), "ncmec");
    assertEquals(List.of(), p2.problems());
    assertEquals(1, p2.deleted(), "deletedImage image2 removes the hash delivered under image2");
    assertFalse(matchesMd5(banks, "a2a2a2a2a2a2a2a2a2a2a2a2a2a2a2a2"));
    assertTrue(matchesMd5(banks, "a1a1a1a1a1a1a1a1a1a1a1a1a1a1a1a1"));
  }

  @Test
  void tcapPagesAndDeletions() {
    HashBanks banks = HashBanks.inMemory();
    ImportReport a = banks.importFile(fixture("tcap-page1.json"), "tcap");
    assertEquals(Category.TERRORISM, banks.bank("tcap").config().category());
    assertEquals(List.of(ProblemKind.NOT_HEX), a.problems().stream().map(ImportReport.Problem::kind).toList());
    assertEquals(2, a.added());
    assertEquals(Optional.of("2820"), banks.bank("tcap").entry(MatchType.PDQ, P1).orElseThrow().caseId());
    ImportReport b = banks.importFile(fixture("tcap-page2.json"), "tcap");
    assertEquals(1, b.deleted());
    assertEquals(1, b.foreign());
    assertFalse(matchesMd5(banks, "0123456789abcdef0123456789abcdef"));
  }

  @Test
  void stopNciiStatusesAreComparedWithoutCaseAndUnknownOnesAreNeverActive() {
    HashBanks banks = HashBanks.inMemory();
    ImportReport a = banks.importFile(fixture("stopncii-page1.json"), "stopncii");
    assertEquals(List.of(), a.problems());
    assertEquals(4, a.added(), "Active, Received, lower-case active, and the VideoTMK kept as foreign");
    assertTrue(matches(banks, P2), "a Received hash protects the person who submitted it");
    ImportReport b = banks.importFile(fixture("stopncii-page2.json"), "stopncii");
    assertEquals(1, b.withdrawn(), "'withdrawn' in lower case");
    assertEquals(1, b.deleted(), "'DELETED' in upper case");
    assertEquals(Map.of(ProblemKind.UNKNOWN_STATUS, 3L), b.skippedByKind(), "Unknown, Paused and a missing status");
    assertFalse(matches(banks, P1));
    assertFalse(matches(banks, P3));
    assertFalse(matches(banks, P4));
    assertFalse(matchesMd5(banks, "b1b1b1b1b1b1b1b1b1b1b1b1b1b1b1b1"));
  }

  @Test
  void stopNciiStatusTable() throws IOException {
    Map<String, Boolean> active = new java.util.LinkedHashMap<>();
    active.put("Active", true);
    active.put("ACTIVE", true);
    active.put("Received", true);
    active.put("withdrawn", false);
    active.put("WITHDRAWN", false);
    active.put("Deleted", false);
    active.put("DELETED", false);
    active.put("Unknown", false);
    active.put("Pending", false);
    for (Map.Entry<String, Boolean> e : active.entrySet()) {
      HashBanks banks = HashBanks.inMemory();
      banks.add("s", Category.NCII, MatchType.PDQ, P1);
      String page = "{\"hashRecords\":[{\"signalType\":\"ImagePDQ\",\"hashValue\":\"" + P2 + "\",\"hashStatus\":\""
          + e.getKey() + "\"},{\"signalType\":\"imagepdq\",\"hashValue\":\"" + P1 + "\",\"hashStatus\":\"" + e.getKey()
          + "\"}]}";
      ImportReport r = banks.importList("s", HashListFormat.STOPNCII, new StringReader(page), "p", ImportOptions.defaults());
      assertEquals(e.getValue(), matches(banks, P2), e.getKey());
      boolean known = !e.getKey().equals("Unknown") && !e.getKey().equals("Pending");
      assertEquals(known ? e.getValue() : true, matches(banks, P1), e.getKey() + ": an unknown status changes nothing");
      assertEquals(known ? 0 : 2, r.skippedByKind().getOrDefault(ProblemKind.UNKNOWN_STATUS, 0L), e.getKey());
    }
  }

  @Test
  void writersRoundTrip() throws IOException {
    HashBanks banks = HashBanks.inMemory();
    banks.importFile(fixture("stopncii-page1.json"), "src");
    banks.withdraw("src", MatchType.PDQ, P2);
    for (HashListFormat f : HashListFormat.values()) {
      if (!f.writable()) {
        assertThrows(UnsupportedOperationException.class, () -> banks.export("src", f, new StringWriter()));
        continue;
      }
      StringWriter out = new StringWriter();
      banks.export("src", f, out);
      HashBanks copy = HashBanks.inMemory();
      ImportReport r = copy.importList("copy", f, new StringReader(out.toString()), "copy", ImportOptions.defaults());
      assertEquals(List.of(), r.problems(), f + ": " + out);
      // a withdrawal travels downstream, but a fresh bank never holds what it never had: from the
      // first copy on, the text is stable
      StringWriter again = new StringWriter();
      copy.export("copy", f, again);
      HashBanks second = HashBanks.inMemory();
      second.importList("copy", f, new StringReader(again.toString()), "again", ImportOptions.defaults());
      StringWriter third = new StringWriter();
      second.export("copy", f, third);
      assertEquals(again.toString(), third.toString(), f.wireName());
      if (f != HashListFormat.HMA_FILE && f != HashListFormat.HMA_JSON) {
        assertTrue(out.toString().toLowerCase(java.util.Locale.ROOT).contains("withdrawn"), f.wireName());
      }
      assertTrue(matches(copy, P1), f.wireName());
      assertFalse(matches(copy, P2), f.wireName() + ": withdrawn stays out");
      assertEquals(1, copy.foreignEntries("copy").size(), f.wireName() + ": the TMK travels too");
    }
  }

  @Test
  void aFileThatContributesNothingFailsTheLoad(@TempDir Path dir) throws IOException {
    Files.writeString(dir.resolve("good.csv"), "hash,signal_type\n" + P1 + ",pdq\n");
    Files.writeString(dir.resolve("hashes.csv"), "pdq,quality,sha256,md5,file\n"
        + "0".repeat(64) + ",0,zz,zz,a.jpg\n");
    ConfigurationException e = assertThrows(ConfigurationException.class, () -> HashBanks.load(dir));
    assertTrue(e.getMessage().contains("hashes.csv"), e.getMessage());
    assertFalse(e.getMessage().contains("good.csv"), e.getMessage());
    List<ImportReport> reports = HashBanks.inMemory().importDirectory(dir, ImportOptions.defaults());
    assertEquals(List.of(false, true), reports.stream().map(ImportReport::contributedNothing).toList());
  }

  @Test
  void changesGoToTheListenerBeyondTheListedBound() throws IOException {
    List<ImportReport.Change> seen = new ArrayList<>();
    HashBanks banks = HashBanks.inMemory();
    ImportReport r = banks.importList("b", HashListFormat.HMA_FILE, new StringReader(
        "pdq " + P1 + "\npdq " + P2 + "\npdq " + P3 + "\n"), "l", ImportOptions.defaults().listing(0, 1).onChange(seen::add));
    assertEquals(3, r.added());
    assertEquals(1, r.changes().size());
    assertEquals(3, seen.size());
    assertTrue(r.truncated());
    assertEquals(List.of(2L, 3L), seen.subList(1, 3).stream().map(ImportReport.Change::line).toList());
  }

  @Test
  void canonicalSignalTypes() {
    assertEquals("pdq", ListRecord.canonicalType("ImagePDQ"));
    assertEquals("pdq", ListRecord.canonicalType("HASH_PDQ"));
    assertEquals("video_md5", ListRecord.canonicalType("VideoMD5"));
    assertEquals("video_md5", ListRecord.canonicalType("HASH_VIDEO_MD5"));
    assertEquals("tmk", ListRecord.canonicalType("VideoTMK"));
    assertEquals("tmk", ListRecord.canonicalType("tmk-pdqf"));
    assertEquals("photodna", ListRecord.canonicalType("pdna"));
    assertEquals("netclean", ListRecord.canonicalType("NETCLEAN"));
    assertEquals("a_b_c", ListRecord.canonicalType("a b\u0000c"));
    assertEquals(64, ListRecord.canonicalType("x".repeat(500)).length());
    assertEquals(Optional.empty(), ListRecord.known("photodna"));
    assertEquals(State.ACTIVE, StopNciiFormat.status("rEcEiVeD"));
  }
}
