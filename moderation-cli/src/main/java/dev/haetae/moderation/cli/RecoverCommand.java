package dev.haetae.moderation.cli;

import dev.haetae.moderation.api.DecisionLogException;
import dev.haetae.moderation.core.audit.EngineLog;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/**
 * {@code haetae recover LOG}: lists the decisions of a directory log that were logged but not
 * carried out (its outbox), with the effects each still has to apply.
 */
@Command(name = "recover", mixinStandardHelpOptions = true,
    description = {"Lists the decisions a directory log holds in its outbox: logged, but not yet carried out on"
        + " the stores or handed to the action executor when the engine stopped. An engine started on the same"
        + " log carries them out itself, applying each plan once and handing each decision to its executor again;"
        + " run this to see what it will do.",
        "Exit codes: 0 nothing pending, 1 some decisions pending, 3 the log cannot be read."})
final class RecoverCommand extends AuditCommand {

  @Parameters(index = "0", paramLabel = "LOG", description = "the log directory")
  Path log;

  @Override
  int execute(PrintWriter out, PrintWriter err) {
    if (!Files.isDirectory(log)) {
      err.println("haetae recover: " + log + " is not a directory");
      return AuditSupport.UNREADABLE;
    }
    try {
      List<EngineLog.Pending> pending = AuditSupport.open(log).pending();
      for (EngineLog.Pending p : pending) {
        out.println("seq " + p.seq() + " decision " + p.decision().id().value() + " (" + p.evidence().request().type()
            + ", " + p.decision().actions().size() + " actions): " + p.effects().size() + " effects to apply");
        p.effects().forEach(e -> out.println("  " + e.kind().wireName()));
      }
      out.println(pending.size() + " decision(s) pending");
      return pending.isEmpty() ? AuditSupport.OK : AuditSupport.FINDINGS;
    } catch (DecisionLogException e) {
      err.println("haetae recover: " + e.getMessage());
      return AuditSupport.UNREADABLE;
    }
  }
}
