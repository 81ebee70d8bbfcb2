package dev.haetae.moderation.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.haetae.moderation.kafka.KafkaBroker;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * The audit commands read a Kafka shard ({@code kafka://host:port/topic?shard=N}) as they read a
 * log directory: the quickstart's log, its record lines put into partition 1 of a topic on a real
 * broker in one transaction, gives the same verification, replay, statements of reasons, backtest
 * and explanation; a changed record fails verification; a malformed name is refused.
 */
class KafkaLogCommandsTest {
  @TempDir static Path root;
  static Path log;
  static String uri;
  static String tamperedUri;
  static String notice;

  private static int run(StringWriter out, StringWriter err, String... args) {
    CommandLine cl = Haetae.commandLine();
    cl.setOut(new PrintWriter(out));
    cl.setErr(new PrintWriter(err));
    return cl.execute(args);
  }

  @BeforeAll
  static void writeLogToKafka() throws Exception {
    log = root.resolve("log");
    StringWriter sim = new StringWriter();
    StringWriter err = new StringWriter();
    assertEquals(0, run(sim, err, "simulate", "../examples/scenarios/quickstart.jsonl", "--log", log.toString()),
        err.toString());
    ObjectMapper json = new ObjectMapper();
    for (String line : sim.toString().split("\n")) {
      JsonNode n = json.readTree(line);
      if (n.has("decision") && "notice".equals(n.path("type").asText())) {
        notice = n.get("decision").asText();
        break;
      }
    }
    List<byte[]> lines = new ArrayList<>();
    try (Stream<Path> s = Files.list(log)) {
      for (Path seg : (Iterable<Path>) s.filter(p -> p.getFileName().toString().startsWith("segment-")).sorted()::iterator) {
        for (String l : Files.readAllLines(seg, StandardCharsets.UTF_8)) {
          if (!l.isEmpty()) {
            lines.add(l.getBytes(StandardCharsets.UTF_8));
          }
        }
      }
    }
    KafkaBroker broker = KafkaBroker.shared();
    broker.createLogTopics("cli-log", 2);
    broker.createLogTopics("cli-tampered", 1);
    try (KafkaProducer<byte[], byte[]> p = new KafkaProducer<>(Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG,
        broker.bootstrap(), ProducerConfig.TRANSACTIONAL_ID_CONFIG, "cli-test"), new ByteArraySerializer(),
        new ByteArraySerializer())) {
      p.initTransactions();
      p.beginTransaction();
      for (int i = 0; i < lines.size(); i++) {
        p.send(new ProducerRecord<>("cli-log", 1, null, lines.get(i)));
        byte[] t = lines.get(i).clone();
        if (i == 1) {
          int at = new String(t, StandardCharsets.UTF_8).indexOf("\"decision\"");
          t[at + 2] = (byte) (t[at + 2] == 'e' ? 'E' : 'e');
        }
        p.send(new ProducerRecord<>("cli-tampered", 0, null, t));
      }
      p.commitTransaction();
    }
    uri = "kafka://" + broker.bootstrap() + "/cli-log?shard=1";
    tamperedUri = "kafka://" + broker.bootstrap() + "/cli-tampered";
  }

  @Test
  void aShardIsVerifiedReplayedExportedBacktestedAndExplained() throws Exception {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    assertEquals(0, run(out, err, "verify", "--no-progress", uri), err.toString());
    assertTrue(out.toString().contains("OK: "), out.toString());
    out = new StringWriter();
    assertEquals(0, run(out, err, "replay", "--no-progress", uri), out + "" + err);
    assertTrue(out.toString().contains("0 diverged, 0 not replayable"), out.toString());
    Path fromKafka = root.resolve("sor-kafka.jsonl");
    Path fromDir = root.resolve("sor-dir.jsonl");
    assertEquals(0, run(new StringWriter(), err, "export-sor", "--no-progress", uri, "--out", fromKafka.toString()),
        err.toString());
    assertEquals(0, run(new StringWriter(), err, "export-sor", "--no-progress", log.toString(), "--out",
        fromDir.toString()), err.toString());
    assertEquals(Files.readString(fromDir), Files.readString(fromKafka),
        "the statements of reasons from the shard are those from the directory");
    assertTrue(Files.readString(fromKafka).contains("\"puid\""));
    out = new StringWriter();
    assertEquals(0, run(out, new StringWriter(), "backtest", "--no-progress", uri, "--policies", "defaults"));
    assertTrue(out.toString().contains("0 would change"), out.toString());
    out = new StringWriter();
    assertEquals(0, run(out, err, "explain", "--no-progress", uri, "--decision", notice), err.toString());
    assertTrue(out.toString().contains("Obligations"), out.toString());
  }

  @Test
  void aChangedRecordFailsAndAMalformedNameIsRefused() {
    StringWriter out = new StringWriter();
    assertEquals(1, run(out, new StringWriter(), "verify", "--no-progress", tamperedUri));
    assertTrue(out.toString().contains("FAILED"), out.toString());
    assertTrue(out.toString().contains("seq 1"), out.toString());
    StringWriter err = new StringWriter();
    assertEquals(3, run(new StringWriter(), err, "verify", "--no-progress", "kafka://nohost/cli-log"));
    assertTrue(err.toString().contains("not a Kafka log shard"), err.toString());
  }
}
