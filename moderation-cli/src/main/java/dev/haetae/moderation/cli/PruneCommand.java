package dev.haetae.moderation.cli;

import dev.haetae.moderation.api.ConfigurationException;
import dev.haetae.moderation.api.DecisionLogException;
import dev.haetae.moderation.core.audit.AuditLog;
import dev.haetae.moderation.core.audit.Retention;
import dev.haetae.moderation.core.legal.JurisdictionProfiles;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code haetae prune LOG --dry-run}: which head segments a retention duty lets go. */
@Command(name = "prune", mixinStandardHelpOptions = true,
    description = {"Plans the removal of whole segments at the head of a directory log that every applicable"
        + " instrument's minimum retention lets go: each of their records older than now minus the longest"
        + " minimum (of the jurisdiction profiles' instruments and --keep), never the open segment, an open"
        + " obligation's records or the configuration in force for the records kept.",
        "Only --dry-run is available: it lists the segments and why the next one stays, and changes nothing."
            + " Removal through a signed prune record that verify accepts is not built yet.",
        "Exit codes: 0 planned, 2 usage error, 3 the log or the profiles cannot be read."})
final class PruneCommand extends AuditCommand {

  @Parameters(index = "0", paramLabel = "LOG", description = "a directory log")
  Path log;

  @Option(names = "--dry-run", required = true, description = "list what may go; change nothing")
  boolean dryRun;

  @Option(names = "--profiles", paramLabel = "FILE", description = "jurisdiction profiles overriding the bundled"
      + " ones (their instruments all apply)")
  Path profiles;

  @Option(names = "--keep", paramLabel = "DURATION", defaultValue = "PT0S",
      description = "the host's own minimum retention, ISO-8601 (e.g. P5Y); default ${DEFAULT-VALUE}")
  String keep;

  @Option(names = "--now", paramLabel = "INSTANT", description = "plan as of this instant (default: the clock)")
  String now;

  Clock clock = Clock.systemUTC();

  @Override
  int execute(PrintWriter out, PrintWriter err) {
    Duration floor;
    Instant at;
    try {
      floor = Duration.parse(keep);
      at = now == null ? clock.instant() : Instant.parse(now);
    } catch (DateTimeParseException e) {
      err.println("haetae prune: --keep takes an ISO-8601 duration such as P5Y, --now an instant such as"
          + " 2029-01-01T00:00:00Z: " + e.getParsedString());
      return AuditSupport.USAGE;
    }
    if (floor.isNegative()) {
      err.println("haetae prune: --keep must not be negative");
      return AuditSupport.USAGE;
    }
    try {
      JurisdictionProfiles p = profiles == null ? JurisdictionProfiles.bundled()
          : JurisdictionProfiles.bundled().overriddenBy(JurisdictionProfiles.load(profiles));
      Retention.Plan plan = Retention.plan(AuditLog.open(log), p.instruments().values(), floor, at,
          progress("prune"));
      out.println("retention " + plan.rule().substring(plan.rule().lastIndexOf("= ") + 2) + ": " + plan.rule());
      out.println("cutoff " + plan.cutoff() + " (records before it may go)");
      for (Retention.Segment s : plan.removable()) {
        out.println("would remove " + s.name() + "  seq " + s.firstSeq() + ".." + s.lastSeq() + "  newest "
            + s.newest() + "  last hash " + s.lastHash());
      }
      out.println(plan.removable().size() + " segment(s) may go; "
          + (plan.keptBecause().isEmpty() ? "the log is empty" : "kept from here: " + plan.keptBecause()));
      return AuditSupport.OK;
    } catch (DecisionLogException | ConfigurationException e) {
      err.println("haetae prune: " + e.getMessage());
      return AuditSupport.UNREADABLE;
    }
  }
}
