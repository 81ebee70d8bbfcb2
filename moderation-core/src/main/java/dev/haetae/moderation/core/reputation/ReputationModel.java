package dev.haetae.moderation.core.reputation;

import dev.haetae.moderation.api.AccountEvent;
import dev.haetae.moderation.api.Category;
import dev.haetae.moderation.api.DecisionId;
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
import java.util.Collections;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * Reporter credibility, report weighing, brigading detection and misuse handling.
 *
 * <p><b>Credibility</b> is the mean of a Beta distribution: {@code (a + confirmed) / (a + b +
 * confirmed + rejected)}, where {@code confirmed} and {@code rejected} count the reporter's reports
 * that human review later confirmed or rejected (only reviews at or after the report count), each
 * decaying with a configurable half-life so that old behaviour fades back toward the prior
 * {@code a / (a + b)}. The default prior (a=1, b=2, mean 1/3) is cautious: a new account's report
 * counts for less than an established good reporter's. Registered trusted flaggers start from a
 * strong prior instead (a=18, mean 0.9) and are tracked like everyone else. Same-instant outcomes
 * commute: the result does not depend on their order.
 *
 * <p><b>Proven and unproven reporters.</b> A reporter is <em>proven</em> when they are a trusted
 * flagger, or their account is older than the new-account age at report time, they have at least
 * the proven-evidence amount of reviewed reports, and their credibility is at least the prior.
 * Everyone else is <em>unproven</em>: fresh accounts, dormant accounts that never reported, and
 * reporters with a bad record. Sybil accounts are cheap, so the unproven are not trusted to be
 * independent witnesses.
 *
 * <p><b>Weight</b> of the pending reports on a target: weighing units sorted by credibility high to
 * low, the i-th divided by {@code i + 1} (diminishing returns). Each proven reporter is a unit;
 * unproven reporters that are correlated (accounts created together, joined the same room
 * together, or young accounts that reported together) form one unit per cluster, worth its most
 * credible member. When brigading is suspected, all unproven reporters collapse into one unit.
 *
 * <p><b>Brigading</b> is suspected when a correlated cluster reaches the configured size, or when
 * a wave of unproven reports (at least the burst size within the burst window) makes up at least
 * 80% of the target's reports. The suspicion is a signal: recorded in the evidence and the
 * decision, visible to the host.
 *
 * <p><b>Misuse</b> (DSA Art. 23): reports rejected by review count as manifestly unfounded. When a
 * reporter reaches the threshold within the window, their next report warns them; reaching it again
 * while the warning is valid suspends processing of their reports for the suspension period (their
 * reports are recorded, not weighed); the first report after the period restores them. See
 * {@link MisuseStep}.
 *
 * <p>All parameters are part of {@link #version()}, which every evidence that used the model
 * records. Immutable and thread-safe; all state lives in the {@link ReputationStore}.
 *
 * @since 0.1
 */
public final class ReputationModel {
  private final double priorConfirmed;
  private final double priorRejected;
  private final double trustedPriorConfirmed;
  private final Duration halfLife;
  private final Duration newAccountAge;
  private final double provenEvidence;
  private final int burstSize;
  private final Duration burstWindow;
  private final int clusterSize;
  private final Duration createdTogether;
  private final Duration joinedTogether;
  private final Duration reportedTogether;
  private final int corroboration;
  private final int misuseThreshold;
  private final Duration misuseWindow;
  private final Duration warningValidity;
  private final Duration suspension;
  private final int maxRooms;
  private final int maxWeighed;
  private final String version;

  private ReputationModel(Builder b) {
    this.priorConfirmed = b.priorConfirmed;
    this.priorRejected = b.priorRejected;
    this.trustedPriorConfirmed = b.trustedPriorConfirmed;
    this.halfLife = b.halfLife;
    this.newAccountAge = b.newAccountAge;
    this.provenEvidence = b.provenEvidence;
    this.burstSize = b.burstSize;
    this.burstWindow = b.burstWindow;
    this.clusterSize = b.clusterSize;
    this.createdTogether = b.createdTogether;
    this.joinedTogether = b.joinedTogether;
    this.reportedTogether = b.reportedTogether;
    this.corroboration = b.corroboration;
    this.misuseThreshold = b.misuseThreshold;
    this.misuseWindow = b.misuseWindow;
    this.warningValidity = b.warningValidity;
    this.suspension = b.suspension;
    this.maxRooms = b.maxRooms;
    this.maxWeighed = b.maxWeighed;
    this.version = "beta-v2(a=" + priorConfirmed + ",b=" + priorRejected + ",trusted_a=" + trustedPriorConfirmed
        + ",half_life=" + halfLife + ",new_account=" + newAccountAge + ",proven=" + provenEvidence + ",burst="
        + burstSize + "/" + burstWindow + ",cluster=" + clusterSize + ",created_together=" + createdTogether
        + ",joined_together=" + joinedTogether + ",reported_together=" + reportedTogether + ",corroboration="
        + corroboration + ",misuse=" + misuseThreshold + "/" + misuseWindow + ",warning=" + warningValidity
        + ",suspension=" + suspension + ",rooms=" + maxRooms + ",weighed=" + maxWeighed + ")";
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
   * The model's id and every parameter, recorded in every evidence that used it.
   *
   * @return e.g. {@code beta-v2(a=1.0,b=2.0,...)}; never null
   */
  public String version() {
    return version;
  }

  /**
   * The credibility of a reporter with no history, {@code a / (a + b)}.
   *
   * @param trustedFlagger whether for a trusted flagger
   * @return the prior mean, in (0, 1)
   */
  public double priorMean(boolean trustedFlagger) {
    double a = trustedFlagger ? trustedPriorConfirmed : priorConfirmed;
    return a / (a + priorRejected);
  }

  /**
   * A reporter's credibility at an instant, in [0, 1]. Pure.
   *
   * @param record the reporter's record; not null
   * @param now the instant; not null; an instant before the record's is treated as the record's
   * @return the credibility
   */
  public double credibility(ReporterRecord record, Instant now) {
    double f = decayFactor(record.updatedAt(), now);
    double c = record.confirmed() * f;
    double r = record.rejected() * f;
    double a = record.trustedFlagger() ? trustedPriorConfirmed : priorConfirmed;
    return (a + c) / (a + priorRejected + c + r);
  }

  /**
   * A reporter's standing at an instant. Pure.
   *
   * @param record the reporter's record; not null
   * @param now the instant; not null
   * @return the standing; never null
   */
  public ReporterStanding standing(ReporterRecord record, Instant now) {
    double f = decayFactor(record.updatedAt(), now);
    return new ReporterStanding(record.reporter(), credibility(record, now), record.confirmed() * f,
        record.rejected() * f, record.trustedFlagger(), record.warnings(),
        record.suspendedAt(now) ? record.suspendedUntil() : Optional.empty(), now, version);
  }

  double decayFactor(Instant from, Instant to) {
    if (!to.isAfter(from)) {
      return 1.0;
    }
    double halfLives = (double) Duration.between(from, to).toMillis() / halfLife.toMillis();
    return Math.pow(0.5, halfLives);
  }

  /**
   * Records account facts for a reporter: creation time, trusted-flagger registration, and rooms
   * joined (merged with those known, the most recent {@code maxRooms} kept).
   *
   * @param event the account event; not null
   * @param now the instant; not null
   * @param store the store; not null
   * @return the record as written; never null
   */
  public ReporterRecord account(AccountEvent event, Instant now, ReputationStore store) {
    ReporterId id = ReporterId.of(event.account().value());
    return store.updateReporter(id, now, cur -> {
      List<AccountEvent.RoomJoin> rooms = cur.rooms();
      if (!event.rooms().isEmpty()) {
        Map<dev.haetae.moderation.api.RoomId, Instant> merged = new LinkedHashMap<>();
        for (AccountEvent.RoomJoin j : cur.rooms()) {
          merged.put(j.room(), j.joinedAt());
        }
        for (AccountEvent.RoomJoin j : event.rooms()) {
          merged.put(j.room(), j.joinedAt());
        }
        List<AccountEvent.RoomJoin> all = new ArrayList<>();
        merged.forEach((r, t) -> all.add(new AccountEvent.RoomJoin(r, t)));
        all.sort(java.util.Comparator.comparing(AccountEvent.RoomJoin::joinedAt));
        rooms = all.size() > maxRooms ? all.subList(all.size() - maxRooms, all.size()) : all;
      }
      return new ReporterRecord(cur.reporter(), Optional.of(event.createdAt()), event.trustedFlagger(),
          cur.confirmed(), cur.rejected(), cur.updatedAt(), cur.warnings(), cur.suspendedUntil(), rooms,
          cur.unfounded(), cur.warnedAt());
    });
  }

  /**
   * The misuse step a report by this reporter takes at an instant. Pure.
   *
   * @param record the reporter's record; not null
   * @param now the instant; not null
   * @return the step; never null
   */
  public MisuseStep step(ReporterRecord record, Instant now) {
    if (record.suspendedUntil().isPresent()) {
      return record.suspendedUntil().get().isAfter(now) ? MisuseStep.SUSPENDED : MisuseStep.RESTORE;
    }
    if (unfoundedInWindow(record, now) >= misuseThreshold) {
      boolean warned = record.warnedAt().isPresent()
          && record.warnedAt().get().plus(warningValidity).isAfter(now);
      return warned ? MisuseStep.SUSPEND : MisuseStep.WARN;
    }
    return MisuseStep.NONE;
  }

  private int unfoundedInWindow(ReporterRecord record, Instant now) {
    Instant from = now.minus(misuseWindow);
    int n = 0;
    for (Instant t : record.unfounded()) {
      if (t.isAfter(from)) {
        n++;
      }
    }
    return n;
  }

  private ReporterRecord take(ReporterRecord r, MisuseStep step, Instant now) {
    switch (step) {
      case WARN:
        return new ReporterRecord(r.reporter(), r.accountCreated(), r.trustedFlagger(), r.confirmed(), r.rejected(),
            r.updatedAt(), r.warnings() + 1, r.suspendedUntil(), r.rooms(), List.of(), Optional.of(now));
      case SUSPEND:
        return new ReporterRecord(r.reporter(), r.accountCreated(), r.trustedFlagger(), r.confirmed(), r.rejected(),
            r.updatedAt(), r.warnings(), Optional.of(now.plus(suspension)), r.rooms(), List.of(), r.warnedAt());
      case RESTORE:
        return new ReporterRecord(r.reporter(), r.accountCreated(), r.trustedFlagger(), r.confirmed(), r.rejected(),
            r.updatedAt(), r.warnings(), Optional.empty(), r.rooms(), List.of(), r.warnedAt());
      default:
        return r;
    }
  }

  /**
   * Weighs a new report, without storing anything: works out the reporter's misuse step and weighs
   * the reports on its target as they would be with this one added (once per reporter and target;
   * as {@link ReportRecord.Status#UNPROCESSED} when the reporter is suspended). Reads the store;
   * changes nothing. After the decision is logged, the engine stores the report with {@link
   * #file} and takes the step with {@link #settle}.
   *
   * @param report the report; not null
   * @param now the instant of receipt; not null
   * @param store the store; not null
   * @param targetRemoved whether the target is content the engine already removed
   * @return the intake; never null
   */
  public ReportIntake intake(UserReport report, Instant now, ReputationStore store, boolean targetRemoved) {
    ReporterRecord rec = store.reporter(report.reporter()).orElse(ReporterRecord.unknown(report.reporter(), now));
    MisuseStep step = step(rec, now);
    List<ReportRecord> stored = store.reports(report.target());
    boolean duplicate = false;
    for (ReportRecord r : stored) {
      duplicate |= r.reporter().equals(report.reporter());
    }
    List<ReportRecord> all = stored;
    if (!duplicate) {
      all = new ArrayList<>(stored.size() + 1);
      all.addAll(stored);
      all.add(record(report, now, step.weighed()));
    }
    Weighing w = weighing(report.target(), all, now, store);
    Map<String, String> a = new HashMap<>(w.attributes);
    a.put(ReportIntake.STEP, step.wireName());
    if (step == MisuseStep.SUSPEND) {
      a.put(ReportIntake.SUSPENDED_UNTIL, now.plus(suspension).toString());
    } else if (step == MisuseStep.SUSPENDED) {
      a.put(ReportIntake.SUSPENDED_UNTIL, rec.suspendedUntil().get().toString());
    }
    a.put(ReportIntake.WARNINGS, Integer.toString(rec.warnings()));
    a.put(ReportIntake.UNFOUNDED, Integer.toString(unfoundedInWindow(rec, now)));
    a.put(ReportIntake.DUPLICATE, Boolean.toString(duplicate));
    a.put(ReportIntake.CREDIBILITY, Double.toString(Math.round(credibility(rec, now) * 1000) / 1000.0));
    a.put(ReportIntake.TRUSTED_FLAGGER, Boolean.toString(rec.trustedFlagger()));
    a.put(ReportIntake.YOUNG, Boolean.toString(young(rec, now)));
    a.put(ReportIntake.PROVEN, Boolean.toString(proven(rec, now, now)));
    a.put(ReportIntake.TARGET_REMOVED, Boolean.toString(targetRemoved));
    return new ReportIntake(w.signal, new Signal.Custom(ReportIntake.PROVIDER, ReportIntake.NAME, a), step, duplicate);
  }

  /**
   * Stores a report weighed by {@link #intake}, once per reporter and target (a second call for the
   * same report changes nothing).
   *
   * @param report the report; not null
   * @param at when it was received; not null
   * @param weighed whether it counts (false when the reporter's reports were suspended)
   * @param store the store; not null
   * @return true when this call stored it
   */
  public boolean file(UserReport report, Instant at, boolean weighed, ReputationStore store) {
    return store.addReport(record(report, at, weighed));
  }

  private static ReportRecord record(UserReport report, Instant at, boolean weighed) {
    return new ReportRecord(report.reporter(), report.target(), report.category(), at,
        weighed ? ReportRecord.Status.PENDING : ReportRecord.Status.UNPROCESSED);
  }

  /**
   * Writes what a logged report decision means for the reporter and the target: the misuse step
   * (only if it still applies, so a retried or concurrent settle takes it once), and, when the
   * decision queued a review, attaches the reporter's report to that decision so that later reports
   * on the target attach to it instead of queueing again.
   *
   * @param report the report; not null
   * @param step the step recorded in the report's evidence; not null
   * @param decision the logged decision; not null
   * @param queued whether the decision queued the target for review
   * @param now the instant of the decision; not null
   * @param store the store; not null
   */
  public void settle(UserReport report, MisuseStep step, DecisionId decision, boolean queued, Instant now,
      ReputationStore store) {
    Objects.requireNonNull(decision, "decision");
    if (step == MisuseStep.WARN || step == MisuseStep.SUSPEND || step == MisuseStep.RESTORE) {
      store.updateReporter(report.reporter(), now, cur -> step(cur, now) == step ? take(cur, step, now) : cur);
    }
    if (queued) {
      store.updateReports(report.target(), list -> {
        List<ReportRecord> next = new ArrayList<>(list.size());
        for (ReportRecord r : list) {
          next.add(r.reporter().equals(report.reporter()) && r.decision().isEmpty() ? r.withDecision(decision) : r);
        }
        return next;
      });
    }
  }

  /**
   * Undoes misuse handling for a reporter whose appeal was upheld: lifts a suspension, withdraws
   * the last warning and forgets the counted unfounded reports. Credibility is not changed (it
   * follows review outcomes, which a host corrects by sending a new {@link ReviewOutcome}). The
   * host calls this when a person grants the appeal against a warning or suspension decision.
   *
   * @param reporter the reporter; not null
   * @param now the instant; not null
   * @param store the store; not null
   * @return the record as written; never null
   */
  public ReporterRecord upholdAppeal(ReporterId reporter, Instant now, ReputationStore store) {
    Objects.requireNonNull(reporter, "reporter");
    return store.updateReporter(reporter, now, r -> new ReporterRecord(r.reporter(), r.accountCreated(),
        r.trustedFlagger(), r.confirmed(), r.rejected(), r.updatedAt(), Math.max(0, r.warnings() - 1),
        Optional.empty(), r.rooms(), List.of(), Optional.empty()));
  }

  /**
   * Weighs the pending reports on a target. Reads the store; writes nothing.
   *
   * @param target the target; not null
   * @param now the instant; not null
   * @param store the store; not null
   * @return the signal; never null
   */
  public Signal.Reports weigh(Target target, Instant now, ReputationStore store) {
    return weighing(target, store.reports(target), now, store).signal;
  }

  private boolean young(ReporterRecord rec, Instant at) {
    return !rec.trustedFlagger()
        && rec.accountCreated().map(t -> Duration.between(t, at).compareTo(newAccountAge) < 0).orElse(true);
  }

  private boolean proven(ReporterRecord rec, Instant reportedAt, Instant now) {
    if (rec.trustedFlagger()) {
      return true;
    }
    double f = decayFactor(rec.updatedAt(), now);
    return !young(rec, reportedAt) && (rec.confirmed() + rec.rejected()) * f >= provenEvidence
        && credibility(rec, now) >= priorMean(false) - 1e-12;
  }

  private static final class Weighing {
    Signal.Reports signal;
    Map<String, String> attributes = new HashMap<>();
  }

  private Weighing weighing(Target target, List<ReportRecord> all, Instant now, ReputationStore store) {
    List<ReportRecord> pending = new ArrayList<>();
    Optional<DecisionId> attached = Optional.empty();
    boolean attachedTrusted = false;
    boolean cleared = false;
    for (ReportRecord r : all) {
      if (r.status() == ReportRecord.Status.PENDING) {
        pending.add(r);
      } else if (r.status() == ReportRecord.Status.REJECTED) {
        cleared = true;
      } else if (r.status() == ReportRecord.Status.CONFIRMED) {
        cleared = false;
      }
    }
    if (pending.size() > maxWeighed) {
      pending = pending.subList(pending.size() - maxWeighed, pending.size());
    }
    List<Double> proven = new ArrayList<>();
    List<Clusters.Member> members = new ArrayList<>();
    List<Double> memberCred = new ArrayList<>();
    Map<Category, Double> byCategory = new EnumMap<>(Category.class);
    int trusted = 0;
    int recentUnproven = 0;
    double max = 0;
    Instant waveStart = now.minus(burstWindow);
    double prior = priorMean(false) - 1e-12;
    for (ReportRecord r : pending) {
      ReporterRecord rec = store.reporter(r.reporter()).orElse(ReporterRecord.unknown(r.reporter(), r.at()));
      double f = decayFactor(rec.updatedAt(), now);
      double evidence = (rec.confirmed() + rec.rejected()) * f;
      double a = rec.trustedFlagger() ? trustedPriorConfirmed : priorConfirmed;
      double c = (a + rec.confirmed() * f) / (a + priorRejected + evidence);
      boolean young = young(rec, r.at());
      byCategory.merge(r.category(), c, Double::sum);
      max = Math.max(max, c);
      if (rec.trustedFlagger()) {
        trusted++;
      }
      if (r.decision().isPresent()) {
        if (attached.isEmpty()) {
          attached = r.decision();
        }
        attachedTrusted |= rec.trustedFlagger();
      }
      if (rec.trustedFlagger() || (!young && evidence >= provenEvidence && c >= prior)) {
        proven.add(c);
      } else {
        members.add(new Clusters.Member(rec.accountCreated(), rec.rooms(), r.at(), young));
        memberCred.add(c);
        if (!r.at().isBefore(waveStart)) {
          recentUnproven++;
        }
      }
    }
    int n = pending.size();
    Clusters clusters = Clusters.of(members, createdTogether, joinedTogether, reportedTogether);
    int largest = members.isEmpty() ? 0 : clusters.largest();
    boolean wave = recentUnproven >= burstSize && members.size() * 10 >= n * 8;
    boolean brigading = largest >= clusterSize || wave;
    List<Double> units = new ArrayList<>(proven);
    if (!members.isEmpty()) {
      if (brigading) {
        units.add(Collections.max(memberCred));
      } else {
        Map<Integer, Double> best = new HashMap<>();
        for (int i = 0; i < members.size(); i++) {
          best.merge(clusters.root(i), memberCred.get(i), Math::max);
        }
        units.addAll(best.values());
      }
    }
    units.sort(Collections.reverseOrder());
    double weight = 0;
    for (int i = 0; i < units.size(); i++) {
      weight += units.get(i) / (i + 1);
    }
    Category top = byCategory.entrySet().stream().max(Map.Entry.comparingByValue()).map(Map.Entry::getKey)
        .orElse(Category.OTHER);
    Weighing w = new Weighing();
    w.signal = new Signal.Reports(target, top, n, weight, trusted, max, brigading, version);
    List<String> features = new ArrayList<>(clusters.features());
    if (wave) {
      features.add("wave");
    }
    w.attributes.put(ReportIntake.UNPROVEN, Integer.toString(members.size()));
    w.attributes.put(ReportIntake.LARGEST_CLUSTER, Integer.toString(largest));
    w.attributes.put(ReportIntake.CORRELATION, String.join(",", features));
    w.attributes.put(ReportIntake.CORROBORATED, Boolean.toString(!proven.isEmpty() || n >= corroboration));
    attached.ifPresent(d -> w.attributes.put(ReportIntake.ATTACHED_TO, d.value()));
    w.attributes.put(ReportIntake.ATTACHED_TRUSTED, Boolean.toString(attachedTrusted));
    w.attributes.put(ReportIntake.CLEARED, Boolean.toString(cleared));
    return w;
  }

  /**
   * Applies a review verdict: the pending reports on the target made at or before the review are
   * marked confirmed or rejected, and each reporter's decayed counts change accordingly; a rejected
   * report also counts as manifestly unfounded for misuse handling.
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
      store.updateReporter(r.reporter(), now, cur -> outcome(cur, confirmed, now));
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
            Math.max(0, cur.confirmed() - 1), cur.rejected() + 1, at, cur.warnings(), cur.suspendedUntil(),
            cur.rooms(), cur.unfounded(), cur.warnedAt());
      });
    }
    return corrected.size();
  }

  /**
   * One review outcome applied to a reporter's record: counts decayed to {@code now} (or kept at the
   * record's instant when {@code now} is earlier), plus one; a rejection is also remembered as
   * unfounded. Pure; exposed for tests and for stores that batch updates.
   *
   * @param cur the record; not null
   * @param confirmed whether the report was confirmed
   * @param now the instant of the review; not null
   * @return the new record; never null
   */
  public ReporterRecord outcome(ReporterRecord cur, boolean confirmed, Instant now) {
    double f = decayFactor(cur.updatedAt(), now);
    Instant at = now.isAfter(cur.updatedAt()) ? now : cur.updatedAt();
    List<Instant> unfounded = cur.unfounded();
    if (!confirmed) {
      Instant from = now.minus(misuseWindow);
      List<Instant> u = new ArrayList<>(unfounded.size() + 1);
      for (Instant t : unfounded) {
        if (t.isAfter(from)) {
          u.add(t);
        }
      }
      u.add(now);
      u.sort(null);
      unfounded = u.size() > misuseThreshold ? u.subList(u.size() - misuseThreshold, u.size()) : u;
    }
    return new ReporterRecord(cur.reporter(), cur.accountCreated(), cur.trustedFlagger(),
        cur.confirmed() * f + (confirmed ? 1 : 0), cur.rejected() * f + (confirmed ? 0 : 1), at, cur.warnings(),
        cur.suspendedUntil(), cur.rooms(), unfounded, cur.warnedAt());
  }

  /**
   * Builder of {@link ReputationModel}; not thread-safe. Every parameter is part of the model's
   * {@link ReputationModel#version() version}.
   *
   * @since 0.1
   */
  public static final class Builder {
    private double priorConfirmed = 1.0;
    private double priorRejected = 2.0;
    private double trustedPriorConfirmed = 18.0;
    private Duration halfLife = Duration.ofDays(90);
    private Duration newAccountAge = Duration.ofDays(7);
    private double provenEvidence = 2.0;
    private int burstSize = 10;
    private Duration burstWindow = Duration.ofHours(24);
    private int clusterSize = 3;
    private Duration createdTogether = Duration.ofHours(24);
    private Duration joinedTogether = Duration.ofHours(24);
    private Duration reportedTogether = Duration.ofMinutes(5);
    private int corroboration = 3;
    private int misuseThreshold = 5;
    private Duration misuseWindow = Duration.ofDays(30);
    private Duration warningValidity = Duration.ofDays(90);
    private Duration suspension = Duration.ofDays(14);
    private int maxRooms = 16;
    private int maxWeighed = 500;

    private Builder() {}

    private static Duration positive(String name, Duration value) {
      Objects.requireNonNull(value, name);
      if (value.isNegative() || value.isZero()) {
        throw new IllegalArgumentException(name + " must be positive, got " + value);
      }
      return value;
    }

    private static Duration nonNegative(String name, Duration value) {
      Objects.requireNonNull(value, name);
      if (value.isNegative()) {
        throw new IllegalArgumentException(name + " must not be negative, got " + value);
      }
      return value;
    }

    /**
     * The Beta prior: pseudo-counts of confirmed and rejected reports for a reporter with no
     * history. Default 1 and 2 (prior credibility 1/3).
     *
     * @param confirmed pseudo-count of confirmed reports, &gt; 0
     * @param rejected pseudo-count of rejected reports, &gt; 0
     * @return this builder
     * @throws IllegalArgumentException when a count is not positive and finite
     */
    public Builder prior(double confirmed, double rejected) {
      if (!(confirmed > 0) || !(rejected > 0) || Double.isInfinite(confirmed) || Double.isInfinite(rejected)) {
        throw new IllegalArgumentException("prior counts must be finite and > 0, got " + confirmed + ", " + rejected);
      }
      this.priorConfirmed = confirmed;
      this.priorRejected = rejected;
      return this;
    }

    /**
     * The confirmed pseudo-count of a registered trusted flagger's prior (the rejected one is the
     * ordinary prior's). Default 18 (with b=2, prior credibility 0.9).
     *
     * @param confirmed &gt; 0 and finite
     * @return this builder
     * @throws IllegalArgumentException when not positive and finite
     */
    public Builder trustedFlaggerPrior(double confirmed) {
      if (!(confirmed > 0) || Double.isInfinite(confirmed)) {
        throw new IllegalArgumentException("trusted flagger prior must be finite and > 0, got " + confirmed);
      }
      this.trustedPriorConfirmed = confirmed;
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
      this.halfLife = positive("halfLife", value);
      return this;
    }

    /**
     * Accounts younger than this at report time (or of unknown age) are new: unproven, and their
     * reports need corroboration. Default 7 days.
     *
     * @param value a non-negative duration; not null
     * @return this builder
     * @throws IllegalArgumentException when negative
     */
    public Builder newAccountAge(Duration value) {
      this.newAccountAge = nonNegative("newAccountAge", value);
      return this;
    }

    /**
     * How many reviewed reports (decayed) a reporter needs to count as proven. Default 2.
     *
     * @param value &gt;= 0 and finite
     * @return this builder
     * @throws IllegalArgumentException when negative or not finite
     */
    public Builder provenEvidence(double value) {
      if (!(value >= 0) || Double.isInfinite(value)) {
        throw new IllegalArgumentException("provenEvidence must be finite and >= 0, got " + value);
      }
      this.provenEvidence = value;
      return this;
    }

    /**
     * A wave: at least {@code size} unproven reports within {@code window}, making up at least 80%
     * of the target's pending reports, is suspected brigading. Default 10 in 24 hours.
     *
     * @param size at least 2
     * @param window positive; not null
     * @return this builder
     * @throws IllegalArgumentException when out of range
     */
    public Builder burst(int size, Duration window) {
      if (size < 2) {
        throw new IllegalArgumentException("burst size must be >= 2, got " + size);
      }
      this.burstWindow = positive("burst window", window);
      this.burstSize = size;
      return this;
    }

    /**
     * A cluster of at least this many correlated unproven reporters is suspected brigading.
     * Default 3.
     *
     * @param size at least 2
     * @return this builder
     * @throws IllegalArgumentException when below 2
     */
    public Builder clusterSize(int size) {
      if (size < 2) {
        throw new IllegalArgumentException("cluster size must be >= 2, got " + size);
      }
      this.clusterSize = size;
      return this;
    }

    /**
     * What counts as correlated: accounts created within {@code created} of each other, accounts
     * that joined the same room within {@code joined} of each other, and new accounts that reported
     * the same target within {@code reported} of each other. Defaults 24 hours, 24 hours, 5 minutes.
     *
     * @param created non-negative; not null
     * @param joined non-negative; not null
     * @param reported non-negative; not null
     * @return this builder
     * @throws IllegalArgumentException when negative
     */
    public Builder correlation(Duration created, Duration joined, Duration reported) {
      this.createdTogether = nonNegative("created", created);
      this.joinedTogether = nonNegative("joined", joined);
      this.reportedTogether = nonNegative("reported", reported);
      return this;
    }

    /**
     * How many distinct reporters corroborate each other when none of them is proven. Reports by
     * new accounts, and reports by unproven reporters of harms that are not severe, queue a review
     * only once corroborated. Default 3.
     *
     * @param reporters at least 1
     * @return this builder
     * @throws IllegalArgumentException when below 1
     */
    public Builder corroboration(int reporters) {
      if (reporters < 1) {
        throw new IllegalArgumentException("corroboration must be >= 1, got " + reporters);
      }
      this.corroboration = reporters;
      return this;
    }

    /**
     * Misuse handling (DSA Art. 23): {@code threshold} manifestly unfounded (rejected) reports
     * within {@code window} lead to a warning; reaching it again while the warning is younger than
     * {@code warningValidity} suspends report processing for {@code suspension}. Defaults 5 in 30
     * days, warning valid 90 days, suspension 14 days.
     *
     * @param threshold at least 1
     * @param window positive; not null
     * @param warningValidity positive; not null
     * @param suspension positive; not null
     * @return this builder
     * @throws IllegalArgumentException when out of range
     */
    public Builder misuse(int threshold, Duration window, Duration warningValidity, Duration suspension) {
      if (threshold < 1) {
        throw new IllegalArgumentException("misuse threshold must be >= 1, got " + threshold);
      }
      this.misuseWindow = positive("misuse window", window);
      this.warningValidity = positive("warningValidity", warningValidity);
      this.suspension = positive("suspension", suspension);
      this.misuseThreshold = threshold;
      return this;
    }

    /**
     * How many joined rooms are kept per reporter (the most recent). Default 16.
     *
     * @param value at least 0
     * @return this builder
     * @throws IllegalArgumentException when negative
     */
    public Builder maxRooms(int value) {
      if (value < 0) {
        throw new IllegalArgumentException("maxRooms must be >= 0, got " + value);
      }
      this.maxRooms = value;
      return this;
    }

    /**
     * How many of a target's pending reports are weighed (the most recent); bounds the work per
     * report. Default 500.
     *
     * @param value at least 1
     * @return this builder
     * @throws IllegalArgumentException when below 1
     */
    public Builder maxWeighed(int value) {
      if (value < 1) {
        throw new IllegalArgumentException("maxWeighed must be >= 1, got " + value);
      }
      this.maxWeighed = value;
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
