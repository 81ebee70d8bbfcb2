package dev.haetae.moderation.core.engine;

import dev.haetae.moderation.api.AccountId;
import dev.haetae.moderation.api.ActionExecutionException;
import dev.haetae.moderation.api.ConfigurationException;
import dev.haetae.moderation.api.ContentEvent;
import dev.haetae.moderation.api.ContentId;
import dev.haetae.moderation.api.ContentKind;
import dev.haetae.moderation.api.Decision;
import dev.haetae.moderation.api.DecisionId;
import dev.haetae.moderation.api.DecisionLogException;
import dev.haetae.moderation.api.PolicyId;
import dev.haetae.moderation.api.Evidence;
import dev.haetae.moderation.api.Fingerprints;
import dev.haetae.moderation.api.InvalidRequestException;
import dev.haetae.moderation.api.LegalNotice;
import dev.haetae.moderation.api.Limits;
import dev.haetae.moderation.api.MeasureExpiry;
import dev.haetae.moderation.api.ModerationRequest;
import dev.haetae.moderation.api.ObligationEvent;
import dev.haetae.moderation.api.Signal;
import dev.haetae.moderation.api.StoreUnavailableException;
import dev.haetae.moderation.api.TimeOutOfRangeException;
import dev.haetae.moderation.api.observe.Stage;
import dev.haetae.moderation.api.spi.ActionExecutor;
import dev.haetae.moderation.api.spi.DecisionLog;
import dev.haetae.moderation.api.spi.EngineMemory;
import dev.haetae.moderation.api.spi.EvidenceHold;
import dev.haetae.moderation.api.spi.EvidenceHoldStore;
import dev.haetae.moderation.api.spi.ObligationRecord;
import dev.haetae.moderation.api.spi.Policy;
import dev.haetae.moderation.api.spi.Pseudonymizer;
import dev.haetae.moderation.api.spi.StrikeStore;
import dev.haetae.moderation.core.audit.DecisionLogs;
import dev.haetae.moderation.core.audit.EngineLog;
import dev.haetae.moderation.core.audit.LogEvent;
import dev.haetae.moderation.core.audit.Pseudonymizers;
import dev.haetae.moderation.core.decide.Decider;
import dev.haetae.moderation.core.decide.Guard;
import dev.haetae.moderation.core.hash.HashBanks;
import dev.haetae.moderation.core.hash.ImageHasher;
import dev.haetae.moderation.core.legal.Compliance;
import dev.haetae.moderation.core.legal.EvidenceHolds;
import dev.haetae.moderation.core.legal.JurisdictionProfiles;
import dev.haetae.moderation.core.legal.Obligations;
import dev.haetae.moderation.core.policy.PolicyConfig;
import dev.haetae.moderation.core.policy.PolicyPack;
import dev.haetae.moderation.core.store.InMemoryEngineMemory;
import dev.haetae.moderation.core.store.InMemoryReputationStore;
import dev.haetae.moderation.core.store.InMemoryStrikeStore;
import dev.haetae.moderation.core.text.IdentifyingDetails;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The moderation engine: the one door through which a messenger backend hands uploads, forwards,
 * reports, legal notices, review outcomes and appeals, and gets back a {@link Decision} it can
 * execute, explain and defend.
 *
 * <p>Each {@link #evaluate} call runs one data path:
 *
 * <ol>
 *   <li><b>validate</b> the request against the engine's {@link Limits};
 *   <li><b>fingerprint</b> content bytes (SHA-256, MD5; PDQ with re-share variants for images) when
 *       the host did not supply fingerprints;
 *   <li><b>gather</b> signals, reading and never writing: hash-bank matches, the weighed reports (a
 *       new report weighed in memory next to the stored ones), notice validation and the obligation
 *       a notice would open, open obligations, account standing, room activity, what the engine
 *       remembers of the content, what it found in a caption, host signal providers;
 *   <li>freeze them in one immutable {@link Evidence} with the instant from the injected clock and
 *       the versions of everything that contributed;
 *   <li>run every <b>policy</b> with isolation, shadow policies alongside, and <b>combine</b> the
 *       outcomes into one decision (see {@link Decider});
 *   <li>derive the decision's <b>plan</b>: the typed list of state changes it implies (remember the
 *       content, open an obligation, strike, bank the removed content, ...);
 *   <li><b>record</b> evidence, decision and plan in the {@link DecisionLog}, durably;
 *   <li><b>apply</b> the plan to the stores (every change idempotent), and hand the decision to the
 *       host's {@link ActionExecutor}.
 * </ol>
 *
 * <p>Nothing changes before the record is durable: when the log fails, no store has changed. When
 * the process dies after the record and before the apply, the engine carries the plan out (and
 * hands the decision to the executor again) when it next starts on the same log, see {@link
 * #recover()}.
 *
 * <p>{@code ModerationEngine.builder().build()} works with no configuration: in-memory stores, the
 * built-in policy pack, bundled jurisdiction profiles and a file decision log in a temporary
 * directory.
 *
 * <p><b>Thread safety.</b> An engine is safe to share across threads; build one per process and
 * call it from every request thread. {@link #close()} releases its worker threads and the decision
 * log it opened.
 *
 * @since 0.1
 */
public final class ModerationEngine implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(ModerationEngine.class);

  /** The bank into which the engine adds the fingerprints of content removed with BlockReupload. */
  public static final String PLATFORM_BANK = "platform-removals";

  private final Clock clock;
  private final ImageHasher imageHasher;
  private final RequestValidator validator;
  private final HashBanks banks;
  /** The policies in force, swapped whole by {@link #reconfigure}; each decision reads one snapshot. */
  private volatile PolicySet policySet;
  private final boolean defaultPolicies;
  private final List<Policy> hostPolicies;
  private final List<Policy> loadedPlugins;
  private final Map<String, String> settings;
  private final Decider decider;
  private final Guard guard;
  private final HostSignals hostSignals;
  private final DecisionLog log;
  private final Optional<EngineLog> engineLog;
  private final boolean ownsLog;
  private final Path logDirectory;
  private final ActionExecutor executor;
  private final Obligations obligations;
  private final java.util.function.Consumer<ObligationEvent> obligationListener;
  private final java.util.function.Consumer<EvidenceHold> holdListener;
  private final EvidenceHoldStore holds;
  private final StrikeStore strikes;
  private final ScheduledExecutorService legalClock;
  private final EngineMemory memory;
  private final AutoCloseable platformBankFollower;
  private final Gatherer gatherer;
  private final Planner planner;
  private final Applier applier;
  private final WaitingReports waiting;
  private final LoggedBanks loggedBanks;
  private final Delivery delivery;
  private final List<String> pluginFailures;
  private final String idPrefix;
  private final AtomicLong sequence = new AtomicLong();
  private final AtomicBoolean closed = new AtomicBoolean();
  /** Tells the listeners; null when there are none, so an unobserved evaluation measures nothing. */
  private final Observer observer;
  private final java.util.concurrent.atomic.LongAdder listenerFailures = new java.util.concurrent.atomic.LongAdder();

  ModerationEngine(ModerationEngineBuilder b, List<Policy> loaded, List<String> pluginFailures,
      Obligations obligations, dev.haetae.moderation.core.legal.Instrument defaultAppeal) {
    this.clock = b.clock;
    this.observer = Observer.of(b.listeners, listenerFailures, b.stageClock);
    this.imageHasher = ImageHasher.builder().limits(b.limits).halfScaleJpeg(b.halfScaleJpeg).build();
    this.validator = new RequestValidator(b.limits);
    this.banks = b.banks == null ? HashBanks.inMemory() : b.banks;
    this.defaultPolicies = b.defaultPolicies;
    this.hostPolicies = List.copyOf(b.policies);
    this.loadedPlugins = List.copyOf(loaded);
    this.policySet = new PolicySet(!b.defaultPolicies ? List.of() : b.policyPack != null ? b.policyPack
        : PolicyPack.defaults(), b.configExtra, hostPolicies, loadedPlugins, b.shadowPolicies,
        b.policyConfig != null ? "config" : "host", Optional.ofNullable(b.policyConfig));
    this.pluginFailures = List.copyOf(pluginFailures);
    if (b.isolation == PolicyIsolation.THREADS) {
      List<Object> guarded = new ArrayList<>(policySet.plugins);
      guarded.addAll(policySet.shadow);
      guarded.addAll(b.providerEntries);
      this.guard = new Guard(b.maxPolicyThreads, b.maxStuckThreads < 0 ? b.maxPolicyThreads : b.maxStuckThreads,
          b.tripAfter, b.coolDown, b.clock, guarded, ModerationEngine::nameOf);
      this.decider = Decider.guarded(guard);
    } else {
      this.guard = null;
      this.decider = Decider.inline();
    }
    this.hostSignals = new HostSignals(b.providerEntries, guard);
    Pseudonymizer pseudonymizer = b.pseudonymizer == null ? Pseudonymizers.ephemeral() : b.pseudonymizer;
    if (b.decisionLog != null) {
      this.log = b.decisionLog;
      this.ownsLog = false;
      this.logDirectory = null;
    } else {
      Path dir = b.logDirectory;
      if (dir == null) {
        try {
          dir = Files.createTempDirectory("haetae-log-");
        } catch (IOException e) {
          throw new ConfigurationException("cannot create a temporary directory for the decision log", e);
        }
        LOG.info("no decision log configured; writing to {}", dir);
      }
      this.log = DecisionLogs.directory(dir).pseudonymizer(pseudonymizer).build();
      this.ownsLog = true;
      this.logDirectory = dir;
    }
    if (observer != null) {
      log.observe(observer.forLog());
    }
    this.engineLog = log instanceof EngineLog ? Optional.of((EngineLog) log) : Optional.empty();
    if (engineLog.isEmpty() && log != DecisionLog.DISCARD) {
      LOG.warn("decision log {} keeps decisions only: effects, obligation clock events and bank changes are not"
          + " logged, and decisions interrupted by a crash cannot be recovered; use an EngineLog", log);
    }
    this.executor = b.executor;
    Map<String, String> settings = new LinkedHashMap<>();
    settings.put("strike_ttl", b.strikeTtl.toString());
    b.strikeTtls.forEach((k, v) -> settings.put("strike_ttl." + k, v.toString()));
    settings.put("room_window", b.roomWindow.toString());
    settings.put("profile_photo_distance", Integer.toString(b.profilePhotoDistance));
    settings.put("text_scan_chars", Integer.toString(b.textScanChars));
    settings.put("jurisdictions", obligations.profiles().version());
    settings.put("reputation", b.reputationModel.version());
    this.settings = java.util.Collections.unmodifiableMap(settings);
    this.obligations = obligations;
    this.obligationListener = b.obligationListener;
    this.holdListener = b.holdListener;
    this.holds = b.evidenceHoldStore == null ? new EvidenceHolds() : b.evidenceHoldStore;
    this.strikes = b.strikeStore == null ? new InMemoryStrikeStore(b.ledgerSize) : b.strikeStore;
    this.memory = b.memory != null ? b.memory : new InMemoryEngineMemory(b.ledgerSize,
        b.roomWindow.compareTo(InMemoryEngineMemory.DEFAULT_ROOM_RETENTION) > 0 ? b.roomWindow
            : InMemoryEngineMemory.DEFAULT_ROOM_RETENTION);
    dev.haetae.moderation.api.spi.ReputationStore reputation =
        b.reputationStore == null ? new InMemoryReputationStore() : b.reputationStore;
    this.gatherer = new Gatherer(banks, memory, b.profilePhotoDistance, b.roomWindow, strikes, reputation,
        b.reputationModel, obligations, defaultAppeal, IdentifyingDetails.scanning(b.textScanChars),
        b.reportClockInstrument, pseudonymizer);
    this.planner = new Planner(obligations.profiles(), b.strikeTtls, b.strikeTtl, pseudonymizer);
    this.applier = new Applier(banks, b.platformBank, memory, strikes, reputation, b.reputationModel, obligations,
        holds);
    this.waiting = new WaitingReports(reputation, b.reputationModel, WaitingReports.CAPACITY);
    this.loggedBanks = new LoggedBanks(banks, engineLog, clock);
    this.delivery = new Delivery(executor, engineLog, clock, applier, this::notifyListener);
    byte[] r = new byte[4];
    new SecureRandom().nextBytes(r);
    this.idPrefix = String.format("%02x%02x%02x%02x", r[0], r[1], r[2], r[3]);
    this.platformBankFollower = b.platformBank.follow(banks, PLATFORM_BANK);
    try {
      recover();
      engineLog.ifPresent(l -> l.append(configuration(policySet)));
    } catch (RuntimeException e) {
      try {
        platformBankFollower.close();
      } catch (Exception suppressed) {
        e.addSuppressed(suppressed);
      }
      throw e;
    }
    if (b.tickEvery != null) {
      this.legalClock = Executors.newSingleThreadScheduledExecutor(t -> {
        Thread th = new Thread(t, "haetae-legal-clock");
        th.setDaemon(true);
        return th;
      });
      long ms = Math.max(1, b.tickEvery.toMillis());
      legalClock.scheduleWithFixedDelay(this::scheduledTick, ms, ms, TimeUnit.MILLISECONDS);
    } else {
      this.legalClock = null;
    }
  }

  /** The policies in force: what one decision runs, and what a configuration record names. */
  private static final class PolicySet {
    final List<Policy> builtIn;
    final List<Policy> plugins;
    final List<Policy> enforcing;
    final List<Policy> shadow;
    final List<LogEvent.PolicyRole> roles = new ArrayList<>();
    final Optional<PolicyConfig> config;

    PolicySet(List<Policy> builtIn, List<Policy> configExtra, List<Policy> host, List<Policy> loaded,
        List<Policy> shadow, String shadowSource, Optional<PolicyConfig> config) {
      this.builtIn = List.copyOf(builtIn);
      List<Policy> plugins = new ArrayList<>(configExtra);
      plugins.addAll(host);
      plugins.addAll(loaded);
      this.plugins = List.copyOf(plugins);
      List<Policy> all = new ArrayList<>(this.builtIn);
      all.addAll(this.plugins);
      this.enforcing = List.copyOf(all);
      this.shadow = List.copyOf(shadow);
      this.config = config;
      for (Policy p : this.builtIn) {
        roles.add(role(p, "enforcing", "builtin"));
      }
      for (Policy p : this.plugins) {
        roles.add(role(p, "enforcing", configExtra.contains(p) ? "config" : host.contains(p) ? "host" : "service-loader"));
      }
      for (Policy p : this.shadow) {
        roles.add(role(p, "shadow", shadowSource));
      }
    }
  }

  /** The configuration record of a policy set. */
  private LogEvent.Configuration configuration(PolicySet set) {
    return new LogEvent.Configuration(clock.instant(), set.config.map(PolicyConfig::canonicalJson),
        set.config.map(PolicyConfig::hash), set.roles, settings);
  }

  /**
   * Replaces the policy configuration while the engine runs (a hot reload): the built-in pack's
   * parameters, the configuration's extra policies and rules, and the shadow policies. Policies
   * the host registered with {@link ModerationEngineBuilder#policies} and discovered plugins stay.
   *
   * <p>The switch is atomic: each decision runs wholly under the old or wholly under the new
   * configuration, never a mix. The new configuration is logged (a configuration record, as at
   * start) before it takes effect, so replay and audit see when it changed; if the log cannot
   * record it, nothing changes. A configuration whose engine-side settings (strike periods, room
   * window, profile-photo distance, caption scan limit) differ from the running engine's is
   * refused: those shape state the engine already holds, and need a restart. Load the file with
   * {@link PolicyConfig#load} first: a file that does not load throws there, and the engine keeps
   * its configuration.
   *
   * <p>Thread-safe; concurrent calls are applied one after the other.
   *
   * @param config the new configuration; not null
   * @throws ConfigurationException naming the engine-side setting that differs (nothing changes)
   * @throws DecisionLogException when the configuration could not be logged (nothing changes)
   * @throws IllegalStateException when the engine is closed
   * @since 0.2
   */
  public synchronized void reconfigure(PolicyConfig config) {
    Objects.requireNonNull(config, "config");
    ensureOpen();
    Map<String, String> wanted = new LinkedHashMap<>(settings);
    wanted.keySet().removeIf(k -> k.startsWith("strike_ttl"));
    config.strikeTtls().forEach((k, v) -> wanted.put(k.equals("default") ? "strike_ttl" : "strike_ttl." + k,
        v.toString()));
    wanted.put("room_window", config.roomWindow().toString());
    wanted.put("profile_photo_distance", Integer.toString(config.profilePhotoDistance()));
    wanted.put("text_scan_chars", Integer.toString(config.textScanChars()));
    for (String k : new java.util.TreeSet<>(wanted.keySet())) {
      if (!Objects.equals(wanted.get(k), settings.get(k))) {
        throw new ConfigurationException("reconfigure: the engine-side setting " + k + " would change from "
            + settings.get(k) + " to " + wanted.get(k) + "; that needs a restart (the engine keeps its configuration)");
      }
    }
    for (String k : settings.keySet()) {
      if (!wanted.containsKey(k)) {
        throw new ConfigurationException("reconfigure: the engine-side setting " + k + " would be dropped; that"
            + " needs a restart (the engine keeps its configuration)");
      }
    }
    PolicySet next = new PolicySet(defaultPolicies ? config.builtIn() : List.of(), config.extra(), hostPolicies,
        loadedPlugins, config.shadow(), "config", Optional.of(config));
    if (guard != null) {
      List<Object> guarded = new ArrayList<>(next.plugins);
      guarded.addAll(next.shadow);
      guard.guard(guarded);
    }
    Set<PolicyId> seen = new HashSet<>();
    for (Policy p : next.shadow) {
      if (!seen.add(Decider.idOf(p))) {
        throw new ConfigurationException("reconfigure: shadow policy " + Decider.idOf(p) + " is named twice");
      }
    }
    if (engineLog.isPresent()) {
      try {
        engineLog.get().append(configuration(next));
      } catch (DecisionLogException e) {
        throw e;
      } catch (RuntimeException e) {
        throw new DecisionLogException("the decision log failed to record the new configuration", e);
      }
    }
    this.policySet = next;
    LOG.info("policy configuration {} in force", config);
  }

  private static LogEvent.PolicyRole role(Policy p, String role, String source) {
    return new LogEvent.PolicyRole(Decider.idOf(p), role, source, p.getClass().getName());
  }

  /**
   * A builder with the embedded defaults.
   *
   * @return a new builder
   */
  public static ModerationEngineBuilder builder() {
    return new ModerationEngineBuilder();
  }

  /**
   * Decides one request: reads, decides, logs the decision and its plan durably, applies the plan,
   * then hands the decision to the action executor.
   *
   * @param request the request; not null
   * @return the decision; never null
   * @throws InvalidRequestException when the request is malformed or over a limit (nothing is
   *     stored, logged or acted on)
   * @throws TimeOutOfRangeException when the engine's clock reads an instant outside the supported
   *     range (nothing is stored, logged or acted on)
   * @throws DecisionLogException when the decision could not be logged (no store changed, and it is
   *     not acted on)
   * @throws StoreUnavailableException when the decision was logged but a shared store failed while
   *     its plan was applied: it was not handed to the executor; the engine applies the rest of the
   *     plan and delivers it at its next {@link #recover()} (and at start-up)
   * @throws ActionExecutionException when the host's executor failed (the decision is logged and
   *     applied, and attached, so its actions can be retried)
   * @throws IllegalStateException when the engine is closed
   */
  public Decision evaluate(ModerationRequest request) {
    if (observer == null) {
      return evaluate(request, null);
    }
    Observer.Laps laps = observer.laps();
    Decision decision;
    try {
      decision = evaluate(request, laps);
    } catch (RuntimeException e) {
      observer.evaluationFailed(request, laps, e);
      throw e;
    }
    observer.evaluated(request, decision, laps);
    return decision;
  }

  /** {@link #evaluate(ModerationRequest)}; {@code laps}, when not null, times each stage. */
  private Decision evaluate(ModerationRequest request, Observer.Laps laps) {
    ensureOpen();
    validator.check(request);
    // checked once per evaluation, as request times are: a clock outside the range would stamp
    // evidence and deadlines that later computations over time cannot handle
    Instant now = TimeOutOfRangeException.requireInRange("engine clock", clock.instant());
    if (laps != null) {
      laps.lap(Stage.VALIDATE);
    }
    List<Signal> notHashed = new ArrayList<>(0);
    ModerationRequest req = fingerprint(request, notHashed);
    if (laps != null) {
      laps.lap(Stage.FINGERPRINT);
    }
    Gatherer.Gathered g = gatherer.gather(req, now);
    g.signals.addAll(notHashed);
    hostSignals.provide(req, now, g);
    Evidence evidence = new Evidence(now, req, g.signals, g.versions);
    if (laps != null) {
      laps.lap(Stage.GATHER);
    }
    DecisionId id = DecisionId.of(idPrefix + "-" + sequence.getAndIncrement());
    PolicySet set = policySet;
    Decision decision = decider.decide(id, evidence, set.builtIn, set.plugins, set.shadow);
    if (laps != null) {
      laps.lap(Stage.DECIDE);
    }
    Planner.Plan plan = planner.plan(evidence, decision, g);
    if (laps != null) {
      laps.lap(Stage.PLAN);
    }
    long seq = record(evidence, decision, plan);
    if (laps != null) {
      laps.lap(Stage.LOG);
    }
    List<ObligationEvent> events;
    try {
      events = applier.apply(plan.effects(), plan.events());
    } catch (StoreUnavailableException e) {
      throw new StoreUnavailableException(
          "decision " + id + " was logged, but recording its effects in a shared store failed, so"
              + " it was not handed to the action executor (recover() completes it): " + e.getMessage(), e);
    }
    for (ObligationEvent e : events) {
      notifyListener(e);
    }
    waiting.after(evidence, decision);
    if (laps != null) {
      laps.lap(Stage.APPLY);
    }
    delivery.deliver(request, decision, seq, false);
    if (laps != null) {
      laps.lap(Stage.DELIVER);
    }
    return decision;
  }

  private long record(Evidence evidence, Decision decision, Planner.Plan plan) {
    try {
      if (engineLog.isPresent()) {
        return engineLog.get().append(evidence, decision, plan.effects(), plan.events());
      }
      return log.append(evidence, decision);
    } catch (DecisionLogException e) {
      throw e;
    } catch (RuntimeException e) {
      throw new DecisionLogException("the decision log failed to record decision " + decision.id(), e);
    }
  }

  /**
   * Carries out the decisions that were logged but not carried out: those interrupted by a crash
   * between the log and the stores, those whose effects a shared store refused, and those the
   * executor failed on. For each, in log order: applies its plan again (every effect is idempotent,
   * so what was already applied does not change again), hands it to the action executor again (at
   * least once, idempotent by decision id: the executor may see a decision twice), and logs the
   * delivery; then logs one recovery record. The engine calls this when it starts; hosts call it
   * after fixing what made a decision fail. With a log that is not an {@link EngineLog}, nothing can
   * be recovered.
   *
   * @return the decisions recovered, by log sequence number; never null
   * @throws IllegalStateException when the engine is closed
   */
  public List<Long> recover() {
    ensureOpen();
    return delivery.recover();
  }

  /**
   * Advances legal clocks to the engine clock's instant: fires due escalations and records
   * breaches. Hosts call this periodically (e.g. every few seconds); it costs in proportion to what
   * is due.
   *
   * @return the obligation events, also delivered to the obligation listener; never null
   * @throws IllegalStateException when the engine is closed
   */
  public List<ObligationEvent> tick() {
    return tick(clock.instant());
  }

  /**
   * Advances legal clocks to a given instant: works out the escalations and breaches due and the
   * evidence holds that ended, logs them as one record (nothing when nothing is due), then makes
   * the changes and tells the listeners. Then re-checks the waiting reports due at {@code now} (see
   * {@link #recheckWaitingReports(Instant)}): each re-check is a logged decision of its own; and
   * lifts the temporary measures whose expiry has come ({@link MeasureExpiry}, a logged decision of
   * its own each). For hosts and simulations that drive time themselves;
   * {@code now} should not go backwards (an earlier instant simply finds nothing due).
   *
   * @param now the instant to advance to; not null
   * @return the obligation events, also delivered to the obligation listener; never null
   * @throws IllegalStateException when the engine is closed
   * @throws DecisionLogException when the tick could not be logged (nothing changed)
   */
  public List<ObligationEvent> tick(Instant now) {
    InvalidRequestException.requireNonNull("now", now);
    ensureOpen();
    List<ObligationEvent> out = new ArrayList<>();
    List<EvidenceHold> ended = new ArrayList<>();
    for (int round = 0; round < 1024; round++) {
      List<Obligations.Steps> steps = obligations.planTick(now, 1024);
      List<EvidenceHold> due = round == 0 ? dueHolds(now) : List.of();
      if (steps.isEmpty() && due.isEmpty()) {
        break;
      }
      List<ObligationEvent> planned = new ArrayList<>();
      steps.forEach(s -> planned.addAll(s.events()));
      engineLog.ifPresent(l -> l.append(new LogEvent.Tick(now, planned, due)));
      List<ObligationEvent> applied = obligations.apply(steps);
      out.addAll(applied);
      if (!due.isEmpty()) {
        ended.addAll(holds.expire(now));
      }
      if (applied.isEmpty() || steps.size() < 1024) {
        break;
      }
    }
    for (ObligationEvent e : out) {
      notifyListener(e);
    }
    for (EvidenceHold h : ended) {
      try {
        holdListener.accept(h);
      } catch (RuntimeException ex) {
        LOG.warn("hold listener failed on {}", h.id(), ex);
      }
    }
    recheckWaitingReports(now);
    liftDueMeasures(now);
    return out;
  }

  /** How long a tick's claim on a due temporary measure holds before another tick may take it. */
  static final Duration MEASURE_CLAIM = Duration.ofMinutes(5);

  /**
   * Evaluates a {@link MeasureExpiry} for each open temporary measure due at {@code now} (at most
   * 1,024, earliest first), claimed in the engine's memory so that engines sharing it lift each
   * once: the lift is a logged decision of its own, handed to the action executor.
   */
  private void liftDueMeasures(Instant now) {
    for (EngineMemory.Measure m : memory.claimDueMeasures(now, MEASURE_CLAIM, 1024)) {
      try {
        evaluate(new MeasureExpiry(m.content(), m.decision()));
      } catch (ActionExecutionException | StoreUnavailableException e) {
        LOG.warn("the lift of a temporary measure was logged but not carried out in full", e);
      }
    }
  }

  /**
   * Looks again at the reports that wait without a person looking (awaiting corroboration, below the
   * weight to act, or attached to an item) whose re-check is due at {@code now}: each at its
   * category's bound ({@link dev.haetae.moderation.core.reputation.ReputationModel#recheck}), or
   * earlier when a review verdict on its target or on a target one of its reporters reported came in.
   * Each re-check evaluates the waiting report again (at the engine clock's instant), so its outcome
   * is a logged decision of its own, handed to the action executor like any other; at the bound the
   * report policy queues a waiting claim for a person. Reports a verdict resolved meanwhile are
   * skipped. {@link #tick(Instant)} calls this; hosts that drive time themselves may call it
   * directly. At most 1,024 reports per call, earliest due first.
   *
   * @param now the instant up to which re-checks are due; not null
   * @return the reports re-checked with their decisions, in order; never null
   * @throws InvalidRequestException when {@code now} is null
   * @throws IllegalStateException when the engine is closed
   * @throws DecisionLogException when a re-check could not be logged (that report and the rest stay
   *     due)
   * @since 0.4
   */
  public List<RecheckedReport> recheckWaitingReports(Instant now) {
    InvalidRequestException.requireNonNull("now", now);
    ensureOpen();
    List<RecheckedReport> out = new ArrayList<>();
    waiting.loadOnce(); // what a restart, or another instance, left waiting in the store
    List<WaitingReports.Entry> due = waiting.due(now, 1024);
    for (int i = 0; i < due.size(); i++) {
      try {
        out.add(new RecheckedReport(due.get(i).report(), evaluate(due.get(i).report())));
      } catch (ActionExecutionException | StoreUnavailableException e) {
        LOG.warn("the re-check of a waiting report was logged but not carried out in full", e);
      } catch (RuntimeException e) {
        for (int j = i; j < due.size(); j++) {
          waiting.retry(due.get(j));
        }
        throw e;
      }
    }
    return out;
  }

  /** The waiting reports the engine re-checks on its tick (for tests and metrics). */
  int waitingReports() {
    return waiting.size();
  }

  private List<EvidenceHold> dueHolds(Instant now) {
    List<EvidenceHold> out = new ArrayList<>(0);
    for (EvidenceHold h : holds.due(now)) {
      out.add(h);
    }
    return out;
  }

  /**
   * Changes the hash banks, logged: records the changes in the decision log, then makes them. A
   * host that changes {@link #banks()} directly changes what the engine matches just the same, but
   * leaves no record of it for auditors; prefer this method (imports from hash-sharing programmes
   * included).
   *
   * @param source who changes them, e.g. {@code host}, {@code stopncii-sync} or an import's name;
   *     not null
   * @param changes the entries to add ({@code add}), withdraw ({@code withdraw}: the entry stays known
   *     but no longer matches) or delete ({@code delete}); not null, no null elements
   * @return how many entries changed
   * @throws InvalidRequestException when an argument is null or an operation is unknown (nothing is
   *     logged or changed)
   * @throws DecisionLogException when the changes could not be logged (nothing changed)
   * @throws IllegalStateException when the engine is closed
   * @since 0.2
   */
  public int changeBanks(String source, List<LogEvent.BankEntryChange> changes) {
    ensureOpen();
    int changed = loggedBanks.change(source, changes);
    if (observer != null) {
      observer.bankChanged(source, bankOf(changes), changed);
    }
    return changed;
  }

  /**
   * Imports a hash-list file into a bank of {@link #banks()} (see {@link HashBanks#importFile(Path,
   * String, dev.haetae.moderation.core.hash.ImportOptions)}), and logs every change it made, in
   * records of at most 4,096 changes. The changes are logged as the import applies them (an import
   * of millions of entries is not held in memory): a crash during an import can leave its last
   * changes unlogged, and the import, being idempotent, is simply run again.
   *
   * @param file the file; not null
   * @param bankId the bank; not null
   * @param options strictness, listing bounds and a listener of its own; not null
   * @return the import's report; never null
   * @throws InvalidRequestException as {@link HashBanks#importFile(Path, String,
   *     dev.haetae.moderation.core.hash.ImportOptions)} does (a strict import applies nothing)
   * @throws DecisionLogException when a change record could not be logged
   * @throws IllegalStateException when the engine is closed
   * @since 0.2
   */
  public dev.haetae.moderation.core.hash.ImportReport importBankFile(Path file, String bankId,
      dev.haetae.moderation.core.hash.ImportOptions options) {
    ensureOpen();
    dev.haetae.moderation.core.hash.ImportReport report = loggedBanks.importFile(file, bankId, options);
    if (observer != null) {
      observer.bankChanged("import", bankId, report.applied());
    }
    return report;
  }

  /**
   * Refreshes a bank connected to a hash-sharing programme (see {@link HashBanks#refresh(String,
   * dev.haetae.moderation.core.hash.ImportOptions)}), and logs every change it made, as {@link
   * #importBankFile} does.
   *
   * @param bankId the bank; not null
   * @param options strictness, listing bounds and a listener of its own; not null
   * @return the sync's report; never null
   * @throws InvalidRequestException as {@link HashBanks#refresh(String,
   *     dev.haetae.moderation.core.hash.ImportOptions)} does
   * @throws DecisionLogException when a change record could not be logged
   * @throws IllegalStateException when the engine is closed
   * @since 0.2
   */
  public dev.haetae.moderation.core.hash.ImportReport refreshBank(String bankId,
      dev.haetae.moderation.core.hash.ImportOptions options) {
    ensureOpen();
    dev.haetae.moderation.core.hash.ImportReport report = loggedBanks.refresh(bankId, options);
    if (observer != null) {
      observer.bankChanged("refresh", bankId, report.applied());
    }
    return report;
  }

  /**
   * The evidence holds the engine placed when it removed content under a preservation duty: the
   * store set with {@link ModerationEngineBuilder#evidenceHoldStore}, or the in-memory {@link
   * EvidenceHolds}. Ask {@link EvidenceHoldStore#mayDelete} before deleting removed content for
   * good.
   *
   * @return the holds; never null
   */
  public EvidenceHoldStore holds() {
    return holds;
  }

  /**
   * The strike store in use: the one set with {@link ModerationEngineBuilder#strikeStore}, or an
   * in-memory {@link InMemoryStrikeStore}. The engine records a strike when it removes an account's
   * content and clears it when an appeal reverses the removal; the repeat-offender policy sees the
   * live count.
   *
   * @return the store; never null
   */
  public StrikeStore strikes() {
    return strikes;
  }

  /**
   * Deadline compliance figures per instrument, computed now from every obligation in the store
   * (a report, not a hot-path call: it costs in proportion to all obligations).
   *
   * @return the figures at the engine clock's instant; never null
   */
  public Compliance compliance() {
    return Compliance.of(obligations.store().all(), clock.instant());
  }

  /**
   * Validates a notice without recording anything: for an intake form that wants to tell the
   * requester at once what is missing.
   *
   * @param notice the notice; not null
   * @return the check, with the list of what is missing or wrong; never null
   */
  public Signal.NoticeCheck checkNotice(LegalNotice notice) {
    InvalidRequestException.requireNonNull("notice", notice);
    return obligations.check(notice, memory.content(notice.content()).posted().map(EngineMemory.Posted::surface));
  }

  /**
   * The jurisdiction profiles in use.
   *
   * @return the profiles; never null
   */
  public JurisdictionProfiles jurisdictionProfiles() {
    return obligations.profiles();
  }

  private void scheduledTick() {
    try {
      tick();
    } catch (RuntimeException e) {
      LOG.error("scheduled legal clock tick failed; will retry at the next period", e);
    }
  }

  /**
   * A snapshot of every obligation the engine tracks.
   *
   * @return the obligations, oldest first; never null
   */
  public List<ObligationRecord> obligations() {
    return obligations.store().all();
  }

  /**
   * The hash banks this engine matches against (to add or withdraw entries at run time).
   *
   * @return the banks; never null
   */
  public HashBanks banks() {
    return banks;
  }

  /**
   * Withdraws the protection of one profile photo its owner protected with a {@code profile_photo}
   * content event ({@link ContentEvent#protect()}): later copies posted by others are no longer
   * signalled, and the photo's hash is forgotten unless another owner protects the same image. A
   * later {@code profile_photo} event for the same content without {@code protect} does the same,
   * and is logged as a decision; prefer it.
   *
   * @param owner the account that protected the photo; not null
   * @param photo the photo's content id; not null
   * @return true when the photo was protected
   * @throws InvalidRequestException when an argument is null
   */
  public boolean withdrawProfilePhoto(AccountId owner, ContentId photo) {
    InvalidRequestException.requireNonNull("owner", owner);
    InvalidRequestException.requireNonNull("photo", photo);
    return memory.withdrawPhoto(owner, photo);
  }

  /**
   * Withdraws the protection of every profile photo an account protected, for instance when the
   * user opts out or the account is deleted. Thread-safe.
   *
   * @param owner the account; not null
   * @return how many photos were withdrawn
   * @throws InvalidRequestException when {@code owner} is null
   */
  public int withdrawProfilePhotos(AccountId owner) {
    InvalidRequestException.requireNonNull("owner", owner);
    return memory.withdrawPhotos(owner);
  }

  /**
   * The enforcing policies, in evaluation order.
   *
   * @return an unmodifiable list; never null
   */
  public List<Policy> policies() {
    return policySet.enforcing;
  }

  /**
   * The shadow policies.
   *
   * @return an unmodifiable list; never null
   */
  public List<Policy> shadowPolicies() {
    return policySet.shadow;
  }

  /**
   * Problems met while loading {@link java.util.ServiceLoader} policy plugins: each broken provider
   * was reported and skipped, the others loaded.
   *
   * @return one message per failed provider; never null
   */
  public List<String> pluginFailures() {
    return pluginFailures;
  }

  /**
   * The state of plugin isolation now: the policies and signal providers tripped for timing out
   * (not called until their cool-down ends and a probe call finishes in time), the worker threads
   * held by calls that were abandoned and have not returned, and the replacements made for them.
   * For a health check or a metrics scrape; cheap (in proportion to the plugins).
   *
   * @return the state; empty with {@link PolicyIsolation#INLINE}; never null
   * @since 0.2
   */
  public PluginHealth pluginHealth() {
    if (guard == null) {
      return new PluginHealth(List.of(), 0, 0, 0, 0);
    }
    Guard.Health h = guard.health();
    List<PluginHealth.Tripped> tripped = new ArrayList<>(h.tripped().size());
    for (Guard.Tripped t : h.tripped()) {
      tripped.add(new PluginHealth.Tripped(t.name(), t.until(), t.probing(), t.trips()));
    }
    return new PluginHealth(tripped, h.stuckThreads(), h.replacedThreads(), h.maxReplacements(), h.trips());
  }

  private static String nameOf(Object guarded) {
    if (guarded instanceof Policy) {
      return Decider.idOf((Policy) guarded).toString();
    }
    return guarded instanceof HostSignals.Entry ? ((HostSignals.Entry) guarded).key()
        : String.valueOf(guarded);
  }

  /**
   * The directory of the decision log the engine opened itself.
   *
   * @return the directory, or empty when the host supplied its own log
   */
  public Optional<Path> logDirectory() {
    return Optional.ofNullable(logDirectory);
  }

  /**
   * Stops the policy workers and the legal clock, and closes the decision log if the engine opened
   * it. Evaluations after close fail with {@link IllegalStateException}. Idempotent.
   */
  @Override
  public void close() {
    if (!closed.compareAndSet(false, true)) {
      return;
    }
    if (legalClock != null) {
      legalClock.shutdownNow();
    }
    if (guard != null) {
      guard.close();
    }
    try {
      platformBankFollower.close();
    } catch (Exception e) {
      LOG.warn("stopping to follow the shared platform bank failed", e);
    }
    if (ownsLog) {
      log.close();
    }
  }

  /** The one bank the changes touch, or {@code *} when they touch several (or none). */
  private static String bankOf(List<LogEvent.BankEntryChange> changes) {
    String bank = null;
    for (LogEvent.BankEntryChange c : changes) {
      if (bank != null && !bank.equals(c.bank())) {
        return "*";
      }
      bank = c.bank();
    }
    return bank == null ? "*" : bank;
  }

  private void ensureOpen() {
    if (closed.get()) {
      throw new IllegalStateException("the moderation engine is closed");
    }
  }

  private void notifyListener(ObligationEvent e) {
    try {
      obligationListener.accept(e);
    } catch (RuntimeException ex) {
      LOG.warn("obligation listener failed on {}", e.type(), ex);
    }
    if (observer != null) {
      observer.obligationEvent(e);
    }
  }

  /**
   * How many times a listener given to {@link ModerationEngineBuilder#listener} threw since the
   * engine was built (each exception was caught and did not change a decision). Thread-safe, cheap.
   *
   * @return the count, zero or more
   * @since 0.2
   */
  public long listenerFailures() {
    return listenerFailures.sum();
  }

  /**
   * Computes the fingerprints of content bytes the host did not hash itself: SHA-256 and MD5 for
   * every kind, and PDQ (with its re-share query variants) for images and profile photos. An image
   * that cannot be decoded (damaged, unsupported, a decompression bomb) is still matched by its
   * exact digests, and the reason is recorded as a {@link Signal.NotHashed}, so a broken file cannot
   * slip past exact-hash banks.
   */
  private ModerationRequest fingerprint(ModerationRequest request, List<Signal> signals) {
    if (!(request instanceof ContentEvent)) {
      return request;
    }
    ContentEvent e = (ContentEvent) request;
    if (e.bytes().isEmpty()) {
      return e;
    }
    Fingerprints have = e.content().fingerprints();
    Fingerprints computed;
    ContentKind kind = e.content().kind();
    if ((kind == ContentKind.IMAGE || kind == ContentKind.PROFILE_PHOTO) && have.pdq().isEmpty()) {
      try {
        computed = imageHasher.fingerprint(e.bytes().get().toByteArray());
      } catch (InvalidRequestException ex) {
        computed = Digests.of(e.bytes().get());
        signals.add(new Signal.NotHashed(ex.getClass().getSimpleName() + ": " + ex.getMessage()));
      }
    } else {
      computed = Digests.of(e.bytes().get());
    }
    Fingerprints merged = new Fingerprints(have.sha256().or(computed::sha256), have.md5().or(computed::md5),
        have.pdq().or(computed::pdq));
    return e.withFingerprints(merged).withoutBytes();
  }
}
