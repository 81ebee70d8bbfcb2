package dev.haetae.moderation.testkit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.haetae.moderation.api.AccountId;
import dev.haetae.moderation.api.Category;
import dev.haetae.moderation.api.ContentId;
import dev.haetae.moderation.api.DecisionId;
import dev.haetae.moderation.api.Fingerprints;
import dev.haetae.moderation.api.Md5;
import dev.haetae.moderation.api.Pdq;
import dev.haetae.moderation.api.PdqHash;
import dev.haetae.moderation.api.RoomId;
import dev.haetae.moderation.api.Sha256;
import dev.haetae.moderation.api.Surface;
import dev.haetae.moderation.api.spi.EngineMemory;
import dev.haetae.moderation.api.spi.EngineMemory.AppealLink;
import dev.haetae.moderation.api.spi.EngineMemory.ContentState;
import dev.haetae.moderation.api.spi.EngineMemory.DecisionMemo;
import dev.haetae.moderation.api.spi.EngineMemory.PhotoMatch;
import dev.haetae.moderation.api.spi.EngineMemory.Posted;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * The contract of an {@link EngineMemory}, for adapter authors (e.g. a PostgreSQL memory): what
 * each method remembers, that every write can be repeated without changing the outcome, that
 * reads change nothing, that protected photos are found within the distance asked for and leave
 * the index only when no owner protects them, and — on seeded random sequences of writes — that
 * the memory answers as a plain reference model of the contract does. Concurrent writers of the
 * same facts leave one consistent state.
 *
 * <p>Instants are in whole seconds, so memories that keep instants to the millisecond or
 * microsecond pass. The random sequences run {@code haetae.fuzz.cases} operations (default 300; the
 * {@code long-fuzz} profile runs 20,000); a failure names the seed and the step.
 *
 * @since 0.2
 */
public abstract class EngineMemoryContract {
  private static final Instant T = Instant.parse("2026-11-21T10:00:00Z");
  private static final int CASES = Integer.getInteger("haetae.fuzz.cases", 300);

  /** For subclasses. */
  protected EngineMemoryContract() {}

  /**
   * A new, empty memory.
   *
   * @return the memory; never null
   * @throws Exception when it cannot be created
   */
  protected abstract EngineMemory newMemory() throws Exception;

  private static ContentId c(int i) {
    return ContentId.of("c" + i);
  }

  private static Instant at(int minutes) {
    return T.plus(Duration.ofMinutes(minutes));
  }

  /** A PDQ hash of 256 seeded random bits. */
  static PdqHash hash(long seed) {
    Random r = new Random(seed);
    StringBuilder sb = new StringBuilder(64);
    for (int i = 0; i < 4; i++) {
      sb.append(String.format("%016x", r.nextLong()));
    }
    return PdqHash.fromHex(sb.toString());
  }

  /** The hash with its first {@code bits} bits flipped. */
  static PdqHash flip(PdqHash h, int bits) {
    char[] hex = h.toHex().toCharArray();
    for (int b = 0; b < bits; b++) {
      int digit = Character.digit(hex[b / 4], 16) ^ (8 >> (b % 4));
      hex[b / 4] = Character.forDigit(digit, 16);
    }
    return PdqHash.fromHex(new String(hex));
  }

  private static Fingerprints fingerprints(int k) {
    return new Fingerprints(Optional.of(Sha256.fromHex(String.format("%064x", 1000 + k))),
        Optional.of(Md5.fromHex(String.format("%032x", 2000 + k))),
        Optional.of(new Pdq(hash(k), 90, List.of(flip(hash(k), 5)))));
  }

  private static Posted posted(int k) {
    return new Posted(fingerprints(k), AccountId.of("u" + k), k % 2 == 0 ? Optional.of(RoomId.of("r" + k))
        : Optional.empty(), k % 3 == 0 ? Surface.PUBLIC_CHANNEL : Surface.GROUP);
  }

  private static DecisionMemo memo(int k) {
    return new DecisionMemo(c(k), k % 2 == 0 ? Optional.of(AccountId.of("u" + k)) : Optional.empty(),
        k % 3 == 0 ? Optional.of("EU-DSA-16") : Optional.empty(), k % 2 == 0 ? Category.NCII : Category.HARASSMENT,
        k % 2 == 0, k % 2 == 0 ? Optional.of(at(90 * 24 * 60)) : Optional.empty(), at(k));
  }

  private static List<String> hexes(Fingerprints fp) {
    List<String> out = new ArrayList<>();
    fp.sha256().ifPresent(h -> out.add(h.toHex()));
    fp.md5().ifPresent(h -> out.add(h.toHex()));
    fp.pdq().ifPresent(p -> out.add(p.hash().toHex()));
    return out;
  }

  // ---------------------------------------------------------------- content

  /** Unknown content is NONE; what was posted is remembered, and the latest item wins. */
  @Test
  void remembersWhatWasPosted() throws Exception {
    EngineMemory m = newMemory();
    assertEquals(ContentState.NONE, m.content(c(1)));
    m.rememberContent(c(1), posted(1));
    assertEquals(Optional.of(posted(1)), m.content(c(1)).posted());
    m.rememberContent(c(1), posted(1));
    assertEquals(new ContentState(Optional.of(posted(1)), Optional.empty(), false, Optional.empty()), m.content(c(1)),
        "remembering the same item again changes nothing");
    m.markRemoved(c(1), at(1));
    m.rememberContent(c(1), posted(2));
    assertEquals(Optional.of(posted(2)), m.content(c(1)).posted(), "the latest item wins");
    assertEquals(Optional.of(at(1)), m.content(c(1)).removed(), "the rest of the state is kept");
    assertEquals(ContentState.NONE, m.content(c(2)), "contents are independent");
  }

  /**
   * The posting time is the earliest known: a later write of the item (a forward, a re-send) does
   * not make it look newer, an earlier one corrects it, and one without a time keeps the known one.
   */
  @Test
  void keepsTheEarliestPostingTime() throws Exception {
    EngineMemory m = newMemory();
    Posted p = posted(3);
    Posted atTen = new Posted(p.fingerprints(), p.account(), p.room(), p.surface(), Optional.of(at(10)));
    m.rememberContent(c(3), atTen);
    assertEquals(Optional.of(at(10)), m.content(c(3)).posted().orElseThrow().at());
    m.rememberContent(c(3), new Posted(p.fingerprints(), p.account(), p.room(), p.surface(), Optional.of(at(20))));
    assertEquals(Optional.of(atTen), m.content(c(3)).posted(), "a later write keeps the earlier time");
    m.rememberContent(c(3), p);
    assertEquals(Optional.of(atTen), m.content(c(3)).posted(), "a write without a time keeps the known one");
    Posted other = posted(4);
    m.rememberContent(c(3), new Posted(other.fingerprints(), other.account(), other.room(), other.surface(),
        Optional.of(at(5))));
    assertEquals(Optional.of(new Posted(other.fingerprints(), other.account(), other.room(), other.surface(),
        Optional.of(at(5)))), m.content(c(3)).posted(), "an earlier time and a new item replace both");
    m.rememberContent(c(4), p);
    assertEquals(Optional.empty(), m.content(c(4)).posted().orElseThrow().at(), "no time: unknown");
  }

  /**
   * The verdict that asked a second reviewer is kept (the first one) until a later verdict drops
   * the deferred strike or an appeal reinstates the content.
   */
  @Test
  void theVerdictAwaitingASecondReviewIsKeptUntilAnswered() throws Exception {
    EngineMemory m = newMemory();
    m.rememberContent(c(5), posted(5));
    m.markRemoved(c(5), at(1));
    m.deferStrike(c(5));
    EngineMemory.FirstVerdict first = new EngineMemory.FirstVerdict(DecisionId.of("d-first"), Optional.of("mod-7"));
    m.awaitSecondReview(c(5), first);
    m.awaitSecondReview(c(5), new EngineMemory.FirstVerdict(DecisionId.of("d-other"), Optional.empty()));
    assertEquals(Optional.of(first), m.content(c(5)).secondReview(), "the first verdict is kept");
    assertEquals(Optional.of(posted(5)), m.content(c(5)).posted(), "the rest of the state is kept");
    m.dropDeferredStrike(c(5));
    assertEquals(Optional.empty(), m.content(c(5)).secondReview(), "answered: forgotten");
    assertFalse(m.content(c(5)).strikeDeferred());
    EngineMemory.FirstVerdict anonymous = new EngineMemory.FirstVerdict(DecisionId.of("d-2"), Optional.empty());
    m.awaitSecondReview(c(5), anonymous);
    assertEquals(Optional.of(anonymous), m.content(c(5)).secondReview(), "a verdict without a named reviewer");
    m.reinstate(c(5));
    assertEquals(Optional.empty(), m.content(c(5)).secondReview(), "a reinstatement forgets it");
    m.awaitSecondReview(c(6), first);
    assertEquals(Optional.of(first), m.content(c(6)).secondReview(), "also for content not seen posted");
  }

  /** A removal keeps its first instant; a reinstatement undoes it and reinstates the bank entries. */
  @Test
  void removalAndReinstatement() throws Exception {
    EngineMemory m = newMemory();
    m.rememberContent(c(1), posted(1));
    m.markRemoved(c(1), at(5));
    m.markRemoved(c(1), at(9));
    assertTrue(m.content(c(1)).isRemoved());
    assertEquals(Optional.of(at(5)), m.content(c(1)).removed(), "the first removal's instant is kept");
    m.deferStrike(c(1));
    List<String> hexes = hexes(posted(1).fingerprints());
    assertEquals(Set.of(), m.reinstatedEntries(hexes));
    m.reinstate(c(1));
    m.reinstate(c(1));
    ContentState s = m.content(c(1));
    assertFalse(s.isRemoved());
    assertFalse(s.strikeDeferred(), "no strike waits for reinstated content");
    assertEquals(Optional.of(posted(1)), s.posted());
    assertEquals(new HashSet<>(hexes), m.reinstatedEntries(hexes));
    assertEquals(Set.of(), m.reinstatedEntries(List.of("ab".repeat(32))), "only those asked about");
    m.clearReinstated(posted(1).fingerprints());
    m.clearReinstated(posted(1).fingerprints());
    assertEquals(Set.of(), m.reinstatedEntries(hexes));
    m.reinstate(c(7));
    assertEquals(ContentState.NONE, m.content(c(7)), "reinstating unknown content remembers nothing");
    m.markRemoved(c(1), at(20));
    assertEquals(Optional.of(at(20)), m.content(c(1)).removed(), "removed again after the reinstatement");
  }

  /** Deferred strikes and pending copies are set and cleared idempotently. */
  @Test
  void deferredStrikesAndCopiesToBlock() throws Exception {
    EngineMemory m = newMemory();
    m.dropDeferredStrike(c(1));
    m.clearBlockCopies(c(1));
    assertEquals(ContentState.NONE, m.content(c(1)), "clearing what is not there remembers nothing");
    m.deferStrike(c(1));
    m.deferStrike(c(1));
    assertTrue(m.content(c(1)).strikeDeferred());
    m.blockCopiesWhenSeen(c(1), Category.NCII);
    m.blockCopiesWhenSeen(c(1), Category.CSAM);
    assertEquals(Optional.of(Category.CSAM), m.content(c(1)).blockCopies(), "the latest category wins");
    m.dropDeferredStrike(c(1));
    m.dropDeferredStrike(c(1));
    assertFalse(m.content(c(1)).strikeDeferred());
    assertEquals(Optional.of(Category.CSAM), m.content(c(1)).blockCopies());
    m.clearBlockCopies(c(1));
    assertEquals(Optional.empty(), m.content(c(1)).blockCopies());
    assertEquals(ContentState.NONE, m.content(c(1)));
  }

  // ---------------------------------------------------------------- decisions, appeals, rooms

  /** A decision and an appeal link are remembered once: the first write is kept. */
  @Test
  void decisionsAndAppealLinksAreWrittenOnce() throws Exception {
    EngineMemory m = newMemory();
    DecisionId d = DecisionId.of("d1");
    assertEquals(Optional.empty(), m.decision(d));
    m.rememberDecision(d, memo(2));
    m.rememberDecision(d, memo(3));
    assertEquals(Optional.of(memo(2)), m.decision(d));
    m.rememberDecision(DecisionId.of("d2"), memo(3));
    assertEquals(Optional.of(memo(3)), m.decision(DecisionId.of("d2")));
    AppealLink a = new AppealLink("a1", d, c(2));
    assertEquals(Optional.empty(), m.appealLink("o1"));
    m.linkAppeal("o1", a);
    m.linkAppeal("o1", new AppealLink("a2", DecisionId.of("d2"), c(3)));
    assertEquals(Optional.of(a), m.appealLink("o1"));
  }

  /** A room counts each content once, at its first instant, within the window asked for. */
  @Test
  void roomsCountEachContentOnce() throws Exception {
    EngineMemory m = newMemory();
    RoomId r = RoomId.of("r1");
    assertEquals(0, m.roomMatches(r, at(0)));
    m.roomMatch(r, c(1), at(10));
    m.roomMatch(r, c(1), at(30));
    assertEquals(1, m.roomMatches(r, at(0)));
    assertEquals(0, m.roomMatches(r, at(10)), "the window's start is exclusive, and the first instant is kept");
    m.roomMatch(r, c(2), at(20));
    assertEquals(2, m.roomMatches(r, at(9)));
    assertEquals(1, m.roomMatches(r, at(15)));
    assertEquals(0, m.roomMatches(RoomId.of("r2"), at(0)), "rooms are independent");
  }

  // ---------------------------------------------------------------- photos

  /** Photos are found within the distance asked for, by owner, and withdrawn idempotently. */
  @Test
  void protectedPhotosAreFoundAndWithdrawn() throws Exception {
    EngineMemory m = newMemory();
    PdqHash h1 = hash(101);
    PdqHash h2 = hash(202);
    AccountId o1 = AccountId.of("o1");
    AccountId o2 = AccountId.of("o2");
    Pdq nearH1 = new Pdq(flip(h1, 3), 100, List.of());
    assertEquals(List.of(), m.matchPhotos(nearH1, 31));
    m.protectPhoto(o1, c(1), h1);
    m.protectPhoto(o1, c(1), h1);
    assertEquals(List.of(new PhotoMatch(o1, c(1), 3)), m.matchPhotos(nearH1, 31));
    assertEquals(List.of(), m.matchPhotos(nearH1, 2), "not beyond the distance asked for");
    assertEquals(List.of(new PhotoMatch(o1, c(1), 3)), m.matchPhotos(new Pdq(h2, 100, List.of(flip(h1, 3))), 31),
        "query variants match too");
    m.protectPhoto(o2, c(2), h1);
    assertEquals(List.of(new PhotoMatch(o1, c(1), 3), new PhotoMatch(o2, c(2), 3)), sorted(m.matchPhotos(nearH1, 31)));
    assertTrue(m.withdrawPhoto(o1, c(1)));
    assertFalse(m.withdrawPhoto(o1, c(1)), "withdrawing again changes nothing");
    assertEquals(List.of(new PhotoMatch(o2, c(2), 3)), m.matchPhotos(nearH1, 31),
        "a hash another owner protects stays");
    m.protectPhoto(o2, c(2), h2);
    assertEquals(List.of(), m.matchPhotos(nearH1, 31), "a new hash replaces the photo's earlier one");
    assertEquals(List.of(new PhotoMatch(o2, c(2), 0)), m.matchPhotos(new Pdq(h2, 100, List.of()), 31));
    m.protectPhoto(o2, c(3), hash(303));
    assertEquals(2, m.withdrawPhotos(o2));
    assertEquals(0, m.withdrawPhotos(o2));
    assertEquals(List.of(), m.matchPhotos(new Pdq(h2, 100, List.of()), 31));
    assertThrows(IllegalArgumentException.class, () -> m.matchPhotos(nearH1, 129));
  }

  /** Owners protecting and withdrawing one hash at once leave it protected exactly while one remains. */
  @Test
  void concurrentPhotoWritersLeaveOneConsistentState() throws Exception {
    EngineMemory m = newMemory();
    PdqHash h = hash(404);
    int owners = 6;
    ExecutorService pool = Executors.newFixedThreadPool(owners);
    try {
      runAll(pool, owners, i -> m.protectPhoto(AccountId.of("o" + i), c(i), h));
      assertEquals(owners, m.matchPhotos(new Pdq(h, 100, List.of()), 31).size());
      // all but the last withdraw while the last protects its photo again
      runAll(pool, owners, i -> {
        if (i < owners - 1) {
          m.withdrawPhoto(AccountId.of("o" + i), c(i));
        } else {
          m.protectPhoto(AccountId.of("o" + i), c(i), h);
        }
      });
      assertEquals(List.of(new PhotoMatch(AccountId.of("o" + (owners - 1)), c(owners - 1), 0)),
          m.matchPhotos(new Pdq(h, 100, List.of()), 31), "the hash stays while one owner protects it");
    } finally {
      pool.shutdownNow();
    }
  }

  private interface Step {
    void run(int i) throws Exception;
  }

  private static void runAll(ExecutorService pool, int n, Step step) throws Exception {
    CountDownLatch go = new CountDownLatch(1);
    List<Future<?>> fs = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      int k = i;
      fs.add(pool.submit(() -> {
        go.await(30, TimeUnit.SECONDS);
        step.run(k);
        return null;
      }));
    }
    go.countDown();
    for (Future<?> f : fs) {
      f.get(60, TimeUnit.SECONDS);
    }
  }

  private static List<PhotoMatch> sorted(List<PhotoMatch> in) {
    List<PhotoMatch> out = new ArrayList<>(in);
    out.sort(Comparator.comparing((PhotoMatch p) -> p.owner().value()).thenComparing(p -> p.photo().value()));
    return out;
  }

  // ---------------------------------------------------------------- against a reference model

  /** The contract as plain maps: what every memory must answer. */
  private static final class Model {
    final Map<ContentId, ContentState> contents = new HashMap<>();
    final Set<String> reinstated = new HashSet<>();
    final Map<DecisionId, DecisionMemo> decisions = new HashMap<>();
    final Map<String, AppealLink> links = new HashMap<>();
    final Map<RoomId, Map<ContentId, Instant>> rooms = new HashMap<>();

    ContentState get(ContentId c) {
      return contents.getOrDefault(c, ContentState.NONE);
    }

    void put(ContentId c, ContentState s) {
      contents.put(c, s);
    }
  }

  /** Seeded random sequences of writes leave the memory answering as the reference model does. */
  @Test
  void randomWritesAnswerAsTheReferenceModel() throws Exception {
    long seed = 0x5eed_14L;
    Random rnd = new Random(seed);
    EngineMemory m = newMemory();
    Model x = new Model();
    int contents = 5;
    for (int step = 0; step < CASES; step++) {
      ContentId c = c(rnd.nextInt(contents));
      int k = rnd.nextInt(4);
      Instant t = at(rnd.nextInt(120));
      String op;
      ContentState s = x.get(c);
      switch (rnd.nextInt(11)) {
        case 0 -> {
          op = "rememberContent(" + c + ", " + k + ")";
          m.rememberContent(c, posted(k));
          x.put(c, new ContentState(Optional.of(posted(k)), s.removed(), s.strikeDeferred(), s.blockCopies()));
        }
        case 1 -> {
          op = "markRemoved(" + c + ", " + t + ")";
          m.markRemoved(c, t);
          x.put(c, new ContentState(s.posted(), s.removed().or(() -> Optional.of(t)), s.strikeDeferred(),
              s.blockCopies()));
        }
        case 2 -> {
          op = "reinstate(" + c + ")";
          m.reinstate(c);
          x.put(c, new ContentState(s.posted(), Optional.empty(), false, s.blockCopies()));
          s.posted().ifPresent(p -> x.reinstated.addAll(hexes(p.fingerprints())));
        }
        case 3 -> {
          op = "deferStrike(" + c + ")";
          m.deferStrike(c);
          x.put(c, new ContentState(s.posted(), s.removed(), true, s.blockCopies()));
        }
        case 4 -> {
          op = "dropDeferredStrike(" + c + ")";
          m.dropDeferredStrike(c);
          x.put(c, new ContentState(s.posted(), s.removed(), false, s.blockCopies()));
        }
        case 5 -> {
          Category cat = k % 2 == 0 ? Category.NCII : Category.CSAM;
          op = "blockCopiesWhenSeen(" + c + ", " + cat + ")";
          m.blockCopiesWhenSeen(c, cat);
          x.put(c, new ContentState(s.posted(), s.removed(), s.strikeDeferred(), Optional.of(cat)));
        }
        case 6 -> {
          op = "clearBlockCopies(" + c + ")";
          m.clearBlockCopies(c);
          x.put(c, new ContentState(s.posted(), s.removed(), s.strikeDeferred(), Optional.empty()));
        }
        case 7 -> {
          op = "clearReinstated(" + k + ")";
          m.clearReinstated(fingerprints(k));
          hexes(fingerprints(k)).forEach(x.reinstated::remove);
        }
        case 8 -> {
          DecisionId d = DecisionId.of("d" + rnd.nextInt(4));
          op = "rememberDecision(" + d + ", " + k + ")";
          m.rememberDecision(d, memo(k));
          x.decisions.putIfAbsent(d, memo(k));
        }
        case 9 -> {
          String o = "o" + rnd.nextInt(4);
          op = "linkAppeal(" + o + ", " + k + ")";
          AppealLink link = new AppealLink("a" + k, DecisionId.of("d" + k), c(k));
          m.linkAppeal(o, link);
          x.links.putIfAbsent(o, link);
        }
        default -> {
          RoomId r = RoomId.of("r" + rnd.nextInt(2));
          op = "roomMatch(" + r + ", " + c + ", " + t + ")";
          m.roomMatch(r, c, t);
          x.rooms.computeIfAbsent(r, z -> new HashMap<>()).putIfAbsent(c, t);
        }
      }
      String where = "seed " + seed + ", step " + step + " (" + op + ")";
      assertEquals(x.get(c), m.content(c), where);
      if (step % 10 == 9 || step == CASES - 1) {
        for (int i = 0; i < contents; i++) {
          assertEquals(x.get(c(i)), m.content(c(i)), where + ": content c" + i);
        }
        List<String> all = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
          all.addAll(hexes(fingerprints(i)));
          DecisionId d = DecisionId.of("d" + i);
          assertEquals(Optional.ofNullable(x.decisions.get(d)), m.decision(d), where + ": decision d" + i);
          assertEquals(Optional.ofNullable(x.links.get("o" + i)), m.appealLink("o" + i), where + ": link o" + i);
        }
        assertEquals(x.reinstated, m.reinstatedEntries(all), where + ": reinstated entries");
        for (int j = 0; j < 4; j++) {
          List<ContentId> want = new ArrayList<>();
          Fingerprints fj = fingerprints(j);
          for (int i = 0; i < contents; i++) {
            ContentState st = x.get(c(i));
            if (i != j && !st.isRemoved() && st.posted().map(p -> p.fingerprints().equals(fj)).orElse(false)) {
              want.add(c(i)); // posted(k) carries no time: in id order
            }
          }
          assertEquals(want, m.identicalCopies(fj, c(j), 10), where + ": identical copies of " + j);
        }
        for (int r = 0; r < 2; r++) {
          RoomId room = RoomId.of("r" + r);
          for (int since : new int[] {-1, 30, 60, 119}) {
            Instant from = at(since);
            long want = x.rooms.getOrDefault(room, Map.of()).values().stream().filter(i -> i.isAfter(from)).count();
            assertEquals(want, m.roomMatches(room, from), where + ": room " + room + " since " + from);
          }
        }
      }
    }
  }

  /**
   * Identical copies are found by SHA-256 or MD5 (not by PDQ likeness), earliest posted first, without
   * the content asked about, removed content or content whose digests changed, and at most {@code max}.
   */
  @Test
  void identicalCopiesAreFoundByDigest() throws Exception {
    EngineMemory m = newMemory();
    Fingerprints fp = fingerprints(7);
    Fingerprints md5Only = new Fingerprints(Optional.empty(), fp.md5(), Optional.empty());
    Fingerprints pdqOnly = new Fingerprints(Optional.empty(), Optional.empty(), fp.pdq());
    m.rememberContent(c(1), new Posted(fp, AccountId.of("u1"), Optional.empty(), Surface.GROUP, Optional.of(at(30))));
    m.rememberContent(c(2), new Posted(md5Only, AccountId.of("u2"), Optional.empty(), Surface.GROUP,
        Optional.of(at(10))));
    m.rememberContent(c(3), new Posted(pdqOnly, AccountId.of("u3"), Optional.empty(), Surface.GROUP,
        Optional.of(at(5))));
    m.rememberContent(c(4), new Posted(fp, AccountId.of("u4"), Optional.empty(), Surface.GROUP, Optional.of(at(20))));
    m.rememberContent(c(5), new Posted(fp, AccountId.of("u5"), Optional.empty(), Surface.GROUP, Optional.of(at(40))));
    m.rememberContent(c(6), posted(8));
    assertEquals(List.of(c(2), c(4), c(5)), m.identicalCopies(fp, c(1), 10), "earliest first; PDQ alone is no copy");
    assertEquals(List.of(c(2), c(4)), m.identicalCopies(fp, c(1), 2), "bounded");
    assertEquals(List.of(c(4), c(1), c(5)), m.identicalCopies(new Fingerprints(fp.sha256(), Optional.empty(),
        Optional.empty()), c(9), 10), "by SHA-256 alone");
    m.markRemoved(c(4), at(50));
    m.rememberContent(c(5), posted(9));
    assertEquals(List.of(c(2)), m.identicalCopies(fp, c(1), 10), "removed or changed content is no copy");
    assertEquals(List.of(), m.identicalCopies(pdqOnly, c(1), 10), "no digest, no copy");
    assertEquals(List.of(), m.identicalCopies(fp, c(1), 10).stream().filter(c(1)::equals).toList());
    assertThrows(IllegalArgumentException.class, () -> m.identicalCopies(fp, c(1), 0));
    assertThrows(NullPointerException.class, () -> m.identicalCopies(null, c(1), 1));
    assertThrows(NullPointerException.class, () -> m.identicalCopies(fp, null, 1));
  }

  /** A decision's planned action kinds are remembered with it; a memo without them reads back empty. */
  @Test
  void aDecisionsActionKindsAreRemembered() throws Exception {
    EngineMemory m = newMemory();
    DecisionMemo with = new DecisionMemo(c(1), Optional.of(AccountId.of("u1")), Optional.of("KR-NA-44-2"),
        Category.OTHER, true, Optional.empty(), at(1), java.util.EnumSet.of(
            dev.haetae.moderation.api.Action.Kind.TEMPORARY_MEASURE, dev.haetae.moderation.api.Action.Kind.NOTIFY_USER,
            dev.haetae.moderation.api.Action.Kind.REVIEW));
    m.rememberDecision(DecisionId.of("d1"), with);
    m.rememberDecision(DecisionId.of("d2"), memo(2));
    assertEquals(Optional.of(with), m.decision(DecisionId.of("d1")));
    assertEquals(Set.of(), m.decision(DecisionId.of("d2")).orElseThrow().actions());
  }

  /**
   * Temporary measures: one open per content, replaced by a newer one; closed only by the decision
   * that took it; claimed when due (not before), earliest first, bounded, and not again while the
   * lease holds; claimable again once it lapses; a closed measure is never claimed.
   */
  @Test
  void temporaryMeasuresAreClaimedWhenDueOnceWhileTheLeaseHolds() throws Exception {
    EngineMemory m = newMemory();
    Duration lease = Duration.ofMinutes(5);
    EngineMemory.Measure a = new EngineMemory.Measure(c(1), DecisionId.of("d1"), "KR-NA-44-2", at(0), at(100));
    EngineMemory.Measure b = new EngineMemory.Measure(c(2), DecisionId.of("d2"), "KR-NA-44-2", at(0), at(50));
    EngineMemory.Measure later = new EngineMemory.Measure(c(3), DecisionId.of("d3"), "KR-NA-44-2", at(0), at(500));
    m.openMeasure(a);
    m.openMeasure(b);
    m.openMeasure(later);
    assertEquals(Optional.of(a), m.openMeasure(c(1)));
    assertEquals(Optional.empty(), m.openMeasure(c(9)));
    assertEquals(List.of(), m.claimDueMeasures(at(49), lease, 10), "nothing before its expiry");
    assertEquals(List.of(b), m.claimDueMeasures(at(100), lease, 1), "earliest expiry first, bounded");
    assertEquals(List.of(a), m.claimDueMeasures(at(100), lease, 10), "a claimed measure is not claimed again");
    assertEquals(List.of(), m.claimDueMeasures(at(104), lease, 10), "while the lease holds");
    assertEquals(List.of(b, a), m.claimDueMeasures(at(106), lease, 10), "a lapsed lease lets it be claimed again");
    m.closeMeasure(c(2), DecisionId.of("other"));
    assertEquals(Optional.of(b), m.openMeasure(c(2)), "only the decision that took it closes it");
    m.closeMeasure(c(2), DecisionId.of("d2"));
    m.closeMeasure(c(2), DecisionId.of("d2"));
    assertEquals(Optional.empty(), m.openMeasure(c(2)));
    EngineMemory.Measure renewed = new EngineMemory.Measure(c(1), DecisionId.of("d4"), "KR-NA-44-2", at(200), at(300));
    m.openMeasure(renewed);
    assertEquals(Optional.of(renewed), m.openMeasure(c(1)), "a newer measure replaces the open one");
    assertEquals(List.of(), m.claimDueMeasures(at(299), lease, 10));
    assertEquals(List.of(renewed), m.claimDueMeasures(at(300), lease, 10));
    assertThrows(IllegalArgumentException.class, () -> m.claimDueMeasures(at(0), Duration.ZERO, 1));
    assertThrows(IllegalArgumentException.class, () -> m.claimDueMeasures(at(0), lease, 0));
    assertThrows(NullPointerException.class, () -> m.openMeasure((EngineMemory.Measure) null));
    assertThrows(NullPointerException.class, () -> m.closeMeasure(null, DecisionId.of("d")));
  }

  /** Every method refuses null arguments with a NullPointerException. */
  @Test
  void nullArgumentsAreRefused() throws Exception {
    EngineMemory m = newMemory();
    List<org.junit.jupiter.api.function.Executable> calls = List.of(
        () -> m.content(null),
        () -> m.rememberContent(null, posted(1)),
        () -> m.rememberContent(c(1), null),
        () -> m.markRemoved(c(1), null),
        () -> m.reinstate(null),
        () -> m.deferStrike(null),
        () -> m.dropDeferredStrike(null),
        () -> m.blockCopiesWhenSeen(c(1), null),
        () -> m.clearBlockCopies(null),
        () -> m.reinstatedEntries(null),
        () -> m.clearReinstated(null),
        () -> m.rememberDecision(DecisionId.of("d"), null),
        () -> m.decision(null),
        () -> m.linkAppeal(null, new AppealLink("a", DecisionId.of("d"), c(1))),
        () -> m.appealLink(null),
        () -> m.roomMatch(RoomId.of("r"), c(1), null),
        () -> m.roomMatches(null, T),
        () -> m.protectPhoto(AccountId.of("o"), c(1), null),
        () -> m.withdrawPhoto(null, c(1)),
        () -> m.withdrawPhotos(null),
        () -> m.matchPhotos(null, 31));
    for (int i = 0; i < calls.size(); i++) {
      assertThrows(NullPointerException.class, calls.get(i), "call " + i);
    }
    assertEquals(ContentState.NONE, m.content(c(1)), "a refused write changed nothing");
  }
}
