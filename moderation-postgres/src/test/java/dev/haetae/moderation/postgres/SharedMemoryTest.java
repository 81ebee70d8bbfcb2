package dev.haetae.moderation.postgres;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.haetae.moderation.api.AccountId;
import dev.haetae.moderation.api.Action;
import dev.haetae.moderation.api.Appeal;
import dev.haetae.moderation.api.Category;
import dev.haetae.moderation.api.ContentEvent;
import dev.haetae.moderation.api.ContentId;
import dev.haetae.moderation.api.ContentKind;
import dev.haetae.moderation.api.Decision;
import dev.haetae.moderation.api.Evidence;
import dev.haetae.moderation.api.LegalNotice;
import dev.haetae.moderation.api.MatchType;
import dev.haetae.moderation.api.NoticeSender;
import dev.haetae.moderation.api.Outcome;
import dev.haetae.moderation.api.PolicyId;
import dev.haetae.moderation.api.ReporterId;
import dev.haetae.moderation.api.ReviewOutcome;
import dev.haetae.moderation.api.RoomId;
import dev.haetae.moderation.api.Sha256;
import dev.haetae.moderation.api.Signal;
import dev.haetae.moderation.api.Surface;
import dev.haetae.moderation.api.Target;
import dev.haetae.moderation.api.UserReport;
import dev.haetae.moderation.api.Verdict;
import dev.haetae.moderation.api.spi.Policy;
import dev.haetae.moderation.core.engine.ModerationEngine;
import dev.haetae.moderation.core.engine.PolicyIsolation;
import dev.haetae.moderation.core.hash.Bank;
import dev.haetae.moderation.core.simulate.SettableClock;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Duration;
import java.time.Instant;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;

/**
 * Two engines, A and B, each with its own pool and its own decision-log shard on one schema, wired
 * with {@code pg.stores()} alone: what one instance removed, saw or decided, the other blocks, sees
 * and finds. Bytes removed under a TAKE IT DOWN notice on A are blocked when uploaded on B (and B's
 * decision carries their fingerprints); a report on B about content posted on A sees it; an appeal
 * on B against A's decision finds it, and the review of that appeal on A reinstates the content
 * for both.
 */
@RequiresPostgres
class SharedMemoryTest {
  private static final Instant T0 = Instant.parse("2026-11-21T10:00:00Z");
  private static final Map<String, String> TID = Map.of("signature", "s", "identification", "i", "location", "l",
      "good_faith_statement", "g", "contact", "c");
  private static final byte[] BYTES = "an intimate image shared without consent".getBytes(StandardCharsets.UTF_8);

  /** A shadow policy that keeps the evidence of every decision: what the engine gathered. */
  private static final class Witness implements Policy {
    final List<Evidence> seen = new CopyOnWriteArrayList<>();

    @Override
    public PolicyId id() {
      return PolicyId.of("witness", "1");
    }

    @Override
    public Outcome evaluate(Evidence evidence) {
      seen.add(evidence);
      return Outcome.none();
    }

    <S extends Signal> List<S> last(Class<S> type) {
      return seen.get(seen.size() - 1).signals(type);
    }
  }

  private static ModerationEngine engine(HaetaePostgres pg, String shard, SettableClock clock, Witness witness) {
    return ModerationEngine.builder().clock(clock).stores(pg.stores())
        .decisionLog(pg.decisionLog(shard, LogRequests.KEY)).policyIsolation(PolicyIsolation.INLINE)
        .shadowPolicy(witness).build();
  }

  private static String sha256(byte[] b) throws Exception {
    return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(b));
  }

  @Test
  void whatOneInstanceRemovedSawOrDecidedTheOtherBlocksSeesAndFinds() throws Exception {
    String schema = PgTestServer.freshSchema("fleet");
    SettableClock clock = new SettableClock(T0);
    Witness onA = new Witness();
    Witness onB = new Witness();
    String sha = sha256(BYTES);
    try (HaetaePostgres pgA = PgTestServer.open("fleet", schema);
        HaetaePostgres pgB = PgTestServer.open("fleet", schema);
        ModerationEngine a = engine(pgA, "a", clock, onA);
        ModerationEngine b = engine(pgB, "b", clock, onB)) {
      ContentId c1 = ContentId.of("c1");
      AccountId poster = AccountId.of("u1");
      a.evaluate(ContentEvent.upload(c1, poster, RoomId.of("r1"), Surface.GROUP, ContentKind.FILE, BYTES));
      clock.set(T0.plus(Duration.ofMinutes(5)));
      Decision takedown = a.evaluate(new LegalNotice("n1", "US-TAKE-IT-DOWN", c1, NoticeSender.VICTIM, TID,
          clock.instant()));
      assertTrue(takedown.has(Action.Remove.class), "A removes the content: " + takedown.actions());
      assertEquals(Optional.of(Sha256.fromHex(sha)), takedown.subject().sha256(),
          "the notice's decision carries the fingerprints remembered from the upload");

      // B follows the shared bank of removed content: the notification arrives within moments
      PgTestServer.await("B's platform bank holds the removed bytes", () -> b.banks()
          .find(ModerationEngine.PLATFORM_BANK).flatMap(bank -> bank.entry(MatchType.SHA256, sha)).isPresent());

      clock.set(T0.plus(Duration.ofMinutes(10)));
      Decision reupload = b.evaluate(ContentEvent.upload(ContentId.of("c2"), AccountId.of("u2"), RoomId.of("r2"),
          Surface.GROUP, ContentKind.FILE, BYTES));
      assertTrue(reupload.restrictive(), "B blocks the re-upload: " + reupload.actions());
      assertTrue(onB.last(Signal.HashMatch.class).stream()
          .anyMatch(m -> m.bank().equals(ModerationEngine.PLATFORM_BANK) && m.entry().equals(sha)),
          "matched in the platform bank: " + onB.last(Signal.HashMatch.class));
      assertEquals(Optional.of(Sha256.fromHex(sha)), reupload.subject().sha256(),
          "B's decision carries the fingerprints the executor blocks");

      Decision report = b.evaluate(UserReport.of(ReporterId.of("rep1"), Target.content(c1), Category.NCII));
      List<Signal.KnownContent> known = onB.last(Signal.KnownContent.class);
      assertEquals(1, known.size(), "a report on B sees the content posted on A");
      assertEquals(poster, known.get(0).account());
      assertTrue(known.get(0).removed(), "and that A removed it");
      assertEquals(Optional.of(Sha256.fromHex(sha)), report.subject().sha256());

      clock.set(T0.plus(Duration.ofHours(1)));
      b.evaluate(new Appeal("a1", takedown.id(), c1, poster, T0.plus(Duration.ofMinutes(5)), Optional.empty()));
      Signal.AppealWindow window = onB.last(Signal.AppealWindow.class).get(0);
      assertTrue(window.decisionKnown(), "an appeal on B finds A's decision");
      assertEquals(Optional.of("US-TAKE-IT-DOWN"), window.governingInstrument());
      assertTrue(window.within() && window.obligation().isPresent(), "and opens its review: " + window);

      // the appeal's review, on A: A finds the appeal B linked, and reverses its own decision
      clock.set(T0.plus(Duration.ofHours(2)));
      Decision review = a.evaluate(new ReviewOutcome(Target.content(c1), Verdict.NOT_VIOLATING,
          Optional.of(Category.NCII), Optional.empty()));
      assertEquals(1, onA.last(Signal.AppealReview.class).size(), "A sees the appeal B received");
      assertEquals(Optional.of(new Action.Reinstate(takedown.id())), review.action(Action.Reinstate.class));
      assertFalse(pgB.stores().memory().content(c1).isRemoved(), "reinstated for every instance");

      clock.set(T0.plus(Duration.ofHours(3)));
      Decision again = b.evaluate(ContentEvent.upload(ContentId.of("c3"), AccountId.of("u3"), RoomId.of("r3"),
          Surface.GROUP, ContentKind.FILE, BYTES));
      assertFalse(again.restrictive(), "the reinstated content's copies are no longer blocked on B: "
          + again.actions());
      Optional<Bank> bankOnB = b.banks().find(ModerationEngine.PLATFORM_BANK);
      assertTrue(bankOnB.isPresent() && bankOnB.get().entry(MatchType.SHA256, sha).isPresent(),
          "the bank keeps the entry; the memory says it is reinstated");
    } finally {
      PgTestServer.drop(schema);
    }
  }
}
