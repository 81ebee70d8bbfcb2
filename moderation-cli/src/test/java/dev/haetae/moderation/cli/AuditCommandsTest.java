package dev.haetae.moderation.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** The audit commands on a log written by {@code haetae simulate}: output and exit codes. */
class AuditCommandsTest {
  @TempDir static Path root;
  static Path log;

  private static int run(StringWriter out, StringWriter err, String... args) {
    CommandLine cl = Haetae.commandLine();
    cl.setOut(new PrintWriter(out));
    cl.setErr(new PrintWriter(err));
    return cl.execute(args);
  }

  @BeforeAll
  static void writeLog() {
    log = root.resolve("log");
    StringWriter err = new StringWriter();
    assertEquals(0, run(new StringWriter(), err, "simulate", "../examples/scenarios/quickstart.jsonl", "--log",
        log.toString()), err.toString());
  }

  @Test
  void anIntactLogVerifiesReplaysExportsAndReports() throws Exception {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    assertEquals(0, run(out, err, "verify", "--no-progress", log.toString()), err.toString());
    assertTrue(out.toString().contains("OK: "), out.toString());
    out = new StringWriter();
    assertEquals(0, run(out, err, "replay", "--no-progress", log.toString()), out + "" + err);
    assertTrue(out.toString().contains("0 diverged, 0 not replayable"), out.toString());
    Path sor = root.resolve("sor.jsonl");
    err = new StringWriter();
    assertEquals(0, run(new StringWriter(), err, "export-sor", "--no-progress", log.toString(), "--out", sor.toString(),
        "--batches", root.resolve("batches").toString()), err.toString());
    List<String> lines = Files.readAllLines(sor);
    assertTrue(lines.size() >= 1 && lines.get(0).contains("\"puid\""), lines.toString());
    Path html = root.resolve("report.html");
    int code = run(new StringWriter(), new StringWriter(), "report", "--no-progress", log.toString(), "--html",
        html.toString());
    assertTrue(code == 0 || code == 1);
    assertTrue(Files.readString(html).contains("data-chart") || Files.readString(html).contains("chart-deadlines"));
    out = new StringWriter();
    assertEquals(0, run(out, new StringWriter(), "backtest", "--no-progress", log.toString(), "--policies", "defaults"));
    assertTrue(out.toString().contains("0 would change"), out.toString());
  }

  @Test
  void aTamperedLogFailsWithExitCodeOneAndNamesSegmentAndSequence() throws Exception {
    Path copy = root.resolve("tampered");
    Files.createDirectories(copy);
    try (Stream<Path> s = Files.list(log)) {
      for (Path p : (Iterable<Path>) s::iterator) {
        Files.copy(p, copy.resolve(p.getFileName()));
      }
    }
    Path seg = copy.resolve("segment-00000000000000000000.jsonl");
    byte[] b = Files.readAllBytes(seg);
    int second = new String(b, java.nio.charset.StandardCharsets.ISO_8859_1).indexOf('\n') + 40;
    b[second] ^= 1;
    Files.write(seg, b);
    StringWriter out = new StringWriter();
    assertEquals(1, run(out, new StringWriter(), "verify", "--no-progress", copy.toString()));
    assertTrue(out.toString().contains("segment-00000000000000000000.jsonl line 2 (seq 1)"), out.toString());
    StringWriter err = new StringWriter();
    assertEquals(3, run(new StringWriter(), err, "replay", "--no-progress", copy.toString()));
    assertTrue(err.toString().contains("segment-00000000000000000000.jsonl line 2 (seq 1)"), err.toString());
  }

  @Test
  void aMissingLogIsExitCodeThreeAndMissingOptionsAreTwo() {
    StringWriter err = new StringWriter();
    assertEquals(3, run(new StringWriter(), err, "verify", root.resolve("nope").toString()));
    assertTrue(err.toString().contains("not a decision log directory"), err.toString());
    assertEquals(2, run(new StringWriter(), new StringWriter(), "report", log.toString()));
    // backtest's candidate defaults to the built-in pack; a plugin that does not exist is a usage error
    assertEquals(2, run(new StringWriter(), new StringWriter(), "backtest", log.toString(), "--plugin",
        root.resolve("no-such.jar").toString()));
  }

  @Test
  void aMissingOrEmptyTrustedKeysFileIsAUsageErrorNotTampering() throws Exception {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    Path missing = root.resolve("no-such-keys.jsonl");
    assertEquals(2, run(out, err, "verify", "--no-progress", log.toString(), "--trusted-keys", missing.toString()));
    assertTrue(err.toString().contains("--trusted-keys: the keys file " + missing + " does not exist"), err.toString());
    assertTrue(out.toString().isEmpty(), "nothing is said about the log: " + out);
    Path empty = Files.writeString(root.resolve("empty-keys.jsonl"), "");
    StringWriter err2 = new StringWriter();
    assertEquals(2, run(new StringWriter(), err2, "verify", "--no-progress", log.toString(), "--trusted-keys",
        empty.toString()));
    assertTrue(err2.toString().contains("holds no key"), err2.toString());
    StringWriter out3 = new StringWriter();
    assertEquals(0, run(out3, new StringWriter(), "verify", "--no-progress", log.toString(), "--trusted-keys",
        log.resolve("keys.jsonl").toString()));
  }
}
