/**
 * The decision log on Apache Kafka: one partition per shard, one transactional writer per shard,
 * the outbox in a compacted topic written in the same transaction, and a reader that hands a shard
 * to the audit tools.
 */
@SuppressWarnings("requires-automatic") // the Kafka client is an automatic module
module dev.haetae.moderation.kafka {
  requires transitive dev.haetae.moderation.core;
  requires kafka.clients;
  requires org.slf4j;

  exports dev.haetae.moderation.kafka;
}
