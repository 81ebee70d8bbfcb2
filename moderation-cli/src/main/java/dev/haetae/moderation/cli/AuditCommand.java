package dev.haetae.moderation.cli;

import dev.haetae.moderation.core.audit.ProgressListener;
import java.io.PrintWriter;
import java.util.concurrent.Callable;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * What the audit commands share: picocli's writers (flushed however the command ends) and the
 * progress-bar options.
 */
abstract class AuditCommand implements Callable<Integer> {
  @Spec CommandSpec spec;

  @Option(names = "--progress", description = "draw a progress bar even when stderr is not a terminal")
  boolean progress;

  @Option(names = "--no-progress", description = "never draw a progress bar")
  boolean noProgress;

  @Override
  public final Integer call() {
    PrintWriter out = spec.commandLine().getOut();
    PrintWriter err = spec.commandLine().getErr();
    try {
      return execute(out, err);
    } finally {
      out.flush();
      err.flush();
    }
  }

  /** Runs the command; returns its exit code (see {@link AuditSupport}). */
  abstract int execute(PrintWriter out, PrintWriter err);

  /** The progress listener for a long run, labelled. */
  ProgressListener progress(String label) {
    return AuditSupport.progress(AuditSupport.showProgress(progress, noProgress), label);
  }
}
