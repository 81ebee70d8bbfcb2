package dev.haetae.moderation.core.engine;

import dev.haetae.moderation.api.AccountEvent;
import dev.haetae.moderation.api.Action;
import dev.haetae.moderation.api.Appeal;
import dev.haetae.moderation.api.Category;
import dev.haetae.moderation.api.ContentEvent;
import dev.haetae.moderation.api.ContentId;
import dev.haetae.moderation.api.ContentKind;
import dev.haetae.moderation.api.Decision;
import dev.haetae.moderation.api.DecisionId;
import dev.haetae.moderation.api.Evidence;
import dev.haetae.moderation.api.Fingerprints;
import dev.haetae.moderation.api.LegalNotice;
import dev.haetae.moderation.api.ModerationRequest;
import dev.haetae.moderation.api.ObligationEvent;
import dev.haetae.moderation.api.Pdq;
import dev.haetae.moderation.api.Reason;
import dev.haetae.moderation.api.ReporterSanction;
import dev.haetae.moderation.api.ReviewOutcome;
import dev.haetae.moderation.api.Signal;
import dev.haetae.moderation.api.Target;
import dev.haetae.moderation.api.UserReport;
import dev.haetae.moderation.api.Verdict;
import dev.haetae.moderation.api.spi.EngineMemory;
import dev.haetae.moderation.api.spi.ObligationRecord;
import dev.haetae.moderation.core.effect.Effect;
import dev.haetae.moderation.core.legal.Instrument;
import dev.haetae.moderation.core.legal.JurisdictionProfiles;
import dev.haetae.moderation.core.legal.Obligations;
import dev.haetae.moderation.core.policy.PolicyPack;
import dev.haetae.moderation.core.reputation.ReportIntake;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Derives a decision's plan: the typed, ordered list of state changes it implies, from the
 * evidence, the decision and what the read phase found in the engine's memory, with the obligation
 * events the changes give. Pure: it reads and writes nothing. Immutable and thread-safe.
 */
final class Planner {
  private final JurisdictionProfiles profiles;
  private final Map<String, Duration> strikeTtls;
  private final Duration strikeTtl;
  private final dev.haetae.moderation.api.spi.Pseudonymizer pseudonymizer;

  Planner(JurisdictionProfiles profiles, Map<String, Duration> strikeTtls, Duration strikeTtl,
      dev.haetae.moderation.api.spi.Pseudonymizer pseudonymizer) {
    this.pseudonymizer = pseudonymizer;
    this.profiles = profiles;
    this.strikeTtls = Map.copyOf(strikeTtls);
    this.strikeTtl = strikeTtl;
  }

  /**
   * The keyed pseudonym a bank entry records for the account that posted removed content, and that
   * the read phase puts beside a report's platform-bank matches: {@code <key id>:<pseudonym>} of kind
   * {@code account}, the log's own pseudonym of the account, so that no raw id lands in the bank or
   * the log and an auditor can link the entry to the decisions about its poster. Deterministic for a
   * key (a keyed hash: it reads and writes nothing).
   */
  static String uploader(dev.haetae.moderation.api.spi.Pseudonymizer p, dev.haetae.moderation.api.AccountId a) {
    return p.keyId() + ":" + p.pseudonymize("account", a.value());
  }

  /** A decision's plan: its effects, in the order they are applied, and the obligation events they give. */
  record Plan(List<Effect> effects, List<ObligationEvent> events) {
    Plan {
      effects = List.copyOf(effects);
      events = List.copyOf(events);
    }
  }

  Plan plan(Evidence evidence, Decision d, Gatherer.Gathered g) {
    ModerationRequest req = evidence.request();
    Instant now = evidence.now();
    List<Effect> fx = new ArrayList<>(6);
    List<ObligationEvent> events = new ArrayList<>(0);
    Optional<EngineMemory.Posted> item = g.item;
    switch (req.requestKind()) {
      case CONTENT: {
        ContentEvent e = (ContentEvent) req;
        ContentId cid = e.content().id();
        Fingerprints fp = e.content().fingerprints();
        item = Optional.of(new EngineMemory.Posted(fp, e.account(), e.room(), e.content().surface(), Optional.of(now)));
        fx.add(new Effect.RememberContent(cid, fp, e.account(), e.room(), e.content().surface(), Optional.of(now)));
        if (g.pendingCopies.isPresent() && !fp.isEmpty()) {
          // a notice removed this content before its upload event reached us: block it and its copies now
          fx.add(new Effect.BankFingerprints(ModerationEngine.PLATFORM_BANK, g.pendingCopies.get(), fp,
              "identical copies of content removed under a notice (decision " + d.id().value() + ")",
              Optional.of(uploader(pseudonymizer, e.account()))));
          fx.add(new Effect.ClearPendingCopies(cid));
        }
        if (e.content().kind() == ContentKind.PROFILE_PHOTO) {
          // the latest event about a profile photo sets its protection: opting out withdraws it
          Optional<Pdq> pdq = fp.pdq();
          if (e.protect() && pdq.isPresent() && protectable(pdq.get())) {
            fx.add(new Effect.ProtectPhoto(e.account(), cid, pdq.get()));
          } else {
            fx.add(new Effect.WithdrawPhoto(e.account(), cid));
          }
        }
        break;
      }
      case REPORT: {
        ReportIntake intake = g.intake.orElseThrow();
        fx.add(new Effect.FileReport((UserReport) req, intake.signal(), d.id(), d.has(Action.QueueForReview.class),
            now));
        g.receipt.filter(Obligations.Receipt::opens).ifPresent(r -> { // a report-outcome clock
          fx.add(new Effect.OpenObligation(r.obligation().orElseThrow()));
          events.addAll(r.events());
        });
        break;
      }
      case NOTICE:
      case APPEAL:
        g.receipt.filter(Obligations.Receipt::opens).ifPresent(r -> {
          ObligationRecord o = r.obligation().orElseThrow();
          fx.add(new Effect.OpenObligation(o));
          if (req instanceof Appeal) {
            Appeal a = (Appeal) req;
            fx.add(new Effect.LinkAppeal(o.id(), a.appealId(), a.decision(), a.content()));
          }
          events.addAll(r.events());
        });
        break;
      case REVIEW:
        fx.add(new Effect.ApplyReview((ReviewOutcome) req, g.resolution.orElseThrow(), d.id(), now));
        break;
      case ACCOUNT:
        fx.add(new Effect.AccountFacts((AccountEvent) req, d.id(), now));
        break;
      case CONFIRMATION:
        break; // the log is where a confirmation lives: reports and explanations read it there
      case SANCTION:
        fx.add(new Effect.ApplySanction((ReporterSanction) req, d.id(), now));
        break;
      case EXPIRY:
        break; // the lift, if the policies decided one, is planned with the content below
      default:
        throw new IllegalStateException("unhandled request kind " + req.requestKind());
    }
    Optional<ContentId> cid = req.contentId();
    if (cid.isPresent()) {
      onContent(cid.get(), req, evidence, d, g, item, fx, events);
    }
    return new Plan(fx, events);
  }

  /** What a decision does to the content it concerns. */
  private void onContent(ContentId content, ModerationRequest req, Evidence evidence, Decision d,
      Gatherer.Gathered g, Optional<EngineMemory.Posted> item, List<Effect> fx, List<ObligationEvent> events) {
    Instant now = evidence.now();
    Optional<Instant> strikeAt = Optional.empty();
    for (Action a : d.actions()) {
      if (a instanceof Action.Reinstate) {
        DecisionId reversed = ((Action.Reinstate) a).reversed();
        EngineMemory.DecisionMemo m = g.memos.get(reversed);
        if (m != null) {
          fx.add(new Effect.Reinstate(reversed, m.content(),
              m.strikeAt().isPresent() ? m.account() : Optional.empty()));
          fx.add(new Effect.ReverseReports(Target.content(m.content()), m.at(), d.id(), now));
        }
      }
    }
    boolean reviewed = req instanceof ReviewOutcome;
    boolean humanConfirmed = reviewed && ((ReviewOutcome) req).verdict() == Verdict.VIOLATING;
    // a verdict that asks a second, independent reviewer (reports out of a flagged wave) neither
    // strikes nor banks: both wait for the second verdict
    boolean secondReview = d.action(Action.QueueForReview.class)
        .map(q -> q.lane().equals(PolicyPack.SECOND_REVIEW_LANE)).orElse(false);
    if (reviewed && !humanConfirmed && g.deferredStrike) {
      fx.add(new Effect.DropDeferredStrike(content)); // cleared by a person: the deferred strike is dropped
    }
    d.action(Action.RemoveCopies.class).ifPresent(rc -> {
      // identical copies posted before a notice that reaches them: removed with it, under its deadline
      for (ContentId copy : rc.copies()) {
        if (!copy.equals(content)) {
          fx.add(new Effect.MarkRemoved(copy, now));
        }
      }
    });
    measure(content, evidence, d, g, fx);
    if ((d.has(Action.Remove.class) || d.has(Action.TemporaryMeasure.class)) && !g.removed) {
      fx.add(new Effect.MarkRemoved(content, now));
      List<Obligations.Fulfilment> done = Obligations.planFulfil(g.open, true, now);
      if (item.isPresent() && (!reviewed || humanConfirmed)) {
        if ((!reviewed && d.has(Action.QueueForReview.class)) || secondReview) {
          // the decision also asks a person to look (e.g. an uncertain match hidden meanwhile): a
          // machine's guess must not count towards restrictions, so the strike waits for the verdict
          fx.add(secondReview && reviewed
              ? new Effect.DeferStrike(content, Optional.of(d.id()), ((ReviewOutcome) req).reviewer())
              : new Effect.DeferStrike(content));
        } else {
          strikeAt = Optional.of(now.plus(strikeTtl(d)));
          fx.add(new Effect.Strike(item.get().account(), content, strikeAt.get()));
          if (g.deferredStrike) {
            fx.add(new Effect.DropDeferredStrike(content));
          }
        }
      }
      for (Obligations.Fulfilment f : done) {
        ObligationRecord o = f.before();
        fx.add(new Effect.FulfilObligation(o.id(), now));
        events.add(f.event());
        if (!o.preserveFor().isZero()) {
          fx.add(new Effect.PlaceHold(content, o.id(), o.citation(), now, o.preserveFor()));
        }
        boolean identical = profiles.instrument(o.instrument()).map(Instrument::removeIdenticalCopies).orElse(false);
        if (identical && item.isPresent() && !item.get().fingerprints().isEmpty()
            && !d.has(Action.BlockReupload.class)) {
          fx.add(new Effect.BankFingerprints(ModerationEngine.PLATFORM_BANK, o.category(), item.get().fingerprints(),
              "identical copies under " + o.instrument() + " (decision " + d.id().value() + ")",
              Optional.of(uploader(pseudonymizer, item.get().account()))));
        } else if (identical && item.isEmpty()) {
          fx.add(new Effect.BlockCopiesWhenSeen(content, o.category()));
        }
      }
    } else if (secondReview && humanConfirmed && item.isPresent()) {
      // content already hidden (e.g. pending this review): the first verdict is still remembered, so
      // that the second one is recognised as such and the first reviewer cannot give it (strikes are
      // per content, so a strike an earlier decision already gave is not doubled)
      fx.add(new Effect.DeferStrike(content, Optional.of(d.id()), ((ReviewOutcome) req).reviewer()));
    } else if (humanConfirmed && item.isPresent() && g.deferredStrike && !secondReview) {
      strikeAt = Optional.of(now.plus(strikeTtl(d)));
      fx.add(new Effect.Strike(item.get().account(), content, strikeAt.get()));
      fx.add(new Effect.DropDeferredStrike(content));
    }
    if (reviewed) {
      for (Obligations.Fulfilment f : Obligations.planFulfil(g.open, false, now)) {
        fx.add(new Effect.FulfilObligation(f.before().id(), now));
        events.add(f.event());
      }
    }
    d.action(Action.PreserveEvidence.class).ifPresent(p -> fx.add(new Effect.PlaceHold(content,
        "decision:" + d.id().value(), groundOf(d), now, p.period())));
    Category banked = categoryOf(d);
    if (d.has(Action.BlockReupload.class) && !secondReview && (!reviewed || PolicyPack.BANKED_ON_REVIEW.contains(banked))) {
      Fingerprints fp = item.map(EngineMemory.Posted::fingerprints).orElse(Fingerprints.none());
      if (!fp.isEmpty()) {
        fx.add(new Effect.BankFingerprints(ModerationEngine.PLATFORM_BANK, banked, fp, bankReason(req, d),
            item.map(i -> uploader(pseudonymizer, i.account()))));
      }
    }
    if (req instanceof ContentEvent) {
      ContentEvent e = (ContentEvent) req;
      if (e.room().isPresent() && !d.reasons().isEmpty() && d.restrictive()) {
        fx.add(new Effect.RoomMatch(e.room().get(), content, now));
      }
    }
    Optional<String> instrument = governingInstrument(req, evidence);
    if (!(req instanceof ContentEvent) || d.restrictive() || strikeAt.isPresent() || instrument.isPresent()) {
      // an upload that restricted nothing, struck nobody and fell under no instrument leaves nothing
      // an appeal or a review could reverse: remembering it would cost a memory write per upload
      fx.add(new Effect.RememberDecision(d.id(), content, item.map(EngineMemory.Posted::account),
          instrument, categoryOf(d), d.restrictive(), strikeAt, now,
          d.actions().stream().map(Action::actionKind).collect(java.util.stream.Collectors.toSet())));
    }
  }

  /**
   * A temporary measure the decision takes (hidden like a removal above, remembered with its expiry)
   * or ends (closed; access restored unless the removal is upheld). Only a measure the evidence shows
   * open, with the decision that took it, can be ended, so replay plans the same.
   */
  private static void measure(ContentId content, Evidence evidence, Decision d, Gatherer.Gathered g, List<Effect> fx) {
    d.action(Action.TemporaryMeasure.class).ifPresent(t -> {
      for (Signal.TemporaryMeasure m : evidence.signals(Signal.TemporaryMeasure.class)) {
        if (m.measure().isEmpty() && !g.removed) {
          fx.add(new Effect.OpenMeasure(new EngineMemory.Measure(content, d.id(), m.instrument(), evidence.now(),
              t.until())));
          return;
        }
      }
    });
    d.action(Action.EndMeasure.class).ifPresent(e -> {
      for (Signal.TemporaryMeasure m : evidence.signals(Signal.TemporaryMeasure.class)) {
        if (m.measure().equals(Optional.of(e.measure()))) {
          fx.add(new Effect.CloseMeasure(content, e.measure(), e.ending() != Action.EndMeasure.Ending.UPHELD));
          return;
        }
      }
    });
  }

  /** The PDQ quality below which a profile photo is not protected (the threshold hash lists use). */
  static final int MIN_PHOTO_QUALITY = 50;

  /**
   * Whether a profile photo's hash is good enough to protect: a flat or nearly flat image's hash
   * describes rounding, not content, and would flag every plain image of a similar grey.
   */
  static boolean protectable(Pdq pdq) {
    return pdq.quality() == Pdq.UNKNOWN_QUALITY || pdq.quality() >= MIN_PHOTO_QUALITY;
  }

  /** The notice instrument that governed a decision: the notice's own, or the earliest open obligation's. */
  private Optional<String> governingInstrument(ModerationRequest req, Evidence evidence) {
    if (req instanceof LegalNotice) {
      String id = ((LegalNotice) req).instrument();
      if (profiles.instrument(id).isPresent()) {
        return Optional.of(id);
      }
    }
    for (Signal.Obligation o : evidence.signals(Signal.Obligation.class)) {
      Optional<Instrument> i = profiles.instrument(o.instrument());
      if (i.isPresent() && i.get().kind() == Instrument.Kind.NOTICE) {
        return Optional.of(o.instrument());
      }
    }
    return Optional.empty();
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
    return ttl == null ? strikeTtl : ttl;
  }

  private static String groundOf(Decision d) {
    for (Reason r : d.reasons()) {
      if (r.ground().isPresent()) {
        return r.ground().get().citation();
      }
    }
    return "decision " + d.id().value();
  }

  static Category categoryOf(Decision d) {
    for (Reason r : d.reasons()) {
      if (r.category().isPresent()) {
        return r.category().get();
      }
    }
    return Category.OTHER;
  }

  /** Why content is banked: the reason code, a review's verdict, and the decision. */
  private static String bankReason(ModerationRequest req, Decision d) {
    String verdict = "";
    if (req instanceof ReviewOutcome) {
      ReviewOutcome r = (ReviewOutcome) req;
      verdict = " on review verdict " + r.verdict().wireName()
          + r.category().map(c -> " " + c.wireName()).orElse("");
    }
    return reasonCode(d) + verdict + " (decision " + d.id().value() + ")";
  }

  private static String reasonCode(Decision d) {
    for (Reason r : d.reasons()) {
      if (r.category().isPresent()) {
        return r.code();
      }
    }
    return d.reasons().isEmpty() ? "block_reupload" : d.reasons().get(0).code();
  }
}
