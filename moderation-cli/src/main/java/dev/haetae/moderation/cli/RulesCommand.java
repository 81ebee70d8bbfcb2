package dev.haetae.moderation.cli;

import dev.haetae.moderation.api.spi.Policy;
import dev.haetae.moderation.core.policy.PolicyConfig;
import dev.haetae.moderation.rules.RuleTests;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/** {@code haetae rules check|test}: the authoring loop for CEL rules, with no Java build. */
@Command(name = "rules", mixinStandardHelpOptions = true,
    description = "Check and test the CEL rules of a policy configuration (see the rules guide).",
    subcommands = {RulesCommand.Check.class, RulesCommand.Test.class})
final class RulesCommand implements Runnable {
  @Spec CommandSpec spec;

  @Override
  public void run() {
    spec.commandLine().usage(spec.commandLine().getErr());
  }

  /** {@code haetae rules check CONFIG}. */
  @Command(name = "check", mixinStandardHelpOptions = true,
      description = "Load a policy configuration: compile and type-check every rule, and list the policies it"
          + " gives with their versions and hashes.",
      exitCodeListHeading = "%nExit codes:%n",
      exitCodeList = {"0:the configuration loads", "1:it does not (the error names the rule, line and column)",
          "2:usage error or unreadable file"})
  static final class Check implements Callable<Integer> {
    @Spec CommandSpec spec;

    @Parameters(index = "0", paramLabel = "CONFIG", description = "the policy configuration (JSON)")
    Path config;

    @Option(names = "--plugin", split = ",", paramLabel = "JAR|DIR",
        description = "plugin jars or class directories whose policy classes the configuration names; repeatable")
    List<Path> plugins = new ArrayList<>();

    @Override
    public Integer call() {
      PrintWriter out = spec.commandLine().getOut();
      PrintWriter err = spec.commandLine().getErr();
      if (!java.nio.file.Files.isRegularFile(config)) {
        err.println("haetae rules check: " + config + " is not a file");
        return 2;
      }
      PolicyConfig c;
      try {
        c = AuditSupport.config(config, AuditSupport.pluginLoader(plugins));
      } catch (IllegalArgumentException e) {
        err.println("haetae rules check: " + e.getMessage());
        return e.getMessage().startsWith("--policies: cannot read") || e.getMessage().startsWith("--plugin") ? 2 : 1;
      }
      for (Policy p : c.extra()) {
        out.println("enforce " + p.id());
      }
      for (Policy p : c.shadow()) {
        out.println("shadow  " + p.id());
      }
      out.println("configuration " + c.hash() + ": OK");
      out.flush();
      return 0;
    }
  }

  /** {@code haetae rules test FILE...}. */
  @Command(name = "test", mixinStandardHelpOptions = true,
      description = "Run rule test files: a configuration, an event stream and the outcomes expected at its lines."
          + " Every rule of the configuration must fire on some line.",
      exitCodeListHeading = "%nExit codes:%n",
      exitCodeList = {"0:every test passed", "1:some expectation failed", "2:usage error or a malformed test file"})
  static final class Test implements Callable<Integer> {
    @Spec CommandSpec spec;

    @Parameters(arity = "1..*", paramLabel = "FILE", description = "rule test files (JSON)")
    List<Path> files;

    @Option(names = "--plugin", split = ",", paramLabel = "JAR|DIR",
        description = "plugin jars or class directories whose policy classes the configurations name; repeatable")
    List<Path> plugins = new ArrayList<>();

    @Override
    public Integer call() {
      PrintWriter out = spec.commandLine().getOut();
      PrintWriter err = spec.commandLine().getErr();
      int failed = 0;
      ClassLoader loader;
      try {
        loader = AuditSupport.pluginLoader(plugins);
      } catch (IllegalArgumentException e) {
        err.println("haetae rules test: " + e.getMessage());
        return 2;
      }
      for (Path f : files) {
        RuleTests.Result r;
        try {
          r = RuleTests.run(f, loader);
        } catch (IllegalArgumentException e) {
          err.println("haetae rules test: " + e.getMessage());
          return 2;
        }
        if (r.passed()) {
          out.println("PASS " + f + " (" + r.checks() + " checks, configuration " + r.configHash().substring(0, 12)
              + ")");
        } else {
          failed++;
          out.println("FAIL " + f);
          r.failures().forEach(x -> out.println("  " + x));
        }
      }
      out.println((files.size() - failed) + " passed, " + failed + " failed");
      out.flush();
      return failed == 0 ? 0 : 1;
    }
  }
}
