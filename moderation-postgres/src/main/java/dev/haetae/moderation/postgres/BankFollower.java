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
public interface BankFollower extends AutoCloseable, dev.haetae.moderation.api.observe.LagSource {

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
   * As {@link #connect(BankConfig)}, but starts from a snapshot the host wrote earlier with
   * {@code HashBanks.writeSnapshot} (for instance at shut-down, or from a peer's periodic copy):
   * the bank's index is read back without a build and only the changes since the snapshot's change
   * id are pulled from the database. A new instance of a 10M-hash bank starts in seconds instead of
   * loading every row. A snapshot that cannot be used (corrupt, of another bank, or without a
   * change id) is refused and the host falls back to {@link #connect(BankConfig)}.
   *
   * @param config the bank's configuration; not null
   * @param snapshot the snapshot file; not null
   * @return the report of the changes pulled since the snapshot
   * @throws dev.haetae.moderation.core.hash.BankSnapshotException when the snapshot cannot be used
   *     (nothing was defined)
   * @throws ConfigurationException as {@link #connect(BankConfig)}, or when the bank is already
   *     defined
   * @throws java.io.IOException when the snapshot cannot be read
   * @throws IllegalStateException when the follower is closed
   * @since 0.2
   */
  ImportReport connect(BankConfig config, java.nio.file.Path snapshot) throws java.io.IOException;

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

  /**
   * How far each followed bank is behind its change feed: the change id applied, the newest one
   * this instance has seen (in a notification or a poll) and when it last applied a change. Reads
   * what the follower's thread already knows; no database round trip. For a gauge, hand the
   * follower to {@code moderation-micrometer}'s {@code HaetaeMetrics.watchLag}.
   *
   * @return one element per bank followed; never null
   * @since 0.2
   */
  @Override
  List<dev.haetae.moderation.api.observe.FollowerLag> lags();

  /** Stops following. Idempotent; does not wait for a refresh that is running to finish. */
  @Override
  void close();
}
