package dev.haetae.moderation.kafka;

import dev.haetae.moderation.core.audit.EngineLog;
import dev.haetae.moderation.core.audit.LogEntry;
import dev.haetae.moderation.testkit.EngineLogContract;
import java.util.ArrayList;
import java.util.List;

/**
 * The test kit's decision-log contract and its engine-log part, on a real broker: each log is a
 * topic of its own (shard 0), reopened by building a new writer of the same shard, which fences
 * the closed one's transactional id and resumes the chain from the last committed record.
 */
class KafkaDecisionLogContractTest extends EngineLogContract {
  private static final java.util.Set<String> CREATED = java.util.concurrent.ConcurrentHashMap.newKeySet();

  @Override
  protected EngineLog open(String name) {
    String topic = "contract-" + name;
    if (CREATED.add(topic)) {
      KafkaBroker.shared().createLogTopics(topic, 1);
    }
    return KafkaLogShard.of(KafkaBroker.shared().bootstrap(), topic, 0).writer().build();
  }

  @Override
  protected List<LogEntry> entries(String name) {
    List<LogEntry> out = new ArrayList<>();
    KafkaLogShard.of(KafkaBroker.shared().bootstrap(), "contract-" + name, 0).forEachEntry(out::add);
    return out;
  }
}
