package dev.haetae.moderation.cli;

import dev.haetae.moderation.api.ConfigurationException;
import dev.haetae.moderation.api.DecisionLogException;
import dev.haetae.moderation.api.StoreUnavailableException;
import dev.haetae.moderation.core.audit.AuditLog;
import dev.haetae.moderation.core.audit.Retention;
import dev.haetae.moderation.core.legal.JurisdictionProfiles;
import dev.haetae.moderation.postgres.DecisionLogShard;
import dev.haetae.moderation.postgres.HaetaePostgres;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code haetae prune LOG --dry-run|--apply}: which head segments a retention duty lets go, and removing them. */
@Command(name = "prune", mixinStandardHelpOptions = true,
    description = {"Plans the removal of whole segments at the head of a directory log (or whole partitions of a"
        + " PostgreSQL shard: --shard NAME --pg-url URL) that every applicable"
        + " instrument's minimum retention lets go: each of their records older than now minus the longest"
        + " minimum (of the jurisdiction profiles' instruments and --keep), never the open segment, an open"
        + " obligation's records or the configuration in force for the records kept.",
        "--dry-run lists the segments and why the next one stays, and changes nothing. --apply first writes a"
            + " prune record signed with the Ed25519 key of --key (PKCS#8 PEM; --public, X.509 PEM, is added to the"
            + " log's keys) into the log, then deletes the segments; verify accepts the pruned log and reports it."
            + " Apply only to a log no engine has open.",
        "Exit codes: 0 planned or pruned, 2 usage error, 3 the log, the profiles or the keys cannot be read."})
final class PruneCommand extends AuditCommand {

  @Parameters(index = "0", arity = "0..1", paramLabel = "LOG", description = "a directory log")
  Path log;

  @Option(names = "--shard", paramLabel = "NAME", description = "a decision-log shard in PostgreSQL instead of LOG:"
      + " whole partitions go, and the prune record is kept in the schema")
  String shard;

  @Option(names = "--pg-url", paramLabel = "URL", description = "with --shard: the JDBC URL of the PostgreSQL"
      + " database; --apply must connect as the schema's owner (only it may drop partitions)")
  String pgUrl;

  @picocli.CommandLine.Mixin PgLogin login = new PgLogin();

  @picocli.CommandLine.ArgGroup(exclusive = true, multiplicity = "1")
  Mode mode;

  static final class Mode {
    @Option(names = "--dry-run", required = true, description = "list what may go; change nothing")
    boolean dryRun;

    @Option(names = "--apply", required = true, description = "write the signed prune record, then remove the segments")
    boolean apply;
  }

  @Option(names = "--key", paramLabel = "FILE", description = "with --apply: the Ed25519 private key (PKCS#8 PEM)")
  Path key;

  @Option(names = "--public", paramLabel = "FILE", description = "with --apply: its public key (X.509 PEM)")
  Path publicKey;

  @Option(names = "--kid", paramLabel = "ID", defaultValue = "retention",
      description = "with --apply: the key's id in the log's keys.jsonl (default ${DEFAULT-VALUE})")
  String kid;

  @Option(names = "--profiles", paramLabel = "FILE", description = "jurisdiction profiles overriding the bundled"
      + " ones (their instruments all apply)")
  Path profiles;

  @Option(names = "--keep", paramLabel = "DURATION", defaultValue = "PT0S",
      description = "the host's own minimum retention, ISO-8601 (e.g. P5Y); default ${DEFAULT-VALUE}")
  String keep;

  @Option(names = "--now", paramLabel = "INSTANT", description = "plan as of this instant (default: the clock)")
  String now;

  Clock clock = Clock.systemUTC();

  @Override
  int execute(PrintWriter out, PrintWriter err) {
    if ((log == null) == (shard == null) || (shard != null) != (pgUrl != null)
        || (pgUrl == null && login.given())) {
      err.println("haetae prune: name a directory LOG, or a --shard with --pg-url (--pg-user and --pg-password-env"
          + " go with --pg-url)");
      return AuditSupport.USAGE;
    }
    Duration floor;
    Instant at;
    try {
      floor = Duration.parse(keep);
      at = now == null ? clock.instant() : Instant.parse(now);
    } catch (DateTimeParseException e) {
      err.println("haetae prune: --keep takes an ISO-8601 duration such as P5Y, --now an instant such as"
          + " 2029-01-01T00:00:00Z: " + e.getParsedString());
      return AuditSupport.USAGE;
    }
    if (floor.isNegative()) {
      err.println("haetae prune: --keep must not be negative");
      return AuditSupport.USAGE;
    }
    if (mode.apply && (key == null || publicKey == null)) {
      err.println("haetae prune: --apply needs --key and --public (the Ed25519 key pair that signs the prune record)");
      return AuditSupport.USAGE;
    }
    java.security.KeyPair pair = null;
    if (mode.apply) {
      try {
        java.security.KeyFactory kf = java.security.KeyFactory.getInstance("Ed25519");
        pair = new java.security.KeyPair(
            kf.generatePublic(new java.security.spec.X509EncodedKeySpec(pem(publicKey))),
            kf.generatePrivate(new java.security.spec.PKCS8EncodedKeySpec(pem(key))));
      } catch (java.io.IOException | java.security.GeneralSecurityException | IllegalArgumentException e) {
        err.println("haetae prune: cannot read the key pair (--key PKCS#8 PEM, --public X.509 PEM, Ed25519): " + e);
        return AuditSupport.UNREADABLE;
      }
    }
    try {
      JurisdictionProfiles p = profiles == null ? JurisdictionProfiles.bundled()
          : JurisdictionProfiles.bundled().overriddenBy(JurisdictionProfiles.load(profiles));
      if (shard != null) {
        return pruneShard(p, floor, at, pair, out, err);
      }
      Retention.Plan plan = Retention.plan(AuditLog.open(log), p.instruments().values(), floor, at,
          progress("prune"));
      print(plan, out);
      if (mode.apply) {
        int n = Retention.prune(AuditLog.open(log), plan, kid, pair, at);
        out.println(n + " segment(s) removed after a prune record signed by '" + kid + "'; "
            + (plan.keptBecause().isEmpty() ? "the log is empty" : "kept from here: " + plan.keptBecause()));
        return AuditSupport.OK;
      }
      out.println(plan.removable().size() + " segment(s) may go; "
          + (plan.keptBecause().isEmpty() ? "the log is empty" : "kept from here: " + plan.keptBecause()));
      return AuditSupport.OK;
    } catch (DecisionLogException | ConfigurationException | IllegalStateException e) {
      err.println("haetae prune: " + e.getMessage());
      return AuditSupport.UNREADABLE;
    }
  }

  private void print(Retention.Plan plan, PrintWriter out) {
    out.println("retention " + plan.rule().substring(plan.rule().lastIndexOf("= ") + 2) + ": " + plan.rule());
    out.println("cutoff " + plan.cutoff() + " (records before it may go)");
    for (Retention.Segment s : plan.removable()) {
      out.println((mode.apply ? "removing " : "would remove ") + s.name() + "  seq " + s.firstSeq() + ".." + s.lastSeq()
          + "  newest " + s.newest() + "  last hash " + s.lastHash());
    }
  }

  /** The same on a PostgreSQL shard: each segment is a partition. */
  private int pruneShard(JurisdictionProfiles p, Duration floor, Instant at, java.security.KeyPair pair,
      PrintWriter out, PrintWriter err) {
    HaetaePostgres.Builder b = HaetaePostgres.builder().jdbcUrl(pgUrl).schema(login.schema).maxPoolSize(2).migrate(false);
    String problem = login.applyTo(b);
    if (problem != null) {
      err.println("haetae prune: " + problem);
      return AuditSupport.USAGE;
    }
    try (HaetaePostgres pg = b.build()) {
      DecisionLogShard s = pg.decisionLogShard(shard);
      Retention.Plan plan = s.planRetention(p.instruments().values(), floor, at);
      print(plan, out);
      String kept = plan.keptBecause().isEmpty() ? "the shard is empty" : "kept from here: " + plan.keptBecause();
      if (mode.apply) {
        int n = s.prune(plan, kid, pair, at);
        out.println(n + " partition(s) of " + s.location() + " dropped after a prune record signed by '" + kid + "'; "
            + kept);
      } else {
        out.println(plan.removable().size() + " partition(s) may go; " + kept);
      }
      return AuditSupport.OK;
    } catch (StoreUnavailableException e) {
      err.println("haetae prune: " + e.getMessage());
      return AuditSupport.UNREADABLE;
    } catch (RuntimeException e) {
      err.println("haetae prune: " + (e.getMessage() == null ? e.toString() : e.getMessage()));
      return AuditSupport.UNREADABLE;
    }
  }

  /** The DER bytes of a PEM file (the Base64 between its BEGIN and END lines). */
  private static byte[] pem(Path file) throws java.io.IOException {
    StringBuilder b64 = new StringBuilder();
    for (String l : java.nio.file.Files.readAllLines(file)) {
      if (!l.startsWith("-----")) {
        b64.append(l.trim());
      }
    }
    return java.util.Base64.getDecoder().decode(b64.toString());
  }
}
