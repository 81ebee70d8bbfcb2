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
   * Streams every entry to the sink, as {@link #load(Consumer)} does, plus the entries of signal
   * types Haetae does not match (PhotoDNA, TMK, ...) and the records the source had to skip. The
   * library calls this method; the default forwards to {@link #load(Consumer)}, so a source that
   * knows only Haetae's types implements that one alone.
   *
   * @param sink receives entries, foreign entries and problems; never null
   * @throws RuntimeException when the list cannot be read; entries streamed before stay applied
   * @since 0.1
   */
  default void load(Sink sink) {
    load((Consumer<Entry>) sink);
  }

  /**
   * Streams the changes since {@code checkpoint}, as {@link #changes(Optional, Consumer)} does,
   * plus foreign entries and skipped records. The library calls this method; the default forwards
   * to {@link #changes(Optional, Consumer)}.
   *
   * @param checkpoint what the previous call (or the load) returned; empty before the first call;
   *     not null
   * @param sink receives entries, foreign entries and problems; never null
   * @return the new checkpoint; never null; a source returns it only after every change up to it
   *     was streamed, so that a failed sync is repeated from the old checkpoint
   * @since 0.1
   */
  default Optional<String> changes(Optional<String> checkpoint, Sink sink) {
    return changes(checkpoint, (Consumer<Entry>) sink);
  }

  /**
   * The checkpoint to resume from after {@link #load}: a source whose programme numbers its
   * changes returns the position the load reached, so that the first {@link #changes} call does
   * not fetch the whole list again. The default is empty (the first changes call starts from the
   * source's own beginning).
   *
   * @return the checkpoint; never null
   * @since 0.1
   */
  default Optional<String> checkpointAfterLoad() {
    return Optional.empty();
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
   * Receives what a source streams: entries of Haetae's types ({@link #accept}), entries of other
   * signal types ({@link #foreign}), and records the source could not read ({@link #problem}).
   * Called from the thread that runs {@code load} or {@code changes}.
   *
   * @since 0.1
   */
  interface Sink extends Consumer<Entry> {
    /**
     * Receives an entry of a signal type Haetae does not compute (PhotoDNA, TMK, NetClean, ...):
     * the bank keeps it with its type, reports it, and leaves it for a host matcher of that type.
     * The default drops it.
     *
     * @param entry the entry; never null
     */
    default void foreign(ForeignEntry entry) {}

    /**
     * Receives a record the source skipped, for the import report. The default drops it.
     *
     * @param position the record's 1-based position in what the source read
     * @param message what was wrong; never null
     */
    default void problem(long position, String message) {}
  }

  /**
   * An entry of a signal type Haetae does not compute or match, e.g. {@code photodna} or
   * {@code tmk}: kept with its type so that nothing a programme shares is lost.
   *
   * @param signalType the signal type, lower case (e.g. {@code "photodna"}); not null
   * @param value the signal as the programme gives it; not null
   * @param state the entry's lifecycle state; not null
   * @param addedAt when the entry was added to the list, if known; not null
   * @param caseId the list's case id for the entry, if any; not null
   * @since 0.1
   */
  record ForeignEntry(String signalType, String value, Entry.State state, Optional<Instant> addedAt,
      Optional<String> caseId) {
    /**
     * Validates.
     *
     * @param signalType the signalType component, as described on the record
     * @param value the value component, as described on the record
     * @param state the state component, as described on the record
     * @param addedAt the addedAt component, as described on the record
     * @param caseId the caseId component, as described on the record
     * @throws NullPointerException when a component is null
     */
    public ForeignEntry {
      Objects.requireNonNull(signalType, "signalType");
      Objects.requireNonNull(value, "value");
      Objects.requireNonNull(state, "state");
      Objects.requireNonNull(addedAt, "addedAt");
      Objects.requireNonNull(caseId, "caseId");
    }
  }

  /**
   * One entry of a bank.
   *
   * @param type the hash type; not null
   * @param hash the hash in hex; not null (validated when loaded, not here)
   * @param state the entry's lifecycle state; not null
   * @param addedAt when the entry was added to the list, if known; not null
   * @param caseId the list's case id for the entry, if any; not null
   * @param category the entry's own category, when it has one (an active entry of a bank that holds
   *     several harms, such as the engine's platform bank); a match of the entry then claims it
   *     instead of the bank's; not null
   * @param reason why the entry was banked, when it has its own category; not null
   * @param uploader the keyed pseudonym ({@code <key id>:<pseudonym>}, made with the decision log's
   *     {@link Pseudonymizer} for kind {@code account}) of the account that posted the removed content
   *     the entry came from, when the engine banked it and knew the poster; never a raw account id;
   *     not null
   * @since 0.1 (category and reason since 0.3, uploader since 0.4)
   */
  record Entry(MatchType type, String hash, State state, Optional<Instant> addedAt, Optional<String> caseId,
      Optional<Category> category, Optional<String> reason, Optional<String> uploader) {
    /**
     * Validates.
     *
     * @param type the type component, as described on the record
     * @param hash the hash component, as described on the record
     * @param state the state component, as described on the record
     * @param addedAt the addedAt component, as described on the record
     * @param caseId the caseId component, as described on the record
     * @param category the category component, as described on the record
     * @param reason the reason component, as described on the record
     * @param uploader the uploader component, as described on the record
     * @throws NullPointerException when a component is null
     */
    public Entry {
      Objects.requireNonNull(type, "type");
      Objects.requireNonNull(hash, "hash");
      Objects.requireNonNull(state, "state");
      Objects.requireNonNull(addedAt, "addedAt");
      Objects.requireNonNull(caseId, "caseId");
      Objects.requireNonNull(category, "category");
      Objects.requireNonNull(reason, "reason");
      Objects.requireNonNull(uploader, "uploader");
    }

    /**
     * An entry whose uploader is not known (banked by a host, or before 0.4).
     *
     * @param type the hash type; not null
     * @param hash the hash in hex; not null
     * @param state the entry's lifecycle state; not null
     * @param addedAt when the entry was added to the list, if known; not null
     * @param caseId the list's case id for the entry, if any; not null
     * @param category the entry's own category, if any; not null
     * @param reason why the entry was banked, if known; not null
     * @throws NullPointerException when a component is null
     */
    public Entry(MatchType type, String hash, State state, Optional<Instant> addedAt, Optional<String> caseId,
        Optional<Category> category, Optional<String> reason) {
      this(type, hash, state, addedAt, caseId, category, reason, Optional.empty());
    }

    /**
     * An entry without a category of its own (it matches with its bank's).
     *
     * @param type the hash type; not null
     * @param hash the hash in hex; not null
     * @param state the entry's lifecycle state; not null
     * @param addedAt when the entry was added to the list, if known; not null
     * @param caseId the list's case id for the entry, if any; not null
     * @throws NullPointerException when a component is null
     */
    public Entry(MatchType type, String hash, State state, Optional<Instant> addedAt, Optional<String> caseId) {
      this(type, hash, state, addedAt, caseId, Optional.empty(), Optional.empty());
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
