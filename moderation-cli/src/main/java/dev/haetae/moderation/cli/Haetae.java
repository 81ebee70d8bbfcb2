package dev.haetae.moderation.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * The {@code haetae} command. Each tool is a subcommand; run {@code haetae help} for the list.
 *
 * <p>Exit codes: 0 success, 1 some input failed (the rest was processed), 2 usage error.
 */
@Command(
    name = "haetae",
    mixinStandardHelpOptions = true,
    version = "haetae 0.1.0",
    description = "Haetae moderation tools: hashing, matching, simulation and audit.",
    subcommands = {CommandLine.HelpCommand.class, HashCommand.class, HashDriftCommand.class,
        HashRobustnessCommand.class, SimulateCommand.class, VerifyCommand.class, ReplayCommand.class,
        BacktestCommand.class, ExportSorCommand.class, ReportCommand.class,
        BenchCommand.class, MatchCommand.class})
public final class Haetae implements Runnable {

  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  /**
   * Runs the command line and exits with its exit code.
   *
   * @param args the arguments
   */
  public static void main(String[] args) {
    System.exit(commandLine().execute(args));
  }

  /**
   * The configured command line, for tests that run commands in process.
   *
   * @return a new command line with every subcommand registered
   */
  public static CommandLine commandLine() {
    CommandLine cl = new CommandLine(new Haetae());
    // Whatever a command prints passes through a writer that escapes control characters.
    cl.setExecutionStrategy(parsed -> {
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

  /** The command line writers, once wrapped. */
  private static final class SafePrintWriter extends java.io.PrintWriter {
    SafePrintWriter(java.io.PrintWriter out) {
      super(new TerminalSafeWriter(out), true);
    }
  }

  @Override
  public void run() {
    spec.commandLine().usage(System.out);
  }
}
