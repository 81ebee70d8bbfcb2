package dev.haetae.moderation.core.simulate;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.haetae.moderation.api.spi.DecisionLog;
import java.io.StringReader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SimulatorTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String PDQ = "f8f8f0cee0f4a84f06370a22038f63f0b36e2ed596621e1d33e6b39c4e9c9b22";

  private static List<JsonNode> run(String stream, Simulator.OnError mode, List<String> errors) throws Exception {
    List<JsonNode> out = new ArrayList<>();
    Simulator sim = Simulator.builder().engine(b -> b.decisionLog(DecisionLog.DISCARD)).onError(mode)
        .output(l -> {
          try {
            out.add(JSON.readTree(l));
          } catch (Exception e) {
            throw new AssertionError(e);
          }
        }).errors(errors::add).build();
    sim.run(new StringReader(stream), Path.of("."));
    return out;
  }

  @Test
  void decisionsAndObligationsArePrintedInTheDocumentedForm() throws Exception {
    String s = String.join("\n",
        "{\"type\":\"bank\",\"at\":\"2026-11-21T09:00:00Z\",\"op\":\"add\",\"bank\":\"stopncii\",\"category\":\"ncii\","
            + "\"pdq\":\"" + PDQ + "\"}",
        "{\"type\":\"content\",\"at\":\"2026-11-21T10:00:00Z\",\"content\":\"c1\",\"account\":\"u1\",\"room\":\"r1\","
            + "\"surface\":\"group\",\"kind\":\"image\",\"pdq\":\"" + PDQ + "\",\"unknown_field\":1}",
        "",
        "{\"type\":\"notice\",\"at\":\"2026-11-21T10:10:00Z\",\"instrument\":\"EU-DSA-16\",\"content\":\"c9\","
            + "\"sender\":\"user\",\"fields\":{\"explanation\":\"x\",\"location\":\"c9\",\"name\":\"n\",\"email\":\"e\","
            + "\"good_faith_statement\":\"y\"}}",
        "{\"type\":\"tick\",\"at\":\"2026-11-24T12:00:00Z\"}");
    List<String> errors = new ArrayList<>();
    List<JsonNode> out = run(s, Simulator.OnError.STOP, errors);
    assertTrue(errors.isEmpty(), errors.toString());
    JsonNode d = out.get(0);
    assertEquals(2, d.get("line").asInt());
    assertEquals("c1", d.get("content").asText());
    assertEquals("remove", d.get("actions").get(0).asText());
    assertFalse(d.get("shadow").asBoolean());
    JsonNode opened = out.stream().filter(n -> n.has("obligation")).findFirst().orElseThrow();
    assertEquals("opened", opened.get("obligation").asText());
    assertEquals("EU-DSA-16", opened.get("instrument").asText());
    JsonNode review = out.stream().filter(n -> n.has("actions") && n.get("line").asInt() == 4).findFirst()
        .orElseThrow();
    assertEquals("review", review.get("actions").get(0).get("action").asText());
    assertEquals("urgent", review.get("actions").get(0).get("priority").asText());
    assertEquals("breached", out.get(out.size() - 1).get("obligation").asText());
    assertEquals(5, out.get(out.size() - 1).get("line").asInt());
  }

  @Test
  void malformedLinesNameTheirLineAndTheStreamContinuesOrStops() throws Exception {
    String s = String.join("\n",
        "{\"type\":\"content\",\"at\":\"2026-11-21T10:00:00Z\",\"content\":\"c1\",\"account\":\"u1\","
            + "\"surface\":\"group\",\"kind\":\"image\",\"pdq\":\"" + PDQ + "\"}",
        "{not json",
        "{\"type\":\"report\",\"at\":\"2026-11-21T10:01:00Z\",\"content\":\"c1\",\"category\":\"ncii\"}",
        "{\"type\":\"content\",\"at\":\"2026-11-21T10:02:00Z\",\"content\":\"c2\",\"account\":\"u1\","
            + "\"surface\":\"forum\",\"kind\":\"image\",\"pdq\":\"" + PDQ + "\"}",
        "{\"type\":\"tick\",\"at\":\"2026-11-21T09:00:00Z\"}",
        "{\"type\":\"report\",\"at\":\"2026-11-21T10:03:00Z\",\"reporter\":\"u2\",\"content\":\"c1\","
            + "\"category\":\"ncii\"}");
    List<String> errors = new ArrayList<>();
    List<JsonNode> out = run(s, Simulator.OnError.CONTINUE, errors);
    assertEquals(4, errors.size(), errors.toString());
    assertTrue(errors.get(0).contains("line 2") && errors.get(0).contains("not valid JSON"), errors.get(0));
    assertTrue(errors.get(1).contains("line 3: reporter") && errors.get(1).contains("required"), errors.get(1));
    assertTrue(errors.get(2).contains("line 4") && errors.get(2).contains("forum"), errors.get(2));
    assertTrue(errors.get(3).contains("line 5: at") && errors.get(3).contains("earlier"), errors.get(3));
    assertEquals(2, out.size(), "lines 1 and 6 were decided");

    List<String> stopErrors = new ArrayList<>();
    List<JsonNode> stopped = run(s, Simulator.OnError.STOP, stopErrors);
    assertEquals(1, stopped.size());
    assertTrue(stopErrors.get(0).contains("line 2"));
  }

  @Test
  void theShippedQuickstartScenarioRuns(@TempDir Path dir) throws Exception {
    Path scenario = Path.of("../examples/scenarios/quickstart.jsonl");
    assertTrue(Files.exists(scenario));
    List<String> out = new ArrayList<>();
    Simulator.Summary s = Simulator.builder().engine(b -> b.logDirectory(dir)).output(out::add).build()
        .run(scenario);
    assertTrue(s.errors().isEmpty(), s.errors().toString());
    assertTrue(s.actions().get("remove") >= 2, s.describe());
    assertThrows(java.io.UncheckedIOException.class, () -> Simulator.builder().build().run(dir.resolve("missing")));
  }
}
