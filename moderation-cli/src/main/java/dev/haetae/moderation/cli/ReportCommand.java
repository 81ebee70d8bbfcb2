package dev.haetae.moderation.cli;

import dev.haetae.moderation.api.DecisionLogException;
import dev.haetae.moderation.core.audit.ComplianceReport;
import java.nio.file.Path;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.Optional;
import java.io.PrintWriter;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code haetae report LOG --html OUT}: the compliance report as one self-contained HTML page. */
@Command(name = "report", mixinStandardHelpOptions = true,
    description = {"Writes a compliance report as one self-contained HTML page: time to action against each"
        + " instrument's deadline, decisions per category and action, deadline breaches.",
        "Exit codes: 0 written, 1 written and the log has deadline breaches, 2 usage error, 3 the log cannot be"
            + " read."})
final class ReportCommand extends AuditCommand {

  @Parameters(index = "0", paramLabel = "LOG", description = "the log directory")
  Path log;

  @Option(names = "--html", required = true, paramLabel = "OUT", description = "the HTML file to write")
  Path html;

  @Option(names = "--json", paramLabel = "FILE", description = "also write the report's figures as JSON")
  Path json;

  @Option(names = "--as-of", paramLabel = "INSTANT",
      description = "judge open notices at this instant (ISO-8601, or 'now'); default: the last record's time")
  String asOf;


  @Override
  int execute(PrintWriter out, PrintWriter err) {
    try {
      Optional<Instant> at = asOf == null ? Optional.empty()
          : Optional.of(asOf.equals("now") ? Instant.now() : Instant.parse(asOf));
      ComplianceReport r = ComplianceReport.of(AuditSupport.open(log), at,
          progress("report"));
      AuditSupport.write(html, r.toHtml());
      if (json != null) {
        AuditSupport.write(json, r.toJson());
      }
      out.printf("report: %d records, %d instrument(s), %d breach(es) -> %s%n", r.records(),
          r.instruments().size(), r.breaches().size(), html);
      return r.breaches().isEmpty() ? AuditSupport.OK : AuditSupport.FINDINGS;
    } catch (DecisionLogException e) {
      err.println("haetae report: " + e.getMessage());
      return AuditSupport.UNREADABLE;
    } catch (DateTimeParseException e) {
      err.println("haetae report: --as-of is not an ISO-8601 instant: " + asOf);
      return AuditSupport.USAGE;
    }
  }
}
