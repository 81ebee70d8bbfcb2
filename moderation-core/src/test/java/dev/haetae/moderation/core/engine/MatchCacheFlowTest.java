package dev.haetae.moderation.core.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.haetae.moderation.api.Action;
import dev.haetae.moderation.api.Category;
import dev.haetae.moderation.api.Decision;
import dev.haetae.moderation.api.MatchType;
import dev.haetae.moderation.api.PdqHash;
import dev.haetae.moderation.api.spi.DecisionLog;
import dev.haetae.moderation.core.hash.HashBanks;
import dev.haetae.moderation.core.hash.MatchCacheStats;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * End to end: a photo forwarded room after room is matched against a large bank once, and the
 * moment the bank learns it (or forgets it), the next forward is decided by the new bank.
 */
class MatchCacheFlowTest {

  @Test
  void forwardsHitTheCacheAndABankChangeIsSeenByTheNextForward() {
    SplittableRandom rnd = new SplittableRandom(3);
    HashBanks banks = HashBanks.inMemory().define("stopncii", Category.NCII, 31);
    long[] words = new long[4 * 5000];
    for (int i = 0; i < words.length; i++) {
      words[i] = rnd.nextLong();
    }
    banks.bank("stopncii").addPdqBulk(words, 5000); // large enough to go through the cache
    String photo = Fixtures.PDQ_A;
    try (ModerationEngine engine = ModerationEngine.builder().banks(banks).decisionLog(DecisionLog.DISCARD)
        .policyIsolation(PolicyIsolation.INLINE).serviceLoader(false, null).build()) {
      for (int i = 0; i < 3; i++) {
        Decision d = engine.evaluate(Fixtures.upload("c" + i, "u" + i, "r" + i, photo));
        assertFalse(d.restrictive(), d.toString());
      }
      MatchCacheStats s = banks.matchCacheStats();
      assertEquals(2, s.hits(), s.toString());
      assertEquals(1, s.misses(), s.toString());

      // the victim's hash list now holds a near-copy of the photo: the very next forward is removed
      PdqHash near = PdqHash.fromHex(photo);
      near = new PdqHash(near.w3(), near.w2(), near.w1(), near.w0() ^ 0b1011);
      banks.add("stopncii", Category.NCII, MatchType.PDQ, near.toHex());
      Decision removed = engine.evaluate(Fixtures.upload("c3", "u3", "r3", photo));
      assertTrue(removed.has(Action.Remove.class), removed.toString());

      // withdrawn again (a mistaken submission), with the removal's own block cleared too
      banks.withdraw("stopncii", MatchType.PDQ, near.toHex());
      banks.bank(ModerationEngine.PLATFORM_BANK).withdraw(MatchType.PDQ, photo);
      Decision allowed = engine.evaluate(Fixtures.upload("c4", "u4", "r4", photo));
      assertFalse(allowed.restrictive(), allowed.toString());
    }
  }
}
