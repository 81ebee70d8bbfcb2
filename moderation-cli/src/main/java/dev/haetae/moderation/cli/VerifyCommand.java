package dev.haetae.moderation.cli;

import dev.haetae.moderation.api.DecisionLogException;
import dev.haetae.moderation.core.audit.AuditLog;
import dev.haetae.moderation.core.audit.VerificationReport;
import java.nio.file.Path;
import java.io.PrintWriter;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Parameters;

/** {@code haetae verify LOG}: checks the hash chain, the sequence and the signed checkpoints. */
@Command(name = "verify", mixinStandardHelpOptions = true,
    description = {"Verifies a decision log: every record's hash, the hash chain across segments, the sequence"
        + " numbers and the Ed25519 checkpoint signatures. Reports the first bad record by segment, line and"
        + " sequence number.",
        "With --trusted-keys, records that no trusted checkpoint covers fail when there are more of them, or they"
            + " are older, than the bounds the writer signed into its checkpoints; with --anchor, the log must still"
            + " hold the latest checkpoint the anchor kept.",
        "Exit codes: 0 intact, 1 tampered or damaged (the first problem is printed), 2 usage error (including"
            + " a --trusted-keys file that does not exist or holds no key), 3 the log cannot be read."})
final class VerifyCommand extends AuditCommand {

  @Parameters(index = "0", paramLabel = "LOG",
      description = "the log directory, or a Kafka shard: kafka://host:port[,host:port]/topic?shard=N")
  Path log;

  @Mixin LogVerification verification;

  @Override
  int execute(PrintWriter out, PrintWriter err) {
    try {
      AuditLog.Verification v;
      try {
        v = verification.verification();
      } catch (LogVerification.Invalid e) {
        // a missing or empty keys file is the caller's mistake, not tampering with the log
        err.println("haetae verify: " + e.getMessage());
        return AuditSupport.USAGE;
      }
      AuditLog audit = AuditSupport.open(log);
      long t0 = System.nanoTime();
      VerificationReport r = audit.verify(v, progress("verify"));
      double secs = (System.nanoTime() - t0) / 1e9;
      for (VerificationReport.Recovery rec : r.recoveries()) {
        out.println("recovered: " + rec.segment() + " was cut at byte " + rec.offset() + " after a crash ("
            + rec.droppedBytes() + " unacknowledged bytes dropped, continued at seq " + rec.nextSeq() + ")");
      }
      for (String n : r.notes()) {
        out.println("note: " + n);
      }
      if (r.ok()) {
        out.printf("OK: %d records in %d segment(s), %d signed checkpoint(s) verified%s (%.2f s, %.0f records/s)%n",
            r.records(), r.segments(), r.checkpoints(), r.uncheckpointed() > 0 ? "; " + r.uncheckpointed()
                + " record(s) at the end not yet covered by a signature" : "", secs,
            r.records() / Math.max(secs, 1e-9));
        return AuditSupport.OK;
      }
      out.println("FAILED: " + r.firstProblem().orElseThrow());
      out.println(r.records() + " record(s) before it verified.");
      return AuditSupport.FINDINGS;
    } catch (DecisionLogException e) {
      err.println("haetae verify: " + e.getMessage());
      return AuditSupport.UNREADABLE;
    }
  }
}
