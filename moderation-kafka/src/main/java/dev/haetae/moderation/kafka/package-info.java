/**
 * Apache Kafka adapters for deployments whose platform already runs Kafka: the hash-chained
 * decision log of each shard in one partition of a topic, written by one transactional producer per
 * shard, with its outbox in a compacted topic beside it.
 *
 * <p>Start with {@link dev.haetae.moderation.kafka.KafkaLogShard}: {@code
 * KafkaLogShard.parse("kafka://host:9092/decisions?shard=3").writer().build()} gives the engine
 * its log; {@link dev.haetae.moderation.kafka.KafkaLogShard#exportTo} hands the shard to the audit
 * tools.
 *
 * @since 0.2
 */
package dev.haetae.moderation.kafka;
