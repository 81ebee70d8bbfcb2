package dev.haetae.moderation.core.hash;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.haetae.moderation.api.Category;
import dev.haetae.moderation.api.Fingerprints;
import dev.haetae.moderation.api.InvalidRequestException;
import dev.haetae.moderation.api.MatchType;
import dev.haetae.moderation.api.Pdq;
import dev.haetae.moderation.api.PdqHash;
import dev.haetae.moderation.api.Sha256;
import dev.haetae.moderation.api.Signal;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * Seeded property: a bank entry added with its own category is matched with that category (the
 * bank's otherwise) through every add, re-add, withdrawal, deletion and compaction; the version
 * digest depends only on the active entries and their categories, not on the order of changes; bad
 * input is refused with {@link InvalidRequestException} and changes nothing.
 */
class EntryCategoryPropertyTest {
  private static final int RUNS = Integer.getInteger("haetae.fuzz.runs", 200);
  private static final List<Category> CATS = List.of(Category.NCII, Category.CSAM, Category.DOXXING,
      Category.TERRORISM);

  /** The model of one entry: active or not, and its own category (null: the bank's). */
  private static final class Model {
    boolean active;
    Category own;
  }

  private static String pdq(Random r) {
    return String.format(Locale.ROOT, "%016x%016x%016x%016x", r.nextLong(), r.nextLong(), r.nextLong(), r.nextLong());
  }

  private static Fingerprints fp(MatchType t, String hex) {
    return t == MatchType.PDQ ? Fingerprints.none().withPdq(new Pdq(PdqHash.fromHex(hex), 100, List.of()))
        : Fingerprints.none().withSha256(Sha256.fromHex(hex));
  }

  private static String digest(Bank b) {
    return b.versionString().substring(b.versionString().indexOf('-') + 1);
  }

  @Test
  void aMatchReportsItsEntrysOwnCategoryAndTheDigestIsOrderFree() {
    Random r = new Random(1616);
    for (int run = 0; run < RUNS; run++) {
      HashBanks banks = HashBanks.inMemory();
      Bank bank = banks.define(BankConfig.builder("platform-removals", Category.CSAM).build());
      List<MatchType> types = new ArrayList<>();
      List<String> hexes = new ArrayList<>();
      for (int i = 0; i < 6; i++) {
        types.add(i % 2 == 0 ? MatchType.PDQ : MatchType.SHA256);
        hexes.add(pdq(r));
      }
      Map<Integer, Model> model = new HashMap<>();
      for (int op = 0; op < 30; op++) {
        int i = r.nextInt(hexes.size());
        MatchType t = types.get(i);
        String h = hexes.get(i);
        Model m = model.computeIfAbsent(i, k -> new Model());
        switch (r.nextInt(6)) {
          case 0 -> {
            Category c = CATS.get(r.nextInt(CATS.size()));
            bank.addEntry(t, h, c, "decision d-" + op);
            m.active = true;
            m.own = c;
          }
          case 1 -> {
            // as a follower applies another instance's entry: with its category, reason and time
            Category c = CATS.get(r.nextInt(CATS.size()));
            bank.apply(new dev.haetae.moderation.api.spi.HashBankSource.Entry(t, h,
                dev.haetae.moderation.api.spi.HashBankSource.Entry.State.ACTIVE,
                java.util.Optional.of(java.time.Instant.ofEpochSecond(1_700_000_000L + op)), java.util.Optional.empty(),
                java.util.Optional.of(c), java.util.Optional.of("decision d-" + op)));
            m.active = true;
            m.own = c;
          }
          case 2 -> {
            bank.add(t, h);
            if (!m.active) {
              m.own = null;
            }
            m.active = true;
          }
          case 3 -> {
            bank.withdraw(t, h);
            m.active = false;
            m.own = null;
          }
          case 4 -> {
            bank.delete(t, h);
            m.active = false;
            m.own = null;
          }
          default -> bank.compact();
        }
      }
      List<Integer> active = new ArrayList<>();
      for (int i = 0; i < hexes.size(); i++) {
        Model m = model.get(i);
        List<Signal.HashMatch> got = banks.match(fp(types.get(i), hexes.get(i)));
        if (m == null || !m.active) {
          assertTrue(got.isEmpty(), "run " + run + " entry " + i + ": " + got);
          continue;
        }
        active.add(i);
        assertEquals(1, got.size(), "run " + run + " entry " + i);
        Category want = m.own == null ? Category.CSAM : m.own;
        assertEquals(want, got.get(0).category(), "run " + run + " entry " + i);
        assertEquals(want, bank.entry(types.get(i), hexes.get(i)).orElseThrow().category());
      }
      // the same active entries, added in another order to a fresh bank: the same digest
      Collections.shuffle(active, r);
      Bank again = HashBanks.inMemory().define(BankConfig.builder("platform-removals", Category.CSAM).build());
      for (int i : active) {
        Model m = model.get(i);
        if (m.own == null) {
          again.add(types.get(i), hexes.get(i));
        } else {
          again.addEntry(types.get(i), hexes.get(i), m.own, "elsewhere");
        }
      }
      assertEquals(digest(bank), digest(again), "run " + run);
    }
  }

  @Test
  void badInputIsRefusedByNameAndChangesNothing() {
    Bank bank = HashBanks.inMemory().define(BankConfig.builder("b", Category.NCII).build());
    String version = bank.versionString();
    InvalidRequestException c = assertThrows(InvalidRequestException.class,
        () -> bank.addEntry(MatchType.PDQ, pdq(new Random(1)), null, "why"));
    assertTrue(c.getMessage().contains("category"), c.getMessage());
    InvalidRequestException w = assertThrows(InvalidRequestException.class,
        () -> bank.addEntry(MatchType.PDQ, pdq(new Random(1)), Category.NCII, null));
    assertTrue(w.getMessage().contains("reason"), w.getMessage());
    assertThrows(InvalidRequestException.class, () -> bank.addEntry(MatchType.SHA256, "not hex", Category.NCII, "why"));
    assertEquals(version, bank.versionString());
    assertEquals(0, bank.size());
  }

  @Test
  void aNewCategoryForAnActiveEntryIsAChangeAndMovesTheDigest() {
    Bank bank = HashBanks.inMemory().define(BankConfig.builder("b", Category.CSAM).build());
    String h = pdq(new Random(2));
    assertTrue(bank.addEntry(MatchType.PDQ, h, Category.NCII, "first"));
    String before = bank.versionString();
    assertTrue(bank.addEntry(MatchType.PDQ, h, Category.DOXXING, "second"));
    assertTrue(!before.equals(bank.versionString()));
    assertEquals(java.util.Optional.of("second"), bank.entry(MatchType.PDQ, h).orElseThrow().reason());
    assertTrue(!bank.addEntry(MatchType.PDQ, h, Category.DOXXING, "second"), "the same again changes nothing");
  }
}
