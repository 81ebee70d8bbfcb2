package dev.haetae.moderation.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** {@code haetae explain}: the quickstart's TAKE IT DOWN removal explained from its log. */
class ExplainCommandTest {
  private static final Path QUICKSTART = Path.of("../examples/scenarios/quickstart.jsonl");

  private static int run(StringWriter out, StringWriter err, String... args) {
    CommandLine cl = Haetae.commandLine();
    cl.setOut(new PrintWriter(out));
    cl.setErr(new PrintWriter(err));
    return cl.execute(args);
  }

  @Test
  void aNoticeDecisionIsExplainedAndBadQueriesAreUsageErrors(@TempDir Path dir) throws Exception {
    Path log = dir.resolve("log");
    StringWriter sim = new StringWriter();
    assertEquals(0, run(sim, new StringWriter(), "simulate", QUICKSTART.toString(), "--log", log.toString()));
    String decision = null;
    ObjectMapper json = new ObjectMapper();
    for (String line : sim.toString().split("\n")) {
      JsonNode n = json.readTree(line);
      if (n.has("decision") && "notice".equals(n.path("type").asText())) {
        decision = n.get("decision").asText();
        break;
      }
    }
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    assertEquals(0, run(out, err, "explain", "--no-progress", log.toString(), "--decision", decision), err.toString());
    assertTrue(out.toString().contains("request:  notice"), out.toString());
    assertTrue(out.toString().contains("Obligations"), out.toString());
    out = new StringWriter();
    assertEquals(0, run(out, new StringWriter(), "explain", "--no-progress", log.toString(), "--decision", decision,
        "--json"));
    assertTrue(json.readTree(out.toString()).get("decisions").size() >= 2, out.toString());
    err = new StringWriter();
    assertEquals(2, run(new StringWriter(), err, "explain", "--no-progress", log.toString(), "--content", "nope"));
    assertTrue(err.toString().contains("no decision about content nope"), err.toString());
    assertEquals(2, run(new StringWriter(), new StringWriter(), "explain", "--no-progress", log.toString()),
        "--decision or --content is required");
  }

  /**
   * A simulated day with the host's confirmations ({@code confirmation} events): {@code explain}
   * shows a confirmed and a failed removal, {@code --stray} lists the confirmation of a decision the
   * log does not hold, and the report counts it.
   */
  @Test
  void confirmationsOfASimulatedDayAreExplainedAndStrayOnesListed(@TempDir Path dir) throws Exception {
    String tid = "\"sender\":\"victim\",\"fields\":{\"signature\":\"s\",\"identification\":\"i\","
        + "\"location\":\"l\",\"good_faith_statement\":\"g\",\"contact\":\"c\"}";
    String stream = String.join("\n",
        "{\"type\":\"content\",\"at\":\"2026-11-21T10:00:00Z\",\"content\":\"c1\",\"account\":\"u1\","
            + "\"surface\":\"group\",\"kind\":\"image\",\"pdq\":\"" + "3".repeat(64) + "\"}",
        "{\"type\":\"content\",\"at\":\"2026-11-21T10:01:00Z\",\"content\":\"c2\",\"account\":\"u1\","
            + "\"surface\":\"group\",\"kind\":\"image\",\"pdq\":\"" + "7".repeat(64) + "\"}",
        "{\"type\":\"notice\",\"at\":\"2026-11-21T10:04:00Z\",\"instrument\":\"US-TAKE-IT-DOWN\","
            + "\"content\":\"c1\"," + tid + "}",
        "{\"type\":\"notice\",\"at\":\"2026-11-21T10:05:00Z\",\"instrument\":\"US-TAKE-IT-DOWN\","
            + "\"content\":\"c2\"," + tid + "}",
        "{\"type\":\"confirmation\",\"at\":\"2026-11-21T12:00:00Z\",\"of_line\":3,\"action\":\"remove\","
            + "\"delay\":\"PT1H\"}",
        "{\"type\":\"confirmation\",\"at\":\"2026-11-21T12:00:00Z\",\"of_line\":4,\"action\":\"remove\","
            + "\"outcome\":\"failed\"}",
        "{\"type\":\"confirmation\",\"at\":\"2026-11-21T12:00:00Z\",\"decision\":\"d-elsewhere\","
            + "\"action\":\"remove\"}",
        "");
    Path file = dir.resolve("day.jsonl");
    java.nio.file.Files.writeString(file, stream);
    Path log = dir.resolve("log");
    StringWriter sim = new StringWriter();
    StringWriter simErr = new StringWriter();
    assertEquals(0, run(sim, simErr, "simulate", file.toString(), "--log", log.toString()), simErr.toString());
    ObjectMapper json = new ObjectMapper();
    String first = null;
    String second = null;
    for (String line : sim.toString().split("\n")) {
      JsonNode n = json.readTree(line);
      if (n.has("actions") && n.get("line").asInt() == 3) {
        first = n.get("decision").asText();
      } else if (n.has("actions") && n.get("line").asInt() == 4) {
        second = n.get("decision").asText();
      }
    }
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    assertEquals(0, run(out, err, "explain", "--no-progress", log.toString(), "--decision", first), err.toString());
    assertTrue(out.toString().contains("met: decided at 2026-11-21T10:04:00Z, carried out at 2026-11-21T11:04:00Z"),
        out.toString());
    out = new StringWriter();
    assertEquals(0, run(out, new StringWriter(), "explain", "--no-progress", log.toString(), "--decision", second));
    assertTrue(out.toString().contains("unconfirmed: the host reported the action failed"), out.toString());
    out = new StringWriter();
    assertEquals(0, run(out, new StringWriter(), "explain", "--no-progress", log.toString(), "--stray"));
    assertTrue(out.toString().startsWith("1 stray confirmation(s)\n"), out.toString());
    assertTrue(out.toString().contains("for decision d-elsewhere: the log holds no earlier decision"), out.toString());
    out = new StringWriter();
    assertEquals(0, run(out, new StringWriter(), "explain", "--no-progress", log.toString(), "--stray", "--json"));
    JsonNode strays = json.readTree(out.toString());
    assertEquals(1, strays.size());
    assertEquals("unknown_decision", strays.get(0).get("problem").asText());
    assertEquals("d-elsewhere", strays.get(0).get("decision").asText());
    Path html = dir.resolve("report.html");
    assertEquals(0, run(new StringWriter(), new StringWriter(), "report", "--no-progress", log.toString(), "--html",
        html.toString()));
    assertTrue(java.nio.file.Files.readString(html).contains("<b id=\"stray-count\">1</b>"));
  }
}
