package dev.haetae.moderation.core.store;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import dev.haetae.moderation.api.AccountId;
import dev.haetae.moderation.api.ContentId;
import dev.haetae.moderation.api.spi.StrikeStore;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.Objects;

/**
 * The embedded default {@link StrikeStore}: per account, the expiry of each removed content's
 * strike, in a bounded cache (the least recently used accounts are forgotten beyond {@code
 * maxAccounts}, as the engine's other in-memory state is). Expired strikes are dropped when the
 * account's strikes are next counted.
 *
 * <p>Thread-safe: each account's strikes change atomically.
 *
 * @since 0.1
 */
public final class InMemoryStrikeStore implements StrikeStore {
  private final Cache<AccountId, Map<ContentId, Instant>> strikes;

  /**
   * Creates an empty store that remembers up to {@code maxAccounts} accounts.
   *
   * @param maxAccounts at least 1
   * @throws IllegalArgumentException when {@code maxAccounts} is below 1
   */
  public InMemoryStrikeStore(long maxAccounts) {
    if (maxAccounts < 1) {
      throw new IllegalArgumentException("maxAccounts must be at least 1, got " + maxAccounts);
    }
    this.strikes = Caffeine.newBuilder().maximumSize(maxAccounts).build();
  }

  @Override
  public void record(AccountId account, ContentId content, Instant expires) {
    Objects.requireNonNull(account, "account");
    Objects.requireNonNull(content, "content");
    Objects.requireNonNull(expires, "expires");
    strikes.asMap().compute(account, (k, m) -> {
      Map<ContentId, Instant> out = m == null ? new HashMap<>() : m;
      out.merge(content, expires, (a, b) -> a.isAfter(b) ? a : b);
      return out;
    });
  }

  @Override
  public boolean clear(AccountId account, ContentId content) {
    Objects.requireNonNull(account, "account");
    Objects.requireNonNull(content, "content");
    boolean[] removed = {false};
    strikes.asMap().computeIfPresent(account, (k, m) -> {
      removed[0] = m.remove(content) != null;
      return m.isEmpty() ? null : m;
    });
    return removed[0];
  }

  @Override
  public int live(AccountId account, Instant now) {
    Objects.requireNonNull(account, "account");
    Objects.requireNonNull(now, "now");
    int[] n = {0};
    strikes.asMap().computeIfPresent(account, (k, m) -> {
      m.values().removeIf(expires -> !expires.isAfter(now));
      n[0] = m.size();
      return m.isEmpty() ? null : m;
    });
    return n[0];
  }
}
