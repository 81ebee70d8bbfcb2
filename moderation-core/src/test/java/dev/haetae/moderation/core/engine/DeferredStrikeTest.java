package dev.haetae.moderation.core.engine;

import static dev.haetae.moderation.core.engine.Fixtures.PDQ_A;
import static dev.haetae.moderation.core.engine.Fixtures.T0;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.haetae.moderation.api.AccountId;
import dev.haetae.moderation.api.Action;
import dev.haetae.moderation.api.Category;
import dev.haetae.moderation.api.ContentId;
import dev.haetae.moderation.api.Decision;
import dev.haetae.moderation.api.MatchType;
import dev.haetae.moderation.api.PdqHash;
import dev.haetae.moderation.api.ReviewOutcome;
import dev.haetae.moderation.api.Verdict;
import dev.haetae.moderation.core.hash.HashBanks;
import dev.haetae.moderation.core.simulate.SettableClock;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;

/**
 * A removal made as a precaution while a person reviews the content (an uncertain CSAM match)
 * counts as a strike only once the reviewer confirms it; a certain match counts at once.
 */
class DeferredStrikeTest {
  /** PDQ_A with {@code n} bits flipped. */
  private static String near(int n) {
    PdqHash h = PdqHash.fromHex(PDQ_A);
    long w0 = h.word(0) ^ ((1L << n) - 1);
    return new PdqHash(h.word(3), h.word(2), h.word(1), w0).toHex();
  }

  private ModerationEngine engine() {
    HashBanks banks = HashBanks.inMemory();
    banks.add("csam-list", Category.CSAM, MatchType.PDQ, PDQ_A);
    return ModerationEngine.builder().clock(new SettableClock(T0)).banks(banks)
        .decisionLog(new RecordingLog(new CopyOnWriteArrayList<>())).build();
  }

  /** The uploader's live strikes. */
  private static int strikes(ModerationEngine engine) {
    return engine.strikes().live(AccountId.of("u1"), T0);
  }

  @Test
  void aPrecautionaryRemovalStrikesOnlyWhenTheReviewerConfirmsIt() {
    try (ModerationEngine engine = engine()) {
      Decision hidden = engine.evaluate(Fixtures.upload("c1", "u1", "r1", near(28)));
      assertTrue(hidden.has(Action.Remove.class), hidden.toString());
      assertTrue(hidden.has(Action.QueueForReview.class), hidden.toString());
      assertEquals(0, strikes(engine), "a machine's guess is not a strike");

      engine.evaluate(ReviewOutcome.ofContent(ContentId.of("c1"), Verdict.VIOLATING, Category.CSAM));
      assertEquals(0, strikes(engine), "one reviewer's verdict waits for a second (four eyes)");
      engine.evaluate(ReviewOutcome.ofContent(ContentId.of("c1"), Verdict.VIOLATING, Category.CSAM));
      assertEquals(1, strikes(engine), "the second reviewer confirmed it");
      engine.evaluate(ReviewOutcome.ofContent(ContentId.of("c1"), Verdict.VIOLATING, Category.CSAM));
      assertEquals(1, strikes(engine), "one strike per removal");
    }
  }

  @Test
  void aPrecautionaryRemovalTheReviewerClearsNeverStrikes() {
    try (ModerationEngine engine = engine()) {
      engine.evaluate(Fixtures.upload("c1", "u1", "r1", near(28)));
      engine.evaluate(ReviewOutcome.ofContent(ContentId.of("c1"), Verdict.NOT_VIOLATING, null));
      engine.evaluate(ReviewOutcome.ofContent(ContentId.of("c1"), Verdict.VIOLATING, Category.CSAM));
      assertEquals(0, strikes(engine), "cleared first; a later contrary verdict is a new question");
    }
  }

  @Test
  void aCertainMatchStrikesAtOnce() {
    try (ModerationEngine engine = engine()) {
      Decision removed = engine.evaluate(Fixtures.upload("c1", "u1", "r1", near(2)));
      assertTrue(removed.has(Action.ReportToAuthority.class), removed.toString());
      assertEquals(1, strikes(engine));
    }
  }
}
