package dev.haetae.moderation.micrometer;

import dev.haetae.moderation.core.hash.HashBanks;
import dev.haetae.moderation.core.hash.MatchCacheStats;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tag;
import io.micrometer.core.instrument.binder.cache.CacheMeterBinder;

/**
 * The match-result cache of {@link HashBanks} under Micrometer's cache metric names ({@code
 * cache.gets} by result, {@code cache.puts}, {@code cache.evictions}, {@code cache.size}), as
 * Micrometer's {@code CaffeineCacheMetrics} reports a Caffeine cache. The cache is a Caffeine cache
 * inside the banks that does not record Caffeine's statistics; its own counters ({@link
 * HashBanks#matchCacheStats()}) are read instead. Only misses are remembered, so a put is a miss.
 */
final class MatchCacheMetrics extends CacheMeterBinder<HashBanks> {
  static final String NAME = "haetae.match";

  MatchCacheMetrics(HashBanks banks, Iterable<Tag> tags) {
    super(banks, NAME, tags);
  }

  private MatchCacheStats stats() {
    HashBanks banks = getCache();
    return banks == null ? new MatchCacheStats(0, 0, 0, 0, 0) : banks.matchCacheStats();
  }

  @Override
  protected Long size() {
    return stats().entries();
  }

  @Override
  protected long hitCount() {
    return stats().hits();
  }

  @Override
  protected Long missCount() {
    return stats().misses();
  }

  @Override
  protected Long evictionCount() {
    return stats().evictions();
  }

  @Override
  protected long putCount() {
    return stats().misses();
  }

  @Override
  protected void bindImplementationSpecificMetrics(MeterRegistry registry) {
    Gauge.builder("cache.max.size", this, m -> m.stats().maxEntries()).tags(getTagsWithCacheName())
        .description("The most entries the cache keeps").register(registry);
  }
}
