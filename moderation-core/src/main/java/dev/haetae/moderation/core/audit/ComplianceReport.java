package dev.haetae.moderation.core.audit;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.haetae.moderation.api.Action;
import dev.haetae.moderation.api.Decision;
import dev.haetae.moderation.api.LegalNotice;
import dev.haetae.moderation.api.ObligationEvent;
import dev.haetae.moderation.api.Reason;
import dev.haetae.moderation.api.Signal;
import dev.haetae.moderation.api.spi.ObligationRecord;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.TreeMap;

/**
 * A compliance summary of a decision log: for each legal instrument, how long the platform took
 * from receiving a notice to restricting the content, against the instrument's deadline; the
 * deadline breaches; and the decisions per category and action. Renders as one self-contained HTML
 * page (inline CSS and JavaScript, no network) whose charts are drawn as SVG by the page's own
 * script, with the same figures in plain tables.
 *
 * <p>The figures come from the obligation events the log records (format 2): an obligation is
 * counted when it opens (a valid notice or appeal; an invalid notice opens none), is actioned when
 * it is fulfilled, or at once when it opens closed (the content was already gone), and is breached when the log records its breach or it was fulfilled
 * after its deadline; one still open past its deadline at the report's instant counts as breached,
 * and as pending before. An actioned obligation is <b>met</b> only when the host confirmed, with a
 * logged {@link dev.haetae.moderation.api.ActionConfirmation}, that it carried out the fulfilling
 * decision's restriction (remove, restrict forwarding or blur) by the deadline, or when the content
 * was already gone; carried out after the deadline, it is breached; without a confirmation (or with
 * a reported failure) it is <b>unconfirmed</b>, stated separately. Time to action runs from receipt to fulfilment of that obligation, not to
 * whatever decision next touched the content. For records of the first format, which carry no
 * obligation events, the report falls back to measuring from a notice's {@code receivedAt} to the
 * first later decision on the same content that removes, restricts or blurs it. Immutable and
 * thread-safe.
 *
 * @since 0.1
 */
public final class ComplianceReport {
  private final long records;
  private final Instant first;
  private final Instant last;
  private final Instant asOf;
  private final List<InstrumentStats> instruments;
  private final List<Breach> breaches;
  private final Map<String, Map<String, Long>> byCategory;
  private final List<StrayConfirmation> strays;
  private final long strayCount;
  private final List<Measure> measures;

  /**
   * A temporary measure ({@link Action.TemporaryMeasure}) the log holds, and how it ended.
   *
   * @param seq the record of the decision that took it
   * @param start when it was taken; not null
   * @param until its expiry; not null
   * @param ending how it ended, or empty while open; not null
   * @param endedAt when it ended, or empty while open; not null
   * @since 0.4
   */
  public record Measure(long seq, Instant start, Instant until, Optional<Action.EndMeasure.Ending> ending,
      Optional<Instant> endedAt) {
    /**
     * Validates.
     *
     * @param seq the seq component, as described on the record
     * @param start the start component, as described on the record
     * @param until the until component, as described on the record
     * @param ending the ending component, as described on the record
     * @param endedAt the endedAt component, as described on the record
     * @throws NullPointerException when a component is null
     */
    public Measure {
      Objects.requireNonNull(start, "start");
      Objects.requireNonNull(until, "until");
      Objects.requireNonNull(ending, "ending");
      Objects.requireNonNull(endedAt, "endedAt");
    }

    /**
     * How it ended, in words: {@code lifted at expiry}, {@code removal upheld}, {@code restored}, or
     * {@code open}.
     *
     * @return the words; never null
     */
    public String describe() {
      return ending.map(e -> switch (e) {
        case LIFTED -> "lifted at expiry";
        case UPHELD -> "removal upheld";
        case RESTORED -> "restored";
      }).orElse("open");
    }
  }

  /** The most temporary measures a report lists. */
  static final int MAX_MEASURES = 1000;

  /**
   * Figures for one instrument.
   *
   * @param instrument the instrument id, e.g. {@code US-TAKE-IT-DOWN}; not null
   * @param notices notices received
   * @param actioned notices whose content was restricted
   * @param pending notices neither actioned nor past their deadline at the end of the log
   * @param breaches notices actioned after their deadline, or not actioned and past it
   * @param deadlineHours the median time allowed (deadline minus receipt), in hours, or -1 if none
   * @param medianHours the median time to action, in hours, or -1 when nothing was actioned
   * @param p90Hours the 90th percentile time to action, in hours, or -1
   * @param maxHours the longest time to action, in hours, or -1
   * @param met notices whose restriction the host confirmed carried out by the deadline
   *     ({@link dev.haetae.moderation.api.ActionConfirmation}), or whose content was already gone
   *     when they arrived
   * @param unconfirmed notices restricted by a decision in time, without the host's confirmation
   *     that it carried the restriction out (none yet, or it reported a failure): neither met nor
   *     breached
   * @param confirmedHours how long from receipt to the host's confirmed restriction, by band
   *     ({@link #BANDS}), one count per band; not null
   * @since 0.1
   */
  public record InstrumentStats(String instrument, long notices, long actioned, long pending, long breaches,
      double deadlineHours, double medianHours, double p90Hours, double maxHours, long met, long unconfirmed,
      List<Long> confirmedHours) {
    /**
     * The bands of {@code confirmedHours}, by their upper bound in hours (the last has none).
     *
     * @since 0.3
     */
    public static final List<String> BANDS = List.of("<1h", "1-3h", "3-24h", "24-48h", "48h-7d", ">7d");

    /**
     * Figures without host confirmations (the form of version 0.2): nothing met, no band counted.
     *
     * @param instrument the instrument
     * @param notices notices received
     * @param actioned notices whose content was restricted
     * @param pending notices pending
     * @param breaches notices breached
     * @param deadlineHours median time allowed
     * @param medianHours median time to action
     * @param p90Hours p90 time to action
     * @param maxHours maximum time to action
     * @throws NullPointerException when {@code instrument} is null
     */
    public InstrumentStats(String instrument, long notices, long actioned, long pending, long breaches,
        double deadlineHours, double medianHours, double p90Hours, double maxHours) {
      this(instrument, notices, actioned, pending, breaches, deadlineHours, medianHours, p90Hours, maxHours, 0,
          actioned, java.util.Collections.nCopies(BANDS.size(), 0L));
    }

    /**
     * Validates.
     *
     * @param instrument the instrument component, as described on the record
     * @param notices the notices component, as described on the record
     * @param actioned the actioned component, as described on the record
     * @param pending the pending component, as described on the record
     * @param breaches the breaches component, as described on the record
     * @param deadlineHours the deadlineHours component, as described on the record
     * @param medianHours the medianHours component, as described on the record
     * @param p90Hours the p90Hours component, as described on the record
     * @param maxHours the maxHours component, as described on the record
     * @param met the met component, as described on the record
     * @param unconfirmed the unconfirmed component, as described on the record
     * @param confirmedHours the confirmedHours component, as described on the record
     * @throws NullPointerException when {@code instrument} or {@code confirmedHours} is null
     * @throws IllegalArgumentException when {@code confirmedHours} does not have one count per band
     */
    public InstrumentStats {
      Objects.requireNonNull(instrument, "instrument");
      confirmedHours = List.copyOf(confirmedHours);
      if (confirmedHours.size() != BANDS.size()) {
        throw new IllegalArgumentException("confirmedHours needs " + BANDS.size() + " bands, got "
            + confirmedHours.size());
      }
    }
  }

  /**
   * One missed deadline.
   *
   * @param instrument the instrument; not null
   * @param seq the sequence number of the notice's record
   * @param receivedAt when the notice was received; not null
   * @param deadline the deadline; not null
   * @param actionedAt when the content was restricted, if it was (the decision, or the host's
   *     confirmed execution when that came after the deadline); not null
   * @param overdue how late (until the action, or until the end of the log); not null
   * @since 0.1
   */
  public record Breach(String instrument, long seq, Instant receivedAt, Instant deadline, Optional<Instant> actionedAt,
      Duration overdue) {
    /**
     * Validates.
     *
     * @param instrument the instrument component, as described on the record
     * @param seq the seq component, as described on the record
     * @param receivedAt the receivedAt component, as described on the record
     * @param deadline the deadline component, as described on the record
     * @param actionedAt the actionedAt component, as described on the record
     * @param overdue the overdue component, as described on the record
     * @throws NullPointerException when a reference component is null
     */
    public Breach {
      Objects.requireNonNull(instrument, "instrument");
      Objects.requireNonNull(receivedAt, "receivedAt");
      Objects.requireNonNull(deadline, "deadline");
      Objects.requireNonNull(actionedAt, "actionedAt");
      Objects.requireNonNull(overdue, "overdue");
    }
  }

  private ComplianceReport(long records, Instant first, Instant last, Instant asOf, List<InstrumentStats> instruments,
      List<Breach> breaches, Map<String, Map<String, Long>> byCategory, List<StrayConfirmation> strays,
      long strayCount, List<Measure> measures) {
    this.measures = List.copyOf(measures);
    this.strays = List.copyOf(strays);
    this.strayCount = strayCount;
    this.records = records;
    this.first = first;
    this.last = last;
    this.asOf = asOf;
    this.instruments = List.copyOf(instruments);
    this.breaches = List.copyOf(breaches);
    this.byCategory = byCategory;
  }

  private static final class Notice {
    String instrument;
    long seq;
    Instant received;
    Instant deadline;
    Instant actioned;
    boolean breachLogged;
    /** The decision that fulfilled the obligation, when a logged record carried it. */
    String fulfilledBy;
    /** Closed without action because the content was already gone: nothing for the host to do. */
    boolean gone;
    /** Duties carried out by the verdict's notice (review and notify), not by a restriction. */
    java.util.List<dev.haetae.moderation.api.Duty> duties = java.util.List.of(dev.haetae.moderation.api.Duty.REMOVE);
    /** Who waits for the notice that carries out an obligation {@link Confirmations#byNotice by notice}. */
    Optional<Action.Recipient> waiting = Optional.empty();
  }

  /**
   * Reads a log and computes the report as of its last record.
   *
   * @param log the log; not null
   * @param progress progress callback; not null
   * @return the report; never null
   * @throws dev.haetae.moderation.api.DecisionLogException when a record is damaged
   */
  public static ComplianceReport of(AuditLog log, ProgressListener progress) {
    return of(log, Optional.empty(), progress);
  }

  /**
   * Reads a log and computes the report as of a given instant: obligations not actioned by then and
   * past their deadline count as breached. Without {@code asOf}, the instant of the log's last
   * record is used.
   *
   * @param log the log; not null
   * @param asOf the instant to judge open obligations at, or empty for the last record's; not null
   * @param progress progress callback; not null
   * @return the report; never null
   * @throws dev.haetae.moderation.api.DecisionLogException when a record is damaged
   */
  public static ComplianceReport of(AuditLog log, Optional<Instant> asOf, ProgressListener progress) {
    // obligations by (pseudonymized) id, from logged events; and the format-1 fallback by content
    Map<String, Notice> obligations = new LinkedHashMap<>();
    Map<String, List<Notice>> open = new HashMap<>();
    Map<String, Instant> restricted = new HashMap<>();
    List<Notice> legacy = new ArrayList<>();
    Map<String, Map<String, Long>> byCategory = new TreeMap<>();
    Instant[] span = new Instant[2];
    long[] n = {0};
    Confirmations confirmations = new Confirmations();
    Map<String, Measure> measures = new LinkedHashMap<>();
    log.forEachEntry(progress, entry -> {
      n[0]++;
      if (entry instanceof LoggedEvent) {
        LogEvent e = ((LoggedEvent) entry).event();
        widen(span, e.at());
        if (e instanceof LogEvent.Tick) {
          fold(obligations, ((LogEvent.Tick) e).obligations(), entry.seq(), null, Optional.empty());
        }
        return;
      }
      LoggedRecord rec = (LoggedRecord) entry;
      Decision d = rec.decision();
      Instant at = d.at();
      widen(span, at);
      confirmations.collect(rec);
      measures(rec.seq(), d, measures);
      byCategory.computeIfAbsent(category(d), k -> new TreeMap<>()).merge(action(d), 1L, Long::sum);
      if (rec.format() >= 2) {
        fold(obligations, rec.obligationEvents(), rec.seq(), d.id().value(),
            Confirmations.waiting(rec.evidence().request()));
        return;
      }
      String content = rec.evidence().request().contentId().map(c -> c.value()).orElse(null);
      if (rec.evidence().request() instanceof LegalNotice) {
        LegalNotice l = (LegalNotice) rec.evidence().request();
        Notice x = new Notice();
        x.instrument = l.instrument();
        x.seq = rec.seq();
        x.received = l.receivedAt();
        for (Signal.Obligation o : rec.evidence().signals(Signal.Obligation.class)) {
          if (o.instrument().equals(l.instrument())) {
            x.deadline = o.deadline();
          }
        }
        if (x.deadline == null) {
          x.deadline = d.deadline().orElse(null);
        }
        legacy.add(x);
        if (restricted.containsKey(content)) {
          x.actioned = x.received; // already restricted before the notice arrived: nothing left to do
          x.gone = true;
        } else {
          open.computeIfAbsent(content, k -> new ArrayList<>()).add(x);
        }
      }
      if (content != null && restricts(d)) {
        restricted.putIfAbsent(content, at);
        List<Notice> waiting = open.remove(content);
        if (waiting != null) {
          for (Notice x : waiting) {
            x.actioned = at;
            x.fulfilledBy = d.id().value();
          }
        }
      }
    });
    Instant end = asOf.orElse(span[1] == null ? Instant.EPOCH : span[1]);
    List<Notice> all = new ArrayList<>(legacy);
    all.addAll(obligations.values());
    Map<String, List<Notice>> byInstrument = new TreeMap<>();
    for (Notice x : all) {
      byInstrument.computeIfAbsent(x.instrument, k -> new ArrayList<>()).add(x);
    }
    List<InstrumentStats> stats = new ArrayList<>();
    List<Breach> breaches = new ArrayList<>();
    for (Map.Entry<String, List<Notice>> e : byInstrument.entrySet()) {
      List<Double> tta = new ArrayList<>();
      List<Double> allowed = new ArrayList<>();
      long actioned = 0;
      long pending = 0;
      long breached = 0;
      long met = 0;
      long unconfirmed = 0;
      long[] bands = new long[InstrumentStats.BANDS.size()];
      for (Notice x : e.getValue()) {
        if (x.deadline != null) {
          allowed.add(hours(Duration.between(x.received, x.deadline)));
        }
        if (x.actioned != null) {
          actioned++;
          tta.add(hours(Duration.between(x.received, x.actioned)));
          Optional<Instant> done = x.gone ? Optional.of(x.received)
              : x.fulfilledBy == null ? Optional.empty() : confirmations.carriedOut(x.fulfilledBy, x.duties, x.waiting);
          done.ifPresent(c -> bands[band(Duration.between(x.received, c))]++);
          if (x.deadline != null && x.actioned.isAfter(x.deadline)) {
            breached++;
            breaches.add(new Breach(x.instrument, x.seq, x.received, x.deadline, Optional.of(x.actioned),
                Duration.between(x.deadline, x.actioned)));
          } else if (done.isPresent() && x.deadline != null && done.get().isAfter(x.deadline)) {
            // decided in time, carried out late: the deadline is about the content being gone
            breached++;
            breaches.add(new Breach(x.instrument, x.seq, x.received, x.deadline, done,
                Duration.between(x.deadline, done.get())));
          } else if (done.isPresent()) {
            met++;
          } else {
            unconfirmed++;
          }
        } else if (x.deadline != null && (x.breachLogged || end.isAfter(x.deadline))) {
          breached++;
          breaches.add(new Breach(x.instrument, x.seq, x.received, x.deadline, Optional.empty(),
              end.isAfter(x.deadline) ? Duration.between(x.deadline, end) : Duration.ZERO));
        } else {
          pending++;
        }
      }
      Collections.sort(tta);
      Collections.sort(allowed);
      List<Long> bandCounts = new ArrayList<>(bands.length);
      for (long b : bands) {
        bandCounts.add(b);
      }
      stats.add(new InstrumentStats(e.getKey(), e.getValue().size(), actioned, pending, breached,
          quantile(allowed, 0.5), quantile(tta, 0.5), quantile(tta, 0.9), tta.isEmpty() ? -1 : tta.get(tta.size() - 1),
          met, unconfirmed, bandCounts));
    }
    return new ComplianceReport(n[0], span[0] == null ? Instant.EPOCH : span[0],
        span[1] == null ? Instant.EPOCH : span[1], end, stats, breaches, byCategory, confirmations.strays(),
        confirmations.strayCount(), new ArrayList<>(measures.values()));
  }

  /** Records a decision's temporary measure, or the end of an earlier one, by the taking decision's id. */
  private static void measures(long seq, Decision d, Map<String, Measure> measures) {
    for (Action a : d.actions()) {
      if (a instanceof Action.TemporaryMeasure && measures.size() < MAX_MEASURES) {
        measures.putIfAbsent(d.id().value(), new Measure(seq, d.at(), ((Action.TemporaryMeasure) a).until(),
            Optional.empty(), Optional.empty()));
      } else if (a instanceof Action.EndMeasure) {
        Action.EndMeasure e = (Action.EndMeasure) a;
        Measure m = measures.get(e.measure().value());
        if (m != null && m.ending().isEmpty()) {
          measures.put(e.measure().value(), new Measure(m.seq(), m.start(), m.until(), Optional.of(e.ending()),
              Optional.of(d.at())));
        }
      }
    }
  }

  private static void widen(Instant[] span, Instant at) {
    if (span[0] == null || at.isBefore(span[0])) {
      span[0] = at;
    }
    if (span[1] == null || at.isAfter(span[1])) {
      span[1] = at;
    }
  }

  /** The band of {@link InstrumentStats#BANDS} a time to action falls in. */
  static int band(Duration d) {
    long minutes = d.toMinutes();
    if (minutes < 60) {
      return 0;
    }
    if (minutes < 3 * 60) {
      return 1;
    }
    if (minutes < 24 * 60) {
      return 2;
    }
    if (minutes < 48 * 60) {
      return 3;
    }
    return minutes < 7 * 24 * 60 ? 4 : 5;
  }

  /**
   * Folds logged obligation events into the obligations they concern (a repeated event counts once).
   *
   * @param decision the id of the decision whose record carried the events, or null for a tick's
   */
  private static void fold(Map<String, Notice> obligations, List<ObligationEvent> events, long seq, String decision,
      Optional<Action.Recipient> waiting) {
    for (ObligationEvent ev : events) {
      ObligationRecord o = ev.obligation();
      Notice x = obligations.get(o.id());
      if (x == null) {
        if (ev.type() != ObligationEvent.Type.OPENED) {
          continue; // an event about an obligation opened before the log began
        }
        x = new Notice();
        x.instrument = o.instrument();
        x.seq = seq;
        x.received = o.receivedAt();
        x.deadline = o.deadline();
        x.duties = o.duties();
        x.waiting = waiting;
        obligations.put(o.id(), x);
      }
      switch (ev.type()) {
        case FULFILLED:
          if (x.actioned == null) {
            x.actioned = ev.at();
            x.fulfilledBy = decision;
          }
          break;
        case CLOSED:
          // closed without action: the content was already gone when the notice came, so nothing was
          // left to do and no time ran against the platform
          if (x.actioned == null) {
            x.actioned = x.received;
            x.gone = true;
          }
          break;
        case BREACHED:
          x.breachLogged = true;
          break;
        default:
          break;
      }
    }
  }

  private static boolean restricts(Decision d) {
    return d.has(Action.Remove.class) || d.has(Action.RestrictForwarding.class) || d.has(Action.Blur.class);
  }

  static String category(Decision d) {
    for (Reason r : d.reasons()) {
      if (r.category().isPresent()) {
        return r.category().get().wireName();
      }
    }
    return "none";
  }

  static String action(Decision d) {
    Action strongest = null;
    for (Action a : d.actions()) {
      if (a.severity() >= 0 && (strongest == null || a.severity() > strongest.severity())) {
        strongest = a;
      }
    }
    if ((strongest == null || strongest.severity() == 0) && d.has(Action.QueueForReview.class)) {
      return "review";
    }
    if (strongest == null && d.has(Action.SuspendAccount.class)) {
      return "suspend_account";
    }
    return strongest == null ? "allow" : strongest.name();
  }

  private static double hours(Duration d) {
    return Math.round(d.toMillis() / 36_000.0) / 100.0;
  }

  private static double quantile(List<Double> sorted, double q) {
    if (sorted.isEmpty()) {
      return -1;
    }
    int i = (int) Math.ceil(q * sorted.size()) - 1;
    return sorted.get(Math.max(0, Math.min(sorted.size() - 1, i)));
  }

  /**
   * Records read.
   *
   * @return the count
   */
  public long records() {
    return records;
  }

  /**
   * Per-instrument figures, by instrument id.
   *
   * @return the figures; never null
   */
  public List<InstrumentStats> instruments() {
    return instruments;
  }

  /**
   * Every missed deadline, in log order of the notices.
   *
   * @return the breaches; never null
   */
  public List<Breach> breaches() {
    return breaches;
  }

  /**
   * The confirmations that confirm nothing the log decided ({@link StrayConfirmation}): logged, but
   * counted towards no obligation.
   *
   * @return the first 1,000 in log order; never null
   * @since 0.3
   */
  public List<StrayConfirmation> strayConfirmations() {
    return strays;
  }

  /**
   * How many confirmations were stray, including those beyond {@link #strayConfirmations()}'s first
   * 1,000.
   *
   * @return the count
   * @since 0.3
   */
  public long strayConfirmationCount() {
    return strayCount;
  }

  /**
   * The temporary measures the log holds (the first {@value #MAX_MEASURES} taken), in log order,
   * each with how and when it ended.
   *
   * @return the measures; never null
   * @since 0.4
   */
  public List<Measure> temporaryMeasures() {
    return measures;
  }

  /**
   * Decisions per category (of the first reason with one, or {@code none}) and action (the
   * strongest disposition, or {@code review} when only reviewed).
   *
   * @return category → action → count; never null; unmodifiable
   */
  public Map<String, Map<String, Long>> decisionsByCategoryAndAction() {
    Map<String, Map<String, Long>> out = new TreeMap<>();
    byCategory.forEach((k, v) -> out.put(k, Collections.unmodifiableMap(new TreeMap<>(v))));
    return Collections.unmodifiableMap(out);
  }

  /**
   * The report's data as JSON (what the HTML page embeds and draws).
   *
   * @return a JSON object; never null
   */
  public String toJson() {
    return toJson(Optional.empty());
  }

  /**
   * {@link #toJson()} with what the verification of the log found: a {@code "verification"} object
   * with {@code "verified"} (true or false) and {@code "summary"} (see
   * {@link VerificationReport#summary()}).
   *
   * @param verification the verification of the log the report was made from; not null
   * @return a JSON object; never null
   * @since 0.2
   */
  public String toJson(VerificationReport verification) {
    return toJson(Optional.of(Objects.requireNonNull(verification, "verification")));
  }

  private String toJson(Optional<VerificationReport> verification) {
    ObjectNode root = Frames.JSON.createObjectNode();
    verification.ifPresent(v -> root.putObject("verification").put("verified", v.ok()).put("summary", v.summary()));
    root.put("records", records);
    root.put("from", first.toString());
    root.put("to", last.toString());
    root.put("as_of", asOf.toString());
    ArrayNode ins = root.putArray("instruments");
    for (InstrumentStats s : instruments) {
      ObjectNode n = ins.addObject();
      n.put("instrument", s.instrument());
      n.put("notices", s.notices());
      n.put("actioned", s.actioned());
      n.put("pending", s.pending());
      n.put("breaches", s.breaches());
      n.put("deadline_hours", s.deadlineHours());
      n.put("median_hours", s.medianHours());
      n.put("p90_hours", s.p90Hours());
      n.put("max_hours", s.maxHours());
      n.put("met", s.met());
      n.put("unconfirmed", s.unconfirmed());
      ObjectNode bands = n.putObject("confirmed_hours");
      for (int i = 0; i < InstrumentStats.BANDS.size(); i++) {
        bands.put(InstrumentStats.BANDS.get(i), s.confirmedHours().get(i));
      }
    }
    ArrayNode br = root.putArray("breaches");
    for (Breach b : breaches) {
      ObjectNode n = br.addObject();
      n.put("instrument", b.instrument());
      n.put("seq", b.seq());
      n.put("received_at", b.receivedAt().toString());
      n.put("deadline", b.deadline().toString());
      n.put("actioned_at", b.actionedAt().map(Instant::toString).orElse(null));
      n.put("overdue_hours", hours(b.overdue()));
    }
    ObjectNode sc = root.putObject("stray_confirmations");
    sc.put("count", strayCount);
    ArrayNode sl = sc.putArray("listed");
    for (StrayConfirmation x : strays) {
      sl.addObject().put("seq", x.seq()).put("action", x.confirmation().action().wireName())
          .put("outcome", x.confirmation().outcome().wireName()).put("at", x.confirmation().at().toString())
          .put("problem", x.problem().wireName());
    }
    ArrayNode tm = root.putArray("temporary_measures");
    for (Measure m : measures) {
      ObjectNode mn = tm.addObject().put("seq", m.seq()).put("start", m.start().toString())
          .put("until", m.until().toString()).put("ending", m.ending().map(Action.EndMeasure.Ending::wireName)
              .orElse("open"));
      m.endedAt().ifPresent(t -> mn.put("ended_at", t.toString()));
    }
    ObjectNode cats = root.putObject("by_category");
    decisionsByCategoryAndAction().forEach((k, v) -> {
      ObjectNode c = cats.putObject(k);
      v.forEach(c::put);
    });
    try {
      return Frames.JSON.writeValueAsString(root);
    } catch (JsonProcessingException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Escapes text for an HTML element or a double- or single-quoted attribute. */
  private static String esc(String s) {
    StringBuilder b = new StringBuilder(s.length() + 16);
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      switch (c) {
        case '&' -> b.append("&amp;");
        case '<' -> b.append("&lt;");
        case '>' -> b.append("&gt;");
        case '"' -> b.append("&quot;");
        case '\'' -> b.append("&#39;");
        default -> b.append(c);
      }
    }
    return b.toString();
  }

  private static String num(double h) {
    return h < 0 ? "–" : String.format(java.util.Locale.ROOT, "%.2f", h);
  }

  /**
   * The report as one self-contained HTML page: no external resources; charts are SVG drawn by
   * inline JavaScript from the embedded data; every figure is also in a table.
   *
   * <p>The log is untrusted input (a notice's instrument is whatever its sender wrote), so the page
   * is assembled in order from constant fragments and escaped values, never by substituting
   * placeholders (a value that looks like a placeholder stays text); text is HTML-escaped, the
   * embedded JSON has {@code <}, {@code >} and {@code &} as JSON unicode escapes, the script writes
   * data only as text or attribute values, and a Content-Security-Policy allows no script or
   * style but the page's own (by hash), no images, no connections, no forms.
   *
   * <p>This page does not say whether the log was verified: it states that it was not checked. Use
   * {@link #toHtml(VerificationReport)} for a page made after verifying the log.
   *
   * @return the page; never null
   */
  public String toHtml() {
    return toHtml(Optional.empty());
  }

  /**
   * {@link #toHtml()} stating what the verification of the log found: that it verified (with whose
   * keys, and how many records at the end no signature covers yet), or, in a banner at the top of
   * the page, that it did not and why, so that an unverified page cannot pass for a verified one.
   *
   * @param verification the verification of the log the report was made from; not null
   * @return the page; never null
   * @since 0.2
   */
  public String toHtml(VerificationReport verification) {
    return toHtml(Optional.of(Objects.requireNonNull(verification, "verification")));
  }

  private String toHtml(Optional<VerificationReport> verification) {
    String provenance = verification.isEmpty() ? "The decision log was not verified for this page."
        : verification.get().ok() ? "Generated from a decision log that verified: " + verification.get().summary() + "."
            : "UNVERIFIED: " + verification.get().summary() + ".";
    StringBuilder page = new StringBuilder(8192 + 256 * (instruments.size() + breaches.size()));
    page.append("<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">\n")
        .append("<meta http-equiv=\"Content-Security-Policy\" content=\"").append(esc(CSP)).append("\">\n")
        .append("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n")
        .append("<title>Haetae compliance report</title>\n<style>").append(STYLE).append("</style></head>\n")
        .append("<body data-rendered=\"false\">\n<h1>Haetae compliance report</h1>\n");
    if (verification.isPresent() && !verification.get().ok()) {
      page.append("<p class=\"unverified\" id=\"verification\">").append(esc(provenance)).append("</p>\n");
    }
    page
        .append("<p class=\"muted\">Decisions from ").append(esc(first.toString())).append(" to ")
        .append(esc(last.toString())).append(", open notices judged as of ").append(esc(asOf.toString()))
        .append(" &middot; <b id=\"record-count\">").append(records).append("</b> records &middot; ")
        .append("<b id=\"breach-count\">").append(breaches.size()).append("</b> deadline breaches. ")
        .append(verification.isPresent() && !verification.get().ok() ? "See the warning above."
            : "<span id=\"verification\">" + esc(provenance) + "</span>")
        .append(" People appear only as pseudonyms and are not shown here.</p>\n")
        .append("<h2>Time to action against each instrument's deadline</h2>\n")
        .append("<p class=\"muted\">Bars: median, p90 and maximum hours from receiving a notice to restricting")
        .append(" the content. Red line: the deadline (median time allowed).</p>\n")
        .append("<div class=\"chart\" id=\"chart-deadlines\"></div>\n");
    page.append("<table id=\"instruments\"><thead><tr><th>Instrument</th><th>Notices</th><th>Actioned</th>"
        + "<th>Met</th><th>Unconfirmed</th>"
        + "<th>Pending</th><th>Breaches</th><th>Deadline (h, median)</th><th>Time to action median (h)</th>"
        + "<th>p90 (h)</th><th>max (h)</th></tr></thead><tbody>");
    for (InstrumentStats s : instruments) {
      page.append("<tr><td>").append(esc(s.instrument())).append("</td><td>").append(s.notices())
          .append("</td><td>").append(s.actioned()).append("</td><td>").append(s.met()).append("</td><td>")
          .append(s.unconfirmed()).append("</td><td>").append(s.pending()).append("</td><td>")
          .append(s.breaches()).append("</td><td>").append(num(s.deadlineHours())).append("</td><td>")
          .append(num(s.medianHours())).append("</td><td>").append(num(s.p90Hours())).append("</td><td>")
          .append(num(s.maxHours())).append("</td></tr>");
    }
    page.append("</tbody></table>\n<p class=\"muted\">Met: the host confirmed it carried the restriction out")
        .append(" by the deadline (or the content was already gone). Unconfirmed: decided in time, but no")
        .append(" confirmation from the host that it was carried out (or it reported a failure): neither met")
        .append(" nor breached. Breaches: decided or carried out after the deadline, or still open past it.</p>\n")
        .append("<h2>Time from notice to confirmed restriction, per instrument</h2>\n")
        .append("<table id=\"confirmed-hours\"><thead><tr><th>Instrument</th>");
    for (String b : InstrumentStats.BANDS) {
      page.append("<th>").append(esc(b)).append("</th>");
    }
    page.append("</tr></thead><tbody>");
    for (InstrumentStats s : instruments) {
      page.append("<tr><td>").append(esc(s.instrument())).append("</td>");
      for (long c : s.confirmedHours()) {
        page.append("<td>").append(c).append("</td>");
      }
      page.append("</tr>");
    }
    page.append("</tbody></table>\n<h2>Decisions per category and action</h2>\n")
        .append("<div class=\"chart\" id=\"chart-categories\"></div>\n<h2>Breaches</h2>\n")
        .append("<div class=\"chart\" id=\"chart-breaches\"></div>\n");
    page.append("<table id=\"breaches\"><thead><tr><th>Instrument</th><th>Notice record (seq)</th><th>Received</th>"
        + "<th>Deadline</th><th>Actioned</th><th>Overdue (h)</th></tr></thead><tbody>");
    for (Breach x : breaches) {
      page.append("<tr><td>").append(esc(x.instrument())).append("</td><td>").append(x.seq()).append("</td><td>")
          .append(esc(x.receivedAt().toString())).append("</td><td>").append(esc(x.deadline().toString()))
          .append("</td><td>").append(esc(x.actionedAt().map(Instant::toString).orElse("not actioned")))
          .append("</td><td>").append(num(hours(x.overdue()))).append("</td></tr>");
    }
    page.append("</tbody></table>\n<h2>Stray host confirmations</h2>\n<p class=\"muted\"><b id=\"stray-count\">")
        .append(strayCount).append("</b> confirmation(s) name a decision the log does not hold, or an action their")
        .append(" decision did not plan: logged, but counted towards no obligation (")
        .append("<code>haetae explain LOG --stray</code> lists them with their decision ids).</p>\n")
        .append("<table id=\"stray-confirmations\"><thead><tr><th>Confirmation record (seq)</th><th>Action</th>"
            + "<th>Outcome</th><th>At</th><th>Problem</th></tr></thead><tbody>");
    for (StrayConfirmation x : strays) {
      page.append("<tr><td>").append(x.seq()).append("</td><td>").append(esc(x.confirmation().action().wireName()))
          .append("</td><td>").append(esc(x.confirmation().outcome().wireName())).append("</td><td>")
          .append(esc(x.confirmation().at().toString())).append("</td><td>").append(esc(x.problem().wireName()))
          .append("</td></tr>");
    }
    page.append("</tbody></table>\n<h2>Temporary measures</h2>\n<p class=\"muted\"><b id=\"measure-count\">")
        .append(measures.size()).append("</b> temporary measure(s): access blocked until an expiry, ended by a review")
        .append(" verdict or lifted at the expiry (<code>haetae explain</code> shows each with its decision ids).</p>\n")
        .append("<table id=\"temporary-measures\"><thead><tr><th>Measure record (seq)</th><th>Start</th>"
            + "<th>Expiry</th><th>Ended</th><th>At</th></tr></thead><tbody>");
    for (Measure m : measures) {
      page.append("<tr><td>").append(m.seq()).append("</td><td>").append(esc(m.start().toString()))
          .append("</td><td>").append(esc(m.until().toString())).append("</td><td>").append(esc(m.describe()))
          .append("</td><td>").append(esc(m.endedAt().map(Instant::toString).orElse(""))).append("</td></tr>");
    }
    page.append("</tbody></table>\n<script type=\"application/json\" id=\"report-data\">")
        .append(scriptSafeJson(toJson(verification))).append("</script>\n<script>").append(SCRIPT).append("</script>\n")
        .append("</body></html>\n");
    return page.toString();
  }

  /**
   * JSON to embed in a script element: {@code <}, {@code >} and {@code &} can only occur inside
   * JSON strings, where their unicode escapes mean the same, so no value can close the element
   * or open a comment or another script.
   */
  static String scriptSafeJson(String json) {
    return json.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026");
  }

  private static final String STYLE = String.join("\n",
      "body{font:14px/1.4 system-ui,sans-serif;margin:24px;color:#1b1f24;max-width:1100px}",
      "h1{font-size:22px}h2{font-size:17px;margin-top:28px}",
      "table{border-collapse:collapse;margin:8px 0}td,th{border:1px solid #ccd;padding:3px 8px;text-align:right}",
      "th:first-child,td:first-child{text-align:left}.chart{margin:8px 0}.muted{color:#667}",
      ".legend span{display:inline-block;margin-right:12px}.sw{display:inline-block;width:10px;height:10px;margin-right:4px}",
      ".unverified{background:#fde2e1;border:2px solid #d62728;padding:8px 12px;font-weight:bold}");

  private static final String SCRIPT = String.join("\n",
      "(function(){",
      "var NS='http://www.w3.org/2000/svg';",
      "var data=JSON.parse(document.getElementById('report-data').textContent);",
      "function el(n,a,p){var e=document.createElementNS(NS,n);for(var k in a){e.setAttribute(k,a[k]);}if(p){p.appendChild(e);}return e;}",
      "function text(p,x,y,s,a){var t=el('text',Object.assign({x:x,y:y,'font-size':11},a||{}),p);t.textContent=s;return t;}",
      "var palette=['#4e79a7','#f28e2b','#e15759','#76b7b2','#59a14f','#edc948','#b07aa1','#ff9da7','#9c755f'];",
      "function deadlines(){",
      "  var rows=data.instruments,h=40+rows.length*70,w=760,left=150,right=30;",
      "  var svg=el('svg',{width:w,height:h,'data-chart':'deadlines',role:'img'},document.getElementById('chart-deadlines'));",
      "  var max=1;rows.forEach(function(r){max=Math.max(max,r.max_hours,r.deadline_hours,r.p90_hours);});",
      "  var sx=function(v){return left+(w-left-right)*Math.max(0,v)/max;};",
      "  rows.forEach(function(r,i){var y=20+i*70;text(svg,4,y+28,r.instrument,{'font-weight':'bold'});",
      "    [['median',r.median_hours,'#4e79a7'],['p90',r.p90_hours,'#f28e2b'],['max',r.max_hours,'#9c755f']].forEach(function(b,j){",
      "      var v=b[1]<0?0:b[1];el('rect',{x:left,y:y+j*18,width:Math.max(1,sx(v)-left),height:14,fill:b[2],'class':'bar','data-label':r.instrument+' '+b[0],'data-value':b[1]},svg);",
      "      text(svg,sx(v)+4,y+j*18+11,b[0]+' '+(b[1]<0?'–':b[1].toFixed(2)+' h'));});",
      "    if(r.deadline_hours>=0){var x=sx(r.deadline_hours);el('line',{x1:x,x2:x,y1:y-4,y2:y+56,stroke:'#d62728','stroke-width':2,'class':'deadline','data-label':r.instrument},svg);",
      "      text(svg,x>w-140?x-3:x+3,y-6,'deadline '+r.deadline_hours.toFixed(1)+' h',{fill:'#d62728','text-anchor':x>w-140?'end':'start'});}});",
      "  if(rows.length===0){text(svg,4,24,'No legal notices in this log.');}",
      "}",
      "function categories(){",
      "  var cats=Object.keys(data.by_category),actions=[];",
      "  cats.forEach(function(c){Object.keys(data.by_category[c]).forEach(function(a){if(actions.indexOf(a)<0){actions.push(a);}});});",
      "  actions.sort();var w=760,left=150,h=50+cats.length*26;",
      "  var svg=el('svg',{width:w,height:h,'data-chart':'categories',role:'img'},document.getElementById('chart-categories'));",
      "  var max=1;cats.forEach(function(c){var s=0;actions.forEach(function(a){s+=data.by_category[c][a]||0;});max=Math.max(max,s);});",
      "  cats.forEach(function(c,i){var y=10+i*26,x=left;text(svg,4,y+14,c);",
      "    actions.forEach(function(a,j){var v=data.by_category[c][a]||0;if(!v){return;}var wd=(w-left-60)*v/max;",
      "      el('rect',{x:x,y:y,width:Math.max(1,wd),height:18,fill:palette[j%palette.length],'class':'bar','data-label':c+' '+a,'data-value':v},svg);x+=wd;});",
      "    var tot=0;actions.forEach(function(a){tot+=data.by_category[c][a]||0;});text(svg,x+4,y+14,String(tot));});",
      "  var lg=document.createElement('div');lg.className='legend';actions.forEach(function(a,j){var s=document.createElement('span');",
      "    var sw=document.createElement('i');sw.className='sw';sw.style.background=palette[j%palette.length];",
      "    s.appendChild(sw);s.appendChild(document.createTextNode(a));lg.appendChild(s);});",
      "  document.getElementById('chart-categories').appendChild(lg);",
      "}",
      "function breaches(){",
      "  var rows=data.instruments,w=860,left=150,h=30+rows.length*26;",
      "  var svg=el('svg',{width:w,height:h,'data-chart':'breaches',role:'img'},document.getElementById('chart-breaches'));",
      "  var max=1;rows.forEach(function(r){max=Math.max(max,r.notices);});",
      "  rows.forEach(function(r,i){var y=10+i*26;text(svg,4,y+14,r.instrument);",
      "    var u=r.notices-r.met-r.breaches,ok=(w-left-220)*r.met/max,mid=(w-left-220)*u/max,bad=(w-left-220)*r.breaches/max;",
      "    el('rect',{x:left,y:y,width:Math.max(1,ok),height:18,fill:'#59a14f','class':'bar','data-label':r.instrument+' met','data-value':r.met},svg);",
      "    el('rect',{x:left+ok,y:y,width:Math.max(u>0?1:0,mid),height:18,fill:'#bab0ac','class':'bar','data-label':r.instrument+' unconfirmed or pending','data-value':u},svg);",
      "    el('rect',{x:left+ok+mid,y:y,width:Math.max(bad>0?1:0,bad),height:18,fill:'#d62728','class':'bar breach','data-label':r.instrument+' breached','data-value':r.breaches},svg);",
      "    text(svg,left+ok+mid+bad+4,y+14,r.met+' met, '+r.breaches+' breached of '+r.notices);});",
      "  if(rows.length===0){text(svg,4,20,'No legal notices in this log.');}",
      "}",
      "deadlines();categories();breaches();",
      "document.body.setAttribute('data-rendered','true');",
      "})();");

  /**
   * The page's Content-Security-Policy: nothing loads or runs but the page's own script and style,
   * allowed by their SHA-256 (so an injected script, inline event handler or style cannot run).
   */
  static final String CSP = "default-src 'none'; script-src '" + sha256Source(SCRIPT) + "'; style-src '"
      + sha256Source(STYLE) + "'; img-src 'none'; connect-src 'none'; base-uri 'none'; form-action 'none'";

  private static String sha256Source(String text) {
    try {
      byte[] d = java.security.MessageDigest.getInstance("SHA-256").digest(
          text.getBytes(java.nio.charset.StandardCharsets.UTF_8));
      return "sha256-" + java.util.Base64.getEncoder().encodeToString(d);
    } catch (java.security.NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is required of every Java platform", e);
    }
  }
}
