package dev.haetae.moderation.cli;

import dev.haetae.moderation.api.ConfigurationException;
import dev.haetae.moderation.api.Decision;
import dev.haetae.moderation.api.DecisionLogException;
import dev.haetae.moderation.api.ModerationRequest;
import dev.haetae.moderation.api.StoreUnavailableException;
import dev.haetae.moderation.api.spi.ActionExecutor;
import dev.haetae.moderation.core.audit.EngineLog;
import dev.haetae.moderation.core.engine.ModerationEngine;
import dev.haetae.moderation.core.engine.ModerationEngineBuilder;
import dev.haetae.moderation.core.engine.PolicyIsolation;
import dev.haetae.moderation.postgres.DecisionLogShard;
import dev.haetae.moderation.postgres.HaetaePostgres;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.StringJoiner;
import java.util.concurrent.atomic.AtomicInteger;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code haetae recover}: lists the decisions a log holds in its outbox (logged, not carried out),
 * or carries them out on the PostgreSQL stores: those of a directory log ({@code LOG --pg-url ...})
 * or of a PostgreSQL log shard ({@code --shard NAME --pg-url ...}).
 */
@Command(name = "recover", mixinStandardHelpOptions = true,
    description = {"Lists the decisions a log holds in its outbox: logged, but not yet carried out on the stores or"
        + " handed to the action executor when the engine stopped; or carries them out.",
        "With LOG alone it lists a directory log's outbox (an engine started on the same log carries them out"
            + " itself). With --pg-url it carries them out on the PostgreSQL stores of --pg-schema: LOG's"
            + " decisions, or with --shard those of a PostgreSQL log shard (each instance recovers its own shard"
            + " when it starts; this recovers the shard of an instance that is gone). Each plan is applied once"
            + " (its effects are idempotent), and each decision, which the host's executor cannot receive here,"
            + " is printed for the host to act on, its re-delivery logged. --list with --shard only lists.",
        "Exit codes: 0 nothing (left) pending, 1 decisions still pending (listed, or failed to recover),"
            + " 2 usage error, 3 the log or the database cannot be read."})
final class RecoverCommand extends AuditCommand {

  @Parameters(index = "0", arity = "0..1", paramLabel = "LOG", description = "a directory log")
  Path log;

  @Option(names = "--shard", paramLabel = "NAME", description = "a decision-log shard in PostgreSQL instead of LOG")
  String shard;

  @Option(names = "--pg-url", paramLabel = "URL", description = "the JDBC URL of the PostgreSQL database, e.g."
      + " jdbc:postgresql://db.internal:5432/moderation")
  String pgUrl;

  @picocli.CommandLine.Mixin PgLogin login = new PgLogin();

  @Option(names = "--list", description = "with --shard: list the shard's outbox, change nothing")
  boolean list;

  @Override
  int execute(PrintWriter out, PrintWriter err) {
    String usage = usageProblem();
    if (usage != null) {
      err.println("haetae recover: " + usage);
      return AuditSupport.USAGE;
    }
    if (pgUrl == null) {
      return listDirectory(out, err);
    }
    HaetaePostgres.Builder b;
    try {
      b = HaetaePostgres.builder().jdbcUrl(pgUrl).schema(login.schema).maxPoolSize(4);
    } catch (ConfigurationException e) {
      err.println("haetae recover: --pg-schema: " + e.getMessage());
      return AuditSupport.USAGE;
    }
    String problem = login.applyTo(b);
    if (problem != null) {
      err.println("haetae recover: " + problem);
      return AuditSupport.USAGE;
    }
    try (HaetaePostgres pg = b.build()) {
      if (shard != null) {
        DecisionLogShard s = pg.decisionLogShard(shard);
        try (EngineLog shardLog = s.logBuilder().build()) {
          if (list) {
            return print(shardLog.pending(), out, s.location());
          }
          return carryOut(pg, shardLog, null, out, err, s.location());
        }
      }
      return carryOut(pg, null, log, out, err, log.toString());
    } catch (StoreUnavailableException | DecisionLogException e) {
      err.println("haetae recover: " + e.getMessage());
      return AuditSupport.UNREADABLE;
    } catch (ConfigurationException e) {
      err.println("haetae recover: " + e.getMessage());
      return AuditSupport.USAGE;
    } catch (RuntimeException e) {
      // e.g. a URL no driver takes: the pool cannot even start
      err.println("haetae recover: cannot use the database at " + pgUrl + ": " + e.getMessage());
      return AuditSupport.UNREADABLE;
    }
  }

  /** The problem with the options given, or null. */
  private String usageProblem() {
    if (log == null && shard == null) {
      return "name a directory LOG or a --shard";
    }
    if (log != null && shard != null) {
      return "name either a directory LOG or a --shard, not both";
    }
    if (shard != null && pgUrl == null) {
      return "--shard needs --pg-url";
    }
    if (list && shard == null) {
      return "--list goes with --shard (LOG alone lists)";
    }
    if (pgUrl == null && login.given()) {
      return "--pg-user and --pg-password-env go with --pg-url";
    }
    if (login.passwordEnv != null && login.user == null) {
      return "--pg-password-env needs --pg-user";
    }
    if (log != null && !Files.isDirectory(log)) {
      return log + " is not a directory";
    }
    return null;
  }

  private int listDirectory(PrintWriter out, PrintWriter err) {
    try {
      return print(AuditSupport.open(log).pending(), out, log.toString());
    } catch (DecisionLogException e) {
      err.println("haetae recover: " + e.getMessage());
      return AuditSupport.UNREADABLE;
    }
  }

  private static int print(List<EngineLog.Pending> pending, PrintWriter out, String where) {
    for (EngineLog.Pending p : pending) {
      out.println("seq " + p.seq() + " decision " + p.decision().id().value() + " (" + p.evidence().request().type()
          + ", " + p.decision().actions().size() + " actions): " + p.effects().size() + " effects to apply");
      p.effects().forEach(e -> out.println("  " + e.kind().wireName()));
    }
    out.println(pending.size() + " decision(s) pending in " + where);
    return pending.isEmpty() ? AuditSupport.OK : AuditSupport.FINDINGS;
  }

  /**
   * Builds an engine on the log and the schema's stores: it carries out what the log holds as it
   * starts. Its executor prints each decision for the host.
   */
  private int carryOut(HaetaePostgres pg, EngineLog shardLog, Path dir, PrintWriter out, PrintWriter err,
      String where) {
    AtomicInteger printed = new AtomicInteger();
    ActionExecutor printer = (ModerationRequest request, Decision d) -> {
      StringJoiner actions = new StringJoiner(",");
      d.actions().forEach(a -> actions.add(a.name()));
      out.println("redelivered decision " + d.id().value() + " (" + request.type() + "): " + actions);
      printed.incrementAndGet();
    };
    ModerationEngineBuilder builder = ModerationEngine.builder().stores(pg.stores()).actionExecutor(printer)
        .policyIsolation(PolicyIsolation.INLINE);
    if (shardLog != null) {
      builder.decisionLog(shardLog);
    } else {
      builder.logDirectory(dir);
    }
    try (ModerationEngine engine = builder.build()) {
      engine.recover(); // it recovered as it started; this retries, once, what failed then
    }
    int left = shardLog != null ? shardLog.pending().size() : AuditSupport.open(dir).pending().size();
    out.println(printed.get() + " decision(s) carried out and printed for the host to act on; " + left
        + " still pending in " + where);
    if (left > 0) {
      err.println("haetae recover: " + left + " decision(s) could not be carried out; see the warnings above");
    }
    return left == 0 ? AuditSupport.OK : AuditSupport.FINDINGS;
  }
}
