package dev.haetae.moderation.core.store;

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
import java.util.function.UnaryOperator;

/**
 * The embedded default {@link ReputationStore}: reporters and reports in concurrent hash maps.
 * Nothing survives a restart; deployments with several instances plug in a shared store.
 *
 * <p>Thread-safe; updates are atomic per reporter and per target.
 *
 * @since 0.1
 */
public final class InMemoryReputationStore implements ReputationStore {
  private final ConcurrentHashMap<ReporterId, ReporterRecord> reporters = new ConcurrentHashMap<>();
  private final ConcurrentHashMap<Target, List<ReportRecord>> reports = new ConcurrentHashMap<>();

  /** Creates an empty store. */
  public InMemoryReputationStore() {}

  @Override
  public Optional<ReporterRecord> reporter(ReporterId reporter) {
    return Optional.ofNullable(reporters.get(reporter));
  }

  @Override
  public ReporterRecord updateReporter(ReporterId reporter, Instant now, UnaryOperator<ReporterRecord> change) {
    Objects.requireNonNull(change, "change");
    return reporters.compute(reporter, (k, cur) -> Objects.requireNonNull(
        change.apply(cur == null ? ReporterRecord.unknown(k, now) : cur), "change returned null"));
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
    List<ReportRecord> out = reports.compute(target, (k, cur) -> List.copyOf(
        Objects.requireNonNull(change.apply(cur == null ? List.of() : cur), "change returned null")));
    return out;
  }

  /**
   * The number of reporters tracked.
   *
   * @return the count
   */
  public int reporterCount() {
    return reporters.size();
  }
}
