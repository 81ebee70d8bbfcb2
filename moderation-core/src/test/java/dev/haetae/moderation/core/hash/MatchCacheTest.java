package dev.haetae.moderation.core.hash;

import static dev.haetae.moderation.core.hash.HashBanksTest.flip;
import static dev.haetae.moderation.core.hash.HashBanksTest.pdq;
import static dev.haetae.moderation.core.hash.HashBanksTest.randomPdq;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.haetae.moderation.api.Category;
import dev.haetae.moderation.api.Fingerprints;
import dev.haetae.moderation.api.InvalidRequestException;
import dev.haetae.moderation.api.MatchType;
import dev.haetae.moderation.api.Md5;
import dev.haetae.moderation.api.Pdq;
import dev.haetae.moderation.api.PdqHash;
import dev.haetae.moderation.api.Sha256;
import dev.haetae.moderation.api.Signal;
import dev.haetae.moderation.core.simulate.SettableClock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.SplittableRandom;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

/** The match-result cache of {@link HashBanks}: hits on re-shares, never a stale result. */
class MatchCacheTest {
  private final SplittableRandom rnd = new SplittableRandom(7);

  /** Every bank through the cache, however small (by default small banks are queried directly). */
  private static HashBanks cached() {
    return HashBanks.builder().matchCacheMinPdqBytes(0).build();
  }

  private static Fingerprints withQuality(PdqHash h, int quality) {
    return Fingerprints.none().withPdq(new Pdq(h, quality, List.of()));
  }

  @Test
  void aReShareSkipsTheBankAndCountsAHit() {
    HashBanks banks = cached().define("stopncii", Category.NCII, 31);
    for (int i = 0; i < 100; i++) {
      banks.add("stopncii", Category.NCII, MatchType.PDQ, randomPdq(rnd).toHex());
    }
    Fingerprints fp = pdq(randomPdq(rnd));
    assertEquals(List.of(), banks.match(fp));
    assertEquals(new MatchCacheStats(0, 1, 1, 0, HashBanks.DEFAULT_MATCH_CACHE_SIZE), banks.matchCacheStats());
    assertEquals(List.of(), banks.match(pdq(fp.pdq().get().hash()))); // an equal copy, as a forward brings
    MatchCacheStats s = banks.matchCacheStats();
    assertEquals(1, s.hits());
    assertEquals(1, s.misses());
    assertEquals(0.5, s.hitRate());
    // exact-only content bypasses the cache
    banks.match(Fingerprints.none().withSha256(new Sha256(1, 2, 3, 4)));
    assertEquals(s, banks.matchCacheStats());
  }

  @Test
  void smallBanksAreQueriedDirectlyAndLargeOnesThroughTheCache() {
    HashBanks banks = HashBanks.inMemory().define("small", Category.NCII, 31).define("large", Category.NCII, 31);
    for (int i = 0; i < 50; i++) {
      banks.add("small", Category.NCII, MatchType.PDQ, randomPdq(rnd).toHex());
    }
    Fingerprints fp = pdq(randomPdq(rnd));
    banks.match(fp);
    banks.match(fp);
    assertEquals(0, banks.matchCacheStats().hits() + banks.matchCacheStats().misses());
    long[] words = new long[4 * 5000];
    for (int i = 0; i < words.length; i++) {
      words[i] = rnd.nextLong();
    }
    banks.bank("large").addPdqBulk(words, 5000);
    assertTrue(banks.bank("large").pdqHeapBytes() >= HashBanks.MATCH_CACHE_MIN_PDQ_BYTES);
    banks.match(fp);
    banks.match(fp);
    assertEquals(new MatchCacheStats(1, 1, 1, 0, HashBanks.DEFAULT_MATCH_CACHE_SIZE), banks.matchCacheStats());
  }

  @Test
  void theBoundIsConfigurableAndZeroTurnsItOff() {
    assertThrows(InvalidRequestException.class, () -> HashBanks.builder().matchCacheSize(-1));
    HashBanks off = HashBanks.builder().matchCacheSize(0).build().define("b", Category.NCII, 31);
    Fingerprints fp = pdq(randomPdq(rnd));
    off.match(fp);
    off.match(fp);
    assertEquals(new MatchCacheStats(0, 0, 0, 0, 0), off.matchCacheStats());
    assertEquals(0, off.matchCacheStats().hitRate());

    HashBanks small = HashBanks.builder().matchCacheMinPdqBytes(0).matchCacheSize(10).build()
        .define("b", Category.NCII, 31);
    for (int i = 0; i < 200; i++) {
      small.match(pdq(randomPdq(rnd)));
    }
    MatchCacheStats s = small.matchCacheStats();
    assertEquals(10, s.maxEntries());
    assertTrue(s.entries() <= 10, s.toString());
    assertTrue(s.evictions() >= 190, s.toString());
  }

  @Test
  void anAddedEntryMatchesContentThatMissedBefore() {
    HashBanks banks = cached().define("b", Category.NCII, 31);
    banks.add("b", Category.NCII, MatchType.PDQ, randomPdq(rnd).toHex());
    PdqHash h = randomPdq(rnd);
    assertEquals(List.of(), banks.match(pdq(h)));
    assertEquals(List.of(), banks.match(pdq(h)));
    banks.add("b", Category.NCII, MatchType.PDQ, flip(h, 3, 70, 200).toHex());
    List<Signal.HashMatch> m = banks.match(pdq(h));
    assertEquals(1, m.size());
    assertEquals(3, m.get(0).distance());
    // exact entries too, and bulk loads
    Fingerprints sha = pdq(h).withSha256(new Sha256(5, 6, 7, 8));
    banks.define("exact", Category.NCII, 31);
    assertEquals(0, banks.match(sha).stream().filter(x -> x.bank().equals("exact")).count());
    banks.add("exact", Category.NCII, MatchType.SHA256, new Sha256(5, 6, 7, 8).toHex());
    assertEquals(1, banks.match(sha).stream().filter(x -> x.bank().equals("exact")).count());
    PdqHash g = randomPdq(rnd);
    banks.define("bulk", Category.NCII, 31);
    assertEquals(0, banks.match(pdq(g)).size());
    PdqHash near = flip(g, 1, 2);
    banks.bank("bulk").addPdqBulk(new long[] {near.w0(), near.w1(), near.w2(), near.w3()}, 1);
    assertEquals(List.of("bulk"), banks.match(pdq(g)).stream().map(Signal.HashMatch::bank).toList());
  }

  @Test
  void withdrawnDeletedAndReAddedEntriesAreNeverStale() {
    HashBanks banks = cached().define("b", Category.NCII, 31);
    PdqHash entry = randomPdq(rnd);
    banks.add("b", Category.NCII, MatchType.PDQ, entry.toHex());
    Fingerprints fp = pdq(flip(entry, 10, 20));
    assertEquals(1, banks.match(fp).size());
    banks.withdraw("b", MatchType.PDQ, entry.toHex());
    assertEquals(0, banks.match(fp).size());
    assertEquals(0, banks.match(fp).size());
    banks.add("b", Category.NCII, MatchType.PDQ, entry.toHex());
    assertEquals(1, banks.match(fp).size());
    banks.delete("b", MatchType.PDQ, entry.toHex());
    assertEquals(0, banks.match(fp).size());
    banks.bank("b").compact();
    assertEquals(0, banks.match(fp).size());
    banks.add("b", Category.NCII, MatchType.PDQ, entry.toHex());
    assertEquals(1, banks.match(fp).size());
  }

  @Test
  void aConfigurationChangeVoidsRememberedMisses() {
    HashBanks banks = cached().define("b", Category.NCII, 5);
    PdqHash entry = randomPdq(rnd);
    banks.add("b", Category.NCII, MatchType.PDQ, entry.toHex());
    Fingerprints fp = withQuality(flip(entry, 1, 2, 3, 4, 5, 6, 7, 8), 90);
    assertEquals(0, banks.match(fp).size());
    assertEquals(0, banks.match(fp).size());
    banks.define("b", Category.NCII, 31);
    assertEquals(1, banks.match(fp).size());

    banks.define(banks.bank("b").config().toBuilder().minPdqQuality(95).build());
    assertEquals(0, banks.match(fp).size());
    banks.define(banks.bank("b").config().toBuilder().minPdqQuality(50).build());
    assertEquals(1, banks.match(fp).size());
    // the quality is part of the key: the same hash with a low quality misses, with a high one matches
    assertEquals(0, banks.match(withQuality(fp.pdq().get().hash(), 40)).size());
    assertEquals(1, banks.match(fp).size());

    banks.define(banks.bank("b").config().toBuilder().types(MatchType.SHA256).build());
    assertEquals(0, banks.match(fp).size());
    banks.define(banks.bank("b").config().toBuilder().types(MatchType.PDQ).build());
    assertEquals(1, banks.match(fp).size());
  }

  @Test
  void queryVariantsArePartOfTheKey() {
    HashBanks banks = cached().define("b", Category.NCII, 31);
    PdqHash entry = randomPdq(rnd);
    banks.add("b", Category.NCII, MatchType.PDQ, entry.toHex());
    PdqHash main = randomPdq(rnd);
    assertEquals(0, banks.match(pdq(main)).size());
    Fingerprints rotated = Fingerprints.none().withPdq(new Pdq(main, Pdq.UNKNOWN_QUALITY, List.of(flip(entry, 9))));
    assertEquals(1, banks.match(rotated).size());
  }

  @Test
  void negativeBankChangesVoidRememberedSuppressions() {
    SettableClock clock = new SettableClock(java.time.Instant.parse("2026-11-21T10:00:00Z"));
    HashBanks banks = HashBanks.builder().matchCacheMinPdqBytes(0).clock(clock).build();
    PdqHash entry = randomPdq(rnd);
    banks.define(BankConfig.builder("b", Category.NCII).negativeBanks("allow").build());
    banks.add("b", Category.NCII, MatchType.PDQ, entry.toHex());
    Fingerprints fp = pdq(flip(entry, 4));
    assertEquals(1, banks.match(fp).size());
    // the negative bank is defined only now: its appearance voids nothing cached (there was a match)
    banks.define(BankConfig.builder("allow", Category.OTHER).allowList(true).build());
    banks.add("allow", Category.OTHER, MatchType.PDQ, entry.toHex());
    assertEquals(0, banks.match(fp).size()); // suppressed: an empty result, remembered
    assertEquals(0, banks.match(fp).size());
    banks.withdraw("allow", MatchType.PDQ, entry.toHex());
    assertEquals(1, banks.match(fp).size());
    banks.add("allow", Category.OTHER, MatchType.PDQ, entry.toHex());
    assertEquals(0, banks.match(fp).size());
    // disabling the negative bank (a configuration change of another bank)
    banks.define(banks.bank("allow").config().toBuilder().enabled(false).build());
    assertEquals(1, banks.match(fp).size());
    // a negative bank that becomes active as time passes, with no change of any bank
    banks.define(banks.bank("allow").config().toBuilder().enabled(true)
        .disabledUntil(clock.instant().plus(Duration.ofHours(1))).build());
    Fingerprints other = pdq(flip(entry, 5));
    assertEquals(1, banks.match(other).size());
    clock.advance(Duration.ofHours(2));
    assertEquals(0, banks.match(other).size());
    assertEquals(0, banks.match(other).size());
  }

  @Test
  void duplicateQueryVariantsAreQueriedOnce() {
    PdqHash h = randomPdq(rnd);
    PdqHash v = randomPdq(rnd);
    Fingerprints plain = Fingerprints.none().withPdq(new Pdq(h, 80, List.of(v)));
    assertSame(plain, HashBanks.withDistinctVariants(plain));
    Fingerprints dup = Fingerprints.none().withPdq(new Pdq(h, 80, List.of(v, h, v)));
    assertEquals(plain, HashBanks.withDistinctVariants(dup));
    // long host-supplied lists go through a set
    List<PdqHash> many = new ArrayList<>();
    for (int i = 0; i < 100; i++) {
      many.add(randomPdq(rnd));
    }
    Fingerprints distinct = Fingerprints.none().withPdq(new Pdq(h, 80, many));
    assertSame(distinct, HashBanks.withDistinctVariants(distinct));
    List<PdqHash> repeated = new ArrayList<>(many);
    repeated.add(many.get(5));
    repeated.add(h);
    assertEquals(distinct, HashBanks.withDistinctVariants(Fingerprints.none().withPdq(new Pdq(h, 80, repeated))));
  }

  @Test
  void versionsFollowEveryChange() {
    HashBanks banks = cached().define("a", Category.NCII, 31);
    Map<String, String> before = banks.versions();
    assertSame(before, banks.versions());
    banks.add("a", Category.NCII, MatchType.PDQ, randomPdq(rnd).toHex());
    assertEquals(expectedVersions(banks), banks.versions());
    banks.define("b", Category.OTHER, 10);
    assertEquals(expectedVersions(banks), banks.versions());
    assertEquals(2, banks.versions().size());
  }

  private static Map<String, String> expectedVersions(HashBanks banks) {
    Map<String, String> v = new LinkedHashMap<>();
    for (Bank b : banks.banks()) {
      v.put(HashBanks.VERSION_KEY_PREFIX + b.id(), b.versionString());
    }
    return v;
  }

  /**
   * The same random history of changes, time and (mostly repeated) content on banks with and
   * without the cache gives the same matches, versions and flood quarantines at every step.
   */
  @Test
  void withAndWithoutTheCacheEveryResultIsTheSame() {
    for (long seed = 1; seed <= 6; seed++) {
      differential(new SplittableRandom(seed));
    }
  }

  private static void differential(SplittableRandom r) {
    SettableClock clock = new SettableClock(java.time.Instant.parse("2026-11-21T10:00:00Z"));
    HashBanks cached = HashBanks.builder().matchCacheMinPdqBytes(0).clock(clock).matchCacheSize(64).build();
    HashBanks plain = HashBanks.builder().clock(clock).matchCacheSize(0).build();
    List<PdqHash> entries = new ArrayList<>();
    for (int i = 0; i < 24; i++) {
      entries.add(randomPdq(r));
    }
    List<Fingerprints> contents = new ArrayList<>();
    for (int i = 0; i < 40; i++) {
      PdqHash base = entries.get(r.nextInt(entries.size()));
      PdqHash h = r.nextInt(3) == 0 ? randomPdq(r) : flipRandom(base, r.nextInt(40), r);
      List<PdqHash> variants = r.nextBoolean() ? List.of() : List.of(flipRandom(entries.get(r.nextInt(24)), 20, r));
      Fingerprints fp = Fingerprints.none().withPdq(new Pdq(h, r.nextInt(-1, 101), variants));
      if (r.nextBoolean()) {
        fp = fp.withSha256(new Sha256(r.nextInt(4), 0, 0, 0));
      }
      if (r.nextInt(4) == 0) {
        fp = fp.withMd5(new Md5(r.nextInt(4), 0));
      }
      contents.add(fp);
    }
    String[] ids = {"b1", "b2", "allow"};
    for (HashBanks b : List.of(cached, plain)) {
      b.define(BankConfig.builder("b1", Category.NCII).negativeBanks("allow").build());
      b.define(BankConfig.builder("b2", Category.CSAM).pdqDistance(20).build());
    }
    for (int step = 0; step < 3000; step++) {
      int op = r.nextInt(100);
      if (op < 70) {
        Fingerprints fp = contents.get(r.nextInt(contents.size()));
        assertEquals(plain.match(fp), cached.match(fp), "step " + step);
      } else if (op < 80) {
        String id = ids[r.nextInt(ids.length)];
        PdqHash e = entries.get(r.nextInt(entries.size()));
        boolean allow = id.equals("allow");
        both(cached, plain, b -> {
          if (allow && b.find("allow").isEmpty()) {
            b.define(BankConfig.builder("allow", Category.OTHER).allowList(true).build());
          }
          b.add(id, Category.OTHER, MatchType.PDQ, e.toHex());
        });
      } else if (op < 83) {
        String id = ids[r.nextInt(ids.length)];
        Sha256 s = new Sha256(r.nextInt(4), 0, 0, 0);
        both(cached, plain, b -> b.add(id, Category.OTHER, MatchType.SHA256, s.toHex()));
      } else if (op < 90) {
        String id = ids[r.nextInt(ids.length)];
        PdqHash e = entries.get(r.nextInt(entries.size()));
        boolean delete = r.nextBoolean();
        both(cached, plain, b -> {
          if (delete) {
            b.delete(id, MatchType.PDQ, e.toHex());
          } else {
            b.withdraw(id, MatchType.PDQ, e.toHex());
          }
        });
      } else if (op < 96) {
        String id = ids[r.nextInt(ids.length)];
        int distance = r.nextInt(0, 40);
        int quality = r.nextInt(0, 90);
        double ratio = r.nextInt(3) == 0 ? 0.5 : 1;
        boolean enabled = r.nextInt(5) != 0;
        java.time.Instant until = r.nextInt(4) == 0 ? clock.instant().plusSeconds(r.nextInt(1, 600)) : null;
        both(cached, plain, b -> b.find(id).ifPresent(bank -> b.define(bank.config().toBuilder().pdqDistance(distance)
            .minPdqQuality(quality).matchRatio(ratio).enabled(enabled).disabledUntil(until).build())));
      } else {
        clock.advance(Duration.ofSeconds(r.nextInt(1, 300)));
      }
      assertEquals(plain.versions(), cached.versions(), "step " + step);
      assertEquals(expectedVersions(cached), cached.versions(), "step " + step);
    }
    assertEquals(plain.quarantineEvents(), cached.quarantineEvents());
    MatchCacheStats s = cached.matchCacheStats();
    assertTrue(s.hits() > 0 && s.misses() > 0, s.toString());
  }

  private static void both(HashBanks a, HashBanks b, java.util.function.Consumer<HashBanks> change) {
    change.accept(a);
    change.accept(b);
  }

  private static PdqHash flipRandom(PdqHash h, int bits, SplittableRandom r) {
    int[] b = new int[bits];
    for (int i = 0; i < bits; i++) {
      b[i] = r.nextInt(256);
    }
    return flip(h, b);
  }

  /**
   * Content matched again and again while entries are added: every match that starts after an add
   * returned finds that entry, whatever the other threads cached meanwhile.
   */
  @Test
  void aMatchStartedAfterAnAddReturnedSeesItUnderConcurrentCaching() throws InterruptedException {
    HashBanks banks = cached().define("b", Category.NCII, 31);
    for (int i = 0; i < 2000; i++) {
      banks.add("b", Category.NCII, MatchType.PDQ, randomPdq(rnd).toHex());
    }
    int rounds = 300;
    List<PdqHash> queries = new ArrayList<>();
    for (int i = 0; i < rounds; i++) {
      queries.add(randomPdq(rnd));
    }
    AtomicInteger added = new AtomicInteger(-1);
    AtomicReference<String> failure = new AtomicReference<>();
    List<Thread> readers = new ArrayList<>();
    for (int t = 0; t < 3; t++) {
      Thread th = new Thread(() -> {
        int k;
        do {
          k = added.get(); // read before the matches start
          if (k + 1 < rounds) {
            banks.match(pdq(queries.get(k + 1))); // usually a miss, cached just before its entry is added
          }
          if (k >= 0 && banks.match(pdq(queries.get(k))).isEmpty()) {
            failure.compareAndSet(null, "query " + k + " missed after its entry was added");
          }
        } while (k < rounds - 1 && failure.get() == null);
      });
      th.start();
      readers.add(th);
    }
    for (int k = 0; k < rounds; k++) {
      banks.match(pdq(queries.get(k))); // cache the miss here too
      banks.add("b", Category.NCII, MatchType.PDQ, flip(queries.get(k), 1, 100).toHex());
      added.set(k);
    }
    for (Thread th : readers) {
      th.join();
    }
    assertEquals(null, failure.get());
    assertTrue(banks.matchCacheStats().hits() + banks.matchCacheStats().misses() > rounds);
  }
}
