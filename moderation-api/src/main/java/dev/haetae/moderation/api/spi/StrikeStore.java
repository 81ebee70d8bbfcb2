package dev.haetae.moderation.api.spi;

import dev.haetae.moderation.api.AccountId;
import dev.haetae.moderation.api.ContentId;
import java.time.Instant;

/**
 * Where strikes against accounts are kept. The engine records a strike when it removes an
 * account's content (and a person has not cleared it), counts an account's live strikes for the
 * repeat-offender policy, and clears a strike when the removal is reversed on appeal. The embedded
 * default keeps strikes in memory; a deployment of many instances plugs in a shared store (e.g.
 * PostgreSQL), so that strikes recorded by any instance count on all of them and survive restarts.
 *
 * <p><b>The rules every store keeps.</b> A strike belongs to one account and one removed content:
 * recording a strike for the same pair again (a second instance acting on the same removal, a
 * review confirming it) keeps one strike, with the later expiry. A strike counts while {@code now}
 * is before its expiry. Clearing removes the pair's strike whatever its expiry.
 *
 * <p><b>Thread safety.</b> All methods may be called concurrently, also from several processes
 * sharing one store; {@link #record} is atomic per pair.
 *
 * <p><b>Failures.</b> A store kept outside the process throws {@link
 * dev.haetae.moderation.api.StoreUnavailableException} when it cannot be read or written; nothing
 * was changed then.
 *
 * @since 0.1
 */
public interface StrikeStore {

  /**
   * Records a strike against {@code account} for removing {@code content}, counting until {@code
   * expires}; for a pair already struck, keeps the later of the two expiries.
   *
   * @param account the account; not null
   * @param content the removed content; not null
   * @param expires when the strike stops counting; not null
   * @throws NullPointerException when an argument is null
   */
  void record(AccountId account, ContentId content, Instant expires);

  /**
   * Removes the strike against {@code account} for {@code content}, if there is one.
   *
   * @param account the account; not null
   * @param content the content whose removal was reversed; not null
   * @return whether a strike was removed
   * @throws NullPointerException when an argument is null
   */
  boolean clear(AccountId account, ContentId content);

  /**
   * How many strikes against {@code account} count at {@code now} (expire after it).
   *
   * @param account the account; not null
   * @param now the clock's instant; not null
   * @return the number of live strikes, at least 0
   * @throws NullPointerException when an argument is null
   */
  int live(AccountId account, Instant now);
}
