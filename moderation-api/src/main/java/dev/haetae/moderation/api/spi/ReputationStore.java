package dev.haetae.moderation.api.spi;

import dev.haetae.moderation.api.ReporterId;
import dev.haetae.moderation.api.Target;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.function.UnaryOperator;

/**
 * Where reporters' records and their reports are kept. The embedded default keeps them in memory;
 * a deployment of many instances plugs in a shared store (e.g. PostgreSQL).
 *
 * <p><b>Thread safety.</b> All methods may be called concurrently. {@link #updateReporter} and
 * {@link #updateReports} must be atomic per key (no lost updates when two instances change the same
 * reporter or target at once).
 *
 * @since 0.1
 */
public interface ReputationStore {

  /**
   * The reporter's record, if known.
   *
   * @param reporter the reporter; never null
   * @return the record, or empty for an unknown reporter
   */
  Optional<ReporterRecord> reporter(ReporterId reporter);

  /**
   * Atomically reads, changes and writes a reporter's record.
   *
   * @param reporter the reporter; never null
   * @param now used to create an {@link ReporterRecord#unknown unknown} record when there is none;
   *     never null
   * @param change maps the current record to the new one; must be side-effect free (it may be
   *     called more than once under contention); never null
   * @return the record as written
   */
  ReporterRecord updateReporter(ReporterId reporter, Instant now, UnaryOperator<ReporterRecord> change);

  /**
   * Adds a report unless the same reporter already reported the same target.
   *
   * @param report the report; never null
   * @return true when added, false when a report by the same reporter on the same target exists
   */
  boolean addReport(ReportRecord report);

  /**
   * The reports on a target, oldest first.
   *
   * @param target the target; never null
   * @return the reports; never null
   */
  List<ReportRecord> reports(Target target);

  /**
   * Atomically replaces the reports on a target (e.g. to mark them confirmed after review).
   *
   * @param target the target; never null
   * @param change maps the current list to the new one; side-effect free; never null
   * @return the list as written
   */
  List<ReportRecord> updateReports(Target target, UnaryOperator<List<ReportRecord>> change);

  /**
   * The report one reporter made on one target, if any (a store keeps at most one per reporter and
   * target). The engine reads it for each report it may re-check; a store that can look the pair up
   * directly (an index on target and reporter) should override the default, which scans
   * {@link #reports(Target)}.
   *
   * @param reporter the reporter; never null
   * @param target the target; never null
   * @return the report; never null
   * @since 0.4
   */
  default Optional<ReportRecord> report(ReporterId reporter, Target target) {
    for (ReportRecord r : reports(target)) {
      if (r.reporter().equals(reporter)) {
        return Optional.of(r);
      }
    }
    return Optional.empty();
  }

  /**
   * The pending reports on every target (status {@link ReportRecord.Status#PENDING}, not resolved by
   * any decision), earliest receipt first, at most {@code limit}. The engine rebuilds its index of
   * waiting reports from them on its first tick, so that after a restart, or on another instance of
   * a fleet, a report that waits without a person looking is still re-checked within its bound.
   * The default returns an empty list, for stores written before 0.4: their engines start with an
   * empty index, as before.
   *
   * @param limit the most reports to return, at least 0
   * @return the reports, earliest receipt first; never null
   * @throws IllegalArgumentException when {@code limit} is negative
   * @since 0.4
   */
  default List<ReportRecord> pendingReports(int limit) {
    if (limit < 0) {
      throw new IllegalArgumentException("limit must be at least 0, was " + limit);
    }
    return List.of();
  }
}
