package dev.haetae.moderation.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** {@code haetae hash --format bank-csv}, {@code match --bank} reports, and {@code haetae bank}. */
class BankCommandTest {
  private static final Path FIXTURES = Path.of("../moderation-core/src/test/resources/banks");
  private static final String P1 = "d8f8f0cee0f4a84f0637022a078f67f0b36e2ed596621e1d33e6339c4e9c9b22";

  private record Run(int exit, String out, String err) {}

  private static Run run(String... args) {
    CommandLine cli = Haetae.commandLine();
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    cli.setOut(new PrintWriter(out));
    cli.setErr(new PrintWriter(err));
    int exit = cli.execute(args);
    return new Run(exit, out.toString(), err.toString());
  }

  @Test
  void hashWritesWhatMatchReads(@TempDir Path dir) throws Exception {
    Path image = Path.of("../moderation-core/src/test/resources/pdq/corpus/originals/storm.jpg");
    Run hash = run("hash", "--format", "bank-csv", image.toString());
    assertEquals(0, hash.exit(), hash.err());
    assertTrue(hash.out().startsWith("hash,signal_type,quality,file\n"), hash.out());
    Path bank = dir.resolve("removals.csv");
    Files.writeString(bank, hash.out());
    Run match = run("match", "--bank", bank.toString(), image.toString());
    assertEquals(0, match.exit(), match.err());
    assertTrue(match.err().contains("removals.csv: 3 read, 3 added"), match.err());
    assertTrue(match.out().contains(image + ": 3 matches"), match.out());
  }

  @Test
  void aBankFileThatContributesNothingIsReportedAndFailsTheRun(@TempDir Path dir) throws Exception {
    Path junk = dir.resolve("hashes.csv");
    Files.writeString(junk, "hash,signal_type\n" + "0".repeat(64) + ",pdq\nnothex,sha256\n");
    Run match = run("match", "--bank", junk.toString(), "--pdq", P1);
    assertEquals(1, match.exit(), match.err());
    assertTrue(match.err().contains("hashes.csv: 2 read, 0 added"), match.err());
    assertTrue(match.err().contains("degenerate_pdq 1"), match.err());
    assertTrue(match.err().contains("hashes.csv:2: skipped (degenerate_pdq)"), match.err());
    assertTrue(match.err().contains("contributed nothing"), match.err());
    Run strict = run("match", "--strict", "--bank", junk.toString(), "--pdq", P1);
    assertEquals(2, strict.exit(), strict.err());
    assertTrue(strict.err().contains("hashes.csv:2"), strict.err());
  }

  @Test
  void importConvertsAProgrammeListAndExportWritesStopNcii(@TempDir Path dir) throws Exception {
    Path csv = dir.resolve("ncmec.csv");
    Run imp = run("bank", "import", FIXTURES.resolve("ncmec-page1.xml").toString(), "-o", csv.toString());
    assertEquals(0, imp.exit(), imp.err());
    assertTrue(imp.err().contains("8 read, 7 added"), imp.err());
    String text = Files.readString(csv);
    assertTrue(text.startsWith("hash,signal_type,added_at,case_id,status\n"), text);
    assertTrue(text.contains(P1 + ",pdq,2017-10-24T15:00:00Z,image1,active"), text);
    assertTrue(text.contains(",photodna,"), "foreign types travel: " + text);

    Run exp = run("bank", "export", "--to", "stopncii", csv.toString());
    assertEquals(0, exp.exit(), exp.err());
    assertTrue(exp.out().contains("\"signalType\":\"ImagePDQ\",\"hashValue\":\"" + P1 + "\""), exp.out());
    assertTrue(exp.err().contains("stopncii cannot carry; left out"), exp.err());
    Run readOnly = run("bank", "export", "--to", "ncmec", csv.toString());
    assertEquals(2, readOnly.exit());
  }

  @Test
  void diffShowsWhatASyncWouldChange(@TempDir Path dir) throws Exception {
    Run diff = run("bank", "diff", FIXTURES.resolve("stopncii-page1.json").toString(),
        FIXTURES.resolve("stopncii-page2.json").toString());
    assertEquals(0, diff.exit(), diff.err());
    assertTrue(diff.out().contains("- pdq " + P1 + " (SN-1001)"), diff.out());
    assertTrue(diff.out().contains("x video_md5 b1b1b1b1b1b1b1b1b1b1b1b1b1b1b1b1"), diff.out());
    assertTrue(diff.out().contains("0 added, 0 changed, 1 withdrawn, 1 deleted"), diff.out());
    assertTrue(diff.err().contains("unknown_status"), diff.err());

    Path old = dir.resolve("old.hma");
    Path next = dir.resolve("new.hma");
    Files.writeString(old, "pdq " + P1 + "\nmd5 0123456789abcdef0123456789abcdef\n");
    Files.writeString(next, "md5 0123456789abcdef0123456789abcdef\nsha256 " + "ab".repeat(32) + "\n");
    Run snap = run("bank", "diff", "--snapshot", old.toString(), next.toString());
    assertEquals(0, snap.exit(), snap.err());
    assertTrue(snap.out().contains("+ sha256 " + "ab".repeat(32)), snap.out());
    assertTrue(snap.out().contains("x pdq " + P1 + " (not in new.hma)"), snap.out());
    assertFalse(snap.out().contains("0123456789abcdef0123456789abcdef"), snap.out());
    assertTrue(snap.out().contains("1 added, 0 changed, 0 withdrawn, 1 deleted"), snap.out());
  }
}
