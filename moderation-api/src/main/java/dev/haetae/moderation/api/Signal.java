package dev.haetae.moderation.api;

import java.time.Duration;
import java.time.Instant;
import java.time.Period;
import java.util.Collections;
import java.util.EnumSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * One fact the engine gathered before asking the policies: a hash-bank match, a summary of the
 * reports on a target, an open legal obligation, an account's standing, and so on. Signals are
 * recorded in the {@link Evidence} so that a decision can be replayed without asking any store
 * again. Immutable and thread-safe.
 *
 * <p><b>First-party and host signals.</b> Every type but {@link Custom} is the engine's own: only
 * the engine creates them, and policies read them by type. {@link Custom} is the hosts' namespace:
 * the engine never reads a custom signal as its own fact, and it refuses a custom signal from a
 * host {@code SignalProvider} whose provider name is not the provider's own id, or any other
 * signal type from a provider.
 *
 * <p><b>Exhaustive dispatch.</b> Each type answers {@link #signalKind()} with its own {@link
 * Kind}; code that must handle every type (the decision-log codec, for one) switches over the
 * kind, so that a new type fails to compile where it is not handled.
 *
 * @since 0.1
 */
public sealed interface Signal
    permits Signal.HashMatch, Signal.Reports, Signal.NoticeCheck, Signal.Obligation, Signal.AccountStanding,
        Signal.RoomActivity, Signal.ProfilePhotoMatch, Signal.NoticeReceipt, Signal.AppealWindow,
        Signal.AppealReview, Signal.KnownContent, Signal.TextFindings, Signal.NotHashed, Signal.ReportIntake,
        Signal.ReportResolution, Signal.ExternalMatch, Signal.TemporaryMeasure, Signal.ConfirmationCheck, Signal.Custom {

  /**
   * The type of a signal, one constant per record type.
   *
   * @since 0.2
   */
  enum Kind {
    /** {@link HashMatch}. */
    HASH_MATCH,
    /** {@link Reports}. */
    REPORTS,
    /** {@link NoticeCheck}. */
    NOTICE_CHECK,
    /** {@link Obligation}. */
    OBLIGATION,
    /** {@link AccountStanding}. */
    ACCOUNT_STANDING,
    /** {@link RoomActivity}. */
    ROOM_ACTIVITY,
    /** {@link ProfilePhotoMatch}. */
    PROFILE_PHOTO_MATCH,
    /** {@link NoticeReceipt}. */
    NOTICE_RECEIPT,
    /** {@link AppealWindow}. */
    APPEAL_WINDOW,
    /** {@link AppealReview}. */
    APPEAL_REVIEW,
    /** {@link KnownContent}. */
    KNOWN_CONTENT,
    /** {@link TextFindings}. */
    TEXT_FINDINGS,
    /** {@link NotHashed}. */
    NOT_HASHED,
    /** {@link ReportIntake}. */
    REPORT_INTAKE,
    /** {@link ReportResolution}. */
    REPORT_RESOLUTION,
    /**
     * {@link ExternalMatch}.
     *
     * @since 0.2
     */
    EXTERNAL_MATCH,
    /**
     * {@link TemporaryMeasure}.
     *
     * @since 0.4
     */
    TEMPORARY_MEASURE,
    /**
     * {@link ConfirmationCheck}.
     *
     * @since 0.4
     */
    CONFIRMATION_CHECK,
    /** {@link Custom}. */
    CUSTOM;

    /**
     * The wire name, e.g. {@code hash_match}.
     *
     * @return the lower-case name; never null
     */
    public String wireName() {
      return name().toLowerCase(Locale.ROOT);
    }
  }

  /**
   * The signal's type.
   *
   * @return the kind; never null
   * @since 0.2
   */
  Kind signalKind();

  /**
   * The signal's wire name, e.g. {@code hash_match}.
   *
   * @return the name; never null
   */
  default String kind() {
    return signalKind().wireName();
  }

  /**
   * A match of the content's fingerprint against a hash-bank entry.
   *
   * @param bank the bank's id; not null
   * @param bankVersion the bank's version when matched
   * @param category the bank's (or entry's) category; not null
   * @param type which fingerprint matched; not null
   * @param entry the matched entry's hash (hex), the stable key of the entry; not null
   * @param distance the Hamming distance for PDQ, 0 for exact types
   * @param maxDistance the bank's configured PDQ distance (0 for exact types)
   * @param quality the query image's PDQ quality, or -1 when unknown or not PDQ
   * @param reviewOnly true when the entry is quarantined or the bank is in staged rollout, so the
   *     match may only send content to review
   * @param addedAt when the matched entry was added to its bank, where the engine looked it up (a
   *     report's platform-bank matches, which policies weigh against {@link KnownContent#postedAt});
   *     empty otherwise and in records written before 0.3; not null
   * @param uploader the keyed pseudonym ({@code <key id>:<pseudonym>}) of the account whose removed
   *     content the matched entry came from, where the engine looked it up (a report's platform-bank
   *     matches, which policies compare with {@link KnownContent#poster}); empty when the entry does
   *     not record it (banked by a host, or before 0.4), otherwise, and in records written before
   *     0.4; never a raw account id; not null
   * @since 0.1 (addedAt since 0.3, uploader since 0.4)
   */
  record HashMatch(String bank, long bankVersion, Category category, MatchType type, String entry, int distance,
      int maxDistance, int quality, boolean reviewOnly, Optional<Instant> addedAt, Optional<String> uploader)
      implements Signal {
    /**
     * A match whose entry's uploader is not in the evidence.
     *
     * @param bank the bank component, as described on the record
     * @param bankVersion the bankVersion component, as described on the record
     * @param category the category component, as described on the record
     * @param type the type component, as described on the record
     * @param entry the entry component, as described on the record
     * @param distance the distance component, as described on the record
     * @param maxDistance the maxDistance component, as described on the record
     * @param quality the quality component, as described on the record
     * @param reviewOnly the reviewOnly component, as described on the record
     * @param addedAt the addedAt component, as described on the record
     * @throws NullPointerException when a reference component is null
     */
    public HashMatch(String bank, long bankVersion, Category category, MatchType type, String entry, int distance,
        int maxDistance, int quality, boolean reviewOnly, Optional<Instant> addedAt) {
      this(bank, bankVersion, category, type, entry, distance, maxDistance, quality, reviewOnly, addedAt,
          Optional.empty());
    }

    /**
     * A match whose entry's addition time is not in the evidence.
     *
     * @param bank the bank component, as described on the record
     * @param bankVersion the bankVersion component, as described on the record
     * @param category the category component, as described on the record
     * @param type the type component, as described on the record
     * @param entry the entry component, as described on the record
     * @param distance the distance component, as described on the record
     * @param maxDistance the maxDistance component, as described on the record
     * @param quality the quality component, as described on the record
     * @param reviewOnly the reviewOnly component, as described on the record
     * @throws NullPointerException when a reference component is null
     */
    public HashMatch(String bank, long bankVersion, Category category, MatchType type, String entry, int distance,
        int maxDistance, int quality, boolean reviewOnly) {
      this(bank, bankVersion, category, type, entry, distance, maxDistance, quality, reviewOnly, Optional.empty());
    }

    /**
     * This match with the entry's addition time.
     *
     * @param at when the entry was added; not null
     * @return a copy carrying {@code at}; never null
     * @throws NullPointerException when {@code at} is null
     * @since 0.3
     */
    public HashMatch withAddedAt(Instant at) {
      return new HashMatch(bank, bankVersion, category, type, entry, distance, maxDistance, quality, reviewOnly,
          Optional.of(Objects.requireNonNull(at, "at")), uploader);
    }

    /**
     * This match with the keyed pseudonym of the matched entry's uploader.
     *
     * @param pseudonym the uploader's keyed pseudonym ({@code <key id>:<pseudonym>}); not null
     * @return a copy carrying {@code pseudonym}; never null
     * @throws NullPointerException when {@code pseudonym} is null
     * @since 0.4
     */
    public HashMatch withUploader(String pseudonym) {
      return new HashMatch(bank, bankVersion, category, type, entry, distance, maxDistance, quality, reviewOnly,
          addedAt, Optional.of(Objects.requireNonNull(pseudonym, "pseudonym")));
    }

    /**
     * Validates.
     *
     * @param bank the bank component, as described on the record
     * @param bankVersion the bankVersion component, as described on the record
     * @param category the category component, as described on the record
     * @param type the type component, as described on the record
     * @param entry the entry component, as described on the record
     * @param distance the distance component, as described on the record
     * @param maxDistance the maxDistance component, as described on the record
     * @param quality the quality component, as described on the record
     * @param reviewOnly the reviewOnly component, as described on the record
     * @param addedAt the addedAt component, as described on the record
     * @param uploader the uploader component, as described on the record
     * @throws NullPointerException when a reference component is null
     */
    public HashMatch {
      Objects.requireNonNull(bank, "bank");
      Objects.requireNonNull(category, "category");
      Objects.requireNonNull(type, "type");
      Objects.requireNonNull(entry, "entry");
      Objects.requireNonNull(addedAt, "addedAt");
      Objects.requireNonNull(uploader, "uploader");
    }

    @Override
    public Kind signalKind() {
      return Kind.HASH_MATCH;
    }
  }

  /**
   * The weighed reports on one target, as the reputation model sees them.
   *
   * @param target the reported target; not null
   * @param category the most-weighted alleged category; not null
   * @param reports the number of distinct reports (one per reporter)
   * @param weight the combined weight, with diminishing returns and brigading collapse, 0..
   * @param trustedFlaggerReports how many came from trusted flaggers
   * @param maxReporterCredibility the highest credibility among the reporters, 0..1
   * @param brigadingSuspected whether the reports look like a coordinated wave
   * @param model the reputation model's id and version; not null
   * @since 0.1
   */
  record Reports(Target target, Category category, int reports, double weight, int trustedFlaggerReports,
      double maxReporterCredibility, boolean brigadingSuspected, String model) implements Signal {
    /**
     * Validates.
     *
     * @param target the target component, as described on the record
     * @param category the category component, as described on the record
     * @param reports the reports component, as described on the record
     * @param weight the weight component, as described on the record
     * @param trustedFlaggerReports the trustedFlaggerReports component, as described on the record
     * @param maxReporterCredibility the maxReporterCredibility component, as described on the record
     * @param brigadingSuspected the brigadingSuspected component, as described on the record
     * @param model the model component, as described on the record
     * @throws NullPointerException when a reference component is null
     */
    public Reports {
      Objects.requireNonNull(target, "target");
      Objects.requireNonNull(category, "category");
      Objects.requireNonNull(model, "model");
    }

    @Override
    public Kind signalKind() {
      return Kind.REPORTS;
    }
  }

  /**
   * The validation of a legal notice against its instrument.
   *
   * @param instrument the instrument id; not null
   * @param known whether the instrument is in the loaded jurisdiction profiles
   * @param missing what the notice lacks, in words the requester can act on; empty when valid;
   *     not null
   * @param duplicate whether the same notice was already received
   * @since 0.1
   */
  record NoticeCheck(String instrument, boolean known, List<String> missing, boolean duplicate) implements Signal {
    /**
     * Validates and copies.
     *
     * @param instrument the instrument component, as described on the record
     * @param known the known component, as described on the record
     * @param missing the missing component, as described on the record
     * @param duplicate the duplicate component, as described on the record
     * @throws NullPointerException when a reference component is null
     */
    public NoticeCheck {
      Objects.requireNonNull(instrument, "instrument");
      missing = List.copyOf(missing);
    }

    /**
     * Whether the notice is valid.
     *
     * @return true when the instrument is known and nothing is missing
     */
    public boolean valid() {
      return known && missing.isEmpty();
    }

    @Override
    public Kind signalKind() {
      return Kind.NOTICE_CHECK;
    }
  }

  /**
   * An open legal obligation on the content.
   *
   * @param id the obligation's id; not null
   * @param instrument the instrument id; not null
   * @param citation the legal citation; not null
   * @param deadline when the duty must be done; not null
   * @param duties what must be done; not null
   * @param preserveFor how long removed content must be preserved, or zero; not null
   * @param category the harm the instrument concerns; not null
   * @since 0.1
   */
  record Obligation(String id, String instrument, String citation, Instant deadline, List<Duty> duties,
      Duration preserveFor, Category category) implements Signal {
    /**
     * Validates and copies.
     *
     * @param id the id component, as described on the record
     * @param instrument the instrument component, as described on the record
     * @param citation the citation component, as described on the record
     * @param deadline the deadline component, as described on the record
     * @param duties the duties component, as described on the record
     * @param preserveFor the preserveFor component, as described on the record
     * @param category the category component, as described on the record
     * @throws NullPointerException when a reference component is null
     */
    public Obligation {
      Objects.requireNonNull(id, "id");
      Objects.requireNonNull(instrument, "instrument");
      Objects.requireNonNull(citation, "citation");
      Objects.requireNonNull(deadline, "deadline");
      duties = List.copyOf(duties);
      Objects.requireNonNull(preserveFor, "preserveFor");
      Objects.requireNonNull(category, "category");
    }

    @Override
    public Kind signalKind() {
      return Kind.OBLIGATION;
    }
  }

  /**
   * The standing of the account that posted the content.
   *
   * @param account the account; not null
   * @param strikes live strikes (not yet expired)
   * @param suspended whether the account is currently suspended
   * @param accountAge how old the account is, if known; not null
   * @since 0.1
   */
  record AccountStanding(AccountId account, int strikes, boolean suspended, Optional<Duration> accountAge)
      implements Signal {
    /**
     * Validates.
     *
     * @param account the account component, as described on the record
     * @param strikes the strikes component, as described on the record
     * @param suspended the suspended component, as described on the record
     * @param accountAge the accountAge component, as described on the record
     * @throws NullPointerException when a reference component is null
     */
    public AccountStanding {
      Objects.requireNonNull(account, "account");
      Objects.requireNonNull(accountAge, "accountAge");
    }

    @Override
    public Kind signalKind() {
      return Kind.ACCOUNT_STANDING;
    }
  }

  /**
   * Recent bank matches in the room the content was posted to.
   *
   * @param room the room; not null
   * @param matchesInWindow items that matched a bank in the room within the window, including this
   * @param window the window length; not null
   * @since 0.1
   */
  record RoomActivity(RoomId room, int matchesInWindow, Duration window) implements Signal {
    /**
     * Validates.
     *
     * @param room the room component, as described on the record
     * @param matchesInWindow the matchesInWindow component, as described on the record
     * @param window the window component, as described on the record
     * @throws NullPointerException when a reference component is null
     */
    public RoomActivity {
      Objects.requireNonNull(room, "room");
      Objects.requireNonNull(window, "window");
    }

    @Override
    public Kind signalKind() {
      return Kind.ROOM_ACTIVITY;
    }
  }

  /**
   * The content is a near-duplicate of a profile photo its owner asked to protect.
   *
   * @param owner the photo's owner; not null
   * @param photo the protected photo; not null
   * @param distance the PDQ distance
   * @since 0.1
   */
  record ProfilePhotoMatch(AccountId owner, ContentId photo, int distance) implements Signal {
    /**
     * Validates.
     *
     * @param owner the owner component, as described on the record
     * @param photo the photo component, as described on the record
     * @param distance the distance component, as described on the record
     * @throws NullPointerException when a reference component is null
     */
    public ProfilePhotoMatch {
      Objects.requireNonNull(owner, "owner");
      Objects.requireNonNull(photo, "photo");
    }

    @Override
    public Kind signalKind() {
      return Kind.PROFILE_PHOTO_MATCH;
    }
  }

  /**
   * What receiving a legal notice did to its obligation, as the engine worked it out before the
   * decision: the obligation opened (or found, for a duplicate notice), or none when the notice is
   * invalid. The obligation itself, when open, is also in the evidence as an {@link Obligation}.
   *
   * @param instrument the notice's instrument id; not null
   * @param valid whether the notice is valid (instrument known, nothing missing)
   * @param duplicate whether the same notice had been received before
   * @param obligation the obligation's id, when there is one; not null
   * @param state the obligation's state after receipt, when there is one; not null
   * @param deadline the obligation's deadline, when there is one; not null
   * @since 0.2
   */
  record NoticeReceipt(String instrument, boolean valid, boolean duplicate, Optional<String> obligation,
      Optional<ObligationState> state, Optional<Instant> deadline) implements Signal {
    /**
     * Validates.
     *
     * @param instrument the instrument component, as described on the record
     * @param valid the valid component, as described on the record
     * @param duplicate the duplicate component, as described on the record
     * @param obligation the obligation component, as described on the record
     * @param state the state component, as described on the record
     * @param deadline the deadline component, as described on the record
     * @throws NullPointerException when a reference component is null
     */
    public NoticeReceipt {
      Objects.requireNonNull(instrument, "instrument");
      Objects.requireNonNull(obligation, "obligation");
      Objects.requireNonNull(state, "state");
      Objects.requireNonNull(deadline, "deadline");
    }

    @Override
    public Kind signalKind() {
      return Kind.NOTICE_RECEIPT;
    }
  }

  /**
   * The state of a legal obligation, as signals report it.
   *
   * @since 0.2
   */
  enum ObligationState {
    /** Open, deadline not passed. */
    OPEN,
    /** Open, deadline passed. */
    BREACHED,
    /** Done. */
    FULFILLED,
    /** Closed without action. */
    CLOSED;

    /**
     * The wire name, e.g. {@code open}.
     *
     * @return the lower-case name; never null
     */
    public String wireName() {
      return name().toLowerCase(Locale.ROOT);
    }
  }

  /**
   * An appeal against a decision, checked against its window: which appeal instrument governs it,
   * when the window ends, and the review obligation it opened when made in time.
   *
   * @param appealId the host's appeal id; not null
   * @param decision the decision appealed; not null
   * @param decisionKnown whether the engine remembers the decision appealed
   * @param governingInstrument the notice instrument that governed the decision, if any; not null
   * @param appealInstrument the appeal instrument that applies; not null
   * @param citation the appeal instrument's citation; not null
   * @param window how long after being informed a user may appeal; not null
   * @param informedAt when the user was informed of the decision; not null
   * @param windowEnds the first instant at which an appeal is out of time; not null
   * @param within whether the appeal was made within the window
   * @param duplicate whether the same appeal had been received before
   * @param obligation the review obligation's id, when the appeal was in time; not null
   * @since 0.2
   */
  record AppealWindow(String appealId, DecisionId decision, boolean decisionKnown, Optional<String> governingInstrument,
      String appealInstrument, String citation, Period window, Instant informedAt, Instant windowEnds, boolean within,
      boolean duplicate, Optional<String> obligation) implements Signal {
    /**
     * Validates.
     *
     * @param appealId the appealId component, as described on the record
     * @param decision the decision component, as described on the record
     * @param decisionKnown the decisionKnown component, as described on the record
     * @param governingInstrument the governingInstrument component, as described on the record
     * @param appealInstrument the appealInstrument component, as described on the record
     * @param citation the citation component, as described on the record
     * @param window the window component, as described on the record
     * @param informedAt the informedAt component, as described on the record
     * @param windowEnds the windowEnds component, as described on the record
     * @param within the within component, as described on the record
     * @param duplicate the duplicate component, as described on the record
     * @param obligation the obligation component, as described on the record
     * @throws NullPointerException when a reference component is null
     */
    public AppealWindow {
      Objects.requireNonNull(appealId, "appealId");
      Objects.requireNonNull(decision, "decision");
      Objects.requireNonNull(governingInstrument, "governingInstrument");
      Objects.requireNonNull(appealInstrument, "appealInstrument");
      Objects.requireNonNull(citation, "citation");
      Objects.requireNonNull(window, "window");
      Objects.requireNonNull(informedAt, "informedAt");
      Objects.requireNonNull(windowEnds, "windowEnds");
      Objects.requireNonNull(obligation, "obligation");
    }

    @Override
    public Kind signalKind() {
      return Kind.APPEAL_WINDOW;
    }
  }

  /**
   * An appeal's review obligation open on the content a review outcome concerns: the review
   * decides the appeal.
   *
   * @param appealId the host's appeal id; not null
   * @param decision the decision appealed; not null
   * @param obligation the review obligation's id; not null
   * @param instrument the appeal instrument's id; not null
   * @param citation the appeal instrument's citation; not null
   * @param restrictive whether the decision appealed restricted the content or the user (unknown
   *     decisions count as restrictive)
   * @since 0.2
   */
  record AppealReview(String appealId, DecisionId decision, String obligation, String instrument, String citation,
      boolean restrictive) implements Signal {
    /**
     * Validates.
     *
     * @param appealId the appealId component, as described on the record
     * @param decision the decision component, as described on the record
     * @param obligation the obligation component, as described on the record
     * @param instrument the instrument component, as described on the record
     * @param citation the citation component, as described on the record
     * @param restrictive the restrictive component, as described on the record
     * @throws NullPointerException when a reference component is null
     */
    public AppealReview {
      Objects.requireNonNull(appealId, "appealId");
      Objects.requireNonNull(decision, "decision");
      Objects.requireNonNull(obligation, "obligation");
      Objects.requireNonNull(instrument, "instrument");
      Objects.requireNonNull(citation, "citation");
    }

    @Override
    public Kind signalKind() {
      return Kind.APPEAL_REVIEW;
    }
  }

  /**
   * What the engine remembers of the content a report, notice, review or appeal concerns: its
   * fingerprints, who posted it where, and whether the engine already removed it. A decision that
   * acts on the content carries these fingerprints to the action executor.
   *
   * @param content the content; not null
   * @param fingerprints its fingerprints, as computed or supplied when it was posted; not null
   * @param account who posted it; not null
   * @param room where, if in a room; not null
   * @param surface the kind of space it is in; not null
   * @param removed whether the engine already removed it
   * @param postedAt when the engine first saw it posted; empty when the engine's memory does not
   *     say (content remembered before 0.3) and in records written before 0.3; not null
   * @param secondReviewOf the decision of the verdict that removed it and asked a second,
   *     independent reviewer, while that review is awaited; not null
   * @param identicalCopies other content the engine remembers with the same SHA-256 or MD5, not
   *     removed, listed only when the request is a notice whose instrument requires removing
   *     identical copies (e.g. US TAKE IT DOWN), earliest first and bounded by the engine; empty
   *     otherwise and in records written before it was added; not null; copied
   * @param poster the keyed pseudonym ({@code <key id>:<pseudonym>}) of {@code account}, made as the
   *     engine makes a bank entry's {@link HashMatch#uploader}, where the engine put it (a report
   *     with a platform-bank match whose entry records its uploader), so that a policy compares like
   *     with like live and in replay; empty otherwise and in records written before 0.4; not null
   * @since 0.2 (postedAt and secondReviewOf since 0.3, identicalCopies since 0.3, poster since 0.4)
   */
  record KnownContent(ContentId content, Fingerprints fingerprints, AccountId account, Optional<RoomId> room,
      Surface surface, boolean removed, Optional<Instant> postedAt, Optional<DecisionId> secondReviewOf,
      List<ContentId> identicalCopies, Optional<String> poster) implements Signal {
    /**
     * Known content whose poster's pseudonym is not in the evidence.
     *
     * @param content the content component, as described on the record
     * @param fingerprints the fingerprints component, as described on the record
     * @param account the account component, as described on the record
     * @param room the room component, as described on the record
     * @param surface the surface component, as described on the record
     * @param removed the removed component, as described on the record
     * @param postedAt the postedAt component, as described on the record
     * @param secondReviewOf the secondReviewOf component, as described on the record
     * @param identicalCopies the identicalCopies component, as described on the record
     * @throws NullPointerException when a reference component or a copy is null
     */
    public KnownContent(ContentId content, Fingerprints fingerprints, AccountId account, Optional<RoomId> room,
        Surface surface, boolean removed, Optional<Instant> postedAt, Optional<DecisionId> secondReviewOf,
        List<ContentId> identicalCopies) {
      this(content, fingerprints, account, room, surface, removed, postedAt, secondReviewOf, identicalCopies,
          Optional.empty());
    }

    /**
     * This known content with its poster's keyed pseudonym.
     *
     * @param pseudonym the poster's keyed pseudonym ({@code <key id>:<pseudonym>}); not null
     * @return a copy carrying {@code pseudonym}; never null
     * @throws NullPointerException when {@code pseudonym} is null
     * @since 0.4
     */
    public KnownContent withPoster(String pseudonym) {
      return new KnownContent(content, fingerprints, account, room, surface, removed, postedAt, secondReviewOf,
          identicalCopies, Optional.of(Objects.requireNonNull(pseudonym, "pseudonym")));
    }

    /**
     * Known content with no identical copies listed.
     *
     * @param content the content component, as described on the record
     * @param fingerprints the fingerprints component, as described on the record
     * @param account the account component, as described on the record
     * @param room the room component, as described on the record
     * @param surface the surface component, as described on the record
     * @param removed the removed component, as described on the record
     * @param postedAt the postedAt component, as described on the record
     * @param secondReviewOf the secondReviewOf component, as described on the record
     * @throws NullPointerException when a reference component is null
     */
    public KnownContent(ContentId content, Fingerprints fingerprints, AccountId account, Optional<RoomId> room,
        Surface surface, boolean removed, Optional<Instant> postedAt, Optional<DecisionId> secondReviewOf) {
      this(content, fingerprints, account, room, surface, removed, postedAt, secondReviewOf, List.of());
    }

    /**
     * Known content whose posting time is not in the evidence.
     *
     * @param content the content component, as described on the record
     * @param fingerprints the fingerprints component, as described on the record
     * @param account the account component, as described on the record
     * @param room the room component, as described on the record
     * @param surface the surface component, as described on the record
     * @param removed the removed component, as described on the record
     * @throws NullPointerException when a reference component is null
     */
    public KnownContent(ContentId content, Fingerprints fingerprints, AccountId account, Optional<RoomId> room,
        Surface surface, boolean removed) {
      this(content, fingerprints, account, room, surface, removed, Optional.empty(), Optional.empty());
    }

    /**
     * Known content that awaits no second review.
     *
     * @param content the content component, as described on the record
     * @param fingerprints the fingerprints component, as described on the record
     * @param account the account component, as described on the record
     * @param room the room component, as described on the record
     * @param surface the surface component, as described on the record
     * @param removed the removed component, as described on the record
     * @param postedAt the postedAt component, as described on the record
     * @throws NullPointerException when a reference component is null
     */
    public KnownContent(ContentId content, Fingerprints fingerprints, AccountId account, Optional<RoomId> room,
        Surface surface, boolean removed, Optional<Instant> postedAt) {
      this(content, fingerprints, account, room, surface, removed, postedAt, Optional.empty());
    }

    /**
     * Validates.
     *
     * @param content the content component, as described on the record
     * @param fingerprints the fingerprints component, as described on the record
     * @param account the account component, as described on the record
     * @param room the room component, as described on the record
     * @param surface the surface component, as described on the record
     * @param removed the removed component, as described on the record
     * @param postedAt the postedAt component, as described on the record
     * @param secondReviewOf the secondReviewOf component, as described on the record
     * @param identicalCopies the identicalCopies component, as described on the record
     * @param poster the poster component, as described on the record
     * @throws NullPointerException when a reference component or a copy is null
     */
    public KnownContent {
      Objects.requireNonNull(content, "content");
      Objects.requireNonNull(fingerprints, "fingerprints");
      Objects.requireNonNull(account, "account");
      Objects.requireNonNull(room, "room");
      Objects.requireNonNull(surface, "surface");
      Objects.requireNonNull(postedAt, "postedAt");
      Objects.requireNonNull(secondReviewOf, "secondReviewOf");
      identicalCopies = List.copyOf(identicalCopies);
      Objects.requireNonNull(poster, "poster");
    }

    @Override
    public Kind signalKind() {
      return Kind.KNOWN_CONTENT;
    }
  }

  /**
   * What the engine found in a free-text field before the text was masked for the log: the kinds
   * of identifying detail (name, age, school, address, phone) a caption carries. Policies read this
   * instead of the text, so that a decision replays from the log although the text is not in it.
   *
   * @param field the field scanned, e.g. {@code content.text}; not null
   * @param detector the detector's id and version; not null
   * @param scanned how many characters were scanned (the detector scans a bounded prefix)
   * @param details the kinds of detail found, in the detector's stable order; not null; copied
   * @since 0.2
   */
  record TextFindings(String field, String detector, int scanned, List<String> details) implements Signal {
    /**
     * Validates and copies.
     *
     * @param field the field component, as described on the record
     * @param detector the detector component, as described on the record
     * @param scanned the scanned component, as described on the record
     * @param details the details component, as described on the record
     * @throws NullPointerException when a reference component or element is null
     */
    public TextFindings {
      Objects.requireNonNull(field, "field");
      Objects.requireNonNull(detector, "detector");
      details = List.copyOf(details);
    }

    @Override
    public Kind signalKind() {
      return Kind.TEXT_FINDINGS;
    }
  }

  /**
   * The content's bytes could not be perceptually hashed (damaged, unsupported, over a limit): it
   * was still matched by its exact digests.
   *
   * @param reason what went wrong, e.g. the exception's type and message; not null
   * @since 0.2
   */
  record NotHashed(String reason) implements Signal {
    /**
     * Validates.
     *
     * @param reason the reason component, as described on the record
     * @throws NullPointerException when {@code reason} is null
     */
    public NotHashed {
      Objects.requireNonNull(reason, "reason");
    }

    @Override
    public Kind signalKind() {
      return Kind.NOT_HASHED;
    }
  }

  /**
   * What the reputation model learnt when a report came in, beyond the weighed {@link Reports}: the
   * reporter's standing and misuse state, the target's review item and verdicts, how the reporters
   * cluster, whether the target's owner is under a campaign, and the score of the claim. Computed
   * before the decision from the stores as they are plus this report; nothing is stored until the
   * decision is logged. The built-in {@code reports} policy reads it.
   *
   * @param target the reported target; not null
   * @param category the harm this report alleges; not null
   * @param firstParty whether the reporter says the content is about themselves
   * @param duplicate whether the same reporter had already reported the same target (counted once)
   * @param misuse the reporter's misuse state as this report finds it; not null
   * @param suspendedUntil when report processing resumes, for {@link Misuse#SUSPENDED}; not null
   * @param unfounded the reporter's manifestly unfounded (rejected) reports within the model's misuse
   *     window, at least 0
   * @param credibility the reporter's credibility, in [0, 1]
   * @param trustedFlagger whether the reporter is a registered trusted flagger
   * @param young whether the reporter's account is younger than the model's new-account age (or of
   *     unknown age)
   * @param proven whether the reporter has a track record (an aged account, enough reviewed reports
   *     that added information, credibility at or above the prior) or is a trusted flagger
   * @param corroborated whether the pending reports come from at least the model's corroboration
   *     count of distinct, uncorrelated reporters, or from a proven one
   * @param recheckAt when the oldest report on the target still waiting for corroboration is due to
   *     be looked at again whatever happens; empty when none waits; not null
   * @param attachedTo the decision that queued (or last escalated) the target's open review item;
   *     empty when no item is open; not null
   * @param attachedCategory the most severe harm the open item's reports claim; empty when no item
   *     is open; not null
   * @param attachedTrusted whether a trusted flagger's report is among those of the open item
   * @param escalates whether this report claims a harm more severe than the open item's
   * @param reflag whether this report is the one with which the reports on a target already queued
   *     first look coordinated (brigading or a campaign), so the open item must be flagged now
   * @param cleared the harms review found the target not to be, with no confirmation since;
   *     not null; copied
   * @param linkedToRejected whether the reporter is one of the reporters review rejected on this
   *     target, or is correlated with them (created or joined together, or reported other targets
   *     together)
   * @param targetRemoved whether the target is content the engine already removed
   * @param unproven pending reports from reporters without a track record, at least 0
   * @param largestCluster the size of the largest cluster of correlated reporters, at least 0
   * @param correlation which correlations linked the reporters; not null; copied
   * @param owner the account whose content (or who) is reported, when the engine knows it; not null
   * @param campaignTargets distinct targets of the owner reported within the model's campaign
   *     window, this one included; 0 when the owner is unknown
   * @param campaignReporters distinct reporters of those targets, at least 0
   * @param campaign whether those reports look like one campaign against the owner (many targets,
   *     many reporters mostly without a track record)
   * @param score how strongly this claim asks to be looked at first within its priority band, in
   *     [0, 1]: the credibility of the claim's independent supporters, times the severity of the
   *     harm, times their independence
   * @since 0.2
   */
  record ReportIntake(Target target, Category category, boolean firstParty, boolean duplicate, Misuse misuse,
      Optional<Instant> suspendedUntil, int unfounded, double credibility, boolean trustedFlagger, boolean young,
      boolean proven, boolean corroborated, Optional<Instant> recheckAt, Optional<DecisionId> attachedTo,
      Optional<Category> attachedCategory, boolean attachedTrusted, boolean escalates, boolean reflag,
      Set<Category> cleared, boolean linkedToRejected, boolean targetRemoved, int unproven, int largestCluster,
      Set<Correlation> correlation, Optional<AccountId> owner, int campaignTargets, int campaignReporters,
      boolean campaign, double score) implements Signal {

    /**
     * Where a reporter stands in misuse handling (DSA Art. 23) when their report comes in. The
     * steps themselves (warning, a proposal to suspend) are taken on the review decisions that
     * rejected their reports, never on a new report.
     *
     * @since 0.2
     */
    public enum Misuse {
      /** Nothing to tell: the report is processed. */
      NONE,
      /**
       * A review decision warned the reporter since their last report: this report tells them, and
       * is processed like any other.
       */
      WARNING_NOTICE,
      /**
       * A person suspended the processing of the reporter's reports: the report is recorded, not
       * weighed; a severe claim is still hash-checked and queued at low priority.
       */
      SUSPENDED,
      /** The suspension is over: processing is restored and this report is processed. */
      RESTORED;

      /**
       * The wire name.
       *
       * @return the lower-case name, e.g. {@code warning_notice}; never null
       */
      public String wireName() {
        return name().toLowerCase(Locale.ROOT);
      }

      /**
       * Parses a wire name (case-insensitive).
       *
       * @param wire the name; not null
       * @return the constant
       * @throws IllegalArgumentException when unknown
       */
      public static Misuse fromWire(String wire) {
        return valueOf(wire.toUpperCase(Locale.ROOT));
      }
    }

    /**
     * A correlation that links reporters.
     *
     * @since 0.2
     */
    public enum Correlation {
      /** Accounts created within the model's window of each other. */
      CREATED_TOGETHER,
      /** Accounts that joined the same room within the model's window of each other. */
      JOINED_TOGETHER,
      /** Young accounts that reported this target within the model's short gap of each other. */
      REPORTED_TOGETHER,
      /** Accounts that reported other targets together, within the model's window, before. */
      REPORTED_ELSEWHERE_TOGETHER,
      /** A wave: many reports from reporters without a track record within the burst window. */
      WAVE;

      /**
       * The wire name.
       *
       * @return the lower-case name, e.g. {@code created_together}; never null
       */
      public String wireName() {
        return name().toLowerCase(Locale.ROOT);
      }

      /**
       * Parses a wire name (case-insensitive).
       *
       * @param wire the name; not null
       * @return the constant
       * @throws IllegalArgumentException when unknown
       */
      public static Correlation fromWire(String wire) {
        return valueOf(wire.toUpperCase(Locale.ROOT));
      }
    }

    /**
     * Validates and copies.
     *
     * @param target the target component, as described on the record
     * @param category the category component, as described on the record
     * @param firstParty the firstParty component, as described on the record
     * @param duplicate the duplicate component, as described on the record
     * @param misuse the misuse component, as described on the record
     * @param suspendedUntil the suspendedUntil component, as described on the record
     * @param unfounded the unfounded component, as described on the record
     * @param credibility the credibility component, as described on the record
     * @param trustedFlagger the trustedFlagger component, as described on the record
     * @param young the young component, as described on the record
     * @param proven the proven component, as described on the record
     * @param corroborated the corroborated component, as described on the record
     * @param recheckAt the recheckAt component, as described on the record
     * @param attachedTo the attachedTo component, as described on the record
     * @param attachedCategory the attachedCategory component, as described on the record
     * @param attachedTrusted the attachedTrusted component, as described on the record
     * @param escalates the escalates component, as described on the record
     * @param reflag the reflag component, as described on the record
     * @param cleared the cleared component, as described on the record
     * @param linkedToRejected the linkedToRejected component, as described on the record
     * @param targetRemoved the targetRemoved component, as described on the record
     * @param unproven the unproven component, as described on the record
     * @param largestCluster the largestCluster component, as described on the record
     * @param correlation the correlation component, as described on the record
     * @param owner the owner component, as described on the record
     * @param campaignTargets the campaignTargets component, as described on the record
     * @param campaignReporters the campaignReporters component, as described on the record
     * @param campaign the campaign component, as described on the record
     * @param score the score component, as described on the record
     * @throws NullPointerException when a reference component is null
     * @throws IllegalArgumentException when a count is negative, or credibility or score is not in
     *     [0, 1]
     */
    public ReportIntake {
      Objects.requireNonNull(target, "target");
      Objects.requireNonNull(category, "category");
      Objects.requireNonNull(misuse, "misuse");
      Objects.requireNonNull(suspendedUntil, "suspendedUntil");
      Objects.requireNonNull(recheckAt, "recheckAt");
      Objects.requireNonNull(attachedTo, "attachedTo");
      Objects.requireNonNull(attachedCategory, "attachedCategory");
      cleared = cleared.isEmpty() ? Set.of() : Collections.unmodifiableSet(EnumSet.copyOf(cleared));
      correlation = correlation.isEmpty() ? Set.of() : Collections.unmodifiableSet(EnumSet.copyOf(correlation));
      Objects.requireNonNull(owner, "owner");
      if (unfounded < 0 || unproven < 0 || largestCluster < 0 || campaignTargets < 0 || campaignReporters < 0) {
        throw new IllegalArgumentException("report intake counts must be >= 0");
      }
      if (!(credibility >= 0 && credibility <= 1) || !(score >= 0 && score <= 1)) {
        throw new IllegalArgumentException("credibility and score must be in [0, 1], got " + credibility + ", "
            + score);
      }
    }

    @Override
    public Kind signalKind() {
      return Kind.REPORT_INTAKE;
    }
  }

  /**
   * What a review verdict does to the reports on its target, worked out before the decision from the
   * stores as they are: which reports it resolves (those whose alleged harm the verdict covers), and
   * which of their reporters it puts over the misuse line. Nothing is stored until the decision is
   * logged. The built-in {@code reports} policy turns the misuse findings into reasons.
   *
   * @param target the reviewed target; not null
   * @param verdict the verdict; not null
   * @param covered the harms whose claims the verdict resolves: the verdict's category, or every
   *     harm when it names none; not null; copied
   * @param confirmed pending reports the verdict confirms, at least 0
   * @param rejected pending reports the verdict rejects, at least 0
   * @param untouched pending reports of harms the verdict does not cover, left pending, at least 0
   * @param misuse the reporters this verdict puts over the misuse line; not null; copied
   * @param coordinated whether the reports the verdict confirms come out of a flagged wave: the
   *     target's pending reports look like brigading, or its owner is under a campaign (always false
   *     when the verdict confirms none); a person's confirmation of such reports waits for a second,
   *     independent reviewer before it strikes or banks
   * @since 0.2
   */
  record ReportResolution(Target target, Verdict verdict, Set<Category> covered, int confirmed, int rejected,
      int untouched, List<MisuseFinding> misuse, boolean coordinated) implements Signal {

    /**
     * A resolution of reports that are not coordinated.
     *
     * @param target the reviewed target; not null
     * @param verdict the verdict; not null
     * @param covered the harms whose claims the verdict resolves; not null; copied
     * @param confirmed pending reports the verdict confirms, at least 0
     * @param rejected pending reports the verdict rejects, at least 0
     * @param untouched pending reports of harms the verdict does not cover, at least 0
     * @param misuse the reporters this verdict puts over the misuse line; not null; copied
     * @throws NullPointerException when a reference component or element is null
     * @throws IllegalArgumentException when a count is negative
     */
    public ReportResolution(Target target, Verdict verdict, Set<Category> covered, int confirmed, int rejected,
        int untouched, List<MisuseFinding> misuse) {
      this(target, verdict, covered, confirmed, rejected, untouched, misuse, false);
    }

    /**
     * What misuse handling proposes for one reporter.
     *
     * @since 0.2
     */
    public enum Step {
      /**
       * An ordinary reporter without a valid warning: warned now (DSA Art. 23); told on their next
       * report.
       */
      WARN,
      /** An ordinary reporter still over the line after a warning: a person decides on a suspension. */
      PROPOSE_SUSPENSION,
      /**
       * A trusted flagger: never warned or suspended automatically; the operator is alerted (DSA Art.
       * 22(6)).
       */
      ALERT_OPERATOR;

      /**
       * The wire name.
       *
       * @return the lower-case name, e.g. {@code propose_suspension}; never null
       */
      public String wireName() {
        return name().toLowerCase(Locale.ROOT);
      }

      /**
       * Parses a wire name (case-insensitive).
       *
       * @param wire the name; not null
       * @return the constant
       * @throws IllegalArgumentException when unknown
       */
      public static Step fromWire(String wire) {
        return valueOf(wire.toUpperCase(Locale.ROOT));
      }
    }

    /**
     * One reporter over the misuse line.
     *
     * @param reporter the reporter; not null
     * @param trustedFlagger whether a registered trusted flagger
     * @param unfounded manifestly unfounded reports within the misuse window, this rejection
     *     included, at least 0
     * @param share the unfounded share of the reporter's reviewed reports (decayed), in [0, 1]
     * @param step what is proposed; not null
     * @since 0.2
     */
    public record MisuseFinding(ReporterId reporter, boolean trustedFlagger, int unfounded, double share, Step step) {
      /**
       * Validates.
       *
       * @param reporter the reporter component, as described on the record
       * @param trustedFlagger the trustedFlagger component, as described on the record
       * @param unfounded the unfounded component, as described on the record
       * @param share the share component, as described on the record
       * @param step the step component, as described on the record
       * @throws NullPointerException when a reference component is null
       * @throws IllegalArgumentException when {@code unfounded} is negative or {@code share} not in
       *     [0, 1]
       */
      public MisuseFinding {
        Objects.requireNonNull(reporter, "reporter");
        Objects.requireNonNull(step, "step");
        if (unfounded < 0 || !(share >= 0 && share <= 1)) {
          throw new IllegalArgumentException("unfounded must be >= 0 and share in [0, 1], got " + unfounded
              + ", " + share);
        }
      }
    }

    /**
     * Validates and copies.
     *
     * @param target the target component, as described on the record
     * @param verdict the verdict component, as described on the record
     * @param covered the covered component, as described on the record
     * @param confirmed the confirmed component, as described on the record
     * @param rejected the rejected component, as described on the record
     * @param untouched the untouched component, as described on the record
     * @param misuse the misuse component, as described on the record
     * @param coordinated the coordinated component, as described on the record
     * @throws NullPointerException when a reference component or element is null
     * @throws IllegalArgumentException when a count is negative
     */
    public ReportResolution {
      Objects.requireNonNull(target, "target");
      Objects.requireNonNull(verdict, "verdict");
      covered = covered.isEmpty() ? Set.of() : Collections.unmodifiableSet(EnumSet.copyOf(covered));
      misuse = List.copyOf(misuse);
      if (confirmed < 0 || rejected < 0 || untouched < 0) {
        throw new IllegalArgumentException("resolution counts must be >= 0");
      }
    }

    @Override
    public Kind signalKind() {
      return Kind.REPORT_RESOLUTION;
    }
  }

  /**
   * A hit of a host's external matcher ({@code spi.ExternalMatcher}): typed bank-match evidence for
   * a signal Haetae cannot compute (a certified filter's feature match, TMK+PDQF, vPDQ), with the
   * matcher's provenance. The engine makes it from what the matcher returned, after checking that
   * the hit's signal type is one the matcher declared; policies read it as they read a {@link
   * HashMatch}, and the decision log records it whole, so a replay needs no matcher.
   *
   * @param matcher the matcher's id; not null
   * @param provenance who made the matcher, its certification, the list version; not null
   * @param hit the hit; not null
   * @since 0.2
   */
  record ExternalMatch(String matcher, ExternalProvenance provenance, ExternalHit hit) implements Signal {
    /**
     * Validates.
     *
     * @param matcher the matcher component, as described on the record
     * @param provenance the provenance component, as described on the record
     * @param hit the hit component, as described on the record
     * @throws InvalidRequestException when a component is null or {@code matcher} is blank, longer
     *     than 256 characters or holds a control character
     */
    public ExternalMatch {
      ExternalHit.text("external_match.matcher", matcher);
      InvalidRequestException.requireNonNull("external_match.provenance", provenance);
      InvalidRequestException.requireNonNull("external_match.hit", hit);
    }

    @Override
    public Kind signalKind() {
      return Kind.EXTERNAL_MATCH;
    }
  }

  /**
   * A host's confirmation ({@link ActionConfirmation}) checked, when it arrives, against what the
   * engine's memory remembers of the decision it names: whether that decision planned the confirmed
   * kind of action. The evidence carries the finding, so a stray confirmation is flagged in its own
   * record (reports also check the whole log).
   *
   * @param decision the decision the confirmation names; not null
   * @param action the kind of action it confirms; not null
   * @param standing what the memory says; not null
   * @since 0.4
   */
  record ConfirmationCheck(DecisionId decision, Action.Kind action, Standing standing) implements Signal {
    /**
     * What the engine's memory says of a confirmed action.
     *
     * @since 0.4
     */
    public enum Standing {
      /** The decision planned an action of this kind. */
      PLANNED,
      /** The decision is remembered and planned no action of this kind: the confirmation is stray. */
      NOT_PLANNED,
      /**
       * The memory does not know the decision (another memory's, forgotten, pruned, or one that only
       * allowed an upload): stray unless another shard's log holds it.
       */
      UNKNOWN_DECISION,
      /** The decision is remembered without its actions (remembered before 0.4). */
      NOT_RECORDED;

      /**
       * The wire name, e.g. {@code not_planned}.
       *
       * @return the lower-case name; never null
       */
      public String wireName() {
        return name().toLowerCase(Locale.ROOT);
      }
    }

    /**
     * Validates.
     *
     * @param decision the decision component, as described on the record
     * @param action the action component, as described on the record
     * @param standing the standing component, as described on the record
     * @throws NullPointerException when a component is null
     */
    public ConfirmationCheck {
      Objects.requireNonNull(decision, "decision");
      Objects.requireNonNull(action, "action");
      Objects.requireNonNull(standing, "standing");
    }

    @Override
    public Kind signalKind() {
      return Kind.CONFIRMATION_CHECK;
    }
  }

  /**
   * A temporary measure ({@link Action.TemporaryMeasure}) on the content: on a valid notice under an
   * instrument that provides one ({@code temporary_measure_for} in the jurisdiction profile), the
   * measure the notice would take, with no {@code measure} yet; on a review verdict or a
   * {@link MeasureExpiry}, the measure the engine holds open, with the decision that took it. Policies
   * decide from it whether to take, lift, restore or uphold; replay reads the same.
   *
   * @param instrument the instrument that provides the measure, e.g. {@code KR-NA-44-2}; not null,
   *     not blank
   * @param measure the decision that took the measure, or empty for the measure a notice would take;
   *     not null
   * @param start when the measure started (or would start); not null
   * @param until when it ends unless a verdict ends it earlier; not null, after {@code start}
   * @since 0.4
   */
  record TemporaryMeasure(String instrument, Optional<DecisionId> measure, Instant start, Instant until)
      implements Signal {
    /**
     * Validates.
     *
     * @param instrument the instrument component, as described on the record
     * @param measure the measure component, as described on the record
     * @param start the start component, as described on the record
     * @param until the until component, as described on the record
     * @throws NullPointerException when a component is null
     * @throws IllegalArgumentException when {@code instrument} is blank or {@code until} is not after
     *     {@code start}
     */
    public TemporaryMeasure {
      Objects.requireNonNull(instrument, "instrument");
      Objects.requireNonNull(measure, "measure");
      Objects.requireNonNull(start, "start");
      Objects.requireNonNull(until, "until");
      if (instrument.isBlank()) {
        throw new IllegalArgumentException("instrument: must not be blank");
      }
      if (!until.isAfter(start)) {
        throw new IllegalArgumentException("until: must be after start (" + start + "), was " + until);
      }
    }

    @Override
    public Kind signalKind() {
      return Kind.TEMPORARY_MEASURE;
    }
  }

  /**
   * A signal from a host's {@code SignalProvider}: a named fact with string attributes. This is
   * the hosts' namespace: the engine never reads a custom signal as one of its own facts, and a
   * provider may emit custom signals only under its own id as {@code provider}.
   *
   * <p>The decision log writes the attributes named in {@code safe} in clear and masks the others
   * (their length and a keyed hash). The engine sets {@code safe} from the provider's {@code
   * SignalProvider.safeAttributes()}, replacing whatever the provider put there; a custom signal read
   * back from a log names in {@code safe} the attributes it holds in clear, and holds a placeholder
   * {@code [masked N chars #hash]} for each masked one.
   *
   * @param provider the provider's id; not null
   * @param name the signal's name; not null
   * @param attributes the facts; not null; copied
   * @param safe the names of the attributes that may be logged in clear; not null; copied, keeping
   *     only names among the attributes (since 0.2)
   * @since 0.1
   */
  record Custom(String provider, String name, Map<String, String> attributes, Set<String> safe)
      implements Signal {
    /**
     * Validates and copies.
     *
     * @param provider the provider component, as described on the record
     * @param name the name component, as described on the record
     * @param attributes the attributes component, as described on the record
     * @param safe the safe component, as described on the record
     * @throws NullPointerException when a reference component, key or value is null
     */
    public Custom {
      Objects.requireNonNull(provider, "provider");
      Objects.requireNonNull(name, "name");
      attributes = Map.copyOf(attributes);
      Set<String> kept = new java.util.HashSet<>(safe.size());
      for (String s : safe) {
        if (attributes.containsKey(Objects.requireNonNull(s, "safe attribute name"))) {
          kept.add(s);
        }
      }
      safe = Set.copyOf(kept);
    }

    /**
     * A custom signal all of whose attributes are masked in the decision log (until the engine
     * applies the provider's declaration).
     *
     * @param provider the provider's id; not null
     * @param name the signal's name; not null
     * @param attributes the facts; not null; copied
     * @throws NullPointerException when an argument, key or value is null
     */
    public Custom(String provider, String name, Map<String, String> attributes) {
      this(provider, name, attributes, Set.of());
    }

    /**
     * This signal with another declaration of its safe attributes.
     *
     * @param names the attribute names that may be logged in clear; not null
     * @return the signal; never null
     * @throws NullPointerException when {@code names} or an element is null
     * @since 0.2
     */
    public Custom withSafe(Set<String> names) {
      return new Custom(provider, name, attributes, names);
    }

    @Override
    public Kind signalKind() {
      return Kind.CUSTOM;
    }
  }
}
