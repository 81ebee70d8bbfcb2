package dev.haetae.moderation.micrometer;

import dev.haetae.moderation.api.Action;
import dev.haetae.moderation.api.Decision;
import dev.haetae.moderation.api.ObligationEvent;
import dev.haetae.moderation.api.PolicyFailure;
import dev.haetae.moderation.api.Reason;
import dev.haetae.moderation.api.ShadowOutcome;
import dev.haetae.moderation.api.observe.BankChange;
import dev.haetae.moderation.api.observe.EngineListener;
import dev.haetae.moderation.api.observe.Evaluation;
import dev.haetae.moderation.api.observe.EvaluationFailure;
import dev.haetae.moderation.api.observe.FollowerLag;
import dev.haetae.moderation.api.observe.LagSource;
import dev.haetae.moderation.api.observe.LogBatch;
import dev.haetae.moderation.api.observe.Stage;
import dev.haetae.moderation.api.spi.ObligationRecord;
import dev.haetae.moderation.core.engine.ModerationEngine;
import dev.haetae.moderation.core.hash.Bank;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.MultiGauge;
import io.micrometer.core.instrument.Tag;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.binder.MeterBinder;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Haetae's engine in Micrometer: one object that is both the engine's {@link EngineListener}
 * (timers, counters) and a Micrometer {@link MeterBinder} (gauges read from the engine when the
 * registry is scraped). The metric names and tags are listed in the guide ({@code
 * src-docs/metrics.md}) and in {@link #METRICS}.
 *
 * <pre>{@code
 * HaetaeMetrics metrics = HaetaeMetrics.create();
 * ModerationEngine engine = ModerationEngine.builder().listener(metrics).build();
 * metrics.watch(engine);          // gauges: banks, match cache, obligations, plugins
 * metrics.bindTo(registry);       // or let Spring Boot bind it as a MeterBinder bean
 * }</pre>
 *
 * <p>The three calls may come in any order; events that arrive before {@link #bindTo} are not
 * counted. A binder may be bound to several registries; it watches one engine.
 *
 * <p><b>Thread safety.</b> Thread-safe. The listener methods run on the engine's threads (see
 * {@link EngineListener}); they look up cached meters and record, and never block.
 *
 * @since 0.2
 */
public final class HaetaeMetrics implements EngineListener, MeterBinder {

  /**
   * The name of every metric this binder registers, besides Micrometer's cache metrics ({@code
   * cache.gets}, {@code cache.puts}, {@code cache.evictions}, {@code cache.size}, {@code
   * cache.max.size}, tagged {@code cache=haetae.match}).
   */
  public static final List<String> METRICS = List.of(
      "haetae.evaluate", "haetae.evaluate.stage", "haetae.evaluate.failures", "haetae.decisions",
      "haetae.decision.actions", "haetae.decision.reasons", "haetae.policy.failures", "haetae.shadow.outcomes",
      "haetae.bank.changes", "haetae.obligation.events", "haetae.banks", "haetae.bank.entries",
      "haetae.bank.version", "haetae.obligations.open", "haetae.obligations.breached",
      "haetae.obligations.due.soon", "haetae.plugins.tripped", "haetae.plugins.stuck.threads",
      "haetae.plugins.load.failures", "haetae.listener.failures", "haetae.log.batch.records",
      "haetae.log.batch.write", "haetae.bank.follower.behind", "haetae.bank.follower.idle");

  /** Obligations due within this time of now count as due soon. */
  public static final Duration DUE_SOON = Duration.ofHours(1);

  private static final double[] PERCENTILES = {0.5, 0.95, 0.99};
  private static final Stage[] STAGES = Stage.values();
  private static final Action.Kind[] KINDS = Action.Kind.values();

  private final Clock clock;
  private final Iterable<Tag> tags;
  private final List<Meters> bound = new CopyOnWriteArrayList<>();
  private volatile ModerationEngine engine;
  /** Bumped by every obligation event: the obligation summary is then computed again. */
  private final AtomicLong obligationGeneration = new AtomicLong();
  private volatile ObligationSummary summary;
  /** The list of banks the per-bank gauges were last registered from. */
  private volatile List<Bank> knownBanks;
  /** The bank followers whose lag is a gauge. */
  private final List<LagSource> lagSources = new CopyOnWriteArrayList<>();

  private HaetaeMetrics(Clock clock, Iterable<Tag> tags) {
    this.clock = clock;
    this.tags = tags;
  }

  /**
   * A binder on the system clock with no common tags.
   *
   * @return a new binder; never null
   */
  public static HaetaeMetrics create() {
    return create(Clock.systemUTC(), Tags.empty());
  }

  /**
   * A binder on the given clock (pass the engine's, so that "due within the next hour" is the
   * engine's hour), adding the given tags to every metric (e.g. {@code instance}).
   *
   * @param clock the clock the obligation gauges read now from; not null
   * @param tags tags added to every metric; not null
   * @return a new binder; never null
   * @throws NullPointerException when an argument is null
   */
  public static HaetaeMetrics create(Clock clock, Iterable<Tag> tags) {
    return new HaetaeMetrics(Objects.requireNonNull(clock, "clock"), Tags.of(Objects.requireNonNull(tags, "tags")));
  }

  /**
   * Watches an engine: its banks, match cache, obligations, plugins and listener failures become
   * gauges in every registry this binder is bound to (now or later). Hand this binder to the
   * engine's builder as its listener too, or the timers and counters stay at zero.
   *
   * @param value the engine; not null
   * @return this binder
   * @throws NullPointerException when {@code value} is null
   * @throws IllegalStateException when a different engine is already watched
   */
  public synchronized HaetaeMetrics watch(ModerationEngine value) {
    Objects.requireNonNull(value, "engine");
    if (engine != null && engine != value) {
      throw new IllegalStateException("this binder already watches an engine; create one binder per engine");
    }
    if (engine == null) {
      engine = value;
      knownBanks = value.banks().banks();
      for (Meters m : bound) {
        m.gauges(value);
      }
    }
    return this;
  }

  /**
   * Registers this binder's meters in a registry; the listener records into every registry bound.
   * Binding the same registry twice has no further effect.
   *
   * @param registry the registry; not null
   * @throws NullPointerException when {@code registry} is null
   */
  @Override
  public synchronized void bindTo(MeterRegistry registry) {
    Objects.requireNonNull(registry, "registry");
    for (Meters m : bound) {
      if (m.registry == registry) {
        return;
      }
    }
    Meters m = new Meters(registry);
    if (engine != null) {
      m.gauges(engine);
    }
    bound.add(m);
  }

  /**
   * Watches a bank follower's lag (for instance {@code moderation-postgres}'s {@code BankFollower}):
   * per bank it follows, {@code haetae.bank.follower.behind} (feed positions known but not applied)
   * and {@code haetae.bank.follower.idle} (seconds since it last applied a change, on this binder's
   * clock). The banks are read now and again by {@link #refreshBanks()}; call that after connecting
   * more banks to the follower.
   *
   * @param source the follower; not null
   * @return this binder
   * @throws NullPointerException when {@code source} is null
   */
  public synchronized HaetaeMetrics watchLag(LagSource source) {
    Objects.requireNonNull(source, "source");
    if (!lagSources.contains(source)) {
      lagSources.add(source);
      for (Meters m : bound) {
        m.refreshLags();
      }
    }
    return this;
  }

  /**
   * Reads the list of banks again for the per-bank gauges. The binder does so on every bank change
   * made through the engine and after an evaluation that defined a bank; call this after defining
   * banks on {@link ModerationEngine#banks()} directly.
   */
  public void refreshBanks() {
    for (Meters m : bound) {
      m.refreshLags();
    }
    ModerationEngine e = engine;
    if (e != null) {
      knownBanks = e.banks().banks();
      for (Meters m : bound) {
        m.refreshBanks(e);
      }
    }
  }

  @Override
  public void evaluated(Evaluation evaluation) {
    for (Meters m : bound) {
      m.evaluated(evaluation);
    }
    ModerationEngine e = engine;
    // a decision may define a bank (the platform's bank of removed content): the list is a snapshot
    // replaced on every definition, so comparing references is enough
    if (e != null && e.banks().banks() != knownBanks) {
      refreshBanks();
    }
  }

  @Override
  public void evaluationFailed(EvaluationFailure failure) {
    for (Meters m : bound) {
      m.counter("haetae.evaluate.failures", "Evaluations that threw, by the stage that threw", "request",
          failure.requestType(), "stage", failure.stage().tag(), "exception", failure.exception()).increment();
    }
  }

  @Override
  public void policyFailed(PolicyFailure failure, boolean shadow) {
    for (Meters m : bound) {
      m.counter("haetae.policy.failures", "Policy failures (fail mode applied), by policy and kind", "policy",
          failure.policy().name(), "kind", failure.kind().name().toLowerCase(java.util.Locale.ROOT), "shadow",
          Boolean.toString(shadow)).increment();
    }
  }

  @Override
  public void bankChanged(BankChange change) {
    for (Meters m : bound) {
      m.counter("haetae.bank.changes", "Hash-bank entries changed through the engine", "source", change.source(),
          "bank", change.bank()).increment(change.changed());
    }
    refreshBanks();
  }

  @Override
  public void obligationEvent(ObligationEvent event) {
    obligationGeneration.incrementAndGet();
    for (Meters m : bound) {
      m.counter("haetae.obligation.events", "Legal obligation events, by type", "type", event.type().wireName())
          .increment();
    }
  }

  @Override
  public void logBatchWritten(LogBatch batch) {
    for (Meters m : bound) {
      m.logBatch(batch);
    }
  }

  /** The lag of one bank of one follower, or null when it no longer follows it. */
  private static FollowerLag lagOf(LagSource source, String bank) {
    for (FollowerLag l : source.lags()) {
      if (l.bank().equals(bank)) {
        return l;
      }
    }
    return null;
  }

  /** Open, breached and due-soon obligations, computed at most once per obligation event or second. */
  private record ObligationSummary(long generation, long atMillis, long open, long breached, long dueSoon) {}

  private ObligationSummary obligations(ModerationEngine e) {
    long gen = obligationGeneration.get();
    long now = clock.millis();
    ObligationSummary s = summary;
    if (s != null && s.generation == gen && now >= s.atMillis && now - s.atMillis < 1000) {
      return s;
    }
    Instant soon = Instant.ofEpochMilli(now).plus(DUE_SOON);
    long open = 0;
    long breached = 0;
    long dueSoon = 0;
    for (ObligationRecord o : e.obligations()) {
      if (!o.isOpen()) {
        continue;
      }
      open++;
      if (o.status() == ObligationRecord.Status.BREACHED) {
        breached++;
      } else if (!o.deadline().isAfter(soon)) {
        dueSoon++;
      }
    }
    s = new ObligationSummary(gen, now, open, breached, dueSoon);
    summary = s;
    return s;
  }

  /** The meters of one registry. */
  private final class Meters {
    final MeterRegistry registry;
    final Timer[] stages = new Timer[STAGES.length];
    final Counter[] actions = new Counter[KINDS.length];
    final Map<String, Timer> evaluate = new ConcurrentHashMap<>();
    final Map<String, Counter> decisions = new ConcurrentHashMap<>();
    final Map<List<String>, Counter> counters = new ConcurrentHashMap<>();
    MultiGauge bankEntries;
    MultiGauge bankVersions;
    final MultiGauge followerBehind;
    final MultiGauge followerIdle;
    final Map<String, DistributionSummary> batchRecords = new ConcurrentHashMap<>();
    final Map<String, Timer> batchWrite = new ConcurrentHashMap<>();

    Meters(MeterRegistry registry) {
      this.registry = registry;
      for (Stage s : STAGES) {
        stages[s.ordinal()] = Timer.builder("haetae.evaluate.stage").tags(tags).tag("stage", s.tag())
            .description("Time spent in one stage of an evaluation").publishPercentiles(PERCENTILES)
            .register(registry);
      }
      for (Action.Kind k : KINDS) {
        actions[k.ordinal()] = Counter.builder("haetae.decision.actions").tags(tags).tag("action", k.wireName())
            .description("Actions decided, one count per action of a decision").register(registry);
      }
      followerBehind = MultiGauge.builder("haetae.bank.follower.behind").tags(tags)
          .description("Bank feed positions a follower knows of but has not applied").register(registry);
      followerIdle = MultiGauge.builder("haetae.bank.follower.idle").tags(tags).baseUnit("seconds")
          .description("Seconds since a bank follower last applied a change (idle is fine when behind is 0)")
          .register(registry);
      refreshLags();
    }

    void logBatch(LogBatch b) {
      batchRecords.computeIfAbsent(b.log(), l -> DistributionSummary.builder("haetae.log.batch.records").tags(tags)
          .tag("log", l).baseUnit("records").publishPercentiles(PERCENTILES)
          .description("Records per group-commit batch of the decision log").register(registry))
          .record(b.records());
      batchWrite.computeIfAbsent(b.log(), l -> Timer.builder("haetae.log.batch.write").tags(tags).tag("log", l)
          .publishPercentiles(PERCENTILES)
          .description("Time to make one group-commit batch of the decision log durable").register(registry))
          .record(b.nanos(), TimeUnit.NANOSECONDS);
    }

    synchronized void refreshLags() {
      List<MultiGauge.Row<?>> behind = new ArrayList<>();
      List<MultiGauge.Row<?>> idle = new ArrayList<>();
      for (LagSource src : lagSources) {
        for (FollowerLag l : src.lags()) {
          String bank = l.bank();
          Tags t = Tags.of("bank", bank);
          behind.add(MultiGauge.Row.of(t, src, s -> {
            FollowerLag now = lagOf(s, bank);
            return now == null ? Double.NaN : now.behind();
          }));
          idle.add(MultiGauge.Row.of(t, src, s -> {
            FollowerLag now = lagOf(s, bank);
            return now == null ? Double.NaN
                : Math.max(0, clock.millis() - now.lastApplied().toEpochMilli()) / 1000.0;
          }));
        }
      }
      followerBehind.register(behind, true);
      followerIdle.register(idle, true);
    }

    Counter counter(String name, String description, String... tagPairs) {
      List<String> key = new ArrayList<>(tagPairs.length + 1);
      key.add(name);
      key.addAll(List.of(tagPairs));
      return counters.computeIfAbsent(key, k -> Counter.builder(name).tags(tags).tags(tagPairs)
          .description(description).register(registry));
    }

    void evaluated(Evaluation ev) {
      for (Stage s : STAGES) {
        stages[s.ordinal()].record(ev.nanos(s), TimeUnit.NANOSECONDS);
      }
      String type = ev.requestType();
      evaluate.computeIfAbsent(type, t -> Timer.builder("haetae.evaluate").tags(tags).tag("request", t)
          .description("Time of a whole evaluation, by request type").publishPercentiles(PERCENTILES)
          .register(registry)).record(ev.totalNanos(), TimeUnit.NANOSECONDS);
      decisions.computeIfAbsent(type, t -> Counter.builder("haetae.decisions").tags(tags).tag("request", t)
          .description("Decisions made, by request type").register(registry)).increment();
      Decision d = ev.decision();
      Set<Action.Kind> kinds = EnumSet.noneOf(Action.Kind.class);
      for (Action a : d.actions()) {
        kinds.add(a.actionKind());
        actions[a.actionKind().ordinal()].increment();
      }
      for (Reason r : d.reasons()) {
        counter("haetae.decision.reasons", "Reasons given in decisions, by policy and reason code", "policy",
            r.policy().name(), "code", r.code()).increment();
      }
      for (ShadowOutcome s : d.shadow()) {
        boolean differs = false;
        for (Action a : s.outcome().actions()) {
          differs |= !kinds.contains(a.actionKind());
        }
        counter("haetae.shadow.outcomes", "Shadow policy outcomes; differs=true when it proposed an action the"
            + " decision does not carry", "policy", s.policy().name(), "differs", Boolean.toString(differs))
            .increment();
      }
    }

    synchronized void gauges(ModerationEngine e) {
      Gauge.builder("haetae.banks", e, x -> x.banks().banks().size()).tags(tags)
          .description("Hash banks defined").register(registry);
      bankEntries = MultiGauge.builder("haetae.bank.entries").tags(tags)
          .description("Active entries in a hash bank").register(registry);
      bankVersions = MultiGauge.builder("haetae.bank.version").tags(tags)
          .description("A hash bank's version: it grows with every change").register(registry);
      refreshBanks(e);
      new MatchCacheMetrics(e.banks(), tags).bindTo(registry);
      Gauge.builder("haetae.obligations.open", e, x -> obligations(x).open()).tags(tags)
          .description("Legal obligations open (breached ones included)").register(registry);
      Gauge.builder("haetae.obligations.breached", e, x -> obligations(x).breached()).tags(tags)
          .description("Legal obligations open past their deadline").register(registry);
      Gauge.builder("haetae.obligations.due.soon", e, x -> obligations(x).dueSoon()).tags(tags)
          .description("Legal obligations open, not breached, whose deadline is within the next hour")
          .register(registry);
      Gauge.builder("haetae.plugins.tripped", e, x -> x.pluginHealth().tripped().size()).tags(tags)
          .description("Policies and signal providers tripped for timing out").register(registry);
      Gauge.builder("haetae.plugins.stuck.threads", e, x -> x.pluginHealth().stuckThreads()).tags(tags)
          .description("Worker threads held by abandoned plugin calls").register(registry);
      Gauge.builder("haetae.plugins.load.failures", e, x -> x.pluginFailures().size()).tags(tags)
          .description("Policy plugins that failed to load and were skipped").register(registry);
      FunctionCounter.builder("haetae.listener.failures", e, ModerationEngine::listenerFailures).tags(tags)
          .description("Exceptions thrown by engine listeners (caught; no decision changed)").register(registry);
    }

    synchronized void refreshBanks(ModerationEngine e) {
      if (bankEntries == null) {
        return;
      }
      List<MultiGauge.Row<?>> entries = new ArrayList<>();
      List<MultiGauge.Row<?>> versions = new ArrayList<>();
      for (Bank b : e.banks().banks()) {
        Tags t = Tags.of("bank", b.id());
        entries.add(MultiGauge.Row.of(t, b, Bank::size));
        versions.add(MultiGauge.Row.of(t, b, Bank::version));
      }
      bankEntries.register(entries, true);
      bankVersions.register(versions, true);
    }
  }
}
