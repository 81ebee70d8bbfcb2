package dev.haetae.moderation.cli;

import dev.haetae.moderation.core.audit.AuditLog;
import dev.haetae.moderation.core.audit.ProgressListener;
import dev.haetae.moderation.core.audit.StatementsOfReasons;
import java.io.PrintWriter;
import java.util.List;
import java.util.Map;
import java.util.Set;
import picocli.CommandLine.Option;

/** Which statements of reasons {@code export-sor} and {@code submit-sor} make from a log. */
final class SorSelection {
  @Option(names = "--scope", split = ",", paramLabel = "CC",
      description = "territorial scope for content whose jurisdictions are unknown (default: the 30 EEA countries)")
  List<String> scope;

  @Option(names = "--law", split = ",", paramLabel = "INSTRUMENT",
      description = "only decisions under these instruments: a notice's, or an obligation the decision opened or"
          + " fulfilled (e.g. EU-DSA-16)")
  List<String> laws;

  @Option(names = "--jurisdiction", split = ",", paramLabel = "CC",
      description = "only statements whose territorial scope includes one of these EEA country codes")
  List<String> jurisdictions;

  /** The export, as the options ask. */
  StatementsOfReasons.Export export(AuditLog audit, ProgressListener progress) {
    return StatementsOfReasons.export(audit, scope == null ? StatementsOfReasons.eea() : scope,
        new StatementsOfReasons.Filter(laws == null ? Set.of() : Set.copyOf(laws),
            jurisdictions == null ? Set.of() : Set.copyOf(jurisdictions)), progress);
  }

  /** The export's counts, skips and refusals on stderr, each line prefixed with the command. */
  static void summarise(StatementsOfReasons.Export ex, String command, PrintWriter err) {
    err.printf("%s: %d restrictive decision(s), %d statement(s) exported%n", command, ex.restrictive(),
        ex.statements().size());
    for (Map.Entry<String, Long> e : ex.skipped().entrySet()) {
      err.printf("%s: skipped %d: %s%n", command, e.getValue(), e.getKey());
    }
    for (String violation : ex.violations()) {
      err.println(command + ": refused: " + violation);
    }
  }
}
