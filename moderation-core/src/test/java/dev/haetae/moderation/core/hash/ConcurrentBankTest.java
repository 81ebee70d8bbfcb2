package dev.haetae.moderation.core.hash;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.haetae.moderation.api.Category;
import dev.haetae.moderation.api.Fingerprints;
import dev.haetae.moderation.api.MatchType;
import dev.haetae.moderation.api.Pdq;
import dev.haetae.moderation.api.PdqHash;
import dev.haetae.moderation.api.Signal;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicIntegerArray;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/**
 * Lookups race with adds, withdrawals and index rebuilds. A change must be visible to every lookup
 * that starts after the changing call returned (stricter than the one-second promise), and no
 * lookup may ever see a torn entry (a hash that was never added, or a wrong distance).
 */
class ConcurrentBankTest {
  private static final int ADDED = 1;
  private static final int WITHDRAWN = 2;
  private static final int WITHDRAWING = 3;
  private static final int REVIVING = 4;

  @Test
  void lookupsSeeEveryCompletedChangeAndNothingTorn() throws Exception {
    SplittableRandom rnd = new SplittableRandom(99);
    int base = 30_000;
    int more = 40_000; // more than two delta buffers: rebuilds happen under the readers
    int n = base + more;
    PdqHash[] hashes = new PdqHash[n];
    long[] words = new long[4 * base];
    Map<String, PdqHash> byHex = new HashMap<>();
    for (int i = 0; i < n; i++) {
      hashes[i] = HashBanksTest.randomPdq(rnd);
      byHex.put(hashes[i].toHex(), hashes[i]);
      if (i < base) {
        for (int k = 0; k < 4; k++) {
          words[4 * i + k] = hashes[i].word(k);
        }
      }
    }
    HashBanks banks = HashBanks.inMemory();
    Bank bank = banks.define(BankConfig.builder("b", Category.NCII).flood(FloodPolicy.disabled()).build());
    bank.addPdqBulk(words, base);
    AtomicIntegerArray phase = new AtomicIntegerArray(n);
    for (int i = 0; i < base; i++) {
      phase.set(i, ADDED);
    }
    AtomicBoolean done = new AtomicBoolean();
    AtomicLong checkedFound = new AtomicLong();
    AtomicLong checkedGone = new AtomicLong();
    AtomicLong revived = new AtomicLong();
    ExecutorService pool = Executors.newFixedThreadPool(3);
    try {
      Future<?> writer = pool.submit(() -> {
        try {
          for (int i = base; i < n; i++) {
            bank.add(MatchType.PDQ, hashes[i].toHex());
            phase.set(i, ADDED);
            if (i % 3 == 0) {
              int j = i - 1000;
              phase.set(j, WITHDRAWING);
              bank.withdraw(MatchType.PDQ, hashes[j].toHex());
              phase.set(j, WITHDRAWN);
            }
            if (i % 21 == 0 && i - 3001 >= base) {
              int j = i - 3001; // withdrawn at step j + 1000 = i - 2001, a multiple of 3: bring it back
              phase.set(j, REVIVING);
              bank.add(MatchType.PDQ, hashes[j].toHex());
              phase.set(j, ADDED);
              revived.incrementAndGet();
            }
          }
        } finally {
          done.set(true);
        }
      });
      List<Future<?>> readers = new ArrayList<>();
      for (int t = 0; t < 2; t++) {
        long seed = 1000 + t;
        readers.add(pool.submit(() -> {
          SplittableRandom r = new SplittableRandom(seed);
          // during the writes, then (on a starved machine) on until enough lookups were checked
          while (!done.get() || checkedFound.get() <= 100 || checkedGone.get() <= 10) {
            int j = r.nextInt(n);
            int before = phase.get(j);
            PdqHash q = HashBanksTest.flip(hashes[j], r.nextInt(256), r.nextInt(256), r.nextInt(256));
            List<Signal.HashMatch> got = banks.match(Fingerprints.none().withPdq(Pdq.of(q)));
            int after = phase.get(j);
            boolean found = false;
            for (Signal.HashMatch m : got) {
              PdqHash e = byHex.get(m.entry());
              assertTrue(e != null, "a hash that was never added: " + m.entry());
              assertEquals(e.distance(q), m.distance(), "distance of " + m.entry());
              found |= e.equals(hashes[j]);
            }
            if (before == ADDED && after == ADDED) {
              assertTrue(found, "entry " + j + " added before the lookup began must match");
              checkedFound.incrementAndGet();
            } else if (before == WITHDRAWN && after == WITHDRAWN) {
              assertTrue(!found, "entry " + j + " withdrawn before the lookup began must not match");
              checkedGone.incrementAndGet();
            }
          }
          return null;
        }));
      }
      writer.get();
      for (Future<?> f : readers) {
        f.get();
      }
    } finally {
      pool.shutdownNow();
    }
    assertTrue(checkedFound.get() > 100, "lookups checked for presence: " + checkedFound.get());
    assertTrue(checkedGone.get() > 10, "lookups checked for absence: " + checkedGone.get());
    assertTrue(revived.get() > 100, "revived: " + revived.get());
    assertEquals(n - (more + 2) / 3 + revived.get(), bank.size(MatchType.PDQ));
  }
}
