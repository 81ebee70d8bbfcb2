package dev.haetae.moderation.core.reputation;

import dev.haetae.moderation.api.AccountEvent;
import dev.haetae.moderation.api.Category;
import dev.haetae.moderation.api.ReporterId;
import dev.haetae.moderation.api.ReviewOutcome;
import dev.haetae.moderation.api.Signal;
import dev.haetae.moderation.api.Target;
import dev.haetae.moderation.api.UserReport;
import dev.haetae.moderation.api.Verdict;
import dev.haetae.moderation.api.spi.ReportRecord;
import dev.haetae.moderation.api.spi.ReporterRecord;
import dev.haetae.moderation.api.spi.ReputationStore;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * Reporter credibility and report weighing.
 *
 * <p><b>Credibility</b> is the mean of a Beta distribution: {@code (a + confirmed) / (a + b +
 * confirmed + rejected)}, where {@code confirmed} and {@code rejected} count the reporter's reports
 * that human review later confirmed or rejected, each decaying with a configurable half-life so
 * that old behaviour fades back toward the prior {@code a / (a + b)}. The default prior (a=1, b=2,
 * mean 1/3) is cautious: a new account's report counts for less than an established good
 * reporter's. Trusted flaggers start from a strong prior instead but are still tracked.
 *
 * <p><b>Weight</b> of the reports on a target: the credibilities sorted high to low, the i-th
 * divided by {@code i + 1} (diminishing returns), so that five hundred reports from fresh accounts
 * weigh about as much as a handful of good ones. A burst of reports dominated by new or
 * low-credibility accounts is flagged as suspected brigading and collapses to the weight of its
 * single most credible member.
 *
 * <p>Immutable and thread-safe; all state lives in the {@link ReputationStore}.
 *
 * @since 0.1
 */
public final class ReputationModel {
  private final double priorConfirmed;
  private final double priorRejected;
  private final Duration halfLife;
  private final Duration newAccountAge;
  private final int burstSize;
  private final Duration burstWindow;
  private final double trustedPriorConfirmed;

  private ReputationModel(Builder b) {
    this.priorConfirmed = b.priorConfirmed;
    this.priorRejected = b.priorRejected;
    this.halfLife = b.halfLife;
    this.newAccountAge = b.newAccountAge;
    this.burstSize = b.burstSize;
    this.burstWindow = b.burstWindow;
    this.trustedPriorConfirmed = b.trustedPriorConfirmed;
  }

  /**
   * The default model.
   *
   * @return a model with the documented defaults
   */
  public static ReputationModel defaults() {
    return builder().build();
  }

  /**
   * A builder starting from the defaults.
   *
   * @return a new builder
   */
  public static Builder builder() {
    return new Builder();
  }

  /**
   * The model's id and parameters, recorded in every evidence that used it.
   *
   * @return e.g. {@code beta-v1(a=1.0,b=2.0,half_life=P90D,...)}; never null
   */
  public String version() {
    return "beta-v1(a=" + priorConfirmed + ",b=" + priorRejected + ",half_life=" + halfLife + ",new_account="
        + newAccountAge + ",burst=" + burstSize + "/" + burstWindow + ",trusted_a=" + trustedPriorConfirmed + ")";
  }

  /**
   * A reporter's credibility at an instant, in [0, 1].
   *
   * @param record the reporter's record; not null
   * @param now the instant; not null
   * @return the credibility
   */
  public double credibility(ReporterRecord record, Instant now) {
    double f = decayFactor(record.updatedAt(), now);
    double c = record.confirmed() * f;
    double r = record.rejected() * f;
    double a = record.trustedFlagger() ? trustedPriorConfirmed : priorConfirmed;
    return (a + c) / (a + priorRejected + c + r);
  }

  double decayFactor(Instant from, Instant to) {
    if (!to.isAfter(from)) {
      return 1.0;
    }
    double halfLives = (double) Duration.between(from, to).toMillis() / halfLife.toMillis();
    return Math.pow(0.5, halfLives);
  }

  /**
   * Records account facts for a reporter.
   *
   * @param event the account event; not null
   * @param now the instant; not null
   * @param store the store; not null
   */
  public void account(AccountEvent event, Instant now, ReputationStore store) {
    ReporterId id = new ReporterId(event.account().value());
    store.updateReporter(id, now, cur -> new ReporterRecord(cur.reporter(), Optional.of(event.createdAt()),
        event.trustedFlagger(), cur.confirmed(), cur.rejected(), cur.updatedAt(), cur.warnings(),
        cur.suspendedUntil()));
  }

  /**
   * Stores a report (once per reporter and target) and weighs all reports on its target.
   *
   * @param report the report; not null
   * @param now the instant of receipt; not null
   * @param store the store; not null
   * @return the weighed reports on the target; never null
   */
  public Signal.Reports ingest(UserReport report, Instant now, ReputationStore store) {
    store.addReport(new ReportRecord(report.reporter(), report.target(), report.category(), now,
        ReportRecord.Status.PENDING));
    return weigh(report.target(), now, store);
  }

  /**
   * Weighs the pending reports on a target.
   *
   * @param target the target; not null
   * @param now the instant; not null
   * @param store the store; not null
   * @return the signal; never null
   */
  public Signal.Reports weigh(Target target, Instant now, ReputationStore store) {
    List<ReportRecord> reports = store.reports(target);
    List<Double> creds = new ArrayList<>(reports.size());
    Map<Category, Double> byCategory = new EnumMap<>(Category.class);
    int trusted = 0;
    int suspect = 0;
    int recent = 0;
    double max = 0;
    for (ReportRecord r : reports) {
      if (r.status() != ReportRecord.Status.PENDING) {
        continue;
      }
      ReporterRecord rec = store.reporter(r.reporter()).orElse(ReporterRecord.unknown(r.reporter(), r.at()));
      double c = credibility(rec, now);
      creds.add(c);
      byCategory.merge(r.category(), c, Double::sum);
      max = Math.max(max, c);
      if (rec.trustedFlagger()) {
        trusted++;
      }
      boolean young = rec.accountCreated().map(t -> Duration.between(t, r.at()).compareTo(newAccountAge) < 0)
          .orElse(true);
      if (!rec.trustedFlagger() && (young || c < 0.34)) {
        suspect++;
      }
      if (!r.at().isBefore(now.minus(burstWindow))) {
        recent++;
      }
    }
    creds.sort(Comparator.reverseOrder());
    double weight = 0;
    for (int i = 0; i < creds.size(); i++) {
      weight += creds.get(i) / (i + 1);
    }
    boolean brigading = creds.size() >= burstSize && suspect * 10 >= creds.size() * 8 && recent >= burstSize;
    if (brigading) {
      weight = max;
    }
    Category top = byCategory.entrySet().stream().max(Map.Entry.comparingByValue()).map(Map.Entry::getKey)
        .orElse(Category.OTHER);
    return new Signal.Reports(target, top, creds.size(), weight, trusted, max, brigading, version());
  }

  /**
   * Applies a review verdict: the pending reports on the target made before the review are marked
   * confirmed or rejected, and each reporter's counts change accordingly.
   *
   * @param review the review; not null
   * @param now the instant of the review; not null
   * @param store the store; not null
   * @return the number of reports resolved
   */
  public int review(ReviewOutcome review, Instant now, ReputationStore store) {
    Objects.requireNonNull(review, "review");
    boolean confirmed = review.verdict() == Verdict.VIOLATING;
    List<ReportRecord> resolved = new ArrayList<>();
    store.updateReports(review.target(), list -> {
      resolved.clear();
      List<ReportRecord> next = new ArrayList<>(list.size());
      for (ReportRecord r : list) {
        if (r.status() == ReportRecord.Status.PENDING && !r.at().isAfter(now)) {
          ReportRecord n = r.withStatus(confirmed ? ReportRecord.Status.CONFIRMED : ReportRecord.Status.REJECTED);
          resolved.add(n);
          next.add(n);
        } else {
          next.add(r);
        }
      }
      return next;
    });
    for (ReportRecord r : resolved) {
      store.updateReporter(r.reporter(), now, cur -> {
        double f = decayFactor(cur.updatedAt(), now);
        Instant at = now.isAfter(cur.updatedAt()) ? now : cur.updatedAt();
        return new ReporterRecord(cur.reporter(), cur.accountCreated(), cur.trustedFlagger(),
            cur.confirmed() * f + (confirmed ? 1 : 0), cur.rejected() * f + (confirmed ? 0 : 1), at,
            cur.warnings(), cur.suspendedUntil());
      });
    }
    return resolved.size();
  }

  /**
   * Corrects reporter credibility after an appeal reversed a decision: the reports on the target
   * that were confirmed and made no later than {@code decidedAt} become rejected, and each of their
   * reporters loses one confirmation and gains one rejection (never going below zero).
   *
   * @param target the target of the reversed decision; not null
   * @param decidedAt when the reversed decision was taken; not null
   * @param now the instant of the reversal; not null
   * @param store the store; not null
   * @return the number of reports corrected
   */
  public int reverse(Target target, Instant decidedAt, Instant now, ReputationStore store) {
    Objects.requireNonNull(target, "target");
    Objects.requireNonNull(decidedAt, "decidedAt");
    List<ReportRecord> corrected = new ArrayList<>();
    store.updateReports(target, list -> {
      corrected.clear();
      List<ReportRecord> next = new ArrayList<>(list.size());
      for (ReportRecord r : list) {
        if (r.status() == ReportRecord.Status.CONFIRMED && !r.at().isAfter(decidedAt)) {
          ReportRecord n = r.withStatus(ReportRecord.Status.REJECTED);
          corrected.add(n);
          next.add(n);
        } else {
          next.add(r);
        }
      }
      return next;
    });
    for (ReportRecord r : corrected) {
      store.updateReporter(r.reporter(), now, cur -> {
        Instant at = now.isAfter(cur.updatedAt()) ? now : cur.updatedAt();
        return new ReporterRecord(cur.reporter(), cur.accountCreated(), cur.trustedFlagger(),
            Math.max(0, cur.confirmed() - 1), cur.rejected() + 1, at, cur.warnings(), cur.suspendedUntil());
      });
    }
    return corrected.size();
  }

  /**
   * Builder of {@link ReputationModel}; not thread-safe.
   *
   * @since 0.1
   */
  public static final class Builder {
    private double priorConfirmed = 1.0;
    private double priorRejected = 2.0;
    private Duration halfLife = Duration.ofDays(90);
    private Duration newAccountAge = Duration.ofDays(7);
    private int burstSize = 10;
    private Duration burstWindow = Duration.ofHours(24);
    private double trustedPriorConfirmed = 18.0;

    private Builder() {}

    /**
     * The Beta prior: pseudo-counts of confirmed and rejected reports for a reporter with no
     * history. Default 1 and 2 (prior credibility 1/3).
     *
     * @param confirmed pseudo-count of confirmed reports, &gt; 0
     * @param rejected pseudo-count of rejected reports, &gt; 0
     * @return this builder
     * @throws IllegalArgumentException when a count is not positive
     */
    public Builder prior(double confirmed, double rejected) {
      if (!(confirmed > 0) || !(rejected > 0)) {
        throw new IllegalArgumentException("prior counts must be > 0, got " + confirmed + ", " + rejected);
      }
      this.priorConfirmed = confirmed;
      this.priorRejected = rejected;
      return this;
    }

    /**
     * How fast old review outcomes fade toward the prior. Default 90 days.
     *
     * @param value a positive duration; not null
     * @return this builder
     * @throws IllegalArgumentException when not positive
     */
    public Builder halfLife(Duration value) {
      if (value.isNegative() || value.isZero()) {
        throw new IllegalArgumentException("halfLife must be positive, got " + value);
      }
      this.halfLife = value;
      return this;
    }

    /**
     * Accounts younger than this at report time count as new for brigading detection. Default 7 days.
     *
     * @param value a non-negative duration; not null
     * @return this builder
     */
    public Builder newAccountAge(Duration value) {
      this.newAccountAge = Objects.requireNonNull(value, "value");
      return this;
    }

    /**
     * A burst: at least {@code size} pending reports within {@code window}. Default 10 in 24 hours.
     *
     * @param size at least 2
     * @param window positive; not null
     * @return this builder
     * @throws IllegalArgumentException when out of range
     */
    public Builder burst(int size, Duration window) {
      if (size < 2 || window.isNegative() || window.isZero()) {
        throw new IllegalArgumentException("burst needs size >= 2 and a positive window");
      }
      this.burstSize = size;
      this.burstWindow = window;
      return this;
    }

    /**
     * Builds the model.
     *
     * @return the immutable model
     */
    public ReputationModel build() {
      return new ReputationModel(this);
    }
  }
}
