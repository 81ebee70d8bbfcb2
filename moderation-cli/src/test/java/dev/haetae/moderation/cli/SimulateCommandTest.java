package dev.haetae.moderation.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

class SimulateCommandTest {

  private static int run(StringWriter out, StringWriter err, String... args) {
    CommandLine cl = Haetae.commandLine();
    cl.setOut(new PrintWriter(out));
    cl.setErr(new PrintWriter(err));
    return cl.execute(args);
  }

  @Test
  void simulatesTheQuickstartScenarioAndWritesTheLog(@TempDir Path dir) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    int code = run(out, err, "simulate", "../examples/scenarios/quickstart.jsonl", "--log", dir.toString());
    assertEquals(0, code, err.toString());
    assertTrue(out.toString().contains("\"actions\":[\"remove\""), out.toString());
    assertTrue(out.toString().contains("\"obligation\":\"opened\""), out.toString());
    assertTrue(err.toString().contains("decisions:"), err.toString());
    assertTrue(dir.toFile().list().length > 0);
  }

  @Test
  void malformedLinesGiveExitCodeOneAndTheRestStillRuns(@TempDir Path dir) throws Exception {
    Path f = dir.resolve("bad.jsonl");
    Files.writeString(f, "{\"type\":\"tick\",\"at\":\"2026-11-21T10:00:00Z\"}\nnot json\n"
        + "{\"type\":\"content\",\"at\":\"2026-11-21T10:01:00Z\",\"content\":\"c\",\"account\":\"u\","
        + "\"surface\":\"group\",\"kind\":\"text\",\"sha256\":\"" + "ab".repeat(32) + "\"}\n");
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    assertEquals(1, run(out, err, "simulate", f.toString()));
    assertTrue(err.toString().contains("line 2"), err.toString());
    assertTrue(out.toString().contains("\"line\":3"), out.toString());
    assertEquals(2, run(new StringWriter(), new StringWriter(), "simulate", dir.resolve("none.jsonl").toString()));
  }

  @Test
  void policiesFromAFileWithAShadowComparisonAndPreciseConfigErrors(@TempDir Path dir) throws Exception {
    Path config = dir.resolve("policies.json");
    Files.writeString(config, "{\"policies\":{\"known-ncii\":{\"uncertain_action\":\"review\"}},"
        + "\"shadow\":[{\"builtin\":\"repeat-offender\",\"config\":{\"restrict_forwarding_at\":1,"
        + "\"suspend_at\":1}}]}");
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    int code = run(out, err, "simulate", "../examples/scenarios/quickstart.jsonl", "--policies", config.toString(),
        "--summary", "--log", dir.resolve("log").toString());
    assertEquals(0, code, err.toString());
    assertTrue(out.toString().contains("\"shadow\":true"), out.toString());
    assertTrue(out.toString().contains("shadow repeat-offender@1#"), out.toString());
    assertTrue(out.toString().contains("policy configuration: "), out.toString());

    Files.writeString(config, "{\"policies\":{\"repeat-offender\":{\"suspend_at\":0}}}");
    StringWriter err2 = new StringWriter();
    assertEquals(2, run(new StringWriter(), err2, "simulate", "../examples/scenarios/quickstart.jsonl", "--policies",
        config.toString()));
    assertTrue(err2.toString().contains("policies.repeat-offender.suspend_at"), err2.toString());
  }

  @Test
  void withOnErrorStopTheSummaryIsPrintedOnce(@TempDir Path dir) throws Exception {
    Path f = dir.resolve("bad.jsonl");
    Files.writeString(f, "{\"type\":\"tick\",\"at\":\"2026-11-21T10:00:00Z\"}\nnot json\n"
        + "{\"type\":\"tick\",\"at\":\"2026-11-21T10:01:00Z\"}\n");
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    assertEquals(1, run(out, err, "simulate", "--on-error", "stop", f.toString()));
    assertEquals(1, err.toString().split("decisions:", -1).length - 1, err.toString());
    assertTrue(err.toString().contains("errors: 1 (stopped at the first)"), err.toString());
  }

  @Test
  void nothingFromTheStreamReachesTheTerminalAsAControlCharacter(@TempDir Path dir) throws Exception {
    Path f = dir.resolve("ansi.jsonl");
    Files.writeString(f, "{\"type\":\"\\u001b[2J\\u001b]0;owned\\u0007\",\"at\":\"2026-11-21T10:00:00Z\"}\n"
        + "{\"type\":\"content\",\"at\":\"2026-11-21T10:01:00Z\",\"content\":\"c\\u009b1\\r\",\"account\":\"u\","
        + "\"surface\":\"group\",\"kind\":\"text\",\"sha256\":\"" + "ab".repeat(32) + "\"}\n");
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    assertEquals(1, run(out, err, "simulate", f.toString()));
    String all = out.toString() + err.toString();
    assertTrue(all.chars().noneMatch(c -> (c < 0x20 && c != '\n' && c != '\t') || (c >= 0x7f && c <= 0x9f)),
        all);
    assertTrue(err.toString().contains("\\u001b[2J"), err.toString());
    assertTrue(out.toString().contains("\"content\":\"c\\u009b1\\r\""), out.toString());
  }

  @Test
  void filesRootConfinesTheStreamsFilePaths(@TempDir Path dir) throws Exception {
    Path streams = Files.createDirectories(dir.resolve("streams"));
    Files.writeString(dir.resolve("outside.png"), "not an image");
    Path f = streams.resolve("s.jsonl");
    Files.writeString(f, "{\"type\":\"content\",\"at\":\"2026-11-21T10:01:00Z\",\"content\":\"c\","
        + "\"account\":\"u\",\"surface\":\"group\",\"kind\":\"file\",\"file\":\"../outside.png\"}\n");
    StringWriter err = new StringWriter();
    assertEquals(1, run(new StringWriter(), err, "simulate", f.toString()));
    assertTrue(err.toString().contains("line 1: file '../outside.png' leads outside"), err.toString());
    StringWriter out = new StringWriter();
    StringWriter err2 = new StringWriter();
    assertEquals(0, run(out, err2, "simulate", "--files-root", dir.toString(), f.toString()), err2.toString());
    assertTrue(out.toString().contains("\"content\":\"c\""), out.toString());
  }
}
