package dev.haetae.moderation.cli;

import dev.haetae.moderation.api.DecisionLogException;
import dev.haetae.moderation.core.audit.AuditLog;
import dev.haetae.moderation.core.audit.StatementsOfReasons;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.io.PrintWriter;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code haetae export-sor LOG}: DSA Transparency Database statements of reasons. */
@Command(name = "export-sor", mixinStandardHelpOptions = true,
    description = {"Exports every restrictive decision the DSA covers (reach in the EU/EEA) as a DSA Transparency"
        + " Database statement of reasons (one JSON object per line on stdout, or --out), checked against the"
        + " database's rules (version 2 of its values); a statement the database would refuse is not written, and"
        + " each refused field is listed on stderr with the reason. Decisions on content whose jurisdictions are"
        + " all outside the EEA, or made under a"
        + " non-EEA law's instrument on content with no jurisdiction recorded, are skipped and counted.",
        "The log is verified first (see haetae verify, whose --trusted-keys and --anchor it takes); a log that does"
            + " not verify is refused unless --unverified is given, and then every statement says so.",
        "Exit codes: 0 exported and valid, 1 some statements break the database's rules (left out, listed on stderr), or"
            + " refused because the log does not verify, 2 usage error, 3 the log cannot be read."})
final class ExportSorCommand extends AuditCommand {

  @Parameters(index = "0", paramLabel = "LOG",
      description = "the log directory, or a Kafka shard: kafka://host:port[,host:port]/topic?shard=N")
  Path log;

  @Option(names = "--out", paramLabel = "FILE", description = "write JSON Lines here instead of stdout")
  Path outFile;

  @Option(names = "--batches", paramLabel = "DIR",
      description = "also write API request bodies {\"statements\":[...]} of at most --batch-size statements")
  Path batches;

  @Option(names = "--batch-size", defaultValue = "100", paramLabel = "N",
      description = "statements per batch, 1..100 (default ${DEFAULT-VALUE})")
  int batchSize;

  @Mixin LogVerification verification;

  @Option(names = "--unverified",
      description = "export even if the log does not verify; every statement then carries an \"unverified\" field"
          + " saying why (which the database does not accept, so they cannot be submitted by mistake)")
  boolean unverified;

  @Mixin SorSelection selection;

  @Override
  int execute(PrintWriter out, PrintWriter err) {
    try {
      LogVerification.Checked checked = verification.check(log, unverified,
          "export-sor", err, progress("verify"));
      if (checked.report() == null) {
        return checked.exit();
      }
      AuditLog audit = checked.log();
      StatementsOfReasons.Export ex = selection.export(audit, progress("export-sor"));
      List<String> statements = checked.report().ok() ? ex.statements()
          : labelled(ex.statements(), checked.report().summary());
      String lines = statements.isEmpty() ? "" : String.join("\n", statements) + "\n";
      if (outFile == null) {
        out.print(lines);
      } else {
        AuditSupport.write(outFile, lines);
      }
      if (batches != null) {
        Files.createDirectories(batches);
        List<String> bodies = StatementsOfReasons.batches(statements, batchSize);
        for (int i = 0; i < bodies.size(); i++) {
          AuditSupport.write(batches.resolve(String.format("batch-%05d.json", i + 1)), bodies.get(i));
        }
      }
      SorSelection.summarise(ex, "export-sor", err);
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

  /** Each statement with an {@code "unverified"} field saying why the log did not verify. */
  private static List<String> labelled(List<String> statements, String why) throws IOException {
    List<String> out = new java.util.ArrayList<>(statements.size());
    com.fasterxml.jackson.databind.ObjectMapper json = new com.fasterxml.jackson.databind.ObjectMapper();
    for (String s : statements) {
      com.fasterxml.jackson.databind.node.ObjectNode n = (com.fasterxml.jackson.databind.node.ObjectNode) json.readTree(s);
      n.put("unverified", why);
      out.add(json.writeValueAsString(n));
    }
    return out;
  }
}
