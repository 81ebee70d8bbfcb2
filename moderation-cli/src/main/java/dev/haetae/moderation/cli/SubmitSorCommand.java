package dev.haetae.moderation.cli;

import dev.haetae.moderation.api.DecisionLogException;
import dev.haetae.moderation.core.audit.StatementsOfReasons;
import dev.haetae.moderation.core.audit.SorSubmission;
import java.io.IOException;
import java.io.PrintWriter;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code haetae submit-sor LOG --endpoint URL --token-file F}: statements of reasons to the database. */
@Command(name = "submit-sor", mixinStandardHelpOptions = true,
    description = {"Submits the statements of reasons export-sor would write to the DSA Transparency Database's"
        + " API (POST /api/v1/statements, at most 100 per call, the token from --token-file as bearer token)."
        + " Resumable and idempotent: each accepted statement's puid is appended to the checkpoint file and not"
        + " sent again; a puid the database already holds counts as submitted. 429 and 5xx answers are retried"
        + " with backoff; each refused statement is listed on stderr with the server's reasons.",
        "The log is verified first (see haetae verify, whose --trusted-keys and --anchor it takes); a log that"
            + " does not verify is never submitted.",
        "Exit codes: 0 every statement submitted (or already there), 1 some statements refused (by the export's"
            + " checks or by the database) or the log does not verify, 2 usage error, 3 the log or the checkpoint"
            + " cannot be read, 4 the submission stopped (token refused, unexpected answer, retries exhausted):"
            + " run again to resume."})
final class SubmitSorCommand extends AuditCommand {
  /** The submission stopped before the end: the checkpoint keeps what was accepted. */
  static final int STOPPED = 4;

  @Parameters(index = "0", paramLabel = "LOG", description = "the log directory")
  Path log;

  @Option(names = "--endpoint", required = true, paramLabel = "URL",
      description = "the database's base URL, e.g. https://transparency.dsa.ec.europa.eu (or the full URL of"
          + " /api/v1/statements)")
  String endpoint;

  @Option(names = "--token-file", required = true, paramLabel = "FILE",
      description = "a file holding the API token (first line); keep it readable by you only")
  Path tokenFile;

  @Option(names = "--checkpoint", defaultValue = "submit-sor.checkpoint", paramLabel = "FILE",
      description = "the puids already accepted, one a line, appended as the database accepts them"
          + " (default ${DEFAULT-VALUE})")
  Path checkpoint;

  @Option(names = "--batch-size", defaultValue = "100", paramLabel = "N",
      description = "statements per call, 1..100 (default ${DEFAULT-VALUE})")
  int batchSize;

  @Option(names = "--max-attempts", defaultValue = "8", paramLabel = "N",
      description = "attempts per call on 429, 5xx or connection failures before stopping (default ${DEFAULT-VALUE})")
  int maxAttempts;

  @Mixin LogVerification verification;

  @Mixin SorSelection selection;

  @Override
  int execute(PrintWriter out, PrintWriter err) {
    SorSubmission submission;
    try {
      String token = Files.readAllLines(tokenFile, StandardCharsets.UTF_8).stream().findFirst().orElse("").strip();
      submission = SorSubmission.builder(new URI(endpoint), token, checkpoint).batchSize(batchSize)
          .maxAttempts(maxAttempts).build();
    } catch (NoSuchFileException e) {
      err.println("haetae submit-sor: no token file " + tokenFile);
      return AuditSupport.USAGE;
    } catch (IOException e) {
      err.println("haetae submit-sor: cannot read the token file: " + e.getMessage());
      return AuditSupport.USAGE;
    } catch (URISyntaxException | IllegalArgumentException e) {
      err.println("haetae submit-sor: " + e.getMessage());
      return AuditSupport.USAGE;
    }
    try {
      LogVerification.Checked checked = verification.check(log, false, "submit-sor", err, progress("verify"));
      if (checked.report() == null) {
        return checked.exit();
      }
      StatementsOfReasons.Export ex = selection.export(checked.log(), progress("submit-sor"));
      SorSelection.summarise(ex, "submit-sor", err);
      SorSubmission.Result r = submission.submit(ex.statements());
      err.printf("submit-sor: %d accepted, %d already in the database, %d skipped (in the checkpoint), %d refused,"
          + " %d request(s) to %s%n", r.accepted(), r.alreadyPresent(), r.skipped(), r.refused().size(), r.requests(),
          submission.endpoint());
      for (SorSubmission.Refusal x : r.refused()) {
        for (Map.Entry<String, List<String>> f : x.reasons().entrySet()) {
          err.println("submit-sor: refused by the database: " + x.puid() + ": " + f.getKey() + ": "
              + String.join(" ", f.getValue()));
        }
      }
      return r.refused().isEmpty() && ex.violations().isEmpty() ? AuditSupport.OK : AuditSupport.FINDINGS;
    } catch (SorSubmission.SubmissionException e) {
      err.println("haetae submit-sor: stopped: " + e.getMessage() + " (the checkpoint " + checkpoint
          + " keeps what was accepted; run again to resume)");
      return STOPPED;
    } catch (DecisionLogException e) {
      err.println("haetae submit-sor: " + e.getMessage());
      return AuditSupport.UNREADABLE;
    } catch (IllegalArgumentException e) {
      err.println("haetae submit-sor: " + e.getMessage());
      return AuditSupport.USAGE;
    } catch (IOException e) {
      err.println("haetae submit-sor: " + e.getMessage());
      return AuditSupport.UNREADABLE;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      err.println("haetae submit-sor: interrupted (run again to resume)");
      return STOPPED;
    }
  }
}
