package dev.haetae.moderation.testkit.adversarial;

import dev.haetae.moderation.api.ModerationRequest;
import dev.haetae.moderation.api.ReporterId;
import dev.haetae.moderation.api.ReporterSanction;
import dev.haetae.moderation.api.Target;
import dev.haetae.moderation.api.spi.ReportRecord;
import dev.haetae.moderation.api.spi.ReporterRecord;
import dev.haetae.moderation.api.spi.ReputationStore;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.UnaryOperator;

/**
 * The harness's reputation store, watching the property every family shares: a reporter's
 * suspension starts (or is extended) only when the request whose decision is being applied is a
 * logged person's {@link ReporterSanction.Step#CONFIRM} for that reporter, and a suspension is
 * lifted before it ends, or a warning withdrawn, only by a logged {@link ReporterSanction.Step#UPHOLD}.
 * The engine applies a decision's plan after the log append, on the caller's thread, so the last
 * request the harness's log saw is the one being applied. Single-threaded, like the harness.
 */
final class ConfirmationGuard implements ReputationStore {
  private final ReputationStore delegate;
  private ModerationRequest applying;
  final List<String> violations = new ArrayList<>();

  ConfirmationGuard(ReputationStore delegate) {
    this.delegate = delegate;
  }

  /** The request whose decision was just logged; its plan is applied next. */
  void logged(ModerationRequest request) {
    this.applying = request;
  }

  @Override
  public Optional<ReporterRecord> reporter(ReporterId reporter) {
    return delegate.reporter(reporter);
  }

  @Override
  public ReporterRecord updateReporter(ReporterId reporter, Instant now, UnaryOperator<ReporterRecord> change) {
    Optional<ReporterRecord> before = delegate.reporter(reporter);
    ReporterRecord after = delegate.updateReporter(reporter, now, change);
    Optional<Instant> was = before.flatMap(ReporterRecord::suspendedUntil);
    Optional<Instant> is = after.suspendedUntil();
    boolean started = is.isPresent() && (was.isEmpty() || is.get().isAfter(was.get()));
    boolean liftedEarly = was.isPresent() && was.get().isAfter(now) && (is.isEmpty() || is.get().isBefore(was.get()));
    boolean withdrawn = before.isPresent() && after.warnings() < before.get().warnings();
    if (started && !by(ReporterSanction.Step.CONFIRM, reporter)) {
      violations.add("reporter " + reporter.value() + " suspended until " + is.get() + " without a logged"
          + " confirmation (applying " + describe() + ")");
    }
    if ((liftedEarly || withdrawn) && !by(ReporterSanction.Step.UPHOLD, reporter)) {
      violations.add("reporter " + reporter.value() + ": suspension lifted or warning withdrawn without a logged"
          + " upheld appeal (applying " + describe() + ")");
    }
    return after;
  }

  private boolean by(ReporterSanction.Step step, ReporterId reporter) {
    return applying instanceof ReporterSanction && ((ReporterSanction) applying).step() == step
        && ((ReporterSanction) applying).reporter().equals(reporter);
  }

  private String describe() {
    return applying == null ? "nothing logged" : applying.type();
  }

  @Override
  public boolean addReport(ReportRecord report) {
    return delegate.addReport(report);
  }

  @Override
  public List<ReportRecord> reports(Target target) {
    return delegate.reports(target);
  }

  @Override
  public List<ReportRecord> updateReports(Target target, UnaryOperator<List<ReportRecord>> change) {
    return delegate.updateReports(target, change);
  }

  @Override
  public List<ReportRecord> pendingReports(int limit) {
    return delegate.pendingReports(limit);
  }
}
