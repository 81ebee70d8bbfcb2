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
}
