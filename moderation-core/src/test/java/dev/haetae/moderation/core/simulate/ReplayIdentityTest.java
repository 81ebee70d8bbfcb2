package dev.haetae.moderation.core.simulate;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.haetae.moderation.core.audit.AuditLog;
import dev.haetae.moderation.core.audit.ComplianceReport;
import dev.haetae.moderation.core.audit.DecisionLogs;
import dev.haetae.moderation.core.audit.ProgressListener;
import dev.haetae.moderation.core.audit.Pseudonymizers;
import dev.haetae.moderation.core.audit.ReplayReport;
import dev.haetae.moderation.core.audit.Replayer;
import dev.haetae.moderation.core.engine.PolicyIsolation;
import dev.haetae.moderation.core.policy.PolicyConfig;
import dev.haetae.moderation.core.policy.PolicyPack;
import java.io.IOException;
import java.io.StringReader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The decision record's two promises, checked on seeded generated streams: every logged decision
 * replays to itself from the log alone (the policy configuration comes from the log, the caption
 * findings from the evidence), and the compliance report, which reads only the log, counts per
 * instrument what the engine's obligation events say. Quick mode runs {@value #QUICK} streams; the
 * {@code long-fuzz} profile ({@code -Dhaetae.replay.streams}) runs {@value #LONG}.
 */
class ReplayIdentityTest {
  private static final int QUICK = 300;
  private static final int LONG = 3000;
  private static final ObjectMapper JSON = new ObjectMapper();

  /** Two configurations: the defaults, and tuned built-ins with a shadow policy. */
  private static final List<PolicyConfig> CONFIGS = List.of(PolicyConfig.defaults(), PolicyConfig.parse(
      "{\"policies\":{\"repeat-offender\":{\"suspend_at\":2,\"strike_ttl\":{\"default\":\"P30D\"}},"
          + "\"doxxing\":{\"min_kinds\":1}},"
          + "\"shadow\":[{\"builtin\":\"room-escalation\",\"config\":{\"min_matches\":2}}]}"));

  @Test
  void generatedStreamsReplayIdenticallyAndTheReportMatchesTheEngine(@TempDir Path tmp) throws IOException {
    int streams = Integer.getInteger("haetae.replay.streams", QUICK);
    long decisions = 0;
    long obligations = 0;
    for (int i = 0; i < streams; i++) {
      PolicyConfig config = CONFIGS.get(i % CONFIGS.size());
      Path dir = tmp.resolve("s" + i);
      String stream = new StreamGenerator(1000 + i).stream(40);
      List<String> out = new ArrayList<>();
      Simulator sim = Simulator.builder().policies(config).onError(Simulator.OnError.CONTINUE).output(out::add)
          .errors(e -> { }).engine(b -> b.policyIsolation(PolicyIsolation.INLINE).decisionLog(
              DecisionLogs.directory(dir).pseudonymizer(Pseudonymizers.hmacSha256("k1", new byte[32])).fsync(false)
                  .build()))
          .build();
      Simulator.Summary summary = sim.run(new StringReader(stream), tmp);
      decisions += summary.decisions();
      // replay with the built-in pack only: the tuned and shadow policies come from the log
      ReplayReport r = Replayer.of(PolicyPack.defaults()).replay(AuditLog.open(dir), ProgressListener.NONE);
      assertEquals(r.records(), r.identical(), "stream " + i + " (seed " + (1000 + i) + "): " + r.findings());
      assertEquals(summary.decisions(), r.records(), "stream " + i);
      obligations += assertReportMatches(i, out, ComplianceReport.of(AuditLog.open(dir), ProgressListener.NONE));
    }
    System.out.printf("replay identity: %d streams, %d decisions, all identical; %d obligations, report = engine%n",
        streams, decisions, obligations);
    assertTrue(decisions > streams * 20L, "the streams decide: " + decisions);
    assertTrue(obligations > streams / 2, "the streams open obligations: " + obligations);
  }

  /** Compares the report's per-instrument counts with the obligation events the engine printed. */
  private static long assertReportMatches(int stream, List<String> out, ComplianceReport report) throws IOException {
    Map<String, Set<String>> opened = new TreeMap<>();
    Map<String, Set<String>> actioned = new TreeMap<>();
    Map<String, Set<String>> breached = new TreeMap<>();
    Map<String, String> instrumentOf = new HashMap<>();
    for (String line : out) {
      JsonNode n = JSON.readTree(line);
      if (!n.has("obligation")) {
        continue;
      }
      String id = n.get("id").asText();
      String ins = n.get("instrument").asText();
      instrumentOf.put(id, ins);
      switch (n.get("obligation").asText()) {
        case "opened":
          opened.computeIfAbsent(ins, k -> new HashSet<>()).add(id);
          break;
        case "fulfilled":
        case "closed":
          actioned.computeIfAbsent(ins, k -> new HashSet<>()).add(id);
          if (n.has("lateness")) {
            breached.computeIfAbsent(ins, k -> new HashSet<>()).add(id);
          }
          break;
        case "breached":
          breached.computeIfAbsent(ins, k -> new HashSet<>()).add(id);
          break;
        default:
          break;
      }
    }
    Map<String, ComplianceReport.InstrumentStats> byIns = new TreeMap<>();
    report.instruments().forEach(s -> byIns.put(s.instrument(), s));
    assertEquals(opened.keySet(), byIns.keySet(), "stream " + stream + ": instruments");
    long n = 0;
    for (Map.Entry<String, Set<String>> e : opened.entrySet()) {
      ComplianceReport.InstrumentStats s = byIns.get(e.getKey());
      String where = "stream " + stream + ", " + e.getKey();
      assertEquals(e.getValue().size(), s.notices(), where + ": obligations opened");
      assertEquals(actioned.getOrDefault(e.getKey(), Set.of()).size(), s.actioned(), where + ": actioned");
      assertEquals(breached.getOrDefault(e.getKey(), Set.of()).size(), s.breaches(), where + ": breached");
      n += s.notices();
    }
    return n;
  }

  @Test
  void theGeneratorIsDeterministic() {
    assertEquals(new StreamGenerator(7).stream(50), new StreamGenerator(7).stream(50));
  }
}
