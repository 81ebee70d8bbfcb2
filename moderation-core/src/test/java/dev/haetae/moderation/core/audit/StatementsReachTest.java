package dev.haetae.moderation.core.audit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.haetae.moderation.core.engine.PolicyIsolation;
import dev.haetae.moderation.core.simulate.Simulator;
import java.io.StringReader;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Statements of reasons are owed for decisions with reach in the EU/EEA: a removal of content that
 * only US or Korean users see, or one made under a US notice on content of unknown reach, is not
 * exported with all 30 EEA countries as its scope; the instrument and jurisdiction filters keep
 * what they name.
 */
class StatementsReachTest {
  private static final String BANKED = "f8f8f0cee0f4a84f06370a22038f63f0b36e2ed596621e1d33e6b39c4e9c9b22";

  private static String content(String id, String at, String jurisdictions, String pdq) {
    return "{\"type\":\"content\",\"at\":\"2026-11-21T" + at + "Z\",\"content\":\"" + id
        + "\",\"account\":\"u-" + id + "\",\"room\":\"r1\",\"surface\":\"group\",\"kind\":\"image\",\"pdq\":\"" + pdq
        + "\"" + (jurisdictions == null ? "" : ",\"jurisdictions\":[" + jurisdictions + "]") + "}\n";
  }

  private static Path log(Path dir) throws Exception {
    String other = "0f0f0f0f0f0f0f0f0f0f0f0f0f0f0f0f0f0f0f0f0f0f0f0f0f0f0f0f0f0f0f0f";
    String stream = "{\"type\":\"bank\",\"at\":\"2026-11-21T09:00:00Z\",\"op\":\"add\",\"bank\":\"stopncii\","
        + "\"category\":\"ncii\",\"pdq\":\"" + BANKED + "\"}\n"
        + content("c-de", "10:00:00", "\"DE\"", BANKED)
        + content("c-us", "10:01:00", "\"US\",\"KR\"", BANKED)
        + content("c-eu", "10:02:00", "\"EU\",\"US\"", BANKED)
        + content("c-none", "10:03:00", null, BANKED)
        + content("c-tid", "10:04:00", null, other)
        + "{\"type\":\"notice\",\"at\":\"2026-11-21T10:10:00Z\",\"instrument\":\"US-TAKE-IT-DOWN\",\"content\":\"c-tid\","
        + "\"sender\":\"victim\",\"fields\":{\"signature\":\"/s/ A.\",\"identification\":\"a photo of me\","
        + "\"location\":\"room r1\",\"good_faith_statement\":\"I did not consent\",\"contact\":\"a@example.org\"}}\n";
    Path logDir = dir.resolve("log");
    Simulator.Summary summary = Simulator.builder().onError(Simulator.OnError.STOP).output(x -> { })
        .errors(e -> { throw new AssertionError(e.toString()); })
        .engine(b -> b.policyIsolation(PolicyIsolation.INLINE).decisionLog(DecisionLogs.directory(logDir).build()))
        .build().run(new StringReader(stream), dir);
    assertEquals(6, summary.decisions());
    return logDir;
  }

  private static List<List<String>> scopes(StatementsOfReasons.Export ex) throws Exception {
    List<List<String>> out = new ArrayList<>();
    for (String s : ex.statements()) {
      List<String> scope = new ArrayList<>();
      for (JsonNode c : Frames.JSON.readTree(s).get("territorial_scope")) {
        scope.add(c.asText());
      }
      out.add(scope);
    }
    return out;
  }

  @Test
  void onlyDecisionsWithReachInTheEeaAreExportedWithTheirOwnScope(@TempDir Path dir) throws Exception {
    StatementsOfReasons.Export ex = StatementsOfReasons.export(AuditLog.open(log(dir)), StatementsOfReasons.eea(),
        ProgressListener.NONE);
    assertEquals(List.of(), ex.violations());
    assertEquals(5, ex.restrictive(), "four bank matches and the TAKE IT DOWN removal restrict");
    List<List<String>> scopes = scopes(ex);
    assertEquals(3, scopes.size(), ex.skipped().toString());
    assertEquals(List.of("DE"), scopes.get(0), "the content's own EEA jurisdiction");
    assertEquals(StatementsOfReasons.EU, scopes.get(1), "EU is the 27 member states; US is dropped");
    assertEquals(StatementsOfReasons.eea(), scopes.get(2), "unknown reach: the host's default scope");
    Map<String, Long> skipped = ex.skipped();
    assertEquals(1L, skipped.get("no EU/EEA reach: the content's jurisdictions are [KR, US]"), skipped.toString());
    assertEquals(1L, skipped.get("no EU/EEA reach: decided under [US-TAKE-IT-DOWN] on content with no jurisdiction"
        + " recorded"), skipped.toString());
  }

  @Test
  void theFiltersKeepWhatTheyName(@TempDir Path dir) throws Exception {
    AuditLog audit = AuditLog.open(log(dir));
    StatementsOfReasons.Export fr = StatementsOfReasons.export(audit, StatementsOfReasons.eea(),
        new StatementsOfReasons.Filter(Set.of(), Set.of("FR")), ProgressListener.NONE);
    assertEquals(2, fr.statements().size(), "the EU-wide and the default-scope removals reach France; DE does not");
    assertEquals(1L, fr.skipped().get("no reach in the jurisdictions asked for [FR]"), fr.skipped().toString());
    StatementsOfReasons.Export dsa = StatementsOfReasons.export(audit, StatementsOfReasons.eea(),
        new StatementsOfReasons.Filter(Set.of("EU-DSA-16"), Set.of()), ProgressListener.NONE);
    assertEquals(0, dsa.statements().size(), "no decision was made under a DSA notice");
    assertEquals(3L, dsa.skipped().get("not under the instruments asked for [EU-DSA-16]"), dsa.skipped().toString());
    assertThrows(IllegalArgumentException.class, () -> new StatementsOfReasons.Filter(Set.of(), Set.of("US")));
    assertTrue(StatementsOfReasons.europeanInstrument("EU-DSA-16"));
    assertTrue(StatementsOfReasons.europeanInstrument("DE-NETZDG-3"));
    assertTrue(!StatementsOfReasons.europeanInstrument("KR-TBA-22-5"));
  }
}
