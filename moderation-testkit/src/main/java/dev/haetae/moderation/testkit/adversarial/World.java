package dev.haetae.moderation.testkit.adversarial;

import dev.haetae.moderation.api.AccountEvent;
import dev.haetae.moderation.api.AccountId;
import dev.haetae.moderation.api.Action;
import dev.haetae.moderation.api.Category;
import dev.haetae.moderation.api.Content;
import dev.haetae.moderation.api.ContentEvent;
import dev.haetae.moderation.api.ContentId;
import dev.haetae.moderation.api.ContentKind;
import dev.haetae.moderation.api.Decision;
import dev.haetae.moderation.api.DecisionId;
import dev.haetae.moderation.api.Evidence;
import dev.haetae.moderation.api.Fingerprints;
import dev.haetae.moderation.api.ModerationRequest;
import dev.haetae.moderation.api.Pdq;
import dev.haetae.moderation.api.PdqHash;
import dev.haetae.moderation.api.Priority;
import dev.haetae.moderation.api.Reason;
import dev.haetae.moderation.api.ReporterId;
import dev.haetae.moderation.api.ReviewOutcome;
import dev.haetae.moderation.api.RoomId;
import dev.haetae.moderation.api.Sha256;
import dev.haetae.moderation.api.Signal;
import dev.haetae.moderation.api.Surface;
import dev.haetae.moderation.api.Target;
import dev.haetae.moderation.api.UserReport;
import dev.haetae.moderation.api.Verdict;
import dev.haetae.moderation.api.spi.DecisionLog;
import dev.haetae.moderation.api.spi.ReporterRecord;
import dev.haetae.moderation.core.engine.ModerationEngine;
import dev.haetae.moderation.core.engine.ModerationEngineBuilder;
import dev.haetae.moderation.core.policy.PolicyPack;
import dev.haetae.moderation.core.reputation.ReputationModel;
import dev.haetae.moderation.core.simulate.SettableClock;
import dev.haetae.moderation.core.store.InMemoryReputationStore;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.Consumer;

/**
 * One attack's world: a real engine on a settable clock, the ground truth of every target, and a
 * simulated host review queue worked by one moderator at a fixed rate. Every event goes through
 * {@link #at}, which first lets the moderator work until that instant. Not thread-safe.
 *
 * <p>The moderator answers the claims an item names, most severe first: a claim whose category is
 * the target's ground truth is confirmed ({@code violating}, that category) and the item closes;
 * any other claim is answered {@code not_violating} for its category. That is the least favourable
 * moderator for a victim whose claim never reached the item (it was absorbed by another claim), and
 * the one the decoy attack counts on.
 */
final class World implements AutoCloseable {
  /** The instant every world starts at. */
  static final Instant T0 = Instant.parse("2026-12-01T09:00:00Z");

  /** Claims in the order a moderator answers them. */
  private static final List<Category> SEVERITY = List.of(Category.CSAM, Category.TERRORISM, Category.NCII,
      Category.SEXUAL_DEEPFAKE, Category.DOXXING, Category.HARASSMENT, Category.SPAM, Category.OTHER);

  final Random random;
  final int scale;
  final SettableClock clock = new SettableClock(T0);
  final ModerationEngine engine;
  /** The reputation store the harness gives the engine (a host configuration may replace it). */
  private final InMemoryReputationStore store = new InMemoryReputationStore();
  /** The store the engine is given: the harness's, watched for changes without a logged confirmation. */
  final ConfirmationGuard guard = new ConfirmationGuard(store);
  /** Proposals to suspend a reporter, from the log, that the moderator has not answered yet. */
  private final List<Proposal> proposals = new ArrayList<>();
  /** How many proposals the moderator confirmed and rejected. */
  int confirmed;
  int rejected;
  private final Duration perReview;
  /** How often the host's timer calls the engine's tick (which re-checks waiting reports). */
  static final Duration TICK = Duration.ofMinutes(10);
  private Instant nextTick = T0.plus(TICK);
  /** The earliest instant the moderator can start the next review (moves with idle ticks). */
  private Instant moderatorBase = T0;

  /** Ground truth: the category a target really violates; absent when it violates nothing. */
  private final Map<Target, Category> truth = new HashMap<>();
  private final Map<ContentId, AccountId> owners = new HashMap<>();
  private final Set<ContentId> removed = new HashSet<>();
  private int hashes;

  /** Every report filed, in order. */
  final List<Filed> filed = new ArrayList<>();
  /** Every re-check the engine's tick made of a waiting report, in order (group {@code recheck}). */
  final List<Filed> rechecked = new ArrayList<>();

  /** Every review sent by the moderator, in order. */
  final List<Reviewed> reviewed = new ArrayList<>();
  /** Every decision on a request that is not a report or a review (uploads, accounts). */
  final List<Decision> other = new ArrayList<>();

  /** The host's review queue: one item per target. */
  private final Map<Target, Item> open = new LinkedHashMap<>();
  private Instant moderatorFreeAt = T0;
  /** Whether the moderator works; attacks pause them to let a wave build up. */
  boolean working = true;
  /** The weighed reports each report decision saw, from the decision log. */
  final Map<DecisionId, Signal.Reports> weighed = new HashMap<>();
  /** The intake each report decision saw, from the decision log. */
  final Map<DecisionId, Signal.ReportIntake> intakes = new HashMap<>();
  private int reviews;

  /** A report as filed, with its decision. */
  record Filed(UserReport report, Decision decision, Instant at, String group) {}

  /** A proposal to suspend a reporter, made on a review decision. */
  record Proposal(DecisionId decision, ReporterId reporter) {}

  /** A review the moderator sent, with the item it closed and its rank. */
  record Reviewed(ReviewOutcome review, Decision decision, Item item, int rank) {}

  /**
   * A host queue item: the target, its claims (category to the first decision that raised it), the
   * highest priority and score asked for, whether any decision flagged it, and how many reviews were
   * done when it was first queued.
   */
  static final class Item {
    final Target target;
    final Map<Category, Decision> claims = new EnumMap<>(Category.class);
    Priority priority = Priority.LOW;
    double score;
    boolean flagged;
    final Instant queuedAt;
    final int reviewsAtQueue;
    final List<String> lanes = new ArrayList<>();

    Item(Target target, Instant queuedAt, int reviewsAtQueue) {
      this.target = target;
      this.queuedAt = queuedAt;
      this.reviewsAtQueue = reviewsAtQueue;
    }
  }

  World(long seed, int scale, int reviewsPerHour, Consumer<ModerationEngineBuilder> host) {
    this.random = new Random(seed);
    this.scale = scale;
    this.perReview = Duration.ofMillis(3_600_000L / reviewsPerHour);
    ModerationEngineBuilder b = ModerationEngine.builder().clock(clock).serviceLoader(false, null)
        .reputationStore(guard).pseudonymizer(PSEUDONYMS);
    host.accept(b);
    b.decisionLog(new DecisionLog() {
      private long seq;

      @Override
      public synchronized long append(Evidence evidence, Decision decision) {
        guard.logged(evidence.request());
        if (evidence.request() instanceof ReviewOutcome) {
          for (Signal.ReportResolution res : evidence.signals(Signal.ReportResolution.class)) {
            for (Signal.ReportResolution.MisuseFinding m : res.misuse()) {
              if (m.step() == Signal.ReportResolution.Step.PROPOSE_SUSPENSION) {
                proposals.add(new Proposal(decision.id(), m.reporter()));
              }
            }
          }
        }
        if (evidence.request() instanceof UserReport) {
          evidence.signals(Signal.Reports.class).stream().findFirst().ifPresent(r -> weighed.put(decision.id(), r));
          evidence.signals(Signal.ReportIntake.class).stream().findFirst().ifPresent(r -> intakes.put(decision.id(), r));
        }
        return seq++;
      }

      @Override
      public void close() {}
    });
    this.engine = b.build();
  }

  Instant now() {
    return clock.instant();
  }

  /**
   * Lets the moderator work until {@code t}, and the host's timer tick the engine every
   * {@link #TICK} (a tick at the same instant as a finished review comes first), then sets the clock
   * to {@code t} (never backwards). A tick does not interrupt a review in progress.
   */
  void at(Instant t) {
    if (now().isAfter(moderatorBase)) {
      moderatorBase = now();
    }
    while (true) {
      boolean busy = working && !open.isEmpty();
      Instant done = null;
      if (busy) {
        Instant start = moderatorFreeAt.isAfter(moderatorBase) ? moderatorFreeAt : moderatorBase;
        done = start.plus(perReview);
        if (done.isAfter(t)) {
          done = null;
        }
      }
      if (!nextTick.isAfter(t) && (done == null || !nextTick.isAfter(done))) {
        if (nextTick.isAfter(now())) {
          clock.set(nextTick);
        }
        if (!busy) {
          moderatorBase = now();
        }
        nextTick = nextTick.plus(TICK);
        tick();
        continue;
      }
      if (done == null) {
        break;
      }
      clock.set(done);
      moderatorFreeAt = done;
      moderatorBase = done;
      reviewNext();
    }
    if (t.isAfter(now())) {
      clock.set(t);
    }
  }

  /** The host's timer: the engine re-checks the waiting reports due; their decisions reach the queue. */
  private void tick() {
    for (dev.haetae.moderation.core.engine.RecheckedReport x : engine.recheckWaitingReports(now())) {
      UserReport r = x.report();
      Decision d = x.decision();
      rechecked.add(new Filed(r, d, now(), "recheck"));
      track(r.target(), d, Optional.of(r.category()));
    }
  }

  /** Lets the moderator work for {@code d}. */
  void pass(Duration d) {
    at(now().plus(d));
  }

  /** Lets the moderator work until the queue is empty. */
  void drain() {
    working = true;
    while (!open.isEmpty()) {
      pass(perReview);
    }
  }

  int queued() {
    return open.size();
  }

  // ---------------------------------------------------------------------------------------
  // Events

  String account(String id, Instant created, boolean trusted, String... rooms) {
    List<AccountEvent.RoomJoin> joins = new ArrayList<>();
    for (String r : rooms) {
      joins.add(new AccountEvent.RoomJoin(RoomId.of(r), created.isAfter(now()) ? now() : created.plusSeconds(
          3600 + random.nextInt(86_400 * 30))));
    }
    other.add(engine.evaluate(new AccountEvent(AccountId.of(id), created, trusted,
        trusted ? Optional.of("organisation " + id) : Optional.empty(), joins)));
    return id;
  }

  /** An account created at a random instant between {@code minAge} and {@code maxAge} ago. */
  String agedAccount(String id, Duration minAge, Duration maxAge, String... rooms) {
    long span = maxAge.minus(minAge).toSeconds();
    Instant created = now().minus(minAge).minusSeconds(span <= 0 ? 0 : (long) (random.nextDouble() * span));
    return account(id, created, false, rooms);
  }

  /** A text post (fingerprinted by SHA-256) whose ground truth is {@code truth} (null: nothing). */
  ContentId post(String id, String owner, String room, Category truthOrNull) {
    hashes++;
    Fingerprints fp = Fingerprints.none().withSha256(Sha256.fromHex(String.format(Locale.ROOT, "%064x",
        0xADD0000000L + hashes)));
    return upload(Content.of(ContentId.of(id), ContentKind.TEXT, Surface.PUBLIC_CHANNEL).withFingerprints(fp),
        owner, room, truthOrNull);
  }

  /** An image with a PDQ hash. */
  ContentId image(String id, String owner, String room, String pdqHex, Category truthOrNull) {
    Fingerprints fp = Fingerprints.none().withPdq(new Pdq(PdqHash.fromHex(pdqHex), 100, List.of()));
    return upload(Content.of(ContentId.of(id), ContentKind.IMAGE, Surface.PUBLIC_CHANNEL).withFingerprints(fp),
        owner, room, truthOrNull);
  }

  private ContentId upload(Content c, String owner, String room, Category truthOrNull) {
    owners.put(c.id(), AccountId.of(owner));
    if (truthOrNull != null) {
      truth.put(Target.content(c.id()), truthOrNull);
    }
    Decision d = engine.evaluate(ContentEvent.upload(c, AccountId.of(owner), RoomId.of(room)));
    other.add(d);
    track(Target.content(c.id()), d, Optional.empty());
    return c.id();
  }

  void truth(Target t, Category c) {
    truth.put(t, c);
  }

  Optional<Category> truthOf(Target t) {
    return Optional.ofNullable(truth.get(t));
  }

  Optional<AccountId> owner(ContentId c) {
    return Optional.ofNullable(owners.get(c));
  }

  boolean removed(ContentId c) {
    return removed.contains(c);
  }

  /** Files a report and queues what its decision asks to review. */
  Decision report(String reporter, Target target, Category category, boolean self, String group) {
    UserReport r = userReport(ReporterId.of(reporter), target, category, self);
    Decision d = engine.evaluate(r);
    filed.add(new Filed(r, d, now(), group));
    track(target, d, Optional.of(category));
    return d;
  }

  /** A moderator looks at a target outside the queue (e.g. to build a reporter's history). */
  Decision reviewNow(Target target) {
    Category t = truth.get(target);
    ReviewOutcome o = t == null ? new ReviewOutcome(target, Verdict.NOT_VIOLATING, Optional.empty(), Optional.empty())
        : new ReviewOutcome(target, Verdict.VIOLATING, Optional.of(t), Optional.empty());
    return review(o);
  }

  /**
   * A moderator's verdict outside the queue, whatever the truth (a sloppy or bought review); the
   * item it answers leaves the queue, and a second review it asks for joins it.
   */
  Decision review(ReviewOutcome o) {
    Target target = o.target();
    Decision d = engine.evaluate(o);
    answerProposals();
    Item it = open.remove(target);
    if (it != null) {
      reviewed.add(new Reviewed(o, d, it, reviews - it.reviewsAtQueue + 1));
      reviews++;
    }
    track(target, d, Optional.empty());
    return d;
  }

  /** Whether a decision asks a second, independent reviewer. */
  static boolean asksSecondReview(Decision d) {
    return d.action(Action.QueueForReview.class).map(q -> q.lane().equals(PolicyPack.SECOND_REVIEW_LANE))
        .orElse(false);
  }

  private void track(Target target, Decision d, Optional<Category> claim) {
    if (target instanceof Target.OfContent) {
      ContentId c = ((Target.OfContent) target).content();
      if (d.has(Action.Remove.class)) {
        removed.add(c);
        open.remove(target);
      }
      if (d.has(Action.Reinstate.class)) {
        removed.remove(c);
      }
    }
    Optional<Action.QueueForReview> q = d.action(Action.QueueForReview.class);
    // removed content leaves the queue, unless a second reviewer must confirm its removal
    if (q.isEmpty() || (target instanceof Target.OfContent && removed.contains(((Target.OfContent) target).content())
        && !asksSecondReview(d))) {
      return;
    }
    Item it = open.computeIfAbsent(target, t -> new Item(t, now(), reviews));
    Category c = claim.orElseGet(() -> d.reasons().stream().map(Reason::category).flatMap(Optional::stream)
        .findFirst().orElse(Category.OTHER));
    it.claims.putIfAbsent(c, d);
    if (q.get().priority().compareTo(it.priority) > 0) {
      it.priority = q.get().priority();
    }
    it.score = it.lanes.isEmpty() ? score(q.get()) : Math.max(it.score, score(q.get()));
    it.flagged |= q.get().brigadingSuspected();
    it.lanes.add(q.get().lane());
  }

  /** The moderator takes the first item (priority, then score, then age) and answers its claims. */
  private void reviewNext() {
    Item best = null;
    for (Item it : open.values()) {
      if (best == null || ORDER.compare(it, best) < 0) {
        best = it;
      }
    }
    open.remove(best.target);
    int rank = reviews - best.reviewsAtQueue + 1;
    reviews++;
    Category t = truth.get(best.target);
    List<Category> claims = new ArrayList<>(best.claims.keySet());
    claims.sort((a, b) -> Integer.compare(SEVERITY.indexOf(a), SEVERITY.indexOf(b)));
    Decision second = null;
    for (Category c : claims) {
      boolean violating = c == t;
      ReviewOutcome o = new ReviewOutcome(best.target, violating ? Verdict.VIOLATING : Verdict.NOT_VIOLATING,
          Optional.of(c), Optional.empty());
      Decision d = engine.evaluate(o);
      answerProposals();
      reviewed.add(new Reviewed(o, d, best, rank));
      if (best.target instanceof Target.OfContent && d.has(Action.Remove.class)) {
        removed.add(((Target.OfContent) best.target).content());
      }
      if (best.target instanceof Target.OfContent && d.has(Action.Reinstate.class)) {
        removed.remove(((Target.OfContent) best.target).content()); // the host's executor restores it
      }
      second = asksSecondReview(d) ? d : second;
      if (violating) {
        break;
      }
    }
    open.remove(best.target); // a review decision may have queued it again: the moderator just looked
    if (second != null) {
      track(best.target, second, Optional.empty()); // unless it asks a second, independent reviewer
    }
  }

  /**
   * A truthful person answers each proposal to suspend a reporter (the {@code report_misuse} item)
   * as a logged request: confirmed when most of the reporter's reports with a known truth claimed a
   * harm the target does not have, rejected otherwise. Suspension needs the confirmation: the
   * {@link ConfirmationGuard} checks that nothing else suspends.
   */
  private void answerProposals() {
    while (!proposals.isEmpty()) {
      Proposal p = proposals.remove(0);
      int wrong = 0;
      int all = 0;
      for (Filed f : filed) {
        if (f.report().reporter().equals(p.reporter())) {
          all++;
          wrong += f.report().category() == truth.get(f.report().target()) ? 0 : 1;
        }
      }
      boolean confirm = all > 0 && wrong * 2 >= all;
      engine.evaluate(dev.haetae.moderation.api.ReporterSanction.by("harness-moderator", confirm
          ? dev.haetae.moderation.api.ReporterSanction.Step.CONFIRM
          : dev.haetae.moderation.api.ReporterSanction.Step.REJECT, p.reporter(), p.decision()));
      if (confirm) {
        confirmed++;
      } else {
        rejected++;
      }
    }
  }

  /** How a host orders its queue: priority, then score, then age. */
  static final java.util.Comparator<Item> ORDER = java.util.Comparator.comparing((Item i) -> i.priority).reversed()
      .thenComparing(java.util.Comparator.comparingDouble((Item i) -> i.score).reversed())
      .thenComparing(i -> i.queuedAt);

  /** The score a review action asks for within its band. */
  static double score(Action.QueueForReview q) {
    return q.score();
  }

  /** A report; {@code self} marks a first-party report ("this is me"). */
  static UserReport userReport(ReporterId reporter, Target target, Category category, boolean self) {
    return new UserReport(reporter, target, category, Optional.empty(), self);
  }

  // ---------------------------------------------------------------------------------------
  // Reading the outcome

  /** The reports filed by a group. */
  List<Filed> filedBy(String group) {
    List<Filed> out = new ArrayList<>();
    for (Filed f : filed) {
      if (f.group().equals(group)) {
        out.add(f);
      }
    }
    return out;
  }

  /** Reviews of a target, in order. */
  List<Reviewed> reviewsOf(Target t) {
    List<Reviewed> out = new ArrayList<>();
    for (Reviewed r : reviewed) {
      if (r.review().target().equals(t)) {
        out.add(r);
      }
    }
    return out;
  }

  /** A reporter's record in the harness's store; empty when unknown or a host replaced the store. */
  Optional<ReporterRecord> reporter(String id) {
    return store.reporter(ReporterId.of(id));
  }

  /**
   * The harness's pseudonymizer: fixed, so that an attack can name the poster another instance
   * recorded on an entry as the engine does (a host that sets its own names everyone differently,
   * which only bounds more reports).
   */
  static final dev.haetae.moderation.api.spi.Pseudonymizer PSEUDONYMS =
      dev.haetae.moderation.core.audit.Pseudonymizers.hmacSha256("harness",
          "adversarial harness pseudonym key".getBytes(java.nio.charset.StandardCharsets.UTF_8));

  /** The keyed pseudonym the engine records as a bank entry's uploader for an account. */
  static String uploader(String account) {
    return PSEUDONYMS.keyId() + ":" + PSEUDONYMS.pseudonymize("account", account);
  }

  /**
   * Applies an NCII entry another instance banked at {@code addedAt} from {@code account}'s removed
   * copy, as an instance that follows the shared bank late does (nothing logged here, as on a
   * follower).
   */
  void followLate(String pdqHex, Instant addedAt, String account) {
    dev.haetae.moderation.core.hash.Bank bank = engine.banks().find(ModerationEngine.PLATFORM_BANK)
        .orElseGet(() -> engine.banks().define(dev.haetae.moderation.core.hash.BankConfig
            .builder(ModerationEngine.PLATFORM_BANK, Category.NCII).build()));
    bank.apply(new dev.haetae.moderation.api.spi.HashBankSource.Entry(dev.haetae.moderation.api.MatchType.PDQ,
        pdqHex, dev.haetae.moderation.api.spi.HashBankSource.Entry.State.ACTIVE, Optional.of(addedAt),
        Optional.empty(), Optional.of(Category.NCII), Optional.of("review_violating on another instance"),
        Optional.of(uploader(account))));
  }

  /** How many of these PDQ hashes (hex) the engine's platform bank holds as active entries. */
  int bankedPdq(List<String> pdqHex) {
    int n = 0;
    Optional<dev.haetae.moderation.core.hash.Bank> bank = engine.banks().find(ModerationEngine.PLATFORM_BANK);
    for (String h : pdqHex) {
      n += bank.flatMap(b -> b.entry(dev.haetae.moderation.api.MatchType.PDQ, h))
          .filter(e -> e.state() == dev.haetae.moderation.api.spi.HashBankSource.Entry.State.ACTIVE).isPresent() ? 1 : 0;
    }
    return n;
  }

  /** Live strikes of an account now. */
  int strikes(String account) {
    return engine.strikes().live(AccountId.of(account), now());
  }

  /** Restrictive actions a report decision took, by name; empty when none. */
  static List<String> restrictions(Decision d) {
    List<String> out = new ArrayList<>();
    for (Action a : d.actions()) {
      if (a.restrictive() && !(a instanceof Action.QueueForReview) && !(a instanceof Action.PreserveEvidence)) {
        out.add(a.name());
      }
    }
    return out;
  }

  /** The reason codes of a decision. */
  static List<String> codes(Decision d) {
    List<String> out = new ArrayList<>();
    for (Reason r : d.reasons()) {
      out.add(r.code());
    }
    return out;
  }

  /** Counts of something, for measures, in a stable order. */
  static Map<String, Long> histogram(List<String> values) {
    Map<String, Long> out = new TreeMap<>();
    for (String v : values) {
      out.merge(v, 1L, Long::sum);
    }
    return out;
  }

  /** The re-check bound of a claim: the default reputation model's (the harness's configurations keep it). */
  Duration recheckBound(Category c) {
    return RECHECK.recheck(c);
  }

  private static final ReputationModel RECHECK = ReputationModel.defaults();

  /** What {@link #waitingPastBound} found: reports left waiting, those answered late, the longest wait. */
  record Waiting(int waited, List<String> late, Duration longest) {}

  /**
   * Checks every report whose first decision left it waiting (queued nothing; target not removed;
   * reporter not suspended; the same report sent again, or re-checked, does not start a new wait):
   * the next logged decision on it (its re-check, the same report sent
   * again, or a verdict judging its claim) came no later than its bound (first receipt plus its
   * category's bound) plus one tick. Reports whose bound lies beyond the clock are not judged.
   */
  Waiting waitingPastBound() {
    Map<String, Instant> first = new HashMap<>();
    List<Filed> all = new ArrayList<>(filed);
    all.addAll(rechecked);
    all.sort(java.util.Comparator.comparing(Filed::at));
    for (Filed f : filed) {
      first.putIfAbsent(f.report().reporter().value() + "|" + f.report().target(), f.at());
    }
    Map<String, List<Instant>> decided = new HashMap<>();
    for (Filed g : all) {
      decided.computeIfAbsent(g.report().reporter().value() + "|" + g.report().target(), k -> new ArrayList<>())
          .add(g.at());
    }
    Map<Target, List<Reviewed>> byTarget = new HashMap<>();
    for (Reviewed v : reviewed) {
      byTarget.computeIfAbsent(v.review().target(), k -> new ArrayList<>()).add(v);
    }
    List<String> late = new ArrayList<>();
    int waited = 0;
    Duration longest = Duration.ZERO;
    for (Filed f : all) {
      Signal.ReportIntake in = intakes.get(f.decision().id());
      if (f.decision().has(Action.QueueForReview.class) || in == null || in.duplicate() || in.targetRemoved()
          || in.misuse() == Signal.ReportIntake.Misuse.SUSPENDED) {
        continue;
      }
      UserReport r = f.report();
      String key = r.reporter().value() + "|" + r.target();
      Instant bound = first.get(key).plus(recheckBound(r.category()));
      if (!f.at().isBefore(bound)) {
        continue; // a decision at or after the bound: the report's re-check
      }
      if (bound.plus(TICK).isAfter(now())) {
        continue;
      }
      waited++;
      Optional<Instant> next = Optional.empty();
      for (Instant at : decided.get(key)) {
        if (at.isAfter(f.at())) {
          next = Optional.of(at);
          break;
        }
      }
      for (Reviewed v : byTarget.getOrDefault(r.target(), List.of())) {
        Instant at = v.decision().at();
        if (at.isAfter(f.at())
            && v.review().category().map(c -> c == r.category()).orElse(true)
            && (next.isEmpty() || at.isBefore(next.get()))) {
          next = Optional.of(at);
        }
      }
      Duration wait = Duration.between(f.at(), next.orElse(now()));
      longest = wait.compareTo(longest) > 0 ? wait : longest;
      if (next.isEmpty() || next.get().isAfter(bound.plus(TICK))) {
        late.add("a " + r.category().wireName() + " report by " + r.reporter().value() + " on " + r.target().id()
            + " waited from " + f.at() + " past its bound " + bound + " without a logged decision"
            + next.map(n -> " (next at " + n + ")").orElse(""));
      }
    }
    return new Waiting(waited, late, longest);
  }

  static boolean isRequest(Filed f, Class<? extends ModerationRequest> type) {
    return type.isInstance(f.report());
  }

  @Override
  public void close() {
    engine.close();
  }
}
