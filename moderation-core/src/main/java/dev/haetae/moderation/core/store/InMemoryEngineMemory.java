package dev.haetae.moderation.core.store;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import dev.haetae.moderation.api.AccountId;
import dev.haetae.moderation.api.Category;
import dev.haetae.moderation.api.ContentId;
import dev.haetae.moderation.api.DecisionId;
import dev.haetae.moderation.api.Fingerprints;
import dev.haetae.moderation.api.Pdq;
import dev.haetae.moderation.api.PdqHash;
import dev.haetae.moderation.api.RoomId;
import dev.haetae.moderation.api.spi.EngineMemory;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Deque;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.function.UnaryOperator;

/**
 * The embedded default {@link EngineMemory}: what the engine remembers, in bounded caches of this
 * process (the least recently used content, digests, decisions, appeals, rooms and reinstated
 * entries are forgotten beyond {@code maxItems} each), and the protected profile photos in an
 * in-memory PDQ index. The digest index behind {@link #identicalCopies} holds SHA-256 and MD5
 * digests and content ids only, at most {@value #MAX_IDS_PER_DIGEST} ids per digest (the first
 * seen); an id whose content was forgotten or now has other digests is dropped when looked up. Only this process sees it: right for one instance and for tests; a fleet shares a memory
 * such as the PostgreSQL one.
 *
 * <p>Thread-safe: each content's state, each room's items and the photo index change atomically.
 *
 * @since 0.2
 */
public final class InMemoryEngineMemory implements EngineMemory {
  /** The default bound of each cache. */
  public static final long DEFAULT_MAX_ITEMS = 1_000_000;
  /** How long restricted items are kept per room by default: longer than any sensible room window. */
  public static final Duration DEFAULT_ROOM_RETENTION = Duration.ofDays(30);
  /** The most content ids kept per digest: a digest shared by more items is a meme, not a leak. */
  public static final int MAX_IDS_PER_DIGEST = 256;
  /** The PDQ distance the photo index is first built for (the engine's default). */
  private static final int PHOTO_DISTANCE = 31;

  private final Cache<ContentId, ContentState> contents;
  private final Cache<String, Boolean> reinstated;
  private final Cache<DecisionId, DecisionMemo> decisions;
  private final Cache<String, AppealLink> appeals;
  private final Cache<RoomId, Deque<RoomItem>> rooms;
  /** Content ids by digest ({@code sha256:<hex>}, {@code md5:<hex>}), for identical copies. */
  private final Cache<String, Set<ContentId>> digests;
  private final ProtectedPhotoIndex photos = new ProtectedPhotoIndex(PHOTO_DISTANCE);
  /**
   * Open temporary measures, not bounded like the caches: a measure forgotten would never be lifted.
   * They are few (one per request under an instrument that provides one) and closed within its
   * period. Guarded by itself, as is {@link #measureClaims}.
   */
  private final Map<ContentId, Measure> measures = new java.util.HashMap<>();
  /** Until when a tick's claim holds each claimed measure. */
  private final Map<ContentId, Instant> measureClaims = new java.util.HashMap<>();
  private final Duration roomRetention;

  /** A restricted item counted for its room. */
  private record RoomItem(ContentId content, Instant at) {}

  /** A memory with the default bounds. */
  public InMemoryEngineMemory() {
    this(DEFAULT_MAX_ITEMS, DEFAULT_ROOM_RETENTION);
  }

  /**
   * A memory that keeps up to {@code maxItems} entries in each of its caches, and each room's
   * restricted items for {@code roomRetention} after the room's latest one (set it to at least the
   * engine's room window).
   *
   * @param maxItems at least 1
   * @param roomRetention positive; not null
   * @throws IllegalArgumentException when {@code maxItems} is below 1 or {@code roomRetention} is
   *     not positive
   * @throws NullPointerException when {@code roomRetention} is null
   */
  public InMemoryEngineMemory(long maxItems, Duration roomRetention) {
    if (maxItems < 1) {
      throw new IllegalArgumentException("maxItems must be at least 1, got " + maxItems);
    }
    Objects.requireNonNull(roomRetention, "roomRetention");
    if (roomRetention.isNegative() || roomRetention.isZero()) {
      throw new IllegalArgumentException("roomRetention must be positive, got " + roomRetention);
    }
    this.contents = cache(maxItems);
    this.digests = cache(maxItems);
    this.reinstated = cache(maxItems);
    this.decisions = cache(maxItems);
    this.appeals = cache(maxItems);
    this.rooms = cache(maxItems);
    this.roomRetention = roomRetention;
  }

  /**
   * A bounded cache whose upkeep runs on the writing thread: on the evaluate hot path, handing
   * Caffeine's maintenance to a pool costs a thread wake-up per write.
   */
  private static <K, V> Cache<K, V> cache(long maxItems) {
    return Caffeine.newBuilder().maximumSize(maxItems).executor(Runnable::run).build();
  }

  // ---------------------------------------------------------------- temporary measures

  @Override
  public void openMeasure(Measure measure) {
    Objects.requireNonNull(measure, "measure");
    synchronized (measures) {
      measures.put(measure.content(), measure);
      measureClaims.remove(measure.content());
    }
  }

  @Override
  public Optional<Measure> openMeasure(ContentId content) {
    Objects.requireNonNull(content, "content");
    synchronized (measures) {
      return Optional.ofNullable(measures.get(content));
    }
  }

  @Override
  public void closeMeasure(ContentId content, DecisionId decision) {
    Objects.requireNonNull(content, "content");
    Objects.requireNonNull(decision, "decision");
    synchronized (measures) {
      Measure m = measures.get(content);
      if (m != null && m.decision().equals(decision)) {
        measures.remove(content);
        measureClaims.remove(content);
      }
    }
  }

  @Override
  public List<Measure> claimDueMeasures(Instant now, Duration lease, int max) {
    Objects.requireNonNull(now, "now");
    Objects.requireNonNull(lease, "lease");
    if (lease.isNegative() || lease.isZero() || max < 1) {
      throw new IllegalArgumentException("lease must be positive and max at least 1, got " + lease + " and " + max);
    }
    synchronized (measures) {
      List<Measure> due = new ArrayList<>();
      for (Measure m : measures.values()) {
        Instant claim = measureClaims.get(m.content());
        if (!m.until().isAfter(now) && (claim == null || !claim.isAfter(now))) {
          due.add(m);
        }
      }
      due.sort(java.util.Comparator.comparing(Measure::until).thenComparing(m -> m.content().value()));
      List<Measure> out = List.copyOf(due.subList(0, Math.min(max, due.size())));
      for (Measure m : out) {
        measureClaims.put(m.content(), now.plus(lease));
      }
      return out;
    }
  }

  // ---------------------------------------------------------------- content

  @Override
  public ContentState content(ContentId content) {
    Objects.requireNonNull(content, "content");
    ContentState s = contents.getIfPresent(content);
    return s == null ? ContentState.NONE : s;
  }

  /** The new item, keeping the earliest known posting time (a later event does not make content look newer). */
  private static Posted keepFirstSeen(Optional<Posted> before, Posted next) {
    Optional<Instant> first = before.flatMap(Posted::at);
    if (first.isEmpty() || (next.at().isPresent() && !next.at().get().isAfter(first.get()))) {
      return next;
    }
    return new Posted(next.fingerprints(), next.account(), next.room(), next.surface(), first);
  }

  private void change(ContentId content, UnaryOperator<ContentState> f) {
    Objects.requireNonNull(content, "content");
    contents.asMap().compute(content, (k, s) -> {
      ContentState next = f.apply(s == null ? ContentState.NONE : s);
      return next.equals(ContentState.NONE) ? null : next;
    });
  }

  /** Changes only content that is remembered: a change that would leave nothing behind is no write. */
  private void changeIfPresent(ContentId content, UnaryOperator<ContentState> f) {
    Objects.requireNonNull(content, "content");
    contents.asMap().computeIfPresent(content, (k, s) -> {
      ContentState next = f.apply(s);
      return next.equals(ContentState.NONE) ? null : next;
    });
  }

  @Override
  public void rememberContent(ContentId content, Posted posted) {
    Objects.requireNonNull(posted, "posted");
    change(content, s -> new ContentState(Optional.of(keepFirstSeen(s.posted(), posted)), s.removed(),
        s.strikeDeferred(), s.blockCopies(), s.secondReview()));
    for (String key : digestKeys(posted.fingerprints())) {
      digests.asMap().compute(key, (k, ids) -> {
        Set<ContentId> next = ids == null ? new java.util.LinkedHashSet<>(2) : ids;
        if (next.size() < MAX_IDS_PER_DIGEST) {
          next.add(content);
        }
        return next;
      });
    }
  }

  /** The digest keys of fingerprints: SHA-256 and MD5 (PDQ is a likeness, not an identity). */
  private static List<String> digestKeys(Fingerprints fp) {
    List<String> out = new ArrayList<>(2);
    fp.sha256().ifPresent(h -> out.add("sha256:" + h.toHex()));
    fp.md5().ifPresent(h -> out.add("md5:" + h.toHex()));
    return out;
  }

  @Override
  public List<ContentId> identicalCopies(Fingerprints fingerprints, ContentId except, int max) {
    Objects.requireNonNull(fingerprints, "fingerprints");
    Objects.requireNonNull(except, "except");
    if (max < 1) {
      throw new IllegalArgumentException("max must be at least 1, got " + max);
    }
    List<String> keys = digestKeys(fingerprints);
    java.util.TreeMap<String, Posted> found = new java.util.TreeMap<>();
    for (String key : keys) {
      List<ContentId> ids = new ArrayList<>();
      digests.asMap().computeIfPresent(key, (k, set) -> {
        ids.addAll(set);
        return set;
      });
      for (ContentId id : ids) {
        ContentState s = contents.getIfPresent(id);
        if (id.equals(except) || s == null || s.isRemoved() || s.posted().isEmpty()) {
          continue;
        }
        Posted p = s.posted().get();
        if (digestKeys(p.fingerprints()).contains(key)) {
          found.put(id.value(), p);
        }
      }
    }
    List<Map.Entry<String, Posted>> sorted = new ArrayList<>(found.entrySet());
    sorted.sort(java.util.Comparator.comparing((Map.Entry<String, Posted> e) -> e.getValue().at().orElse(Instant.MAX))
        .thenComparing(Map.Entry::getKey));
    List<ContentId> out = new ArrayList<>(Math.min(max, sorted.size()));
    for (Map.Entry<String, Posted> e : sorted) {
      if (out.size() == max) {
        break;
      }
      out.add(ContentId.of(e.getKey()));
    }
    return out;
  }

  @Override
  public void markRemoved(ContentId content, Instant at) {
    Objects.requireNonNull(at, "at");
    change(content, s -> s.isRemoved() ? s
        : new ContentState(s.posted(), Optional.of(at), s.strikeDeferred(), s.blockCopies(), s.secondReview()));
  }

  @Override
  public void reinstate(ContentId content) {
    Objects.requireNonNull(content, "content");
    ContentState[] before = {ContentState.NONE};
    changeIfPresent(content, s -> {
      before[0] = s;
      return new ContentState(s.posted(), Optional.empty(), false, s.blockCopies());
    });
    before[0].posted().ifPresent(p -> {
      for (String hex : hexes(p.fingerprints())) {
        reinstated.put(hex, Boolean.TRUE);
      }
    });
  }

  @Override
  public void awaitSecondReview(ContentId content, FirstVerdict first) {
    Objects.requireNonNull(first, "first");
    change(content, s -> s.secondReview().isPresent() ? s
        : new ContentState(s.posted(), s.removed(), s.strikeDeferred(), s.blockCopies(), Optional.of(first)));
  }

  @Override
  public void deferStrike(ContentId content) {
    change(content, s -> new ContentState(s.posted(), s.removed(), true, s.blockCopies(), s.secondReview()));
  }

  @Override
  public void dropDeferredStrike(ContentId content) {
    changeIfPresent(content, s -> new ContentState(s.posted(), s.removed(), false, s.blockCopies()));
  }

  @Override
  public void blockCopiesWhenSeen(ContentId content, Category category) {
    Objects.requireNonNull(category, "category");
    change(content, s -> new ContentState(s.posted(), s.removed(), s.strikeDeferred(), Optional.of(category),
        s.secondReview()));
  }

  @Override
  public void clearBlockCopies(ContentId content) {
    changeIfPresent(content, s -> new ContentState(s.posted(), s.removed(), s.strikeDeferred(), Optional.empty(),
        s.secondReview()));
  }

  // ---------------------------------------------------------------- reinstated entries

  @Override
  public Set<String> reinstatedEntries(Collection<String> entries) {
    Objects.requireNonNull(entries, "entries");
    Set<String> out = new HashSet<>(0);
    for (String e : entries) {
      if (reinstated.getIfPresent(Objects.requireNonNull(e, "entry")) != null) {
        out.add(e);
      }
    }
    return out;
  }

  @Override
  public void clearReinstated(Fingerprints fingerprints) {
    Objects.requireNonNull(fingerprints, "fingerprints");
    for (String hex : hexes(fingerprints)) {
      reinstated.invalidate(hex);
    }
  }

  /** The entry hashes of fingerprints as a bank holds them: SHA-256, MD5, PDQ hash, lower-case hex. */
  static List<String> hexes(Fingerprints fp) {
    List<String> out = new ArrayList<>(3);
    fp.sha256().ifPresent(h -> out.add(h.toHex()));
    fp.md5().ifPresent(h -> out.add(h.toHex()));
    fp.pdq().ifPresent(p -> out.add(p.hash().toHex()));
    return out;
  }

  // ---------------------------------------------------------------- decisions and appeals

  @Override
  public void rememberDecision(DecisionId decision, DecisionMemo memo) {
    Objects.requireNonNull(decision, "decision");
    Objects.requireNonNull(memo, "memo");
    decisions.asMap().putIfAbsent(decision, memo);
  }

  @Override
  public Optional<DecisionMemo> decision(DecisionId decision) {
    return Optional.ofNullable(decisions.getIfPresent(Objects.requireNonNull(decision, "decision")));
  }

  @Override
  public void linkAppeal(String obligation, AppealLink link) {
    Objects.requireNonNull(obligation, "obligation");
    Objects.requireNonNull(link, "link");
    appeals.asMap().putIfAbsent(obligation, link);
  }

  @Override
  public Optional<AppealLink> appealLink(String obligation) {
    return Optional.ofNullable(appeals.getIfPresent(Objects.requireNonNull(obligation, "obligation")));
  }

  // ---------------------------------------------------------------- rooms

  @Override
  public void roomMatch(RoomId room, ContentId content, Instant at) {
    Objects.requireNonNull(room, "room");
    Objects.requireNonNull(content, "content");
    Objects.requireNonNull(at, "at");
    rooms.asMap().compute(room, (k, d) -> {
      Deque<RoomItem> q = d == null ? new ArrayDeque<>() : d;
      Instant keepAfter = at.minus(roomRetention);
      q.removeIf(i -> !i.at().isAfter(keepAfter)); // older than any window that includes this one
      for (RoomItem i : q) {
        if (i.content().equals(content)) {
          return q;
        }
      }
      q.addLast(new RoomItem(content, at));
      return q;
    });
  }

  @Override
  public int roomMatches(RoomId room, Instant since) {
    Objects.requireNonNull(room, "room");
    Objects.requireNonNull(since, "since");
    int[] n = {0};
    rooms.asMap().computeIfPresent(room, (k, q) -> {
      for (RoomItem i : q) {
        if (i.at().isAfter(since)) {
          n[0]++;
        }
      }
      return q;
    });
    return n[0];
  }

  // ---------------------------------------------------------------- photos

  @Override
  public void protectPhoto(AccountId owner, ContentId photo, PdqHash hash) {
    Objects.requireNonNull(owner, "owner");
    Objects.requireNonNull(photo, "photo");
    Objects.requireNonNull(hash, "hash");
    photos.protect(owner, photo, hash);
  }

  @Override
  public boolean withdrawPhoto(AccountId owner, ContentId photo) {
    Objects.requireNonNull(owner, "owner");
    Objects.requireNonNull(photo, "photo");
    return photos.withdraw(owner, photo);
  }

  @Override
  public int withdrawPhotos(AccountId owner) {
    Objects.requireNonNull(owner, "owner");
    return photos.withdrawAll(owner);
  }

  @Override
  public List<PhotoMatch> matchPhotos(Pdq pdq, int maxDistance) {
    Objects.requireNonNull(pdq, "pdq");
    if (maxDistance < 0 || maxDistance > 128) {
      throw new IllegalArgumentException("maxDistance must be 0..128, got " + maxDistance);
    }
    return photos.match(pdq, maxDistance);
  }

  @Override
  public String toString() {
    return "InMemoryEngineMemory[" + contents.estimatedSize() + " contents, " + decisions.estimatedSize()
        + " decisions]";
  }
}
