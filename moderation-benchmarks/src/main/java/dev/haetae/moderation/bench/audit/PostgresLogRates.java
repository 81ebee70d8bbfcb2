package dev.haetae.moderation.bench.audit;

import dev.haetae.moderation.api.AccountId;
import dev.haetae.moderation.api.Content;
import dev.haetae.moderation.api.ContentEvent;
import dev.haetae.moderation.api.ContentId;
import dev.haetae.moderation.api.ContentKind;
import dev.haetae.moderation.api.Fingerprints;
import dev.haetae.moderation.api.Jurisdiction;
import dev.haetae.moderation.api.RoomId;
import dev.haetae.moderation.api.Sha256;
import dev.haetae.moderation.api.Surface;
import dev.haetae.moderation.api.spi.DecisionLog;
import dev.haetae.moderation.api.spi.Pseudonymizer;
import dev.haetae.moderation.core.audit.DecisionLogs;
import dev.haetae.moderation.core.audit.Pseudonymizers;
import dev.haetae.moderation.core.audit.VerificationReport;
import dev.haetae.moderation.core.engine.ModerationEngine;
import dev.haetae.moderation.core.engine.PolicyIsolation;
import dev.haetae.moderation.postgres.DecisionLogShard;
import dev.haetae.moderation.postgres.HaetaePostgres;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.Set;
import java.util.stream.Stream;

/**
 * Decisions per second of {@code evaluate()} when the decision log is on PostgreSQL, against the
 * in-process directory log measured in the same run. Every configuration runs for the same time in
 * each round, rounds alternate the configurations so that all see the same machine conditions, and
 * the table shows the median of the rounds:
 *
 * <ul>
 *   <li>{@code directory, 1 engine}: {@code DecisionLogs.directory} with fsync and group commit;
 *   <li>{@code directory, 2 engines}: two engines, each with its own directory log;
 *   <li>{@code postgres, 1 engine}: one engine, one pool, one shard;
 *   <li>{@code postgres, 2 engines, same shard}: two engines with separate pools appending to one
 *       shard (one hash chain);
 *   <li>{@code postgres, 2 engines, 2 shards}: two engines with separate pools, a shard each.
 * </ul>
 *
 * <p>Each engine evaluates from {@code THREADS} threads (default 8), group commit on (the logs'
 * defaults). Requests are uploads with host-supplied SHA-256 (no image decoding, no banks), so the
 * figures show what the log costs. Each PostgreSQL run uses a fresh schema, verifies its shards
 * afterwards (not timed) and drops the schema. The engines, the server and this program share the
 * machine's cores.
 *
 * <p>Run: {@code java -cp moderation-benchmarks/target/benchmarks.jar
 * dev.haetae.moderation.bench.audit.PostgresLogRates JDBC_URL [USER] [ROUNDS] [SECONDS] [THREADS]}
 */
public final class PostgresLogRates {
  private static final Pseudonymizer KEY =
      Pseudonymizers.hmacSha256("bench", "0123456789abcdef".getBytes(StandardCharsets.UTF_8));

  private PostgresLogRates() {}

  /**
   * Entry point.
   *
   * @param args the JDBC URL (default {@code jdbc:postgresql://127.0.0.1:54329/haetae_test}), the user
   *     (default {@code haetae}), rounds (default 3), seconds per run (default 3), threads per engine
   *     (default 8)
   * @throws Exception when a log cannot be written
   */
  public static void main(String[] args) throws Exception {
    String url = args.length > 0 ? args[0] : "jdbc:postgresql://127.0.0.1:54329/haetae_test";
    String user = args.length > 1 ? args[1] : "haetae";
    int rounds = args.length > 2 ? Integer.parseInt(args[2]) : 3;
    double seconds = args.length > 3 ? Double.parseDouble(args[3]) : 3;
    int threads = args.length > 4 ? Integer.parseInt(args[4]) : 8;
    ContentEvent[] requests = requests(4096);
    Map<String, double[]> rates = new LinkedHashMap<>();
    Map<String, double[]> perCommit = new LinkedHashMap<>();
    Map<String, String> details = new LinkedHashMap<>();
    String[] configs = {"directory, 1 engine", "directory, 2 engines", "postgres, 1 engine",
        "postgres, 2 engines, same shard", "postgres, 2 engines, 2 shards"};
    for (String c : configs) {
      rates.put(c, new double[rounds]);
      perCommit.put(c, new double[rounds]);
    }
    System.out.printf(Locale.ROOT, "%s; %d round(s) of %.1f s per configuration, %d threads per engine;"
        + " load average %s%n", url, rounds, seconds, threads, loadAverage());
    for (String c : configs) {
      run(c, url, user, requests, threads, 0.5); // warm-up
    }
    for (int r = 0; r < rounds; r++) {
      for (String c : configs) {
        Result res = run(c, url, user, requests, threads, seconds);
        rates.get(c)[r] = res.rate;
        perCommit.get(c)[r] = res.perCommit;
        details.put(c, res.detail);
        System.out.printf(Locale.ROOT, "  round %d %-32s %8.0f decisions/s  %s%n", r + 1, c, res.rate, res.detail);
      }
    }
    double base = TimedLoad.median(rates.get("directory, 1 engine"));
    double pg1 = TimedLoad.median(rates.get("postgres, 1 engine"));
    System.out.printf(Locale.ROOT, "%nload average at the end: %s; medians of %d rounds%n", loadAverage(), rounds);
    System.out.printf(Locale.ROOT, "| %-32s | %11s | %-40s | %14s | %8s | %8s |%n", "configuration", "decisions/s",
        "rounds", "records/commit", "vs dir 1", "vs pg 1");
    System.out.println("|" + "-".repeat(34) + "|" + "-".repeat(13) + "|" + "-".repeat(42) + "|" + "-".repeat(16)
        + "|" + "-".repeat(10) + "|" + "-".repeat(10) + "|");
    for (String c : configs) {
      double m = TimedLoad.median(rates.get(c));
      System.out.printf(Locale.ROOT, "| %-32s | %11.0f | %-40s | %14.1f | %7.2fx | %8s |%n", c, m,
          Arrays.toString(TimedLoad.round(rates.get(c))), TimedLoad.median(perCommit.get(c)), m / base,
          c.startsWith("postgres") ? String.format(Locale.ROOT, "%.2fx", m / pg1) : "");
    }
  }

  private static final class Result {
    final double rate;
    final String detail;
    final double perCommit;

    Result(double rate, String detail, double perCommit) {
      this.rate = rate;
      this.detail = detail;
      this.perCommit = perCommit;
    }
  }

  private static ContentEvent[] requests(int n) {
    Random r = new Random(7);
    ContentEvent[] out = new ContentEvent[n];
    for (int i = 0; i < n; i++) {
      byte[] h = new byte[32];
      r.nextBytes(h);
      Content c = new Content(ContentId.of("content-" + i), ContentKind.IMAGE, Surface.GROUP,
          Set.of(Jurisdiction.of("DE")), Fingerprints.none().withSha256(Sha256.fromBytes(h)), Optional.empty());
      out[i] = ContentEvent.upload(c, AccountId.of("account-" + r.nextInt(10_000)), RoomId.of("room-" + r.nextInt(1000)));
    }
    return out;
  }

  private static Result run(String config, String url, String user, ContentEvent[] requests, int threads,
      double seconds) throws Exception {
    boolean pg = config.startsWith("postgres");
    int engines = config.contains("2 engines") ? 2 : 1;
    boolean sameShard = !config.contains("2 shards");
    String schema = "bench_" + Long.toString(new Random().nextLong() >>> 1, 36);
    List<AutoCloseable> closing = new ArrayList<>();
    List<ModerationEngine> es = new ArrayList<>();
    List<DecisionLog> logs = new ArrayList<>();
    List<HaetaePostgres> pools = new ArrayList<>();
    Path dir = pg ? null : Files.createTempDirectory("pg-log-rates-");
    try {
      for (int e = 0; e < engines; e++) {
        DecisionLog log;
        if (pg) {
          HaetaePostgres p = HaetaePostgres.builder().jdbcUrl(url).credentials(user, null).schema(schema)
              .maxPoolSize(4).build();
          pools.add(p);
          closing.add(p);
          log = p.decisionLog(sameShard ? "s" : "s" + e, KEY);
        } else {
          log = DecisionLogs.directory(dir.resolve("log" + e)).pseudonymizer(KEY).build();
        }
        logs.add(log);
        closing.add(0, log);
        ModerationEngine engine = ModerationEngine.builder().policyIsolation(PolicyIsolation.INLINE)
            .decisionLog(log).build();
        es.add(engine);
        closing.add(0, engine);
      }
      TimedLoad.Result result = TimedLoad.run(engines * threads, 131, seconds,
          (worker, i) -> es.get(worker / threads).evaluate(requests[i & (requests.length - 1)]));
      double rate = result.perSecond();
      StringBuilder detail = new StringBuilder();
      long batches = 0;
      for (DecisionLog l : logs) {
        String s = l.toString();
        int comma = s.indexOf(", ");
        detail.append(detail.length() == 0 ? "" : "; ").append(s, comma + 2, s.length() - 1);
        // "... N records in M transactions]" / "... N records in M fsync'ed batches]"
        String[] words = s.substring(comma + 2, s.length() - 1).split(" ");
        batches += Long.parseLong(words[3]);
      }
      if (pg && seconds >= 1) {
        HaetaePostgres p = pools.get(0);
        long records = 0;
        for (String shard : p.decisionLogShards()) {
          DecisionLogShard sh = p.decisionLogShard(shard);
          VerificationReport v = sh.verify();
          if (!v.ok()) {
            throw new IllegalStateException("shard " + shard + " does not verify: " + v.firstProblem());
          }
          records += v.records();
        }
        if (records != result.done()) {
          throw new IllegalStateException(records + " records for " + result.done() + " decisions");
        }
        try (Connection c = p.dataSource().getConnection(); Statement st = c.createStatement();
            ResultSet rs = st.executeQuery("SELECT avg(octet_length(record))::int FROM " + schema + ".decision_log")) {
          rs.next();
          detail.append("; verified, ").append(rs.getInt(1)).append(" B/record");
        }
      }
      return new Result(rate, detail.toString(), batches == 0 ? 0 : (double) result.done() / batches);
    } finally {
      for (AutoCloseable c : closing) {
        c.close();
      }
      if (pg) {
        try (Connection c = DriverManager.getConnection(url, user, null); Statement st = c.createStatement()) {
          st.execute("DROP SCHEMA " + schema + " CASCADE");
        }
      } else {
        try (Stream<Path> s = Files.walk(dir)) {
          s.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        }
      }
    }
  }

  private static String loadAverage() {
    try {
      String[] f = Files.readString(Path.of("/proc/loadavg")).split(" ");
      return f[0] + " " + f[1] + " " + f[2];
    } catch (java.io.IOException | RuntimeException e) {
      return "unknown";
    }
  }
}
