package dev.haetae.moderation.core.reputation;

import dev.haetae.moderation.api.AccountEvent;
import dev.haetae.moderation.api.AccountId;
import dev.haetae.moderation.api.Category;
import dev.haetae.moderation.api.DecisionId;
import dev.haetae.moderation.api.InvalidRequestException;
import dev.haetae.moderation.api.ReporterId;
import dev.haetae.moderation.api.ReporterSanction;
import dev.haetae.moderation.api.ReviewOutcome;
import dev.haetae.moderation.api.RoomId;
import dev.haetae.moderation.api.Signal;
import dev.haetae.moderation.api.Signal.ReportIntake.Correlation;
import dev.haetae.moderation.api.Signal.ReportIntake.Misuse;
import dev.haetae.moderation.api.Signal.ReportResolution.MisuseFinding;
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
import java.util.Comparator;
import java.util.EnumMap;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.function.UnaryOperator;

/**
 * Reporter credibility, report weighing, brigading and campaign detection, and misuse handling.
 *
 * <p>The model has two halves. The <b>pure</b> half ({@link #intake}, {@link #resolution},
 * {@link #weigh}, {@link #credibility}, {@link #standing}) reads the store and writes nothing: it
 * works out what a report or a review verdict means, as typed signals the engine records in the
 * evidence before the policies decide. The <b>apply</b> half ({@link #file}, {@link #applyReview},
 * {@link #reverse}, {@link #account}, {@link #applySanction}) changes the store, and is called only after
 * the decision is durably logged, with the logged decision's id; each is safe to call again for the
 * same decision id (a re-delivery after a crash changes nothing).
 *
 * <p><b>Credibility</b> is the mean of a Beta distribution: {@code (a + confirmed) / (a + b +
 * confirmed + rejected)}, where {@code confirmed} and {@code rejected} count the reporter's reports
 * that human review later confirmed or rejected (only reviews at or after the report count), each
 * decaying with a configurable half-life. The default prior (a=1, b=2, mean 1/3) is cautious;
 * registered trusted flaggers start from a strong prior (a=18, mean 0.9) and are tracked like
 * everyone else. Same-instant outcomes commute.
 *
 * <p><b>Credit by information added.</b> A confirmed report earns a full confirmation only when it
 * added information: it opened (or escalated) the review item, or came in before it. A report that
 * only attached to an item a moderator would look at anyway earns the configured attach credit
 * (default 0.1). Confirmation credit is shared within a cluster of correlated reporters (each of
 * {@code k} members earns {@code 1/k} of it); a rejection counts in full for everyone.
 *
 * <p><b>Proven and unproven reporters.</b> A reporter is <em>proven</em> when they are a trusted
 * flagger, or their account is older than the new-account age at report time, they have at least
 * the proven-evidence amount of reviewed reports, and their credibility is at least the prior.
 *
 * <p><b>Clusters.</b> Everyone is clustered ({@link Clusters}): accounts created together, that
 * joined a room together, young accounts that reported the target together, and accounts that
 * reported other targets together before (from the reporters' recent reports). A track record
 * weakens a link (a pair with a proven reporter needs two pieces of evidence) but does not remove
 * it. First-party reports are not clustered: a victim speaks for herself.
 *
 * <p><b>Weight</b> of the pending reports on a target: one unit per cluster, worth its most
 * credible member, sorted high to low, the i-th divided by {@code i + 1}. <b>Brigading</b> is
 * suspected when a cluster reaches the configured size, or when a wave of unproven reports (at
 * least the burst size within the burst window) makes up at least 80% of the target's reports; then
 * all unproven reporters collapse into one unit. A <b>campaign</b> is suspected when, within the
 * campaign window, the reports against one owner's targets (content and account) cover at least
 * the configured number of targets from at least the configured number of reporters, at least 80%
 * of them without a track record.
 *
 * <p><b>Claims, not targets.</b> A review resolves only the reports whose alleged harm it covers
 * (its category, or every harm when it names none); "cleared" is per harm; a claim more severe than
 * the open item's escalates it.
 *
 * <p><b>Misuse</b> (DSA Art. 23) is a rate: a reporter is over the line when at least the misuse
 * threshold of their reports were rejected within the window <em>and</em> the rejected share of
 * their reviewed reports is at least the misuse share. The step is taken on the review decision
 * that puts them over the line, never on a new report: an ordinary reporter is warned (and told on
 * their next report); one still over the line after a warning is proposed for suspension, which a
 * person confirms or rejects, and the reporter may appeal, each step a logged {@link
 * ReporterSanction} ({@link #checkSanction}, {@link #applySanction}); a trusted flagger is never warned or suspended, the operator
 * is alerted instead (DSA Art. 22(6)).
 *
 * <p>All parameters are part of {@link #version()}, which every evidence that used the model
 * records. Immutable and thread-safe; all state lives in the {@link ReputationStore}.
 *
 * @since 0.1
 */
public final class ReputationModel {
  /** Harms in increasing severity; a claim escalates an item whose claims are all lower. */
  private static final Map<Category, Integer> SEVERITY = new EnumMap<>(Map.of(Category.OTHER, 0, Category.SPAM, 1,
      Category.HARASSMENT, 2, Category.DOXXING, 3, Category.SEXUAL_DEEPFAKE, 4, Category.NCII, 4,
      Category.TERRORISM, 5, Category.CSAM, 6));
  /** How much a harm's severity weighs in a claim's score. */
  private static final Map<Category, Double> SEVERITY_WEIGHT = new EnumMap<>(Map.of(Category.OTHER, 0.3,
      Category.SPAM, 0.2, Category.HARASSMENT, 0.5, Category.DOXXING, 0.7, Category.SEXUAL_DEEPFAKE, 1.0,
      Category.NCII, 1.0, Category.TERRORISM, 1.0, Category.CSAM, 1.0));
  /** The claims a victim makes about their own image: their reports wait at most {@link #VICTIM_RECHECK}. */
  private static final Set<Category> VICTIM_CLAIMS = EnumSet.of(Category.NCII, Category.SEXUAL_DEEPFAKE,
      Category.CSAM);
  /** The default re-check bound of {@link #VICTIM_CLAIMS}. */
  private static final Duration VICTIM_RECHECK = Duration.ofHours(1);
  /** The independence factor of a score when the reporters look coordinated. */
  private static final double COORDINATED = 0.25;
  /** How many decision ids a record remembers as applied. */
  private static final int APPLIED = 16;

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
  private final Duration reportedElsewhere;
  private final int corroboration;
  private final Duration recheck;
  /** The re-check bound of each category (every category has one). */
  private final Map<Category, Duration> recheckBy;
  private final int misuseThreshold;
  private final double misuseShare;
  private final Duration misuseWindow;
  private final Duration warningValidity;
  private final Duration suspension;
  private final double attachCredit;
  private final int campaignTargets;
  private final int campaignReporters;
  private final Duration campaignWindow;
  private final int maxRooms;
  private final int maxTraces;
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
    this.reportedElsewhere = b.reportedElsewhere;
    this.corroboration = b.corroboration;
    this.recheck = b.recheck;
    Map<Category, Duration> by = new EnumMap<>(Category.class);
    for (Category c : Category.values()) {
      Duration d = b.recheckBy.get(c);
      by.put(c, d != null ? d : VICTIM_CLAIMS.contains(c) && VICTIM_RECHECK.compareTo(b.recheck) < 0
          ? VICTIM_RECHECK : b.recheck);
    }
    this.recheckBy = Collections.unmodifiableMap(by);
    this.misuseThreshold = b.misuseThreshold;
    this.misuseShare = b.misuseShare;
    this.misuseWindow = b.misuseWindow;
    this.warningValidity = b.warningValidity;
    this.suspension = b.suspension;
    this.attachCredit = b.attachCredit;
    this.campaignTargets = b.campaignTargets;
    this.campaignReporters = b.campaignReporters;
    this.campaignWindow = b.campaignWindow;
    this.maxRooms = b.maxRooms;
    this.maxTraces = b.maxTraces;
    this.maxWeighed = b.maxWeighed;
    this.version = "beta-v3(a=" + priorConfirmed + ",b=" + priorRejected + ",trusted_a=" + trustedPriorConfirmed
        + ",half_life=" + halfLife + ",new_account=" + newAccountAge + ",proven=" + provenEvidence + ",burst="
        + burstSize + "/" + burstWindow + ",cluster=" + clusterSize + ",created_together=" + createdTogether
        + ",joined_together=" + joinedTogether + ",reported_together=" + reportedTogether + ",reported_elsewhere="
        + reportedElsewhere + ",corroboration=" + corroboration + ",recheck=" + recheck
        + rechecks(recheckBy, recheck) + ",misuse="
        + misuseThreshold + "/" + misuseShare + "/" + misuseWindow + ",warning=" + warningValidity + ",suspension="
        + suspension + ",attach_credit=" + attachCredit + ",campaign=" + campaignTargets + "/" + campaignReporters
        + "/" + campaignWindow + ",rooms=" + maxRooms + ",traces=" + maxTraces + ",weighed=" + maxWeighed + ")";
  }

  /**
   * The longest a waiting report of a category waits before it is looked at again: a report of the
   * target received at or after its receipt plus this bound, or the engine's re-check of it at that
   * instant, queues it for a person (see {@link Builder#recheck(Category, Duration)}).
   *
   * @param category the claim's category; not null
   * @return the bound; positive, never null
   * @throws NullPointerException when {@code category} is null
   * @since 0.4
   */
  public Duration recheck(Category category) {
    return recheckBy.get(Objects.requireNonNull(category, "category"));
  }

  /** The version string's part for per-category bounds: those that differ from the general one. */
  private static String rechecks(Map<Category, Duration> by, Duration general) {
    StringBuilder sb = new StringBuilder();
    for (Map.Entry<Category, Duration> e : by.entrySet()) {
      if (!e.getValue().equals(general)) {
        sb.append(sb.length() == 0 ? "" : ";").append(e.getKey().wireName()).append('=').append(e.getValue());
      }
    }
    return sb.length() == 0 ? "" : "/" + sb;
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
   * @return e.g. {@code beta-v3(a=1.0,b=2.0,...)}; never null
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
   * The severity rank of a harm, for escalation: a claim escalates an open item when its rank is
   * higher than every claim on the item.
   *
   * @param category the harm; not null
   * @return 0 (other) to 6 (CSAM)
   */
  public static int severity(Category category) {
    return SEVERITY.get(category);
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

  private static ReporterRecord unknown(ReporterId id, Instant at) {
    return ReporterRecord.unknown(id, at);
  }

  // ------------------------------------------------------------------------------------------
  // The pure half: reads the store, writes nothing

  /** Reporter records read once per call. */
  private static final class Records {
    private final ReputationStore store;
    private final Instant now;
    private final Map<ReporterId, ReporterRecord> cache = new HashMap<>();

    Records(ReputationStore store, Instant now) {
      this.store = store;
      this.now = now;
    }

    ReporterRecord get(ReporterId id) {
      ReporterRecord r = cache.get(id);
      if (r == null) {
        r = store.reporter(id).orElse(unknown(id, now));
        cache.put(id, r);
      }
      return r;
    }

    void put(ReporterRecord r) {
      cache.put(r.reporter(), r);
    }
  }

  /** A target's reports as the model sees them at an instant. */
  private static final class View {
    Signal.Reports signal;
    final List<ReportRecord> pending = new ArrayList<>();
    boolean brigading;
    boolean wave;
    int recentUnproven;
    int unprovenMembers;
    int members;
    /** Cluster sizes by reporter (first-party reporters are not clustered). */
    final Map<ReporterId, Integer> clusterSize = new HashMap<>();
    /** The largest cluster size among reporters other than each one's own cluster: the largest two. */
    int secondLargest;
    int unproven;
    int largest;
    Set<Correlation> correlation = EnumSet.noneOf(Correlation.class);
    boolean corroborated;
    Optional<DecisionId> attachedTo = Optional.empty();
    Optional<Category> attachedCategory = Optional.empty();
    boolean attachedTrusted;
    Set<Category> cleared = EnumSet.noneOf(Category.class);
    final Set<ReporterId> rejected = new HashSet<>();
    final Map<ReporterId, Instant> rejectedAt = new HashMap<>();
    /** The earliest re-check instant of the waiting reports: each one's receipt plus its category's bound. */
    Optional<Instant> firstDue = Optional.empty();
    /** Per pending report: the unit (cluster) it counts in, and its reporter's credibility. */
    final Map<ReporterId, Integer> unitOf = new HashMap<>();
    final Map<ReporterId, Double> credibilityOf = new HashMap<>();
  }

  private View view(Target target, List<ReportRecord> all, Instant now, Records records) {
    View v = new View();
    boolean confirmedAny = false;
    for (ReportRecord r : all) {
      switch (r.status()) {
        case PENDING:
          v.pending.add(r);
          break;
        case CONFIRMED:
          confirmedAny = true;
          break;
        case REJECTED:
          v.cleared.add(r.category());
          v.rejected.add(r.reporter());
          v.rejectedAt.put(r.reporter(), r.at());
          break;
        default:
          break;
      }
    }
    if (confirmedAny) {
      v.cleared.clear();
      v.rejected.clear();
      v.rejectedAt.clear();
    }
    List<ReportRecord> pending = v.pending.size() > maxWeighed
        ? v.pending.subList(v.pending.size() - maxWeighed, v.pending.size()) : v.pending;
    Optional<DecisionId> firstAttached = Optional.empty();
    List<Clusters.Member> members = new ArrayList<>();
    List<ReportRecord> memberReports = new ArrayList<>();
    List<Double> memberCred = new ArrayList<>();
    List<Boolean> memberProven = new ArrayList<>();
    List<Double> ownUnits = new ArrayList<>();
    Map<Category, Double> byCategory = new EnumMap<>(Category.class);
    int trusted = 0;
    int recentUnproven = 0;
    int unprovenMembers = 0;
    double max = 0;
    Instant waveStart = now.minus(burstWindow);
    for (ReportRecord r : pending) {
      ReporterRecord rec = records.get(r.reporter());
      double c = credibility(rec, now);
      boolean proven = proven(rec, r.at(), now);
      v.credibilityOf.put(r.reporter(), c);
      byCategory.merge(r.category(), c, Double::sum);
      max = Math.max(max, c);
      trusted += rec.trustedFlagger() ? 1 : 0;
      v.unproven += proven ? 0 : 1;
      if (r.decision().isPresent()) {
        if (firstAttached.isEmpty()) {
          firstAttached = r.decision();
        }
        if (r.decision().equals(r.filedBy())) {
          v.attachedTo = r.decision();
        }
        if (v.attachedCategory.isEmpty() || severity(r.category()) > severity(v.attachedCategory.get())) {
          v.attachedCategory = Optional.of(r.category());
        }
        v.attachedTrusted |= rec.trustedFlagger();
      } else {
        Instant due = r.at().plus(recheckBy.get(r.category()));
        if (v.firstDue.isEmpty() || due.isBefore(v.firstDue.get())) {
          v.firstDue = Optional.of(due);
        }
      }
      if (r.firstParty()) {
        v.unitOf.put(r.reporter(), -1 - ownUnits.size());
        ownUnits.add(c);
        continue;
      }
      members.add(member(rec, r, proven));
      memberReports.add(r);
      memberCred.add(c);
      memberProven.add(proven);
      if (!proven) {
        unprovenMembers++;
        if (!r.at().isBefore(waveStart)) {
          recentUnproven++;
        }
      }
    }
    if (v.attachedTo.isEmpty()) {
      v.attachedTo = firstAttached;
    }
    Clusters clusters = Clusters.of(members, createdTogether, joinedTogether, reportedTogether, reportedElsewhere);
    v.largest = members.isEmpty() ? 0 : clusters.largest();
    v.recentUnproven = recentUnproven;
    v.unprovenMembers = unprovenMembers;
    v.members = members.size();
    Map<Integer, Integer> sizes = new HashMap<>();
    for (int i = 0; i < members.size(); i++) {
      v.clusterSize.put(memberReports.get(i).reporter(), clusters.sizeOf(i));
      sizes.put(clusters.root(i), clusters.sizeOf(i));
    }
    List<Integer> bySize = new ArrayList<>(sizes.values());
    bySize.sort(Collections.reverseOrder());
    v.secondLargest = bySize.size() > 1 ? bySize.get(1) : 0;
    v.wave = recentUnproven >= burstSize && unprovenMembers * 10 >= members.size() * 8;
    v.brigading = v.largest >= clusterSize || v.wave;
    v.correlation.addAll(clusters.features());
    if (v.wave) {
      v.correlation.add(Correlation.WAVE);
    }
    // units: one per cluster, worth its most credible member; in a brigade the unproven and the members
    // of large clusters collapse into one
    Map<Integer, Double> units = new HashMap<>();
    boolean provenUnit = false;
    for (int i = 0; i < members.size(); i++) {
      boolean collapse = v.brigading && (!memberProven.get(i) || clusters.sizeOf(i) >= clusterSize);
      int unit = collapse ? Integer.MIN_VALUE : clusters.root(i);
      units.merge(unit, memberCred.get(i), Math::max);
      v.unitOf.put(memberReports.get(i).reporter(), unit);
      provenUnit |= memberProven.get(i) && !collapse;
    }
    List<Double> values = new ArrayList<>(units.values());
    values.addAll(ownUnits);
    values.sort(Collections.reverseOrder());
    double weight = 0;
    for (int i = 0; i < values.size(); i++) {
      weight += values.get(i) / (i + 1);
    }
    v.corroborated = provenUnit || values.size() >= corroboration;
    Category top = byCategory.entrySet().stream().max(Map.Entry.comparingByValue()).map(Map.Entry::getKey)
        .orElse(Category.OTHER);
    v.signal = new Signal.Reports(target, top, pending.size(), weight, trusted, max, v.brigading, version);
    return v;
  }

  /** A reporter of a target as the clusters see them: their reports of other targets count. */
  private Clusters.Member member(ReporterRecord rec, ReportRecord r, boolean proven) {
    List<ReporterRecord.Trace> elsewhere = new ArrayList<>(rec.reported().size());
    for (ReporterRecord.Trace t : rec.reported()) {
      if (!t.target().equals(r.target())) {
        elsewhere.add(t);
      }
    }
    return new Clusters.Member(rec.accountCreated(), rec.rooms(), r.at(), young(rec, r.at()), proven, elsewhere);
  }

  /**
   * The score of the claims of one harm: the noisy-or of the credibility of their independent
   * units, times the harm's severity weight, times the reporters' independence.
   */
  private static double score(View v, Category claim, boolean coordinated, boolean firstParty) {
    Map<Integer, Double> units = new HashMap<>();
    for (ReportRecord r : v.pending) {
      Integer unit = v.unitOf.get(r.reporter());
      if (r.category() == claim && unit != null) {
        units.merge(unit, v.credibilityOf.get(r.reporter()), Math::max);
      }
    }
    double none = 1;
    for (double u : units.values()) {
      none *= 1 - u;
    }
    double independence = coordinated && !firstParty ? COORDINATED : 1.0;
    return Math.max(0, Math.min(1, (1 - none) * SEVERITY_WEIGHT.get(claim) * independence));
  }

  /** Reports against one owner within the campaign window. */
  private record Campaign(int targets, int reporters, boolean suspected) {}

  private Campaign campaign(List<ReporterRecord.Trace> received, Optional<ReporterRecord.Trace> extra, Instant now) {
    Instant from = now.minus(campaignWindow);
    Set<Target> targets = new HashSet<>();
    Set<ReporterId> reporters = new HashSet<>();
    int n = 0;
    int unproven = 0;
    List<ReporterRecord.Trace> all = new ArrayList<>(received);
    extra.ifPresent(all::add);
    for (ReporterRecord.Trace t : all) {
      if (t.at().isBefore(from) || t.at().isAfter(now)) {
        continue;
      }
      targets.add(t.target());
      reporters.add(t.reporter());
      n++;
      unproven += t.proven() ? 0 : 1;
    }
    boolean suspected = targets.size() >= campaignTargets && reporters.size() >= campaignReporters
        && unproven * 10 >= n * 8;
    return new Campaign(targets.size(), reporters.size(), suspected);
  }

  /**
   * Weighs a new report next to the stored ones, without storing anything: works out the
   * reporter's misuse state, the target's review item and verdicts, how the reporters cluster,
   * whether the owner is under a campaign, and the claim's score, as they are with this report
   * added (once per reporter and target; not weighed while the reporter's processing is suspended).
   * Reads the store; changes nothing. After the decision is logged the engine stores the report with
   * {@link #file}.
   *
   * @param report the report; not null
   * @param now the instant of receipt; not null
   * @param store the store; not null
   * @param context what the engine knows about the target; not null
   * @return the weighed reports and the intake signal; never null
   * @throws NullPointerException when an argument is null
   */
  public ReportIntake intake(UserReport report, Instant now, ReputationStore store, ReportContext context) {
    Objects.requireNonNull(report, "report");
    Objects.requireNonNull(now, "now");
    Objects.requireNonNull(context, "context");
    Records records = new Records(store, now);
    ReporterRecord rec = records.get(report.reporter());
    Misuse misuse = misuse(rec, now);
    boolean weighed = misuse != Misuse.SUSPENDED;
    List<ReportRecord> stored = store.reports(report.target());
    boolean duplicate = false;
    for (ReportRecord r : stored) {
      duplicate |= r.reporter().equals(report.reporter());
    }
    List<ReportRecord> all = stored;
    if (!duplicate) {
      all = new ArrayList<>(stored.size() + 1);
      all.addAll(stored);
      all.add(new ReportRecord(report.reporter(), report.target(), report.category(), now,
          weighed ? ReportRecord.Status.PENDING : ReportRecord.Status.UNPROCESSED, Optional.empty(), Optional.empty(),
          report.firstParty()));
    }
    View v = view(report.target(), all, now, records);
    boolean proven = proven(rec, now, now);

    Optional<ReporterRecord.Trace> trace = duplicate || !weighed ? Optional.empty()
        : Optional.of(new ReporterRecord.Trace(report.target(), report.reporter(), report.category(), now, proven));
    List<ReporterRecord.Trace> received = context.owner()
        .map(o -> records.get(ReporterId.of(o.value())).received()).orElse(List.of());
    Campaign campaign = context.owner().isPresent() ? campaign(received, trace, now) : new Campaign(0, 0, false);

    boolean coordinated = v.brigading || campaign.suspected();
    boolean reflag = false;
    if (v.attachedTo.isPresent() && coordinated && !duplicate) {
      boolean campaignBefore = context.owner().isPresent() && campaign(received, Optional.empty(), now).suspected();
      reflag = !(campaignBefore || coordinatedWithout(report, proven, v)
          || view(report.target(), stored, now, records).brigading);
    }
    boolean escalates = v.attachedCategory.isPresent()
        && severity(report.category()) > severity(v.attachedCategory.get());
    boolean linked = false;
    if (!v.cleared.isEmpty()) {
      linked = linkedToRejected(report.reporter(), rec, now, v, records);
    }
    Optional<Instant> recheckAt = v.attachedTo.isEmpty() && !v.corroborated
        ? v.firstDue : Optional.empty();
    Signal.ReportIntake signal = new Signal.ReportIntake(report.target(), report.category(), report.firstParty(),
        duplicate, misuse, misuse == Misuse.SUSPENDED ? rec.suspendedUntil() : Optional.empty(),
        unfoundedInWindow(rec, now), Math.round(credibility(rec, now) * 1000) / 1000.0, rec.trustedFlagger(),
        young(rec, now), proven, v.corroborated, recheckAt, v.attachedTo, v.attachedCategory, v.attachedTrusted,
        escalates, reflag, v.cleared, linked, context.targetRemoved(), v.unproven, v.largest, v.correlation,
        context.owner(), campaign.targets(), campaign.reporters(), campaign.suspected(),
        Math.round(score(v, report.category(), coordinated, report.firstParty()) * 1000) / 1000.0);
    return new ReportIntake(v.signal, signal);
  }

  /**
   * Whether the reports looked coordinated already without the new one, decided from the counts
   * where they suffice (the wave is a count; a large cluster the new reporter is not in, or a second
   * one, stays); false means "weigh again without it to know".
   */
  private boolean coordinatedWithout(UserReport report, boolean proven, View v) {
    boolean member = !report.firstParty();
    int unprovenNew = member && !proven ? 1 : 0;
    if (v.recentUnproven - unprovenNew >= burstSize
        && (v.unprovenMembers - unprovenNew) * 10 >= (v.members - (member ? 1 : 0)) * 8) {
      return true;
    }
    Integer own = v.clusterSize.get(report.reporter());
    if (own == null || own < v.largest) {
      return v.largest >= clusterSize;
    }
    return v.secondLargest >= clusterSize;
  }

  /** The reporter's misuse state as a new report finds it. */
  private Misuse misuse(ReporterRecord rec, Instant now) {
    if (rec.trustedFlagger()) {
      return Misuse.NONE;
    }
    if (rec.suspendedUntil().isPresent()) {
      return rec.suspendedUntil().get().isAfter(now) ? Misuse.SUSPENDED : Misuse.RESTORED;
    }
    if (rec.warnedAt().isPresent() && rec.warnedAt().get().plus(warningValidity).isAfter(now)) {
      Instant warned = rec.warnedAt().get();
      for (ReporterRecord.Trace t : rec.reported()) {
        if (t.at().isAfter(warned)) {
          return Misuse.NONE; // told already, on an earlier report
        }
      }
      return Misuse.WARNING_NOTICE;
    }
    return Misuse.NONE;
  }

  /**
   * Whether a reporter is one of the reporters review rejected on the target, or correlated with
   * that wave as a whole: each correlation with any of its members is a piece of evidence (created
   * together; joined a room together, one per room; reported another target together, one per
   * target), and one piece links a reporter without a track record, two a proven one. The most
   * recent rejected reporters are checked, up to the weighing bound.
   */
  private boolean linkedToRejected(ReporterId reporter, ReporterRecord rec, Instant now, View v, Records records) {
    if (v.rejected.contains(reporter)) {
      return true;
    }
    List<ReporterId> wave = new ArrayList<>(v.rejected);
    wave.sort(Comparator.comparing((ReporterId w) -> v.rejectedAt.get(w)).reversed()
        .thenComparing(ReporterId::value));
    if (wave.size() > maxWeighed) {
      wave = wave.subList(0, maxWeighed);
    }
    Set<String> pieces = new HashSet<>();
    for (ReporterId id : wave) {
      ReporterRecord w = records.get(id);
      if (rec.accountCreated().isPresent() && w.accountCreated().isPresent()
          && within(rec.accountCreated().get(), w.accountCreated().get(), createdTogether)) {
        pieces.add("created");
      }
      for (AccountEvent.RoomJoin mine : rec.rooms()) {
        for (AccountEvent.RoomJoin theirs : w.rooms()) {
          if (mine.room().equals(theirs.room()) && within(mine.joinedAt(), theirs.joinedAt(), joinedTogether)) {
            pieces.add("room:" + mine.room().value());
          }
        }
      }
      for (ReporterRecord.Trace mine : rec.reported()) {
        for (ReporterRecord.Trace theirs : w.reported()) {
          if (mine.target().equals(theirs.target()) && !mine.target().equals(v.signal.target())
              && within(mine.at(), theirs.at(), reportedElsewhere)) {
            pieces.add("target:" + mine.target().kind() + ":" + mine.target().id());
          }
        }
      }
    }
    return pieces.size() >= (proven(rec, now, now) ? 2 : 1);
  }

  private static boolean within(Instant a, Instant b, Duration gap) {
    return Duration.between(a, b).abs().compareTo(gap) <= 0;
  }

  /**
   * Works out what a review verdict does to the reports on its target, without storing anything:
   * the pending reports made at or before the review whose alleged harm the verdict covers are
   * resolved; for a verdict of not violating, the reporters it puts over the misuse line are listed
   * with the step proposed. Reads the store; changes nothing. After the decision is logged the
   * engine applies it with {@link #applyReview}.
   *
   * @param review the review; not null
   * @param now the instant of the review; not null
   * @param store the store; not null
   * @return the resolution signal; never null
   * @throws NullPointerException when an argument is null
   */
  public Signal.ReportResolution resolution(ReviewOutcome review, Instant now, ReputationStore store) {
    return resolution(review, now, store, ReportContext.none());
  }

  /**
   * As {@link #resolution(ReviewOutcome, Instant, ReputationStore)}, and also whether the reports a
   * violating verdict confirms come out of a flagged wave ({@link Signal.ReportResolution#coordinated()}):
   * the target's pending reports look like brigading, or its owner ({@code context.owner()}) is under
   * a campaign as the owner's received reports stand now. Pure: the same store and instant give the
   * same answer. Reads the store; changes nothing.
   *
   * @param review the review; not null
   * @param now the instant of the review; not null
   * @param store the store; not null
   * @param context what the engine knows about the target (its owner); not null
   * @return the resolution signal; never null
   * @throws NullPointerException when an argument is null
   * @since 0.2
   */
  public Signal.ReportResolution resolution(ReviewOutcome review, Instant now, ReputationStore store,
      ReportContext context) {
    Objects.requireNonNull(review, "review");
    Objects.requireNonNull(now, "now");
    Objects.requireNonNull(context, "context");
    Set<Category> covered = covered(review);
    boolean confirm = review.verdict() == Verdict.VIOLATING;
    int confirmed = 0;
    int rejected = 0;
    int untouched = 0;
    Set<ReporterId> rejecters = new HashSet<>();
    for (ReportRecord r : store.reports(review.target())) {
      if (r.status() != ReportRecord.Status.PENDING || r.at().isAfter(now)) {
        continue;
      }
      if (!covered.contains(r.category())) {
        untouched++;
      } else if (confirm) {
        confirmed++;
      } else {
        rejected++;
        rejecters.add(r.reporter());
      }
    }
    List<MisuseFinding> findings = new ArrayList<>();
    for (ReporterId id : rejecters) {
      store.reporter(id).flatMap(rec -> finding(rec, now)).ifPresent(findings::add);
    }
    findings.sort(Comparator.comparing(f -> f.reporter().value()));
    boolean coordinated = false;
    if (confirmed > 0) {
      Records records = new Records(store, now);
      coordinated = view(review.target(), store.reports(review.target()), now, records).brigading
          || context.owner().map(o -> campaign(records.get(ReporterId.of(o.value())).received(), Optional.empty(), now)
              .suspected()).orElse(false);
    }
    return new Signal.ReportResolution(review.target(), review.verdict(), covered, confirmed, rejected, untouched,
        findings, coordinated);
  }

  private static Set<Category> covered(ReviewOutcome review) {
    return review.category().map(EnumSet::of).orElseGet(() -> EnumSet.allOf(Category.class));
  }

  /** The misuse step one more rejection at {@code now} takes for a reporter, if any. */
  private Optional<MisuseFinding> finding(ReporterRecord rec, Instant now) {
    if (rec.suspendedAt(now)) {
      return Optional.empty();
    }
    double f = decayFactor(rec.updatedAt(), now);
    double confirmed = rec.confirmed() * f;
    double rejected = rec.rejected() * f + 1;
    double share = rejected / (confirmed + rejected);
    int unfounded = unfoundedInWindow(rec, now) + 1;
    if (unfounded < misuseThreshold || share < misuseShare) {
      return Optional.empty();
    }
    boolean warned = rec.warnedAt().isPresent() && rec.warnedAt().get().plus(warningValidity).isAfter(now);
    Signal.ReportResolution.Step step;
    if (rec.trustedFlagger()) {
      if (warned) {
        return Optional.empty(); // the operator was alerted within the validity period
      }
      step = Signal.ReportResolution.Step.ALERT_OPERATOR;
    } else {
      step = warned ? Signal.ReportResolution.Step.PROPOSE_SUSPENSION : Signal.ReportResolution.Step.WARN;
    }
    return Optional.of(new MisuseFinding(rec.reporter(), rec.trustedFlagger(), unfounded,
        Math.round(share * 1000) / 1000.0, step));
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
    return view(target, store.reports(target), now, new Records(store, now)).signal;
  }

  // ------------------------------------------------------------------------------------------
  // The apply half: called after the decision is logged; each call is idempotent by decision id

  /**
   * Stores a report after its decision is logged: the report itself once per reporter and target
   * (as {@link ReportRecord.Status#UNPROCESSED} when the reporter's processing was suspended),
   * attached to the decision when it queued, escalated or re-flagged the target's review item, or to
   * the open item otherwise; the report in the reporter's recent reports (which also tells the model
   * a pending misuse warning was delivered) and in the owner's received reports; and the end of an
   * expired suspension. Calling it again for the same decision changes nothing.
   *
   * @param report the report; not null
   * @param intake the intake signal recorded in the decision's evidence; not null
   * @param decision the logged decision; not null
   * @param queued whether the decision queued the target for review
   * @param at the instant of the decision (the evidence's); not null
   * @param store the store; not null
   * @throws NullPointerException when an argument is null
   * @throws IllegalArgumentException when the intake is about another target
   */
  public void file(UserReport report, Signal.ReportIntake intake, DecisionId decision, boolean queued, Instant at,
      ReputationStore store) {
    Objects.requireNonNull(report, "report");
    Objects.requireNonNull(decision, "decision");
    Objects.requireNonNull(at, "at");
    if (!intake.target().equals(report.target())) {
      throw new IllegalArgumentException("the intake is about " + intake.target() + ", the report about "
          + report.target());
    }
    boolean weighed = intake.misuse() != Misuse.SUSPENDED;
    // the report opens an item (and earns full credit later) when there was none, or when it adds a
    // claim the item did not have: a more severe harm, a first-party or a trusted flagger's report; a
    // report that only flags an open item as coordinated attaches to it
    boolean opens = queued && (intake.attachedTo().isEmpty() || intake.escalates() || intake.firstParty()
        || intake.trustedFlagger());
    Optional<DecisionId> item = opens ? Optional.of(decision)
        : intake.attachedTo().isPresent() ? intake.attachedTo() : queued ? Optional.of(decision) : Optional.empty();
    boolean added = store.addReport(new ReportRecord(report.reporter(), report.target(), report.category(), at,
        weighed ? ReportRecord.Status.PENDING : ReportRecord.Status.UNPROCESSED, item, Optional.of(decision),
        report.firstParty()));
    if (!added && opens) {
      // a report sent again (e.g. re-checked on a timer) that queued now: it opens the item
      store.updateReports(report.target(), list -> {
        List<ReportRecord> next = new ArrayList<>(list.size());
        for (ReportRecord r : list) {
          boolean mine = r.reporter().equals(report.reporter()) && r.status() == ReportRecord.Status.PENDING
              && !r.decision().equals(Optional.of(decision));
          next.add(mine ? new ReportRecord(r.reporter(), r.target(), r.category(), r.at(), r.status(),
              Optional.of(decision), Optional.of(decision), r.firstParty()) : r);
        }
        return next;
      });
    }
    ReporterRecord.Trace trace = new ReporterRecord.Trace(report.target(), report.reporter(), report.category(), at,
        intake.proven());
    // the same report sent again (by the host, or re-checked by the engine's tick) is not a new
    // report: its traces keep their time, so re-checks neither stretch a campaign's window nor link
    // reporters who reported the same target within the hour
    boolean fresh = !intake.duplicate();
    store.updateReporter(report.reporter(), at, cur -> {
      List<ReporterRecord.Trace> reported = fresh
          ? upsert(cur.reported(), trace, t -> t.target().equals(trace.target())) : cur.reported();
      Optional<Instant> suspended = cur.suspendedUntil();
      if (intake.misuse() == Misuse.RESTORED && suspended.isPresent() && !suspended.get().isAfter(at)) {
        suspended = Optional.empty();
      }
      return with(cur, reported, cur.received(), suspended, cur.applied());
    });
    if (weighed && fresh && intake.owner().isPresent()) {
      ReporterId owner = ReporterId.of(intake.owner().get().value());
      store.updateReporter(owner, at, cur -> with(cur, cur.reported(), upsert(cur.received(), trace,
          t -> t.target().equals(trace.target()) && t.reporter().equals(trace.reporter())), cur.suspendedUntil(),
          cur.applied()));
    }
  }

  /** {@code list} with {@code t} in place of the entries {@code same} matches, bounded, oldest dropped. */
  private List<ReporterRecord.Trace> upsert(List<ReporterRecord.Trace> list, ReporterRecord.Trace t,
      java.util.function.Predicate<ReporterRecord.Trace> same) {
    List<ReporterRecord.Trace> out = new ArrayList<>(list.size() + 1);
    boolean present = false;
    for (ReporterRecord.Trace x : list) {
      if (same.test(x)) {
        present |= x.equals(t);
        if (x.equals(t)) {
          out.add(x);
        }
      } else {
        out.add(x);
      }
    }
    if (present) {
      return list; // already there: nothing changes
    }
    out.add(t);
    out.sort(Comparator.comparing(ReporterRecord.Trace::at).thenComparing(x -> x.target().kind())
        .thenComparing(x -> x.target().id()).thenComparing(x -> x.reporter().value()));
    return out.size() > maxTraces ? List.copyOf(out.subList(out.size() - maxTraces, out.size())) : out;
  }

  private static ReporterRecord with(ReporterRecord c, List<ReporterRecord.Trace> reported,
      List<ReporterRecord.Trace> received, Optional<Instant> suspendedUntil, List<DecisionId> applied) {
    if (reported == c.reported() && received == c.received() && suspendedUntil.equals(c.suspendedUntil())
        && applied == c.applied()) {
      return c;
    }
    return new ReporterRecord(c.reporter(), c.accountCreated(), c.trustedFlagger(), c.confirmed(), c.rejected(),
        c.updatedAt(), c.warnings(), suspendedUntil, c.rooms(), c.unfounded(), c.warnedAt(), reported, received,
        applied, c.sanction());
  }

  private static List<DecisionId> applied(List<DecisionId> applied, DecisionId d) {
    List<DecisionId> out = new ArrayList<>(applied.size() + 1);
    out.addAll(applied);
    out.add(d);
    return out.size() > APPLIED ? out.subList(out.size() - APPLIED, out.size()) : out;
  }

  /**
   * Applies a review verdict after its decision is logged: the pending reports made at or before
   * it whose alleged harm it covers are claimed for this decision (confirmed or rejected, atomically
   * per target, so two deliveries of one verdict resolve each report once); then each of their
   * reporters' counts change once per decision (a confirmation by the report's information credit
   * shared within its cluster, a rejection in full, also counted as manifestly unfounded), and the
   * misuse steps the resolution signal lists are taken for the reporters whose reports this decision
   * rejected (a warning is recorded, to be told on the reporter's next report; a proposal to suspend
   * or an operator alert restarts the count). A call interrupted after the claim and made again finds
   * the reports it claimed and completes the reporters it had not updated; a call made again after
   * it completed changes nothing.
   *
   * @param review the review; not null
   * @param resolution the resolution signal recorded in the decision's evidence; not null
   * @param decision the logged decision; not null
   * @param at the instant of the review (the evidence's); not null
   * @param store the store; not null
   * @return the number of reports this decision resolved (the same when called again)
   * @throws NullPointerException when an argument is null
   */
  public int applyReview(ReviewOutcome review, Signal.ReportResolution resolution, DecisionId decision, Instant at,
      ReputationStore store) {
    Objects.requireNonNull(review, "review");
    Objects.requireNonNull(resolution, "resolution");
    Objects.requireNonNull(decision, "decision");
    Objects.requireNonNull(at, "at");
    boolean confirm = review.verdict() == Verdict.VIOLATING;
    Set<Category> covered = resolution.covered();
    ReportRecord.Status status = confirm ? ReportRecord.Status.CONFIRMED : ReportRecord.Status.REJECTED;
    List<ReportRecord> mine = claim(review.target(), decision, store, r -> r.status() == ReportRecord.Status.PENDING
        && !r.at().isAfter(at) && covered.contains(r.category()), status);
    Map<ReporterId, Double> credit = confirm ? credits(mine, at, store) : Map.of();
    Map<ReporterId, MisuseFinding> steps = new HashMap<>();
    for (MisuseFinding f : resolution.misuse()) {
      steps.put(f.reporter(), f);
    }
    for (ReportRecord r : mine) {
      ReporterId id = r.reporter();
      store.updateReporter(id, at, cur -> {
        if (cur.applied().contains(decision)) {
          return cur;
        }
        ReporterRecord next = outcome(cur, confirm, confirm ? credit.get(id) : 1.0, at);
        return step(next, confirm ? null : steps.get(id), decision, at);
      });
    }
    return mine.size();
  }

  /**
   * Claims, atomically on the target's reports, those {@code which} selects for {@code decision}
   * with the given status, and returns every report this decision has claimed (now or in an earlier,
   * interrupted call).
   */
  private static List<ReportRecord> claim(Target target, DecisionId decision, ReputationStore store,
      java.util.function.Predicate<ReportRecord> which, ReportRecord.Status status) {
    List<ReportRecord> written = store.updateReports(target, list -> {
      List<ReportRecord> next = new ArrayList<>(list.size());
      for (ReportRecord r : list) {
        next.add(which.test(r) ? r.resolved(status, decision) : r);
      }
      return next;
    });
    List<ReportRecord> mine = new ArrayList<>();
    for (ReportRecord r : written) {
      if (r.resolvedBy().equals(Optional.of(decision))) {
        mine.add(r);
      }
    }
    return mine;
  }

  /**
   * The confirmation credit of each report: full when it added information (opened or escalated
   * the item, or came before it), the attach credit when it only attached, divided by the size of
   * the reporter's cluster among the resolved reports.
   */
  private Map<ReporterId, Double> credits(List<ReportRecord> resolving, Instant at, ReputationStore store) {
    Records records = new Records(store, at);
    List<Clusters.Member> members = new ArrayList<>();
    List<ReportRecord> memberReports = new ArrayList<>();
    Map<ReporterId, Double> out = new LinkedHashMap<>();
    for (ReportRecord r : resolving) {
      double info = r.attachedOnly() ? attachCredit : 1.0;
      out.put(r.reporter(), info);
      if (r.firstParty()) {
        continue;
      }
      ReporterRecord rec = records.get(r.reporter());
      members.add(member(rec, r, proven(rec, r.at(), at)));
      memberReports.add(r);
    }
    Clusters c = Clusters.of(members, createdTogether, joinedTogether, reportedTogether, reportedElsewhere);
    for (int i = 0; i < members.size(); i++) {
      int size = c.sizeOf(i);
      out.compute(memberReports.get(i).reporter(), (k, v) -> v / size);
    }
    return out;
  }

  /** Takes a misuse step on a record (or none), and remembers the decision as applied. */
  private ReporterRecord step(ReporterRecord r, MisuseFinding f, DecisionId decision, Instant at) {
    int warnings = r.warnings();
    Optional<Instant> warnedAt = r.warnedAt();
    List<Instant> unfounded = r.unfounded();
    Optional<ReporterRecord.Sanction> sanction = r.sanction();
    if (f != null) {
      unfounded = List.of();
      if (f.step() == Signal.ReportResolution.Step.WARN) {
        warnings++;
        warnedAt = Optional.of(at);
      } else if (f.step() == Signal.ReportResolution.Step.ALERT_OPERATOR) {
        warnedAt = Optional.of(at);
      } else if (f.step() == Signal.ReportResolution.Step.PROPOSE_SUSPENSION) {
        // the case waits for a person: a logged ReporterSanction naming this decision confirms or rejects it
        sanction = Optional.of(new ReporterRecord.Sanction(decision, ReporterRecord.Sanction.State.PROPOSED));
      }
    }
    return new ReporterRecord(r.reporter(), r.accountCreated(), r.trustedFlagger(), r.confirmed(), r.rejected(),
        r.updatedAt(), warnings, r.suspendedUntil(), r.rooms(), unfounded, warnedAt, r.reported(), r.received(),
        applied(r.applied(), decision), sanction);
  }

  /**
   * Corrects reporter credibility after an appeal reversed a decision: the reports on the target
   * that were confirmed and made no later than {@code decidedAt} become rejected, and each of their
   * reporters loses the confirmation credit the report would earn now and gains one rejection (never
   * going below zero). The reports are claimed for the decision atomically, then each reporter is
   * updated once per decision, so a call made again (after a crash, or as a second delivery) counts
   * no one twice.
   *
   * @param target the target of the reversed decision; not null
   * @param decidedAt when the reversed decision was taken; not null
   * @param decision the logged decision that reversed it; not null
   * @param at the instant of the reversal; not null
   * @param store the store; not null
   * @return the number of reports this decision corrected (the same when called again)
   * @throws NullPointerException when an argument is null
   */
  public int reverse(Target target, Instant decidedAt, DecisionId decision, Instant at, ReputationStore store) {
    Objects.requireNonNull(target, "target");
    Objects.requireNonNull(decidedAt, "decidedAt");
    Objects.requireNonNull(decision, "decision");
    Objects.requireNonNull(at, "at");
    List<ReportRecord> mine = claim(target, decision, store, r -> r.status() == ReportRecord.Status.CONFIRMED
        && !r.at().isAfter(decidedAt), ReportRecord.Status.REJECTED);
    Map<ReporterId, Double> credit = credits(mine, at, store);
    for (ReportRecord r : mine) {
      double c = credit.get(r.reporter());
      store.updateReporter(r.reporter(), at, cur -> {
        if (cur.applied().contains(decision)) {
          return cur;
        }
        double f = decayFactor(cur.updatedAt(), at);
        Instant t = at.isAfter(cur.updatedAt()) ? at : cur.updatedAt();
        return new ReporterRecord(cur.reporter(), cur.accountCreated(), cur.trustedFlagger(),
            Math.max(0, cur.confirmed() * f - c), cur.rejected() * f + 1, t, cur.warnings(), cur.suspendedUntil(),
            cur.rooms(), cur.unfounded(), cur.warnedAt(), cur.reported(), cur.received(),
            applied(cur.applied(), decision), cur.sanction());
      });
    }
    return mine.size();
  }

  /**
   * Records account facts for a reporter after the account event's decision is logged: creation
   * time, trusted-flagger registration, and rooms joined (merged with those known, the most recent
   * {@code maxRooms} kept). Calling it again for the same event changes nothing.
   *
   * @param event the account event; not null
   * @param decision the logged decision; not null
   * @param at the instant of the decision; not null
   * @param store the store; not null
   * @return the record as written; never null
   * @throws NullPointerException when an argument is null
   */
  public ReporterRecord account(AccountEvent event, DecisionId decision, Instant at, ReputationStore store) {
    Objects.requireNonNull(event, "event");
    Objects.requireNonNull(decision, "decision");
    ReporterId id = ReporterId.of(event.account().value());
    return store.updateReporter(id, at, cur -> {
      List<AccountEvent.RoomJoin> rooms = cur.rooms();
      if (!event.rooms().isEmpty()) {
        Map<RoomId, Instant> merged = new LinkedHashMap<>();
        for (AccountEvent.RoomJoin j : cur.rooms()) {
          merged.put(j.room(), j.joinedAt());
        }
        for (AccountEvent.RoomJoin j : event.rooms()) {
          merged.put(j.room(), j.joinedAt());
        }
        List<AccountEvent.RoomJoin> all = new ArrayList<>();
        merged.forEach((r, t) -> all.add(new AccountEvent.RoomJoin(r, t)));
        all.sort(Comparator.comparing(AccountEvent.RoomJoin::joinedAt));
        rooms = all.size() > maxRooms ? all.subList(all.size() - maxRooms, all.size()) : all;
      }
      return new ReporterRecord(cur.reporter(), Optional.of(event.createdAt()), event.trustedFlagger(),
          cur.confirmed(), cur.rejected(), cur.updatedAt(), cur.warnings(), cur.suspendedUntil(), rooms,
          cur.unfounded(), cur.warnedAt(), cur.reported(), cur.received(), cur.applied(), cur.sanction());
    });
  }

  /**
   * Checks, before anything is logged, that a person's step in a reporter's misuse case answers the
   * case as it stands: a confirmation or rejection names the open proposal, an appeal names the
   * running suspension's confirmation, an appeal's upholding or dismissal names the appealed
   * suspension. Pure: reads the store, writes nothing.
   *
   * @param request the step; not null
   * @param store the store; not null
   * @throws InvalidRequestException on {@code sanction.reporter} when the reporter is a trusted
   *     flagger (their status is the coordinator's to suspend, DSA Art. 22(6)) or unknown, and on
   *     {@code sanction.decision} when the case is not in the state the step answers or names
   *     another decision
   * @throws NullPointerException when an argument is null
   * @since 0.3
   */
  public void checkSanction(ReporterSanction request, ReputationStore store) {
    Objects.requireNonNull(request, "request");
    ReporterRecord rec = store.reporter(request.reporter()).orElseThrow(() -> new InvalidRequestException(
        "sanction.reporter", "has no misuse case: the reputation store does not know the reporter"));
    if (rec.trustedFlagger()) {
      throw new InvalidRequestException("sanction.reporter", "is a trusted flagger: the model never suspends one;"
          + " report the issue to the Digital Services Coordinator (DSA Art. 22(6))");
    }
    ReporterRecord.Sanction.State wanted = answers(request.step());
    Optional<ReporterRecord.Sanction> open = rec.sanction();
    if (open.isEmpty() || open.get().state() != wanted || !open.get().decision().equals(request.decision())) {
      throw new InvalidRequestException("sanction.decision", "the step " + request.step().wireName() + " answers a"
          + " case " + wanted.name().toLowerCase(java.util.Locale.ROOT) + " by decision " + request.decision().value()
          + ", but the reporter's case is " + open.map(o -> o.state().name().toLowerCase(java.util.Locale.ROOT)
              + " by decision " + o.decision().value()).orElse("closed"));
    }
  }

  private static ReporterRecord.Sanction.State answers(ReporterSanction.Step step) {
    switch (step) {
      case CONFIRM:
      case REJECT:
        return ReporterRecord.Sanction.State.PROPOSED;
      case APPEAL:
        return ReporterRecord.Sanction.State.SUSPENDED;
      case UPHOLD:
      case DISMISS:
        return ReporterRecord.Sanction.State.APPEALED;
      default:
        throw new IllegalStateException("unhandled step " + step);
    }
  }

  /**
   * Applies a person's step in a reporter's misuse case after its decision is logged: a
   * confirmation suspends the reporter's report processing for the configured period from {@code
   * at} (the case then waits for an appeal, by this decision); a rejection closes the case; an
   * appeal waits for a moderator; an upheld appeal lifts the suspension, withdraws the last warning
   * and forgets the counted unfounded reports (credibility follows review outcomes and is not
   * changed); a dismissed appeal lets the suspension run on. Calling it again for the same decision
   * changes nothing, nor does a step the case no longer waits for.
   *
   * @param request the logged step; not null
   * @param decision the logged decision of the step; not null
   * @param at the decision's instant; not null
   * @param store the store; not null
   * @return the record as written; never null
   * @throws NullPointerException when an argument is null
   * @since 0.3
   */
  public ReporterRecord applySanction(ReporterSanction request, DecisionId decision, Instant at,
      ReputationStore store) {
    Objects.requireNonNull(request, "request");
    Objects.requireNonNull(decision, "decision");
    Objects.requireNonNull(at, "at");
    ReporterRecord.Sanction.State wanted = answers(request.step());
    return store.updateReporter(request.reporter(), at, r -> {
      if (r.applied().contains(decision) || r.sanction().isEmpty() || r.sanction().get().state() != wanted
          || !r.sanction().get().decision().equals(request.decision())) {
        return r;
      }
      List<DecisionId> applied = applied(r.applied(), decision);
      switch (request.step()) {
        case CONFIRM:
          return new ReporterRecord(r.reporter(), r.accountCreated(), r.trustedFlagger(), r.confirmed(), r.rejected(),
              r.updatedAt(), r.warnings(), Optional.of(at.plus(suspension)), r.rooms(), List.of(), r.warnedAt(),
              r.reported(), r.received(), applied,
              Optional.of(new ReporterRecord.Sanction(decision, ReporterRecord.Sanction.State.SUSPENDED)));
        case APPEAL:
          return with(r, applied, Optional.of(new ReporterRecord.Sanction(request.decision(),
              ReporterRecord.Sanction.State.APPEALED)));
        case DISMISS:
          return with(r, applied, Optional.of(new ReporterRecord.Sanction(request.decision(),
              ReporterRecord.Sanction.State.SUSPENDED)));
        case UPHOLD:
          return new ReporterRecord(r.reporter(), r.accountCreated(), r.trustedFlagger(), r.confirmed(), r.rejected(),
              r.updatedAt(), Math.max(0, r.warnings() - 1), Optional.empty(), r.rooms(), List.of(), Optional.empty(),
              r.reported(), r.received(), applied, Optional.empty());
        case REJECT:
          return with(r, applied, Optional.empty());
        default:
          throw new IllegalStateException("unhandled step " + request.step());
      }
    });
  }

  private static ReporterRecord with(ReporterRecord r, List<DecisionId> applied,
      Optional<ReporterRecord.Sanction> sanction) {
    return new ReporterRecord(r.reporter(), r.accountCreated(), r.trustedFlagger(), r.confirmed(), r.rejected(),
        r.updatedAt(), r.warnings(), r.suspendedUntil(), r.rooms(), r.unfounded(), r.warnedAt(), r.reported(),
        r.received(), applied, sanction);
  }

  /**
   * Suspends the processing of a reporter's reports for the configured period, after a person
   * confirmed a proposal the model made on a review decision (DSA Art. 23: after a warning, for a
   * reasonable period). The host calls it with the id of the logged decision that records the
   * person's confirmation. Calling it again for the same decision changes nothing.
   *
   * @param reporter the reporter; not null
   * @param decision the logged decision of the confirmation; not null
   * @param at when the person confirmed; not null
   * @param store the store; not null
   * @return the record as written; never null
   * @throws NullPointerException when an argument is null
   * @throws IllegalStateException when the reporter is a trusted flagger: their status is the
   *     regulator's to suspend or revoke (DSA Art. 22(6) and (7)), never the model's
   * @deprecated outside the decision log: replay cannot reproduce the change, and no one checks that
   *     a person confirmed. Send a {@link ReporterSanction} of {@link ReporterSanction.Step#CONFIRM}
   *     through the engine instead; this method stays for hosts that keep the reputation store
   *     without an engine (it closes any open case)
   */
  @Deprecated(since = "0.3")
  public ReporterRecord suspend(ReporterId reporter, DecisionId decision, Instant at, ReputationStore store) {
    Objects.requireNonNull(reporter, "reporter");
    Objects.requireNonNull(decision, "decision");
    Objects.requireNonNull(at, "at");
    if (store.reporter(reporter).map(ReporterRecord::trustedFlagger).orElse(false)) {
      throw new IllegalStateException("reporter " + reporter.value() + " is a trusted flagger: report the issue to"
          + " the Digital Services Coordinator (DSA Art. 22(6)); the model never suspends a trusted flagger");
    }
    return store.updateReporter(reporter, at, r -> r.applied().contains(decision) ? r
        : new ReporterRecord(r.reporter(), r.accountCreated(), r.trustedFlagger(), r.confirmed(), r.rejected(),
            r.updatedAt(), r.warnings(), Optional.of(at.plus(suspension)), r.rooms(), List.of(), r.warnedAt(),
            r.reported(), r.received(), applied(r.applied(), decision)));
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
   * @deprecated outside the decision log: replay cannot reproduce the change. Send the reporter's
   *     {@link ReporterSanction#appeal appeal} and a moderator's {@link ReporterSanction.Step#UPHOLD}
   *     through the engine instead; this method stays for hosts that keep the reputation store
   *     without an engine (it closes any open case)
   */
  @Deprecated(since = "0.3")
  public ReporterRecord upholdAppeal(ReporterId reporter, Instant now, ReputationStore store) {
    Objects.requireNonNull(reporter, "reporter");
    return store.updateReporter(reporter, now, r -> new ReporterRecord(r.reporter(), r.accountCreated(),
        r.trustedFlagger(), r.confirmed(), r.rejected(), r.updatedAt(), Math.max(0, r.warnings() - 1),
        Optional.empty(), r.rooms(), List.of(), Optional.empty(), r.reported(), r.received(), r.applied()));
  }

  /**
   * One review outcome applied to a reporter's record with a full credit: counts decayed to
   * {@code now} (or kept at the record's instant when {@code now} is earlier), plus one; a rejection
   * is also remembered as unfounded. Pure; exposed for tests and for stores that batch updates.
   *
   * @param cur the record; not null
   * @param confirmed whether the report was confirmed
   * @param now the instant of the review; not null
   * @return the new record; never null
   */
  public ReporterRecord outcome(ReporterRecord cur, boolean confirmed, Instant now) {
    return outcome(cur, confirmed, 1.0, now);
  }

  private ReporterRecord outcome(ReporterRecord cur, boolean confirmed, double credit, Instant now) {
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
        cur.confirmed() * f + (confirmed ? credit : 0), cur.rejected() * f + (confirmed ? 0 : credit), at,
        cur.warnings(), cur.suspendedUntil(), cur.rooms(), unfounded, cur.warnedAt(), cur.reported(), cur.received(),
        cur.applied(), cur.sanction());
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
    private Duration reportedElsewhere = Duration.ofHours(1);
    private int corroboration = 3;
    private Duration recheck = Duration.ofHours(24);
    private final Map<Category, Duration> recheckBy = new EnumMap<>(Category.class);
    private int misuseThreshold = 5;
    private double misuseShare = 0.5;
    private Duration misuseWindow = Duration.ofDays(30);
    private Duration warningValidity = Duration.ofDays(90);
    private Duration suspension = Duration.ofDays(14);
    private double attachCredit = 0.1;
    private int campaignTargets = 4;
    private int campaignReporters = 6;
    private Duration campaignWindow = Duration.ofHours(72);
    private int maxRooms = 16;
    private int maxTraces = 32;
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
     * Reporters who reported the same other target within this window of each other are linked (one
     * piece of evidence per such target; a pair with a proven reporter needs two). Default 1 hour.
     *
     * @param value non-negative; not null
     * @return this builder
     * @throws IllegalArgumentException when negative
     * @since 0.2
     */
    public Builder reportedElsewhere(Duration value) {
      this.reportedElsewhere = nonNegative("reportedElsewhere", value);
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
     * How long a report waits at most before it is looked at again whatever happens: the engine's
     * tick re-checks it at its receipt plus this bound (and a report of the target at or after that
     * time does the same), which queues a claim still waiting for corroboration at low priority.
     * Default 24 hours; see {@link #recheck(Category, Duration)} for the categories with a shorter
     * default.
     *
     * @param value positive; not null
     * @return this builder
     * @throws IllegalArgumentException when not positive
     * @since 0.2
     */
    public Builder recheck(Duration value) {
      this.recheck = positive("recheck", value);
      return this;
    }

    /**
     * How long a report of one category waits at most before it is looked at again: overrides
     * {@link #recheck(Duration)} for that category. Unless set here, claims of NCII, sexual deepfakes
     * and CSAM wait at most one hour (or the general bound, when shorter): a person who reports
     * their own intimate image from a new account without saying it is them should not wait a day
     * for a person to look, and a false claim of these harms costs a reviewer one low-priority look.
     * The engine's tick re-checks every waiting report at its bound (see the reputation guide).
     *
     * @param category the category; not null
     * @param value positive; not null
     * @return this builder
     * @throws NullPointerException when {@code category} is null
     * @throws IllegalArgumentException when {@code value} is not positive
     * @since 0.4
     */
    public Builder recheck(Category category, Duration value) {
      Objects.requireNonNull(category, "category");
      recheckBy.put(category, positive("recheck." + category.wireName(), value));
      return this;
    }

    /**
     * Misuse handling (DSA Art. 23): a reporter with at least {@code threshold} manifestly unfounded
     * (rejected) reports within {@code window}, when they are also at least the
     * {@linkplain #misuseShare share} of their reviewed reports, is warned on the review decision
     * that crossed the line; crossing it again while the warning is younger than
     * {@code warningValidity} proposes a suspension of {@code suspension}, which a person confirms.
     * Defaults 5 in 30 days, warning valid 90 days, suspension 14 days.
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
     * The share of a reporter's reviewed reports (decayed) that must have been rejected, besides the
     * threshold count, before misuse handling acts: a reporter who is right most of the time is
     * never warned, however many reports they file. Default 0.5.
     *
     * @param value in (0, 1]
     * @return this builder
     * @throws IllegalArgumentException when out of range
     * @since 0.2
     */
    public Builder misuseShare(double value) {
      if (!(value > 0 && value <= 1)) {
        throw new IllegalArgumentException("misuseShare must be in (0, 1], got " + value);
      }
      this.misuseShare = value;
      return this;
    }

    /**
     * The confirmation credit of a report that only attached to a review item another report had
     * already opened (a full confirmation is 1). Default 0.1.
     *
     * @param value in [0, 1]
     * @return this builder
     * @throws IllegalArgumentException when out of range
     * @since 0.2
     */
    public Builder attachCredit(double value) {
      if (!(value >= 0 && value <= 1)) {
        throw new IllegalArgumentException("attachCredit must be in [0, 1], got " + value);
      }
      this.attachCredit = value;
      return this;
    }

    /**
     * A campaign against one person: within {@code window}, reports against at least
     * {@code targets} of their targets (content they posted, their account) from at least
     * {@code reporters} reporters, at least 80% of the reports from reporters without a track
     * record. Defaults 4 targets, 6 reporters, 72 hours.
     *
     * @param targets at least 2
     * @param reporters at least 2
     * @param window positive; not null
     * @return this builder
     * @throws IllegalArgumentException when out of range
     * @since 0.2
     */
    public Builder campaign(int targets, int reporters, Duration window) {
      if (targets < 2 || reporters < 2) {
        throw new IllegalArgumentException("campaign targets and reporters must be >= 2, got " + targets + ", "
            + reporters);
      }
      this.campaignWindow = positive("campaign window", window);
      this.campaignTargets = targets;
      this.campaignReporters = reporters;
      return this;
    }

    /**
     * How many recent reports are kept per reporter, and how many received reports per owner (the
     * most recent). Default 32.
     *
     * @param value at least 0
     * @return this builder
     * @throws IllegalArgumentException when negative
     * @since 0.2
     */
    public Builder maxTraces(int value) {
      if (value < 0) {
        throw new IllegalArgumentException("maxTraces must be >= 0, got " + value);
      }
      this.maxTraces = value;
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
