package dev.haetae.moderation.kafka;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.DescribeClusterOptions;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.common.Uuid;

/**
 * A real Apache Kafka broker for the tests: KRaft combined mode (broker and controller in one
 * process, node 1), from the official Maven artifacts, in a JVM of its own on its own class path
 * (the file {@code moderation-kafka-broker} writes), listening on loopback only on free ports, with
 * its data in a directory under {@code target/}. {@link #shared()} is one broker for every test
 * class of the module run; a test that restarts its broker starts its own with {@link #start}.
 * Public for the command line's tests, which take this class from the module's test jar.
 *
 * <p>One broker: every internal topic has replication factor 1 and min ISR 1, so a record is
 * acknowledged once it is in this one broker's page cache, not on any disk (Kafka does not fsync per
 * write). See {@code src-docs/kafka.md}.
 */
public final class KafkaBroker implements AutoCloseable {
  private static final AtomicInteger NEXT = new AtomicInteger();
  private static KafkaBroker shared;

  private final Path dir;
  private final int port;
  private final int controllerPort;
  private Process process;

  private KafkaBroker(Path dir, int port, int controllerPort) {
    this.dir = dir;
    this.port = port;
    this.controllerPort = controllerPort;
  }

  /** The broker all test classes share, started on first use and stopped when the test JVM ends. */
  public static synchronized KafkaBroker shared() {
    if (shared == null) {
      shared = start("shared");
      KafkaBroker b = shared;
      Runtime.getRuntime().addShutdownHook(new Thread(b::close, "kafka-test-broker-stop"));
    }
    return shared;
  }

  /**
   * Formats a new data directory and starts a broker on it; returns once it answers an admin
   * request.
   */
  public static KafkaBroker start(String name) {
    try {
      Path work = Path.of(System.getProperty("haetae.kafka.workDir", "target/kafka-brokers"));
      Path dir = work.resolve(name + "-" + ProcessHandle.current().pid() + "-" + NEXT.incrementAndGet());
      Files.createDirectories(dir.resolve("data"));
      KafkaBroker b = new KafkaBroker(dir.toAbsolutePath(), freePort(), freePort());
      b.writeConfig();
      b.run(List.of("kafka.tools.StorageTool", "format", "-t", Uuid.randomUuid().toString(), "-c",
          b.config().toString()), "format.log", true);
      b.startProcess();
      return b;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** host:port of the broker's listener. */
  public String bootstrap() {
    return "127.0.0.1:" + port;
  }

  /** The broker's process id, or -1 while it is stopped (the benchmarks read its CPU time from /proc). */
  public synchronized long pid() {
    return process == null ? -1 : process.pid();
  }

  /** An admin client of this broker; the caller closes it. */
  Admin admin() {
    return Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap(),
        AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, 30_000, AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, 10_000));
  }

  /** Creates a decision-log topic and its outbox topic with {@code partitions} partitions each. */
  public void createLogTopics(String topic, int partitions) {
    try (Admin admin = admin()) {
      admin.createTopics(List.of(
          new NewTopic(topic, partitions, (short) 1).configs(KafkaLogShard.logTopicConfig()),
          new NewTopic(KafkaLogShard.outboxTopic(topic), partitions, (short) 1)
              .configs(KafkaLogShard.outboxTopicConfig()))).all().get(60, TimeUnit.SECONDS);
    } catch (Exception e) {
      throw new IllegalStateException("cannot create topic " + topic + ": " + e, e);
    }
  }

  /** Creates a topic with one partition and the given settings. */
  public void createTopic(String topic, Map<String, String> configs) {
    try (Admin admin = admin()) {
      admin.createTopics(List.of(new NewTopic(topic, 1, (short) 1).configs(configs))).all().get(60, TimeUnit.SECONDS);
    } catch (Exception e) {
      throw new IllegalStateException("cannot create topic " + topic + ": " + e, e);
    }
  }

  /** Stops the broker cleanly (SIGTERM: it flushes and closes its logs) and waits for it. */
  public synchronized void stop() {
    if (process == null) {
      return;
    }
    process.destroy();
    try {
      if (!process.waitFor(60, TimeUnit.SECONDS)) {
        process.destroyForcibly().waitFor();
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      process.destroyForcibly();
    }
    process = null;
  }

  /**
   * Kills the broker (SIGKILL: no shutdown, no flush; the kernel keeps what it had written to the
   * page cache, as after a process crash, not a machine crash) and waits for it.
   */
  public synchronized void kill() {
    if (process == null) {
      return;
    }
    try {
      process.destroyForcibly().waitFor();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    process = null;
  }

  /** Starts the stopped broker again, on the same ports and data; returns once it answers. */
  public synchronized void restart() {
    stop();
    try {
      startProcess();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  @Override
  public void close() {
    stop();
  }

  private Path config() {
    return dir.resolve("server.properties");
  }

  private void writeConfig() throws IOException {
    Properties p = new Properties();
    p.setProperty("process.roles", "broker,controller");
    p.setProperty("node.id", "1");
    p.setProperty("controller.quorum.voters", "1@127.0.0.1:" + controllerPort);
    p.setProperty("listeners", "PLAINTEXT://127.0.0.1:" + port + ",CONTROLLER://127.0.0.1:" + controllerPort);
    p.setProperty("advertised.listeners", "PLAINTEXT://127.0.0.1:" + port);
    p.setProperty("controller.listener.names", "CONTROLLER");
    p.setProperty("inter.broker.listener.name", "PLAINTEXT");
    p.setProperty("listener.security.protocol.map", "PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT");
    p.setProperty("log.dirs", dir.resolve("data").toString());
    p.setProperty("auto.create.topics.enable", "false");
    p.setProperty("num.partitions", "1");
    p.setProperty("offsets.topic.replication.factor", "1");
    p.setProperty("offsets.topic.num.partitions", "1");
    p.setProperty("transaction.state.log.replication.factor", "1");
    p.setProperty("transaction.state.log.min.isr", "1");
    p.setProperty("transaction.state.log.num.partitions", "1");
    p.setProperty("share.coordinator.state.topic.replication.factor", "1");
    p.setProperty("share.coordinator.state.topic.min.isr", "1");
    p.setProperty("group.initial.rebalance.delay.ms", "0");
    p.setProperty("num.network.threads", "2");
    p.setProperty("num.io.threads", "2");
    p.setProperty("log.cleaner.backoff.ms", "1000");
    try (var w = Files.newBufferedWriter(config(), StandardCharsets.UTF_8)) {
      p.store(w, "Haetae test broker (loopback only)");
    }
  }

  private void startProcess() throws IOException {
    process = launch(List.of("kafka.Kafka", config().toString()), "broker.log");
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
    try (Admin admin = admin()) {
      while (true) {
        if (!process.isAlive()) {
          throw new IllegalStateException("the test broker exited with " + process.exitValue() + "; see "
              + dir.resolve("broker.log"));
        }
        try {
          if (!admin.describeCluster(new DescribeClusterOptions().timeoutMs(2_000)).nodes().get().isEmpty()) {
            return;
          }
        } catch (ExecutionException e) {
          if (System.nanoTime() > deadline) {
            process.destroyForcibly();
            throw new IllegalStateException("the test broker did not answer within 120 s; see "
                + dir.resolve("broker.log"), e);
          }
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          throw new IllegalStateException("interrupted while waiting for the test broker", e);
        }
      }
    }
  }

  private void run(List<String> mainAndArgs, String logName, boolean wait) throws IOException {
    Process p = launch(mainAndArgs, logName);
    try {
      if (!p.waitFor(120, TimeUnit.SECONDS)) {
        p.destroyForcibly();
        throw new IllegalStateException(mainAndArgs.get(0) + " did not finish; see " + dir.resolve(logName));
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      p.destroyForcibly();
      throw new IllegalStateException("interrupted", e);
    }
    if (p.exitValue() != 0) {
      throw new IllegalStateException(mainAndArgs.get(0) + " exited with " + p.exitValue() + ": "
          + Files.readString(dir.resolve(logName)));
    }
  }

  private Process launch(List<String> mainAndArgs, String logName) throws IOException {
    List<String> cmd = new ArrayList<>();
    cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    cmd.add("-Xms64m");
    cmd.add("-Xmx512m");
    cmd.add("-XX:+UseSerialGC");
    cmd.add("-XX:TieredStopAtLevel=1");
    cmd.add("-Djava.net.preferIPv4Stack=true");
    cmd.add("-Dkafka.logs.dir=" + dir.resolve("logs"));
    // the broker's slf4j-simple (on its class path only) to its log file: INFO, and the transaction
    // coordinator (its state, the markers it sends, their outcome) at DEBUG
    cmd.add("-Dorg.slf4j.simpleLogger.showDateTime=true");
    cmd.add("-Dorg.slf4j.simpleLogger.dateTimeFormat=HH:mm:ss.SSS");
    cmd.add("-Dorg.slf4j.simpleLogger.defaultLogLevel=info");
    for (String logger : List.of("kafka.coordinator.transaction", "org.apache.kafka.coordinator.transaction")) {
      cmd.add("-Dorg.slf4j.simpleLogger.log." + logger + "=debug");
    }
    for (String logger : System.getProperty("haetae.kafka.brokerDebug", "").split(",")) {
      if (!logger.isBlank()) {
        cmd.add("-Dorg.slf4j.simpleLogger.log." + logger.strip() + "=debug");
      }
    }
    cmd.add("-cp");
    cmd.add(brokerClasspath());
    cmd.addAll(mainAndArgs);
    ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true)
        .redirectOutput(ProcessBuilder.Redirect.appendTo(dir.resolve(logName).toFile()));
    pb.environment().keySet().removeIf(k -> k.startsWith("KAFKA_") || k.equals("CLASSPATH"));
    return pb.start();
  }

  private static String brokerClasspath() throws IOException {
    String file = System.getProperty("haetae.kafka.brokerClasspath",
        "../moderation-kafka-broker/target/broker.classpath");
    Path f = Path.of(file);
    if (!Files.isRegularFile(f)) {
      throw new IllegalStateException("the broker's class path file " + f + " is missing: build with the reactor"
          + " (./mvnw -pl moderation-kafka -am test), which resolves it in moderation-kafka-broker");
    }
    return Files.readString(f).trim();
  }

  private static int freePort() throws IOException {
    try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      s.setReuseAddress(true);
      return s.getLocalPort();
    }
  }
}
