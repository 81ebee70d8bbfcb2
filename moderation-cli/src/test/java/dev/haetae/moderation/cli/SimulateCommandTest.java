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
}
