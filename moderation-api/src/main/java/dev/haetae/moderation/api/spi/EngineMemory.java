package dev.haetae.moderation.api.spi;

import dev.haetae.moderation.api.AccountId;
import dev.haetae.moderation.api.Action;
import dev.haetae.moderation.api.Category;
import dev.haetae.moderation.api.ContentId;
import dev.haetae.moderation.api.DecisionId;
import dev.haetae.moderation.api.Fingerprints;
import dev.haetae.moderation.api.Pdq;
import dev.haetae.moderation.api.PdqHash;
import dev.haetae.moderation.api.RoomId;
import dev.haetae.moderation.api.Surface;
import java.time.Instant;
import java.util.Collection;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * What the engine remembers between requests: the content it saw posted (fingerprints, poster,
 * room, space), which content it removed, strikes that wait for a person's verdict, content whose
 * copies are to be blocked once it is seen, platform-bank entries an appeal reinstated, what each
 * decision did (for an appeal against it), the links between appeals and the decisions they
 * appeal, restricted items per room, and the profile photos their owners protected.
 *
 * <p>The engine reads it while it gathers a decision's evidence and writes it only when it applies
 * a logged decision's plan. The embedded default keeps it in memory, bounded, for one process; a
 * deployment of many instances plugs in a shared memory (e.g. PostgreSQL), so that a report, notice
 * or appeal taken by one instance finds what another instance saw and decided.
 *
 * <p><b>Idempotency.</b> Every write can be repeated: after a crash between the log and the apply,
 * the engine applies a logged plan again, and two instances may apply the same facts. Each write
 * method says what repeating it does; none counts anything twice.
 *
 * <p><b>Thread safety.</b> All methods may be called concurrently, also from several processes
 * sharing one memory; each write is atomic (a reader sees it whole or not at all).
 *
 * <p><b>Failures.</b> A memory kept outside the process throws {@link
 * dev.haetae.moderation.api.StoreUnavailableException} when it cannot be read or written; a write
 * that throws changed nothing. Every method throws {@link NullPointerException} for a null
 * argument.
 *
 * @since 0.2
 */
public interface EngineMemory {

  // ---------------------------------------------------------------- content

  /**
   * What the engine remembers of one piece of content.
   *
   * @param posted what was posted, when the engine saw it; not null
   * @param removed when the engine first removed it, while it stays removed; not null
   * @param strikeDeferred whether the strike for its removal waits for a person's verdict
   * @param blockCopies when a notice removed it before the engine saw it: the category to bank its
   *     copies under once it is seen; not null
   * @param secondReview when a verdict removed it and asked a second, independent reviewer: that
   *     verdict, until a later verdict answers it; not null
   * @since 0.2 (secondReview since 0.3)
   */
  record ContentState(Optional<Posted> posted, Optional<Instant> removed, boolean strikeDeferred,
      Optional<Category> blockCopies, Optional<FirstVerdict> secondReview) {

    /** The state of content the engine knows nothing about. */
    public static final ContentState NONE =
        new ContentState(Optional.empty(), Optional.empty(), false, Optional.empty(), Optional.empty());

    /**
     * Validates.
     *
     * @param posted the posted component, as described on the record
     * @param removed the removed component, as described on the record
     * @param strikeDeferred the strikeDeferred component, as described on the record
     * @param blockCopies the blockCopies component, as described on the record
     * @param secondReview the secondReview component, as described on the record
     * @throws NullPointerException when a component is null
     */
    public ContentState {
      Objects.requireNonNull(posted, "posted");
      Objects.requireNonNull(removed, "removed");
      Objects.requireNonNull(blockCopies, "blockCopies");
      Objects.requireNonNull(secondReview, "secondReview");
    }

    /**
     * A state without a verdict awaiting a second review.
     *
     * @param posted the posted component, as described on the record
     * @param removed the removed component, as described on the record
     * @param strikeDeferred the strikeDeferred component, as described on the record
     * @param blockCopies the blockCopies component, as described on the record
     * @throws NullPointerException when a component is null
     */
    public ContentState(Optional<Posted> posted, Optional<Instant> removed, boolean strikeDeferred,
        Optional<Category> blockCopies) {
      this(posted, removed, strikeDeferred, blockCopies, Optional.empty());
    }

    /**
     * Whether the content is removed.
     *
     * @return whether {@link #removed()} is present
     */
    public boolean isRemoved() {
      return removed.isPresent();
    }
  }

  /**
   * A posted item as the engine saw it.
   *
   * @param fingerprints its fingerprints (with PDQ query variants, when it had them); not null
   * @param account its poster; not null
   * @param room its room, if any; not null
   * @param surface its space; not null
   * @param at when the engine first saw it posted; empty when not known (remembered before 0.3);
   *     not null
   * @since 0.2
   */
  record Posted(Fingerprints fingerprints, AccountId account, Optional<RoomId> room, Surface surface,
      Optional<Instant> at) {
    /**
     * A posted item whose posting time is not known.
     *
     * @param fingerprints the fingerprints component, as described on the record
     * @param account the account component, as described on the record
     * @param room the room component, as described on the record
     * @param surface the surface component, as described on the record
     * @throws NullPointerException when a component is null
     */
    public Posted(Fingerprints fingerprints, AccountId account, Optional<RoomId> room, Surface surface) {
      this(fingerprints, account, room, surface, Optional.empty());
    }

    /**
     * Validates.
     *
     * @param fingerprints the fingerprints component, as described on the record
     * @param account the account component, as described on the record
     * @param room the room component, as described on the record
     * @param surface the surface component, as described on the record
     * @param at the at component, as described on the record
     * @throws NullPointerException when a component is null
     */
    public Posted {
      Objects.requireNonNull(fingerprints, "fingerprints");
      Objects.requireNonNull(account, "account");
      Objects.requireNonNull(room, "room");
      Objects.requireNonNull(surface, "surface");
      Objects.requireNonNull(at, "at");
    }
  }

  /**
   * A verdict that removed content and asked a second, independent reviewer.
   *
   * @param decision the verdict's decision; not null
   * @param reviewer who gave it, when the host named the moderator; not null
   * @since 0.3
   */
  record FirstVerdict(DecisionId decision, Optional<String> reviewer) {
    /**
     * Validates.
     *
     * @param decision the decision component, as described on the record
     * @param reviewer the reviewer component, as described on the record
     * @throws NullPointerException when a component is null
     */
    public FirstVerdict {
      Objects.requireNonNull(decision, "decision");
      Objects.requireNonNull(reviewer, "reviewer");
    }
  }

  /**
   * Remembers the verdict that removed the content and asked a second reviewer, until {@link
   * #dropDeferredStrike} or {@link #reinstate}. Idempotent: the first such verdict is kept. The
   * default does nothing, for memories written before 0.3: their engines cannot tell the second
   * reviewer from the first.
   *
   * @param content the content; not null
   * @param first the verdict; not null
   * @since 0.3
   */
  default void awaitSecondReview(ContentId content, FirstVerdict first) {
    Objects.requireNonNull(content, "content");
    Objects.requireNonNull(first, "first");
  }

  /**
   * What the memory holds about one piece of content. Reads only.
   *
   * @param content the content; not null
   * @return its state; {@link ContentState#NONE} when nothing is remembered (or was forgotten);
   *     never null
   */
  ContentState content(ContentId content);

  /**
   * Remembers what was posted. Idempotent: remembering the same item again changes nothing; a
   * different item under the same id replaces the earlier one (the latest write wins), except that
   * the earliest known {@link Posted#at} is kept (a later event about the same content does not
   * make it look newer). The rest of the content's state is kept.
   *
   * @param content the content; not null
   * @param posted what was posted; not null
   */
  void rememberContent(ContentId content, Posted posted);

  /**
   * Remembers that the content was removed. Idempotent: a content already removed keeps the
   * instant of its first removal.
   *
   * @param content the content; not null
   * @param at when it was removed; not null
   */
  void markRemoved(ContentId content, Instant at);

  /**
   * Undoes a removal that an appeal reversed: the content is no longer removed, no strike or second
   * review waits for it, and the platform-bank entries of its remembered fingerprints (SHA-256, MD5 and PDQ hash
   * in lower-case hex) become {@linkplain #reinstatedEntries reinstated}. Idempotent.
   *
   * @param content the content; not null
   */
  void reinstate(ContentId content);

  /**
   * Remembers that the strike for the content's removal waits for a person's verdict. Idempotent.
   *
   * @param content the content; not null
   */
  void deferStrike(ContentId content);

  /**
   * Forgets a strike that waited for a verdict (the person decided, or the strike was recorded),
   * and the verdict that awaited a second review. Idempotent; nothing happens when none waited.
   *
   * @param content the content; not null
   */
  void dropDeferredStrike(ContentId content);

  /**
   * Remembers that a notice removed the content before the engine saw it, so that its copies are
   * banked once it is seen. Idempotent; the latest category wins.
   *
   * @param content the content; not null
   * @param category the category to bank its copies under; not null
   */
  void blockCopiesWhenSeen(ContentId content, Category category);

  /**
   * Forgets that the content's copies are to be blocked when seen (they have been banked).
   * Idempotent.
   *
   * @param content the content; not null
   */
  void clearBlockCopies(ContentId content);

  /**
   * The content remembered with the same SHA-256 or MD5 as {@code fingerprints} (identical copies),
   * not removed, other than {@code except}: what a notice under an instrument that requires removing
   * identical copies (US TAKE IT DOWN) reaches among the items posted before it. Digests only: the
   * memory keeps no media, and forgets a digest with the content it belongs to (so the index is kept
   * as long as, and bounded as, the remembered content). Reads only.
   *
   * <p>The default finds nothing, for memories written before 0.3: their engines remove copies only
   * as they are uploaded again (the platform bank blocks them).
   *
   * @param fingerprints the digests to look for (PDQ is ignored: near-identical is not identical);
   *     not null
   * @param except the content itself, left out; not null
   * @param max the most copies to return, at least 1
   * @return up to {@code max} content ids, the earliest posted first (ties in id order); never null
   * @throws IllegalArgumentException when {@code max} is below 1
   * @since 0.3
   */
  default List<ContentId> identicalCopies(Fingerprints fingerprints, ContentId except, int max) {
    Objects.requireNonNull(fingerprints, "fingerprints");
    Objects.requireNonNull(except, "except");
    if (max < 1) {
      throw new IllegalArgumentException("max must be at least 1, got " + max);
    }
    return List.of();
  }

  // ---------------------------------------------------------------- reinstated platform-bank entries

  /**
   * Which of the given platform-bank entries an appeal reinstated: matches against them are
   * ignored until the content is banked again. Reads only.
   *
   * @param entries entry hashes in lower-case hex, as in {@link
   *     dev.haetae.moderation.api.Signal.HashMatch#entry()}; not null, no null elements
   * @return those among them that are reinstated; never null
   */
  Set<String> reinstatedEntries(Collection<String> entries);

  /**
   * The fingerprints were banked again: their entries are no longer reinstated. Idempotent.
   *
   * @param fingerprints the fingerprints (SHA-256, MD5, PDQ hash); not null
   */
  void clearReinstated(Fingerprints fingerprints);

  // ---------------------------------------------------------------- temporary measures

  /**
   * An open temporary measure ({@link dev.haetae.moderation.api.Action.TemporaryMeasure}) on a
   * piece of content.
   *
   * @param content the content; not null
   * @param decision the decision that took the measure; not null
   * @param instrument the instrument that provided it, e.g. {@code KR-NA-44-2}; not null
   * @param start when it started; not null
   * @param until when it expires; not null, after {@code start}
   * @since 0.4
   */
  record Measure(ContentId content, DecisionId decision, String instrument, Instant start, Instant until) {
    /**
     * Validates.
     *
     * @param content the content component, as described on the record
     * @param decision the decision component, as described on the record
     * @param instrument the instrument component, as described on the record
     * @param start the start component, as described on the record
     * @param until the until component, as described on the record
     * @throws NullPointerException when a component is null
     * @throws IllegalArgumentException when {@code until} is not after {@code start}
     */
    public Measure {
      Objects.requireNonNull(content, "content");
      Objects.requireNonNull(decision, "decision");
      Objects.requireNonNull(instrument, "instrument");
      Objects.requireNonNull(start, "start");
      Objects.requireNonNull(until, "until");
      if (!until.isAfter(start)) {
        throw new IllegalArgumentException("until: must be after start (" + start + "), was " + until);
      }
    }
  }

  /**
   * Remembers an open temporary measure; a content has at most one, so this replaces the content's
   * open measure, if any. Idempotent. The default throws, for memories written before 0.4: an engine
   * with such a memory cannot take a measure it could never lift.
   *
   * @param measure the measure; not null
   * @throws UnsupportedOperationException when the memory keeps no measures
   * @since 0.4
   */
  default void openMeasure(Measure measure) {
    throw new UnsupportedOperationException("this engine memory keeps no temporary measures");
  }

  /**
   * The content's open temporary measure. Reads only. The default finds none.
   *
   * @param content the content; not null
   * @return the measure, or empty when none is open; never null
   * @since 0.4
   */
  default Optional<Measure> openMeasure(ContentId content) {
    return Optional.empty();
  }

  /**
   * Closes the content's measure taken by {@code decision}, if it is still open; a measure another
   * decision took stays open. Idempotent. The default does nothing.
   *
   * @param content the content; not null
   * @param decision the decision that took the measure; not null
   * @since 0.4
   */
  default void closeMeasure(ContentId content, DecisionId decision) {
  }

  /**
   * Claims up to {@code max} open measures whose expiry is not after {@code now}, earliest expiry
   * first, that no claim holds: each claimed measure is held for {@code lease} from {@code now}, so
   * that engines sharing the memory do not lift one measure twice; a claim that lapses (its engine
   * stopped before the lift was logged) lets the measure be claimed again. A claim changes no
   * measure: only the logged lift closes it. The default finds none.
   *
   * @param now the instant; not null
   * @param lease how long a claim holds; not null, positive
   * @param max at most this many; positive
   * @return the claimed measures; never null
   * @since 0.4
   */
  default List<Measure> claimDueMeasures(Instant now, java.time.Duration lease, int max) {
    return List.of();
  }

  // ---------------------------------------------------------------- decisions and appeals

  /**
   * What an appeal needs to know about an earlier decision.
   *
   * @param content what it was about; not null
   * @param account the content's poster, if known; not null
   * @param instrument the notice instrument that governed it, if any; not null
   * @param category its category; not null
   * @param restrictive whether it restricted the content or the user
   * @param strikeAt when the strike it recorded expires, if it recorded one; not null
   * @param at when it was taken; not null
   * @param actions the kinds of action it planned, so that a host's confirmation can be checked
   *     against them when it arrives; empty when not recorded (memos remembered before 0.4); not
   *     null; copied (since 0.4)
   * @since 0.2
   */
  record DecisionMemo(ContentId content, Optional<AccountId> account, Optional<String> instrument, Category category,
      boolean restrictive, Optional<Instant> strikeAt, Instant at, Set<Action.Kind> actions) {
    /**
     * Validates and copies.
     *
     * @param content the content component, as described on the record
     * @param account the account component, as described on the record
     * @param instrument the instrument component, as described on the record
     * @param category the category component, as described on the record
     * @param restrictive the restrictive component, as described on the record
     * @param strikeAt the strikeAt component, as described on the record
     * @param at the at component, as described on the record
     * @param actions the actions component, as described on the record
     * @throws NullPointerException when a component or an action is null
     */
    public DecisionMemo {
      Objects.requireNonNull(content, "content");
      Objects.requireNonNull(account, "account");
      Objects.requireNonNull(instrument, "instrument");
      Objects.requireNonNull(category, "category");
      Objects.requireNonNull(strikeAt, "strikeAt");
      Objects.requireNonNull(at, "at");
      actions = Set.copyOf(actions);
    }

    /**
     * A memo without its actions, as before 0.4.
     *
     * @param content see the record
     * @param account see the record
     * @param instrument see the record
     * @param category see the record
     * @param restrictive see the record
     * @param strikeAt see the record
     * @param at see the record
     * @throws NullPointerException when a component is null
     */
    public DecisionMemo(ContentId content, Optional<AccountId> account, Optional<String> instrument,
        Category category, boolean restrictive, Optional<Instant> strikeAt, Instant at) {
      this(content, account, instrument, category, restrictive, strikeAt, at, Set.of());
    }
  }

  /**
   * Remembers what a decision did, for an appeal against it. Idempotent: a decision id is
   * remembered once; remembering it again keeps the first memo. The engine remembers every decision
   * except an upload's that restricted nothing, struck nobody and fell under no instrument: such a
   * decision leaves nothing to reverse, and an appeal against it finds the decision unknown.
   *
   * @param decision the decision; not null
   * @param memo what it did; not null
   */
  void rememberDecision(DecisionId decision, DecisionMemo memo);

  /**
   * What a decision did, as remembered. Reads only.
   *
   * @param decision the decision; not null
   * @return the memo, or empty when the decision is unknown (or was forgotten); never null
   */
  Optional<DecisionMemo> decision(DecisionId decision);

  /**
   * The decision an appeal's review obligation is about.
   *
   * @param appealId the host's appeal id; not null
   * @param decision the decision appealed; not null
   * @param content the content concerned; not null
   * @since 0.2
   */
  record AppealLink(String appealId, DecisionId decision, ContentId content) {
    /**
     * Validates.
     *
     * @param appealId the appealId component, as described on the record
     * @param decision the decision component, as described on the record
     * @param content the content component, as described on the record
     * @throws NullPointerException when a component is null
     */
    public AppealLink {
      Objects.requireNonNull(appealId, "appealId");
      Objects.requireNonNull(decision, "decision");
      Objects.requireNonNull(content, "content");
    }
  }

  /**
   * Links an appeal's review obligation to the decision appealed. Idempotent: an obligation is
   * linked once; linking it again keeps the first link.
   *
   * @param obligation the review obligation's id; not null
   * @param link the appeal and the decision; not null
   */
  void linkAppeal(String obligation, AppealLink link);

  /**
   * The appeal a review obligation belongs to. Reads only.
   *
   * @param obligation the obligation's id; not null
   * @return the link, or empty when the obligation is not an appeal's (or was forgotten); never null
   */
  Optional<AppealLink> appealLink(String obligation);

  // ---------------------------------------------------------------- rooms

  /**
   * Counts one restricted item in a room. Idempotent per room and content: recording the same
   * pair again does not count it twice, and keeps the instant first recorded. A memory may forget
   * pairs once they are older than any window the engine counts in (its room window).
   *
   * @param room the room; not null
   * @param content the item; not null
   * @param at when it was restricted; not null
   */
  void roomMatch(RoomId room, ContentId content, Instant at);

  /**
   * How many items were counted in a room at an instant after {@code since}. Reads only.
   *
   * @param room the room; not null
   * @param since the start of the window, exclusive; not null
   * @return the count, 0 or more
   */
  int roomMatches(RoomId room, Instant since);

  // ---------------------------------------------------------------- protected profile photos

  /**
   * A protected profile photo that a posted image resembles.
   *
   * @param owner the account that protected it; not null
   * @param photo the photo's content id; not null
   * @param distance the PDQ distance between the photo and the image (best over the image's query
   *     variants), 0..256
   * @since 0.2
   */
  record PhotoMatch(AccountId owner, ContentId photo, int distance) {
    /**
     * Validates.
     *
     * @param owner the owner component, as described on the record
     * @param photo the photo component, as described on the record
     * @param distance the distance component, as described on the record
     * @throws NullPointerException when a component is null
     * @throws IllegalArgumentException when the distance is out of range
     */
    public PhotoMatch {
      Objects.requireNonNull(owner, "owner");
      Objects.requireNonNull(photo, "photo");
      if (distance < 0 || distance > 256) {
        throw new IllegalArgumentException("distance must be 0..256, got " + distance);
      }
    }
  }

  /**
   * Protects a profile photo: images within the matching distance of its hash are {@linkplain
   * #matchPhotos found}. Idempotent: protecting the same photo with the same hash again changes
   * nothing; with another hash, the photo's earlier hash is replaced. The engine protects only
   * photos whose hash is good enough (see the engine guide).
   *
   * @param owner the owner; not null
   * @param photo the photo's content id; not null
   * @param hash its PDQ hash; not null
   */
  void protectPhoto(AccountId owner, ContentId photo, PdqHash hash);

  /**
   * Withdraws one photo's protection. Idempotent: withdrawing a photo that is not protected
   * changes nothing.
   *
   * @param owner the owner; not null
   * @param photo the photo's content id; not null
   * @return whether it was protected
   */
  boolean withdrawPhoto(AccountId owner, ContentId photo);

  /**
   * Withdraws every photo an owner protected. Idempotent.
   *
   * @param owner the owner; not null
   * @return how many were withdrawn
   */
  int withdrawPhotos(AccountId owner);

  /**
   * The protected photos within {@code maxDistance} of an image's PDQ hash or any of its query
   * variants, of every owner (the caller leaves out the poster's own). Reads only.
   *
   * @param pdq the image's PDQ measurement; not null
   * @param maxDistance the largest distance that matches, 0..128
   * @return one match per protected photo, each with its best distance; never null
   * @throws IllegalArgumentException when {@code maxDistance} is out of range
   */
  List<PhotoMatch> matchPhotos(Pdq pdq, int maxDistance);
}
