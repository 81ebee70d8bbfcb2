package dev.haetae.moderation.video;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.haetae.moderation.api.InvalidRequestException;
import dev.haetae.moderation.api.spi.HashBankSource.Entry.State;
import dev.haetae.moderation.core.banks.HashListFormat;
import dev.haetae.moderation.core.banks.ListRecord;
import dev.haetae.moderation.core.banks.ProblemKind;
import java.io.IOException;
import java.io.StringReader;
import java.io.StringWriter;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** vPDQ rows in hash lists: Haetae's CSV and HMA's file exchange, their problems, and a seeded fuzz. */
class VpdqListsTest {
  private static final VideoHash ORIGINAL = Samples.reference("pattern-hd-no-bar");
  private static final VideoHash DOORKNOB = Samples.reference("doorknob-hd-no-bar");
  private static final long SEED = 0x21_C5_7L;

  private static String csv(List<ListRecord> records) throws IOException {
    StringWriter out = new StringWriter();
    HashListFormat.HAETAE_CSV.write(records, out);
    return out.toString();
  }

  private static ListRecord row(String type, String value, State state, String caseId, long line) {
    return new ListRecord(type, value, state, Optional.empty(), Optional.ofNullable(caseId), Optional.empty(),
        OptionalInt.empty(), line);
  }

  private static List<String> hashes(VideoHash h) {
    return h.frames().stream().map(f -> f.hash().toHex() + "," + f.quality()).toList();
  }

  @Test
  void csvRowsOfTypeVpdqBecomeBankedVideos() throws IOException {
    String text = csv(List.of(
        row("vpdq", VpdqFormat.writeJson(ORIGINAL), State.ACTIVE, "case-4711", 1),
        row("pdq", "f".repeat(63) + "0", State.ACTIVE, null, 2),
        row("vpdq", VpdqFormat.writeJson(DOORKNOB), State.ACTIVE, null, 3),
        row("vpdq", VpdqFormat.writeJson(DOORKNOB), State.WITHDRAWN, "old", 4)));
    VpdqLists.Result r = VpdqLists.read(HashListFormat.HAETAE_CSV, "list.csv", new StringReader(text),
        VideoLimits.defaults());
    assertEquals(List.of(), r.problems());
    assertEquals(1, r.otherTypes());
    assertEquals(1, r.inactive());
    assertEquals(List.of("case-4711", "list.csv:4"), r.entries().stream().map(VpdqLists.Entry::id).toList());
    assertEquals(hashes(ORIGINAL), hashes(r.entries().get(0).hash()));
    assertEquals(hashes(DOORKNOB), hashes(r.entries().get(1).hash()));
    VideoBank bank = r.addTo(VideoBank.builder()).build();
    assertEquals("case-4711", bank.match(ORIGINAL).get(0).videoId());
  }

  @Test
  void theUpstreamShapesAreRead() throws IOException {
    String json = "[\"" + "a".repeat(64) + ",100,0.000\", \"" + "b".repeat(64) + ",90,1.000\"]";
    // a hand-written CSV: the JSON quoted, its quotes doubled, the type spelt as ThreatExchange does
    String csv = "signal_type,hash,case_id\nHASH_VPDQ,\"" + json.replace("\"", "\"\"") + "\",7\n";
    VpdqLists.Result r = VpdqLists.read(HashListFormat.HAETAE_CSV, "te.csv", new StringReader(csv), VideoLimits.defaults());
    assertEquals(List.of(), r.problems());
    assertEquals(2, r.entries().get(0).hash().frames().size());
    assertEquals("7", r.entries().get(0).id());
    // HMA's file exchange: one "signal_type signal" per line
    VpdqLists.Result hma = VpdqLists.read(HashListFormat.HMA_FILE, "bank.hma",
        new StringReader("vpdq " + json + "\npdq " + "c".repeat(64) + "\n"), VideoLimits.defaults());
    assertEquals(1, hma.entries().size());
    assertEquals(1, hma.otherTypes());
    assertEquals(1.0, hma.entries().get(0).hash().frames().get(1).timestampSeconds());
  }

  @Test
  void badRowsAreProblemsWithTheirLinesAndReadingGoesOn() throws IOException {
    String small = VpdqFormat.writeJson(ORIGINAL.between(0, 1));
    String text = csv(List.of(
        row("vpdq", "[\"" + "x".repeat(64) + ",100,0\"]", State.ACTIVE, "a", 1),
        row("vpdq", VpdqFormat.writeJson(DOORKNOB), State.ACTIVE, "b", 2),
        row("vpdq", small, State.ACTIVE, "c", 3),
        row("vpdq", small, State.ACTIVE, "c", 4),
        row("vpdq", "{}", State.ACTIVE, "d", 5)));
    VpdqLists.Result r = VpdqLists.read(HashListFormat.HAETAE_CSV, "l.csv", new StringReader(text),
        VideoLimits.builder().maxFrames(100).build());
    // line 1 is the header
    assertEquals(List.of("c"), r.entries().stream().map(VpdqLists.Entry::id).toList());
    assertEquals(List.of(2L, 3L, 5L, 6L), r.problems().stream().map(VpdqLists.Problem::line).toList());
    assertEquals(ProblemKind.NOT_HEX, kindOf(r, 2));
    assertEquals(ProblemKind.TOO_LONG, kindOf(r, 3), "doorknob has 120 frames, over 100");
    assertEquals(ProblemKind.DUPLICATE, kindOf(r, 5));
    assertEquals(ProblemKind.MALFORMED, kindOf(r, 6));
    assertThrows(InvalidRequestException.class,
        () -> VpdqLists.read(HashListFormat.HAETAE_CSV, " ", new StringReader(""), VideoLimits.defaults()));
  }

  private static ProblemKind kindOf(VpdqLists.Result r, long line) {
    return r.problems().stream().filter(p -> p.line() == line).findFirst().orElseThrow(
        () -> new AssertionError("no problem on line " + line + ": " + r.problems())).kind();
  }

  /**
   * Seeded mutations of a CSV holding vPDQ and other rows (characters replaced, quotes and commas
   * inserted, runs cut or repeated): reading returns entries and problems, never throws, and stays
   * bounded (the problems kept, the time).
   */
  @Test
  void mutatedListsOnlyYieldEntriesAndProblems() throws IOException {
    String text = csv(List.of(
        row("vpdq", VpdqFormat.writeJson(ORIGINAL.between(0, 2)), State.ACTIVE, "x", 1),
        row("pdq", "e".repeat(64), State.ACTIVE, null, 2),
        row("vpdq", VpdqFormat.writeJson(DOORKNOB.between(0, 1)), State.ACTIVE, null, 3)));
    Random random = new Random(SEED);
    int cases = Integer.getInteger("haetae.fuzz.cases", VideoFuzzTest.QUICK_CASES) * 4;
    int withEntries = 0;
    int withProblems = 0;
    for (int c = 0; c < cases; c++) {
      String mutated = mutate(text, random);
      String where = "case " + c + " (seed " + SEED + ")";
      VpdqLists.Result r = assertTimeoutPreemptively(Duration.ofSeconds(20),
          () -> VpdqLists.read(HashListFormat.HAETAE_CSV, "fuzz.csv", new StringReader(mutated),
              VideoLimits.defaults()), where);
      assertTrue(r.problems().size() <= VpdqLists.MAX_PROBLEMS, where);
      assertTrue(r.entries().stream().map(VpdqLists.Entry::id).distinct().count() == r.entries().size(), where);
      withEntries += r.entries().isEmpty() ? 0 : 1;
      withProblems += r.problems().isEmpty() ? 0 : 1;
    }
    assertTrue(withEntries > 0 && withProblems > 0, withEntries + " with entries, " + withProblems + " with problems");
  }

  private static String mutate(String s, Random r) {
    StringBuilder b = new StringBuilder(s);
    for (int e = 0, n = 1 + r.nextInt(4); e < n && b.length() > 0; e++) {
      int at = r.nextInt(b.length());
      switch (r.nextInt(6)) {
        case 0 -> b.setCharAt(at, (char) r.nextInt(128));
        case 1 -> b.insert(at, "\",[]{}\n\\".charAt(r.nextInt(8)));
        case 2 -> b.setLength(at);
        case 3 -> b.delete(at, Math.min(b.length(), at + 1 + r.nextInt(80)));
        case 4 -> b.insert(at, b.substring(at, Math.min(b.length(), at + 1 + r.nextInt(200))).repeat(1 + r.nextInt(3)));
        default -> b.setCharAt(at, "0123456789abcdefg,.-".charAt(r.nextInt(20)));
      }
    }
    return b.toString();
  }
}
