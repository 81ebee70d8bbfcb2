package dev.haetae.moderation.postgres;

import dev.haetae.moderation.api.Category;
import dev.haetae.moderation.api.Fingerprints;
import dev.haetae.moderation.api.InvalidRequestException;
import dev.haetae.moderation.api.MatchType;
import dev.haetae.moderation.api.StoreUnavailableException;
import dev.haetae.moderation.api.spi.HashBankSource;
import dev.haetae.moderation.core.hash.ImportReport;
import java.time.Instant;
import java.util.Optional;

/**
 * The contents of one hash bank in PostgreSQL, written by any instance: the platform's own bank
 * (removals, victim submissions) or a shared list that one instance imports for all. Every write
 * that changes an entry is appended to the bank's change log with the next change id, and every
 * instance that {@linkplain HaetaePostgres#followBanks follows} the bank applies it to its
 * in-memory {@code HashBanks} within seconds.
 *
 * <p>Hashes are validated as the in-memory banks validate them: hex of the right length for the
 * type (64 digits for PDQ and SHA-256, 32 for MD5 and video MD5), either case, and no all-zero or
 * all-one PDQ hash. Invalid hashes are refused with an {@link InvalidRequestException} whose
 * field is {@code "hash"} and whose message names the problem.
 *
 * <p>Lifecycle as in the in-memory bank: {@code add} makes an entry active (or re-activates a
 * withdrawn one); {@code withdraw} makes an active entry stop matching and drops its case id and
 * feedback; {@code delete} removes an entry (active or withdrawn) from the table. Only changes that
 * change something are logged: adding an active entry again, or withdrawing one that is not active,
 * returns false and writes nothing.
 *
 * <p><b>Thread safety.</b> Thread-safe, and safe to use from many instances at once: the writes
 * of one bank are serialised by a lock on the bank's row, so nothing is lost and change ids commit
 * in order. Every method runs one or more transactions on the calling thread and fails with
 * {@link StoreUnavailableException} when the database cannot be reached (that transaction is
 * rolled back).
 *
 * @since 0.1
 */
public interface BankStore {

  /**
   * The bank's id.
   *
   * @return the id; never null
   */
  String bankId();

  /**
   * The bank's category, as stored when the bank was first created.
   *
   * @return the category; never null
   */
  Category category();

  /**
   * Adds an active entry added now, or re-activates a withdrawn one.
   *
   * @param type the hash type; not null
   * @param hex the hash in hex, either case; not null
   * @return true when the bank changed (a change was logged)
   * @throws InvalidRequestException when an argument is null or the hash malformed
   * @throws StoreUnavailableException when the database cannot be reached
   */
  boolean add(MatchType type, String hex);

  /**
   * Adds an active entry with its list's metadata, or re-activates a withdrawn one.
   *
   * @param type the hash type; not null
   * @param hex the hash in hex, either case; not null
   * @param addedAt when the entry was added to its list; not null
   * @param caseId the list's case id; null for none
   * @return true when the bank changed
   * @throws InvalidRequestException when an argument is null or the hash malformed
   * @throws StoreUnavailableException when the database cannot be reached
   */
  boolean add(MatchType type, String hex, Instant addedAt, String caseId);

  /**
   * Withdraws an active entry: it stops matching on every instance that follows the bank.
   *
   * @param type the hash type; not null
   * @param hex the hash in hex; not null
   * @return true when an active entry was withdrawn
   * @throws InvalidRequestException when an argument is null or the hash malformed
   * @throws StoreUnavailableException when the database cannot be reached
   */
  boolean withdraw(MatchType type, String hex);

  /**
   * Deletes an entry (active or withdrawn): it stops matching and is removed from the table and, at
   * their next compaction, from every follower's memory. The deletion itself stays in the change
   * log, with the hash, so that followers delete it too.
   *
   * @param type the hash type; not null
   * @param hex the hash in hex; not null
   * @return true when an entry was deleted
   * @throws InvalidRequestException when an argument is null or the hash malformed
   * @throws StoreUnavailableException when the database cannot be reached
   */
  boolean delete(MatchType type, String hex);

  /**
   * Adds the fingerprints of removed content, as {@code HashBanks.addToBank} does in memory: its
   * SHA-256, MD5 and PDQ hash (not the query variants; a PDQ hash that {@code
   * HashBanks.isBankable} refuses, degenerate or of quality below 50, is skipped), in one
   * transaction. The engine's {@code BlockReupload} adds them to its own instance's {@code
   * platform-removals} bank only; a host's action executor calls this to block the re-upload on
   * every instance.
   *
   * @param fingerprints the content's fingerprints; not null
   * @return how many entries were added or re-activated
   * @throws InvalidRequestException when {@code fingerprints} is null
   * @throws StoreUnavailableException when the database cannot be reached
   */
  int addFingerprints(Fingerprints fingerprints);

  /**
   * Imports entries in batches of {@value #DEFAULT_BATCH}, one transaction per batch. See {@link
   * #importEntries(Iterable, int)}.
   *
   * @param entries the entries (active ones are added, withdrawn and deleted ones applied as
   *     {@link #withdraw} and {@link #delete}); not null
   * @return the counts and the malformed entries; never null
   * @throws StoreUnavailableException when the database cannot be reached
   */
  default ImportReport importEntries(Iterable<HashBankSource.Entry> entries) {
    return importEntries(entries, DEFAULT_BATCH);
  }

  /** The batch size of {@link #importEntries(Iterable)}. */
  int DEFAULT_BATCH = 5_000;

  /**
   * Imports entries in batches, one transaction per batch. A malformed entry (a bad hash, a null
   * entry) is reported with its 1-based position in {@code entries} and skipped; the rest loads.
   * When the database fails, the batches committed before stay; importing the same entries again
   * is harmless (entries already in the state asked for are counted as unchanged).
   *
   * @param entries the entries, in order; not null
   * @param batchSize entries per transaction, 1 or more
   * @return the counts and the malformed entries; never null
   * @throws InvalidRequestException when {@code entries} is null or {@code batchSize} below 1
   * @throws StoreUnavailableException when the database cannot be reached
   */
  ImportReport importEntries(Iterable<HashBankSource.Entry> entries, int batchSize);

  /**
   * Looks an entry up, with the feedback every instance recorded for it.
   *
   * @param type the hash type; not null
   * @param hex the hash in hex; not null
   * @return the entry, or empty when the bank does not hold it (never added, or deleted)
   * @throws InvalidRequestException when an argument is null or the hash malformed
   * @throws StoreUnavailableException when the database cannot be reached
   */
  Optional<BankEntry> entry(MatchType type, String hex);

  /**
   * The id of the bank's latest change (0 for a bank never changed). Instances that applied every
   * change up to this id hold the same active entries.
   *
   * @return the last change id
   * @throws StoreUnavailableException when the database cannot be reached
   */
  long lastChange();

  /**
   * The number of active entries.
   *
   * @return the count
   * @throws StoreUnavailableException when the database cannot be reached
   */
  long activeCount();

  /**
   * A new {@link HashBankSource} on this bank, for one {@code HashBanks}: {@code load} streams the
   * active entries and remembers the change id they correspond to; {@code changes} streams every
   * change after its checkpoint (a change id in decimal); {@code feedback} and {@code quarantined}
   * are queued and written by a background thread, so every instance sees each entry's precision.
   * {@link HaetaePostgres#followBanks} connects and refreshes sources itself.
   *
   * @return a new source; never null
   */
  HashBankSource source();
}
