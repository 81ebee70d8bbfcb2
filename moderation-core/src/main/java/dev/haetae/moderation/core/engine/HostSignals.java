package dev.haetae.moderation.core.engine;

import dev.haetae.moderation.api.ConfigurationException;
import dev.haetae.moderation.api.FailMode;
import dev.haetae.moderation.api.ModerationException;
import dev.haetae.moderation.api.ModerationRequest;
import dev.haetae.moderation.api.PolicyFailure;
import dev.haetae.moderation.api.Signal;
import dev.haetae.moderation.api.spi.SignalProvider;
import dev.haetae.moderation.core.decide.Guard;
import dev.haetae.moderation.core.decide.ProviderFailures;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The host's signal providers, isolated like policy plugins: what each declared when it was
 * registered (id, budget, fail mode, safe attributes), and the calls of the evaluate path, on the
 * guard's workers under their budgets (or on the caller's thread with {@link
 * PolicyIsolation#INLINE}). A provider that fails contributes no signals; its failure is logged and
 * recorded as its version. Thread-safe.
 */
final class HostSignals {
  private static final Logger LOG = LoggerFactory.getLogger(HostSignals.class);
  private static final int MAX_ID_CHARS = 256;

  /** What a provider declared when registered. */
  record Entry(SignalProvider provider, String id, Duration budget, FailMode failMode, Set<String> safe) {
    @Override
    public String toString() {
      return "signal provider " + id;
    }
  }

  private final List<Entry> entries;
  private final Guard guard;

  HostSignals(List<Entry> entries, Guard guard) {
    this.entries = List.copyOf(entries);
    this.guard = guard;
  }

  List<Entry> entries() {
    return entries;
  }

  /**
   * Reads a provider's declarations once, refusing invalid ones.
   *
   * @throws ConfigurationException naming the provider and what is wrong
   */
  static Entry register(SignalProvider p, Set<String> seen) {
    String cls = p.getClass().getName();
    String id = read(cls, "id()", p::id);
    if (id.isBlank() || id.length() > MAX_ID_CHARS) {
      throw new ConfigurationException("signal provider " + cls + ": id() must be 1 to " + MAX_ID_CHARS
          + " characters, not blank");
    }
    if (!seen.add(id)) {
      throw new ConfigurationException("signal provider id '" + id + "' is registered twice");
    }
    Duration budget = read(cls, "timeBudget()", p::timeBudget);
    checkBudget("signal provider " + id, budget);
    FailMode mode = read(cls, "failMode()", p::failMode);
    Set<String> safe = read(cls, "safeAttributes()", p::safeAttributes);
    Set<String> copy;
    try {
      copy = Set.copyOf(safe);
    } catch (NullPointerException e) {
      throw new ConfigurationException("signal provider " + id + ": safeAttributes() holds null");
    }
    return new Entry(p, id, budget, mode, copy);
  }

  /**
   * Refuses a time budget that is null, zero or negative, or longer than one minute: a guard
   * against hung plugins that does not guard is a configuration mistake, not a choice.
   */
  static void checkBudget(String who, Duration budget) {
    if (budget.isNegative() || budget.isZero() || budget.compareTo(Guard.MAX_BUDGET) > 0) {
      throw new ConfigurationException(who + ": timeBudget() must be positive and at most "
          + Guard.MAX_BUDGET + ", got " + budget);
    }
  }

  private static <T> T read(String cls, String what, java.util.function.Supplier<T> s) {
    T v;
    try {
      v = s.get();
    } catch (RuntimeException | StackOverflowError | LinkageError e) {
      throw new ConfigurationException("signal provider " + cls + ": " + what + " failed: " + e, e);
    }
    if (v == null) {
      throw new ConfigurationException("signal provider " + cls + ": " + what + " returned null");
    }
    return v;
  }

  /** What one call gave. */
  private record Provided(List<Signal> signals, String version) {}

  /** Calls every provider, adding their signals and versions to {@code g}. */
  void provide(ModerationRequest req, Instant now, Gatherer.Gathered g) {
    if (entries.isEmpty()) {
      return;
    }
    List<Guard.Pending<Provided>> pending = new ArrayList<>(entries.size());
    if (guard != null) {
      for (Entry e : entries) {
        pending.add(guard.submit(e, e.budget(), () -> call(e, req, now)));
      }
    }
    for (int i = 0; i < entries.size(); i++) {
      Entry e = entries.get(i);
      Guard.Call<Provided> c;
      if (guard == null) {
        c = inline(e, req, now);
      } else {
        try {
          c = pending.get(i).await();
        } catch (InterruptedException x) {
          Thread.currentThread().interrupt();
          for (int j = i + 1; j < entries.size(); j++) {
            pending.get(j).abandon();
          }
          throw new ModerationException("interrupted while calling signal providers", x);
        }
      }
      accept(e, c, g);
    }
  }

  private static Guard.Call<Provided> inline(Entry e, ModerationRequest req, Instant now) {
    try {
      return new Guard.Call<>(Guard.Status.DONE, call(e, req, now), null);
    } catch (RuntimeException | Error x) {
      Guard.rethrowFatal(x);
      return new Guard.Call<>(Guard.Status.THREW, null, x);
    }
  }

  private static Provided call(Entry e, ModerationRequest req, Instant now) {
    List<Signal> s = e.provider().signals(req, now);
    return new Provided(s == null ? null : new ArrayList<>(s), e.provider().version());
  }

  private void accept(Entry e, Guard.Call<Provided> c, Gatherer.Gathered g) {
    String key = "provider:" + e.id();
    PolicyFailure.Kind kind;
    String why;
    switch (c.status()) {
      case DONE: {
        why = invalid(e, c.value());
        if (why == null) {
          for (Signal s : c.value().signals()) {
            g.signals.add(((Signal.Custom) s).withSafe(e.safe()));
          }
          g.versions.put(key, c.value().version());
          return;
        }
        kind = PolicyFailure.Kind.INVALID;
        break;
      }
      case THREW:
        Guard.rethrowFatal(c.error());
        kind = PolicyFailure.Kind.THREW;
        why = "threw " + Guard.describe(c.error());
        break;
      case TIMED_OUT:
      case REJECTED:
        kind = PolicyFailure.Kind.TIMED_OUT;
        why = c.status() == Guard.Status.REJECTED ? "found no worker thread" : "exceeded its time budget of "
            + e.budget();
        break;
      case TRIPPED:
        kind = PolicyFailure.Kind.TRIPPED;
        why = null;
        break;
      default:
        throw new IllegalStateException("unhandled call status " + c.status());
    }
    if (why != null) {
      LOG.warn("signal provider {} failed ({}): {}; deciding without its signals, fail mode {}", e.id(), kind, why,
          e.failMode());
    }
    g.versions.put(key, ProviderFailures.version(kind, e.failMode()));
  }

  /** Why a provider's answer is refused, or null when it is accepted. */
  private static String invalid(Entry e, Provided p) {
    if (p.signals() == null) {
      return "returned null instead of a list";
    }
    if (p.version() == null) {
      return "version() returned null";
    }
    for (Signal x : p.signals()) {
      // the engine's own facts are typed signals only the engine makes: a provider may add custom
      // signals under its own name, nothing else
      if (x == null) {
        return "returned a null signal";
      }
      if (!(x instanceof Signal.Custom)) {
        return "returned a " + x.kind() + " signal, which only the engine makes";
      }
      if (!((Signal.Custom) x).provider().equals(e.id())) {
        return "returned a custom signal named for provider '" + ((Signal.Custom) x).provider() + "'";
      }
    }
    return null;
  }
}
