package dev.haetae.moderation.core.audit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.haetae.moderation.core.policy.PolicyPack;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A log written by the first record format (before effects, obligation events and typed engine
 * signals were logged: {@code haetae simulate --log} on the deepfake-rooms example, as the code
 * stood then; and the quickstart example) still verifies, and replays: its records replay identically where their inputs are in
 * the log, and the one whose policy read a caption the log masked is reported as not replayable,
 * never as diverged. That record was reported as diverged by the replay of its own time.
 */
class Format1LogTest {
  private static final List<String> FILES = List.of("checkpoints.jsonl", "keys.jsonl",
      "segment-00000000000000000000.jsonl");

  private static Path copy(Path dir) throws IOException {
    return copy(dir, "format1-deepfake-rooms");
  }

  private static Path copy(Path dir, String name) throws IOException {
    for (String f : FILES) {
      try (InputStream in = Format1LogTest.class.getResourceAsStream("/logs/" + name + "/" + f)) {
        Files.copy(in, dir.resolve(f));
      }
    }
    return dir;
  }

  /** The default pack and the retired versions that decided these logs (reports@2). */
  private static List<dev.haetae.moderation.api.spi.Policy> withRetired() {
    List<dev.haetae.moderation.api.spi.Policy> all = new java.util.ArrayList<>(PolicyPack.defaults());
    all.addAll(PolicyPack.retired());
    return all;
  }

  @Test
  void aFormatOneLogVerifiesAndReplaysWithoutADivergence(@TempDir Path tmp) throws IOException {
    AuditLog log = AuditLog.open(copy(tmp));
    VerificationReport v = log.verify();
    assertTrue(v.ok(), v.toString());
    ReplayReport r = Replayer.of(withRetired()).replay(log, ProgressListener.NONE);
    assertEquals(13, r.records());
    assertEquals(0, r.diverged(), r.findings().toString());
    assertEquals(2, r.notReplayable(), r.findings().toString());
    assertEquals(11, r.identical());
    for (ReplayReport.Finding f : r.findings()) {
      assertTrue(f.differences().get(0).contains("input masked in the log (record format 1): content.text"),
          f.differences().toString());
    }
  }

  @Test
  void aFormatOneLogWithNoticesReplaysAndIsReportedFromItsDecisions(@TempDir Path tmp) throws IOException {
    AuditLog log = AuditLog.open(copy(tmp, "format1-quickstart"));
    assertTrue(log.verify().ok());
    ReplayReport r = Replayer.of(withRetired()).replay(log, ProgressListener.NONE);
    assertEquals(8, r.records());
    assertEquals(8, r.identical(), r.findings().toString());
    // the notices' engine facts, custom signals then, are read back typed
    long[] typed = {0};
    log.forEach(ProgressListener.NONE, rec -> {
      assertEquals(1, rec.format());
      typed[0] += rec.evidence().signals(dev.haetae.moderation.api.Signal.NoticeReceipt.class).size();
    });
    assertEquals(2, typed[0], "notice receipts read back typed");
    ComplianceReport c = ComplianceReport.of(log, ProgressListener.NONE);
    assertEquals(2, c.instruments().stream().mapToLong(ComplianceReport.InstrumentStats::notices).sum(),
        "format-1 records fall back to the notices and the removals");
  }
}
