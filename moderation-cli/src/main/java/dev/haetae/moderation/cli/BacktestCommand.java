package dev.haetae.moderation.cli;

import dev.haetae.moderation.api.DecisionLogException;
import dev.haetae.moderation.api.spi.Policy;
import dev.haetae.moderation.core.audit.Backtest;
import dev.haetae.moderation.core.audit.BacktestReport;
import dev.haetae.moderation.core.policy.PolicyConfig;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.io.PrintWriter;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code haetae backtest LOG --policies ...}: what a candidate policy set would have changed. */
@Command(name = "backtest", mixinStandardHelpOptions = true,
    description = {"Runs a candidate policy set over a past decision log's recorded evidence and summarises what"
        + " would have changed: action-set transitions, more and less restrictive decisions, by category.",
        "Exit codes: 0 done (changes are a result, not a failure), 2 usage error, 3 the log cannot be read."})
final class BacktestCommand extends AuditCommand {

  @Parameters(index = "0", paramLabel = "LOG",
      description = "the log directory, or a Kafka shard: kafka://host:port[,host:port]/topic?shard=N")
  Path log;

  @Option(names = "--policies", split = ",", paramLabel = "FILE",
      description = "the candidate: a policy configuration (JSON), as for simulate (default: the built-in pack)."
          + " For old scripts, jars, class directories and 'defaults' are still taken here")
  List<String> policies = new ArrayList<>();

  @Option(names = "--plugin", split = ",", paramLabel = "JAR|DIR",
      description = "plugin jars or class directories whose policy classes the configuration names; repeatable")
  List<Path> plugins = new ArrayList<>();


  /** The candidate set: a configuration's enforcing policies, or (old form) loaded jars and the defaults. */
  private List<Policy> candidate(PrintWriter err) {
    ClassLoader loader = AuditSupport.pluginLoader(plugins);
    List<String> configs = new ArrayList<>();
    List<String> legacy = new ArrayList<>();
    for (String p : policies) {
      (AuditSupport.isConfig(p) ? configs : legacy).add(p);
    }
    if (configs.size() > 1) {
      throw new IllegalArgumentException("--policies: give one configuration file, got " + configs);
    }
    List<Policy> out = new ArrayList<>();
    if (!configs.isEmpty() || legacy.isEmpty()) {
      PolicyConfig c = AuditSupport.config(configs.isEmpty() ? null : Path.of(configs.get(0)), loader);
      out.addAll(c.builtIn());
      out.addAll(c.extra());
    }
    out.addAll(AuditSupport.loadPolicies(legacy, err));
    return out;
  }

  @Override
  int execute(PrintWriter out, PrintWriter err) {
    try {
      List<Policy> candidate = candidate(err);
      if (candidate.isEmpty()) {
        err.println("haetae backtest: the candidate set is empty");
        return AuditSupport.USAGE;
      }
      BacktestReport r = Backtest.run(AuditSupport.open(log), candidate,
          progress("backtest"));
      out.printf("%d records: %d would change (%d newly restricted, %d no longer restricted);"
          + " restrictive %d -> %d%n", r.records(), r.changed(), r.newlyRestricted(), r.noLongerRestricted(),
          r.restrictiveBefore(), r.restrictiveAfter());
      if (r.notComparable() > 0) {
        out.printf("%d records left out: their inputs were masked in the log (record format 1)%n", r.notComparable());
      }
      out.println("transitions:");
      for (Map.Entry<String, Long> e : r.transitions().entrySet()) {
        out.printf("  %6d  %s%n", e.getValue(), e.getKey());
      }
      out.println("changes by category:");
      for (Map.Entry<String, Long> e : r.byCategory().entrySet()) {
        out.printf("  %6d  %s%n", e.getValue(), e.getKey());
      }
      out.println("first changes:");
      r.examples().stream().limit(10).forEach(x -> out.println("  " + x.segment() + " seq " + x.seq() + ": "
          + x.before() + " -> " + x.after()));
      return AuditSupport.OK;
    } catch (DecisionLogException e) {
      err.println("haetae backtest: " + e.getMessage());
      return AuditSupport.UNREADABLE;
    } catch (IllegalArgumentException e) {
      err.println("haetae backtest: " + e.getMessage());
      return AuditSupport.USAGE;
    }
  }
}
