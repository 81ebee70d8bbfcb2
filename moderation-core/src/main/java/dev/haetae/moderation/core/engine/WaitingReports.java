package dev.haetae.moderation.core.engine;

import dev.haetae.moderation.api.Action;
import dev.haetae.moderation.api.Decision;
import dev.haetae.moderation.api.Evidence;
import dev.haetae.moderation.api.ReporterId;
import dev.haetae.moderation.api.ReviewOutcome;
import dev.haetae.moderation.api.Signal;
import dev.haetae.moderation.api.Target;
import dev.haetae.moderation.api.UserReport;
import dev.haetae.moderation.api.spi.ReportRecord;
import dev.haetae.moderation.api.spi.ReputationStore;
import dev.haetae.moderation.core.reputation.ReputationModel;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The reports that wait without a person looking (awaiting corroboration, below the weight to act,
 * attached to an item that may close without judging their claim), each with the instant the
 * engine's tick re-checks it: its receipt plus its category's re-check bound
 * ({@link ReputationModel#recheck}), or earlier when a review verdict on its target (the wave it
 * waited on cleared) or on another target one of its reporters reported (their reputation changed)
 * comes in. A re-check is the same report evaluated again: a logged decision whose evidence holds
 * everything it read, so replay needs nothing else. At its bound the report policy queues a waiting
 * claim for a person.
 *
 * <p>Held in the engine's memory and bounded: at most {@link #CAPACITY} reports wait here; beyond,
 * a report is not indexed (counted and logged as a warning), and only a report of its target or the
 * host re-sending it re-checks it. Thread-safe (one lock; every operation costs a logarithm of the
 * size, a review's costs in proportion to its target's reports).
 */
final class WaitingReports {
  private static final Logger LOG = LoggerFactory.getLogger(WaitingReports.class);
  /** How many waiting reports the index holds at most (about 200 bytes each). */
  static final int CAPACITY = 500_000;
  /** How many reporters of a reviewed target have their other waiting reports brought forward. */
  private static final int REPORTERS_PER_REVIEW = 500;

  /** One waiting report: when it is re-checked next, and its bound (receipt plus category bound). */
  record Entry(UserReport report, Instant due, Instant bound, long seq) {}

  private record Key(ReporterId reporter, Target target) {}

  private final ReputationStore store;
  private final ReputationModel model;
  private final int capacity;
  private final Map<Key, Entry> byKey = new HashMap<>();
  private final TreeSet<Entry> byDue = new TreeSet<>(Comparator.comparing(Entry::due).thenComparingLong(Entry::seq));
  private final Map<Target, Set<Key>> byTarget = new HashMap<>();
  private final Map<ReporterId, Set<Key>> byReporter = new HashMap<>();
  private long seq;
  private long overflow;
  private boolean loaded;

  WaitingReports(ReputationStore store, ReputationModel model, int capacity) {
    this.store = store;
    this.model = model;
    this.capacity = capacity;
  }

  /**
   * Takes note of a decision after it was logged and applied: a report it left waiting is indexed
   * (unless its bound has passed: then this decision was its re-check); a review verdict brings
   * forward the re-checks of its target's waiting reports and of its reporters' other ones. A store
   * that cannot be read is logged as a warning, never thrown: the decision must still be delivered.
   */
  void after(Evidence evidence, Decision decision) {
    try {
      if (evidence.request() instanceof UserReport) {
        reported((UserReport) evidence.request(), evidence, decision);
      } else if (evidence.request() instanceof ReviewOutcome) {
        reviewed(((ReviewOutcome) evidence.request()).target(), evidence.now());
      }
    } catch (dev.haetae.moderation.api.StoreUnavailableException e) {
      // the decision is logged and applied and must still reach the executor: indexing is best
      // effort (the report stays pending in the store; a restart's first tick indexes it)
      LOG.warn("decision {} was logged and applied, but the store could not be read to index its waiting report;"
          + " the tick will not re-check it before this engine restarts", decision.id().value(), e);
    }
  }

  private void reported(UserReport report, Evidence evidence, Decision decision) {
    Optional<Signal.ReportIntake> in = evidence.signals(Signal.ReportIntake.class).stream().findFirst();
    if (in.isEmpty() || in.get().misuse() == Signal.ReportIntake.Misuse.SUSPENDED || in.get().targetRemoved()
        || decision.has(Action.QueueForReview.class)) {
      return;
    }
    Optional<ReportRecord> rec = pending(report);
    if (rec.isEmpty()) {
      return;
    }
    Instant bound = rec.get().at().plus(model.recheck(rec.get().category()));
    if (!bound.isAfter(evidence.now())) {
      return; // this decision came at or after the bound: it is the report's re-check
    }
    Key key = new Key(report.reporter(), report.target());
    synchronized (this) {
      if (byKey.containsKey(key)) {
        return;
      }
      if (byKey.size() >= capacity) {
        overflow++;
        LOG.warn("{} waiting reports are indexed already; the report on {} is not re-checked by the tick "
            + "({} not indexed so far)", capacity, report.target().id(), overflow);
        return;
      }
      put(key, new Entry(report, bound, bound, seq++));
    }
  }

  private void reviewed(Target target, Instant now) {
    List<ReportRecord> reports = store.reports(target);
    synchronized (this) {
      bringForward(byTarget.get(target), now);
      int n = 0;
      for (ReportRecord r : reports) {
        if (n++ >= REPORTERS_PER_REVIEW) {
          break;
        }
        bringForward(byReporter.get(r.reporter()), now);
      }
    }
  }

  private void bringForward(Set<Key> keys, Instant now) {
    if (keys == null) {
      return;
    }
    for (Key k : keys) {
      Entry e = byKey.get(k);
      if (e.due().isAfter(now)) {
        byDue.remove(e);
        Entry moved = new Entry(e.report(), now, e.bound(), seq++);
        byKey.put(k, moved);
        byDue.add(moved);
      }
    }
  }

  /**
   * Takes the reports whose re-check is due at {@code now}, earliest first, at most {@code max};
   * reports a verdict resolved meanwhile, or that opened a review item since (a re-check on another
   * instance), are dropped.
   */
  List<Entry> due(Instant now, int max) {
    List<Entry> out = new ArrayList<>();
    while (out.size() < max) {
      Entry e;
      synchronized (this) {
        if (byDue.isEmpty() || byDue.first().due().isAfter(now)) {
          break;
        }
        e = byDue.first();
        remove(new Key(e.report().reporter(), e.report().target()));
      }
      // still pending, and not since queued (a re-check on another instance may have opened an item)
      if (pending(e.report()).filter(r -> r.decision().isEmpty() || r.attachedOnly()).isPresent()) {
        out.add(e);
      }
    }
    return out;
  }

  /**
   * On the first call, indexes the store's pending reports that wait without a person looking (not
   * attached to a review item, or attached to another report's): what an earlier process, or another
   * instance of a fleet, left waiting. Each is due at its bound (receipt plus its category's bound),
   * at once if that has passed. The report is rebuilt from the stored record (reporter, target,
   * category, first-party; a report's free text is not stored, so a re-check reads none). Later calls
   * do nothing.
   */
  void loadOnce() {
    synchronized (this) {
      if (loaded) {
        return;
      }
      loaded = true;
    }
    List<ReportRecord> pending = store.pendingReports(capacity);
    synchronized (this) {
      for (ReportRecord r : pending) {
        if (r.decision().isPresent() && !r.attachedOnly()) {
          continue; // it opened a review item: a person will look
        }
        Key key = new Key(r.reporter(), r.target());
        if (byKey.containsKey(key) || byKey.size() >= capacity) {
          continue;
        }
        UserReport report = new UserReport(r.reporter(), r.target(), r.category(), Optional.empty(), r.firstParty());
        Instant bound = r.at().plus(model.recheck(r.category()));
        put(key, new Entry(report, bound, bound, seq++));
      }
    }
  }

  /** Puts back a report whose re-check could not be made (e.g. the log failed), due at once. */
  synchronized void retry(Entry e) {
    Key key = new Key(e.report().reporter(), e.report().target());
    if (!byKey.containsKey(key)) {
      put(key, new Entry(e.report(), e.due(), e.bound(), seq++));
    }
  }

  /** The earliest re-check instant, if any report waits. */
  synchronized Optional<Instant> next() {
    return byDue.isEmpty() ? Optional.empty() : Optional.of(byDue.first().due());
  }

  synchronized int size() {
    return byKey.size();
  }

  synchronized long overflow() {
    return overflow;
  }

  private Optional<ReportRecord> pending(UserReport report) {
    return store.report(report.reporter(), report.target())
        .filter(r -> r.status() == ReportRecord.Status.PENDING && r.resolvedBy().isEmpty());
  }

  private void put(Key key, Entry e) {
    byKey.put(key, e);
    byDue.add(e);
    byTarget.computeIfAbsent(key.target(), t -> new HashSet<>()).add(key);
    byReporter.computeIfAbsent(key.reporter(), t -> new HashSet<>()).add(key);
  }

  private void remove(Key key) {
    Entry e = byKey.remove(key);
    if (e == null) {
      return;
    }
    byDue.remove(e);
    Set<Key> t = byTarget.get(key.target());
    if (t != null && t.remove(key) && t.isEmpty()) {
      byTarget.remove(key.target());
    }
    Set<Key> r = byReporter.get(key.reporter());
    if (r != null && r.remove(key) && r.isEmpty()) {
      byReporter.remove(key.reporter());
    }
  }
}
