package dev.haetae.moderation.core.engine;

import dev.haetae.moderation.api.ObligationEvent;
import dev.haetae.moderation.api.spi.EngineMemory;
import dev.haetae.moderation.api.spi.EvidenceHoldStore;
import dev.haetae.moderation.api.spi.ReputationStore;
import dev.haetae.moderation.api.spi.StrikeStore;
import dev.haetae.moderation.core.effect.Effect;
import dev.haetae.moderation.core.hash.HashBanks;
import dev.haetae.moderation.core.legal.Obligations;
import dev.haetae.moderation.core.reputation.ReputationModel;
import java.util.ArrayList;
import java.util.List;

/**
 * The apply phase: carries out a logged decision's plan on the engine's memory and stores, one
 * effect at a time, in order. Every effect is idempotent, so a plan applied again after a crash
 * changes nothing that was already changed. Thread-safe as its stores are.
 *
 * <p>Content banked by a plan goes to the engine's own banks and to the {@link SharedBank}, from
 * which every other instance of a fleet follows it.
 */
final class Applier {
  private final HashBanks banks;
  private final SharedBank sharedBank;
  private final EngineMemory memory;
  private final StrikeStore strikes;
  private final ReputationStore reputation;
  private final ReputationModel reputationModel;
  private final Obligations obligations;
  private final EvidenceHoldStore holds;

  Applier(HashBanks banks, SharedBank sharedBank, EngineMemory memory, StrikeStore strikes,
      ReputationStore reputation, ReputationModel reputationModel, Obligations obligations, EvidenceHoldStore holds) {
    this.banks = banks;
    this.sharedBank = sharedBank;
    this.memory = memory;
    this.strikes = strikes;
    this.reputation = reputation;
    this.reputationModel = reputationModel;
    this.obligations = obligations;
    this.holds = holds;
  }

  /**
   * Applies a plan.
   *
   * @param effects the plan's effects, in order
   * @param planned the obligation events the plan gives, as planned
   * @return the obligation events this application made (an obligation another instance opened or
   *     fulfilled first gives none)
   * @throws dev.haetae.moderation.api.StoreUnavailableException when a shared store fails; the
   *     effects before the failing one are applied, the rest are not (applying the plan again
   *     completes it)
   */
  List<ObligationEvent> apply(List<Effect> effects, List<ObligationEvent> planned) {
    List<ObligationEvent> out = new ArrayList<>(planned.size());
    for (Effect e : effects) {
      apply(e, planned, out);
    }
    return out;
  }

  private void apply(Effect effect, List<ObligationEvent> planned, List<ObligationEvent> out) {
    // a switch expression over the kind: a new effect type does not compile until it is handled here
    boolean applied = switch (effect.kind()) {
      case REMEMBER_CONTENT -> {
        Effect.RememberContent e = (Effect.RememberContent) effect;
        memory.rememberContent(e.content(), new EngineMemory.Posted(e.fingerprints(), e.account(), e.room(),
            e.surface(), e.at()));
        yield true;
      }
      case CLEAR_PENDING_COPIES -> {
        memory.clearBlockCopies(((Effect.ClearPendingCopies) effect).content());
        yield true;
      }
      case BANK_FINGERPRINTS -> {
        Effect.BankFingerprints e = (Effect.BankFingerprints) effect;
        sharedBank.add(e.bank(), e.category(), e.fingerprints(), e.category(), e.reason(), e.uploader());
        banks.addFingerprints(e.bank(), e.category(), e.fingerprints(), e.reason(), e.uploader().orElse(null));
        memory.clearReinstated(e.fingerprints());
        yield true;
      }
      case PROTECT_PHOTO -> {
        Effect.ProtectPhoto e = (Effect.ProtectPhoto) effect;
        memory.protectPhoto(e.owner(), e.photo(), e.pdq().hash());
        yield true;
      }
      case WITHDRAW_PHOTO -> {
        Effect.WithdrawPhoto e = (Effect.WithdrawPhoto) effect;
        memory.withdrawPhoto(e.owner(), e.photo());
        yield true;
      }
      case OPEN_MEASURE -> {
        memory.openMeasure(((Effect.OpenMeasure) effect).measure());
        yield true;
      }
      case CLOSE_MEASURE -> {
        Effect.CloseMeasure e = (Effect.CloseMeasure) effect;
        memory.closeMeasure(e.content(), e.measure());
        if (e.restore()) {
          memory.reinstate(e.content());
        }
        yield true;
      }
      case MARK_REMOVED -> {
        Effect.MarkRemoved e = (Effect.MarkRemoved) effect;
        memory.markRemoved(e.content(), e.at());
        yield true;
      }
      case REINSTATE -> {
        Effect.Reinstate e = (Effect.Reinstate) effect;
        memory.reinstate(e.content());
        e.account().ifPresent(a -> strikes.clear(a, e.content()));
        yield true;
      }
      case DEFER_STRIKE -> {
        Effect.DeferStrike e = (Effect.DeferStrike) effect;
        memory.deferStrike(e.content());
        e.secondReviewOf().ifPresent(d -> memory.awaitSecondReview(e.content(),
            new EngineMemory.FirstVerdict(d, e.reviewer())));
        yield true;
      }
      case DROP_DEFERRED_STRIKE -> {
        memory.dropDeferredStrike(((Effect.DropDeferredStrike) effect).content());
        yield true;
      }
      case STRIKE -> {
        Effect.Strike e = (Effect.Strike) effect;
        strikes.record(e.account(), e.content(), e.expires());
        yield true;
      }
      case BLOCK_COPIES_WHEN_SEEN -> {
        Effect.BlockCopiesWhenSeen e = (Effect.BlockCopiesWhenSeen) effect;
        memory.blockCopiesWhenSeen(e.content(), e.category());
        yield true;
      }
      case ROOM_MATCH -> {
        Effect.RoomMatch e = (Effect.RoomMatch) effect;
        memory.roomMatch(e.room(), e.content(), e.at());
        yield true;
      }
      case REMEMBER_DECISION -> {
        Effect.RememberDecision e = (Effect.RememberDecision) effect;
        memory.rememberDecision(e.decision(), new EngineMemory.DecisionMemo(e.content(), e.account(), e.instrument(),
            e.category(), e.restrictive(), e.strikeExpires(), e.at(), e.actions()));
        yield true;
      }
      case OPEN_OBLIGATION -> {
        Effect.OpenObligation e = (Effect.OpenObligation) effect;
        if (obligations.open(e.obligation())) {
          for (ObligationEvent ev : planned) {
            if (ev.obligation().id().equals(e.obligation().id()) && ev.type() != ObligationEvent.Type.FULFILLED) {
              out.add(ev);
            }
          }
        }
        yield true;
      }
      case LINK_APPEAL -> {
        Effect.LinkAppeal e = (Effect.LinkAppeal) effect;
        memory.linkAppeal(e.obligation(), new EngineMemory.AppealLink(e.appealId(), e.decision(), e.content()));
        yield true;
      }
      case FULFIL_OBLIGATION -> {
        Effect.FulfilObligation e = (Effect.FulfilObligation) effect;
        obligations.fulfil(e.obligation(), e.at()).ifPresent(out::add);
        yield true;
      }
      case PLACE_HOLD -> {
        Effect.PlaceHold e = (Effect.PlaceHold) effect;
        holds.place(e.content(), e.basis(), e.citation(), e.from(), e.period());
        yield true;
      }
      case FILE_REPORT -> {
        Effect.FileReport e = (Effect.FileReport) effect;
        reputationModel.file(e.report(), e.intake(), e.decision(), e.queued(), e.at(), reputation);
        yield true;
      }
      case APPLY_REVIEW -> {
        Effect.ApplyReview e = (Effect.ApplyReview) effect;
        reputationModel.applyReview(e.review(), e.resolution(), e.decision(), e.at(), reputation);
        yield true;
      }
      case REVERSE_REPORTS -> {
        Effect.ReverseReports e = (Effect.ReverseReports) effect;
        reputationModel.reverse(e.target(), e.decidedAt(), e.decision(), e.at(), reputation);
        yield true;
      }
      case ACCOUNT_FACTS -> {
        Effect.AccountFacts e = (Effect.AccountFacts) effect;
        reputationModel.account(e.event(), e.decision(), e.at(), reputation);
        yield true;
      }
      case APPLY_SANCTION -> {
        Effect.ApplySanction e = (Effect.ApplySanction) effect;
        reputationModel.applySanction(e.request(), e.decision(), e.at(), reputation);
        yield true;
      }
    };
    assert applied;
  }
}
