package dev.haetae.moderation.core.engine;

import dev.haetae.moderation.api.Category;
import dev.haetae.moderation.api.Fingerprints;
import dev.haetae.moderation.core.hash.HashBanks;

/**
 * Where the engine's own bank of removed content ({@link ModerationEngine#PLATFORM_BANK}) is shared
 * with the other instances of a fleet. The engine adds removed content's fingerprints to its own
 * in-memory {@link HashBanks} as it applies a decision, and to the shared bank; every instance keeps
 * its in-memory copy in step with the shared bank, so that content removed on one instance is
 * blocked when it is uploaded on any other.
 *
 * <p>{@link #LOCAL}, the default, shares nothing: the bank lives in the engine's own memory. {@code
 * HaetaePostgres.stores()} shares it through the PostgreSQL bank tables and their change feed.
 *
 * <p><b>Thread safety.</b> Implementations are thread-safe; {@link #add} may be called from any
 * request thread, also from several processes at once.
 *
 * @since 0.2
 */
public interface SharedBank {

  /** Shares nothing: the engine's bank stays in its own {@link HashBanks}. */
  SharedBank LOCAL = new SharedBank() {
    @Override
    public void add(String bankId, Category category, Fingerprints fingerprints) {}

    @Override
    public AutoCloseable follow(HashBanks banks, String bankId) {
      return () -> { };
    }

    @Override
    public String toString() {
      return "SharedBank.LOCAL";
    }
  };

  /**
   * Adds removed content's fingerprints (its SHA-256, MD5 and bankable PDQ hash, as {@link
   * HashBanks#addToBank} does) to the shared bank, creating it with {@code category} when missing.
   * Idempotent: entries already active stay as they are.
   *
   * @param bankId the bank; not null
   * @param category the category of a new bank (an existing one keeps its own); not null
   * @param fingerprints the fingerprints; not null
   * @throws dev.haetae.moderation.api.StoreUnavailableException when the shared bank cannot be
   *     written (nothing was added)
   */
  void add(String bankId, Category category, Fingerprints fingerprints);

  /**
   * As {@link #add(String, Category, Fingerprints)}, each entry with its own category and the reason
   * it was banked, which every follower applies with the entry (a match of it on any instance then
   * claims {@code entryCategory}, not the shared bank's). An active entry takes a new category or
   * reason. The default drops both and calls {@link #add(String, Category, Fingerprints)}, for
   * implementations written before 0.3 (their followers match the entry with the bank's category).
   *
   * @param bankId the bank; not null
   * @param bankCategory the category of a new bank (an existing one keeps its own); not null
   * @param fingerprints the fingerprints; not null
   * @param entryCategory the entries' own category; not null
   * @param reason why they were banked; not null
   * @throws dev.haetae.moderation.api.StoreUnavailableException when the shared bank cannot be
   *     written (nothing was added)
   * @throws NullPointerException when an argument is null
   * @since 0.3
   */
  default void add(String bankId, Category bankCategory, Fingerprints fingerprints, Category entryCategory,
      String reason) {
    java.util.Objects.requireNonNull(entryCategory, "entryCategory");
    java.util.Objects.requireNonNull(reason, "reason");
    add(bankId, bankCategory, fingerprints);
  }

  /**
   * As {@link #add(String, Category, Fingerprints, Category, String)}, each entry also recording the
   * keyed pseudonym of the account whose removed content it came from, which followers apply with
   * the entry (an entry keeps the first uploader recorded for it; see
   * {@code Bank.addEntry(MatchType, String, Category, String, String)}). The default drops the
   * uploader, for implementations written before 0.4: their followers' entries then have no
   * uploader, and a report-path match of them falls back to the posting-time rule.
   *
   * @param bankId the bank; not null
   * @param bankCategory the category of a new bank (an existing one keeps its own); not null
   * @param fingerprints the fingerprints; not null
   * @param entryCategory the entries' own category; not null
   * @param reason why they were banked; not null
   * @param uploader the poster's keyed pseudonym ({@code <key id>:<pseudonym>}), never a raw
   *     account id; empty when unknown; not null
   * @throws dev.haetae.moderation.api.StoreUnavailableException when the shared bank cannot be
   *     written (nothing was added)
   * @throws NullPointerException when an argument is null
   * @since 0.4
   */
  default void add(String bankId, Category bankCategory, Fingerprints fingerprints, Category entryCategory,
      String reason, java.util.Optional<String> uploader) {
    java.util.Objects.requireNonNull(uploader, "uploader");
    add(bankId, bankCategory, fingerprints, entryCategory, reason);
  }

  /**
   * Keeps bank {@code bankId} of {@code banks} in step with the shared bank until the returned
   * handle is closed: loads the shared bank's entries into it (defining the bank there with the
   * shared bank's category) as soon as the shared bank exists, which may be now or when any
   * instance first {@linkplain #add adds} to it, and from then on applies every entry any instance
   * adds within moments, with the entry's own category and reason when it has them. Works in the background: a shared bank that cannot be reached now is
   * followed once it can.
   *
   * @param banks the engine's banks; not null
   * @param bankId the bank; not null
   * @return a handle that stops following; closing it twice does nothing; never null
   */
  AutoCloseable follow(HashBanks banks, String bankId);
}
