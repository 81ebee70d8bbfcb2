package dev.haetae.moderation.core.effect;

import dev.haetae.moderation.api.AccountEvent;
import dev.haetae.moderation.api.AccountId;
import dev.haetae.moderation.api.Category;
import dev.haetae.moderation.api.ContentId;
import dev.haetae.moderation.api.DecisionId;
import dev.haetae.moderation.api.Fingerprints;
import dev.haetae.moderation.api.Pdq;
import dev.haetae.moderation.api.ReporterSanction;
import dev.haetae.moderation.api.ReviewOutcome;
import dev.haetae.moderation.api.RoomId;
import dev.haetae.moderation.api.Signal;
import dev.haetae.moderation.api.Surface;
import dev.haetae.moderation.api.Target;
import dev.haetae.moderation.api.UserReport;
import dev.haetae.moderation.api.spi.EngineMemory;
import dev.haetae.moderation.api.spi.ObligationRecord;
import java.time.Duration;
import java.time.Instant;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;

/**
 * One state change a decision implies: the engine derives them, as a list (the decision's
 * <em>plan</em>), from the evidence and the decision alone, logs them with the decision, and only
 * then applies them to its stores. Each effect is idempotent: applying it twice leaves the stores as
 * applying it once, so that the plans of decisions logged but not applied before a crash can be
 * applied again on recovery. Immutable and thread-safe.
 *
 * <p>Effects name people, content and rooms by their raw ids; the decision log pseudonymizes them
 * like every other id it writes.
 *
 * @since 0.2
 */
public sealed interface Effect {

  /**
   * The type of an effect, one constant per record type, for exhaustive dispatch.
   *
   * @since 0.2
   */
  enum Kind {
    /** {@link RememberContent}. */
    REMEMBER_CONTENT,
    /** {@link ClearPendingCopies}. */
    CLEAR_PENDING_COPIES,
    /** {@link BankFingerprints}. */
    BANK_FINGERPRINTS,
    /** {@link ProtectPhoto}. */
    PROTECT_PHOTO,
    /** {@link WithdrawPhoto}. */
    WITHDRAW_PHOTO,
    /** {@link MarkRemoved}. */
    MARK_REMOVED,
    /** {@link Reinstate}. */
    REINSTATE,
    /** {@link DeferStrike}. */
    DEFER_STRIKE,
    /** {@link DropDeferredStrike}. */
    DROP_DEFERRED_STRIKE,
    /** {@link Strike}. */
    STRIKE,
    /** {@link BlockCopiesWhenSeen}. */
    BLOCK_COPIES_WHEN_SEEN,
    /** {@link RoomMatch}. */
    ROOM_MATCH,
    /** {@link RememberDecision}. */
    REMEMBER_DECISION,
    /** {@link OpenObligation}. */
    OPEN_OBLIGATION,
    /** {@link LinkAppeal}. */
    LINK_APPEAL,
    /** {@link FulfilObligation}. */
    FULFIL_OBLIGATION,
    /** {@link PlaceHold}. */
    PLACE_HOLD,
    /** {@link FileReport}. */
    FILE_REPORT,
    /** {@link ApplyReview}. */
    APPLY_REVIEW,
    /** {@link ReverseReports}. */
    REVERSE_REPORTS,
    /** {@link AccountFacts}. */
    ACCOUNT_FACTS,
    /**
     * {@link ApplySanction}.
     *
     * @since 0.3
     */
    APPLY_SANCTION,
    /**
     * {@link OpenMeasure}.
     *
     * @since 0.4
     */
    OPEN_MEASURE,
    /**
     * {@link CloseMeasure}.
     *
     * @since 0.4
     */
    CLOSE_MEASURE;

    /**
     * The wire name, e.g. {@code mark_removed}.
     *
     * @return the lower-case name; never null
     */
    public String wireName() {
      return name().toLowerCase(Locale.ROOT);
    }
  }

  /**
   * The effect's type.
   *
   * @return the kind; never null
   */
  Kind kind();

  /**
   * Remember a posted item: its fingerprints, poster, room and surface, so that reports, notices
   * and reviews about it later can be matched and acted on.
   *
   * @param content the item; not null
   * @param fingerprints its fingerprints; not null
   * @param account its poster; not null
   * @param room its room, if any; not null
   * @param surface its space; not null
   * @param at when it was posted (the decision's instant); empty in effects logged before 0.3; not null
   */
  record RememberContent(ContentId content, Fingerprints fingerprints, AccountId account, Optional<RoomId> room,
      Surface surface, Optional<Instant> at) implements Effect {
    /**
     * Remember a posted item without its posting time (as logged before 0.3).
     *
     * @param content the content component, as described on the record
     * @param fingerprints the fingerprints component, as described on the record
     * @param account the account component, as described on the record
     * @param room the room component, as described on the record
     * @param surface the surface component, as described on the record
     * @throws NullPointerException when a component is null
     */
    public RememberContent(ContentId content, Fingerprints fingerprints, AccountId account, Optional<RoomId> room,
        Surface surface) {
      this(content, fingerprints, account, room, surface, Optional.empty());
    }

    /**
     * Validates.
     *
     * @param content the content component, as described on the record
     * @param fingerprints the fingerprints component, as described on the record
     * @param account the account component, as described on the record
     * @param room the room component, as described on the record
     * @param surface the surface component, as described on the record
     * @param at the at component, as described on the record
     * @throws NullPointerException when a component is null
     */
    public RememberContent {
      Objects.requireNonNull(content, "content");
      Objects.requireNonNull(fingerprints, "fingerprints");
      Objects.requireNonNull(account, "account");
      Objects.requireNonNull(room, "room");
      Objects.requireNonNull(surface, "surface");
      Objects.requireNonNull(at, "at");
    }

    @Override
    public Kind kind() {
      return Kind.REMEMBER_CONTENT;
    }
  }

  /**
   * Forget that copies of an item are to be blocked when it is seen: it has now been seen and its
   * copies banked (by a {@link BankFingerprints} in the same plan).
   *
   * @param content the item; not null
   */
  record ClearPendingCopies(ContentId content) implements Effect {
    /**
     * Validates.
     *
     * @param content the content component, as described on the record
     * @throws NullPointerException when a component is null
     */
    public ClearPendingCopies {
      Objects.requireNonNull(content, "content");
    }

    @Override
    public Kind kind() {
      return Kind.CLEAR_PENDING_COPIES;
    }
  }

  /**
   * Add fingerprints to one of the engine's own banks (the platform bank of removed content), each
   * entry with its own category and the reason it was banked; an appeal's reinstatement of the same
   * fingerprints no longer applies.
   *
   * @param bank the bank id; not null
   * @param category the entries' category; not null
   * @param fingerprints the fingerprints; not null
   * @param reason why they were banked (the reason code and the decision); not null
   * @param uploader the keyed pseudonym ({@code <key id>:<pseudonym>}) of the account that posted the
   *     removed content, when the engine knew it; never a raw account id; not null (since 0.4)
   */
  record BankFingerprints(String bank, Category category, Fingerprints fingerprints, String reason,
      Optional<String> uploader) implements Effect {
    /**
     * Banked fingerprints whose uploader is not known.
     *
     * @param bank the bank component, as described on the record
     * @param category the category component, as described on the record
     * @param fingerprints the fingerprints component, as described on the record
     * @param reason the reason component, as described on the record
     * @throws NullPointerException when a component is null
     */
    public BankFingerprints(String bank, Category category, Fingerprints fingerprints, String reason) {
      this(bank, category, fingerprints, reason, Optional.empty());
    }

    /**
     * Validates.
     *
     * @param bank the bank component, as described on the record
     * @param category the category component, as described on the record
     * @param fingerprints the fingerprints component, as described on the record
     * @param reason the reason component, as described on the record
     * @param uploader the uploader component, as described on the record
     * @throws NullPointerException when a component is null
     */
    public BankFingerprints {
      Objects.requireNonNull(bank, "bank");
      Objects.requireNonNull(category, "category");
      Objects.requireNonNull(fingerprints, "fingerprints");
      Objects.requireNonNull(reason, "reason");
      Objects.requireNonNull(uploader, "uploader");
    }

    @Override
    public Kind kind() {
      return Kind.BANK_FINGERPRINTS;
    }
  }

  /**
   * Protect a profile photo: later copies posted by others are signalled.
   *
   * @param owner the owner; not null
   * @param photo the photo; not null
   * @param pdq its PDQ hash; not null
   */
  record ProtectPhoto(AccountId owner, ContentId photo, Pdq pdq) implements Effect {
    /**
     * Validates.
     *
     * @param owner the owner component, as described on the record
     * @param photo the photo component, as described on the record
     * @param pdq the pdq component, as described on the record
     * @throws NullPointerException when a component is null
     */
    public ProtectPhoto {
      Objects.requireNonNull(owner, "owner");
      Objects.requireNonNull(photo, "photo");
      Objects.requireNonNull(pdq, "pdq");
    }

    @Override
    public Kind kind() {
      return Kind.PROTECT_PHOTO;
    }
  }

  /**
   * Withdraw a profile photo's protection.
   *
   * @param owner the owner; not null
   * @param photo the photo; not null
   */
  record WithdrawPhoto(AccountId owner, ContentId photo) implements Effect {
    /**
     * Validates.
     *
     * @param owner the owner component, as described on the record
     * @param photo the photo component, as described on the record
     * @throws NullPointerException when a component is null
     */
    public WithdrawPhoto {
      Objects.requireNonNull(owner, "owner");
      Objects.requireNonNull(photo, "photo");
    }

    @Override
    public Kind kind() {
      return Kind.WITHDRAW_PHOTO;
    }
  }

  /**
   * Remember a temporary measure the decision took, so that the engine's tick lifts it at its expiry
   * unless a verdict ends it first.
   *
   * @param measure the measure (content, deciding decision, instrument, start, expiry); not null
   * @since 0.4
   */
  record OpenMeasure(EngineMemory.Measure measure) implements Effect {
    /**
     * Validates.
     *
     * @param measure the measure component, as described on the record
     * @throws NullPointerException when {@code measure} is null
     */
    public OpenMeasure {
      Objects.requireNonNull(measure, "measure");
    }

    @Override
    public Kind kind() {
      return Kind.OPEN_MEASURE;
    }
  }

  /**
   * Close a temporary measure: lifted at its expiry, restored or upheld by a verdict. When
   * {@code restore} is set, the content is no longer removed either (and no strike waits for it).
   *
   * @param content the content; not null
   * @param measure the decision that took the measure; not null
   * @param restore whether access is restored (lifted or restored, not upheld)
   * @since 0.4
   */
  record CloseMeasure(ContentId content, DecisionId measure, boolean restore) implements Effect {
    /**
     * Validates.
     *
     * @param content the content component, as described on the record
     * @param measure the measure component, as described on the record
     * @param restore the restore component, as described on the record
     * @throws NullPointerException when a component is null
     */
    public CloseMeasure {
      Objects.requireNonNull(content, "content");
      Objects.requireNonNull(measure, "measure");
    }

    @Override
    public Kind kind() {
      return Kind.CLOSE_MEASURE;
    }
  }

  /**
   * Remember that an item was removed.
   *
   * @param content the item; not null
   * @param at when; not null
   */
  record MarkRemoved(ContentId content, Instant at) implements Effect {
    /**
     * Validates.
     *
     * @param content the content component, as described on the record
     * @param at the at component, as described on the record
     * @throws NullPointerException when a component is null
     */
    public MarkRemoved {
      Objects.requireNonNull(content, "content");
      Objects.requireNonNull(at, "at");
    }

    @Override
    public Kind kind() {
      return Kind.MARK_REMOVED;
    }
  }

  /**
   * Undo what the engine did for a decision an appeal reversed: the item is no longer removed, its
   * fingerprints no longer match the platform bank, and the strike it caused is cleared.
   *
   * @param reversed the decision reversed; not null
   * @param content the item it concerned; not null
   * @param account the poster whose strike is cleared, if the decision struck one; not null
   */
  record Reinstate(DecisionId reversed, ContentId content, Optional<AccountId> account) implements Effect {
    /**
     * Validates.
     *
     * @param reversed the reversed component, as described on the record
     * @param content the content component, as described on the record
     * @param account the account component, as described on the record
     * @throws NullPointerException when a component is null
     */
    public Reinstate {
      Objects.requireNonNull(reversed, "reversed");
      Objects.requireNonNull(content, "content");
      Objects.requireNonNull(account, "account");
    }

    @Override
    public Kind kind() {
      return Kind.REINSTATE;
    }
  }

  /**
   * A removal that a person is still to confirm: its strike waits for the verdict.
   *
   * @param content the item; not null
   * @param secondReviewOf when a verdict removed it and asked a second, independent reviewer: that
   *     verdict's decision; not null
   * @param reviewer who gave that verdict, when the host named the moderator; not null
   */
  record DeferStrike(ContentId content, Optional<DecisionId> secondReviewOf, Optional<String> reviewer)
      implements Effect {
    /**
     * A strike that waits for a first verdict.
     *
     * @param content the content component, as described on the record
     * @throws NullPointerException when a component is null
     */
    public DeferStrike(ContentId content) {
      this(content, Optional.empty(), Optional.empty());
    }

    /**
     * Validates.
     *
     * @param content the content component, as described on the record
     * @param secondReviewOf the secondReviewOf component, as described on the record
     * @param reviewer the reviewer component, as described on the record
     * @throws NullPointerException when a component is null
     */
    public DeferStrike {
      Objects.requireNonNull(content, "content");
      Objects.requireNonNull(secondReviewOf, "secondReviewOf");
      Objects.requireNonNull(reviewer, "reviewer");
    }

    @Override
    public Kind kind() {
      return Kind.DEFER_STRIKE;
    }
  }

  /**
   * The strike that waited for a verdict is dropped (the person cleared the item, or it was taken
   * by a {@link Strike} in the same plan).
   *
   * @param content the item; not null
   */
  record DropDeferredStrike(ContentId content) implements Effect {
    /**
     * Validates.
     *
     * @param content the content component, as described on the record
     * @throws NullPointerException when a component is null
     */
    public DropDeferredStrike {
      Objects.requireNonNull(content, "content");
    }

    @Override
    public Kind kind() {
      return Kind.DROP_DEFERRED_STRIKE;
    }
  }

  /**
   * A strike against an account for one removed item, until it expires.
   *
   * @param account the account; not null
   * @param content the item; not null
   * @param expires when the strike stops counting; not null
   */
  record Strike(AccountId account, ContentId content, Instant expires) implements Effect {
    /**
     * Validates.
     *
     * @param account the account component, as described on the record
     * @param content the content component, as described on the record
     * @param expires the expires component, as described on the record
     * @throws NullPointerException when a component is null
     */
    public Strike {
      Objects.requireNonNull(account, "account");
      Objects.requireNonNull(content, "content");
      Objects.requireNonNull(expires, "expires");
    }

    @Override
    public Kind kind() {
      return Kind.STRIKE;
    }
  }

  /**
   * A notice removed an item the engine has not seen yet: bank its copies when it is seen.
   *
   * @param content the item; not null
   * @param category the category to bank it under; not null
   */
  record BlockCopiesWhenSeen(ContentId content, Category category) implements Effect {
    /**
     * Validates.
     *
     * @param content the content component, as described on the record
     * @param category the category component, as described on the record
     * @throws NullPointerException when a component is null
     */
    public BlockCopiesWhenSeen {
      Objects.requireNonNull(content, "content");
      Objects.requireNonNull(category, "category");
    }

    @Override
    public Kind kind() {
      return Kind.BLOCK_COPIES_WHEN_SEEN;
    }
  }

  /**
   * One restricted, bank-matching item in a room, counted for the room's activity.
   *
   * @param room the room; not null
   * @param content the item; not null
   * @param at when; not null
   */
  record RoomMatch(RoomId room, ContentId content, Instant at) implements Effect {
    /**
     * Validates.
     *
     * @param room the room component, as described on the record
     * @param content the content component, as described on the record
     * @param at the at component, as described on the record
     * @throws NullPointerException when a component is null
     */
    public RoomMatch {
      Objects.requireNonNull(room, "room");
      Objects.requireNonNull(content, "content");
      Objects.requireNonNull(at, "at");
    }

    @Override
    public Kind kind() {
      return Kind.ROOM_MATCH;
    }
  }

  /**
   * Remember what a decision about an item did, for an appeal against it later.
   *
   * @param decision the decision; not null
   * @param content the item; not null
   * @param account the item's poster, if known; not null
   * @param instrument the notice instrument that governed it, if any; not null
   * @param category its category; not null
   * @param restrictive whether it restricted the item or the user
   * @param strikeExpires when the strike it caused expires, if it caused one; not null
   * @param at when it was taken; not null
   * @param actions the kinds of action it planned; empty in effects logged before 0.4; not null;
   *     copied
   */
  record RememberDecision(DecisionId decision, ContentId content, Optional<AccountId> account,
      Optional<String> instrument, Category category, boolean restrictive, Optional<Instant> strikeExpires,
      Instant at, java.util.Set<dev.haetae.moderation.api.Action.Kind> actions) implements Effect {
    /**
     * Validates.
     *
     * @param decision the decision component, as described on the record
     * @param content the content component, as described on the record
     * @param account the account component, as described on the record
     * @param instrument the instrument component, as described on the record
     * @param category the category component, as described on the record
     * @param restrictive the restrictive component, as described on the record
     * @param strikeExpires the strikeExpires component, as described on the record
     * @param at the at component, as described on the record
     * @param actions the actions component, as described on the record
     * @throws NullPointerException when a component is null
     */
    public RememberDecision {
      actions = java.util.Set.copyOf(actions);
      Objects.requireNonNull(decision, "decision");
      Objects.requireNonNull(content, "content");
      Objects.requireNonNull(account, "account");
      Objects.requireNonNull(instrument, "instrument");
      Objects.requireNonNull(category, "category");
      Objects.requireNonNull(strikeExpires, "strikeExpires");
      Objects.requireNonNull(at, "at");
    }

    /**
     * Without the actions, as logged before 0.4.
     *
     * @param decision see the record
     * @param content see the record
     * @param account see the record
     * @param instrument see the record
     * @param category see the record
     * @param restrictive see the record
     * @param strikeExpires see the record
     * @param at see the record
     * @throws NullPointerException when a component is null
     */
    public RememberDecision(DecisionId decision, ContentId content, Optional<AccountId> account,
        Optional<String> instrument, Category category, boolean restrictive, Optional<Instant> strikeExpires,
        Instant at) {
      this(decision, content, account, instrument, category, restrictive, strikeExpires, at, java.util.Set.of());
    }

    @Override
    public Kind kind() {
      return Kind.REMEMBER_DECISION;
    }
  }

  /**
   * Open a legal obligation (idempotently by its id), in the state worked out when the notice or
   * appeal was received: open, or already closed or breached.
   *
   * @param obligation the obligation as it is to be stored; not null
   */
  record OpenObligation(ObligationRecord obligation) implements Effect {
    /**
     * Validates.
     *
     * @param obligation the obligation component, as described on the record
     * @throws NullPointerException when a component is null
     */
    public OpenObligation {
      Objects.requireNonNull(obligation, "obligation");
    }

    @Override
    public Kind kind() {
      return Kind.OPEN_OBLIGATION;
    }
  }

  /**
   * Link an appeal's review obligation to the decision appealed.
   *
   * @param obligation the review obligation's id; not null
   * @param appealId the host's appeal id; not null
   * @param decision the decision appealed; not null
   * @param content the item concerned; not null
   */
  record LinkAppeal(String obligation, String appealId, DecisionId decision, ContentId content) implements Effect {
    /**
     * Validates.
     *
     * @param obligation the obligation component, as described on the record
     * @param appealId the appealId component, as described on the record
     * @param decision the decision component, as described on the record
     * @param content the content component, as described on the record
     * @throws NullPointerException when a component is null
     */
    public LinkAppeal {
      Objects.requireNonNull(obligation, "obligation");
      Objects.requireNonNull(appealId, "appealId");
      Objects.requireNonNull(decision, "decision");
      Objects.requireNonNull(content, "content");
    }

    @Override
    public Kind kind() {
      return Kind.LINK_APPEAL;
    }
  }

  /**
   * Mark an obligation fulfilled, if it is still open.
   *
   * @param obligation the obligation's id; not null
   * @param at when its duties were carried out; not null
   */
  record FulfilObligation(String obligation, Instant at) implements Effect {
    /**
     * Validates.
     *
     * @param obligation the obligation component, as described on the record
     * @param at the at component, as described on the record
     * @throws NullPointerException when a component is null
     */
    public FulfilObligation {
      Objects.requireNonNull(obligation, "obligation");
      Objects.requireNonNull(at, "at");
    }

    @Override
    public Kind kind() {
      return Kind.FULFIL_OBLIGATION;
    }
  }

  /**
   * Hold removed content as evidence.
   *
   * @param content the item; not null
   * @param basis the hold's basis (an obligation id or {@code decision:<id>}); not null
   * @param citation the legal ground; not null
   * @param from when the hold starts; not null
   * @param period how long; not null
   */
  record PlaceHold(ContentId content, String basis, String citation, Instant from, Duration period)
      implements Effect {
    /**
     * Validates.
     *
     * @param content the content component, as described on the record
     * @param basis the basis component, as described on the record
     * @param citation the citation component, as described on the record
     * @param from the from component, as described on the record
     * @param period the period component, as described on the record
     * @throws NullPointerException when a component is null
     */
    public PlaceHold {
      Objects.requireNonNull(content, "content");
      Objects.requireNonNull(basis, "basis");
      Objects.requireNonNull(citation, "citation");
      Objects.requireNonNull(from, "from");
      Objects.requireNonNull(period, "period");
    }

    @Override
    public Kind kind() {
      return Kind.PLACE_HOLD;
    }
  }

  /**
   * Store a user report after its decision is logged, as the reputation model weighed it: once per
   * reporter and target, attached to this decision when it opened, escalated or moved the target's
   * review item, otherwise to the open item; in the reporter's recent reports and the owner's
   * received reports; ending an expired suspension ({@code ReputationModel.file}).
   *
   * @param report the report; not null
   * @param intake the intake signal the decision's evidence holds; not null
   * @param decision the decision; not null
   * @param queued whether the decision queued the target for review
   * @param at the decision's instant; not null
   */
  record FileReport(UserReport report, Signal.ReportIntake intake, DecisionId decision, boolean queued, Instant at)
      implements Effect {
    /**
     * Validates.
     *
     * @param report the report component, as described on the record
     * @param intake the intake component, as described on the record
     * @param decision the decision component, as described on the record
     * @param queued the queued component, as described on the record
     * @param at the at component, as described on the record
     * @throws NullPointerException when a reference component is null
     */
    public FileReport {
      Objects.requireNonNull(report, "report");
      Objects.requireNonNull(intake, "intake");
      Objects.requireNonNull(decision, "decision");
      Objects.requireNonNull(at, "at");
    }

    @Override
    public Kind kind() {
      return Kind.FILE_REPORT;
    }
  }

  /**
   * Apply a review verdict to the reports it resolves and to their reporters' records, once per
   * decision, taking the misuse steps its resolution lists ({@code ReputationModel.applyReview}).
   *
   * @param review the review outcome; not null
   * @param resolution the resolution signal the decision's evidence holds; not null
   * @param decision the decision that carried it; not null
   * @param at when; not null
   */
  record ApplyReview(ReviewOutcome review, Signal.ReportResolution resolution, DecisionId decision, Instant at)
      implements Effect {
    /**
     * Validates.
     *
     * @param review the review component, as described on the record
     * @param resolution the resolution component, as described on the record
     * @param decision the decision component, as described on the record
     * @param at the at component, as described on the record
     * @throws NullPointerException when a component is null
     */
    public ApplyReview {
      Objects.requireNonNull(review, "review");
      Objects.requireNonNull(resolution, "resolution");
      Objects.requireNonNull(decision, "decision");
      Objects.requireNonNull(at, "at");
    }

    @Override
    public Kind kind() {
      return Kind.APPLY_REVIEW;
    }
  }

  /**
   * Correct reporter credibility after an appeal reversed a decision on a target, once per
   * decision.
   *
   * @param target the target of the reversed decision; not null
   * @param decidedAt when the reversed decision was taken; not null
   * @param decision the decision that reversed it; not null
   * @param at when; not null
   */
  record ReverseReports(Target target, Instant decidedAt, DecisionId decision, Instant at) implements Effect {
    /**
     * Validates.
     *
     * @param target the target component, as described on the record
     * @param decidedAt the decidedAt component, as described on the record
     * @param decision the decision component, as described on the record
     * @param at the at component, as described on the record
     * @throws NullPointerException when a component is null
     */
    public ReverseReports {
      Objects.requireNonNull(target, "target");
      Objects.requireNonNull(decidedAt, "decidedAt");
      Objects.requireNonNull(decision, "decision");
      Objects.requireNonNull(at, "at");
    }

    @Override
    public Kind kind() {
      return Kind.REVERSE_REPORTS;
    }
  }

  /**
   * Record an account's facts for the reputation model.
   *
   * @param event the account event; not null
   * @param decision the decision that carried it; not null
   * @param at when; not null
   */
  record AccountFacts(AccountEvent event, DecisionId decision, Instant at) implements Effect {
    /**
     * Validates.
     *
     * @param event the event component, as described on the record
     * @param decision the decision component, as described on the record
     * @param at the at component, as described on the record
     * @throws NullPointerException when a component is null
     */
    public AccountFacts {
      Objects.requireNonNull(event, "event");
      Objects.requireNonNull(decision, "decision");
      Objects.requireNonNull(at, "at");
    }

    @Override
    public Kind kind() {
      return Kind.ACCOUNT_FACTS;
    }
  }

  /**
   * Take a person's logged step in a reporter's misuse case: suspend, close the case, await or
   * decide an appeal.
   *
   * @param request the step; not null
   * @param decision the decision that logged it; not null
   * @param at when; not null
   * @since 0.3
   */
  record ApplySanction(ReporterSanction request, DecisionId decision, Instant at) implements Effect {
    /**
     * Validates.
     *
     * @param request the request component, as described on the record
     * @param decision the decision component, as described on the record
     * @param at the at component, as described on the record
     * @throws NullPointerException when a component is null
     */
    public ApplySanction {
      Objects.requireNonNull(request, "request");
      Objects.requireNonNull(decision, "decision");
      Objects.requireNonNull(at, "at");
    }

    @Override
    public Kind kind() {
      return Kind.APPLY_SANCTION;
    }
  }
}
