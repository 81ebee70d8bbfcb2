package dev.haetae.moderation.core.engine;

import dev.haetae.moderation.api.ConfigurationException;
import dev.haetae.moderation.api.Limits;
import dev.haetae.moderation.api.ObligationEvent;
import dev.haetae.moderation.api.spi.ActionExecutor;
import dev.haetae.moderation.api.spi.DecisionLog;
import dev.haetae.moderation.api.spi.EngineMemory;
import dev.haetae.moderation.api.spi.EvidenceHold;
import dev.haetae.moderation.api.spi.EvidenceHoldStore;
import dev.haetae.moderation.api.spi.ObligationStore;
import dev.haetae.moderation.api.spi.Policy;
import dev.haetae.moderation.api.spi.Pseudonymizer;
import dev.haetae.moderation.api.spi.ReputationStore;
import dev.haetae.moderation.api.spi.ExternalMatcher;
import dev.haetae.moderation.api.spi.SignalProvider;
import dev.haetae.moderation.api.spi.StrikeStore;
import dev.haetae.moderation.core.decide.Decider;
import dev.haetae.moderation.core.hash.HashBanks;
import dev.haetae.moderation.core.legal.Instrument;
import dev.haetae.moderation.core.legal.JurisdictionProfiles;
import dev.haetae.moderation.core.legal.Obligations;
import dev.haetae.moderation.core.policy.PolicyConfig;
import dev.haetae.moderation.core.policy.PolicyPack;
import dev.haetae.moderation.core.reputation.ReputationModel;
import dev.haetae.moderation.core.store.InMemoryObligationStore;
import dev.haetae.moderation.core.text.IdentifyingDetails;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.ServiceConfigurationError;
import java.util.ServiceLoader;
import java.util.Set;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Builds a {@link ModerationEngine}. Every setting has an embedded default, so {@code
 * ModerationEngine.builder().build()} works as it is; {@link #build()} fails fast with a {@link
 * ConfigurationException} naming a contradictory setting. Not thread-safe.
 *
 * <p>The settings, by group:
 *
 * <ul>
 *   <li><b>Time and input:</b> {@link #clock}, {@link #limits}, {@link #tickEvery}.
 *   <li><b>Policies:</b> {@link #policyConfig} (the built-in pack's parameters, extra classes and
 *       shadow policies, from one configuration file), {@link #policies}, {@link #shadowPolicy},
 *       {@link #policyPack}, {@link #defaultPolicies}, {@link #serviceLoader}, {@link
 *       #policyIsolation}, {@link #policyBreaker}, {@link #policyThreads}. Whether a policy enforces or shadows is configuration, never the
 *       classpath: plugins are discovered only when {@link #serviceLoader} is switched on, and a
 *       discovered plugin that the configuration names as a shadow policy does not enforce.
 *   <li><b>State:</b> {@link #stores} (one bundle of shared stores), {@link #banks}, or the stores
 *       one by one: {@link #reputationStore}, {@link #obligationStore}, {@link #evidenceHoldStore},
 *       {@link #strikeStore}.
 *   <li><b>The decision log:</b> {@link #logDirectory} or {@link #decisionLog}, {@link
 *       #pseudonymizer}.
 *   <li><b>The host:</b> {@link #actionExecutor}, {@link #signalProvider}, {@link #externalMatcher}, {@link
 *       #obligationListener}, {@link #holdListener}.
 *   <li><b>Models and law:</b> {@link #reputationModel}, {@link #jurisdictionProfiles}, {@link
 *       #escalateAt}, {@link #defaultAppealInstrument}, {@link #strikeTtl(Duration)}, {@link
 *       #strikeTtl(String, Duration)}, {@link #roomWindow}, {@link #profilePhotoDistance}, {@link
 *       #textScanChars}.
 * </ul>
 *
 * @since 0.2
 */
public final class ModerationEngineBuilder {
  private static final Logger LOG = LoggerFactory.getLogger(ModerationEngineBuilder.class);

  Clock clock = Clock.systemUTC();
  Limits limits = Limits.defaults();
  boolean halfScaleJpeg = true;
  HashBanks banks;
  final List<Policy> policies = new ArrayList<>();
  final List<Policy> shadowPolicies = new ArrayList<>();
  List<Policy> configExtra = List.of();
  boolean defaultPolicies = true;
  ClassLoader serviceLoader = Thread.currentThread().getContextClassLoader();
  boolean useServiceLoader;
  DecisionLog decisionLog;
  Path logDirectory;
  Pseudonymizer pseudonymizer;
  ActionExecutor executor = ActionExecutor.NONE;
  final List<SignalProvider> providers = new ArrayList<>();
  final List<ExternalMatcher> matchers = new ArrayList<>();
  ReputationStore reputationStore;
  ReputationModel reputationModel = ReputationModel.defaults();
  ObligationStore obligationStore;
  JurisdictionProfiles profiles;
  double[] escalateAt = {0.5, 0.8};
  Consumer<ObligationEvent> obligationListener = e -> { };
  Consumer<EvidenceHold> holdListener = h -> { };
  EvidenceHoldStore evidenceHoldStore;
  StrikeStore strikeStore;
  EngineMemory memory;
  SharedBank platformBank = SharedBank.LOCAL;
  String defaultAppeal = "PLATFORM-APPEAL";
  String reportClock;
  Optional<Instrument> reportClockInstrument = Optional.empty();
  Duration tickEvery;
  PolicyIsolation isolation = PolicyIsolation.THREADS;
  int maxPolicyThreads = Math.max(4, 4 * Runtime.getRuntime().availableProcessors());
  int maxStuckThreads = -1;
  int tripAfter = 3;
  Duration coolDown = Duration.ofSeconds(30);
  List<HostSignals.Entry> providerEntries = List.of();
  long ledgerSize = 1_000_000;
  Duration strikeTtl = Duration.ofDays(90);
  Duration roomWindow = Duration.ofHours(24);
  List<Policy> policyPack;
  final Map<String, Duration> strikeTtls = new HashMap<>();
  int profilePhotoDistance = HashBanks.DEFAULT_PDQ_DISTANCE;

  PolicyConfig policyConfig;
  int textScanChars = IdentifyingDetails.DEFAULT_MAX_SCAN_CHARS;
  final List<dev.haetae.moderation.api.observe.EngineListener> listeners = new ArrayList<>();
  java.util.function.LongSupplier stageClock = System::nanoTime;

  ModerationEngineBuilder() {}

  /**
   * Replaces the built-in policy pack (e.g. with {@code PolicyConfig.builtIn()}). The pack runs
   * on the caller's thread, like the default one, so only pure, fast, trusted policies belong in
   * it; plugins go to {@link #policies}. Ignored when {@link #defaultPolicies(boolean)} is false.
   * Default: {@link PolicyPack#defaults()}.
   *
   * @param value the policies, in evaluation order; not null, no null elements; copied
   * @return this builder
   * @since 0.1
   */
  public ModerationEngineBuilder policyPack(List<Policy> value) {
    this.policyPack = List.copyOf(value);
    return this;
  }

  /**
   * How long a strike counts when the removal that caused it was justified by the named policy
   * (the longest applies when several were). Policies not named use {@link #strikeTtl(Duration)}.
   *
   * @param policy the policy name, e.g. {@code "csam"}; not null
   * @param value positive; not null
   * @return this builder
   * @since 0.1
   */
  public ModerationEngineBuilder strikeTtl(String policy, Duration value) {
    Objects.requireNonNull(policy, "policy");
    Objects.requireNonNull(value, "strikeTtl");
    if (value.isNegative() || value.isZero()) {
      throw new ConfigurationException("strikeTtl for " + policy + " must be positive, got " + value);
    }
    strikeTtls.put(policy, value);
    return this;
  }

  /**
   * The largest PDQ distance at which a post counts as a copy of a protected profile photo.
   * Default {@link HashBanks#DEFAULT_PDQ_DISTANCE}.
   *
   * @param value 0..255
   * @return this builder
   * @since 0.1
   */
  public ModerationEngineBuilder profilePhotoDistance(int value) {
    if (value < 0 || value > 255) {
      throw new ConfigurationException("profilePhotoDistance must be 0..255, got " + value);
    }
    this.profilePhotoDistance = value;
    return this;
  }

  /**
   * The clock all evidence is stamped with. Default: the system UTC clock. Tests and simulations
   * inject their own.
   *
   * @param value the clock; not null
   * @return this builder
   */
  public ModerationEngineBuilder clock(Clock value) {
    this.clock = Objects.requireNonNull(value, "clock");
    return this;
  }

  /**
   * Input limits. Default {@link Limits#defaults()}.
   *
   * @param value the limits; not null
   * @return this builder
   */
  public ModerationEngineBuilder limits(Limits value) {
    this.limits = Objects.requireNonNull(value, "limits");
    return this;
  }

  /**
   * Whether uploaded baseline colour JPEGs of 512 to 1023 px are hashed from the project's own
   * half-scale decode (default true). About half the CPU of fingerprinting such an image, with
   * no measured loss of recall on the shared re-share corpus; see
   * {@code ImageHasher.Builder#halfScaleJpeg(boolean)} and the fingerprints guide.
   *
   * @param on true (the default) to use the half-scale decoder where it applies, false to decode
   *     those JPEGs with ImageIO
   * @return this builder
   * @since 0.2
   */
  public ModerationEngineBuilder halfScaleJpeg(boolean on) {
    this.halfScaleJpeg = on;
    return this;
  }

  /**
   * The hash banks to match against. Default: empty in-memory banks.
   *
   * @param value the banks; not null
   * @return this builder
   */
  public ModerationEngineBuilder banks(HashBanks value) {
    this.banks = Objects.requireNonNull(value, "banks");
    return this;
  }

  /**
   * Adds enforcing policies, evaluated after the built-in pack (unless disabled).
   *
   * @param values the policies; not null, no null elements
   * @return this builder
   */
  public ModerationEngineBuilder policies(Policy... values) {
    for (Policy p : values) {
      policies.add(Objects.requireNonNull(p, "policy"));
    }
    return this;
  }

  /**
   * Adds a policy in shadow mode: evaluated and recorded in every decision, never enforced.
   *
   * @param value the policy; not null
   * @return this builder
   */
  public ModerationEngineBuilder shadowPolicy(Policy value) {
    shadowPolicies.add(Objects.requireNonNull(value, "policy"));
    return this;
  }

  /**
   * Whether to include the built-in {@link PolicyPack#defaults() policy pack}. Default true.
   *
   * @param value whether to include it
   * @return this builder
   */
  public ModerationEngineBuilder defaultPolicies(boolean value) {
    this.defaultPolicies = value;
    return this;
  }

  /**
   * Whether to discover {@link Policy} plugins with {@link ServiceLoader}, and from which class
   * loader. Default: off (since 0.2; before, discovery was on, so that any jar on the classpath
   * carrying {@code META-INF/services} enforced). A discovered plugin enforces, unless the
   * {@link #policyConfig policy configuration} names its class as a shadow policy: then it only
   * shadows. A provider that fails to load is reported (see {@link ModerationEngine#pluginFailures()})
   * and skipped.
   *
   * @param enabled whether to discover plugins
   * @param loader the class loader to search, or null for the system class loader
   * @return this builder
   */
  public ModerationEngineBuilder serviceLoader(boolean enabled, ClassLoader loader) {
    this.useServiceLoader = enabled;
    this.serviceLoader = loader;
    return this;
  }

  /**
   * The decision log. Default: a file log in {@link #logDirectory(Path)} or a temporary directory.
   *
   * @param value the log; not null; the engine does not close a log it was given
   * @return this builder
   */
  public ModerationEngineBuilder decisionLog(DecisionLog value) {
    this.decisionLog = Objects.requireNonNull(value, "decisionLog");
    return this;
  }

  /**
   * The directory of the default file decision log. Default: a new temporary directory.
   *
   * @param value the directory, created if missing; not null
   * @return this builder
   */
  public ModerationEngineBuilder logDirectory(Path value) {
    this.logDirectory = Objects.requireNonNull(value, "logDirectory");
    return this;
  }

  /**
   * The pseudonymizer of the default decision log. Default: HMAC-SHA-256 with an ephemeral key.
   *
   * @param value the pseudonymizer; not null
   * @return this builder
   */
  public ModerationEngineBuilder pseudonymizer(Pseudonymizer value) {
    this.pseudonymizer = Objects.requireNonNull(value, "pseudonymizer");
    return this;
  }

  /**
   * The host's executor of decisions. Default: does nothing.
   *
   * @param value the executor; not null
   * @return this builder
   */
  public ModerationEngineBuilder actionExecutor(ActionExecutor value) {
    this.executor = Objects.requireNonNull(value, "actionExecutor");
    return this;
  }

  /**
   * Adds a host signal provider.
   *
   * @param value the provider; not null
   * @return this builder
   */
  public ModerationEngineBuilder signalProvider(SignalProvider value) {
    providers.add(Objects.requireNonNull(value, "signalProvider"));
    return this;
  }

  /**
   * Adds an external matcher: a matcher Haetae cannot compute (a certified filter, TMK+PDQF, vPDQ, a
   * vendor's API), called on content events within its time budget; its hits reach the policies as
   * {@link dev.haetae.moderation.api.Signal.ExternalMatch} evidence. See {@link ExternalMatcher}.
   *
   * @param value the matcher; not null
   * @return this builder
   * @since 0.2
   */
  public ModerationEngineBuilder externalMatcher(ExternalMatcher value) {
    matchers.add(Objects.requireNonNull(value, "externalMatcher"));
    return this;
  }

  /**
   * The reputation store. Default: in memory.
   *
   * @param value the store; not null
   * @return this builder
   */
  public ModerationEngineBuilder reputationStore(ReputationStore value) {
    this.reputationStore = Objects.requireNonNull(value, "reputationStore");
    return this;
  }

  /**
   * The reputation model. Default {@link ReputationModel#defaults()}.
   *
   * @param value the model; not null
   * @return this builder
   */
  public ModerationEngineBuilder reputationModel(ReputationModel value) {
    this.reputationModel = Objects.requireNonNull(value, "reputationModel");
    return this;
  }

  /**
   * The obligation store. Default: in memory.
   *
   * @param value the store; not null
   * @return this builder
   */
  public ModerationEngineBuilder obligationStore(ObligationStore value) {
    this.obligationStore = Objects.requireNonNull(value, "obligationStore");
    return this;
  }

  /**
   * The evidence hold store: where the holds placed on removal under a preservation duty are kept,
   * and what {@link ModerationEngine#holds()} returns. Default: a new in-memory {@link
   * dev.haetae.moderation.core.legal.EvidenceHolds} per engine. Deployments of many instances pass a shared store (e.g. the
   * PostgreSQL one), so that a hold placed by one instance binds every instance and each ended
   * hold reaches the {@link #holdListener hold listener} of exactly one instance.
   *
   * @param value the store; not null
   * @return this builder
   * @throws NullPointerException when {@code value} is null
   * @since 0.1
   */
  public ModerationEngineBuilder evidenceHoldStore(EvidenceHoldStore value) {
    this.evidenceHoldStore = Objects.requireNonNull(value, "evidenceHoldStore");
    return this;
  }

  /**
   * Where strikes are kept. Default: in memory, bounded like the engine's other state. A
   * deployment of several instances sets a shared store (e.g. {@code
   * HaetaePostgres.strikeStore()}) so that a strike recorded by one instance counts on all of
   * them: otherwise each instance counts only the removals it made itself.
   *
   * @param value the store; not null
   * @return this builder
   * @throws NullPointerException when {@code value} is null
   */
  public ModerationEngineBuilder strikeStore(StrikeStore value) {
    this.strikeStore = Objects.requireNonNull(value, "strikeStore");
    return this;
  }

  /**
   * The jurisdiction profiles. Default {@link JurisdictionProfiles#bundled()}.
   *
   * @param value the profiles; not null
   * @return this builder
   */
  public ModerationEngineBuilder jurisdictionProfiles(JurisdictionProfiles value) {
    this.profiles = Objects.requireNonNull(value, "profiles");
    return this;
  }

  /**
   * Fractions of an obligation's time at which it escalates. Default 0.5 and 0.8.
   *
   * @param fractions ascending, within (0, 1)
   * @return this builder
   */
  public ModerationEngineBuilder escalateAt(double... fractions) {
    this.escalateAt = fractions.clone();
    return this;
  }

  /**
   * Receives obligation events (opened, escalated, breached, fulfilled, closed). Called on the
   * thread that caused them; exceptions are logged and ignored. Default: ignores them.
   *
   * @param value the listener; not null
   * @return this builder
   */
  public ModerationEngineBuilder obligationListener(Consumer<ObligationEvent> value) {
    this.obligationListener = Objects.requireNonNull(value, "obligationListener");
    return this;
  }

  /**
   * Receives evidence holds as they expire (during {@link ModerationEngine#tick()}), e.g. to let
   * the host delete removed content for good once {@link EvidenceHoldStore#mayDelete} agrees. Called
   * on the ticking thread; exceptions are logged and ignored. Default: ignores them.
   *
   * @param value the listener; not null
   * @return this builder
   */
  public ModerationEngineBuilder holdListener(Consumer<EvidenceHold> value) {
    this.holdListener = Objects.requireNonNull(value, "holdListener");
    return this;
  }

  /**
   * The appeal instrument for decisions that no notice instrument governs (or whose instrument
   * names none). Default {@code PLATFORM-APPEAL} (six months, the DSA Art. 20 minimum).
   *
   * @param instrumentId the id of an appeal entry of the jurisdiction profiles; not null
   * @return this builder
   */
  public ModerationEngineBuilder defaultAppealInstrument(String instrumentId) {
    this.defaultAppeal = Objects.requireNonNull(instrumentId, "instrumentId");
    return this;
  }

  /**
   * Runs a reporter-notification clock on every user report about content: the report opens an
   * obligation under the given instrument (the bundled {@code KR-TBA-22-5-REPORT}: Korea's 14 days
   * to tell the reporter the outcome), one per reporter and content, escalated and breached by
   * {@code tick()} like the others, and fulfilled by the review verdict on the content. The
   * verdict's decision does not itself carry a notice to the reporters: the host tells them the
   * outcome when it carries the verdict out. Set it when the platform serves users under that law.
   * Default: none.
   *
   * @param instrumentId the id of a notice entry of the jurisdiction profiles whose duties include
   *     review but neither remove nor disable; not null
   * @return this builder
   * @since 0.2
   */
  public ModerationEngineBuilder reportOutcomeClock(String instrumentId) {
    this.reportClock = Objects.requireNonNull(instrumentId, "instrumentId");
    return this;
  }

  /**
   * Runs the legal clock on a built-in daemon thread: {@link ModerationEngine#tick()} every
   * {@code period}, with the engine's clock. Default: off (the host calls {@code tick()}).
   * {@link ModerationEngine#close()} stops it.
   *
   * @param period positive; not null
   * @return this builder
   */
  public ModerationEngineBuilder tickEvery(Duration period) {
    this.tickEvery = Objects.requireNonNull(period, "period");
    return this;
  }

  /**
   * How policies are isolated. Default {@link PolicyIsolation#THREADS}.
   *
   * @param value the isolation; not null
   * @return this builder
   */
  public ModerationEngineBuilder policyIsolation(PolicyIsolation value) {
    this.isolation = Objects.requireNonNull(value, "policyIsolation");
    return this;
  }

  /**
   * When a plugin (policy or signal provider) that keeps timing out is tripped, and for how long:
   * after {@code timeouts} time-outs in a row it is not called for {@code coolDown} (by the engine's
   * clock), its fail mode applying at once and its failure recorded as {@code tripped}; then one
   * probe call is let through, which re-admits it if it finishes within its budget and trips it
   * again otherwise. Only with {@link PolicyIsolation#THREADS}. Default 3 time-outs, 30 seconds.
   *
   * @param timeouts 1 to 1,000
   * @param coolDown positive, at most one day; not null
   * @return this builder
   * @throws ConfigurationException when out of range
   * @throws NullPointerException when {@code coolDown} is null
   * @since 0.2
   */
  public ModerationEngineBuilder policyBreaker(int timeouts, Duration coolDown) {
    Objects.requireNonNull(coolDown, "coolDown");
    if (timeouts < 1 || timeouts > 1000) {
      throw new ConfigurationException("policyBreaker: timeouts must be 1..1000, got " + timeouts);
    }
    if (coolDown.isNegative() || coolDown.isZero() || coolDown.compareTo(Duration.ofDays(1)) > 0) {
      throw new ConfigurationException("policyBreaker: coolDown must be positive and at most a day, got "
          + coolDown);
    }
    this.tripAfter = timeouts;
    this.coolDown = coolDown;
    return this;
  }

  /**
   * The worker threads for plugins: {@code threads} run policies and signal providers, and up to
   * {@code maxStuck} more replace threads held by calls that were abandoned and do not return (code
   * that ignores interrupts); a replacement ends when the stuck call returns. Only with {@link
   * PolicyIsolation#THREADS}. Default: 4 per processor (at least 4), and as many replacements.
   *
   * @param threads 1 to 1,024
   * @param maxStuck 0 to 1,024
   * @return this builder
   * @throws ConfigurationException when out of range
   * @since 0.2
   */
  public ModerationEngineBuilder policyThreads(int threads, int maxStuck) {
    if (threads < 1 || threads > 1024) {
      throw new ConfigurationException("policyThreads: threads must be 1..1024, got " + threads);
    }
    if (maxStuck < 0 || maxStuck > 1024) {
      throw new ConfigurationException("policyThreads: maxStuck must be 0..1024, got " + maxStuck);
    }
    this.maxPolicyThreads = threads;
    this.maxStuckThreads = maxStuck;
    return this;
  }

  /**
   * How long a strike counts against an account. Default 90 days.
   *
   * @param value positive; not null
   * @return this builder
   */
  public ModerationEngineBuilder strikeTtl(Duration value) {
    this.strikeTtl = Objects.requireNonNull(value, "strikeTtl");
    return this;
  }

  /**
   * The window in which bank matches in one room are counted. Default 24 hours.
   *
   * @param value positive; not null
   * @return this builder
   */
  public ModerationEngineBuilder roomWindow(Duration value) {
    this.roomWindow = Objects.requireNonNull(value, "roomWindow");
    return this;
  }

  /**
   * Configures the policies from a {@link PolicyConfig}: the built-in pack with its parameters,
   * the extra enforcing classes, the shadow policies, the strike periods, the room window, the
   * profile-photo distance and the caption scan limit. The configuration is recorded in the decision log when the engine
   * starts, so that replay rebuilds the same policies from the log alone. Replaces what {@link
   * #policyPack}, {@link #shadowPolicy}, {@link #strikeTtl(String, Duration)}, {@link #roomWindow}
   * and {@link #profilePhotoDistance} set before; policies added with {@link #policies} stay.
   *
   * @param value the configuration; not null
   * @return this builder
   * @throws NullPointerException when {@code value} is null
   * @since 0.2
   */
  public ModerationEngineBuilder policyConfig(PolicyConfig value) {
    this.policyConfig = Objects.requireNonNull(value, "policyConfig");
    this.policyPack = value.builtIn();
    this.configExtra = value.extra();
    this.shadowPolicies.clear();
    this.shadowPolicies.addAll(value.shadow());
    this.strikeTtls.clear();
    for (Map.Entry<String, Duration> e : value.strikeTtls().entrySet()) {
      if (e.getKey().equals("default")) {
        this.strikeTtl = e.getValue();
      } else {
        this.strikeTtls.put(e.getKey(), e.getValue());
      }
    }
    this.roomWindow = value.roomWindow();
    this.profilePhotoDistance = value.profilePhotoDistance();
    this.textScanChars = value.textScanChars();
    return this;
  }

  /**
   * Sets every shared store at once, e.g. {@code HaetaePostgres.stores()}: the four stores, the
   * engine's memory and where its bank of removed content is shared. Default: in-memory
   * stores, as {@link Stores#inMemory()} gives.
   *
   * @param value the stores; not null
   * @return this builder
   * @throws NullPointerException when {@code value} is null
   * @since 0.2
   */
  public ModerationEngineBuilder stores(Stores value) {
    Objects.requireNonNull(value, "stores");
    this.reputationStore = value.reputation();
    this.obligationStore = value.obligations();
    this.evidenceHoldStore = value.holds();
    this.strikeStore = value.strikes();
    this.memory = value.memory();
    this.platformBank = value.platformBank();
    return this;
  }

  /**
   * How many characters of a caption the engine scans for identifying details before the caption
   * is masked for the log (see {@link IdentifyingDetails}). Default {@value
   * IdentifyingDetails#DEFAULT_MAX_SCAN_CHARS}.
   *
   * @param value 16 to 1,000,000
   * @return this builder
   * @throws ConfigurationException when out of range
   * @since 0.2
   */
  public ModerationEngineBuilder textScanChars(int value) {
    if (value < 16 || value > 1_000_000) {
      throw new ConfigurationException("textScanChars must be 16..1000000, got " + value);
    }
    this.textScanChars = value;
    return this;
  }

  /**
   * Adds a listener told of every evaluation (stage timings, decision, policy failures), failed
   * evaluation, bank change and obligation event: the hook for metrics and traces (see {@code
   * moderation-micrometer}). Several calls add several listeners, called in order (see {@link
   * dev.haetae.moderation.api.observe.EngineListener#composite}). A listener's exception is caught
   * and counted ({@link ModerationEngine#listenerFailures()}), never fails a decision. Without a
   * listener (or with only {@link dev.haetae.moderation.api.observe.EngineListener#NONE}) the engine
   * measures nothing.
   *
   * @param value the listener; not null
   * @return this builder
   * @throws ConfigurationException when {@code value} is null
   * @since 0.2
   */
  public ModerationEngineBuilder listener(dev.haetae.moderation.api.observe.EngineListener value) {
    if (value == null) {
      throw new ConfigurationException("listener must not be null");
    }
    if (value != dev.haetae.moderation.api.observe.EngineListener.NONE) {
      listeners.add(value);
    }
    return this;
  }

  /**
   * The clock the stage timings of each evaluation are read from, in nanoseconds (see {@link
   * dev.haetae.moderation.api.observe.Evaluation#nanos}); by default {@link System#nanoTime()},
   * the time that passed. A benchmark passes the evaluating thread's CPU time (for instance {@code
   * ManagementFactory.getThreadMXBean()::getCurrentThreadCpuTime}) to split the CPU of a decision
   * by stage on a busy machine, where the time that passed also counts other processes. The clock
   * is read on the evaluating thread, once as an evaluation starts and once per stage, and only
   * when the engine has a {@link #listener listener}; it must be thread-safe. A reading that
   * throws or goes backwards gives its stage zero; it never fails an evaluation.
   *
   * @param value the clock; not null
   * @return this builder
   * @throws ConfigurationException when {@code value} is null
   * @since 0.5
   */
  public ModerationEngineBuilder stageClock(java.util.function.LongSupplier value) {
    if (value == null) {
      throw new ConfigurationException("stageClock must not be null");
    }
    this.stageClock = value;
    return this;
  }

  /**
   * Builds the engine.
   *
   * @return a new engine; close it when done
   * @throws ConfigurationException when settings contradict each other
   */
  public ModerationEngine build() {
    if (decisionLog != null && logDirectory != null) {
      throw new ConfigurationException("set either decisionLog or logDirectory, not both");
    }
    if (strikeTtl.isNegative() || strikeTtl.isZero()) {
      throw new ConfigurationException("strikeTtl must be positive, got " + strikeTtl);
    }
    if (roomWindow.isNegative() || roomWindow.isZero()) {
      throw new ConfigurationException("roomWindow must be positive, got " + roomWindow);
    }
    // the profiles are read and the obligation service checked once, here, before anything is opened
    JurisdictionProfiles resolved = profiles == null ? JurisdictionProfiles.bundled() : profiles;
    Obligations obligations;
    try {
      obligations = new Obligations(resolved,
          obligationStore == null ? new InMemoryObligationStore() : obligationStore, escalateAt);
    } catch (IllegalArgumentException e) {
      throw new ConfigurationException("escalateAt: " + e.getMessage(), e);
    }
    Instrument appeal = appealInstrument(resolved, defaultAppeal);
    if (reportClock != null) {
      Optional<Instrument> i = resolved.instrument(reportClock);
      if (i.isEmpty() || !Obligations.isReportClock(i.get())) {
        throw new ConfigurationException("reportOutcomeClock: '" + reportClock + "' is not a notice entry of the"
            + " jurisdiction profiles whose duties include review but neither remove nor disable");
      }
      reportClockInstrument = i;
    }
    if (tickEvery != null && (tickEvery.isNegative() || tickEvery.isZero())) {
      throw new ConfigurationException("tickEvery must be positive, got " + tickEvery);
    }
    Set<dev.haetae.moderation.api.PolicyId> seen = new HashSet<>();
    for (Policy p : shadowPolicies) {
      if (!seen.add(Decider.idOf(p))) {
        throw new ConfigurationException("shadow policy " + Decider.idOf(p) + " is registered twice");
      }
    }
    for (Policy p : policies) {
      checkBudget(p);
    }
    for (Policy p : configExtra) {
      checkBudget(p);
    }
    for (Policy p : shadowPolicies) {
      checkBudget(p);
    }
    Set<String> providerIds = new HashSet<>();
    List<HostSignals.Entry> entries = new ArrayList<>(providers.size());
    for (SignalProvider p : providers) {
      entries.add(HostSignals.register(p, providerIds));
    }
    Set<String> matcherIds = new HashSet<>();
    for (ExternalMatcher m : matchers) {
      entries.add(HostSignals.register(m, matcherIds));
    }
    this.providerEntries = entries;
    List<Policy> loaded = new ArrayList<>();
    List<String> failures = new ArrayList<>();
    if (useServiceLoader) {
      loadPlugins(loaded, failures);
    }
    return new ModerationEngine(this, loaded, failures, obligations, appeal);
  }

  /**
   * Refuses a plugin policy whose time budget is null, not positive, over one minute or unreadable:
   * isolation cannot guard with such a budget (a null one used to escape as a NullPointerException
   * from evaluate, an absurd one as an ArithmeticException).
   */
  private static void checkBudget(Policy p) {
    Duration d;
    try {
      d = p.timeBudget();
    } catch (RuntimeException | StackOverflowError | LinkageError e) {
      throw new ConfigurationException("policy " + Decider.idOf(p) + ": timeBudget() failed: " + e, e);
    }
    if (d == null) {
      throw new ConfigurationException("policy " + Decider.idOf(p) + ": timeBudget() returned null");
    }
    HostSignals.checkBudget("policy " + Decider.idOf(p), d);
  }

  private static Instrument appealInstrument(JurisdictionProfiles profiles, String id) {
    Optional<Instrument> i = profiles.instrument(id);
    if (i.isEmpty() || i.get().kind() != Instrument.Kind.APPEAL) {
      throw new ConfigurationException("defaultAppealInstrument: '" + id
          + "' is not an appeal entry of the jurisdiction profiles");
    }
    return i.get();
  }

  private Set<String> shadowClasses() {
    Set<String> out = new HashSet<>();
    for (Policy p : shadowPolicies) {
      out.add(p.getClass().getName());
    }
    return out;
  }

  private void loadPlugins(List<Policy> loaded, List<String> failures) {
    Iterator<Policy> it = ServiceLoader.load(Policy.class, serviceLoader).iterator();
    while (true) {
      try {
        if (!it.hasNext()) {
          break;
        }
        Policy p = it.next();
        if (shadowClasses().contains(p.getClass().getName())) {
          // configuration, not the classpath, gives a policy its role: named as shadow, it only shadows
          LOG.info("policy plugin {} ({}) is configured as a shadow policy; it does not enforce", Decider.idOf(p),
              p.getClass().getName());
          continue;
        }
        try {
          checkBudget(p);
        } catch (ConfigurationException e) {
          String msg = "policy plugin " + p.getClass().getName() + " was skipped: " + e.getMessage();
          LOG.error(msg);
          failures.add(msg);
          continue;
        }
        loaded.add(p);
        LOG.info("loaded policy plugin {} ({})", Decider.idOf(p), p.getClass().getName());
      } catch (ServiceConfigurationError | RuntimeException | LinkageError e) {
        String msg = "policy plugin failed to load and was skipped: " + e;
        LOG.error(msg);
        failures.add(msg);
      }
    }
  }
}
