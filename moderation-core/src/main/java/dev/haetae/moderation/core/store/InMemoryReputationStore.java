package dev.haetae.moderation.core.store;

import dev.haetae.moderation.api.AccountEvent;
import dev.haetae.moderation.api.DecisionId;
import dev.haetae.moderation.api.ReporterId;
import dev.haetae.moderation.api.Target;
import dev.haetae.moderation.api.spi.ReportRecord;
import dev.haetae.moderation.api.spi.ReporterRecord;
import dev.haetae.moderation.api.spi.ReputationStore;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;
import java.util.function.UnaryOperator;

/**
 * The embedded default {@link ReputationStore}: reporters and reports in concurrent hash maps.
 * Nothing survives a restart; deployments with several instances plug in a shared store (and may
 * put {@code ReputationStores.cached} in front of it).
 *
 * <p>Reporter records are kept in a compact form (primitive fields; rooms and misuse history only
 * for the reporters that have them) because a large service tracks millions of reporters; they are
 * turned back into {@link ReporterRecord}s when read.
 *
 * <p>Thread-safe; updates are atomic per reporter and per target.
 *
 * @since 0.1
 */
public final class InMemoryReputationStore implements ReputationStore {
  private static final long NONE = Long.MIN_VALUE;

  private final ConcurrentHashMap<ReporterId, Slot> reporters = new ConcurrentHashMap<>();
  private final ConcurrentHashMap<Target, List<ReportRecord>> reports = new ConcurrentHashMap<>();

  /** Creates an empty store. */
  public InMemoryReputationStore() {}

  /** The rarely present parts of a record. */
  private record Extra(List<AccountEvent.RoomJoin> rooms, List<Instant> unfounded, Optional<Instant> warnedAt,
      List<ReporterRecord.Trace> reported, List<ReporterRecord.Trace> received, List<DecisionId> applied,
      Optional<ReporterRecord.Sanction> sanction) {}

  /** A reporter record without boxing: instants as epoch milliseconds, {@link #NONE} for absent. */
  private static final class Slot {
    final double confirmed;
    final double rejected;
    final long created;
    final long updated;
    final long suspendedUntil;
    final int warnings;
    final boolean trusted;
    final Extra extra;

    Slot(ReporterRecord r) {
      this.confirmed = r.confirmed();
      this.rejected = r.rejected();
      this.created = r.accountCreated().map(InMemoryReputationStore::millis).orElse(NONE);
      this.updated = millis(r.updatedAt());
      this.suspendedUntil = r.suspendedUntil().map(InMemoryReputationStore::millis).orElse(NONE);
      this.warnings = r.warnings();
      this.trusted = r.trustedFlagger();
      this.extra = r.rooms().isEmpty() && r.unfounded().isEmpty() && r.warnedAt().isEmpty() && r.reported().isEmpty()
          && r.received().isEmpty() && r.applied().isEmpty() && r.sanction().isEmpty() ? null
          : new Extra(r.rooms(), r.unfounded(), r.warnedAt(), r.reported(), r.received(), r.applied(), r.sanction());
    }

    ReporterRecord toRecord(ReporterId id) {
      return new ReporterRecord(id, instant(created), trusted, confirmed, rejected, Instant.ofEpochMilli(updated),
          warnings, instant(suspendedUntil), extra == null ? List.of() : extra.rooms(),
          extra == null ? List.of() : extra.unfounded(), extra == null ? Optional.empty() : extra.warnedAt(),
          extra == null ? List.of() : extra.reported(), extra == null ? List.of() : extra.received(),
          extra == null ? List.of() : extra.applied(), extra == null ? Optional.empty() : extra.sanction());
    }
  }

  /**
   * Instants are kept to the millisecond; sub-millisecond parts are dropped on write.
   */
  private static long millis(Instant t) {
    return t.toEpochMilli();
  }

  private static Optional<Instant> instant(long millis) {
    return millis == NONE ? Optional.empty() : Optional.of(Instant.ofEpochMilli(millis));
  }

  /**
   * {@inheritDoc}
   *
   * <p>Instants in the returned record are truncated to milliseconds.
   */
  @Override
  public Optional<ReporterRecord> reporter(ReporterId reporter) {
    Slot s = reporters.get(reporter);
    return s == null ? Optional.empty() : Optional.of(s.toRecord(reporter));
  }

  @Override
  public ReporterRecord updateReporter(ReporterId reporter, Instant now, UnaryOperator<ReporterRecord> change) {
    Objects.requireNonNull(change, "change");
    ReporterRecord[] out = new ReporterRecord[1];
    reporters.compute(reporter, (k, cur) -> {
      ReporterRecord next = Objects.requireNonNull(
          change.apply(cur == null ? ReporterRecord.unknown(k, now) : cur.toRecord(k)), "change returned null");
      out[0] = next;
      return new Slot(next);
    });
    return out[0];
  }

  @Override
  public boolean addReport(ReportRecord report) {
    boolean[] added = {false};
    reports.compute(report.target(), (k, cur) -> {
      List<ReportRecord> list = cur == null ? List.of() : cur;
      for (ReportRecord r : list) {
        if (r.reporter().equals(report.reporter())) {
          return list;
        }
      }
      List<ReportRecord> next = new ArrayList<>(list.size() + 1);
      next.addAll(list);
      next.add(report);
      added[0] = true;
      return List.copyOf(next);
    });
    return added[0];
  }

  @Override
  public List<ReportRecord> reports(Target target) {
    return reports.getOrDefault(target, List.of());
  }

  @Override
  public List<ReportRecord> updateReports(Target target, UnaryOperator<List<ReportRecord>> change) {
    return reports.compute(target, (k, cur) -> List.copyOf(
        Objects.requireNonNull(change.apply(cur == null ? List.of() : cur), "change returned null")));
  }

  /**
   * {@inheritDoc} A scan of every target's reports (the engine calls it once, on its first tick).
   */
  @Override
  public List<ReportRecord> pendingReports(int limit) {
    if (limit < 0) {
      throw new IllegalArgumentException("limit must be at least 0, was " + limit);
    }
    List<ReportRecord> out = new java.util.ArrayList<>();
    for (List<ReportRecord> l : reports.values()) {
      for (ReportRecord r : l) {
        if (r.status() == ReportRecord.Status.PENDING && r.resolvedBy().isEmpty()) {
          out.add(r);
        }
      }
    }
    out.sort(java.util.Comparator.comparing(ReportRecord::at));
    return out.size() <= limit ? out : List.copyOf(out.subList(0, limit));
  }

  /**
   * The number of reporters tracked.
   *
   * @return the count
   */
  public int reporterCount() {
    return reporters.size();
  }

  /**
   * Visits every reporter record, e.g. to report trusted flaggers' accuracy. Weakly consistent: it
   * sees some state at or after the call began; it does not block writers.
   *
   * @param visitor called once per reporter; not null
   */
  public void forEachReporter(Consumer<ReporterRecord> visitor) {
    Objects.requireNonNull(visitor, "visitor");
    reporters.forEach((k, v) -> visitor.accept(v.toRecord(k)));
  }
}
