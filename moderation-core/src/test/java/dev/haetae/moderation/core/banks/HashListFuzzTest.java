package dev.haetae.moderation.core.banks;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import dev.haetae.moderation.core.hash.HashBanks;
import dev.haetae.moderation.core.hash.HashListException;
import dev.haetae.moderation.core.hash.ImportOptions;
import dev.haetae.moderation.core.hash.ImportReport;
import java.io.IOException;
import java.io.Reader;
import java.io.StringReader;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * Seeded fuzzing of every reader: mutated copies of each fixture, plus hostile shapes (an endless
 * line, an endless string, deep nesting, XML entities and DTDs). A lenient import of any of them
 * returns a report whose counts add up ({@code read == accepted + skipped}) and throws nothing; a
 * strict import throws only {@link HashListException}. Memory stays bounded because the readers
 * hold at most one record's fields: the endless inputs below are generated on the fly and never
 * exist in memory as a whole. Quick by default ({@value #QUICK_CASES} cases per fixture); the
 * {@code long-fuzz} Maven profile sets {@code haetae.fuzz.cases} to 20,000. A failure prints the
 * seed and case.
 */
class HashListFuzzTest {
  private static final long SEED = 0x19_BA_4C5L;
  static final int QUICK_CASES = 150;
  private static final int CASES = Integer.getInteger("haetae.fuzz.cases", QUICK_CASES);
  private static final String STRUCTURE = "{}[]\":,<>/&;\n\r\t #=!'\\\u0000\uFEFF";

  private static final Map<String, HashListFormat> FIXTURES = Map.ofEntries(
      Map.entry("haetae.csv", HashListFormat.HAETAE_CSV),
      Map.entry("list.hma", HashListFormat.HMA_FILE),
      Map.entry("hma-bank.json", HashListFormat.HMA_JSON),
      Map.entry("threatexchange-descriptors.json", HashListFormat.THREATEXCHANGE),
      Map.entry("threatexchange-updates.json", HashListFormat.THREATEXCHANGE),
      Map.entry("ncmec-page1.xml", HashListFormat.NCMEC),
      Map.entry("ncmec-page2.xml", HashListFormat.NCMEC),
      Map.entry("tcap-page1.json", HashListFormat.TCAP),
      Map.entry("tcap-page2.json", HashListFormat.TCAP),
      Map.entry("stopncii-page1.json", HashListFormat.STOPNCII),
      Map.entry("stopncii-page2.json", HashListFormat.STOPNCII));

  @Test
  void mutatedListsOnlyEverProduceReports() throws IOException {
    Random random = new Random(SEED);
    long records = 0;
    long skipped = 0;
    for (String name : new java.util.TreeSet<>(FIXTURES.keySet())) {
      HashListFormat format = FIXTURES.get(name);
      String original = HashListFormatsTest.text(name);
      for (int c = 0; c < CASES; c++) {
        String mutated = mutate(original, random);
        // every format's reader on every mutated input: a wrong format is hostile input too
        HashListFormat f = c % 4 == 3 ? HashListFormat.values()[random.nextInt(HashListFormat.values().length)] : format;
        ImportReport r = lenient(f, new StringReader(mutated), name + " case " + c);
        records += r.read();
        skipped += r.skipped();
        strict(f, mutated, name + " case " + c);
      }
    }
    assertTrue(records > 0 && skipped > 0, "read " + records + ", skipped " + skipped);
  }

  private static ImportReport lenient(HashListFormat f, Reader in, String where) {
    try {
      ImportReport r = HashBanks.inMemory().importList("fuzz", f, in, where, ImportOptions.defaults());
      assertEquals(r.read(), r.accepted() + r.skipped(), where);
      assertEquals(r.skipped(), r.skippedByKind().values().stream().mapToLong(Long::longValue).sum(), where);
      assertTrue(r.problems().size() <= ImportOptions.DEFAULT_MAX_LISTED_PROBLEMS, where);
      return r;
    } catch (Throwable t) {
      fail(f.wireName() + " " + where + " (seed " + SEED + "): unexpected " + t, t);
      return null;
    }
  }

  private static void strict(HashListFormat f, String text, String where) {
    try {
      HashBanks.inMemory().importList("fuzz", f, new StringReader(text), where, ImportOptions.defaults().strict(true));
    } catch (HashListException expected) {
      assertTrue(expected.line() >= 0, where);
    } catch (Throwable t) {
      fail(f.wireName() + " strict " + where + " (seed " + SEED + "): unexpected " + t, t);
    }
  }

  static String mutate(String s, Random random) {
    StringBuilder sb = new StringBuilder(s);
    int edits = 1 + random.nextInt(6);
    for (int e = 0; e < edits && sb.length() > 0; e++) {
      int at = random.nextInt(sb.length());
      switch (random.nextInt(7)) {
        case 0:
          sb.setCharAt(at, (char) random.nextInt(0x80));
          break;
        case 1:
          sb.insert(at, STRUCTURE.charAt(random.nextInt(STRUCTURE.length())));
          break;
        case 2:
          sb.delete(at, Math.min(sb.length(), at + 1 + random.nextInt(40)));
          break;
        case 3: {
          int from = random.nextInt(sb.length());
          int to = Math.min(sb.length(), from + random.nextInt(200));
          sb.insert(at, sb.substring(from, to));
          break;
        }
        case 4:
          sb.setLength(at);
          break;
        case 5:
          sb.setCharAt(at, "0fFxz-9 ".charAt(random.nextInt(8)));
          break;
        default:
          sb.insert(at, random.nextBoolean() ? "Withdrawn" : "\"hashStatus\":\"DELETED\"");
      }
    }
    return sb.toString();
  }

  /** A reader of {@code head}, then {@code n} copies of {@code fill}, then {@code tail}, generated on the fly. */
  static Reader endless(String head, char fill, long n, String tail) {
    return new Reader() {
      private long pos;
      private final long total = head.length() + n + tail.length();

      @Override
      public int read(char[] buf, int off, int len) {
        if (pos >= total) {
          return -1;
        }
        int k = 0;
        while (k < len && pos < total) {
          long p = pos++;
          buf[off + k++] = p < head.length() ? head.charAt((int) p)
              : p < head.length() + n ? fill : tail.charAt((int) (p - head.length() - n));
        }
        return k;
      }

      @Override
      public void close() {}
    };
  }

  @Test
  void hostileShapesAreBounded() {
    long huge = 64L << 20; // 64 Mi characters: never held as a whole
    String p1 = HashListFormatsTest.P1;
    List<Object[]> cases = List.of(
        new Object[] {HashListFormat.HAETAE_CSV, endless("hash,signal_type\n", 'a', huge, "\n" + p1 + ",pdq\n"),
            ProblemKind.TOO_LONG},
        new Object[] {HashListFormat.HMA_FILE, endless("pdq ", 'f', huge, "\npdq " + p1 + "\n"), ProblemKind.TOO_LONG},
        new Object[] {HashListFormat.STOPNCII, endless("{\"hashRecords\":[{\"signalType\":\"", 'x', huge, "\"}]}"),
            ProblemKind.MALFORMED},
        new Object[] {HashListFormat.TCAP, endless("", '[', 100_000, ""), ProblemKind.MALFORMED},
        new Object[] {HashListFormat.THREATEXCHANGE, endless("{\"data\":[", '{', 100_000, ""), ProblemKind.MALFORMED},
        new Object[] {HashListFormat.HMA_JSON, endless("[{\"id\":1,\"signals\":{\"pdq\":\"", '0', huge, "\"}}]"),
            ProblemKind.MALFORMED},
        new Object[] {HashListFormat.NCMEC, new StringReader("<?xml version=\"1.0\"?>\n<!DOCTYPE q [<!ENTITY a \"aaaa\">"
            + "<!ENTITY b \"&a;&a;&a;&a;&a;&a;&a;&a;\"><!ENTITY c \"&b;&b;&b;&b;&b;&b;&b;&b;\">]>\n"
            + "<queryResult><images><image><id>&c;</id></image></images></queryResult>"), ProblemKind.MALFORMED},
        new Object[] {HashListFormat.NCMEC, new StringReader("<?xml version=\"1.0\"?>\n<!DOCTYPE q [<!ENTITY x SYSTEM "
            + "\"file:///etc/passwd\">]>\n<queryResult><images><image><id>&x;</id></image></images></queryResult>"),
            ProblemKind.MALFORMED},
        new Object[] {HashListFormat.NCMEC, endless("<queryResult><images><image><id>i</id><fingerprints><md5>", 'a',
            huge, "</md5></fingerprints></image></images></queryResult>"), ProblemKind.WRONG_LENGTH},
        new Object[] {HashListFormat.NCMEC, endless("<queryResult>", 'x', 0, "<a>".repeat(5_000)), ProblemKind.MALFORMED});
    int i = 0;
    for (Object[] c : cases) {
      ImportReport r = lenient((HashListFormat) c[0], (Reader) c[1], "hostile " + i++);
      assertTrue(r.skippedByKind().containsKey((ProblemKind) c[2]), c[0] + " " + r.summary());
      assertTrue(r.problems().stream().noneMatch(p -> p.message().length() > 2_000), r.summary());
    }
  }
}
