package dev.haetae.moderation.cli;

import dev.haetae.moderation.api.DecisionLogException;
import dev.haetae.moderation.core.audit.AuditLog;
import dev.haetae.moderation.core.audit.ComplianceReport;
import java.nio.file.Path;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.Optional;
import java.io.PrintWriter;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code haetae report LOG --html OUT}: the compliance report as one self-contained HTML page. */
@Command(name = "report", mixinStandardHelpOptions = true,
    description = {"Writes a compliance report as one self-contained HTML page: time to action against each"
        + " instrument's deadline, decisions per category and action, deadline breaches.",
        "The log is verified first (see haetae verify, whose --trusted-keys and --anchor it takes); a log that does"
            + " not verify is refused unless --unverified is given, and then the page says so at the top.",
        "Exit codes: 0 written, 1 written and the log has deadline breaches, or refused because the log does not"
            + " verify, 2 usage error, 3 the log cannot be read."})
final class ReportCommand extends AuditCommand {

  @Parameters(index = "0", paramLabel = "LOG",
      description = "the log directory, or a Kafka shard: kafka://host:port[,host:port]/topic?shard=N")
  Path log;

  @Option(names = "--html", required = true, paramLabel = "OUT", description = "the HTML file to write")
  Path html;

  @Option(names = "--json", paramLabel = "FILE", description = "also write the report's figures as JSON")
  Path json;

  @Mixin LogVerification verification;

  @Option(names = "--unverified",
      description = "make the report even if the log does not verify, with a warning at the top of the page")
  boolean unverified;

  @Option(names = "--as-of", paramLabel = "INSTANT",
      description = "judge open notices at this instant (ISO-8601, or 'now'); default: the last record's time")
  String asOf;


  @Override
  int execute(PrintWriter out, PrintWriter err) {
    try {
      Optional<Instant> at = asOf == null ? Optional.empty()
          : Optional.of(asOf.equals("now") ? Instant.now() : Instant.parse(asOf));
      LogVerification.Checked checked = verification.check(log, unverified,
          "report", err, progress("verify"));
      if (checked.report() == null) {
        return checked.exit();
      }
      AuditLog audit = checked.log();
      ComplianceReport r = ComplianceReport.of(audit, at, progress("report"));
      AuditSupport.write(html, r.toHtml(checked.report()));
      if (json != null) {
        AuditSupport.write(json, r.toJson(checked.report()));
      }
      out.printf("%sreport: %d records, %d instrument(s), %d breach(es) -> %s%n",
          checked.report().ok() ? "" : "UNVERIFIED ", r.records(), r.instruments().size(), r.breaches().size(), html);
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
