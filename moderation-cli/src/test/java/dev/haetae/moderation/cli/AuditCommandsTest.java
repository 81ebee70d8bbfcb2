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
    // the filters: an instrument no decision was made under keeps nothing; a non-EEA country is a usage error
    err = new StringWriter();
    StringWriter filtered = new StringWriter();
    assertEquals(0, run(filtered, err, "export-sor", "--no-progress", log.toString(), "--law", "EU-DSA-99"),
        err.toString());
    assertEquals("", filtered.toString());
    assertTrue(err.toString().contains("not under the instruments asked for [EU-DSA-99]"), err.toString());
    err = new StringWriter();
    assertEquals(2, run(new StringWriter(), err, "export-sor", "--no-progress", log.toString(), "--jurisdiction", "US"));
    assertTrue(err.toString().contains("EEA country codes, got US"), err.toString());
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
    // replay, report and export verify first and refuse the log, naming the problem
    assertEquals(1, run(new StringWriter(), err, "replay", "--no-progress", copy.toString()));
    assertTrue(err.toString().contains("refusing: the log does not verify: CORRUPT_RECORD at"
        + " segment-00000000000000000000.jsonl line 2 (seq 1)"), err.toString());
  }

  @Test
  void outputsOfALogThatDoesNotVerifyAreRefusedOrLabelledUnverified() throws Exception {
    Path copy = root.resolve("tampered-outputs");
    Files.createDirectories(copy);
    try (Stream<Path> s = Files.list(log)) {
      for (Path p : (Iterable<Path>) s::iterator) {
        Files.copy(p, copy.resolve(p.getFileName()));
      }
    }
    // a forged checkpoint signature: every record still reads, but the log does not verify
    Path cps = copy.resolve("checkpoints.jsonl");
    List<String> forged = new java.util.ArrayList<>();
    for (String l : Files.readAllLines(cps)) {
      int sig = l.indexOf("\"sig\":\"") + 7;
      forged.add(l.substring(0, sig) + (l.charAt(sig) == 'A' ? 'B' : 'A') + l.substring(sig + 1));
    }
    Files.write(cps, forged);
    List<String> lines = Files.readAllLines(cps);
    Path html = root.resolve("unverified.html");
    Path sor = root.resolve("unverified-sor.jsonl");
    for (String[] args : new String[][] {
        {"report", "--no-progress", copy.toString(), "--html", html.toString()},
        {"export-sor", "--no-progress", copy.toString(), "--out", sor.toString()},
        {"replay", "--no-progress", copy.toString()}}) {
      StringWriter err = new StringWriter();
      assertEquals(1, run(new StringWriter(), err, args), args[0] + ": " + err);
      assertTrue(err.toString().contains("haetae " + args[0] + ": refusing: the log does not verify"), err.toString());
    }
    assertTrue(!Files.exists(html) && !Files.exists(sor), "nothing written from a log that does not verify");
    // with --unverified every output says so
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    int code = run(out, err, "report", "--no-progress", "--unverified", copy.toString(), "--html", html.toString());
    assertTrue(code == 0 || code == 1, err.toString());
    String page = Files.readString(html);
    assertTrue(page.contains("<p class=\"unverified\" id=\"verification\">UNVERIFIED: the log does not verify:"),
        page.substring(0, Math.min(page.length(), 3000)));
    assertTrue(!page.contains("that verified"), "the page must not claim a verified log");
    assertTrue(out.toString().startsWith("UNVERIFIED report:"), out.toString());
    assertTrue(err.toString().contains("WARNING: the log does not verify"), err.toString());
    run(new StringWriter(), new StringWriter(), "export-sor", "--no-progress", "--unverified", copy.toString(),
        "--out", sor.toString());
    for (String statement : Files.readAllLines(sor)) {
      assertTrue(statement.contains("\"unverified\":\"the log does not verify:"), statement);
    }
    StringWriter replayed = new StringWriter();
    run(replayed, new StringWriter(), "replay", "--no-progress", "--unverified", copy.toString());
    assertTrue(replayed.toString().startsWith("UNVERIFIED: the log does not verify"), replayed.toString());
    // and a log that verifies says so on its page
    Path good = root.resolve("verified.html");
    run(new StringWriter(), new StringWriter(), "report", "--no-progress", log.toString(), "--html", good.toString());
    assertTrue(Files.readString(good).contains("Generated from a decision log that verified:"));
    assertEquals(lines, Files.readAllLines(cps), "checkpoints untouched");
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

  @Test
  void aLogWhoseCheckpointsWereEmptiedFailsVerificationWithTheAuditorsKeys() throws Exception {
    Path copy = root.resolve("emptied");
    Files.createDirectories(copy);
    try (Stream<Path> s = Files.list(log)) {
      for (Path p : (Iterable<Path>) s::iterator) {
        Files.copy(p, copy.resolve(p.getFileName()));
      }
    }
    Path auditorKeys = Files.copy(log.resolve("keys.jsonl"), root.resolve("auditor-keys.jsonl"));
    Files.write(copy.resolve("checkpoints.jsonl"), new byte[0]);
    StringWriter own = new StringWriter();
    assertEquals(0, run(own, new StringWriter(), "verify", "--no-progress", copy.toString()));
    assertTrue(own.toString().contains("not yet covered by a signature"), own.toString());
    StringWriter out = new StringWriter();
    assertEquals(1, run(out, new StringWriter(), "verify", "--no-progress", copy.toString(), "--trusted-keys",
        auditorKeys.toString()));
    assertTrue(out.toString().contains("FAILED: UNSIGNED_TAIL"), out.toString());
    StringWriter err = new StringWriter();
    assertEquals(2, run(new StringWriter(), err, "verify", "--no-progress", copy.toString(), "--anchor",
        root.resolve("no-anchor.jsonl").toString()));
    assertTrue(err.toString().contains("--anchor: the anchor file"), err.toString());
  }
}
