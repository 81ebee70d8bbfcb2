package dev.haetae.moderation.core.hash;

/**
 * Counters of the match-result cache of a {@link HashBanks} (see
 * {@link HashBanks.Builder#matchCacheSize(int)}), since the instance was built.
 *
 * <p>The cache remembers, per content, which banks it is known to miss and in which state of the
 * bank (and of the bank's negative banks) it missed them. A <em>hit</em> is a bank lookup answered
 * from that memory, so the bank's PDQ index query (and its exact lookups) did not run; a
 * <em>miss</em> is a bank lookup that ran while the cache was consulted. Content without a PDQ hash
 * bypasses the cache (its exact lookups are cheaper than the cache) and is counted in neither.
 *
 * <p>Immutable and thread-safe.
 *
 * @param hits bank lookups answered from the cache; at least 0
 * @param misses bank lookups that ran while the cache was consulted; at least 0
 * @param entries the current number of cached contents (an estimate); at least 0
 * @param evictions contents evicted because the cache was full; at least 0
 * @param maxEntries the configured bound; 0 when the cache is off
 * @since 0.1
 */
public record MatchCacheStats(long hits, long misses, long entries, long evictions, long maxEntries) {

  /**
   * The share of bank lookups answered from the cache.
   *
   * @return {@code hits / (hits + misses)}, or 0 when there was no lookup
   */
  public double hitRate() {
    long n = hits + misses;
    return n == 0 ? 0 : (double) hits / n;
  }
}
