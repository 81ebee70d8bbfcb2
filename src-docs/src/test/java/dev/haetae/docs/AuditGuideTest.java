package dev.haetae.docs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.haetae.moderation.api.AccountId;
import dev.haetae.moderation.api.Action;
import dev.haetae.moderation.api.ActionConfirmation;
import dev.haetae.moderation.api.ContentEvent;
import dev.haetae.moderation.api.ContentId;
import dev.haetae.moderation.api.ContentKind;
import dev.haetae.moderation.api.DecisionId;
import dev.haetae.moderation.api.LegalNotice;
import dev.haetae.moderation.api.NoticeSender;
import dev.haetae.moderation.api.RoomId;
import dev.haetae.moderation.api.Surface;
import dev.haetae.moderation.api.spi.DecisionLog;
import dev.haetae.moderation.core.audit.AuditLog;
import dev.haetae.moderation.core.audit.CheckpointAnchors;
import dev.haetae.moderation.core.audit.ComplianceReport;
import dev.haetae.moderation.core.audit.DecisionLogs;
import dev.haetae.moderation.core.audit.Explanation;
import dev.haetae.moderation.core.audit.ProgressListener;
import dev.haetae.moderation.core.audit.Pseudonymizers;
import dev.haetae.moderation.core.audit.ReplayReport;
import dev.haetae.moderation.core.audit.Replayer;
import dev.haetae.moderation.core.audit.StatementsOfReasons;
import dev.haetae.moderation.core.audit.StrayConfirmation;
import dev.haetae.moderation.core.audit.VerificationReport;
import dev.haetae.moderation.core.engine.ModerationEngine;
import dev.haetae.moderation.core.engine.PolicyIsolation;
import dev.haetae.moderation.core.policy.PolicyPack;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PublicKey;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The audit guide's examples, compiled and run. */
class AuditGuideTest {

  @Test
  void writeVerifyReplayExport(@TempDir Path dir) throws Exception {
    Path logDir = dir.resolve("log");
    byte[] pseudonymKey = "a secret from your key store!!!".getBytes(StandardCharsets.UTF_8);
    KeyPair checkpointKeys = KeyPairGenerator.getInstance("Ed25519").generateKeyPair();
    Clock clock = Clock.fixed(Instant.parse("2026-11-21T10:00:00Z"), ZoneOffset.UTC);
    Path anchorFile = Files.createDirectories(dir.resolve("another-volume")).resolve("anchor.jsonl");
    // region configure
    DecisionLog log = DecisionLogs.directory(logDir)
        .pseudonymizer(Pseudonymizers.hmacSha256("pseudonyms-2026", pseudonymKey))
        .signingKey("checkpoints-2026", checkpointKeys)   // give the public key to your auditors
        .checkpointAnchor(CheckpointAnchors.file(anchorFile)) // where whoever can write the log cannot
        .keepText("account.organisation")                 // every other free-text field stays masked
        .build();
    ModerationEngine engine = ModerationEngine.builder()
        .clock(clock)
        .policyIsolation(PolicyIsolation.INLINE)
        .decisionLog(log)                                  // the engine appends before it acts
        .build();
    // endregion
    String removalId;
    try {
      engine.evaluate(ContentEvent.upload(ContentId.of("c1"), AccountId.of("u1"), RoomId.of("r1"), Surface.GROUP,
          ContentKind.FILE, "not an image".getBytes(StandardCharsets.UTF_8)));
      removalId = engine.evaluate(new LegalNotice("n1", "US-TAKE-IT-DOWN", ContentId.of("c1"), NoticeSender.VICTIM,
          Map.of("signature", "s", "identification", "i", "location", "l", "good_faith_statement", "g",
              "contact", "c"), clock.instant())).id().value();
      // region confirm
      // the host's storage deleted the file: say so, as a logged request (reports count "met" from it)
      engine.evaluate(ActionConfirmation.carriedOut(DecisionId.of(removalId), Action.Kind.REMOVE, clock.instant()));
      // endregion
    } finally {
      engine.close();
      log.close();
    }
    Map<String, PublicKey> trustedKeys = Map.of("checkpoints-2026", checkpointKeys.getPublic());
    // region verify
    AuditLog audit = AuditLog.open(logDir);
    VerificationReport verified = audit.verify(AuditLog.Verification.trusting(trustedKeys)
        .anchor(CheckpointAnchors.file(anchorFile)), ProgressListener.NONE);
    if (!verified.ok()) {
      // e.g. "CORRUPT_RECORD at segment-00000000000000000000.jsonl line 2 (seq 1): record hash mismatch"
      throw new IllegalStateException(verified.firstProblem().orElseThrow().toString());
    }
    // endregion
    assertEquals(4, verified.records());     // the configuration record, the two decisions, the confirmation
    // region replay
    ReplayReport replay = Replayer.of(PolicyPack.defaults()).replay(audit, ProgressListener.NONE);
    for (ReplayReport.Finding f : replay.findings()) {     // DIVERGED or NOT_REPLAYABLE, never guessed
      System.out.println(f.status() + " seq " + f.seq() + ": " + f.differences());
    }
    // endregion
    assertTrue(replay.allIdentical(), replay.toString());
    // region export
    StatementsOfReasons.Export sor = StatementsOfReasons.export(audit, StatementsOfReasons.eea(),
        ProgressListener.NONE);
    List<String> requestBodies = StatementsOfReasons.batches(sor.statements(), StatementsOfReasons.MAX_BATCH);
    Files.writeString(dir.resolve("report.html"),       // the page says what the verification found
        ComplianceReport.of(audit, ProgressListener.NONE).toHtml(verified));
    // endregion
    assertTrue(sor.violations().isEmpty(), sor.violations().toString());
    assertEquals(sor.statements().isEmpty() ? 0 : 1, requestBodies.size());
    // region explain
    Explanation why = Explanation.ofDecision(audit, removalId, ProgressListener.NONE);
    System.out.println(why.toText());   // decisions in order, reasons, grounds, policy versions, deadlines met
    // endregion
    assertEquals(2, why.decisions());
    // region stray
    for (StrayConfirmation stray : Explanation.strayConfirmations(audit, ProgressListener.NONE)) {
      System.out.println(stray.describe());   // names a decision the log lacks, or an action it did not plan
    }
    // endregion
    assertTrue(Explanation.strayConfirmations(audit, ProgressListener.NONE).isEmpty(),
        "the guide's one confirmation names the removal's decision and action");
    assertTrue(why.toText().contains("met: decided at 2026-11-21T10:00:00Z, carried out at 2026-11-21T10:00:00Z"),
        why.toText());
  }
}
