package dev.haetae.moderation.core.store;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import dev.haetae.moderation.api.ReporterId;
import dev.haetae.moderation.api.Target;
import dev.haetae.moderation.api.spi.ReportRecord;
import dev.haetae.moderation.api.spi.ReporterRecord;
import dev.haetae.moderation.api.spi.ReputationStore;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.function.UnaryOperator;

/**
 * Factories of {@link ReputationStore}s.
 *
 * @since 0.1
 */
public final class ReputationStores {
  private ReputationStores() {}

  /**
   * A Caffeine cache in front of a slower store (e.g. one backed by a database): reads of reporter
   * records and of a target's reports are served from memory; every write goes to the delegate,
   * which stays the authority for atomicity, and the cache keeps what the delegate returned.
   *
   * <p><b>Staleness.</b> Writes made through this instance are visible at once. Writes made by
   * other instances on the same delegate are seen once the entry expires, after at most
   * {@code expireAfterWrite}; choose it by how stale a credibility or a report count may be (a few
   * seconds is typical). Within one instance nothing is stale.
   *
   * <p>Thread-safe when the delegate is.
   *
   * @param delegate the store to cache; not null
   * @param maximumEntries how many reporters, and separately how many targets, to keep; &gt; 0
   * @param expireAfterWrite how long an entry may be served without asking the delegate; positive;
   *     not null
   * @return the caching store; never null
   * @throws IllegalArgumentException when {@code maximumEntries} or {@code expireAfterWrite} is
   *     not positive
   * @throws NullPointerException when an argument is null
   */
  public static ReputationStore cached(ReputationStore delegate, long maximumEntries, Duration expireAfterWrite) {
    Objects.requireNonNull(delegate, "delegate");
    Objects.requireNonNull(expireAfterWrite, "expireAfterWrite");
    if (maximumEntries <= 0) {
      throw new IllegalArgumentException("maximumEntries must be > 0, got " + maximumEntries);
    }
    if (expireAfterWrite.isNegative() || expireAfterWrite.isZero()) {
      throw new IllegalArgumentException("expireAfterWrite must be positive, got " + expireAfterWrite);
    }
    return new Cached(delegate, maximumEntries, expireAfterWrite);
  }

  private static final class Cached implements ReputationStore {
    private final ReputationStore delegate;
    private final Cache<ReporterId, Optional<ReporterRecord>> reporters;
    private final Cache<Target, List<ReportRecord>> reports;

    Cached(ReputationStore delegate, long max, Duration ttl) {
      this.delegate = delegate;
      this.reporters = Caffeine.newBuilder().maximumSize(max).expireAfterWrite(ttl).build();
      this.reports = Caffeine.newBuilder().maximumSize(max).expireAfterWrite(ttl).build();
    }

    @Override
    public Optional<ReporterRecord> reporter(ReporterId reporter) {
      return reporters.get(reporter, delegate::reporter);
    }

    @Override
    public ReporterRecord updateReporter(ReporterId reporter, Instant now, UnaryOperator<ReporterRecord> change) {
      ReporterRecord r = delegate.updateReporter(reporter, now, change);
      reporters.put(reporter, Optional.of(r));
      return r;
    }

    @Override
    public boolean addReport(ReportRecord report) {
      boolean added = delegate.addReport(report);
      reports.invalidate(report.target());
      return added;
    }

    @Override
    public List<ReportRecord> reports(Target target) {
      return reports.get(target, delegate::reports);
    }

    @Override
    public List<ReportRecord> updateReports(Target target, UnaryOperator<List<ReportRecord>> change) {
      List<ReportRecord> out = delegate.updateReports(target, change);
      reports.put(target, List.copyOf(out));
      return out;
    }

    @Override
    public List<ReportRecord> pendingReports(int limit) {
      return delegate.pendingReports(limit);
    }
  }
}
