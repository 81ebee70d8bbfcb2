package dev.haetae.moderation.cli;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Properties;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParseResult;
import picocli.CommandLine.ScopeType;

/**
 * The {@code haetae} command. Each tool is a subcommand; run {@code haetae help} for the list.
 *
 * <p>Exit codes: 0 success, 1 some input failed (the rest was processed), 2 usage error.
 *
 * <p>Logging: the engine's, the plugins' and the importers' SLF4J messages go to stderr through
 * SLF4J's simple logger, warnings and errors only; {@code --verbose}, accepted by every
 * subcommand, adds the informational ones.
 */
@Command(
    name = "haetae",
    mixinStandardHelpOptions = true,
    versionProvider = Haetae.BuildVersion.class,
    description = "Haetae moderation tools: hashing, matching, simulation and audit.",
    subcommands = {CommandLine.HelpCommand.class, HashCommand.class, HashDriftCommand.class,
        HashRobustnessCommand.class, SimulateCommand.class, VerifyCommand.class, ReplayCommand.class,
        BacktestCommand.class, ExportSorCommand.class, SubmitSorCommand.class, ReportCommand.class,
        ExplainCommand.class, RecoverCommand.class, BenchCommand.class, MatchCommand.class, BankCommand.class,
        RulesCommand.class, PruneCommand.class})
public final class Haetae implements Runnable {
  /** The simple logger's level property; a value given on the JVM's command line wins. */
  static final String LOG_LEVEL_PROPERTY = "org.slf4j.simpleLogger.defaultLogLevel";
  private static final String VERSION_RESOURCE = "version.properties";

  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  @Option(names = "--verbose", scope = ScopeType.INHERIT,
      description = "also log informational messages of the engine and plugins (default: warnings and errors)")
  boolean verbose;

  /**
   * Runs the command line and exits with its exit code.
   *
   * @param args the arguments
   */
  public static void main(String[] args) {
    System.exit(commandLine().execute(args));
  }

  /**
   * The configured command line, for tests that run commands in process. Its execution strategy
   * applies {@code --verbose} before the chosen subcommand runs, and wraps the command's writers so
   * that no control character from untrusted input reaches the terminal.
   *
   * @return a new command line with every subcommand registered
   */
  public static CommandLine commandLine() {
    CommandLine cl = new CommandLine(new Haetae());
    cl.setExecutionStrategy(parsed -> {
      configureLogging(parsed);
      // Whatever a command prints passes through a writer that escapes control characters.
      for (CommandLine c : parsed.asCommandLineList()) {
        if (!(c.getOut() instanceof SafePrintWriter)) {
          c.setOut(new SafePrintWriter(c.getOut()));
        }
        if (!(c.getErr() instanceof SafePrintWriter)) {
          c.setErr(new SafePrintWriter(c.getErr()));
        }
      }
      return new CommandLine.RunLast().execute(parsed);
    });
    return cl;
  }

  /**
   * Sets the simple logger's level from {@code --verbose}, anywhere on the command line. The simple
   * logger reads its level once, when the first logger is created; parsing creates none, so this
   * runs before any engine class logs. A level set with {@code -D} on the JVM's command line is kept.
   */
  static void configureLogging(ParseResult parsed) {
    boolean verbose = false;
    for (ParseResult p = parsed; p != null; p = p.subcommand()) {
      verbose |= p.hasMatchedOption("--verbose");
    }
    if (verbose && System.getProperty(LOG_LEVEL_PROPERTY) == null) {
      System.setProperty(LOG_LEVEL_PROPERTY, "info");
    }
  }

  /**
   * The version this jar was built as, from the resource the build writes.
   *
   * @return the version, e.g. {@code 0.1.0}
   * @throws IllegalStateException if the resource is missing (a build that skipped resources)
   */
  static String version() {
    try (InputStream in = Haetae.class.getResourceAsStream(VERSION_RESOURCE)) {
      if (in == null) {
        throw new IllegalStateException(VERSION_RESOURCE + " is missing beside " + Haetae.class.getName());
      }
      Properties p = new Properties();
      p.load(in);
      String v = p.getProperty("version");
      if (v == null || v.isBlank() || v.startsWith("${")) {
        throw new IllegalStateException(VERSION_RESOURCE + " holds no version (was it filtered by the build?)");
      }
      return v;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** {@code haetae --version}: the build's version. */
  static final class BuildVersion implements CommandLine.IVersionProvider {
    @Override
    public String[] getVersion() {
      return new String[] {"haetae " + version()};
    }
  }

  @Override
  public void run() {
    spec.commandLine().usage(System.out);
  }

  /** The command line writers, once wrapped. */
  private static final class SafePrintWriter extends java.io.PrintWriter {
    SafePrintWriter(java.io.PrintWriter out) {
      super(new TerminalSafeWriter(out), true);
    }
  }
}
