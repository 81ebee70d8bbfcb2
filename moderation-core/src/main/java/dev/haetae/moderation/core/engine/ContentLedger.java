package dev.haetae.moderation.core.engine;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import dev.haetae.moderation.api.AccountId;
import dev.haetae.moderation.api.Category;
import dev.haetae.moderation.api.DecisionId;
import dev.haetae.moderation.api.Surface;
import dev.haetae.moderation.api.ContentId;
import dev.haetae.moderation.api.Fingerprints;
import dev.haetae.moderation.api.RoomId;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.Optional;

/**
 * What the engine remembers between requests, bounded and in memory: the fingerprints and poster of
 * recent content (so a report or notice on it can be matched and a removal can block re-uploads),
 * removed content, bank matches per room, and the decisions an appeal may
 * refer to. Time is the engine clock's.
 */
final class ContentLedger {
  record Item(Fingerprints fingerprints, AccountId account, Optional<RoomId> room, Surface surface) {}

  /** A restricted item counted for its room's activity. */
  record RoomItem(ContentId content, Instant at) {}

  /** The decision an appeal's review obligation is about. */
  record AppealLink(String appealId, DecisionId decision, ContentId content) {}

  /**
   * What an appeal needs to know about an earlier decision: what it was about, which instrument
   * governed it, whether it restricted anything, and the strike it recorded (to clear on reversal).
   */
  record DecisionMemo(ContentId content, Optional<AccountId> account, Optional<String> instrument, Category category,
      boolean restrictive, Optional<Instant> strikeAt, Instant at) {}

  private final Cache<ContentId, Item> items;
  private final Cache<ContentId, Instant> removed;
  /** Content removed while queued for review, whose strike waits for a person to confirm it. */
  private final Cache<ContentId, Boolean> strikeOnConfirmation;
  private final Cache<RoomId, Deque<RoomItem>> roomMatches;
  private final Cache<String, AppealLink> appeals;
  private final Cache<DecisionId, DecisionMemo> decisions;
  private final Cache<ContentId, Category> pendingCopies;
  private final Cache<String, Boolean> reinstatedEntries;
  private final Duration strikeTtl;
  private final Duration roomWindow;

  ContentLedger(long maxItems, Duration strikeTtl, Duration roomWindow) {
    this.items = cache(maxItems);
    this.removed = cache(maxItems);
    this.strikeOnConfirmation = cache(maxItems);
    this.roomMatches = cache(maxItems);
    this.decisions = cache(maxItems);
    this.pendingCopies = cache(maxItems);
    this.reinstatedEntries = cache(maxItems);
    this.appeals = cache(maxItems);
    this.strikeTtl = strikeTtl;
    this.roomWindow = roomWindow;
  }

  void remember(ContentId id, Item item) {
    items.put(id, item);
  }

  Optional<Item> item(ContentId id) {
    return Optional.ofNullable(items.getIfPresent(id));
  }

  void markRemoved(ContentId id, Instant at) {
    removed.put(id, at);
  }

  boolean isRemoved(ContentId id) {
    return removed.getIfPresent(id) != null;
  }

  void unmarkRemoved(ContentId id) {
    removed.invalidate(id);
    strikeOnConfirmation.invalidate(id);
  }

  /** Defers the strike for a removal until a person confirms it (see {@link #takeDeferredStrike}). */
  void deferStrike(ContentId id) {
    strikeOnConfirmation.put(id, Boolean.TRUE);
  }

  /** Whether a strike was deferred for this content; forgets it either way. */
  boolean hasDeferredStrike(ContentId id) {
    return strikeOnConfirmation.getIfPresent(id) != null;
  }

  void dropDeferredStrike(ContentId id) {
    strikeOnConfirmation.invalidate(id);
  }

  void linkAppeal(String obligation, AppealLink link) {
    appeals.put(obligation, link);
  }

  Optional<AppealLink> appealLink(String obligation) {
    return Optional.ofNullable(appeals.getIfPresent(obligation));
  }

  /**
   * Content removed under an instrument that demands identical copies be blocked, before the
   * engine saw its fingerprints (the notice came before the upload event).
   */
  void blockCopiesWhenSeen(ContentId id, Category category) {
    pendingCopies.put(id, category);
  }

  /** Takes the pending block for this content, if any. */
  Optional<Category> pendingCopies(ContentId id) {
    return Optional.ofNullable(pendingCopies.getIfPresent(id));
  }

  void clearPendingCopies(ContentId id) {
    pendingCopies.invalidate(id);
  }

  /**
   * Platform-bank entries (hex) of content an appeal reinstated: matches against them are ignored
   * until the content is blocked again (the bank itself keeps the entry; see the legal guide).
   */
  void reinstated(Fingerprints fp, boolean value) {
    for (String hex : hexes(fp)) {
      if (value) {
        reinstatedEntries.put(hex, Boolean.TRUE);
      } else {
        reinstatedEntries.invalidate(hex);
      }
    }
  }

  boolean isReinstatedEntry(String hex) {
    return reinstatedEntries.getIfPresent(hex) != null;
  }

  private static java.util.List<String> hexes(Fingerprints fp) {
    java.util.List<String> out = new java.util.ArrayList<>(3);
    fp.sha256().ifPresent(h -> out.add(h.toHex()));
    fp.md5().ifPresent(h -> out.add(h.toHex()));
    fp.pdq().ifPresent(p -> out.add(p.hash().toHex()));
    return out;
  }

  void rememberDecision(DecisionId id, DecisionMemo memo) {
    decisions.put(id, memo);
  }

  Optional<DecisionMemo> decision(DecisionId id) {
    return Optional.ofNullable(decisions.getIfPresent(id));
  }

  Duration strikeTtl() {
    return strikeTtl;
  }

  /** Counts one restricted item in a room; idempotent by item, so applying a plan twice counts it once. */
  void roomMatch(RoomId room, ContentId content, Instant at) {
    roomMatches.asMap().compute(room, (k, d) -> {
      Deque<RoomItem> q = d == null ? new ArrayDeque<>() : d;
      while (!q.isEmpty() && !q.peekFirst().at().plus(roomWindow).isAfter(at)) {
        q.removeFirst(); // expired before this one: no later count can include them
      }
      for (RoomItem i : q) {
        if (i.content().equals(content)) {
          return q;
        }
      }
      q.addLast(new RoomItem(content, at));
      return q;
    });
  }

  /** Restricted items in the room within the window before {@code now}; reads only. */
  int roomMatches(RoomId room, Instant now) {
    int[] n = {0};
    roomMatches.asMap().computeIfPresent(room, (k, q) -> {
      for (RoomItem i : q) {
        if (i.at().plus(roomWindow).isAfter(now)) {
          n[0]++;
        }
      }
      return q;
    });
    return n[0];
  }

  Duration roomWindow() {
    return roomWindow;
  }

  /**
   * A bounded cache whose upkeep runs on the writing thread: on the evaluate hot path, handing
   * Caffeine's maintenance to a pool costs a thread wake-up per write.
   */
  private static <K, V> Cache<K, V> cache(long maxItems) {
    return Caffeine.newBuilder().maximumSize(maxItems).executor(Runnable::run).build();
  }
}
