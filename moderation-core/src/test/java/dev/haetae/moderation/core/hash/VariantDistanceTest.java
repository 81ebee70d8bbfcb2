package dev.haetae.moderation.core.hash;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.haetae.moderation.api.Category;
import dev.haetae.moderation.api.Fingerprints;
import dev.haetae.moderation.api.InvalidRequestException;
import dev.haetae.moderation.api.MatchType;
import dev.haetae.moderation.api.Pdq;
import dev.haetae.moderation.api.PdqHash;
import dev.haetae.moderation.api.Signal;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * The variant distance ({@link BankConfig#pdqVariantDistance()}): the content's own PDQ hash matches
 * at the bank's distance, its query variants at the variant distance, and a bank's matches equal an
 * exhaustive scan under that contract (the best distance per entry). Seeded: random banks (a built
 * index plus a delta of single adds, so both the probing search and the scanned buffers answer),
 * random distances and query sets whose variants lie at every distance from entries. Quick by
 * default (40 query sets per bank); {@code -P long-fuzz} runs 1,000
 * ({@code -Dhaetae.variantDistance.sets=N} sets any number).
 */
class VariantDistanceTest {
  private static final int SETS = Integer.getInteger("haetae.variantDistance.sets", 40);
  private static final Clock CLOCK = Clock.fixed(Instant.parse("2026-01-01T00:00:00Z"), ZoneOffset.UTC);

  private static PdqHash random(SplittableRandom rnd) {
    return new PdqHash(rnd.nextLong(), rnd.nextLong(), rnd.nextLong(), rnd.nextLong());
  }

  private static PdqHash flip(SplittableRandom rnd, PdqHash h, int bits) {
    long[] w = {h.w0(), h.w1(), h.w2(), h.w3()};
    for (int f = 0; f < bits; f++) {
      int b = rnd.nextInt(256);
      w[b >>> 6] ^= 1L << (b & 63);
    }
    return new PdqHash(w[3], w[2], w[1], w[0]);
  }

  /** What the contract says a bank reports: entry hex to the best distance. */
  private static Map<String, Integer> scan(List<PdqHash> entries, Pdq p, int distance, int variantDistance) {
    Map<String, Integer> out = new HashMap<>();
    for (PdqHash e : entries) {
      int best = Integer.MAX_VALUE;
      int d = p.hash().distance(e);
      if (d <= distance) {
        best = d;
      }
      for (PdqHash v : p.queryVariants()) {
        d = v.distance(e);
        if (d <= variantDistance) {
          best = Math.min(best, d);
        }
      }
      if (best != Integer.MAX_VALUE) {
        out.put(e.toHex(), best);
      }
    }
    return out;
  }

  private static Map<String, Integer> matched(List<Signal.HashMatch> ms, String bank, int distance) {
    Map<String, Integer> out = new HashMap<>();
    for (Signal.HashMatch m : ms) {
      assertEquals(bank, m.bank());
      assertEquals(MatchType.PDQ, m.type());
      assertEquals(distance, m.maxDistance(), "the evidence keeps the bank's distance as the threshold");
      assertTrue(out.put(m.entry(), m.distance()) == null, "entry " + m.entry() + " reported twice");
    }
    return out;
  }

  @Test
  void eachQueryMatchesAtItsOwnDistanceAsAScanDoes() {
    SplittableRandom rnd = new SplittableRandom(18_006);
    int[] sizes = {0, 1, 40, 3_000, 30_000};
    int checked = 0;
    int variantOnly = 0;
    for (int size : sizes) {
      List<PdqHash> entries = new ArrayList<>();
      long[] words = new long[4 * size];
      for (int i = 0; i < size; i++) {
        // clustered in part: families of near entries make several entries match one query
        PdqHash h = i > 0 && rnd.nextInt(4) == 0 ? flip(rnd, entries.get(rnd.nextInt(i)), 1 + rnd.nextInt(20))
            : random(rnd);
        entries.add(h);
      }
      HashBanks banks = HashBanks.builder().clock(CLOCK).build();
      Bank bank = banks.define(BankConfig.builder("b", Category.NCII).flood(FloodPolicy.disabled()).build());
      int bulk = size - Math.min(size, 50);
      for (int i = 0; i < bulk; i++) {
        PdqHash h = entries.get(i);
        words[4 * i] = h.w0();
        words[4 * i + 1] = h.w1();
        words[4 * i + 2] = h.w2();
        words[4 * i + 3] = h.w3();
      }
      bank.addPdqBulk(words, bulk);
      for (int i = bulk; i < size; i++) {
        bank.add(MatchType.PDQ, entries.get(i).toHex()); // the delta buffer, scanned
      }
      List<PdqHash> distinct = new ArrayList<>(new java.util.LinkedHashSet<>(entries));
      for (int set = 0; set < SETS; set++) {
        int distance = rnd.nextInt(3) == 0 ? BankConfig.DEFAULT_PDQ_DISTANCE : rnd.nextInt(44);
        int variantDistance = rnd.nextInt(4) == 0 ? BankConfig.VARIANTS_AT_PDQ_DISTANCE : rnd.nextInt(distance + 1);
        banks.define(bank.config().toBuilder().pdqDistance(distance).pdqVariantDistance(variantDistance).build());
        int eff = variantDistance < 0 ? distance : variantDistance;
        PdqHash main = size == 0 || rnd.nextBoolean() ? random(rnd)
            : flip(rnd, entries.get(rnd.nextInt(size)), rnd.nextInt(45));
        List<PdqHash> variants = new ArrayList<>();
        int count = rnd.nextInt(30);
        for (int k = 0; k < count; k++) {
          int kind = rnd.nextInt(3);
          if (kind == 0 || size == 0) {
            variants.add(flip(rnd, main, rnd.nextInt(12))); // a near variant of the hash
          } else if (kind == 1) {
            variants.add(flip(rnd, entries.get(rnd.nextInt(size)), rnd.nextInt(45))); // a turn that meets an entry
          } else {
            variants.add(random(rnd));
          }
        }
        Pdq p = new Pdq(main, rnd.nextInt(101), variants);
        Map<String, Integer> want = scan(distinct, p, distance, eff);
        Map<String, Integer> got = matched(banks.match(Fingerprints.none().withPdq(p)), "b", distance);
        assertEquals(want, got, "bank of " + size + ", distance " + distance + ", variant distance "
            + variantDistance + ", set " + set);
        checked++;
        if (!scan(distinct, p, distance, distance).equals(want)) {
          variantOnly++; // a set the variant distance changed: the two searches were really tested apart
        }
      }
    }
    assertEquals(sizes.length * SETS, checked);
    assertTrue(variantOnly > 0, "no query set told the two distances apart");
  }

  @Test
  void aVariantFartherThanTheVariantDistanceDoesNotMatchAndTheCacheSeesTheChange() {
    SplittableRandom rnd = new SplittableRandom(7);
    HashBanks banks = HashBanks.builder().clock(CLOCK).matchCacheMinPdqBytes(0).build();
    Bank bank = banks.define(BankConfig.builder("b", Category.NCII).pdqVariantDistance(10).build());
    PdqHash entry = random(rnd);
    bank.add(MatchType.PDQ, entry.toHex());
    PdqHash main = flip(rnd, entry, 0);
    while (main.distance(entry) < 100) {
      main = random(rnd);
    }
    PdqHash turn = entry;
    while (turn.distance(entry) != 20) {
      turn = flip(rnd, entry, 20);
    }
    Fingerprints fp = Fingerprints.none().withPdq(new Pdq(main, 90, List.of(turn)));
    assertEquals(List.of(), banks.match(fp), "a variant 20 bits away, variant distance 10");
    assertEquals(List.of(), banks.match(fp), "the miss, now from the cache");
    assertTrue(banks.matchCacheStats().hits() >= 1, "the second lookup was answered by the cache");
    long before = bank.version();
    banks.define(bank.config().toBuilder().pdqVariantDistance(21).build());
    assertTrue(bank.version() > before, "a new variant distance is a new bank version");
    List<Signal.HashMatch> ms = banks.match(fp);
    assertEquals(1, ms.size(), "the cached miss is stale once the variant distance changes");
    assertEquals(20, ms.get(0).distance());
    assertEquals(31, ms.get(0).maxDistance());
    // the hash itself still matches at the bank's distance, whatever the variant distance
    banks.define(bank.config().toBuilder().pdqVariantDistance(0).build());
    Fingerprints own = Fingerprints.none().withPdq(new Pdq(flip(rnd, entry, 31), 90, List.of()));
    assertEquals(1, banks.match(own).size());
  }

  @Test
  void anAllowListSuppressesByItsOwnVariantDistance() {
    SplittableRandom rnd = new SplittableRandom(11);
    PdqHash entry = random(rnd);
    PdqHash main = random(rnd);
    PdqHash turn = entry;
    while (turn.distance(entry) != 16) {
      turn = flip(rnd, entry, 16);
    }
    Fingerprints fp = Fingerprints.none().withPdq(new Pdq(main, 90, List.of(turn)));
    for (int allowVariants : new int[] {BankConfig.VARIANTS_AT_PDQ_DISTANCE, 10}) {
      HashBanks banks = HashBanks.builder().clock(CLOCK).build();
      banks.define(BankConfig.builder("allow", Category.NCII).allowList(true).pdqVariantDistance(allowVariants).build())
          .add(MatchType.PDQ, entry.toHex());
      banks.define(BankConfig.builder("b", Category.NCII).negativeBanks("allow").build())
          .add(MatchType.PDQ, entry.toHex());
      int expected = allowVariants < 0 ? 0 : 1;
      assertEquals(expected, banks.match(fp).size(), "allow list variant distance " + allowVariants);
    }
  }

  @Test
  void aBankConfiguredAsBeforeKeepsItsVersionDigest() {
    // the digest this bank reported before the variant distance existed (main at be163af)
    HashBanks banks = HashBanks.builder().clock(CLOCK).build();
    Bank b = banks.define(BankConfig.builder("digest-check", Category.NCII).pdqDistance(24).build());
    b.add(MatchType.PDQ, "f8f8f0cee0f4a84f0637022a078f67f0b36e2ed596621e1d33e6339c4e9c9b22");
    assertEquals("1-2eb6229cc0e1c33c", b.versionString());
    banks.define(b.config().toBuilder().pdqVariantDistance(24).build());
    assertNotEquals("2eb6229cc0e1c33c", b.versionString().substring(2), "a set variant distance is in the digest");
    assertEquals(24, b.config().effectivePdqVariantDistance());
  }

  @Test
  void theOldConstructorAndTheBuilderDefaultMatchVariantsAtThePdqDistance() {
    BankConfig viaBuilder = BankConfig.builder("x", Category.NCII).pdqDistance(20).build();
    BankConfig old = new BankConfig("x", "local", Category.NCII, java.util.EnumSet.allOf(MatchType.class), 20, 0, true,
        java.util.Optional.empty(), 1, List.of(), false, FloodPolicy.defaults());
    assertEquals(viaBuilder, old);
    assertEquals(BankConfig.VARIANTS_AT_PDQ_DISTANCE, old.pdqVariantDistance());
    assertEquals(20, old.effectivePdqVariantDistance());
  }

  /** Any int for the two distances: a configuration, or an exception that names the setting. */
  @Test
  void randomDistancesGiveAConfigurationOrAnExceptionNamingTheSetting() {
    SplittableRandom rnd = new SplittableRandom(3);
    int[] edges = {Integer.MIN_VALUE, -2, -1, 0, 1, 30, 31, 32, 127, 128, 129, Integer.MAX_VALUE};
    for (int i = 0; i < 20 * SETS; i++) {
      int distance = rnd.nextBoolean() ? edges[rnd.nextInt(edges.length)] : rnd.nextInt(-5, 140);
      int variants = rnd.nextBoolean() ? edges[rnd.nextInt(edges.length)] : rnd.nextInt(-5, 140);
      boolean valid = distance >= 0 && distance <= 128 && (variants == -1 || (variants >= 0 && variants <= distance));
      BankConfig.Builder b = BankConfig.builder("x", Category.NCII).pdqDistance(distance).pdqVariantDistance(variants);
      if (valid) {
        assertEquals(variants < 0 ? distance : variants, b.build().effectivePdqVariantDistance());
      } else {
        InvalidRequestException e = assertThrows(InvalidRequestException.class, b::build);
        String field = distance < 0 || distance > 128 ? "bank.pdqDistance" : "bank.pdqVariantDistance";
        assertTrue(e.getMessage().contains(field), e.getMessage());
      }
    }
  }
}
