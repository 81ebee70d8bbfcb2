package dev.haetae.moderation.core.engine;

import dev.haetae.moderation.api.AccountId;
import dev.haetae.moderation.api.ActionConfirmation;
import dev.haetae.moderation.api.Appeal;
import dev.haetae.moderation.api.Category;
import dev.haetae.moderation.api.ContentEvent;
import dev.haetae.moderation.api.ContentId;
import dev.haetae.moderation.api.ContentKind;
import dev.haetae.moderation.api.DecisionId;
import dev.haetae.moderation.api.InvalidRequestException;
import dev.haetae.moderation.api.LegalNotice;
import dev.haetae.moderation.api.MeasureExpiry;
import dev.haetae.moderation.api.ModerationRequest;
import dev.haetae.moderation.api.ReporterId;
import dev.haetae.moderation.api.ReporterSanction;
import dev.haetae.moderation.api.ReviewOutcome;
import dev.haetae.moderation.api.Signal;
import dev.haetae.moderation.api.Target;
import dev.haetae.moderation.api.UserReport;
import dev.haetae.moderation.api.spi.EngineMemory;
import dev.haetae.moderation.api.spi.ObligationRecord;
import dev.haetae.moderation.api.spi.Pseudonymizer;
import dev.haetae.moderation.api.spi.ReputationStore;
import dev.haetae.moderation.api.spi.StrikeStore;
import dev.haetae.moderation.core.hash.HashBanks;
import dev.haetae.moderation.core.legal.Instrument;
import dev.haetae.moderation.core.legal.JurisdictionProfiles;
import dev.haetae.moderation.core.legal.Obligations;
import dev.haetae.moderation.core.reputation.ReportContext;
import dev.haetae.moderation.core.reputation.ReportIntake;
import dev.haetae.moderation.core.reputation.ReputationModel;
import dev.haetae.moderation.core.text.IdentifyingDetails;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The read phase of a decision: gathers the signals the policies see and the facts the plan needs,
 * from the banks, the engine's memory and the stores, and changes nothing. A new report is weighed
 * in memory next to the stored ones; a notice's or an appeal's obligation is worked out, not
 * opened. Thread-safe (it holds no state of its own).
 */
final class Gatherer {
  private final HashBanks banks;
  private final EngineMemory memory;
  private final int photoDistance;
  private final Duration roomWindow;
  private final StrikeStore strikes;
  private final ReputationStore reputation;
  private final ReputationModel reputationModel;
  private final Obligations obligations;
  private final Instrument defaultAppeal;
  private final IdentifyingDetails details;
  private final Optional<Instrument> reportClock;
  private final Pseudonymizer pseudonymizer;

  Gatherer(HashBanks banks, EngineMemory memory, int photoDistance, Duration roomWindow, StrikeStore strikes,
      ReputationStore reputation, ReputationModel reputationModel, Obligations obligations, Instrument defaultAppeal,
      IdentifyingDetails details, Optional<Instrument> reportClock,
      Pseudonymizer pseudonymizer) {
    this.pseudonymizer = pseudonymizer;
    this.banks = banks;
    this.memory = memory;
    this.photoDistance = Math.min(photoDistance, 128);
    this.roomWindow = roomWindow;
    this.strikes = strikes;
    this.reputation = reputation;
    this.reputationModel = reputationModel;
    this.obligations = obligations;
    this.defaultAppeal = defaultAppeal;
    this.details = details;
    this.reportClock = reportClock;
  }

  /**
   * What the read phase found: the signals and versions for the evidence, and the facts of the
   * engine's memory the plan needs but the policies do not.
   */
  static final class Gathered {
    final List<Signal> signals = new ArrayList<>(4);
    final Map<String, String> versions = new HashMap<>();
    /** What the engine remembers of the content concerned (for a content event: nothing before it). */
    Optional<EngineMemory.Posted> item = Optional.empty();
    /** Whether the content concerned was already removed. */
    boolean removed;
    /** Whether the content's strike waits for a person's verdict. */
    boolean deferredStrike;
    /** A notice removed the content before it was seen: the category to bank its copies under. */
    Optional<Category> pendingCopies = Optional.empty();
    /** The open obligations on the content, as read. */
    List<ObligationRecord> open = List.of();
    /** A notice's, an appeal's or (with a report-outcome clock) a report's receipt, as worked out. */
    Optional<Obligations.Receipt> receipt = Optional.empty();
    /** The weighed report. */
    Optional<ReportIntake> intake = Optional.empty();
    /** What a review verdict does to the reports on its target. */
    Optional<Signal.ReportResolution> resolution = Optional.empty();
    /** The decisions an appeal or an appeal review refers to, as remembered. */
    final Map<DecisionId, EngineMemory.DecisionMemo> memos = new HashMap<>(0);
    /** The content's open temporary measure, as read (on notices, verdicts and expiries). */
    Optional<EngineMemory.Measure> measure = Optional.empty();
  }

  Gathered gather(ModerationRequest req, Instant now) {
    Gathered g = new Gathered();
    switch (req.requestKind()) {
      case CONTENT:
        content((ContentEvent) req, now, g);
        break;
      case REPORT:
        report((UserReport) req, now, g);
        break;
      case NOTICE:
        notice((LegalNotice) req, now, g);
        break;
      case APPEAL:
        appeal((Appeal) req, now, g);
        break;
      case REVIEW:
        review((ReviewOutcome) req, now, g);
        break;
      case ACCOUNT:
        g.versions.put("reputation", reputationModel.version());
        break;
      case CONFIRMATION:
        confirmation((ActionConfirmation) req, g);
        break;
      case EXPIRY: {
        MeasureExpiry x = (MeasureExpiry) req;
        known(x.content(), g);
        openMeasure(x.content(), g);
        break;
      }
      case SANCTION:
        // refused before anything is logged unless it answers the reporter's case as it stands
        reputationModel.checkSanction((ReporterSanction) req, reputation);
        g.versions.put("reputation", reputationModel.version());
        break;
      default:
        throw new IllegalStateException("unhandled request kind " + req.requestKind());
    }
    return g;
  }

  private void content(ContentEvent e, Instant now, Gathered g) {
    ContentId cid = e.content().id();
    EngineMemory.ContentState known = memory.content(cid);
    g.removed = known.isRemoved();
    g.pendingCopies = known.blockCopies();
    List<Signal.HashMatch> matches = new ArrayList<>(platformFiltered(banks.match(e.content().fingerprints())));
    if (g.pendingCopies.isPresent()) {
      // a notice removed this content before its upload reached us: its plan banks it now, and it
      // matches what it is about to be banked as, as it would once banked
      matches.addAll(pendingMatches(g.pendingCopies.get(), e.content().fingerprints(), matches));
    }
    g.signals.addAll(matches);
    if (e.content().kind() != ContentKind.PROFILE_PHOTO && e.content().fingerprints().pdq().isPresent()) {
      for (EngineMemory.PhotoMatch m : memory.matchPhotos(e.content().fingerprints().pdq().get(), photoDistance)) {
        if (!m.owner().equals(e.account())) {
          g.signals.add(new Signal.ProfilePhotoMatch(m.owner(), m.photo(), m.distance()));
        }
      }
    }
    g.versions.putAll(banks.versions());
    g.signals.add(new Signal.AccountStanding(e.account(), strikes.live(e.account(), now), false,
        reputation.reporter(ReporterId.of(e.account().value())).flatMap(r -> r.accountCreated())
            .map(t -> Duration.between(t, now))));
    if (e.room().isPresent() && !matches.isEmpty()) {
      g.signals.add(new Signal.RoomActivity(e.room().get(),
          memory.roomMatches(e.room().get(), now.minus(roomWindow)) + 1, roomWindow));
    }
    e.content().text().ifPresent(t -> {
      g.signals.add(details.scan(t));
      g.versions.put("text", details.id());
    });
    openObligations(cid, g);
  }

  private void report(UserReport r, Instant now, Gathered g) {
    Optional<ContentId> cid = contentOf(r.target());
    cid.ifPresent(c -> known(c, g));
    Optional<AccountId> owner = r.target() instanceof Target.OfAccount
        ? Optional.of(((Target.OfAccount) r.target()).account())
        : g.item.map(EngineMemory.Posted::account);
    ReportIntake intake = reputationModel.intake(r, now, reputation, new ReportContext(g.removed, owner));
    g.intake = Optional.of(intake);
    g.signals.add(intake.reports());
    g.signals.add(intake.signal());
    g.versions.put("reputation", reputationModel.version());
    if (cid.isPresent()) {
      g.item.ifPresent(item -> {
        List<Signal.HashMatch> matches = withAddedAt(platformFiltered(banks.match(item.fingerprints())));
        g.signals.addAll(matches);
        if (matches.stream().anyMatch(m -> m.uploader().isPresent())) {
          withPoster(Planner.uploader(pseudonymizer, item.account()), g);
        }
        g.versions.putAll(banks.versions());
      });
      openObligations(cid.get(), g);
      if (reportClock.isPresent()) {
        // the reporter is to be told the outcome within the instrument's time: the verdict tells them
        g.receipt = Optional.of(obligations.planReport(r.reporter(), cid.get(), r.category(), reportClock.get(),
            now));
      }
    }
  }

  private void notice(LegalNotice n, Instant now, Gathered g) {
    known(n.content(), g);
    Obligations.Receipt receipt = obligations.planReceipt(n, g.item.map(EngineMemory.Posted::surface), g.removed,
        now);
    g.receipt = Optional.of(receipt);
    if (receipt.opens() && g.item.isPresent() && !g.removed && obligations.profiles().instrument(n.instrument())
        .map(dev.haetae.moderation.core.legal.Instrument::removeIdenticalCopies).orElse(false)) {
      identicalCopies(n.content(), g);
    }
    g.signals.add(receipt.check());
    g.signals.add(receipt.toSignal());
    openMeasure(n.content(), g);
    Optional<Instrument> ins = obligations.profiles().instrument(n.instrument());
    if (receipt.opens() && g.measure.isEmpty() && !g.removed && ins.map(Instrument::takesTemporaryMeasure).orElse(false)
        && receipt.obligation().map(ObligationRecord::isOpen).orElse(false)) {
      // the measure this notice would take: the policy decides from it, so replay reads the same expiry
      g.signals.add(new Signal.TemporaryMeasure(n.instrument(), Optional.empty(), now,
          now.plus(ins.get().temporaryMeasureFor())));
    }
    openObligations(n.content(), g);
    if (receipt.opens()) {
      ObligationRecord o = receipt.obligation().orElseThrow();
      if (o.isOpen()) {
        // opened by this decision: the policies see it like any other open obligation
        List<ObligationRecord> open = new ArrayList<>(g.open);
        open.add(o);
        open.sort(java.util.Comparator.comparing(ObligationRecord::deadline));
        g.open = open;
        g.signals.removeIf(s -> s instanceof Signal.Obligation);
        for (ObligationRecord x : open) {
          g.signals.add(Obligations.toSignal(x));
        }
      }
    }
    g.versions.put("jurisdictions", obligations.profiles().version());
  }

  private void appeal(Appeal a, Instant now, Gathered g) {
    Optional<EngineMemory.DecisionMemo> memo = memory.decision(a.decision());
    memo.ifPresent(m -> g.memos.put(a.decision(), m));
    known(a.content(), g);
    Optional<String> governing = memo.flatMap(EngineMemory.DecisionMemo::instrument);
    JurisdictionProfiles profiles = obligations.profiles();
    Instrument appealIns = governing.flatMap(profiles::instrument).flatMap(Instrument::appeal)
        .flatMap(profiles::instrument).orElse(defaultAppeal);
    Instant windowEnd = Obligations.appealWindowEnd(a.informedAt(), appealIns.appealWindow());
    boolean within = now.isBefore(windowEnd);
    boolean duplicate = false;
    Optional<String> obligation = Optional.empty();
    if (within) {
      Obligations.Receipt r = obligations.planAppeal(a.appealId(), appealIns, a.content(),
          memo.map(EngineMemory.DecisionMemo::category).orElse(Category.OTHER), now);
      g.receipt = Optional.of(r);
      duplicate = r.check().duplicate();
      obligation = r.obligation().map(ObligationRecord::id);
      r.obligation().filter(ObligationRecord::isOpen).ifPresent(o -> g.signals.add(Obligations.toSignal(o)));
    }
    g.signals.add(new Signal.AppealWindow(a.appealId(), a.decision(), memo.isPresent(), governing, appealIns.id(),
        appealIns.citation(), appealIns.appealWindow(), a.informedAt(), windowEnd, within, duplicate, obligation));
    g.versions.put("jurisdictions", profiles.version());
  }

  private void review(ReviewOutcome r, Instant now, Gathered g) {
    Optional<ContentId> cid = contentOf(r.target());
    Optional<EngineMemory.ContentState> state = cid.map(c -> known(c, g));
    state.flatMap(EngineMemory.ContentState::secondReview).ifPresent(first -> {
      // the verdict a second reviewer answers: its plan is what a "not violating" reverses
      memory.decision(first.decision()).ifPresent(m -> g.memos.put(first.decision(), m));
      if (r.reviewer().isPresent() && first.reviewer().equals(r.reviewer())) {
        // refused before anything is logged or changed: the host routes the item to someone else
        throw new InvalidRequestException("review.reviewer", "the verdict of decision " + first.decision().value()
            + " asked a second, independent reviewer, and this verdict comes from the same reviewer");
      }
    });
    Optional<AccountId> owner = r.target() instanceof Target.OfAccount
        ? Optional.of(((Target.OfAccount) r.target()).account())
        : g.item.map(EngineMemory.Posted::account);
    Signal.ReportResolution resolution = reputationModel.resolution(r, now, reputation,
        new ReportContext(g.removed, owner));
    g.resolution = Optional.of(resolution);
    g.signals.add(0, resolution); // first, as before the owner was looked up
    g.versions.put("reputation", reputationModel.version());
    if (cid.isEmpty()) {
      return;
    }
    g.deferredStrike = state.orElseThrow().strikeDeferred();
    openMeasure(cid.get(), g);
    openObligations(cid.get(), g);
    for (ObligationRecord o : g.open) {
      memory.appealLink(o.id()).ifPresent(link -> {
        Optional<EngineMemory.DecisionMemo> memo = memory.decision(link.decision());
        memo.ifPresent(m -> g.memos.put(link.decision(), m));
        g.signals.add(new Signal.AppealReview(link.appealId(), link.decision(), o.id(), o.instrument(), o.citation(),
            memo.map(EngineMemory.DecisionMemo::restrictive).orElse(true)));
      });
    }
    g.versions.put("jurisdictions", obligations.profiles().version());
  }

  /**
   * The host's report of an action, checked against what the memory remembers of its decision: the
   * evidence flags a stray confirmation in its own record (reports read the log too).
   */
  private void confirmation(ActionConfirmation c, Gathered g) {
    Optional<EngineMemory.DecisionMemo> memo = memory.decision(c.decision());
    Signal.ConfirmationCheck.Standing standing = memo.isEmpty() ? Signal.ConfirmationCheck.Standing.UNKNOWN_DECISION
        : memo.get().actions().isEmpty() ? Signal.ConfirmationCheck.Standing.NOT_RECORDED
        : memo.get().actions().contains(c.action()) ? Signal.ConfirmationCheck.Standing.PLANNED
        : Signal.ConfirmationCheck.Standing.NOT_PLANNED;
    g.signals.add(new Signal.ConfirmationCheck(c.decision(), c.action(), standing));
  }

  /** The content's open temporary measure, as a signal and as a fact for the plan. */
  private void openMeasure(ContentId cid, Gathered g) {
    g.measure = memory.openMeasure(cid);
    g.measure.ifPresent(m -> g.signals.add(new Signal.TemporaryMeasure(m.instrument(), Optional.of(m.decision()),
        m.start(), m.until())));
  }

  /** What the engine remembers of a piece of content, as a signal and as facts for the plan. */
  private EngineMemory.ContentState known(ContentId cid, Gathered g) {
    EngineMemory.ContentState known = memory.content(cid);
    g.removed = known.isRemoved();
    g.item = known.posted();
    g.item.ifPresent(i -> g.signals.add(new Signal.KnownContent(cid, i.fingerprints(), i.account(), i.room(),
        i.surface(), g.removed, i.at(), known.secondReview().map(EngineMemory.FirstVerdict::decision))));
    return known;
  }

  /**
   * Puts the poster's keyed pseudonym in the known content's signal, made as a bank entry's uploader
   * is, so that a policy compares the two like with like, live and in replay.
   */
  private static void withPoster(String poster, Gathered g) {
    for (int i = 0; i < g.signals.size(); i++) {
      if (g.signals.get(i) instanceof Signal.KnownContent) {
        g.signals.set(i, ((Signal.KnownContent) g.signals.get(i)).withPoster(poster));
      }
    }
  }

  /** The most identical copies a notice lists and removes in one decision. */
  static final int MAX_IDENTICAL_COPIES = 100;

  /**
   * Lists, in the known content's signal, the identical copies (same SHA-256 or MD5) posted before a
   * notice whose instrument requires removing them: the policy reads them from the evidence, so the
   * decision replays from the log.
   */
  private void identicalCopies(ContentId cid, Gathered g) {
    List<ContentId> copies = memory.identicalCopies(g.item.orElseThrow().fingerprints(), cid, MAX_IDENTICAL_COPIES);
    if (copies.isEmpty()) {
      return;
    }
    for (int i = 0; i < g.signals.size(); i++) {
      if (g.signals.get(i) instanceof Signal.KnownContent) {
        Signal.KnownContent k = (Signal.KnownContent) g.signals.get(i);
        g.signals.set(i, new Signal.KnownContent(k.content(), k.fingerprints(), k.account(), k.room(), k.surface(),
            k.removed(), k.postedAt(), k.secondReviewOf(), copies));
      }
    }
  }

  private void openObligations(ContentId cid, Gathered g) {
    g.open = obligations.open(cid);
    for (ObligationRecord o : g.open) {
      g.signals.add(Obligations.toSignal(o));
    }
  }

  private static Optional<ContentId> contentOf(Target t) {
    return t instanceof Target.OfContent ? Optional.of(((Target.OfContent) t).content()) : Optional.empty();
  }

  /** The platform-bank matches of fingerprints about to be banked, except those already matched. */
  private List<Signal.HashMatch> pendingMatches(Category category, dev.haetae.moderation.api.Fingerprints fp,
      List<Signal.HashMatch> have) {
    Optional<dev.haetae.moderation.core.hash.Bank> bank = banks.find(ModerationEngine.PLATFORM_BANK);
    long version = bank.map(dev.haetae.moderation.core.hash.Bank::version).orElse(0L);
    int distance = bank.map(b -> b.config().pdqDistance()).orElse(HashBanks.DEFAULT_PDQ_DISTANCE);
    List<Signal.HashMatch> out = new ArrayList<>(3);
    fp.sha256().ifPresent(h -> out.add(new Signal.HashMatch(ModerationEngine.PLATFORM_BANK, version, category,
        dev.haetae.moderation.api.MatchType.SHA256, h.toHex(), 0, 0, -1, false)));
    fp.md5().ifPresent(h -> out.add(new Signal.HashMatch(ModerationEngine.PLATFORM_BANK, version, category,
        dev.haetae.moderation.api.MatchType.MD5, h.toHex(), 0, 0, -1, false)));
    fp.pdq().ifPresent(p -> out.add(new Signal.HashMatch(ModerationEngine.PLATFORM_BANK, version, category,
        dev.haetae.moderation.api.MatchType.PDQ, p.hash().toHex(), 0, distance, p.quality(), false)));
    out.removeIf(m -> have.stream().anyMatch(x -> x.bank().equals(m.bank()) && x.type() == m.type()
        && x.entry().equals(m.entry())));
    return out;
  }

  /**
   * A report's platform-bank matches with their entries' addition times and uploaders, so that a
   * policy can tell a report on the banked poster's own copies from one on someone else's content
   * (and, for entries without an uploader, content posted before the entry existed from a later
   * copy). Other banks' matches are kept as they are.
   */
  private List<Signal.HashMatch> withAddedAt(List<Signal.HashMatch> matches) {
    Optional<dev.haetae.moderation.core.hash.Bank> platform = banks.find(ModerationEngine.PLATFORM_BANK);
    if (platform.isEmpty()) {
      return matches;
    }
    List<Signal.HashMatch> out = new ArrayList<>(matches.size());
    for (Signal.HashMatch m : matches) {
      out.add(m.bank().equals(ModerationEngine.PLATFORM_BANK)
          ? platform.get().entry(m.type(), m.entry())
              .map(e -> e.uploader().map(u -> m.withAddedAt(e.addedAt()).withUploader(u))
                  .orElseGet(() -> m.withAddedAt(e.addedAt())))
              .orElse(m)
          : m);
    }
    return out;
  }

  /** Drops platform-bank matches against content an appeal reinstated. */
  private List<Signal.HashMatch> platformFiltered(List<Signal.HashMatch> matches) {
    List<String> platform = null;
    for (Signal.HashMatch m : matches) {
      if (m.bank().equals(ModerationEngine.PLATFORM_BANK)) {
        (platform == null ? platform = new ArrayList<>(3) : platform).add(m.entry());
      }
    }
    if (platform == null) {
      return matches;
    }
    java.util.Set<String> reinstated = memory.reinstatedEntries(platform);
    if (reinstated.isEmpty()) {
      return matches;
    }
    List<Signal.HashMatch> out = new ArrayList<>(matches.size());
    for (Signal.HashMatch m : matches) {
      if (!(m.bank().equals(ModerationEngine.PLATFORM_BANK) && reinstated.contains(m.entry()))) {
        out.add(m);
      }
    }
    return out;
  }
}
