package dev.haetae.moderation.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** The reputation scenario files shipped in examples/scenarios, run by {@code haetae simulate}. */
class ReputationScenariosTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Set<String> RESTRICTIVE = Set.of("remove", "blur", "restrict_forwarding", "block_reupload",
      "suspend_account");

  @TempDir
  Path logDir;

  private List<JsonNode> simulate(String file) throws Exception {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    CommandLine cl = Haetae.commandLine();
    cl.setOut(new PrintWriter(out));
    cl.setErr(new PrintWriter(err));
    assertEquals(0, cl.execute("simulate", "../examples/scenarios/" + file, "--log", logDir.toString()),
        err.toString());
    assertTrue(err.toString().contains("errors: 0"), err.toString());
    List<JsonNode> lines = new ArrayList<>();
    for (String l : out.toString().split("\n")) {
      if (!l.isBlank()) {
        lines.add(JSON.readTree(l));
      }
    }
    return lines;
  }

  private static List<JsonNode> reportsOn(List<JsonNode> lines, String content) {
    List<JsonNode> out = new ArrayList<>();
    for (JsonNode n : lines) {
      if ("report".equals(n.path("type").asText()) && content.equals(n.path("content").asText())) {
        out.add(n);
      }
    }
    return out;
  }

  private static List<JsonNode> reviews(JsonNode decision) {
    List<JsonNode> out = new ArrayList<>();
    for (JsonNode a : decision.path("actions")) {
      if (a.isObject() && "review".equals(a.path("action").asText())) {
        out.add(a);
      }
    }
    return out;
  }

  private static boolean has(JsonNode decision, String action) {
    for (JsonNode a : decision.path("actions")) {
      if (a.isTextual() && a.asText().equals(action)) {
        return true;
      }
    }
    return false;
  }

  private static void assertOneFlaggedItemNoRestriction(List<JsonNode> lines) {
    List<JsonNode> reports = reportsOn(lines, "post");
    assertEquals(500, reports.size());
    List<JsonNode> queued = new ArrayList<>();
    for (JsonNode d : reports) {
      for (JsonNode a : d.path("actions")) {
        assertFalse(a.isTextual() && RESTRICTIVE.contains(a.asText()), d.toString());
      }
      queued.addAll(reviews(d));
    }
    assertEquals(1, queued.size(), queued.toString());
    assertTrue(queued.get(0).path("brigading").asBoolean(), queued.toString());
  }

  @Test
  void fastBrigadeOfFreshAccounts() throws Exception {
    assertOneFlaggedItemNoRestriction(simulate("reputation-1-fast-brigade.jsonl"));
  }

  @Test
  void slowBrigadeOfAgedAccounts() throws Exception {
    assertOneFlaggedItemNoRestriction(simulate("reputation-2-slow-brigade.jsonl"));
  }

  @Test
  void victimReportOfAnNciiBankMatchRemovesAtOnce() throws Exception {
    List<JsonNode> img = reportsOn(simulate("reputation-3-ncii-victim.jsonl"), "img");
    assertEquals(3, img.size());
    assertTrue(has(img.get(0), "remove"), img.get(0).toString());
    assertTrue(img.get(0).path("reasons").toString().contains("stopncii"), img.get(0).toString());
    assertTrue(img.get(1).path("reasons").toString().contains("already_removed"));
  }

  @Test
  void trustedFlaggerLandsAheadOfOlderOrdinaryReports() throws Exception {
    List<JsonNode> lines = simulate("reputation-4-trusted-flagger.jsonl");
    record Item(String content, int priority, String at, String lane) {}
    List<String> order = List.of("low", "normal", "high", "urgent");
    List<Item> queue = new ArrayList<>();
    for (String c : List.of("a", "b", "c")) {
      for (JsonNode d : reportsOn(lines, c)) {
        for (JsonNode r : reviews(d)) {
          queue.add(new Item(c, order.indexOf(r.path("priority").asText()), d.path("at").asText(),
              r.path("lane").asText()));
        }
      }
    }
    assertEquals(3, queue.size(), queue.toString());
    queue.sort(Comparator.comparingInt(Item::priority).reversed().thenComparing(Item::at));
    assertEquals("c", queue.get(0).content());
    assertEquals("trusted_flagger", queue.get(0).lane());
    assertTrue(queue.get(0).at().compareTo(queue.get(1).at()) > 0, "the flagger's notice is the newest");
  }

  @Test
  void misuseIsWarnedOnAReviewToldOnTheNextReportAndASuspensionIsLeftToAPerson() throws Exception {
    List<String> steps = new ArrayList<>();
    for (JsonNode d : simulate("reputation-5-misuse.jsonl")) {
      String reasons = d.path("reasons").toString();
      for (String code : List.of("reporter_warning", "reporter_warning_notice", "reporter_suspension_proposed",
          "reporter_suspended", "reporter_restored")) {
        if (reasons.contains("reports/" + code + ":")) {
          steps.add(d.path("type").asText() + ":" + code);
        }
      }
    }
    // an event stream has no person to confirm the proposal, so nothing is suspended
    assertEquals(List.of("review:reporter_warning", "report:reporter_warning_notice",
        "review:reporter_suspension_proposed"), steps);
  }
}
