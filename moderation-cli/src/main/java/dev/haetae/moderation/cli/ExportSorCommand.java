package dev.haetae.moderation.cli;

import dev.haetae.moderation.api.DecisionLogException;
import dev.haetae.moderation.core.audit.StatementsOfReasons;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.io.PrintWriter;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code haetae export-sor LOG}: DSA Transparency Database statements of reasons. */
@Command(name = "export-sor", mixinStandardHelpOptions = true,
    description = {"Exports every restrictive decision as a DSA Transparency Database statement of reasons (one"
        + " JSON object per line on stdout, or --out), checked against the database's rules.",
        "Exit codes: 0 exported and valid, 1 some statements break the database's rules (listed on stderr),"
            + " 2 usage error, 3 the log cannot be read."})
final class ExportSorCommand extends AuditCommand {

  @Parameters(index = "0", paramLabel = "LOG", description = "the log directory")
  Path log;

  @Option(names = "--out", paramLabel = "FILE", description = "write JSON Lines here instead of stdout")
  Path outFile;

  @Option(names = "--batches", paramLabel = "DIR",
      description = "also write API request bodies {\"statements\":[...]} of at most --batch-size statements")
  Path batches;

  @Option(names = "--batch-size", defaultValue = "100", paramLabel = "N",
      description = "statements per batch, 1..100 (default ${DEFAULT-VALUE})")
  int batchSize;

  @Option(names = "--scope", split = ",", paramLabel = "CC",
      description = "territorial scope for content whose jurisdictions are unknown (default: the 30 EEA countries)")
  List<String> scope;


  @Override
  int execute(PrintWriter out, PrintWriter err) {
    try {
      StatementsOfReasons.Export ex = StatementsOfReasons.export(AuditSupport.open(log),
          scope == null ? StatementsOfReasons.eea() : scope,
          progress("export-sor"));
      String lines = ex.statements().isEmpty() ? "" : String.join("\n", ex.statements()) + "\n";
      if (outFile == null) {
        out.print(lines);
      } else {
        AuditSupport.write(outFile, lines);
      }
      if (batches != null) {
        Files.createDirectories(batches);
        List<String> bodies = StatementsOfReasons.batches(ex.statements(), batchSize);
        for (int i = 0; i < bodies.size(); i++) {
          AuditSupport.write(batches.resolve(String.format("batch-%05d.json", i + 1)), bodies.get(i));
        }
      }
      err.printf("export-sor: %d restrictive decision(s), %d statement(s) exported%n", ex.restrictive(),
          ex.statements().size());
      for (Map.Entry<String, Long> e : ex.skipped().entrySet()) {
        err.printf("export-sor: skipped %d: %s%n", e.getValue(), e.getKey());
      }
      for (String v : ex.violations()) {
        err.println("export-sor: rule violation: " + v);
      }
      return ex.violations().isEmpty() ? AuditSupport.OK : AuditSupport.FINDINGS;
    } catch (DecisionLogException e) {
      err.println("haetae export-sor: " + e.getMessage());
      return AuditSupport.UNREADABLE;
    } catch (IllegalArgumentException e) {
      err.println("haetae export-sor: " + e.getMessage());
      return AuditSupport.USAGE;
    } catch (IOException e) {
      err.println("haetae export-sor: " + e.getMessage());
      return AuditSupport.UNREADABLE;
    }
  }
}
