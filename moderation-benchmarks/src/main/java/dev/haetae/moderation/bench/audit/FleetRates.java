package dev.haetae.moderation.bench.audit;

import dev.haetae.moderation.core.audit.EngineLog;
import dev.haetae.moderation.core.audit.Pseudonymizers;
import dev.haetae.moderation.kafka.KafkaBroker;
import dev.haetae.moderation.kafka.KafkaLogShard;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * One, two and four engine JVMs side by side, each a separate process on the same class path with
 * a shard of its own (a shard has one writer): the Kafka log (one partition each of a fresh topic,
 * on a broker this program starts or one given) and the file log (a directory each, fsync on). Each
 * process appends on the engine path (the record with its outbox entry, then the done mark) from
 * {@code --threads} callers; all start together, warm up, then measure for the same window. Prints
 * per configuration the total decisions/s, each process's CPU per decision, the broker's CPU per
 * decision and the load average.
 *
 * <p>On a machine with fewer cores than processes this measures contention, not scaling: the
 * processes (and the broker) share the same cores.
 *
 * <p>Usage: {@code FleetRates [--kafka start|BOOTSTRAP [--kafka-pid PID]] [--logs kafka,file]
 * [--jvms 1,2,4] [--threads 16] [--warmup 5] [--seconds 10] [--dir DIR] [--heap 256m]}; the child
 * mode ({@code FleetRates child ...}) is what the program starts itself.
 */
public final class FleetRates {
  private static final com.sun.management.OperatingSystemMXBean OS =
      (com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();

  private FleetRates() {}

  /**
   * Entry point.
   *
   * @param args options, see the class comment
   * @throws Exception when a log cannot be written or a process fails
   */
  public static void main(String[] args) throws Exception {
    if (args.length > 0 && args[0].equals("child")) {
      child(args);
      return;
    }
    Map<String, String> opt = AppendRates.options(args);
    List<String> logs = List.of(opt.getOrDefault("logs", "kafka,file").split(","));
    int[] jvms = Arrays.stream(opt.getOrDefault("jvms", "1,2,4").split(",")).mapToInt(Integer::parseInt).toArray();
    int threads = Integer.parseInt(opt.getOrDefault("threads", "16"));
    double warmup = Double.parseDouble(opt.getOrDefault("warmup", "5"));
    double seconds = Double.parseDouble(opt.getOrDefault("seconds", "10"));
    Path parent = Path.of(opt.getOrDefault("dir", "."));
    String heap = opt.getOrDefault("heap", "256m");
    KafkaBroker broker = null;
    String bootstrap = opt.get("kafka");
    long brokerPid = Long.parseLong(opt.getOrDefault("kafka-pid", "-1"));
    if (logs.contains("kafka") && bootstrap == null) {
      throw new IllegalArgumentException("the kafka log needs --kafka BOOTSTRAP or --kafka start");
    }
    if ("start".equals(bootstrap)) {
      System.setProperty("haetae.kafka.workDir", parent.resolve("kafka-brokers").toString());
      broker = KafkaBroker.start("fleet-rates");
      bootstrap = broker.bootstrap();
      brokerPid = broker.pid();
    }
    System.out.printf(Locale.ROOT, "%d callers per process, %.0f s warm-up, %.0f s measured, heap %s; %d cores;"
        + " load average %s%n", threads, warmup, seconds, heap, Runtime.getRuntime().availableProcessors(),
        AppendRates.loadAverage());
    System.out.println("log    JVMs  decisions/s  CPU/decision per JVM (us)          broker CPU/decision  load average");
    try {
      for (String log : logs) {
        for (int n : jvms) {
          String target;
          if (log.equals("kafka")) {
            target = "fleet-" + Long.toString(System.nanoTime(), 36);
            broker(broker, bootstrap, target, n);
          } else {
            target = Files.createTempDirectory(parent, "fleet-").toString();
          }
          try {
            measure(log, bootstrap, target, n, threads, warmup, seconds, heap, brokerPid);
          } finally {
            if (!log.equals("kafka")) {
              AppendRates.delete(Path.of(target));
            }
          }
        }
      }
    } finally {
      if (broker != null) {
        broker.close();
      }
    }
  }

  private static void broker(KafkaBroker broker, String bootstrap, String topic, int partitions) {
    if (broker != null) {
      broker.createLogTopics(topic, partitions);
      return;
    }
    try (var admin = org.apache.kafka.clients.admin.Admin.create(
        Map.of(org.apache.kafka.clients.admin.AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap))) {
      admin.createTopics(List.of(
          new org.apache.kafka.clients.admin.NewTopic(topic, partitions, (short) 1)
              .configs(KafkaLogShard.logTopicConfig()),
          new org.apache.kafka.clients.admin.NewTopic(KafkaLogShard.outboxTopic(topic), partitions, (short) 1)
              .configs(KafkaLogShard.outboxTopicConfig()))).all().get();
    } catch (Exception e) {
      throw new IllegalStateException("cannot create topic " + topic + ": " + e, e);
    }
  }

  private static void measure(String log, String bootstrap, String target, int n, int threads, double warmup,
      double seconds, String heap, long brokerPid) throws Exception {
    List<Process> ps = new ArrayList<>();
    List<BufferedReader> outs = new ArrayList<>();
    try {
      for (int i = 0; i < n; i++) {
        List<String> cmd = List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-Xmx" + heap,
            "-cp", System.getProperty("java.class.path"), FleetRates.class.getName(), "child", log,
            String.valueOf(bootstrap), target, Integer.toString(i), Integer.toString(threads), Double.toString(warmup),
            Double.toString(seconds));
        Process p = new ProcessBuilder(cmd).redirectError(ProcessBuilder.Redirect.INHERIT).start();
        ps.add(p);
        outs.add(new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8)));
      }
      for (BufferedReader r : outs) {
        expect(r, "ready");
      }
      for (Process p : ps) { // all start together
        OutputStream o = p.getOutputStream();
        o.write("go\n".getBytes(StandardCharsets.UTF_8));
        o.flush();
      }
      for (BufferedReader r : outs) {
        expect(r, "measuring");
      }
      long[] b0 = AppendRates.pidTicks(brokerPid);
      String load0 = AppendRates.loadAverage();
      double total = 0;
      long done = 0;
      StringBuilder cpu = new StringBuilder();
      for (BufferedReader r : outs) {
        String[] f = expect(r, "result").split(" ");
        total += Double.parseDouble(f[2]);
        done += Long.parseLong(f[1]);
        cpu.append(cpu.length() == 0 ? "" : ", ").append(String.format(Locale.ROOT, "%.1f",
            Long.parseLong(f[3]) / 1e3 / Math.max(1, Long.parseLong(f[1]))));
      }
      long[] b1 = AppendRates.pidTicks(brokerPid);
      String brokerCpu = !log.equals("kafka") || b0 == null || b1 == null ? "-"
          : String.format(Locale.ROOT, "%.1f us", (b1[0] + b1[1] - b0[0] - b0[1]) * 1e4 / Math.max(1, done));
      System.out.printf(Locale.ROOT, "%-6s %4d  %11.0f  %-34s %-20s %s -> %s%n", log, n, total, cpu, brokerCpu, load0,
          AppendRates.loadAverage());
    } finally {
      for (Process p : ps) {
        p.getOutputStream().close();
        if (!p.waitFor(60, java.util.concurrent.TimeUnit.SECONDS)) {
          p.destroyForcibly();
        }
      }
    }
  }

  private static String expect(BufferedReader r, String prefix) throws IOException {
    String line = r.readLine();
    if (line == null || !line.startsWith(prefix)) {
      throw new IllegalStateException("a child process said '" + line + "', expected '" + prefix + "'");
    }
    return line;
  }

  /** One engine JVM: opens its shard, waits for "go", warms up, measures, reports, closes. */
  private static void child(String[] a) throws Exception {
    String log = a[1];
    String bootstrap = a[2];
    String target = a[3];
    int shard = Integer.parseInt(a[4]);
    int threads = Integer.parseInt(a[5]);
    double warmup = Double.parseDouble(a[6]);
    double seconds = Double.parseDouble(a[7]);
    AppendRates.Rec[] recs = AppendRates.synthetic();
    EngineLog l = log.equals("kafka")
        ? KafkaLogShard.of(bootstrap, target, shard).writer().pseudonymizer(Pseudonymizers.hmacSha256("bench",
            "0123456789abcdef".getBytes(StandardCharsets.UTF_8))).build()
        : AppendRates.open(Files.createDirectories(Path.of(target, "shard-" + shard)), 512, true);
    try (l; BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8))) {
      System.out.println("ready");
      System.out.flush();
      if (!"go".equals(in.readLine())) {
        return;
      }
      TimedLoad.Op op = (worker, i) -> AppendRates.append(l, true, recs[i % recs.length]);
      TimedLoad.run(threads, 97, warmup, op);
      System.out.println("measuring");
      System.out.flush();
      long cpu0 = OS.getProcessCpuTime();
      TimedLoad.Result r = TimedLoad.run(threads, 97, seconds, op);
      long cpu1 = OS.getProcessCpuTime();
      System.out.printf(Locale.ROOT, "result %d %.1f %d%n", r.done(), r.perSecond(), cpu1 - cpu0);
      System.out.flush();
    }
  }
}
