package dev.haetae.moderation.bench.audit;

import dev.haetae.moderation.api.Decision;
import dev.haetae.moderation.api.Evidence;
import dev.haetae.moderation.api.ObligationEvent;
import dev.haetae.moderation.api.spi.Pseudonymizer;
import dev.haetae.moderation.core.audit.AuditLog;
import dev.haetae.moderation.core.audit.DecisionLogs;
import dev.haetae.moderation.core.audit.EngineLog;
import dev.haetae.moderation.core.audit.ProgressListener;
import dev.haetae.moderation.core.audit.Pseudonymizers;
import dev.haetae.moderation.core.effect.Effect;
import dev.haetae.moderation.kafka.KafkaBroker;
import dev.haetae.moderation.kafka.KafkaLogShard;
import dev.haetae.moderation.postgres.HaetaePostgres;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;

/**
 * Durable append rates of the directory log, measured in alternating rounds so that every
 * configuration sees the same disk and machine conditions (a shared machine's fsync latency drifts
 * a lot). Every append is encoded (record and, on the engine path, its outbox entry) by the
 * appending thread and fsync'ed before it returns, as in production.
 *
 * <p>Paths: {@code engine} is what the engine calls for every decision, {@link
 * EngineLog#append(Evidence, Decision, List, List)} (the record with its effects, and its outbox
 * entry with raw ids, forced before the record), followed by {@link EngineLog#done(long)} as the
 * engine marks the decision carried out; {@code plain} is {@code DecisionLog.append(evidence,
 * decision)} (no effects, no outbox entry); {@code postgres} and {@code postgres-2} are plain
 * appends to the PostgreSQL log ({@code --postgres JDBC_URL}), on one shard or spread over two (half
 * the threads each), and {@code postgres-engine} and {@code postgres-engine-2} the engine path on
 * it (the record and its outbox row in one transaction, then done), a fresh schema per run. The
 * {@code postgres-bouncer} paths ({@code -engine}, {@code -2} as above) do the same through PgBouncer
 * in transaction mode ({@code --pg-bouncer JDBC_URL}, role {@code --pg-bouncer-user}, default {@code
 * haetae_bouncer}, whose search_path is {@code --pg-bouncer-schema}, default {@code haetae_bouncer};
 * {@code .ci/postgres.sh pgbouncer-start} sets that up), with {@code transactionPooling(true)}. With {@code --pg-data DIR} (the server's data
 * directory) the server's CPU per record is shown too: every process of that server, from {@code
 * /proc}, so only where the server runs on this machine. {@code kafka} and {@code kafka-2} are plain
 * appends to the Kafka log ({@code --kafka BOOTSTRAP}, or {@code --kafka start} for a one-broker
 * test cluster started here, in a JVM of its own on the class path {@code
 * -Dhaetae.kafka.brokerClasspath} names), on one shard or two (half the threads each, one writer per
 * shard), and {@code kafka-engine} and {@code kafka-engine-2} the engine path on it (the record and
 * its outbox entry in one transaction, then done), fresh topics per run. The broker's CPU per record
 * is shown as "server" when it runs on this machine: of the started broker, or of {@code
 * --kafka-pid PID}. Records are the decision records of a given log (e.g.
 * the example backend's, {@code --records DIR}) or, without one, synthetic bank-match removals of
 * about 1.5 KB.
 *
 * <p>For each path and thread count the table gives the median records/s over the rounds, the
 * records per fsync'ed batch, the process CPU per record (all threads, GC and JIT included:
 * encoding, hashing, writing, waking), and the segments' bytes written per second (the outbox, whose
 * files are deleted once their decisions are done, writes about as much again on the engine path), and
the appending threads' context switches per record (voluntary, plus involuntary ones: preemptions). Then, from one thread,
 * the latency of single appends (p50, p90, p99, max).
 *
 * <p>Run: {@code java -cp moderation-benchmarks/target/benchmarks.jar
 * dev.haetae.moderation.bench.audit.AppendRates [--records LOG_DIR] [--threads 1,8,64] [--paths
 * engine,plain] [--postgres JDBC_URL [--pg-user haetae] [--pg-data DIR] [--pg-pool 4]] [--pg-bouncer JDBC_URL]
 * [--kafka BOOTSTRAP|start [--kafka-pid PID]] [--rounds 3] [--seconds 2] [--warmup 3] [--latency 2000] [--per-record]
 * [--no-fsync] [--dir DIR]}
 * ({@code --no-fsync} measures what the CPU allows; those appends are not durable)
 */
public final class AppendRates {
  private static final com.sun.management.OperatingSystemMXBean OS =
      (com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();

  /** Off only with {@code --no-fsync}: what the CPU allows, not durable appends. */
  private static boolean fsync = true;

  private AppendRates() {}

  /** One record to append, as the engine hands it to the log. */
  record Rec(Evidence evidence, Decision decision, List<Effect> effects, List<ObligationEvent> events) {}

  /** What one timed run did; {@code serverMicros} is NaN unless a local PostgreSQL server is watched. */
  record Run(double perSecond, double perBatch, double cpuMicros, double sysMicros, double megabytesPerSecond,
      double gcMillis, double jitMillis, double serverMicros, double switchesPerRecord, double preemptedPerRecord) {}

  /** The appending threads' voluntary and involuntary context switches per record (NaN each when unknown). */
  private static double[] switchesPerRecord(TimedLoad.Result r) {
    long n = Math.max(1, r.done());
    return new double[] {r.voluntarySwitches() < 0 ? Double.NaN : (double) r.voluntarySwitches() / n,
        r.involuntarySwitches() < 0 ? Double.NaN : (double) r.involuntarySwitches() / n};
  }

  /** The PostgreSQL server to append to, when {@code --postgres} is given. */
  private static String pgUrl;
  private static String pgUser = "haetae";
  private static Path pgData;
  private static int pgPool = 4;
  /** The Kafka cluster to append to, when {@code --kafka} is given, and its broker's process id. */
  private static String kafkaBootstrap;
  private static long kafkaPid = -1;
  /** PgBouncer in transaction mode in front of the server, for the {@code postgres-bouncer} paths. */
  private static String bouncerUrl;
  private static String bouncerUser = "haetae_bouncer";
  private static String bouncerSchema = "haetae_bouncer";

  /**
   * Entry point.
   *
   * @param args options, see the class comment
   * @throws Exception when a log cannot be written
   */
  public static void main(String[] args) throws Exception {
    Map<String, String> opt = options(args);
    int rounds = Integer.parseInt(opt.getOrDefault("rounds", "3"));
    double seconds = Double.parseDouble(opt.getOrDefault("seconds", "2"));
    Path parent = Path.of(opt.getOrDefault("dir", "."));
    int[] threads = Arrays.stream(opt.getOrDefault("threads", "1,8,64").split(",")).mapToInt(Integer::parseInt)
        .toArray();
    List<String> paths = List.of(opt.getOrDefault("paths", "engine,plain").split(","));
    double warmup = Double.parseDouble(opt.getOrDefault("warmup", "3"));
    boolean perRecord = opt.containsKey("per-record");
    fsync = !opt.containsKey("no-fsync");
    pgUrl = opt.get("postgres");
    pgUser = opt.getOrDefault("pg-user", pgUser);
    pgData = opt.containsKey("pg-data") ? Path.of(opt.get("pg-data")) : null;
    pgPool = Integer.parseInt(opt.getOrDefault("pg-pool", "4"));
    bouncerUrl = opt.get("pg-bouncer");
    bouncerUser = opt.getOrDefault("pg-bouncer-user", bouncerUser);
    bouncerSchema = opt.getOrDefault("pg-bouncer-schema", bouncerSchema);
    if (bouncerUrl == null && paths.stream().anyMatch(p -> p.contains("bouncer"))) {
      throw new IllegalArgumentException("the postgres-bouncer paths need --pg-bouncer JDBC_URL");
    }
    if (pgUrl == null && paths.stream().anyMatch(p -> p.startsWith("postgres"))) {
      throw new IllegalArgumentException("the postgres paths need --postgres JDBC_URL");
    }
    if (!opt.containsKey("kafka") && paths.stream().anyMatch(p -> p.startsWith("kafka"))) {
      throw new IllegalArgumentException("the kafka paths need --kafka BOOTSTRAP or --kafka start");
    }
    kafkaPid = Long.parseLong(opt.getOrDefault("kafka-pid", "-1"));
    KafkaBroker broker = null;
    if ("start".equals(opt.get("kafka"))) {
      System.setProperty("haetae.kafka.workDir", parent.resolve("kafka-brokers").toString());
      broker = KafkaBroker.start("append-rates");
      kafkaBootstrap = broker.bootstrap();
      kafkaPid = broker.pid();
      System.out.printf(Locale.ROOT, "a one-broker Kafka cluster at %s, process %d, on this machine; load average"
          + " %s%n", kafkaBootstrap, kafkaPid, loadAverage());
    } else {
      kafkaBootstrap = opt.get("kafka");
    }
    try {
      measure(opt, parent, threads, paths, rounds, seconds, warmup, perRecord);
    } finally {
      if (broker != null) {
        broker.close();
      }
    }
  }

  private static void measure(Map<String, String> opt, Path parent, int[] threads, List<String> paths, int rounds,
      double seconds, double warmup, boolean perRecord) throws Exception {
    int latencyAppends = Integer.parseInt(opt.getOrDefault("latency", "2000"));
    Rec[] recs = opt.containsKey("records") ? fromLog(Path.of(opt.get("records"))) : synthetic();
    double meanBytes = meanRecordBytes(parent, recs);
    System.out.printf(Locale.ROOT, "%d records from %s, mean %.0f bytes framed; %d round(s) of %.1f s per"
        + " configuration, configurations alternating; load average %s%n", recs.length,
        opt.getOrDefault("records", "the synthetic generator"), meanBytes, rounds, seconds, loadAverage());

    List<String> configs = new ArrayList<>();
    for (String p : paths) {
      for (int t : threads) {
        configs.add(p + " " + t);
        if (perRecord) {
          configs.add(p + " " + t + " per-record");
        }
      }
    }
    Map<String, List<Run>> runs = new LinkedHashMap<>();
    for (String c : configs) {
      runs.put(c, new ArrayList<>());
      run(parent, recs, c, warmup);
    }
    for (int r = 0; r < rounds; r++) {
      for (String c : configs) {
        Run x = run(parent, recs, c, seconds);
        runs.get(c).add(x);
        System.out.printf(Locale.ROOT, "  round %d %-24s %9.0f records/s %7.1f per batch %7.1f us CPU/record"
            + " (%.1f system) %6.1f MB/s, GC %.0f ms, JIT %.0f ms, server %.1f us CPU/record, context switches"
            + " per record %.2f (+%.2f preempted); load %s%n", r + 1, c,
            x.perSecond, x.perBatch, x.cpuMicros, x.sysMicros, x.megabytesPerSecond, x.gcMillis, x.jitMillis,
            x.serverMicros, x.switchesPerRecord, x.preemptedPerRecord, loadAverage());
      }
    }
    System.out.printf(Locale.ROOT, "%nmedians of %d round(s); load average %s%n", rounds, loadAverage());
    System.out.printf(Locale.ROOT, "| %-24s | %10s | %-34s | %9s | %11s | %11s | %8s | %15s |%n", "path, threads",
        "records/s", "rounds", "per batch", "CPU/record", "server CPU", "log MB/s", "switches/record");
    System.out.println("|" + "-".repeat(26) + "|" + "-".repeat(12) + "|" + "-".repeat(36) + "|" + "-".repeat(11)
        + "|" + "-".repeat(13) + "|" + "-".repeat(13) + "|" + "-".repeat(10) + "|" + "-".repeat(17) + "|");
    for (String c : configs) {
      List<Run> rs = runs.get(c);
      double[] rate = rs.stream().mapToDouble(Run::perSecond).toArray();
      System.out.printf(Locale.ROOT, "| %-24s | %10.0f | %-34s | %9.1f | %8.1f us | %8.1f us | %8.1f | %6.2f + %6.2f |%n", c,
          TimedLoad.median(rate), Arrays.toString(TimedLoad.round(rate)),
          TimedLoad.median(rs.stream().mapToDouble(Run::perBatch).toArray()),
          TimedLoad.median(rs.stream().mapToDouble(Run::cpuMicros).toArray()),
          TimedLoad.median(rs.stream().mapToDouble(Run::serverMicros).toArray()),
          TimedLoad.median(rs.stream().mapToDouble(Run::megabytesPerSecond).toArray()),
          TimedLoad.median(rs.stream().mapToDouble(Run::switchesPerRecord).toArray()),
          TimedLoad.median(rs.stream().mapToDouble(Run::preemptedPerRecord).toArray()));
    }
    if (latencyAppends > 0) {
      System.out.printf(Locale.ROOT, "%nlatency of one append from one thread (%d appends after %d warm-up),"
          + " microseconds:%n", latencyAppends, latencyAppends / 4);
      for (String p : paths) {
        if (p.startsWith("postgres") || p.startsWith("kafka")) {
          continue;
        }
        latency(parent, recs, p, latencyAppends / 4); // warm-up
        long[] ns = latency(parent, recs, p, latencyAppends);
        System.out.printf(Locale.ROOT, "  %-6s p50 %7.0f  p90 %7.0f  p99 %7.0f  max %7.0f  load %s%n", p,
            pct(ns, 0.50), pct(ns, 0.90), pct(ns, 0.99), ns[ns.length - 1] / 1e3, loadAverage());
      }
    }
  }

  static Map<String, String> options(String[] args) {
    Map<String, String> opt = new LinkedHashMap<>();
    for (int i = 0; i < args.length; i++) {
      if (!args[i].startsWith("--")) {
        throw new IllegalArgumentException("unexpected argument '" + args[i] + "'; see the class comment");
      }
      String k = args[i].substring(2);
      if (k.equals("per-record") || k.equals("no-fsync")) {
        opt.put(k, "true");
      } else if (i + 1 < args.length) {
        opt.put(k, args[++i]);
      } else {
        throw new IllegalArgumentException("--" + k + " needs a value");
      }
    }
    return opt;
  }

  /** The decision records of a log, with their effects and obligation events. */
  static Rec[] fromLog(Path dir) {
    List<Rec> out = new ArrayList<>();
    AuditLog.open(dir).forEach(ProgressListener.NONE,
        r -> out.add(new Rec(r.evidence(), r.decision(), r.effects(), r.obligationEvents())));
    if (out.isEmpty()) {
      throw new IllegalArgumentException("no decision records in " + dir);
    }
    return out.toArray(new Rec[0]);
  }

  static Rec[] synthetic() {
    Random r = new Random(3);
    Rec[] out = new Rec[1024];
    for (int i = 0; i < out.length; i++) {
      Evidence e = Records.evidence(r, i);
      out[i] = new Rec(e, Records.decision(e, i), List.of(), List.of());
    }
    return out;
  }

  /** Appends every record once (engine path, no fsync) and returns the mean framed record size. */
  private static double meanRecordBytes(Path parent, Rec[] recs) throws IOException {
    Path dir = Files.createTempDirectory(parent, "append-rates-");
    try {
      try (EngineLog log = open(dir, 1024, false)) {
        for (Rec x : recs) {
          log.append(x.evidence, x.decision, x.effects, x.events);
        }
      }
      try (Stream<Path> s = Files.list(dir)) {
        long bytes = s.filter(p -> p.getFileName().toString().startsWith("segment-")).mapToLong(p -> p.toFile().length())
            .sum();
        return (double) bytes / recs.length;
      }
    } finally {
      delete(dir);
    }
  }

  static EngineLog open(Path dir, int maxBatch, boolean fsync) {
    return DecisionLogs.directory(dir)
        .pseudonymizer(Pseudonymizers.hmacSha256("bench", "0123456789abcdef".getBytes(StandardCharsets.UTF_8)))
        .maxBatch(maxBatch).fsync(fsync).build();
  }

  static long append(EngineLog log, boolean engine, Rec x) {
    if (engine) {
      long seq = log.append(x.evidence, x.decision, x.effects, x.events);
      log.done(seq);
      return seq;
    }
    return log.append(x.evidence, x.decision);
  }

  private static Run run(Path parent, Rec[] recs, String config, double seconds) throws Exception {
    String[] c = config.split(" ");
    if (c[0].startsWith("kafka")) {
      return runKafka(recs, c[0].contains("engine"), c[0].endsWith("-2") ? 2 : 1, Integer.parseInt(c[1]),
          c.length > 2 ? 1 : 512, seconds);
    }
    if (c[0].startsWith("postgres")) {
      return runPostgres(recs, c[0].contains("engine"), c[0].endsWith("-2") ? 2 : 1, Integer.parseInt(c[1]),
          seconds, c[0].contains("bouncer"));
    }
    boolean engine = c[0].equals("engine");
    int threads = Integer.parseInt(c[1]);
    int maxBatch = c.length > 2 ? 1 : 1024;
    Path dir = Files.createTempDirectory(parent, "append-rates-");
    try {
      TimedLoad.Result result;
      String stats;
      long cpu0;
      long cpu1;
      long[] ticks0;
      long[] ticks1;
      long gc0;
      long jit0;
      try (EngineLog log = open(dir, maxBatch, fsync)) {
        ticks0 = procTicks();
        gc0 = gcMillis();
        jit0 = ManagementFactory.getCompilationMXBean().getTotalCompilationTime();
        cpu0 = OS.getProcessCpuTime();
        result = TimedLoad.run(threads, 97, seconds, (worker, i) -> append(log, engine, recs[i % recs.length]));
        cpu1 = OS.getProcessCpuTime();
        ticks1 = procTicks();
        stats = log.toString();
      }
      long gc = gcMillis() - gc0;
      long jit = ManagementFactory.getCompilationMXBean().getTotalCompilationTime() - jit0;
      // "...[dir, N records in M fsync'ed batches]"
      String[] words = stats.substring(stats.lastIndexOf(", ") + 2, stats.length() - 1).split(" ");
      double perBatch = Double.parseDouble(words[0]) / Math.max(1, Double.parseDouble(words[3]));
      long bytes;
      try (Stream<Path> s = Files.list(dir)) {
        bytes = s.filter(p -> p.getFileName().toString().startsWith("segment-")).mapToLong(p -> p.toFile().length())
            .sum();
      }
      double secs = result.elapsedNanos() / 1e9;
      long n = Math.max(1, result.done());
      double sys = ticks0 == null || ticks1 == null ? Double.NaN : (ticks1[1] - ticks0[1]) * 1e6 / TICKS / n;
      double[] sw = switchesPerRecord(result);
      return new Run(result.perSecond(), perBatch, (cpu1 - cpu0) / 1e3 / n, sys, bytes / 1e6 / secs, gc, jit,
          Double.NaN, sw[0], sw[1]);
    } finally {
      delete(dir);
    }
  }

  /**
   * Appends to the PostgreSQL log, plain or on the engine path, {@code shards} shards with {@code
   * threads / shards} callers each, in a fresh schema that is dropped
   * afterwards. Records/s over all shards; CPU per record of this process and, with {@code
   * --pg-data}, of the server.
   */
  private static Run runPostgres(Rec[] recs, boolean engine, int shards, int threads, double seconds,
      boolean bouncer) throws InterruptedException {
    // through PgBouncer the role's search_path names one schema: it is dropped before and after
    String schema = bouncer ? bouncerSchema : "bench_" + Long.toString(new Random().nextLong() >>> 1, 36);
    String url = bouncer ? bouncerUrl : pgUrl;
    String user = bouncer ? bouncerUser : pgUser;
    if (bouncer) {
      dropSchema(url, user, schema);
    }
    Pseudonymizer key = Pseudonymizers.hmacSha256("bench", "0123456789abcdef".getBytes(StandardCharsets.UTF_8));
    HaetaePostgres.Builder builder = HaetaePostgres.builder().jdbcUrl(url).credentials(user, null).schema(schema)
        .maxPoolSize(pgPool);
    if (bouncer) {
      builder.transactionPooling(true); // only then: a base jar without the switch still runs the other paths
    }
    try (HaetaePostgres pg = builder.build()) {
      List<EngineLog> logs = new ArrayList<>();
      try {
        for (int s = 0; s < shards; s++) {
          logs.add(pg.decisionLog("s" + s, key));
        }
        return onShards(recs, logs, engine, threads, seconds, AppendRates::serverTicks, l -> {
          // "PgDecisionLog[shard s, N records in M transactions...]"
          String[] w = l.toString().split(", ", 2)[1].split(" ");
          return new long[] {Long.parseLong(w[0]), Long.parseLong(w[3])};
        });
      } finally {
        for (EngineLog l : logs) {
          l.close();
        }
        dropSchema(url, user, schema);
      }
    }
  }

  private static void dropSchema(String url, String user, String schema) {
    try (Connection con = DriverManager.getConnection(url, user, null);
        Statement st = con.createStatement()) {
      st.execute("DROP SCHEMA IF EXISTS " + schema + " CASCADE");
    } catch (SQLException e) {
      System.err.println("cannot drop schema " + schema + ": " + e.getMessage());
    }
  }

  /**
   * Appends to the Kafka log, plain or on the engine path, {@code shards} shards (partitions of one
   * fresh topic, one writer each) with {@code threads / shards} callers each. Records/s over all
   * shards; CPU per record of this process (the producers' network threads included) and, when its
   * process id is known, of the broker.
   */
  private static Run runKafka(Rec[] recs, boolean engine, int shards, int threads, int maxBatch, double seconds)
      throws Exception {
    String topic = "bench-" + Long.toString(new Random().nextLong() >>> 1, 36);
    try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, kafkaBootstrap))) {
      admin.createTopics(List.of(
          new NewTopic(topic, shards, (short) 1).configs(KafkaLogShard.logTopicConfig()),
          new NewTopic(KafkaLogShard.outboxTopic(topic), shards, (short) 1)
              .configs(KafkaLogShard.outboxTopicConfig()))).all().get(60, TimeUnit.SECONDS);
    }
    Pseudonymizer key = Pseudonymizers.hmacSha256("bench", "0123456789abcdef".getBytes(StandardCharsets.UTF_8));
    List<EngineLog> logs = new ArrayList<>();
    try {
      for (int s = 0; s < shards; s++) {
        logs.add(KafkaLogShard.of(kafkaBootstrap, topic, s).writer().pseudonymizer(key).maxBatch(maxBatch).build());
      }
      return onShards(recs, logs, engine, threads, seconds, () -> pidTicks(kafkaPid), l -> {
        // "KafkaDecisionLog[kafka:topic/N, T transactions, R records]"
        String[] w = l.toString().split(", ");
        return new long[] {Long.parseLong(w[2].split(" ")[0]), Long.parseLong(w[1].split(" ")[0])};
      });
    } finally {
      for (EngineLog l : logs) {
        l.close();
      }
      try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, kafkaBootstrap))) {
        admin.deleteTopics(List.of(topic, KafkaLogShard.outboxTopic(topic))).all().get(60, TimeUnit.SECONDS);
      } catch (Exception e) {
        System.err.println("cannot delete topic " + topic + ": " + e.getMessage());
      }
    }
  }

  /**
   * Appends from {@code threads} callers spread evenly over the shards' logs for {@code seconds}.
   * Records/s over all shards; records per transaction from {@code counts} (records and
   * transactions of one log); CPU per record of this process and, when {@code server} gives its
   * ticks, of the server.
   */
  private static Run onShards(Rec[] recs, List<EngineLog> logs, boolean engine, int threads, double seconds,
      java.util.function.Supplier<long[]> server, java.util.function.Function<EngineLog, long[]> counts)
      throws InterruptedException {
    int shards = logs.size();
    int per = Math.max(1, threads / shards);
    long[] ticks0 = procTicks();
    long[] server0 = server.get();
    long gc0 = gcMillis();
    long jit0 = ManagementFactory.getCompilationMXBean().getTotalCompilationTime();
    long cpu0 = OS.getProcessCpuTime();
    TimedLoad.Result result = TimedLoad.run(per * shards, 97, seconds, (worker, i) -> {
      Rec x = recs[i % recs.length];
      append(logs.get(worker / per), engine, x);
    });
    long cpu1 = OS.getProcessCpuTime();
    long[] server1 = server.get();
    long[] ticks1 = procTicks();
    long n = Math.max(1, result.done());
    long records = 0;
    long transactions = 0;
    for (EngineLog l : logs) {
      long[] c = counts.apply(l);
      records += c[0];
      transactions += c[1];
    }
    double sys = ticks0 == null || ticks1 == null ? Double.NaN : (ticks1[1] - ticks0[1]) * 1e6 / TICKS / n;
    double serverMicros = server0 == null || server1 == null ? Double.NaN
        : (server1[0] + server1[1] - server0[0] - server0[1]) * 1e6 / TICKS / n;
    return new Run(result.perSecond(), (double) records / Math.max(1, transactions), (cpu1 - cpu0) / 1e3 / n,
        sys, Double.NaN, gcMillis() - gc0, ManagementFactory.getCompilationMXBean().getTotalCompilationTime() - jit0,
        serverMicros, switchesPerRecord(result)[0], switchesPerRecord(result)[1]);
  }

  /** User and system CPU, in clock ticks, of process {@code pid} (not its children), or null. */
  static long[] pidTicks(long pid) {
    if (pid < 0) {
      return null;
    }
    try {
      String s = Files.readString(Path.of("/proc", Long.toString(pid), "stat"));
      String[] f = s.substring(s.lastIndexOf(')') + 2).split(" ");
      return new long[] {Long.parseLong(f[11]), Long.parseLong(f[12])};
    } catch (IOException | RuntimeException e) {
      return null;
    }
  }

  /**
   * User and system CPU, in clock ticks, of the PostgreSQL server whose data directory is {@code
   * --pg-data}: its postmaster and every child (backends, WAL writer, checkpointer), or null. A
   * backend that exits during a run takes its ticks with it; the pool keeps its connections.
   */
  private static long[] serverTicks() {
    if (pgData == null) {
      return null;
    }
    try {
      long postmaster = Long.parseLong(Files.readAllLines(pgData.resolve("postmaster.pid")).get(0).trim());
      long[] sum = new long[2];
      try (Stream<Path> procs = Files.list(Path.of("/proc"))) {
        for (Path p : (Iterable<Path>) procs::iterator) {
          String name = p.getFileName().toString();
          if (!name.chars().allMatch(Character::isDigit)) {
            continue;
          }
          try {
            String s = Files.readString(p.resolve("stat"));
            String[] f = s.substring(s.lastIndexOf(')') + 2).split(" ");
            long pid = Long.parseLong(name);
            if (pid == postmaster || Long.parseLong(f[1]) == postmaster) {
              sum[0] += Long.parseLong(f[11]);
              sum[1] += Long.parseLong(f[12]);
            }
          } catch (IOException | RuntimeException gone) {
            // the process ended while being read
          }
        }
      }
      return sum;
    } catch (IOException | RuntimeException e) {
      return null;
    }
  }

  /** Clock ticks per second of /proc/self/stat (USER_HZ, 100 on Linux). */
  private static final double TICKS = 100;

  /** User and system CPU of this process in clock ticks, or null where /proc is not there. */
  private static long[] procTicks() {
    try {
      String s = Files.readString(Path.of("/proc/self/stat"));
      String[] f = s.substring(s.lastIndexOf(')') + 2).split(" ");
      return new long[] {Long.parseLong(f[11]), Long.parseLong(f[12])};
    } catch (IOException | RuntimeException e) {
      return null;
    }
  }

  private static long gcMillis() {
    long t = 0;
    for (java.lang.management.GarbageCollectorMXBean b : ManagementFactory.getGarbageCollectorMXBeans()) {
      t += Math.max(0, b.getCollectionTime());
    }
    return t;
  }

  private static long[] latency(Path parent, Rec[] recs, String path, int appends) throws IOException {
    boolean engine = path.equals("engine");
    Path dir = Files.createTempDirectory(parent, "append-rates-");
    long[] ns = new long[appends];
    try (EngineLog log = open(dir, 1024, fsync)) {
      for (int i = 0; i < appends; i++) {
        Rec x = recs[i % recs.length];
        long t0 = System.nanoTime();
        append(log, engine, x);
        ns[i] = System.nanoTime() - t0;
      }
    } finally {
      delete(dir);
    }
    Arrays.sort(ns);
    return ns;
  }

  private static double pct(long[] sorted, double p) {
    return sorted[Math.min(sorted.length - 1, (int) Math.floor(p * sorted.length))] / 1e3;
  }

  static void delete(Path dir) throws IOException {
    try (Stream<Path> s = Files.walk(dir)) {
      s.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    }
  }

  static String loadAverage() {
    try {
      String[] f = Files.readString(Path.of("/proc/loadavg")).split(" ");
      return f[0] + " " + f[1] + " " + f[2];
    } catch (IOException | RuntimeException e) {
      return "unknown";
    }
  }
}
