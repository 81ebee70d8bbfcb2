package dev.haetae.moderation.api.spi;

import dev.haetae.moderation.api.Category;
import dev.haetae.moderation.api.MatchType;
import java.time.Instant;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * A source of hash-bank entries: a shared list (StopNCII, NCMEC, TCAP, GIFCT, a regulator's list of
 * adjudicated material) or the platform's own. The library loads each source into an in-memory
 * bank, asks it for changes since the last load, and hands review feedback and quarantine notices
 * back to it, so that an adapter can forward them to the list's operator.
 *
 * <p><b>Lifecycle.</b> {@link #load} streams the whole list once; afterwards {@link #changes} is
 * called with the checkpoint the previous call returned and streams what changed since, including
 * entries that were {@linkplain Entry.State#WITHDRAWN withdrawn} or
 * {@linkplain Entry.State#DELETED deleted} (StopNCII requires both to stop matching and to be
 * deleted by the client: the bank does both).
 *
 * <p><b>Thread safety.</b> {@link #load} and {@link #changes} are called from one thread at a time
 * per source; {@link #feedback} and {@link #quarantined} may be called concurrently from request
 * threads and must not block for long (queue the call if it does I/O). Exceptions thrown by
 * {@link #feedback} and {@link #quarantined} are logged and do not reach the caller.
 *
 * @since 0.1
 */
public interface HashBankSource {

  /**
   * The bank's id, e.g. {@code "stopncii"}.
   *
   * @return the id; never null
   */
  String bankId();

  /**
   * The category of harm the bank's entries concern.
   *
   * @return the category; never null
   */
  Category category();

  /**
   * Streams every entry to the sink. Entries in state {@code ACTIVE} are added; withdrawn or
   * deleted ones remove an earlier entry with the same hash.
   *
   * @param sink receives each entry; never null
   * @throws RuntimeException when the list cannot be read; the bank then keeps its previous
   *     contents
   */
  void load(Consumer<Entry> sink);

  /**
   * Streams the changes since {@code checkpoint} and returns the checkpoint to pass next time. The
   * default streams nothing and returns {@code checkpoint} unchanged (a source without incremental
   * updates is reloaded with {@link #load} instead).
   *
   * @param checkpoint what the previous call (or {@link #load}'s caller) returned; empty before the
   *     first call; not null
   * @param sink receives each changed entry; never null
   * @return the new checkpoint; never null
   * @since 0.1
   */
  default Optional<String> changes(Optional<String> checkpoint, Consumer<Entry> sink) {
    return checkpoint;
  }

  /**
   * Receives human-review feedback on a match of one of this bank's entries. The default ignores
   * it.
   *
   * @param entryHash the entry's hash in hex; never null
   * @param confirmed whether review confirmed the match (false: the match was wrong)
   * @since 0.1
   */
  default void feedback(String entryHash, boolean confirmed) {}

  /**
   * Told when an entry of this bank matched far above its baseline and was demoted to review-only
   * (flood quarantine), so that the list's operator can check it. The default ignores it.
   *
   * @param entryHash the entry's hash in hex; never null
   * @param matchesInWindow how many matches triggered the quarantine
   * @since 0.1
   */
  default void quarantined(String entryHash, long matchesInWindow) {}

  /**
   * One entry of a bank.
   *
   * @param type the hash type; not null
   * @param hash the hash in hex; not null (validated when loaded, not here)
   * @param state the entry's lifecycle state; not null
   * @param addedAt when the entry was added to the list, if known; not null
   * @param caseId the list's case id for the entry, if any; not null
   * @since 0.1
   */
  record Entry(MatchType type, String hash, State state, Optional<Instant> addedAt, Optional<String> caseId) {
    /**
     * Validates.
     *
     * @param type the type component, as described on the record
     * @param hash the hash component, as described on the record
     * @param state the state component, as described on the record
     * @param addedAt the addedAt component, as described on the record
     * @param caseId the caseId component, as described on the record
     * @throws NullPointerException when a component is null
     */
    public Entry {
      Objects.requireNonNull(type, "type");
      Objects.requireNonNull(hash, "hash");
      Objects.requireNonNull(state, "state");
      Objects.requireNonNull(addedAt, "addedAt");
      Objects.requireNonNull(caseId, "caseId");
    }

    /**
     * An active entry with no metadata.
     *
     * @param type the hash type; not null
     * @param hash the hash in hex; not null
     */
    public Entry(MatchType type, String hash) {
      this(type, hash, State.ACTIVE, Optional.empty(), Optional.empty());
    }

    /**
     * The lifecycle of an entry.
     *
     * @since 0.1
     */
    public enum State {
      /** Matches. */
      ACTIVE,
      /** Retracted by the list (e.g. a StopNCII case withdrawn by the victim): no longer matches. */
      WITHDRAWN,
      /** Deleted: no longer matches and is removed from memory. */
      DELETED
    }
  }
}
