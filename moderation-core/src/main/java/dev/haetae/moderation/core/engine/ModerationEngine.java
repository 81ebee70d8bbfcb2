package dev.haetae.moderation.core.engine;

import dev.haetae.moderation.api.AccountEvent;
import dev.haetae.moderation.api.AccountId;
import dev.haetae.moderation.api.Appeal;
import dev.haetae.moderation.api.Action;
import dev.haetae.moderation.api.ActionExecutionException;
import dev.haetae.moderation.api.Category;
import dev.haetae.moderation.api.ConfigurationException;
import dev.haetae.moderation.api.ContentEvent;
import dev.haetae.moderation.api.ContentId;
import dev.haetae.moderation.api.ContentKind;
import dev.haetae.moderation.api.Decision;
import dev.haetae.moderation.api.DecisionId;
import dev.haetae.moderation.api.DecisionLogException;
import dev.haetae.moderation.api.Evidence;
import dev.haetae.moderation.api.Fingerprints;
import dev.haetae.moderation.api.LegalNotice;
import dev.haetae.moderation.api.InvalidRequestException;
import dev.haetae.moderation.api.Limits;
import dev.haetae.moderation.api.ModerationException;
import dev.haetae.moderation.api.ModerationRequest;
import dev.haetae.moderation.api.ObligationEvent;
import dev.haetae.moderation.api.Reason;
import dev.haetae.moderation.api.ReviewOutcome;
import dev.haetae.moderation.api.Signal;
import dev.haetae.moderation.api.StoreUnavailableException;
import dev.haetae.moderation.api.Target;
import dev.haetae.moderation.api.UserReport;
import dev.haetae.moderation.api.Verdict;
import dev.haetae.moderation.api.spi.ActionExecutor;
import dev.haetae.moderation.api.spi.DecisionLog;
import dev.haetae.moderation.api.spi.EvidenceHold;
import dev.haetae.moderation.api.spi.EvidenceHoldStore;
import dev.haetae.moderation.api.spi.StrikeStore;
import dev.haetae.moderation.api.spi.ObligationRecord;
import dev.haetae.moderation.api.spi.ObligationStore;
import dev.haetae.moderation.api.spi.Policy;
import dev.haetae.moderation.api.spi.Pseudonymizer;
import dev.haetae.moderation.api.spi.ReputationStore;
import dev.haetae.moderation.api.spi.SignalProvider;
import dev.haetae.moderation.core.audit.DecisionLogs;
import dev.haetae.moderation.core.audit.Pseudonymizers;
import dev.haetae.moderation.core.hash.HashBanks;
import dev.haetae.moderation.core.hash.ImageHasher;
import dev.haetae.moderation.core.legal.Compliance;
import dev.haetae.moderation.core.legal.EvidenceHolds;
import dev.haetae.moderation.core.legal.Instrument;
import dev.haetae.moderation.core.legal.JurisdictionProfiles;
import dev.haetae.moderation.core.legal.Obligations;
import dev.haetae.moderation.core.policy.PolicyPack;
import dev.haetae.moderation.core.reputation.ReportContext;
import dev.haetae.moderation.core.reputation.ReportIntake;
import dev.haetae.moderation.core.reputation.ReputationModel;
import dev.haetae.moderation.core.store.InMemoryObligationStore;
import dev.haetae.moderation.core.store.InMemoryReputationStore;
import dev.haetae.moderation.core.store.InMemoryStrikeStore;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
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
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The moderation engine: the one door through which a messenger backend hands uploads, forwards,
 * reports, legal notices, review outcomes and appeals, and gets back a {@link Decision} it can
 * execute, explain and defend.
 *
 * <p>Each {@link #evaluate} call runs the pipeline:
 *
 * <ol>
 *   <li><b>validate</b> the request against the engine's {@link Limits};
 *   <li><b>fingerprint</b> content bytes (SHA-256, MD5; PDQ with re-share variants for images) when
 *       the host did not supply fingerprints;
 *   <li>gather <b>signals</b>: hash-bank matches, weighed reports, notice validation and open
 *       obligations, account standing, room activity, host signal providers;
 *   <li>freeze them in one immutable {@link Evidence} with the instant from the injected clock and
 *       the versions of everything that contributed;
 *   <li>run every <b>policy</b> with isolation (a throwing, null-returning, slow or unjustified
 *       policy is recorded as a failure and its fail mode applies) and shadow policies alongside;
 *       the built-in pack, which is pure and fast, runs on the caller's thread, and registered,
 *       plugin and shadow policies run as {@link PolicyIsolation} says;
 *   <li><b>combine</b> the outcomes into one decision (see {@link Decider});
 *   <li><b>record</b> evidence and decision in the {@link DecisionLog}, durably, before anything is
 *       acted on;
 *   <li>update state (removed content, strikes, fulfilled obligations, the platform's own bank) and
 *       hand the decision to the host's {@link ActionExecutor}.
 * </ol>
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
  private final List<Policy> builtIn;
  private final List<Policy> plugins;
  private final List<Policy> enforcing;
  private final PolicyRunner inline = PolicyRunner.inline();
  private final List<Policy> shadow;
  private final PolicyRunner runner;
  private final ExecutorService pool;
  private final DecisionLog log;
  private final boolean ownsLog;
  private final Path logDirectory;
  private final ActionExecutor executor;
  private final List<SignalProvider> providers;
  private final ReputationStore reputation;
  private final ReputationModel reputationModel;
  private final Obligations obligations;
  private final Consumer<ObligationEvent> obligationListener;
  private final Consumer<EvidenceHold> holdListener;
  private final EvidenceHoldStore holds;
  private final StrikeStore strikes;
  private final Instrument defaultAppeal;
  private final ScheduledExecutorService legalClock;
  private final ContentLedger ledger;
  private final Map<String, Duration> strikeTtls;
  private final ProtectedPhotos protectedPhotos;
  private final List<String> pluginFailures;
  private final String idPrefix;
  private final AtomicLong sequence = new AtomicLong();

  private ModerationEngine(Builder b, List<Policy> loaded, List<String> pluginFailures, Obligations obligations,
      Instrument defaultAppeal) {
    this.clock = b.clock;
    this.imageHasher = ImageHasher.builder().limits(b.limits).build();
    this.validator = new RequestValidator(b.limits);
    this.banks = b.banks == null ? HashBanks.inMemory() : b.banks;
    this.builtIn = !b.defaultPolicies ? List.of() : b.policyPack != null ? b.policyPack : PolicyPack.defaults();
    List<Policy> plugins = new ArrayList<>(b.policies);
    plugins.addAll(loaded);
    this.plugins = List.copyOf(plugins);
    List<Policy> all = new ArrayList<>(builtIn);
    all.addAll(plugins);
    this.enforcing = List.copyOf(all);
    this.shadow = List.copyOf(b.shadowPolicies);
    this.pluginFailures = List.copyOf(pluginFailures);
    if (b.isolation == PolicyIsolation.THREADS) {
      AtomicInteger n = new AtomicInteger();
      // core = max with core time-out: a ThreadPoolExecutor only grows past its core size when its
      // queue is full, so a core size of 0 would run every policy on one thread, one after another.
      ThreadPoolExecutor tpe = new ThreadPoolExecutor(b.maxPolicyThreads, b.maxPolicyThreads, 30, TimeUnit.SECONDS,
          new LinkedBlockingQueue<>(b.maxPolicyThreads * 64), r -> {
            Thread t = new Thread(r, "haetae-policy-" + n.incrementAndGet());
            t.setDaemon(true);
            return t;
          });
      tpe.allowCoreThreadTimeOut(true);
      this.pool = tpe;
      this.runner = PolicyRunner.isolated(tpe);
    } else {
      this.pool = null;
      this.runner = PolicyRunner.inline();
    }
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
    this.executor = b.executor;
    this.providers = List.copyOf(b.providers);
    this.reputation = b.reputationStore == null ? new InMemoryReputationStore() : b.reputationStore;
    this.reputationModel = b.reputationModel;
    this.obligations = obligations;
    this.obligationListener = b.obligationListener;
    this.holdListener = b.holdListener;
    this.holds = b.evidenceHoldStore == null ? new EvidenceHolds() : b.evidenceHoldStore;
    this.strikes = b.strikeStore == null ? new InMemoryStrikeStore(b.ledgerSize) : b.strikeStore;
    this.defaultAppeal = defaultAppeal;
    this.ledger = new ContentLedger(b.ledgerSize, b.strikeTtl, b.roomWindow);
    if (b.tickEvery != null) {
      this.legalClock = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "haetae-legal-clock");
        t.setDaemon(true);
        return t;
      });
      long ms = Math.max(1, b.tickEvery.toMillis());
      legalClock.scheduleWithFixedDelay(this::scheduledTick, ms, ms, TimeUnit.MILLISECONDS);
    } else {
      this.legalClock = null;
    }
    this.strikeTtls = Map.copyOf(b.strikeTtls);
    this.protectedPhotos = new ProtectedPhotos(b.profilePhotoDistance);
    byte[] r = new byte[4];
    new SecureRandom().nextBytes(r);
    this.idPrefix = String.format("%02x%02x%02x%02x", r[0], r[1], r[2], r[3]);
  }

  /**
   * A builder with the embedded defaults.
   *
   * @return a new builder
   */
  public static Builder builder() {
    return new Builder();
  }

  /**
   * Decides one request: runs the whole pipeline, logs the decision durably, then hands it to the
   * action executor.
   *
   * @param request the request; not null
   * @return the decision; never null
   * @throws dev.haetae.moderation.api.InvalidRequestException when the request is malformed or over
   *     a limit (nothing is stored, logged or acted on)
   * @throws DecisionLogException when the decision could not be logged (it is not acted on)
   * @throws ActionExecutionException when the host's executor failed (the decision is logged and
   *     attached, so its actions can be retried)
   */
  public Decision evaluate(ModerationRequest request) {
    validator.check(request);
    Instant now = clock.instant();
    List<Signal> signals = new ArrayList<>(4);
    ModerationRequest req = fingerprint(request, signals);
    Map<String, String> versions = new HashMap<>();
    List<ObligationEvent> events = new ArrayList<>(0);
    gather(req, now, signals, versions, events);
    for (SignalProvider p : providers) {
      try {
        List<Signal> s = p.signals(req, now);
        if (s != null) {
          signals.addAll(s);
        }
        versions.put("provider:" + p.id(), p.version());
      } catch (RuntimeException e) {
        LOG.warn("signal provider {} failed; evaluating without its signals", p.id(), e);
        versions.put("provider:" + p.id(), "failed");
      }
    }
    Evidence evidence = new Evidence(now, req, signals, versions);
    DecisionId id = DecisionId.of(idPrefix + "-" + sequence.getAndIncrement());
    List<PolicyRunner.Result> results = new ArrayList<>(enforcing.size());
    results.addAll(inline.run(builtIn, evidence));
    results.addAll(runner.run(plugins, evidence));
    Decision decision = Decider.assemble(id, evidence, results, runner.run(shadow, evidence));
    try {
      log.append(evidence, decision);
    } catch (DecisionLogException e) {
      throw e;
    } catch (RuntimeException e) {
      throw new DecisionLogException("the decision log failed to record decision " + id, e);
    }
    try {
      apply(req, evidence, decision, now, events);
      settleReport(evidence, decision, now);
    } catch (StoreUnavailableException e) {
      throw new StoreUnavailableException(
          "decision " + id + " was logged, but recording its effects in a shared store failed, so"
              + " it was not handed to the action executor: " + e.getMessage(), e);
    }
    for (ObligationEvent e : events) {
      notifyListener(e);
    }
    try {
      executor.execute(request, decision);
    } catch (RuntimeException e) {
      throw new ActionExecutionException(decision, e);
    }
    return decision;
  }

  /**
   * Advances legal clocks to the engine clock's instant: fires due escalations and records
   * breaches. Hosts call this periodically (e.g. every few seconds); it costs in proportion to what
   * is due.
   *
   * @return the obligation events, also delivered to the obligation listener; never null
   */
  public List<ObligationEvent> tick() {
    return tick(clock.instant());
  }

  /**
   * Advances legal clocks to a given instant: fires due escalations, records breaches, and expires
   * evidence holds that have ended (delivered to the hold listener). For hosts and simulations that
   * drive time themselves; {@code now} should not go backwards (an earlier instant simply finds
   * nothing due).
   *
   * @param now the instant to advance to; not null
   * @return the obligation events, also delivered to the obligation listener; never null
   */
  public List<ObligationEvent> tick(Instant now) {
    Objects.requireNonNull(now, "now");
    List<ObligationEvent> events = obligations.tick(now);
    for (ObligationEvent e : events) {
      notifyListener(e);
    }
    for (EvidenceHold h : holds.expire(now)) {
      try {
        holdListener.accept(h);
      } catch (RuntimeException ex) {
        LOG.warn("hold listener failed on {}", h.id(), ex);
      }
    }
    return events;
  }

  /**
   * The evidence holds the engine placed when it removed content under a preservation duty: the
   * store set with {@link Builder#evidenceHoldStore}, or the in-memory {@link EvidenceHolds}. Ask
   * {@link EvidenceHoldStore#mayDelete} before deleting removed content for good.
   *
   * @return the holds; never null
   */
  public EvidenceHoldStore holds() {
    return holds;
  }

  /**
   * The strike store in use: the one set with {@link Builder#strikeStore}, or an in-memory {@link
   * InMemoryStrikeStore}. The engine records a strike when it removes an account's content and
   * clears it when an appeal reverses the removal; the repeat-offender policy sees the live count.
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
    Objects.requireNonNull(notice, "notice");
    return obligations.check(notice, ledger.item(notice.content()).map(ContentLedger.Item::surface));
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

  private static Instrument appealInstrument(JurisdictionProfiles profiles, String id) {
    Optional<Instrument> i = profiles.instrument(id);
    if (i.isEmpty() || i.get().kind() != Instrument.Kind.APPEAL) {
      throw new ConfigurationException("defaultAppealInstrument: '" + id
          + "' is not an appeal entry of the jurisdiction profiles");
    }
    return i.get();
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
   * later {@code profile_photo} event for the same content without {@code protect} does the same.
   *
   * @param owner the account that protected the photo; not null
   * @param photo the photo's content id; not null
   * @return true when the photo was protected
   * @throws InvalidRequestException when an argument is null
   */
  public boolean withdrawProfilePhoto(AccountId owner, ContentId photo) {
    InvalidRequestException.requireNonNull("owner", owner);
    InvalidRequestException.requireNonNull("photo", photo);
    return protectedPhotos.withdraw(owner, photo);
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
    return protectedPhotos.withdrawAll(owner);
  }

  /**
   * The enforcing policies, in evaluation order.
   *
   * @return an unmodifiable list; never null
   */
  public List<Policy> policies() {
    return enforcing;
  }

  /**
   * The shadow policies.
   *
   * @return an unmodifiable list; never null
   */
  public List<Policy> shadowPolicies() {
    return shadow;
  }

  /**
   * Problems met while loading {@link ServiceLoader} policy plugins: each broken provider was
   * reported and skipped, the others loaded.
   *
   * @return one message per failed provider; never null
   */
  public List<String> pluginFailures() {
    return pluginFailures;
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
   * Stops the policy workers and closes the decision log if the engine opened it. Evaluations
   * after close fail.
   */
  @Override
  public void close() {
    if (legalClock != null) {
      legalClock.shutdownNow();
    }
    if (pool != null) {
      pool.shutdownNow();
    }
    if (ownsLog) {
      log.close();
    }
  }

  private void notifyListener(ObligationEvent e) {
    try {
      obligationListener.accept(e);
    } catch (RuntimeException ex) {
      LOG.warn("obligation listener failed on {}", e.type(), ex);
    }
  }

  /**
   * Computes the fingerprints of content bytes the host did not hash itself: SHA-256 and MD5 for
   * every kind, and PDQ (with its re-share query variants) for images and profile photos. An image
   * that cannot be decoded (damaged, unsupported, a decompression bomb) is still matched by its
   * exact digests, and the reason is recorded as a signal, so a broken file cannot slip past
   * exact-hash banks.
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
        signals.add(new Signal.Custom("haetae-hash", "image_not_hashed", Map.of("reason",
            ex.getClass().getSimpleName() + ": " + ex.getMessage())));
      }
    } else {
      computed = Digests.of(e.bytes().get());
    }
    Fingerprints merged = new Fingerprints(have.sha256().or(computed::sha256), have.md5().or(computed::md5),
        have.pdq().or(computed::pdq));
    return e.withFingerprints(merged).withoutBytes();
  }

  private void gather(ModerationRequest req, Instant now, List<Signal> signals, Map<String, String> versions,
      List<ObligationEvent> events) {
    if (req instanceof ContentEvent) {
      ContentEvent e = (ContentEvent) req;
      ContentId cid = e.content().id();
      ledger.remember(cid, new ContentLedger.Item(e.content().fingerprints(), e.account(), e.room(),
          e.content().surface()));
      Optional<Category> pending = ledger.takePendingCopies(cid);
      if (pending.isPresent() && !e.content().fingerprints().isEmpty()) {
        // a notice removed this content before its upload event reached us: block it and its copies now
        blockInPlatformBank(pending.get(), e.content().fingerprints());
      }
      List<Signal.HashMatch> matches = platformFiltered(banks.match(e.content().fingerprints()));
      signals.addAll(matches);
      if (e.content().kind() == ContentKind.PROFILE_PHOTO) {
        // The latest event about a profile photo sets its protection: opting out withdraws it.
        if (e.protect() && e.content().fingerprints().pdq().isPresent()) {
          protectedPhotos.protect(e.account(), cid, e.content().fingerprints().pdq().get());
        } else {
          protectedPhotos.withdraw(e.account(), cid);
        }
      } else {
        signals.addAll(protectedPhotos.match(e.account(), e.content().fingerprints()));
      }
      versions.putAll(banks.versions());
      signals.add(new Signal.AccountStanding(e.account(), strikes.live(e.account(), now), false,
          reputation.reporter(new dev.haetae.moderation.api.ReporterId(e.account().value()))
              .flatMap(r -> r.accountCreated()).map(t -> Duration.between(t, now))));
      if (e.room().isPresent() && !matches.isEmpty()) {
        signals.add(new Signal.RoomActivity(e.room().get(), ledger.roomMatches(e.room().get(), now) + 1,
            ledger.roomWindow()));
      }
      signals.addAll(obligations.signals(cid));
    } else if (req instanceof UserReport) {
      UserReport r = (UserReport) req;
      boolean removed = r.target() instanceof Target.OfContent
          && ledger.isRemoved(((Target.OfContent) r.target()).content());
      Optional<AccountId> owner = r.target() instanceof Target.OfAccount
          ? Optional.of(((Target.OfAccount) r.target()).account())
          : r.target() instanceof Target.OfContent
              ? ledger.item(((Target.OfContent) r.target()).content()).map(ContentLedger.Item::account)
              : Optional.empty();
      ReportIntake intake = reputationModel.intake(r, now, reputation, new ReportContext(removed, owner));
      signals.add(intake.reports());
      signals.add(intake.signal());
      versions.put("reputation", reputationModel.version());
      if (r.target() instanceof Target.OfContent) {
        ContentId cid = ((Target.OfContent) r.target()).content();
        ledger.item(cid).ifPresent(item -> {
          signals.addAll(platformFiltered(banks.match(item.fingerprints())));
          versions.putAll(banks.versions());
        });
        signals.addAll(obligations.signals(cid));
      }
    } else if (req instanceof LegalNotice) {
      LegalNotice n = (LegalNotice) req;
      Obligations.Receipt receipt = obligations.receive(n, ledger.item(n.content()).map(ContentLedger.Item::surface),
          ledger.isRemoved(n.content()), now);
      signals.add(receipt.check());
      signals.add(receipt.toSignal());
      signals.addAll(obligations.signals(n.content()));
      versions.put("jurisdictions", obligations.profiles().version());
      events.addAll(receipt.events());
    } else if (req instanceof Appeal) {
      gatherAppeal((Appeal) req, now, signals, versions, events);
    } else if (req instanceof ReviewOutcome) {
      ReviewOutcome r = (ReviewOutcome) req;
      signals.add(reputationModel.resolution(r, now, reputation));
      versions.put("reputation", reputationModel.version());
      if (r.target() instanceof Target.OfContent) {
        ContentId cid = ((Target.OfContent) r.target()).content();
        List<Signal.Obligation> open = obligations.signals(cid);
        signals.addAll(open);
        for (Signal.Obligation o : open) {
          obligations.appealLink(o.id()).ifPresent(link -> {
            Map<String, String> a = new java.util.LinkedHashMap<>();
            a.put("appeal", link.appealId());
            a.put("decision", link.decision().value());
            a.put("obligation", o.id());
            a.put("instrument", o.instrument());
            a.put("citation", o.citation());
            a.put("restrictive", Boolean.toString(ledger.decision(link.decision())
                .map(ContentLedger.DecisionMemo::restrictive).orElse(true)));
            signals.add(new Signal.Custom(Obligations.PROVIDER, "appeal_review", a));
          });
        }
        versions.put("jurisdictions", obligations.profiles().version());
      }
    } else if (req instanceof AccountEvent) {
      versions.put("reputation", reputationModel.version());
    }
  }

  private void gatherAppeal(Appeal a, Instant now, List<Signal> signals, Map<String, String> versions,
      List<ObligationEvent> events) {
    Optional<ContentLedger.DecisionMemo> memo = ledger.decision(a.decision());
    Optional<String> governing = memo.flatMap(ContentLedger.DecisionMemo::instrument);
    JurisdictionProfiles profiles = obligations.profiles();
    Instrument appealIns = governing.flatMap(profiles::instrument).flatMap(Instrument::appeal)
        .flatMap(profiles::instrument).orElse(defaultAppeal);
    Instant windowEnd = Obligations.appealWindowEnd(a.informedAt(), appealIns.appealWindow());
    boolean within = now.isBefore(windowEnd);
    Map<String, String> attrs = new java.util.LinkedHashMap<>();
    attrs.put("appeal", a.appealId());
    attrs.put("decision", a.decision().value());
    attrs.put("decision_known", Boolean.toString(memo.isPresent()));
    attrs.put("governing_instrument", governing.orElse("none"));
    attrs.put("appeal_instrument", appealIns.id());
    attrs.put("citation", appealIns.citation());
    attrs.put("window", appealIns.appealWindow().toString());
    attrs.put("informed_at", a.informedAt().toString());
    attrs.put("window_ends", windowEnd.toString());
    attrs.put("within", Boolean.toString(within));
    if (within) {
      Obligations.Receipt r = obligations.openAppeal(a.appealId(), appealIns, a.decision(), a.content(),
          memo.map(ContentLedger.DecisionMemo::category).orElse(Category.OTHER), now);
      attrs.put("duplicate", Boolean.toString(r.check().duplicate()));
      r.obligation().ifPresent(o -> {
        attrs.put("obligation", o.id());
        if (o.isOpen()) {
          signals.add(Obligations.toSignal(o));
        }
      });
      events.addAll(r.events());
    }
    signals.add(new Signal.Custom(Obligations.PROVIDER, "appeal", attrs));
    versions.put("jurisdictions", profiles.version());
  }

  private void apply(ModerationRequest req, Evidence evidence, Decision d, Instant now,
      List<ObligationEvent> events) {
    Optional<ContentId> cid = req.contentId();
    if (cid.isEmpty()) {
      return;
    }
    ContentId content = cid.get();
    Optional<ContentLedger.Item> item = ledger.item(content);
    Optional<Instant> strikeAt = Optional.empty();
    for (Action a : d.actions()) {
      if (a instanceof Action.Reinstate) {
        reinstate(((Action.Reinstate) a).reversed(), d.id(), now);
      }
    }
    boolean reviewed = req instanceof ReviewOutcome;
    boolean humanConfirmed = reviewed && ((ReviewOutcome) req).verdict() == Verdict.VIOLATING;
    if (reviewed && !humanConfirmed) {
      ledger.takeDeferredStrike(content); // cleared by a person: the deferred strike is dropped
    }
    if (d.has(Action.Remove.class) && !ledger.isRemoved(content)) {
      ledger.markRemoved(content, now);
      List<ObligationEvent> done = obligations.fulfil(content, now);
      events.addAll(done);
      if (item.isPresent() && (!reviewed || humanConfirmed)) {
        if (!reviewed && d.has(Action.QueueForReview.class)) {
          // the decision also asks a person to look (e.g. an uncertain match hidden meanwhile): a
          // machine's guess must not count towards restrictions, so the strike waits for the verdict
          ledger.deferStrike(content);
        } else {
          strikeAt = Optional.of(strike(item.get().account(), content, d, now));
        }
      }
      for (ObligationEvent e : done) {
        ObligationRecord o = e.obligation();
        if (!o.preserveFor().isZero()) {
          holds.place(content, o.id(), o.citation(), now, o.preserveFor());
        }
        boolean identical = obligations.profiles().instrument(o.instrument())
            .map(Instrument::removeIdenticalCopies).orElse(false);
        if (identical && item.isPresent() && !item.get().fingerprints().isEmpty()
            && !d.has(Action.BlockReupload.class)) {
          blockInPlatformBank(o.category(), item.get().fingerprints());
        } else if (identical && item.isEmpty()) {
          ledger.blockCopiesWhenSeen(content, o.category());
        }
      }
    } else if (humanConfirmed && item.isPresent() && ledger.takeDeferredStrike(content)) {
      strikeAt = Optional.of(strike(item.get().account(), content, d, now));
    }
    if (reviewed) {
      events.addAll(obligations.reviewed(content, now));
    }
    d.action(Action.PreserveEvidence.class).ifPresent(p -> holds.place(content, "decision:" + d.id().value(),
        groundOf(d), now, p.period()));
    if (d.has(Action.BlockReupload.class)) {
      Fingerprints fp = req instanceof ContentEvent ? ((ContentEvent) req).content().fingerprints()
          : item.map(ContentLedger.Item::fingerprints).orElse(Fingerprints.none());
      if (!fp.isEmpty()) {
        blockInPlatformBank(categoryOf(d), fp);
      }
    }
    if (req instanceof ContentEvent) {
      ContentEvent e = (ContentEvent) req;
      if (e.room().isPresent() && !d.reasons().isEmpty() && d.restrictive()) {
        ledger.roomMatch(e.room().get(), now);
      }
    }
    ledger.rememberDecision(d.id(), new ContentLedger.DecisionMemo(content,
        item.map(ContentLedger.Item::account), governingInstrument(req, evidence), categoryOf(d), d.restrictive(),
        strikeAt, now));
  }

  private void blockInPlatformBank(Category category, Fingerprints fp) {
    banks.addFingerprints(PLATFORM_BANK, category, fp);
    ledger.reinstated(fp, false);
  }

  /** Drops platform-bank matches against content an appeal reinstated. */
  private List<Signal.HashMatch> platformFiltered(List<Signal.HashMatch> matches) {
    if (matches.isEmpty()) {
      return matches;
    }
    List<Signal.HashMatch> out = new ArrayList<>(matches.size());
    for (Signal.HashMatch m : matches) {
      if (!(m.bank().equals(PLATFORM_BANK) && ledger.isReinstatedEntry(m.entry()))) {
        out.add(m);
      }
    }
    return out;
  }

  /** Undoes what the engine itself did for a decision an appeal reversed. */
  private void reinstate(DecisionId reversed, DecisionId by, Instant now) {
    Optional<ContentLedger.DecisionMemo> memo = ledger.decision(reversed);
    if (memo.isEmpty()) {
      LOG.warn("decision {} was reversed but is no longer remembered; strike and reporter credibility were not"
          + " corrected", reversed.value());
      return;
    }
    ContentLedger.DecisionMemo m = memo.get();
    ledger.unmarkRemoved(m.content());
    ledger.item(m.content()).ifPresent(item -> ledger.reinstated(item.fingerprints(), true));
    if (m.account().isPresent() && m.strikeAt().isPresent()) {
      strikes.clear(m.account().get(), m.content());
    }
    reputationModel.reverse(Target.content(m.content()), m.at(), by, now, reputation);
  }

  /** The notice instrument that governed a decision: the notice's own, or the earliest open obligation's. */
  private Optional<String> governingInstrument(ModerationRequest req, Evidence evidence) {
    if (req instanceof LegalNotice) {
      String id = ((LegalNotice) req).instrument();
      if (obligations.profiles().instrument(id).isPresent()) {
        return Optional.of(id);
      }
    }
    for (Signal.Obligation o : evidence.signals(Signal.Obligation.class)) {
      Optional<Instrument> i = obligations.profiles().instrument(o.instrument());
      if (i.isPresent() && i.get().kind() == Instrument.Kind.NOTICE) {
        return Optional.of(o.instrument());
      }
    }
    return Optional.empty();
  }

  private static String groundOf(Decision d) {
    for (Reason r : d.reasons()) {
      if (r.ground().isPresent()) {
        return r.ground().get().citation();
      }
    }
    return "decision " + d.id().value();
  }

  /** Records a strike against an account for removing content by {@code d}; returns when it expires. */
  private Instant strike(AccountId account, ContentId content, Decision d, Instant now) {
    Instant expires = now.plus(strikeTtl(d));
    strikes.record(account, content, expires);
    return expires;
  }

  /** The longest strike TTL among the policies that gave grounded reasons for the decision. */
  private Duration strikeTtl(Decision d) {
    Duration ttl = null;
    for (Reason r : d.reasons()) {
      Duration t = strikeTtls.get(r.policy().name());
      if (r.ground().isPresent() && t != null && (ttl == null || t.compareTo(ttl) > 0)) {
        ttl = t;
      }
    }
    return ttl == null ? ledger.strikeTtl() : ttl;
  }

  /**
   * After a decision is logged: stores a report (attached to the decision when it queued a review),
   * applies a review verdict to the reports it resolves, or records account facts, from the
   * signals the reputation model worked out before the decision.
   */
  private void settleReport(Evidence evidence, Decision d, Instant now) {
    ModerationRequest req = evidence.request();
    if (req instanceof UserReport) {
      for (Signal.ReportIntake in : evidence.signals(Signal.ReportIntake.class)) {
        reputationModel.file((UserReport) req, in, d.id(), d.has(Action.QueueForReview.class), now, reputation);
      }
    } else if (req instanceof ReviewOutcome) {
      for (Signal.ReportResolution res : evidence.signals(Signal.ReportResolution.class)) {
        reputationModel.applyReview((ReviewOutcome) req, res, d.id(), now, reputation);
      }
    } else if (req instanceof AccountEvent) {
      reputationModel.account((AccountEvent) req, d.id(), now, reputation);
    }
  }

  private static Category categoryOf(Decision d) {
    for (Reason r : d.reasons()) {
      if (r.category().isPresent()) {
        return r.category().get();
      }
    }
    return Category.OTHER;
  }

  /**
   * Builds a {@link ModerationEngine}. Every setting has an embedded default; {@link #build()}
   * fails fast with a {@link ConfigurationException} naming a contradictory setting. Not
   * thread-safe.
   *
   * @since 0.1
   */
  public static final class Builder {
    private Clock clock = Clock.systemUTC();
    private Limits limits = Limits.defaults();
    private HashBanks banks;
    private final List<Policy> policies = new ArrayList<>();
    private final List<Policy> shadowPolicies = new ArrayList<>();
    private boolean defaultPolicies = true;
    private ClassLoader serviceLoader = Thread.currentThread().getContextClassLoader();
    private boolean useServiceLoader = true;
    private DecisionLog decisionLog;
    private Path logDirectory;
    private Pseudonymizer pseudonymizer;
    private ActionExecutor executor = ActionExecutor.NONE;
    private final List<SignalProvider> providers = new ArrayList<>();
    private ReputationStore reputationStore;
    private ReputationModel reputationModel = ReputationModel.defaults();
    private ObligationStore obligationStore;
    private JurisdictionProfiles profiles;
    private double[] escalateAt = {0.5, 0.8};
    private Consumer<ObligationEvent> obligationListener = e -> { };
    private Consumer<EvidenceHold> holdListener = h -> { };
    private EvidenceHoldStore evidenceHoldStore;
    private StrikeStore strikeStore;
    private String defaultAppeal = "PLATFORM-APPEAL";
    private Duration tickEvery;
    private PolicyIsolation isolation = PolicyIsolation.THREADS;
    private int maxPolicyThreads = Math.max(4, 4 * Runtime.getRuntime().availableProcessors());
    private long ledgerSize = 1_000_000;
    private Duration strikeTtl = Duration.ofDays(90);
    private Duration roomWindow = Duration.ofHours(24);
    private List<Policy> policyPack;
    private final Map<String, Duration> strikeTtls = new HashMap<>();
    private int profilePhotoDistance = HashBanks.DEFAULT_PDQ_DISTANCE;

    private Builder() {}

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
    public Builder policyPack(List<Policy> value) {
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
    public Builder strikeTtl(String policy, Duration value) {
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
    public Builder profilePhotoDistance(int value) {
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
    public Builder clock(Clock value) {
      this.clock = Objects.requireNonNull(value, "clock");
      return this;
    }

    /**
     * Input limits. Default {@link Limits#defaults()}.
     *
     * @param value the limits; not null
     * @return this builder
     */
    public Builder limits(Limits value) {
      this.limits = Objects.requireNonNull(value, "limits");
      return this;
    }

    /**
     * The hash banks to match against. Default: empty in-memory banks.
     *
     * @param value the banks; not null
     * @return this builder
     */
    public Builder banks(HashBanks value) {
      this.banks = Objects.requireNonNull(value, "banks");
      return this;
    }

    /**
     * Adds enforcing policies, evaluated after the built-in pack (unless disabled).
     *
     * @param values the policies; not null, no null elements
     * @return this builder
     */
    public Builder policies(Policy... values) {
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
    public Builder shadowPolicy(Policy value) {
      shadowPolicies.add(Objects.requireNonNull(value, "policy"));
      return this;
    }

    /**
     * Whether to include the built-in {@link PolicyPack#defaults() policy pack}. Default true.
     *
     * @param value whether to include it
     * @return this builder
     */
    public Builder defaultPolicies(boolean value) {
      this.defaultPolicies = value;
      return this;
    }

    /**
     * Whether to discover {@link Policy} plugins with {@link ServiceLoader}, and from which class
     * loader. Default: on, with the thread's context class loader. A provider that fails to load is
     * reported (see {@link ModerationEngine#pluginFailures()}) and skipped.
     *
     * @param enabled whether to discover plugins
     * @param loader the class loader to search, or null for the system class loader
     * @return this builder
     */
    public Builder serviceLoader(boolean enabled, ClassLoader loader) {
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
    public Builder decisionLog(DecisionLog value) {
      this.decisionLog = Objects.requireNonNull(value, "decisionLog");
      return this;
    }

    /**
     * The directory of the default file decision log. Default: a new temporary directory.
     *
     * @param value the directory, created if missing; not null
     * @return this builder
     */
    public Builder logDirectory(Path value) {
      this.logDirectory = Objects.requireNonNull(value, "logDirectory");
      return this;
    }

    /**
     * The pseudonymizer of the default decision log. Default: HMAC-SHA-256 with an ephemeral key.
     *
     * @param value the pseudonymizer; not null
     * @return this builder
     */
    public Builder pseudonymizer(Pseudonymizer value) {
      this.pseudonymizer = Objects.requireNonNull(value, "pseudonymizer");
      return this;
    }

    /**
     * The host's executor of decisions. Default: does nothing.
     *
     * @param value the executor; not null
     * @return this builder
     */
    public Builder actionExecutor(ActionExecutor value) {
      this.executor = Objects.requireNonNull(value, "actionExecutor");
      return this;
    }

    /**
     * Adds a host signal provider.
     *
     * @param value the provider; not null
     * @return this builder
     */
    public Builder signalProvider(SignalProvider value) {
      providers.add(Objects.requireNonNull(value, "signalProvider"));
      return this;
    }

    /**
     * The reputation store. Default: in memory.
     *
     * @param value the store; not null
     * @return this builder
     */
    public Builder reputationStore(ReputationStore value) {
      this.reputationStore = Objects.requireNonNull(value, "reputationStore");
      return this;
    }

    /**
     * The reputation model. Default {@link ReputationModel#defaults()}.
     *
     * @param value the model; not null
     * @return this builder
     */
    public Builder reputationModel(ReputationModel value) {
      this.reputationModel = Objects.requireNonNull(value, "reputationModel");
      return this;
    }

    /**
     * The obligation store. Default: in memory.
     *
     * @param value the store; not null
     * @return this builder
     */
    public Builder obligationStore(ObligationStore value) {
      this.obligationStore = Objects.requireNonNull(value, "obligationStore");
      return this;
    }

    /**
     * The evidence hold store: where the holds placed on removal under a preservation duty are kept,
     * and what {@link ModerationEngine#holds()} returns. Default: a new in-memory {@link
     * EvidenceHolds} per engine. Deployments of many instances pass a shared store (e.g. the
     * PostgreSQL one), so that a hold placed by one instance binds every instance and each ended
     * hold reaches the {@link #holdListener hold listener} of exactly one instance.
     *
     * @param value the store; not null
     * @return this builder
     * @throws NullPointerException when {@code value} is null
     * @since 0.1
     */
    public Builder evidenceHoldStore(EvidenceHoldStore value) {
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
    public Builder strikeStore(StrikeStore value) {
      this.strikeStore = Objects.requireNonNull(value, "strikeStore");
      return this;
    }

    /**
     * The jurisdiction profiles. Default {@link JurisdictionProfiles#bundled()}.
     *
     * @param value the profiles; not null
     * @return this builder
     */
    public Builder jurisdictionProfiles(JurisdictionProfiles value) {
      this.profiles = Objects.requireNonNull(value, "profiles");
      return this;
    }

    /**
     * Fractions of an obligation's time at which it escalates. Default 0.5 and 0.8.
     *
     * @param fractions ascending, within (0, 1)
     * @return this builder
     */
    public Builder escalateAt(double... fractions) {
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
    public Builder obligationListener(Consumer<ObligationEvent> value) {
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
    public Builder holdListener(Consumer<EvidenceHold> value) {
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
    public Builder defaultAppealInstrument(String instrumentId) {
      this.defaultAppeal = Objects.requireNonNull(instrumentId, "instrumentId");
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
    public Builder tickEvery(Duration period) {
      this.tickEvery = Objects.requireNonNull(period, "period");
      return this;
    }

    /**
     * How policies are isolated. Default {@link PolicyIsolation#THREADS}.
     *
     * @param value the isolation; not null
     * @return this builder
     */
    public Builder policyIsolation(PolicyIsolation value) {
      this.isolation = Objects.requireNonNull(value, "policyIsolation");
      return this;
    }

    /**
     * How long a strike counts against an account. Default 90 days.
     *
     * @param value positive; not null
     * @return this builder
     */
    public Builder strikeTtl(Duration value) {
      this.strikeTtl = Objects.requireNonNull(value, "strikeTtl");
      return this;
    }

    /**
     * The window in which bank matches in one room are counted. Default 24 hours.
     *
     * @param value positive; not null
     * @return this builder
     */
    public Builder roomWindow(Duration value) {
      this.roomWindow = Objects.requireNonNull(value, "roomWindow");
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
      if (tickEvery != null && (tickEvery.isNegative() || tickEvery.isZero())) {
        throw new ConfigurationException("tickEvery must be positive, got " + tickEvery);
      }
      Set<dev.haetae.moderation.api.PolicyId> seen = new HashSet<>();
      for (Policy p : shadowPolicies) {
        if (!seen.add(Decider.idOf(p))) {
          throw new ConfigurationException("shadow policy " + Decider.idOf(p) + " is registered twice");
        }
      }
      List<Policy> loaded = new ArrayList<>();
      List<String> failures = new ArrayList<>();
      if (useServiceLoader) {
        loadPlugins(loaded, failures);
      }
      return new ModerationEngine(this, loaded, failures, obligations, appeal);
    }

    private void loadPlugins(List<Policy> loaded, List<String> failures) {
      Iterator<Policy> it = ServiceLoader.load(Policy.class, serviceLoader).iterator();
      while (true) {
        try {
          if (!it.hasNext()) {
            break;
          }
          Policy p = it.next();
          Decider.idOf(p);
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


}
