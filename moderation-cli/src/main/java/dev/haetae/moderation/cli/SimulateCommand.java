package dev.haetae.moderation.cli;

import dev.haetae.moderation.core.policy.PolicyConfig;
import dev.haetae.moderation.core.simulate.Simulator;
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

/** {@code haetae simulate FILE}: drives an event stream through an engine on embedded defaults. */
@Command(name = "simulate", mixinStandardHelpOptions = true,
    description = "Drive a JSON Lines event stream through an engine on embedded defaults; print each decision "
        + "and obligation event as a JSON line, and a summary to stderr.",
    exitCodeListHeading = "%nExit codes:%n",
    exitCodeList = {"0:every line was processed", "1:some lines were malformed (see stderr)",
        "2:usage error or unreadable file"},
    footer = {"", "Images named by 'file' that cannot be perceptually hashed are decided on their exact digests"
        + " and reported as warnings; they do not change the exit code."})
final class SimulateCommand implements Callable<Integer> {
  @Spec CommandSpec spec;

  @Parameters(index = "0", paramLabel = "FILE", description = "the event stream (JSON Lines)")
  Path file;

  @Option(names = "--log", paramLabel = "DIR", description = "write the decision log here (default: a temp dir)")
  Path log;

  @Option(names = "--on-error", paramLabel = "MODE", defaultValue = "continue",
      description = "stop or continue at a malformed line (default: ${DEFAULT-VALUE})")
  String onError;

  @Option(names = "--policies", paramLabel = "FILE",
      description = "policy configuration (JSON): built-in policies and their parameters, extra policy classes,"
          + " shadow policies (default: the built-in pack with its defaults)")
  Path policies;

  @Option(names = "--plugin", split = ",", paramLabel = "JAR|DIR",
      description = "plugin jars or class directories whose policy classes the --policies file names (as extra"
          + " or shadow policies); repeatable")
  List<Path> plugins = new ArrayList<>();

  @Option(names = "--discover", description = "also enforce the policies the --plugin jars declare through"
      + " META-INF/services, except those the configuration names as shadow (default: off; roles come from the"
      + " configuration)")
  boolean discover;

  @Option(names = "--summary", description = "print the summary to stdout instead of stderr")
  boolean summaryToStdout;

  @Option(names = "--files-root", paramLabel = "DIR",
      description = "the directory the stream's 'file' paths must stay in (default: the stream's directory)")
  Path filesRoot;

  @Override
  public Integer call() {
    PrintWriter out = spec.commandLine().getOut();
    PrintWriter err = spec.commandLine().getErr();
    Simulator.OnError mode;
    switch (onError) {
      case "stop":
        mode = Simulator.OnError.STOP;
        break;
      case "continue":
        mode = Simulator.OnError.CONTINUE;
        break;
      default:
        err.println("--on-error must be stop or continue, got " + onError);
        return 2;
    }
    PolicyConfig config;
    ClassLoader loader;
    try {
      loader = AuditSupport.pluginLoader(plugins);
      config = AuditSupport.config(policies, loader);
    } catch (IllegalArgumentException e) {
      err.println("haetae simulate: " + e.getMessage());
      return 2;
    }
    Simulator.Builder builder = Simulator.builder()
        .policies(config)
        .engine(b -> {
          if (log != null) {
            b.logDirectory(log);
          }
          if (discover) {
            b.serviceLoader(true, loader);
          }
        })
        .onError(mode)
        .output(line -> {
          out.println(line);
          out.flush();
        })
        .errors(err::println);
    if (filesRoot != null) {
      builder.fileRoot(filesRoot);
    }
    Simulator sim = builder.build();
    Simulator.Summary s;
    try {
      s = sim.run(file);
    } catch (java.io.UncheckedIOException e) {
      err.println("haetae simulate: " + e.getMessage());
      return 2;
    }
    (summaryToStdout ? out : err).print(s.describe());
    (summaryToStdout ? out : err).flush();
    return s.errors().isEmpty() ? 0 : 1;
  }
}
