package dev.haetae.moderation.cli;

import dev.haetae.moderation.api.DecisionLogException;
import dev.haetae.moderation.core.audit.Explanation;
import java.io.PrintWriter;
import java.nio.file.Path;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code haetae explain LOG --decision ID | --content ID | --stray}: what the log says about one piece of
 * content, or which host confirmations confirm nothing.
 */
@Command(name = "explain", mixinStandardHelpOptions = true,
    description = {"Explains one piece of content from the log alone: every decision about it in order (the request"
        + " and who made it, the actions, the reasons with their legal or contractual grounds, the policy versions"
        + " and the configuration in force) and each obligation with its deadline and when it was met.",
        "--stray lists instead the host confirmations that name a decision the log does not hold, or an action"
            + " their decision did not plan: logged, but counted towards no obligation.",
        "Ids are as the log holds them (pseudonyms where the log pseudonymises).",
        "The log is verified first (see haetae verify, whose --trusted-keys and --anchor it takes); a log that does"
            + " not verify is refused unless --unverified is given, and then the output says so.",
        "Exit codes: 0 explained, 1 refused because the log does not verify, 2 usage error or no such decision"
            + " or content, 3 the log cannot be read."})
final class ExplainCommand extends AuditCommand {

  @Parameters(index = "0", paramLabel = "LOG",
      description = "the log directory, or a Kafka shard: kafka://host:port[,host:port]/topic?shard=N")
  Path log;

  @ArgGroup(exclusive = true, multiplicity = "1")
  Which which;

  static final class Which {
    @Option(names = "--decision", paramLabel = "ID", description = "the content of this decision")
    String decision;

    @Option(names = "--content", paramLabel = "ID", description = "this content (as logged)")
    String content;

    @Option(names = "--stray", description = "list the host confirmations that confirm nothing the log decided"
        + " (an unknown decision, or an action it did not plan)")
    boolean stray;
  }

  @Option(names = "--json", description = "print JSON instead of the readable page")
  boolean json;

  @Mixin LogVerification verification;

  @Option(names = "--unverified", description = "explain even if the log does not verify, saying so")
  boolean unverified;

  @Override
  int execute(PrintWriter out, PrintWriter err) {
    try {
      LogVerification.Checked checked = verification.check(log, unverified, "explain", err, progress("verify"));
      if (checked.report() == null) {
        return checked.exit();
      }
      String prefix = checked.report().ok() ? "" : "UNVERIFIED: " + checked.report().summary() + "\n";
      if (which.stray) {
        java.util.List<dev.haetae.moderation.core.audit.StrayConfirmation> strays =
            Explanation.strayConfirmations(checked.log(), progress("explain"));
        StringBuilder text = new StringBuilder(prefix);
        if (json) {
          text.append(Explanation.strayConfirmationsJson(strays)).append('\n');
        } else {
          text.append(strays.size()).append(" stray confirmation(s)").append(strays.size() == 1000 ? " listed (the first 1000)" : "")
              .append('\n');
          strays.forEach(x -> text.append("  ").append(x.describe()).append('\n'));
        }
        out.print(text);
        return AuditSupport.OK;
      }
      Explanation x = which.decision != null
          ? Explanation.ofDecision(checked.log(), which.decision, progress("explain"))
          : Explanation.ofContent(checked.log(), which.content, progress("explain"));
      out.print(prefix + (json ? x.toJson() + "\n" : x.toText()));
      return AuditSupport.OK;
    } catch (IllegalArgumentException e) {
      err.println("haetae explain: " + e.getMessage());
      return AuditSupport.USAGE;
    } catch (DecisionLogException e) {
      err.println("haetae explain: " + e.getMessage());
      return AuditSupport.UNREADABLE;
    }
  }
}
