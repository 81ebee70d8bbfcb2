package dev.haetae.moderation.core.legal;

import dev.haetae.moderation.api.Category;
import dev.haetae.moderation.api.ContentId;
import dev.haetae.moderation.api.DecisionId;
import dev.haetae.moderation.api.Duty;
import dev.haetae.moderation.api.InvalidRequestException;
import dev.haetae.moderation.api.LegalNotice;
import dev.haetae.moderation.api.ObligationEvent;
import dev.haetae.moderation.api.Signal;
import dev.haetae.moderation.api.Surface;
import dev.haetae.moderation.api.TimeOutOfRangeException;
import dev.haetae.moderation.api.spi.ObligationRecord;
import dev.haetae.moderation.api.spi.ObligationStore;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;

/**
 * Legal notices and the obligations they open: validates a notice against its instrument, opens an
 * obligation with a deadline (receipt + the instrument's duration, in UTC instants, so daylight
 * saving changes and year ends cannot shift it), escalates it at configured fractions of the time
 * allowed, records a breach with its lateness, and closes it when its duties are done.
 *
 * <p>Notices are idempotent by instrument and notice id; a notice for content already removed
 * opens and closes at once; a notice that reaches Haetae late keeps its real receipt time, and
 * one whose deadline has already passed is recorded as breached at once (without the escalations
 * it can no longer use). Appeals open review obligations under an {@link Instrument.Kind#APPEAL}
 * instrument, linked to the decision appealed.
 *
 * <p>Thread-safe, also across engine instances that share one {@link ObligationStore}: every change
 * of state (closing, fulfilling, escalating, breaching) is computed from the obligation's current
 * state inside the store's atomic {@link ObligationStore#update(String,
 * java.util.function.UnaryOperator) update}, so a tick on one thread or instance can never
 * overwrite a fulfilment made by another with a stale escalation or breach, and each change is
 * reported (as an {@link ObligationEvent}) by the one caller that made it. Opening is idempotent by id in the store, so of two instances
 * receiving the same notice at once, one opens the obligation and the other sees a duplicate. Reads
 * ({@link #signals}, {@link #check}) take no lock. The appeal links kept here are in a concurrent
 * map (in memory, see {@link #appealLink}).
 *
 * @since 0.1
 */
public final class Obligations {
  /** The next-check time of an obligation that needs no further attention from the clock. */
  static final Instant NEVER = Instant.parse("9999-12-31T00:00:00Z");
  /** The signal provider name of the legal signals Haetae records as {@link Signal.Custom}. */
  public static final String PROVIDER = "haetae-legal";

  private final JurisdictionProfiles profiles;
  private final ObligationStore store;
  private final double[] escalateAt;
  private final Map<String, AppealLink> appeals = new ConcurrentHashMap<>();

  /**
   * Creates the service.
   *
   * @param profiles the known instruments; not null; appeal references must resolve
   * @param store where obligations are kept; not null
   * @param escalateAt fractions of the time allowed at which to escalate, ascending in (0, 1),
   *     e.g. {@code 0.5, 0.8}; not null; may be empty
   * @throws IllegalArgumentException when a fraction is outside (0, 1) or not ascending
   * @throws dev.haetae.moderation.api.ConfigurationException when an instrument's {@code appeal}
   *     names no appeal entry of the profiles
   */
  public Obligations(JurisdictionProfiles profiles, ObligationStore store, double... escalateAt) {
    this.profiles = Objects.requireNonNull(profiles, "profiles");
    this.store = Objects.requireNonNull(store, "store");
    double prev = 0;
    for (double f : escalateAt) {
      if (!(f > prev) || !(f < 1)) {
        throw new IllegalArgumentException("escalation fractions must ascend within (0, 1): " + f);
      }
      prev = f;
    }
    this.escalateAt = escalateAt.clone();
    profiles.checkReferences();
  }

  /**
   * The instruments in use.
   *
   * @return the profiles; never null
   */
  public JurisdictionProfiles profiles() {
    return profiles;
  }

  /**
   * The store in use.
   *
   * @return the store; never null
   */
  public ObligationStore store() {
    return store;
  }

  /**
   * The outcome of receiving a notice.
   *
   * @param check the validation result; not null
   * @param obligation the obligation opened (or found, for a duplicate), if the notice is valid;
   *     not null
   * @param events what changed; not null
   * @since 0.1
   */
  public record Receipt(Signal.NoticeCheck check, Optional<ObligationRecord> obligation,
      List<ObligationEvent> events) {
    /**
     * Validates and copies.
     *
     * @throws NullPointerException when a component is null
     */
    public Receipt {
      Objects.requireNonNull(check, "check");
      Objects.requireNonNull(obligation, "obligation");
      events = List.copyOf(events);
    }

    /**
     * The receipt as a signal for the evidence: what happened to the notice's obligation.
     *
     * @return a {@link Signal.Custom} named {@code notice_receipt} with the attributes
     *     {@code obligation}, {@code status} and {@code deadline} (when an obligation exists)
     */
    public Signal.Custom toSignal() {
      Map<String, String> a = new LinkedHashMap<>();
      a.put("instrument", check.instrument());
      a.put("valid", Boolean.toString(check.valid()));
      a.put("duplicate", Boolean.toString(check.duplicate()));
      obligation.ifPresent(o -> {
        a.put("obligation", o.id());
        a.put("status", o.status().name().toLowerCase(java.util.Locale.ROOT));
        a.put("deadline", o.deadline().toString());
      });
      return new Signal.Custom(PROVIDER, "notice_receipt", a);
    }
  }

  /**
   * Validates a notice against its instrument: the sender, the surface the content is on (when
   * known), and each required field (minus those its category exempts). A notice may name its
   * category in the field {@code category} (a category wire name, e.g. {@code csam}); otherwise
   * the instrument's category applies.
   *
   * @param notice the notice; not null
   * @param surface where the content is, when the engine has seen it; not null
   * @return the check, with the precise list of what is missing or wrong; never null
   */
  public Signal.NoticeCheck check(LegalNotice notice, Optional<Surface> surface) {
    Optional<Instrument> found = profiles.instrument(notice.instrument());
    if (found.isEmpty() || found.get().kind() != Instrument.Kind.NOTICE) {
      return new Signal.NoticeCheck(notice.instrument(), false,
          List.of("instrument: '" + notice.instrument() + "' is not a known notice instrument; known: "
              + knownNoticeIds()), false);
    }
    Instrument ins = found.get();
    List<String> missing = new ArrayList<>();
    if (!ins.senders().contains(notice.sender())) {
      missing.add("sender: a notice under " + ins.id() + " may be sent only by " + wire(ins.senders())
          + ", not by " + notice.sender().wireName());
    }
    if (surface.isPresent() && !ins.surfaces().contains(surface.get())) {
      missing.add("surface: " + ins.id() + " does not apply to content in a " + surface.get().wireName()
          + " space; it applies to " + wire(ins.surfaces()));
    }
    Category category = categoryOf(notice, ins);
    String declared = notice.fields().get("category");
    if (declared != null && !declared.isBlank() && category == ins.category() && !matches(declared, category)) {
      missing.add("category: '" + declared + "' is not a known category");
    }
    for (Map.Entry<String, String> f : ins.requiredFields().entrySet()) {
      String v = notice.fields().get(f.getKey());
      if (v != null && !v.isBlank()) {
        continue;
      }
      if (ins.notRequiredFor().getOrDefault(f.getKey(), Set.of()).contains(category)) {
        continue;
      }
      missing.add(f.getKey() + ": " + f.getValue());
    }
    boolean duplicate = store.find(obligationId(notice)).isPresent();
    return new Signal.NoticeCheck(ins.id(), true, missing, duplicate);
  }

  /**
   * Validates a notice and, when valid, opens its obligation (idempotently by instrument and notice
   * id). Equivalent to {@link #receive(LegalNotice, Optional, boolean, Instant)} with an unknown
   * surface.
   *
   * @param notice the notice; not null
   * @param alreadyRemoved whether the content is already removed
   * @param now the engine's instant; not null
   * @return the receipt; never null
   */
  public Receipt receive(LegalNotice notice, boolean alreadyRemoved, Instant now) {
    return receive(notice, Optional.empty(), alreadyRemoved, now);
  }

  /**
   * Validates a notice and, when valid, opens its obligation (idempotently by instrument and notice
   * id). The deadline is the notice's receipt time plus the instrument's deadline. When the content
   * is already removed and the instrument's duties are done by removal, the obligation opens and
   * closes at once ({@link ObligationEvent.Type#CLOSED}). When the notice arrives after its deadline
   * it is recorded as breached at once, with its lateness.
   *
   * @param notice the notice; not null
   * @param surface where the content is, when known; not null
   * @param alreadyRemoved whether the content is already removed
   * @param now the engine's instant; not null
   * @return the receipt; never null
   */
  public Receipt receive(LegalNotice notice, Optional<Surface> surface, boolean alreadyRemoved, Instant now) {
    Signal.NoticeCheck check = check(notice, surface);
    String id = obligationId(notice);
    if (check.duplicate()) {
      return new Receipt(check, store.find(id), List.of());
    }
    if (!check.valid()) {
      return new Receipt(check, Optional.empty(), List.of());
    }
    Instrument ins = profiles.instrument(notice.instrument()).orElseThrow();
    return open(id, ins, categoryOf(notice, ins), notice.content(), notice.receivedAt(), alreadyRemoved, check, now);
  }

  /**
   * Opens the review obligation of an appeal made within its window, linked to the decision
   * appealed. Idempotent by appeal id.
   *
   * @param appealId the host's appeal id; not null
   * @param appealInstrument the {@link Instrument.Kind#APPEAL} instrument that governs it; not null
   * @param decision the decision appealed; not null
   * @param content the content concerned; not null
   * @param category the harm the decision concerned; not null
   * @param now when the appeal was received; not null
   * @return the receipt, whose check is always valid; never null
   * @throws IllegalArgumentException when the instrument is not an appeal instrument
   */
  public Receipt openAppeal(String appealId, Instrument appealInstrument, DecisionId decision,
      ContentId content, Category category, Instant now) {
    if (appealInstrument.kind() != Instrument.Kind.APPEAL) {
      throw new IllegalArgumentException(appealInstrument.id() + " is not an appeal instrument");
    }
    String id = appealInstrument.id() + ":appeal:" + appealId;
    Optional<ObligationRecord> existing = store.find(id);
    Signal.NoticeCheck check = new Signal.NoticeCheck(appealInstrument.id(), true, List.of(), existing.isPresent());
    if (existing.isPresent()) {
      return new Receipt(check, existing, List.of());
    }
    appeals.put(id, new AppealLink(appealId, decision, content));
    return open(id, appealInstrument, category, content, now, false, check, now);
  }

  /**
   * The decision an appeal review obligation is linked to.
   *
   * @param obligationId the review obligation's id; not null
   * @return the link, if the obligation is an appeal review opened by this service (links are kept
   *     in memory: after a restart an appeal review still closes, but cannot name its decision)
   */
  public Optional<AppealLink> appealLink(String obligationId) {
    return Optional.ofNullable(appeals.get(obligationId));
  }

  /**
   * The link between an appeal's review obligation and the decision appealed.
   *
   * @param appealId the host's appeal id; not null
   * @param decision the decision appealed; not null
   * @param content the content concerned; not null
   * @since 0.1
   */
  public record AppealLink(String appealId, DecisionId decision, ContentId content) {
    /**
     * Validates.
     *
     * @throws NullPointerException when a component is null
     */
    public AppealLink {
      Objects.requireNonNull(appealId, "appealId");
      Objects.requireNonNull(decision, "decision");
      Objects.requireNonNull(content, "content");
    }
  }

  private Receipt open(String id, Instrument ins, Category category, ContentId content, Instant receivedAt,
      boolean alreadyRemoved, Signal.NoticeCheck check, Instant now) {
    TimeOutOfRangeException.requireInRange("notice.receivedAt", receivedAt);
    TimeOutOfRangeException.requireInRange("now", now);
    Instant deadline = receivedAt.plus(ins.deadline());
    int skipped = 0;
    if (!deadline.isAfter(now)) {
      skipped = escalateAt.length;
    } else {
      while (skipped < escalateAt.length && !nextCheck(receivedAt, deadline, skipped + 1).isAfter(now)
          && skipped + 1 < escalateAt.length) {
        skipped++;
      }
    }
    ObligationRecord o = new ObligationRecord(id, ins.id(), ins.citation(), category, content, receivedAt, deadline,
        ins.duties(), ins.preserveFor(), ObligationRecord.Status.OPEN, nextCheck(receivedAt, deadline, skipped),
        skipped, Optional.empty());
    ObligationRecord stored = store.open(o);
    if (stored != o) {
      return new Receipt(new Signal.NoticeCheck(check.instrument(), check.known(), check.missing(), true),
          Optional.of(stored), List.of());
    }
    List<ObligationEvent> events = new ArrayList<>();
    events.add(new ObligationEvent(ObligationEvent.Type.OPENED, stored, receivedAt, Duration.ZERO));
    if (alreadyRemoved && ins.fulfilledByRemoval()) {
      Instant at = later(now, receivedAt);
      Change c = change(id, cur -> cur.isOpen()
          ? with(cur, ObligationRecord.Status.CLOSED, cur.escalations(), NEVER, Optional.of(at)) : null);
      if (c.changed()) {
        events.add(new ObligationEvent(ObligationEvent.Type.CLOSED, c.after(), at, Duration.ZERO));
      }
      stored = c.after();
    } else {
      List<ObligationEvent> adv = advance(stored, now);
      events.addAll(adv);
      if (!adv.isEmpty()) {
        stored = adv.get(adv.size() - 1).obligation();
      }
    }
    return new Receipt(check, Optional.of(stored), events);
  }

  /**
   * The open obligations on one piece of content, as signals.
   *
   * @param content the content; not null
   * @return the signals, earliest deadline first; never null
   */
  public List<Signal.Obligation> signals(ContentId content) {
    List<Signal.Obligation> out = new ArrayList<>();
    for (ObligationRecord o : store.openFor(content)) {
      out.add(toSignal(o));
    }
    return out;
  }

  /**
   * An obligation as a signal.
   *
   * @param o the obligation; not null
   * @return the signal
   */
  public static Signal.Obligation toSignal(ObligationRecord o) {
    return new Signal.Obligation(o.id(), o.instrument(), o.citation(), o.deadline(), o.duties(), o.preserveFor(),
        o.category());
  }

  /**
   * Marks fulfilled every open obligation on the content that a removal carries out (its duties
   * include remove or disable).
   *
   * @param content the content; not null
   * @param now when the content was removed; not null
   * @return one {@link ObligationEvent.Type#FULFILLED} event per obligation, with its lateness;
   *     never null
   */
  public List<ObligationEvent> fulfil(ContentId content, Instant now) {
    return fulfil(content, now, true);
  }

  /**
   * Marks fulfilled every open obligation on the content that a review verdict carries out: those
   * whose duties include {@link Duty#REVIEW} but neither remove nor disable (a DSA Art. 16 notice,
   * an appeal). Obligations that demand removal stay open whatever the verdict.
   *
   * @param content the content; not null
   * @param now when the verdict was given; not null
   * @return one {@link ObligationEvent.Type#FULFILLED} event per obligation; never null
   */
  public List<ObligationEvent> reviewed(ContentId content, Instant now) {
    return fulfil(content, now, false);
  }

  private List<ObligationEvent> fulfil(ContentId content, Instant now, boolean removal) {
    TimeOutOfRangeException.requireInRange("now", now);
    List<ObligationEvent> out = new ArrayList<>();
    for (ObligationRecord o : store.openFor(content)) {
      boolean byRemoval = o.duties().contains(Duty.REMOVE) || o.duties().contains(Duty.DISABLE);
      if (removal ? !byRemoval : (byRemoval || !o.duties().contains(Duty.REVIEW))) {
        continue;
      }
      Instant done = later(now, o.receivedAt());
      // only an obligation still open is fulfilled: another thread or instance may have fulfilled,
      // closed or breached-and-fulfilled it since openFor read it
      Change c = change(o.id(), cur -> cur.isOpen()
          ? with(cur, ObligationRecord.Status.FULFILLED, cur.escalations(), NEVER, Optional.of(done)) : null);
      if (c.changed()) {
        Duration late = done.isAfter(o.deadline()) ? Duration.between(o.deadline(), done) : Duration.ZERO;
        out.add(new ObligationEvent(ObligationEvent.Type.FULFILLED, c.after(), done, late));
      }
    }
    return out;
  }

  /**
   * Processes the obligations due at {@code now}: escalations and breaches. Costs in proportion to
   * what is due (the store's {@link ObligationStore#due} is indexed by next check), not to what is
   * open.
   *
   * @param now the clock's instant; not null
   * @return what changed, in the order processed; never null
   * @throws TimeOutOfRangeException when {@code now} is outside the supported range
   */
  public List<ObligationEvent> tick(Instant now) {
    TimeOutOfRangeException.requireInRange("now", now);
    List<ObligationEvent> out = new ArrayList<>();
    while (true) {
      List<ObligationRecord> due = store.due(now, 1024);
      if (due.isEmpty()) {
        return out;
      }
      int before = out.size();
      for (ObligationRecord o : due) {
        out.addAll(advance(o, now));
      }
      if (out.size() == before) {
        // a store that keeps returning what cannot advance (closed, or not yet due, or advanced by
        // another instance meanwhile) must not spin
        return out;
      }
    }
  }

  /**
   * Fires the escalations and the breach that are due at {@code now}, one step per atomic update of
   * the store, each computed from the state the update sees (so a step another thread or instance
   * took, or a fulfilment it made, is never repeated or overwritten).
   */
  private List<ObligationEvent> advance(ObligationRecord o, Instant now) {
    List<ObligationEvent> out = new ArrayList<>();
    ObligationRecord cur = o;
    // at most every escalation and the breach: bounded whatever the store or the clock says
    for (int steps = 0; steps <= escalateAt.length && cur.isOpen() && !cur.nextCheck().isAfter(now); steps++) {
      Change c = change(cur.id(), s -> step(s, now));
      if (!c.changed()) {
        break;
      }
      ObligationRecord before = c.before();
      ObligationRecord next = c.after();
      if (next.escalations() > before.escalations()) {
        out.add(new ObligationEvent(ObligationEvent.Type.ESCALATED, next, before.nextCheck(), Duration.ZERO));
      } else {
        out.add(new ObligationEvent(ObligationEvent.Type.BREACHED, next, before.deadline(),
            Duration.between(before.deadline(), now)));
      }
      cur = next;
    }
    return out;
  }

  /** The next clock step of an obligation at {@code now}, or null when none is due. Pure. */
  private ObligationRecord step(ObligationRecord cur, Instant now) {
    // a breach is the last clock step: a breached obligation stays open (its duties remain) but is
    // never breached again, even by a clock at or past its NEVER next check
    if (!cur.isOpen() || cur.status() == ObligationRecord.Status.BREACHED || cur.nextCheck().isAfter(now)) {
      return null;
    }
    if (cur.escalations() < escalateAt.length) {
      int k = cur.escalations() + 1;
      return with(cur, cur.status(), k, nextCheck(cur.receivedAt(), cur.deadline(), k), cur.closedAt());
    }
    return with(cur, ObligationRecord.Status.BREACHED, cur.escalations(), NEVER, cur.closedAt());
  }

  /** What one atomic update did: the state it changed from and to, or {@code before == after}. */
  private record Change(ObligationRecord before, ObligationRecord after) {
    boolean changed() {
      return before != after;
    }
  }

  /**
   * Applies {@code step} atomically through the store. {@code step} returns the new state, or null
   * to leave the obligation as it is; it may run more than once under contention, and the change
   * reported is the one of its last run (the one the store wrote).
   */
  private Change change(String id, Function<ObligationRecord, ObligationRecord> step) {
    ObligationRecord[] seen = new ObligationRecord[2];
    store.update(id, cur -> {
      ObligationRecord next = step.apply(cur);
      seen[0] = cur;
      seen[1] = next == null ? cur : next;
      return seen[1];
    });
    return new Change(seen[0], seen[1]);
  }

  private Instant nextCheck(Instant received, Instant deadline, int escalationsDone) {
    if (escalationsDone < escalateAt.length) {
      long span = Duration.between(received, deadline).toMillis();
      return received.plusMillis((long) Math.floor(span * escalateAt[escalationsDone]));
    }
    return deadline;
  }

  private static ObligationRecord with(ObligationRecord o, ObligationRecord.Status status, int escalations,
      Instant nextCheck, Optional<Instant> closedAt) {
    return new ObligationRecord(o.id(), o.instrument(), o.citation(), o.category(), o.content(), o.receivedAt(),
        o.deadline(), o.duties(), o.preserveFor(), status, nextCheck, escalations, closedAt);
  }

  private static Instant later(Instant a, Instant b) {
    return a.isBefore(b) ? b : a;
  }

  private static Category categoryOf(LegalNotice n, Instrument ins) {
    String declared = n.fields().get("category");
    if (declared == null || declared.isBlank()) {
      return ins.category();
    }
    try {
      return Category.fromWire(declared.trim());
    } catch (InvalidRequestException e) {
      return ins.category();
    }
  }

  private static boolean matches(String declared, Category c) {
    return c.wireName().equalsIgnoreCase(declared.trim());
  }

  private String knownNoticeIds() {
    StringBuilder sb = new StringBuilder();
    for (Instrument i : profiles.instruments().values()) {
      if (i.kind() == Instrument.Kind.NOTICE) {
        sb.append(sb.length() == 0 ? "" : ", ").append(i.id());
      }
    }
    return sb.toString();
  }

  private static String wire(Set<? extends Enum<?>> values) {
    TreeSet<String> names = new TreeSet<>();
    for (Enum<?> v : values) {
      names.add(v.name().toLowerCase(java.util.Locale.ROOT));
    }
    return String.join(", ", names);
  }

  /**
   * The end of an appeal window: the window runs from the day the user was informed, and stays
   * open to the end of the UTC day that is {@code window} after that day (so "six months from being
   * informed on 31 August" ends at the end of 28 February, or 29 in a leap year, then rounds up to
   * the day's end). Calendar arithmetic on UTC dates: no daylight-saving shift can shorten it.
   *
   * @param informedAt when the user was informed of the decision; not null
   * @param window the window, e.g. {@code P6M}; not null
   * @return the first instant at which an appeal is out of the window
   */
  public static Instant appealWindowEnd(Instant informedAt, java.time.Period window) {
    java.time.LocalDate day = informedAt.atZone(java.time.ZoneOffset.UTC).toLocalDate();
    return day.plus(window).plusDays(1).atStartOfDay(java.time.ZoneOffset.UTC).toInstant();
  }

  static String obligationId(LegalNotice n) {
    return n.instrument() + ":" + n.noticeId();
  }
}
