package dev.haetae.moderation.core.legal;

import dev.haetae.moderation.api.ContentId;
import dev.haetae.moderation.api.LegalNotice;
import dev.haetae.moderation.api.ObligationEvent;
import dev.haetae.moderation.api.Signal;
import dev.haetae.moderation.api.spi.ObligationRecord;
import dev.haetae.moderation.api.spi.ObligationStore;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * Legal notices and the obligations they open: validates a notice against its instrument, opens an
 * obligation with a deadline (receipt + the instrument's duration, in UTC instants), escalates it
 * at configured fractions of the time allowed, records a breach with its lateness, and closes it
 * when its duties are done.
 *
 * <p>Thread-safe: all state lives in the {@link ObligationStore}.
 *
 * @since 0.1
 */
public final class Obligations {
  /** The next-check time of an obligation that needs no further attention from the clock. */
  static final Instant NEVER = Instant.parse("9999-12-31T00:00:00Z");

  private final JurisdictionProfiles profiles;
  private final ObligationStore store;
  private final double[] escalateAt;

  /**
   * Creates the service.
   *
   * @param profiles the known instruments; not null
   * @param store where obligations are kept; not null
   * @param escalateAt fractions of the time allowed at which to escalate, ascending in (0, 1),
   *     e.g. {@code 0.5, 0.8}; not null
   * @throws IllegalArgumentException when a fraction is outside (0, 1) or not ascending
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
      List<ObligationEvent> events) {}

  /**
   * Validates a notice and, when valid, opens its obligation (idempotently by notice id).
   *
   * @param notice the notice; not null
   * @param alreadyRemoved whether the content is already removed: then the obligation opens and
   *     closes at once as fulfilled
   * @param now the engine's instant; not null
   * @return the receipt; never null
   */
  public Receipt receive(LegalNotice notice, boolean alreadyRemoved, Instant now) {
    Optional<Instrument> found = profiles.instrument(notice.instrument());
    if (found.isEmpty()) {
      return new Receipt(new Signal.NoticeCheck(notice.instrument(), false,
          List.of("instrument: '" + notice.instrument() + "' is not a known instrument id"), false), Optional.empty(),
          List.of());
    }
    Instrument ins = found.get();
    List<String> missing = new ArrayList<>();
    if (!ins.senders().contains(notice.sender())) {
      missing.add("sender: a notice under " + ins.id() + " may be sent only by " + ins.senders().stream()
          .map(s -> s.wireName()).sorted().reduce((a, b) -> a + ", " + b).orElse("nobody"));
    }
    for (Map.Entry<String, String> f : ins.requiredFields().entrySet()) {
      String v = notice.fields().get(f.getKey());
      if (v == null || v.isBlank()) {
        missing.add(f.getKey() + ": " + f.getValue());
      }
    }
    String id = obligationId(notice);
    Optional<ObligationRecord> existing = store.find(id);
    Signal.NoticeCheck check = new Signal.NoticeCheck(ins.id(), true, missing, existing.isPresent());
    if (!missing.isEmpty()) {
      return new Receipt(check, Optional.empty(), List.of());
    }
    if (existing.isPresent()) {
      return new Receipt(check, existing, List.of());
    }
    Instant deadline = notice.receivedAt().plus(ins.deadline());
    ObligationRecord o = new ObligationRecord(id, ins.id(), ins.citation(), ins.category(), notice.content(),
        notice.receivedAt(), deadline, ins.duties(), ins.preserveFor(), ObligationRecord.Status.OPEN,
        nextCheck(notice.receivedAt(), deadline, 0), 0, Optional.empty());
    ObligationRecord stored = store.open(o);
    List<ObligationEvent> events = new ArrayList<>();
    events.add(new ObligationEvent(ObligationEvent.Type.OPENED, stored, notice.receivedAt(), Duration.ZERO));
    if (alreadyRemoved) {
      events.addAll(fulfil(notice.content(), now));
      stored = store.find(id).orElse(stored);
    } else {
      events.addAll(advance(stored, now));
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
   * Marks every open obligation on the content fulfilled (its content was removed).
   *
   * @param content the content; not null
   * @param now when the duties were done; not null
   * @return one {@link ObligationEvent.Type#FULFILLED} event per obligation; never null
   */
  public List<ObligationEvent> fulfil(ContentId content, Instant now) {
    List<ObligationEvent> out = new ArrayList<>();
    for (ObligationRecord o : store.openFor(content)) {
      Instant done = now.isBefore(o.receivedAt()) ? o.receivedAt() : now;
      ObligationRecord n = new ObligationRecord(o.id(), o.instrument(), o.citation(), o.category(), o.content(),
          o.receivedAt(), o.deadline(), o.duties(), o.preserveFor(), ObligationRecord.Status.FULFILLED, NEVER,
          o.escalations(), Optional.of(done));
      store.update(n);
      Duration late = done.isAfter(o.deadline()) ? Duration.between(o.deadline(), done) : Duration.ZERO;
      out.add(new ObligationEvent(ObligationEvent.Type.FULFILLED, n, done, late));
    }
    return out;
  }

  /**
   * Processes the obligations due at {@code now}: escalations and breaches. Costs in proportion to
   * what is due.
   *
   * @param now the clock's instant; not null
   * @return what changed, in time order; never null
   */
  public List<ObligationEvent> tick(Instant now) {
    List<ObligationEvent> out = new ArrayList<>();
    while (true) {
      List<ObligationRecord> due = store.due(now, 1024);
      if (due.isEmpty()) {
        return out;
      }
      for (ObligationRecord o : due) {
        out.addAll(advance(o, now));
      }
    }
  }

  private List<ObligationEvent> advance(ObligationRecord o, Instant now) {
    List<ObligationEvent> out = new ArrayList<>();
    ObligationRecord cur = o;
    while (cur.isOpen() && !cur.nextCheck().isAfter(now)) {
      ObligationRecord next;
      if (cur.escalations() < escalateAt.length) {
        int k = cur.escalations() + 1;
        next = with(cur, cur.status(), k, nextCheck(cur.receivedAt(), cur.deadline(), k));
        out.add(new ObligationEvent(ObligationEvent.Type.ESCALATED, next, cur.nextCheck(), Duration.ZERO));
      } else {
        next = with(cur, ObligationRecord.Status.BREACHED, cur.escalations(), NEVER);
        out.add(new ObligationEvent(ObligationEvent.Type.BREACHED, next, cur.deadline(),
            Duration.between(cur.deadline(), now)));
      }
      store.update(next);
      cur = next;
    }
    return out;
  }

  private Instant nextCheck(Instant received, Instant deadline, int escalationsDone) {
    if (escalationsDone < escalateAt.length) {
      long span = Duration.between(received, deadline).toMillis();
      return received.plusMillis((long) Math.floor(span * escalateAt[escalationsDone]));
    }
    return deadline;
  }

  private static ObligationRecord with(ObligationRecord o, ObligationRecord.Status status, int escalations,
      Instant nextCheck) {
    return new ObligationRecord(o.id(), o.instrument(), o.citation(), o.category(), o.content(), o.receivedAt(),
        o.deadline(), o.duties(), o.preserveFor(), status, nextCheck, escalations, o.closedAt());
  }

  static String obligationId(LegalNotice n) {
    return n.instrument() + ":" + n.noticeId();
  }
}
