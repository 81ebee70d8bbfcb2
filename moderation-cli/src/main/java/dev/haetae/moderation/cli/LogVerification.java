package dev.haetae.moderation.cli;

import dev.haetae.moderation.api.DecisionLogException;
import dev.haetae.moderation.core.audit.AuditLog;
import dev.haetae.moderation.core.audit.CheckpointAnchors;
import dev.haetae.moderation.core.audit.ProgressListener;
import dev.haetae.moderation.core.audit.VerificationReport;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import picocli.CommandLine.Option;

/**
 * The options that say how a log is verified, shared by {@code verify} and by the commands that
 * make outputs from a log ({@code report}, {@code export-sor}, {@code replay}), which verify it
 * first and refuse a log that does not verify unless told to label their outputs as unverified.
 */
final class LogVerification {
  @Option(names = "--trusted-keys", paramLabel = "FILE",
      description = "checkpoint public keys to trust, in the format of the log's keys.jsonl (default: the log's own"
          + " keys.jsonl, which proves consistency but not authorship). With trusted keys, records no trusted"
          + " checkpoint covers fail when they are more, or older, than the writer's signed bounds")
  Path trustedKeys;

  @Option(names = "--anchor", paramLabel = "FILE",
      description = "a checkpoint anchor file kept outside the log directory: the log must still hold its latest"
          + " checkpoint (truncation and rollback are found)")
  Path anchor;

  /** A usage problem with these options, already described. */
  static final class Invalid extends Exception {
    private static final long serialVersionUID = 1L;

    Invalid(String message) {
      super(message, null, false, false);
    }
  }

  /**
   * The verification these options ask for.
   *
   * @throws Invalid when the keys file does not exist or holds no key, or the anchor file does
   *     not exist (a mistake of the caller, not tampering with the log)
   */
  AuditLog.Verification verification() throws Invalid {
    AuditLog.Verification v;
    if (trustedKeys == null) {
      v = AuditLog.Verification.ownKeys();
    } else {
      try {
        v = AuditLog.Verification.trusting(AuditLog.readKeys(trustedKeys));
      } catch (DecisionLogException e) {
        throw new Invalid("--trusted-keys: " + e.getMessage());
      }
    }
    if (anchor != null) {
      if (!Files.isRegularFile(anchor)) {
        throw new Invalid("--anchor: the anchor file " + anchor + " does not exist");
      }
      v = v.anchor(CheckpointAnchors.file(anchor));
    }
    return v;
  }

  /** A log opened and verified for a command, or the exit code the command returns instead. */
  record Checked(AuditLog log, VerificationReport report, int exit) {}

  /**
   * Opens and verifies a log before an output is made from it. When it does not verify: without
   * {@code allowUnverified}, says why and returns no report with exit code 1 (the command
   * refuses); with it, warns that every output is labelled as unverified and returns the report.
   * Options the caller got wrong give no report and exit code 2.
   *
   * @throws DecisionLogException when the log cannot be read (the command's own exit code 3)
   */
  Checked check(Path dir, boolean allowUnverified, String command, PrintWriter err, ProgressListener progress) {
    AuditLog.Verification v;
    try {
      v = verification();
    } catch (Invalid e) {
      err.println("haetae " + command + ": " + e.getMessage());
      return new Checked(null, null, AuditSupport.USAGE);
    }
    AuditLog log = AuditSupport.open(dir);
    VerificationReport r = log.verify(v, progress);
    if (r.ok()) {
      return new Checked(log, r, AuditSupport.OK);
    }
    if (!allowUnverified) {
      err.println("haetae " + command + ": refusing: " + r.summary() + ". Check it with 'haetae verify', or pass"
          + " --unverified to make outputs labelled as made from an unverified log.");
      return new Checked(log, null, AuditSupport.FINDINGS);
    }
    err.println("haetae " + command + ": WARNING: " + r.summary() + "; every output is labelled as unverified");
    return new Checked(log, r, AuditSupport.OK);
  }
}
