package dev.haetae.moderation.core.simulate;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.haetae.moderation.core.audit.AuditLog;
import dev.haetae.moderation.core.audit.ComplianceReport;
import dev.haetae.moderation.core.audit.DecisionLogs;
import dev.haetae.moderation.core.audit.Explanation;
import dev.haetae.moderation.core.audit.ProgressListener;
import dev.haetae.moderation.core.audit.Replayer;
import dev.haetae.moderation.core.audit.StrayConfirmation;
import dev.haetae.moderation.core.policy.PolicyPack;
import dev.haetae.moderation.api.spi.DecisionLog;
import java.io.StringReader;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A stream's {@code confirmation} events: a simulated log whose report and explanation show a
 * confirmed, a failed, an unconfirmed and two stray confirmations; malformed confirmations are line
 * errors naming the field.
 */
class SimulatorConfirmationTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String TID = "\"sender\":\"victim\",\"fields\":{\"signature\":\"s\",\"identification\":\"i\","
      + "\"location\":\"l\",\"good_faith_statement\":\"g\",\"contact\":\"c\"}";

  private static String upload(String at, String content, char hex) {
    return "{\"type\":\"content\",\"at\":\"" + at + "\",\"content\":\"" + content + "\",\"account\":\"u1\","
        + "\"room\":\"r1\",\"surface\":\"group\",\"kind\":\"image\",\"pdq\":\"" + String.valueOf(hex).repeat(64) + "\"}";
  }

  private static String notice(String at, String content) {
    return "{\"type\":\"notice\",\"at\":\"" + at + "\",\"instrument\":\"US-TAKE-IT-DOWN\",\"content\":\"" + content
        + "\"," + TID + "}";
  }

  @Test
  void confirmationsReachTheLogTheReportAndTheExplanation(@TempDir Path dir) throws Exception {
    String s = String.join("\n",
        upload("2026-11-21T10:00:00Z", "c1", '3'),
        upload("2026-11-21T10:01:00Z", "c2", '7'),
        upload("2026-11-21T10:02:00Z", "c3", 'b'),
        notice("2026-11-21T10:04:00Z", "c1"),
        notice("2026-11-21T10:05:00Z", "c2"),
        notice("2026-11-21T10:06:00Z", "c3"),
        "{\"type\":\"confirmation\",\"at\":\"2026-11-21T12:00:00Z\",\"of_line\":4,\"action\":\"remove\","
            + "\"delay\":\"PT1H\"}",
        "{\"type\":\"confirmation\",\"at\":\"2026-11-21T12:00:00Z\",\"of_line\":5,\"action\":\"remove\","
            + "\"outcome\":\"failed\",\"detail\":\"storage node down\"}",
        "{\"type\":\"confirmation\",\"at\":\"2026-11-21T12:00:00Z\",\"decision\":\"d-elsewhere\",\"action\":\"remove\"}",
        "{\"type\":\"confirmation\",\"at\":\"2026-11-21T12:00:00Z\",\"of_line\":4,\"action\":\"suspend_account\"}",
        "{\"type\":\"tick\",\"at\":\"2026-11-24T12:00:00Z\"}");
    List<JsonNode> out = new ArrayList<>();
    List<String> errors = new ArrayList<>();
    Path log = dir.resolve("log");
    Simulator.builder().engine(b -> b.decisionLog(DecisionLogs.directory(log).build()))
        .onError(Simulator.OnError.STOP).errors(errors::add).output(l -> {
          try {
            out.add(JSON.readTree(l));
          } catch (Exception e) {
            throw new AssertionError(e);
          }
        }).build().run(new StringReader(s), dir);
    assertTrue(errors.isEmpty(), errors.toString());
    String[] decisionOf = new String[12];
    for (JsonNode n : out) {
      if (n.has("decision") && n.has("actions")) {
        decisionOf[n.get("line").asInt()] = n.get("decision").asText();
      }
    }
    JsonNode first = out.stream().filter(n -> n.get("line").asInt() == 7 && n.has("actions")).findFirst()
        .orElseThrow();
    assertEquals("confirmation", first.get("type").asText());
    assertEquals(decisionOf[4], first.get("confirms").asText());
    assertEquals("remove", first.get("confirmed_action").asText());
    assertEquals("2026-11-21T11:04:00Z", first.get("action_at").asText(), "the line's time plus the delay");

    AuditLog audit = AuditLog.open(log);
    assertTrue(audit.verify().ok());
    assertTrue(Replayer.of(PolicyPack.defaults()).replay(audit, ProgressListener.NONE).allIdentical());
    ComplianceReport report = ComplianceReport.of(audit, ProgressListener.NONE);
    ComplianceReport.InstrumentStats st = report.instruments().get(0);
    assertEquals("US-TAKE-IT-DOWN", st.instrument());
    assertEquals(3, st.actioned(), st.toString());
    assertEquals(1, st.met(), "c1 confirmed an hour after its notice: " + st);
    assertEquals(2, st.unconfirmed(), "c2 failed, c3 never confirmed: " + st);
    assertEquals(2, report.strayConfirmationCount());
    assertEquals(List.of(StrayConfirmation.Problem.UNKNOWN_DECISION, StrayConfirmation.Problem.ACTION_NOT_PLANNED),
        report.strayConfirmations().stream().map(StrayConfirmation::problem).toList());

    String met = Explanation.ofDecision(audit, decisionOf[4], ProgressListener.NONE).toText();
    assertTrue(met.contains("met: decided at 2026-11-21T10:04:00Z, carried out at 2026-11-21T11:04:00Z"), met);
    assertTrue(met.contains("stray:    suspend_account carried_out"), met);
    String failed = Explanation.ofDecision(audit, decisionOf[5], ProgressListener.NONE).toText();
    assertTrue(failed.contains("host:     remove failed at 2026-11-21T12:00:00Z"), failed);
    assertTrue(failed.contains("unconfirmed: the host reported the action failed"), failed);
    String none = Explanation.ofDecision(audit, decisionOf[6], ProgressListener.NONE).toText();
    assertTrue(none.contains("unconfirmed: no host confirmation recorded"), none);
  }

  @Test
  void malformedConfirmationsAreLineErrorsNamingTheField() throws Exception {
    String s = String.join("\n",
        upload("2026-11-21T10:00:00Z", "c1", '3'),
        "{\"type\":\"tick\",\"at\":\"2026-11-21T10:01:00Z\"}",
        "{\"type\":\"confirmation\",\"at\":\"2026-11-21T10:02:00Z\",\"of_line\":2,\"action\":\"remove\"}",
        "{\"type\":\"confirmation\",\"at\":\"2026-11-21T10:02:00Z\",\"of_line\":1,\"action\":\"remove\","
            + "\"delay\":\"PT3M\"}",
        "{\"type\":\"confirmation\",\"at\":\"2026-11-21T10:02:00Z\",\"of_line\":1,\"decision\":\"d\","
            + "\"action\":\"remove\"}",
        "{\"type\":\"confirmation\",\"at\":\"2026-11-21T10:02:00Z\",\"of_line\":1,\"action\":\"erase\"}",
        "{\"type\":\"confirmation\",\"at\":\"2026-11-21T10:02:00Z\",\"of_line\":9,\"action\":\"remove\"}",
        "{\"type\":\"confirmation\",\"at\":\"2026-11-21T10:02:00Z\",\"decision\":\"d\",\"action\":\"remove\","
            + "\"delay\":\"PT1M\"}",
        "{\"type\":\"confirmation\",\"at\":\"2026-11-21T10:02:00Z\",\"of_line\":1,\"action\":\"remove\","
            + "\"delay\":\"-PT1M\"}",
        "{\"type\":\"confirmation\",\"at\":\"2026-11-21T10:02:00Z\",\"decision\":\"d\",\"action\":\"remove\","
            + "\"action_at\":\"2026-11-21T10:03:00Z\"}",
        "{\"type\":\"confirmation\",\"at\":\"2026-11-21T10:02:00Z\",\"of_line\":1,\"action\":\"remove\","
            + "\"outcome\":\"maybe\"}",
        "{\"type\":\"confirmation\",\"at\":\"2026-11-21T10:02:00Z\",\"of_line\":1,\"action\":\"remove\","
            + "\"recipient\":\"uploader\"}",
        "{\"type\":\"confirmation\",\"at\":\"2026-11-21T10:02:00Z\",\"of_line\":1,\"action\":\"notify_user\","
            + "\"recipient\":\"everyone\"}",
        "{\"type\":\"confirmation\",\"at\":\"2026-11-21T10:02:00Z\",\"of_line\":1,\"action\":\"remove\","
            + "\"delay\":\"PT1M\"}");
    List<String> errors = new ArrayList<>();
    List<JsonNode> out = new ArrayList<>();
    Simulator.builder().engine(b -> b.decisionLog(DecisionLog.DISCARD)).onError(Simulator.OnError.CONTINUE)
        .errors(errors::add).output(l -> {
          try {
            out.add(JSON.readTree(l));
          } catch (Exception e) {
            throw new AssertionError(e);
          }
        }).build().run(new StringReader(s), Path.of("."));
    List<String> expected = List.of(
        "error: line 3: of_line line 2 gave no decision",
        "error: line 4: delay puts the action after the event's own 'at'",
        "error: line 5: of_line needs exactly one of",
        "error: line 6: action has unknown value 'erase'",
        "error: line 7: of_line must be an integer from 1 to 6",
        "error: line 8: delay needs 'of_line'",
        "error: line 9: delay must not be negative",
        "error: line 10: action_at is 2026-11-21T10:03:00Z, after the event's own 'at'",
        "error: line 11: confirmation.outcome",
        "error: line 12: confirmation.recipient is only for notify_user",
        "error: line 13: recipient has unknown value 'everyone'");
    assertEquals(expected.size(), errors.size(), errors.toString());
    for (int i = 0; i < expected.size(); i++) {
      assertTrue(errors.get(i).startsWith(expected.get(i)), expected.get(i) + " / " + errors.get(i));
    }
    JsonNode last = out.get(out.size() - 1);
    assertEquals(14, last.get("line").asInt());
    assertEquals("2026-11-21T10:01:00Z", last.get("action_at").asText());
  }
}
