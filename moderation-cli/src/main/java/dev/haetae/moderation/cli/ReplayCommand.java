package dev.haetae.moderation.cli;

import dev.haetae.moderation.api.DecisionLogException;
import dev.haetae.moderation.api.spi.Policy;
import dev.haetae.moderation.core.audit.AuditLog;
import dev.haetae.moderation.core.audit.ReplayReport;
import dev.haetae.moderation.core.audit.Replayer;
import dev.haetae.moderation.core.policy.PolicyConfig;
import dev.haetae.moderation.core.policy.PolicyPack;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.io.PrintWriter;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code haetae replay LOG}: re-runs each record through its recorded policy versions. */
@Command(name = "replay", mixinStandardHelpOptions = true,
    description = {"Replays a decision log: runs each record's evidence through the exact policy versions it names"
        + " (name, version, configuration hash) and compares the decisions field by field. A record whose"
        + " policy versions are not available is reported as not replayable; nothing is guessed.",
        "Available policies: the built-in pack, the policies each configuration record of the log names (built-in"
            + " with their logged parameters; extra and shadow classes from --plugin jars), and any --policies file.",
        "The log is verified first (see haetae verify, whose --trusted-keys and --anchor it takes); a log that does"
            + " not verify is refused unless --unverified is given, and then the output says so.",
        "Exit codes: 0 all identical, 1 some diverged or were not replayable, or refused because the log does not"
            + " verify, 2 usage error, 3 the log cannot be read (the message names the segment and sequence number)."})
final class ReplayCommand extends AuditCommand {

  @Parameters(index = "0", paramLabel = "LOG",
      description = "the log directory, or a Kafka shard: kafka://host:port[,host:port]/topic?shard=N")
  Path log;

  @Option(names = "--policies", split = ",", paramLabel = "FILE",
      description = "a policy configuration (JSON) whose policies to make available too, for logs written before"
          + " the configuration was logged. For old scripts, jars and class directories are still taken here")
  List<String> policies = new ArrayList<>();

  @Option(names = "--plugin", split = ",", paramLabel = "JAR|DIR",
      description = "plugin jars or class directories whose policy classes the log's configuration names; repeatable")
  List<Path> plugins = new ArrayList<>();

  @Option(names = "--no-defaults", description = "do not make the built-in policy pack available")
  boolean noDefaults;

  @Mixin LogVerification verification;

  @Option(names = "--unverified",
      description = "replay even if the log does not verify; the output then starts and ends with UNVERIFIED")
  boolean unverified;

  @Option(names = "--show", paramLabel = "N", defaultValue = "20",
      description = "print at most N findings (default ${DEFAULT-VALUE})")
  int show;


  @Override
  int execute(PrintWriter out, PrintWriter err) {
    try {
      LogVerification.Checked checked = verification.check(log, unverified,
          "replay", err, progress("verify"));
      if (checked.report() == null) {
        return checked.exit();
      }
      AuditLog audit = checked.log();
      String label = checked.report().ok() ? "" : "UNVERIFIED: ";
      if (!checked.report().ok()) {
        out.println(label + checked.report().summary());
      }
      ClassLoader loader = AuditSupport.pluginLoader(plugins);
      List<String> specs = new ArrayList<>();
      if (!noDefaults) {
        specs.add("defaults");
      }
      List<Policy> available = new ArrayList<>();
      for (String p : policies) {
        if (AuditSupport.isConfig(p)) {
          PolicyConfig c = AuditSupport.config(Path.of(p), loader);
          available.addAll(c.builtIn());
          available.addAll(c.extra());
          available.addAll(c.shadow());
        } else {
          specs.add(p);
        }
      }
      available.addAll(AuditSupport.loadPolicies(specs, err));
      if (!noDefaults) {
        available.addAll(PolicyPack.retired()); // earlier built-in versions, for the logs they decided
      }
      available.addAll(AuditSupport.discover(loader, err));
      long t0 = System.nanoTime();
      ReplayReport r = Replayer.of(available).classLoader(loader).maxFindings(Math.max(show, 0))
          .replay(audit, progress("replay"));
      double secs = (System.nanoTime() - t0) / 1e9;
      for (ReplayReport.Finding f : r.findings()) {
        out.println(f.status() + " " + f.segment() + " seq " + f.seq() + " decision " + f.recorded().id());
        for (String d : f.differences()) {
          out.println("  " + d);
        }
      }
      if (r.findingsTruncated()) {
        out.println("(more findings not shown; raise --show)");
      }
      out.printf("%s%d records: %d identical, %d diverged, %d not replayable (%.2f s, %.0f records/s)%n", label,
          r.records(), r.identical(), r.diverged(), r.notReplayable(), secs, r.records() / Math.max(secs, 1e-9));
      return r.allIdentical() ? AuditSupport.OK : AuditSupport.FINDINGS;
    } catch (DecisionLogException e) {
      err.println("haetae replay: " + e.getMessage());
      return AuditSupport.UNREADABLE;
    } catch (IllegalArgumentException e) {
      err.println("haetae replay: " + e.getMessage());
      return AuditSupport.USAGE;
    }
  }
}
