package dev.haetae.moderation.core.engine;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import dev.haetae.moderation.api.AccountId;
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
 * removed content, strikes per account, and bank matches per room. Time is the engine clock's.
 */
final class ContentLedger {
  record Item(Fingerprints fingerprints, AccountId account, Optional<RoomId> room) {}

  private final Cache<ContentId, Item> items;
  private final Cache<ContentId, Instant> removed;
  private final Cache<AccountId, Deque<Instant>> strikes;
  private final Cache<RoomId, Deque<Instant>> roomMatches;
  private final Duration strikeTtl;
  private final Duration roomWindow;

  ContentLedger(long maxItems, Duration strikeTtl, Duration roomWindow) {
    this.items = Caffeine.newBuilder().maximumSize(maxItems).build();
    this.removed = Caffeine.newBuilder().maximumSize(maxItems).build();
    this.strikes = Caffeine.newBuilder().maximumSize(maxItems).build();
    this.roomMatches = Caffeine.newBuilder().maximumSize(maxItems).build();
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

  void strike(AccountId account, Instant at) {
    strikes.asMap().compute(account, (k, d) -> {
      Deque<Instant> q = d == null ? new ArrayDeque<>() : d;
      q.addLast(at);
      return q;
    });
  }

  int liveStrikes(AccountId account, Instant now) {
    int[] n = {0};
    strikes.asMap().computeIfPresent(account, (k, q) -> {
      while (!q.isEmpty() && !q.peekFirst().plus(strikeTtl).isAfter(now)) {
        q.removeFirst();
      }
      n[0] = q.size();
      return q.isEmpty() ? null : q;
    });
    return n[0];
  }

  void roomMatch(RoomId room, Instant at) {
    roomMatches.asMap().compute(room, (k, d) -> {
      Deque<Instant> q = d == null ? new ArrayDeque<>() : d;
      q.addLast(at);
      return q;
    });
  }

  int roomMatches(RoomId room, Instant now) {
    int[] n = {0};
    roomMatches.asMap().computeIfPresent(room, (k, q) -> {
      while (!q.isEmpty() && !q.peekFirst().plus(roomWindow).isAfter(now)) {
        q.removeFirst();
      }
      n[0] = q.size();
      return q.isEmpty() ? null : q;
    });
    return n[0];
  }

  Duration roomWindow() {
    return roomWindow;
  }
}
