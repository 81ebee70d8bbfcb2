package dev.haetae.moderation.api.spi;

import dev.haetae.moderation.api.Category;
import dev.haetae.moderation.api.MatchType;
import java.util.function.Consumer;

/**
 * A source of hash-bank entries: a shared list (StopNCII, NCMEC, a regulator's list) or the
 * platform's own. The engine loads each source into an in-memory index and reports match feedback
 * (confirmed or not by human review) back to it.
 *
 * <p><b>Thread safety.</b> {@link #load} is called from one thread at a time; {@link #feedback}
 * may be called concurrently.
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
   * Streams every active entry to the sink.
   *
   * @param sink receives each entry; never null
   */
  void load(Consumer<Entry> sink);

  /**
   * Receives human-review feedback on a match of one of this bank's entries. The default ignores
   * it.
   *
   * @param entryHash the entry's hash in hex; never null
   * @param confirmed whether review confirmed the match
   * @since 0.1
   */
  default void feedback(String entryHash, boolean confirmed) {}

  /**
   * One entry of a bank.
   *
   * @param type the hash type; not null
   * @param hash the hash in hex; not null
   * @since 0.1
   */
  record Entry(MatchType type, String hash) {
    /**
     * Validates.
     *
     * @param type the type component, as described on the record
     * @param hash the hash component, as described on the record
     * @throws NullPointerException when a component is null
     */
    public Entry {
      java.util.Objects.requireNonNull(type, "type");
      java.util.Objects.requireNonNull(hash, "hash");
    }
  }
}
