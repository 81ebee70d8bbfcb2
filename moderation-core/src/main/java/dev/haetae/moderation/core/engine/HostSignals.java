package dev.haetae.moderation.core.engine;

import dev.haetae.moderation.api.ConfigurationException;
import dev.haetae.moderation.api.ExternalHit;
import dev.haetae.moderation.api.ExternalProvenance;
import dev.haetae.moderation.api.InvalidRequestException;
import dev.haetae.moderation.api.FailMode;
import dev.haetae.moderation.api.ModerationException;
import dev.haetae.moderation.api.ModerationRequest;
import dev.haetae.moderation.api.PolicyFailure;
import dev.haetae.moderation.api.Signal;
import dev.haetae.moderation.api.spi.ExternalMatcher;
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
 * The host's signal providers and external matchers, isolated like policy plugins: what each
 * declared when it was registered (id, budget, fail mode, safe attributes or signal types), and the
 * calls of the evaluate path, on the guard's workers under their budgets (or on the caller's thread
 * with {@link PolicyIsolation#INLINE}). A provider or matcher that fails contributes no signals; its
 * failure is logged and recorded as its version ({@code provider:<id>} or {@code matcher:<id>}).
 * Matchers are called on content events only. Thread-safe.
 */
final class HostSignals {
  private static final Logger LOG = LoggerFactory.getLogger(HostSignals.class);
  private static final int MAX_ID_CHARS = 256;

  /**
   * What a provider or a matcher declared when registered: exactly one of {@code provider} and
   * {@code matcher} is set; {@code types} are a matcher's signal types.
   */
  record Entry(SignalProvider provider, ExternalMatcher matcher, String id, Duration budget, FailMode failMode,
      Set<String> safe, Set<String> types) {
    Entry(SignalProvider provider, String id, Duration budget, FailMode failMode, Set<String> safe) {
      this(provider, null, id, budget, failMode, safe, Set.of());
    }

    /** The key of its version in the evidence, and its name in plugin health. */
    String key() {
      return (matcher == null ? "provider:" : "matcher:") + id;
    }

    @Override
    public String toString() {
      return (matcher == null ? "signal provider " : "external matcher ") + id;
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
   * Reads a matcher's declarations once, refusing invalid ones.
   *
   * @throws ConfigurationException naming the matcher and what is wrong
   */
  static Entry register(ExternalMatcher m, Set<String> seen) {
    String cls = m.getClass().getName();
    String id = readAs("external matcher " + cls, "id()", m::id);
    try {
      ExternalHitChecks.matcherId(id);
    } catch (InvalidRequestException e) {
      throw new ConfigurationException("external matcher " + cls + ": id() " + e.getMessage(), e);
    }
    if (!seen.add(id)) {
      throw new ConfigurationException("external matcher id '" + id + "' is registered twice");
    }
    Duration budget = readAs("external matcher " + id, "timeBudget()", m::timeBudget);
    checkBudget("external matcher " + id, budget);
    FailMode mode = readAs("external matcher " + id, "failMode()", m::failMode);
    Set<String> types;
    try {
      types = Set.copyOf(readAs("external matcher " + id, "signalTypes()", m::signalTypes));
      for (String t : types) {
        ExternalHitChecks.type(t);
      }
    } catch (NullPointerException | InvalidRequestException e) {
      throw new ConfigurationException("external matcher " + id + ": signalTypes() " + (e instanceof
          NullPointerException ? "holds null" : "holds an invalid type: " + e.getMessage()), e);
    }
    if (types.isEmpty()) {
      throw new ConfigurationException("external matcher " + id + ": signalTypes() must name at least one type");
    }
    return new Entry(null, m, id, budget, mode, Set.of(), types);
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
    return readAs("signal provider " + cls, what, s);
  }

  private static <T> T readAs(String who, String what, java.util.function.Supplier<T> s) {
    T v;
    try {
      v = s.get();
    } catch (RuntimeException | StackOverflowError | LinkageError e) {
      throw new ConfigurationException(who + ": " + what + " failed: " + e, e);
    }
    if (v == null) {
      throw new ConfigurationException(who + ": " + what + " returned null");
    }
    return v;
  }

  /** What one call gave; {@code problem} says why a matcher's answer is refused, or is null. */
  private record Provided(List<Signal> signals, String version, String problem) {
    Provided(List<Signal> signals, String version) {
      this(signals, version, null);
    }
  }

  /**
   * Calls every provider (and, on a content event, every matcher), adding their signals and
   * versions to {@code g}.
   */
  void provide(ModerationRequest req, Instant now, Gatherer.Gathered g) {
    if (entries.isEmpty()) {
      return;
    }
    List<Entry> entries = this.entries;
    if (req.requestKind() != ModerationRequest.Kind.CONTENT) {
      entries = new ArrayList<>(entries.size());
      for (Entry e : this.entries) {
        if (e.matcher() == null) {
          entries.add(e);
        }
      }
      if (entries.isEmpty()) {
        return;
      }
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
    if (e.matcher() != null) {
      return match(e, req, now);
    }
    List<Signal> s = e.provider().signals(req, now);
    return new Provided(s == null ? null : new ArrayList<>(s), e.provider().version());
  }

  /** Calls a matcher and turns its hits into typed evidence, or says why its answer is refused. */
  private static Provided match(Entry e, ModerationRequest req, Instant now) {
    List<ExternalHit> hits = e.matcher().match(req, now);
    ExternalProvenance prov = e.matcher().provenance();
    if (hits == null) {
      return new Provided(List.of(), "", "returned null instead of a list");
    }
    if (prov == null) {
      return new Provided(List.of(), "", "provenance() returned null");
    }
    List<Signal> out = new ArrayList<>(hits.size());
    for (ExternalHit h : hits) {
      if (h == null) {
        return new Provided(List.of(), "", "returned a null hit");
      }
      if (!e.types().contains(h.signalType())) {
        return new Provided(List.of(), "", "returned a hit of signal type '" + h.signalType()
            + "', which it did not declare " + new java.util.TreeSet<>(e.types()));
      }
      out.add(new Signal.ExternalMatch(e.id(), prov, h));
    }
    return new Provided(out, prov.summary(), null);
  }

  private void accept(Entry e, Guard.Call<Provided> c, Gatherer.Gathered g) {
    String key = e.key();
    PolicyFailure.Kind kind;
    String why;
    switch (c.status()) {
      case DONE: {
        why = invalid(e, c.value());
        if (why == null) {
          for (Signal s : c.value().signals()) {
            g.signals.add(s instanceof Signal.Custom ? ((Signal.Custom) s).withSafe(e.safe()) : s);
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
      LOG.warn("{} failed ({}): {}; deciding without its signals, fail mode {}", e, kind, why, e.failMode());
    }
    g.versions.put(key, ProviderFailures.version(kind, e.failMode()));
  }

  /** Why a provider's answer is refused, or null when it is accepted. */
  private static String invalid(Entry e, Provided p) {
    if (p.problem() != null) {
      return p.problem();
    }
    if (p.signals() == null) {
      return "returned null instead of a list";
    }
    if (p.version() == null) {
      return "version() returned null";
    }
    if (e.matcher() != null) {
      return null; // its hits were checked and typed by the engine in match()
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
