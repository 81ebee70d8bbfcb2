package dev.haetae.moderation.core.legal;

import dev.haetae.moderation.api.Category;
import dev.haetae.moderation.api.ContentId;
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
 * reported (as an {@link ObligationEvent}) by the one caller that made it. Opening is idempotent by
 * id in the store, so of two instances receiving the same notice at once, one opens the obligation
 * and the other sees a duplicate. Reads ({@link #signals}, {@link #check}) take no lock.
 *
 * <p><b>Plan, then apply.</b> The engine logs every change before it makes it: the {@code plan...}
 * methods read the store and work out what a notice, an appeal, a removal or the passing of time
 * changes, with the events that implies, and change nothing; {@link #open(ObligationRecord)},
 * {@link #fulfil(String, Instant)} and {@link #apply(List)} then make the change, each computed
 * again from the current state, so that applying a plan twice (after a crash) changes nothing more.
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
   * The outcome of receiving a notice or an appeal: the validation, the obligation it opens (or
   * the existing one, for a duplicate) in the state it is to be stored in, and the events that
   * opening implies. Computed by the pure {@code plan...} methods, which read the store but change
   * nothing; {@link #open(ObligationRecord)} stores the obligation after the decision is logged.
   *
   * @param check the validation result; not null
   * @param obligation the obligation opened (or found, for a duplicate), if the notice is valid;
   *     not null
   * @param events what opening it changes; empty for a duplicate or invalid notice; not null
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
     * Whether applying this receipt opens a new obligation (it is valid and not a duplicate).
     *
     * @return whether there is an obligation to open
     */
    public boolean opens() {
      return !events.isEmpty();
    }

    /**
     * The receipt as a signal for the evidence: what happened to the notice's obligation.
     *
     * @return the signal; never null
     */
    public Signal.NoticeReceipt toSignal() {
      return new Signal.NoticeReceipt(check.instrument(), check.valid(), check.duplicate(),
          obligation.map(ObligationRecord::id), obligation.map(o -> state(o.status())),
          obligation.map(ObligationRecord::deadline));
    }
  }

  /**
   * An obligation's status as a signal reports it.
   *
   * @param s the status; not null
   * @return the state; never null
   */
  public static Signal.ObligationState state(ObligationRecord.Status s) {
    switch (s) {
      case OPEN:
        return Signal.ObligationState.OPEN;
      case BREACHED:
        return Signal.ObligationState.BREACHED;
      case FULFILLED:
        return Signal.ObligationState.FULFILLED;
      default:
        return Signal.ObligationState.CLOSED;
    }
  }

  /**
   * Validates a notice against its instrument: the sender, the surface the content is on (when
   * known), and each required field (minus those its category exempts). A notice may name its
   * category in the field {@code category} (a category wire name, e.g. {@code csam}); otherwise
   * the instrument's category applies. Reads the store; changes nothing.
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
   * Works out what receiving a notice does, without changing anything: the validation and, when
   * valid, the obligation to open (by instrument and notice id), with its deadline (the notice's
   * receipt time plus the instrument's deadline). When the content is already removed and the
   * instrument's duties are done by removal, the obligation opens closed. When the notice arrives
   * after its deadline, it opens breached, with its lateness.
   *
   * @param notice the notice; not null
   * @param surface where the content is, when known; not null
   * @param alreadyRemoved whether the content is already removed
   * @param now the engine's instant; not null
   * @return the receipt; never null
   */
  public Receipt planReceipt(LegalNotice notice, Optional<Surface> surface, boolean alreadyRemoved, Instant now) {
    Signal.NoticeCheck check = check(notice, surface);
    String id = obligationId(notice);
    if (check.duplicate()) {
      return new Receipt(check, store.find(id), List.of());
    }
    if (!check.valid()) {
      return new Receipt(check, Optional.empty(), List.of());
    }
    Instrument ins = profiles.instrument(notice.instrument()).orElseThrow();
    return planOpen(id, ins, categoryOf(notice, ins), notice.content(), notice.receivedAt(), alreadyRemoved, check,
        now);
  }

  /**
   * Validates a notice and, when valid, opens its obligation: {@link #planReceipt} followed by
   * {@link #open(ObligationRecord)}. For callers outside the engine (the engine plans, logs, then
   * opens).
   *
   * @param notice the notice; not null
   * @param surface where the content is, when known; not null
   * @param alreadyRemoved whether the content is already removed
   * @param now the engine's instant; not null
   * @return the receipt, whose events are empty when another caller opened it first; never null
   */
  public Receipt receive(LegalNotice notice, Optional<Surface> surface, boolean alreadyRemoved, Instant now) {
    return commit(planReceipt(notice, surface, alreadyRemoved, now));
  }

  /**
   * {@link #receive(LegalNotice, Optional, boolean, Instant)} with an unknown surface.
   *
   * @param notice the notice; not null
   * @param alreadyRemoved whether the content is already removed
   * @param now the engine's instant; not null
   * @return the receipt; never null
   */
  public Receipt receive(LegalNotice notice, boolean alreadyRemoved, Instant now) {
    return receive(notice, Optional.empty(), alreadyRemoved, now);
  }

  private Receipt commit(Receipt planned) {
    if (planned.opens() && !open(planned.obligation().orElseThrow())) {
      Signal.NoticeCheck c = planned.check();
      return new Receipt(new Signal.NoticeCheck(c.instrument(), c.known(), c.missing(), true),
          store.find(planned.obligation().get().id()), List.of());
    }
    return planned;
  }

  /**
   * Works out the review obligation of an appeal made within its window, without changing
   * anything. Idempotent by appeal id: an appeal already received gives its existing obligation.
   *
   * @param appealId the host's appeal id; not null
   * @param appealInstrument the {@link Instrument.Kind#APPEAL} instrument that governs it; not null
   * @param content the content concerned; not null
   * @param category the harm the decision concerned; not null
   * @param now when the appeal was received; not null
   * @return the receipt, whose check is always valid; never null
   * @throws IllegalArgumentException when the instrument is not an appeal instrument
   */
  public Receipt planAppeal(String appealId, Instrument appealInstrument, ContentId content, Category category,
      Instant now) {
    if (appealInstrument.kind() != Instrument.Kind.APPEAL) {
      throw new IllegalArgumentException(appealInstrument.id() + " is not an appeal instrument");
    }
    String id = appealObligationId(appealInstrument, appealId);
    Optional<ObligationRecord> existing = store.find(id);
    Signal.NoticeCheck check = new Signal.NoticeCheck(appealInstrument.id(), true, List.of(), existing.isPresent());
    if (existing.isPresent()) {
      return new Receipt(check, existing, List.of());
    }
    return planOpen(id, appealInstrument, category, content, now, false, check, now);
  }

  /**
   * Works out the reporter-notification obligation a user report about content opens under a
   * clock instrument such as Korea's {@code KR-TBA-22-5-REPORT} (the reporter is told the outcome
   * within 14 days): one obligation per reporter and content, whose review duty the verdict on the
   * content carries out (the host tells the reporters the verdict). A second report by the same
   * reporter on the same content finds the first obligation and opens nothing. Pure: nothing is
   * stored.
   *
   * @param reporter the reporter (the obligation's id holds it; the log pseudonymises it); not null
   * @param content the reported content; not null
   * @param category the harm the report alleges; not null
   * @param clock the instrument; not null, a notice instrument whose duties include review but
   *     neither remove nor disable
   * @param now when the report was received; not null
   * @return the receipt, whose check is always valid; never null
   * @throws IllegalArgumentException when the instrument is not such an instrument
   * @since 0.2
   */
  public Receipt planReport(dev.haetae.moderation.api.ReporterId reporter, ContentId content, Category category,
      Instrument clock, Instant now) {
    if (!isReportClock(clock)) {
      throw new IllegalArgumentException(clock.id() + " is not a report-outcome instrument (a notice instrument"
          + " with the review duty and without remove or disable)");
    }
    String id = clock.id() + ":report:" + reporter.value() + ":" + content.value();
    Optional<ObligationRecord> existing = store.find(id);
    Signal.NoticeCheck check = new Signal.NoticeCheck(clock.id(), true, List.of(), existing.isPresent());
    if (existing.isPresent()) {
      return new Receipt(check, existing, List.of());
    }
    return planOpen(id, clock, category, content, now, false, check, now);
  }

  /**
   * Whether an instrument can run the report-outcome clock of {@link #planReport}.
   *
   * @param i the instrument; not null
   * @return true for a notice instrument whose duties include review but neither remove nor disable
   * @since 0.2
   */
  public static boolean isReportClock(Instrument i) {
    return i.kind() == Instrument.Kind.NOTICE && i.duties().contains(Duty.REVIEW) && !i.fulfilledByRemoval();
  }

  /**
   * The id of an appeal's review obligation.
   *
   * @param appealInstrument the appeal instrument; not null
   * @param appealId the host's appeal id; not null
   * @return the id; never null
   */
  public static String appealObligationId(Instrument appealInstrument, String appealId) {
    return appealInstrument.id() + ":appeal:" + appealId;
  }

  private Receipt planOpen(String id, Instrument ins, Category category, ContentId content, Instant receivedAt,
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
    List<ObligationEvent> events = new ArrayList<>();
    events.add(new ObligationEvent(ObligationEvent.Type.OPENED, o, receivedAt, Duration.ZERO));
    ObligationRecord cur = o;
    if (alreadyRemoved && ins.fulfilledByRemoval()) {
      Instant at = later(now, receivedAt);
      cur = with(o, ObligationRecord.Status.CLOSED, o.escalations(), NEVER, Optional.of(at));
      events.add(new ObligationEvent(ObligationEvent.Type.CLOSED, cur, at, Duration.ZERO));
    } else {
      cur = advance(o, now, events);
    }
    return new Receipt(check, Optional.of(cur), events);
  }

  /**
   * Stores an obligation worked out by {@link #planReceipt} or {@link #planAppeal}, idempotently by
   * its id.
   *
   * @param obligation the obligation in the state to store; not null
   * @return true when this call stored it, false when one with its id was already stored
   */
  public boolean open(ObligationRecord obligation) {
    return store.open(obligation) == obligation;
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
   * The open obligations on one piece of content.
   *
   * @param content the content; not null
   * @return the obligations, earliest deadline first; never null
   */
  public List<ObligationRecord> open(ContentId content) {
    return store.openFor(content);
  }

  /**
   * A fulfilment worked out by {@link #planFulfil}: the obligation as read, and the event that
   * fulfilling it gives.
   *
   * @param before the obligation as read; not null
   * @param event the {@link ObligationEvent.Type#FULFILLED} event; not null
   * @since 0.2
   */
  public record Fulfilment(ObligationRecord before, ObligationEvent event) {
    /**
     * Validates.
     *
     * @param before the before component, as described on the record
     * @param event the event component, as described on the record
     * @throws NullPointerException when a component is null
     */
    public Fulfilment {
      Objects.requireNonNull(before, "before");
      Objects.requireNonNull(event, "event");
    }
  }

  /**
   * Works out which of the given open obligations a removal ({@code removal} true: those whose
   * duties include remove or disable) or a review verdict ({@code removal} false: those whose
   * duties include review but neither remove nor disable, such as a DSA Art. 16 notice or an appeal)
   * carries out. Pure.
   *
   * @param open the open obligations on the content, as read; not null
   * @param removal whether by removal or by review
   * @param now when; not null
   * @return one fulfilment per obligation carried out, with its lateness; never null
   */
  public static List<Fulfilment> planFulfil(List<ObligationRecord> open, boolean removal, Instant now) {
    TimeOutOfRangeException.requireInRange("now", now);
    List<Fulfilment> out = new ArrayList<>(0);
    for (ObligationRecord o : open) {
      if (!o.isOpen()) {
        continue;
      }
      boolean byRemoval = o.duties().contains(Duty.REMOVE) || o.duties().contains(Duty.DISABLE);
      if (removal ? !byRemoval : (byRemoval || !o.duties().contains(Duty.REVIEW))) {
        continue;
      }
      Instant done = later(now, o.receivedAt());
      ObligationRecord after = with(o, ObligationRecord.Status.FULFILLED, o.escalations(), NEVER, Optional.of(done));
      Duration late = done.isAfter(o.deadline()) ? Duration.between(o.deadline(), done) : Duration.ZERO;
      out.add(new Fulfilment(o, new ObligationEvent(ObligationEvent.Type.FULFILLED, after, done, late)));
    }
    return out;
  }

  /**
   * Marks an obligation fulfilled if it is still open (another thread or instance may have
   * fulfilled, closed or breached-and-fulfilled it meanwhile).
   *
   * @param id the obligation's id; not null
   * @param at when its duties were carried out; not null
   * @return the event, when this call fulfilled it; never null
   */
  public Optional<ObligationEvent> fulfil(String id, Instant at) {
    if (store.find(id).isEmpty()) {
      return Optional.empty();
    }
    Change c = change(id, cur -> cur.isOpen()
        ? with(cur, ObligationRecord.Status.FULFILLED, cur.escalations(), NEVER, Optional.of(later(at, cur.receivedAt())))
        : null);
    if (!c.changed()) {
      return Optional.empty();
    }
    ObligationRecord after = c.after();
    Instant done = after.closedAt().orElse(at);
    Duration late = done.isAfter(after.deadline()) ? Duration.between(after.deadline(), done) : Duration.ZERO;
    return Optional.of(new ObligationEvent(ObligationEvent.Type.FULFILLED, after, done, late));
  }

  /**
   * Marks fulfilled every open obligation on the content that a removal carries out: {@link
   * #planFulfil} then {@link #fulfil(String, Instant)}.
   *
   * @param content the content; not null
   * @param now when the content was removed; not null
   * @return one {@link ObligationEvent.Type#FULFILLED} event per obligation this call fulfilled;
   *     never null
   */
  public List<ObligationEvent> fulfil(ContentId content, Instant now) {
    return fulfilNow(content, now, true);
  }

  /**
   * Marks fulfilled every open obligation on the content that a review verdict carries out.
   *
   * @param content the content; not null
   * @param now when the verdict was given; not null
   * @return one {@link ObligationEvent.Type#FULFILLED} event per obligation this call fulfilled;
   *     never null
   */
  public List<ObligationEvent> reviewed(ContentId content, Instant now) {
    return fulfilNow(content, now, false);
  }

  private List<ObligationEvent> fulfilNow(ContentId content, Instant now, boolean removal) {
    List<ObligationEvent> out = new ArrayList<>();
    for (Fulfilment f : planFulfil(store.openFor(content), removal, now)) {
      fulfil(f.before().id(), now).ifPresent(out::add);
    }
    return out;
  }

  /**
   * The clock steps of one obligation worked out by {@link #planTick}: its state as read, the state
   * after every escalation and breach due, and the events in order.
   *
   * @param before the obligation as read; not null
   * @param after its state after the steps; not null
   * @param events the escalations and the breach, in order; not null
   * @since 0.2
   */
  public record Steps(ObligationRecord before, ObligationRecord after, List<ObligationEvent> events) {
    /**
     * Validates and copies.
     *
     * @param before the before component, as described on the record
     * @param after the after component, as described on the record
     * @param events the events component, as described on the record
     * @throws NullPointerException when a component is null
     */
    public Steps {
      Objects.requireNonNull(before, "before");
      Objects.requireNonNull(after, "after");
      events = List.copyOf(events);
    }
  }

  /**
   * Works out the escalations and breaches due at {@code now}, without changing anything. Costs in
   * proportion to what is due (the store's {@link ObligationStore#due} is indexed by next check),
   * not to what is open, and reads at most {@code max} obligations.
   *
   * @param now the clock's instant; not null
   * @param max the most obligations to read, at least 1
   * @return the steps, one entry per obligation with something due; never null
   * @throws TimeOutOfRangeException when {@code now} is outside the supported range
   */
  public List<Steps> planTick(Instant now, int max) {
    TimeOutOfRangeException.requireInRange("now", now);
    List<Steps> out = new ArrayList<>();
    for (ObligationRecord o : store.due(now, max)) {
      List<ObligationEvent> events = new ArrayList<>(2);
      ObligationRecord after = advance(o, now, events);
      if (!events.isEmpty()) {
        out.add(new Steps(o, after, events));
      }
    }
    return out;
  }

  /**
   * Applies clock steps worked out by {@link #planTick}: each obligation moves to its planned state
   * only if it is still in the state that was read (so a fulfilment made meanwhile, or a step
   * another instance took, is never overwritten or repeated).
   *
   * @param steps the planned steps; not null
   * @return the events of the steps this call applied; never null
   */
  public List<ObligationEvent> apply(List<Steps> steps) {
    List<ObligationEvent> out = new ArrayList<>();
    for (Steps st : steps) {
      Change c = change(st.before().id(), cur -> cur.equals(st.before()) ? st.after() : null);
      if (c.changed()) {
        out.addAll(st.events());
      }
    }
    return out;
  }

  /**
   * Processes the obligations due at {@code now}: {@link #planTick} then {@link #apply}, in
   * batches until nothing more can advance.
   *
   * @param now the clock's instant; not null
   * @return what changed, in the order processed; never null
   * @throws TimeOutOfRangeException when {@code now} is outside the supported range
   */
  public List<ObligationEvent> tick(Instant now) {
    List<ObligationEvent> out = new ArrayList<>();
    while (true) {
      List<Steps> due = planTick(now, 1024);
      List<ObligationEvent> done = apply(due);
      out.addAll(done);
      if (due.isEmpty() || done.isEmpty()) {
        // a store that keeps returning what cannot advance (advanced by another instance
        // meanwhile) must not spin
        return out;
      }
    }
  }

  /** Every escalation and the breach due at {@code now}, from {@code o}'s state; pure. */
  private ObligationRecord advance(ObligationRecord o, Instant now, List<ObligationEvent> events) {
    ObligationRecord cur = o;
    // at most one step per escalation fraction plus the breach: bounded whatever the instants
    for (int i = 0; i <= escalateAt.length && cur.isOpen() && !cur.nextCheck().isAfter(now); i++) {
      ObligationRecord next = step(cur, now);
      if (next == null) {
        break;
      }
      if (next.escalations() > cur.escalations()) {
        events.add(new ObligationEvent(ObligationEvent.Type.ESCALATED, next, cur.nextCheck(), Duration.ZERO));
      } else {
        events.add(new ObligationEvent(ObligationEvent.Type.BREACHED, next, cur.deadline(),
            Duration.between(cur.deadline(), now)));
      }
      cur = next;
    }
    return cur;
  }

  /** The next clock step of an obligation at {@code now}, or null when none is due. Pure. */
  private ObligationRecord step(ObligationRecord cur, Instant now) {
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
      return !before.equals(after);
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
