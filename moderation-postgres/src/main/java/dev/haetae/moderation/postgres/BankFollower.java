package dev.haetae.moderation.postgres;

import dev.haetae.moderation.api.ConfigurationException;
import dev.haetae.moderation.core.hash.BankConfig;
import dev.haetae.moderation.core.hash.ImportReport;
import java.util.List;

/**
 * Keeps the banks of one in-memory {@code HashBanks} in step with their contents in PostgreSQL.
 * Made by {@link HaetaePostgres#followBanks} (notifications and polling) or {@link
 * HaetaePostgres#pollBanks} (polling only).
 *
 * <p>A daemon thread applies every bank change to the {@code HashBanks} with {@code
 * HashBanks.refresh}: woken by a PostgreSQL notification that the writing transaction sends on
 * commit, and in any case at every poll interval, so that a lost notification, a dropped listening
 * connection or a database restart only delays convergence until the next poll. Failures are
 * logged (SLF4J logger {@code dev.haetae.moderation.postgres.BankFollower}) and retried; they never
 * reach request threads, which go on matching against the last contents applied.
 *
 * <p>After every load and refresh the follower sets the bank's version counter to the bank's last
 * applied change id ({@code HashBanks.shareVersionCounter}), so instances that applied the same
 * changes report the same {@code versions()} in decision evidence.
 *
 * <p><b>Thread safety.</b> Thread-safe. {@link #close()} stops the thread and returns its
 * connection to the pool; the banks keep their contents.
 *
 * @since 0.1
 */
public interface BankFollower extends AutoCloseable {

  /**
   * Defines the bank in the {@code HashBanks} (or reconfigures it), loads its active entries from
   * the database, and follows it from then on. The bank is created in the database, empty, with
   * the configuration's category when missing. Runs on the calling thread.
   *
   * @param config the bank's configuration; every instance should use the same one, since the
   *     configuration is part of the version digest; not null
   * @return the load's report (malformed rows, if any, are skipped)
   * @throws ConfigurationException when the load fails (its cause says why, e.g. a {@code
   *     StoreUnavailableException}), or the bank is stored with another category
   * @throws IllegalStateException when the follower is closed
   */
  ImportReport connect(BankConfig config);

  /**
   * The banks followed.
   *
   * @return their ids, in connection order; never null
   */
  List<String> banks();

  /**
   * The last change of a bank that this instance applied.
   *
   * @param bankId the bank; not null
   * @return the change id, or -1 when the bank is not followed
   */
  long position(String bankId);

  /** Stops following. Idempotent; does not wait for a refresh that is running to finish. */
  @Override
  void close();
}
