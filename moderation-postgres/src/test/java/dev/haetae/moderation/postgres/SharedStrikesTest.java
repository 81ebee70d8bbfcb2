package dev.haetae.moderation.postgres;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.haetae.moderation.api.AccountId;
import dev.haetae.moderation.api.Action;
import dev.haetae.moderation.api.Category;
import dev.haetae.moderation.api.Content;
import dev.haetae.moderation.api.ContentEvent;
import dev.haetae.moderation.api.ContentId;
import dev.haetae.moderation.api.ContentKind;
import dev.haetae.moderation.api.Decision;
import dev.haetae.moderation.api.Fingerprints;
import dev.haetae.moderation.api.MatchType;
import dev.haetae.moderation.api.Pdq;
import dev.haetae.moderation.api.PdqHash;
import dev.haetae.moderation.api.RoomId;
import dev.haetae.moderation.api.Surface;
import dev.haetae.moderation.api.spi.DecisionLog;
import dev.haetae.moderation.core.engine.ModerationEngine;
import dev.haetae.moderation.core.hash.HashBanks;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Two instances on one schema count each other's strikes, and one removal strikes once. */
@RequiresPostgres
class SharedStrikesTest {
  private static final Instant T0 = Instant.parse("2026-11-21T10:00:00Z");
  private static final String BANKED = "f8f8f0cee0f4a84f06370a22038f63f0b36e2ed596621e1d33e6b39c4e9c9b22";
  private static final AccountId U1 = AccountId.of("u1");

  private static ModerationEngine engine(HaetaePostgres pg) {
    HashBanks banks = HashBanks.inMemory();
    banks.add("ncii", Category.NCII, MatchType.PDQ, BANKED);
    return ModerationEngine.builder().clock(Clock.fixed(T0, ZoneOffset.UTC)).banks(banks)
        .decisionLog(DecisionLog.DISCARD).strikeStore(pg.strikeStore()).build();
  }

  private static ContentEvent upload(String content, String hex) {
    Fingerprints fp = Fingerprints.none().withPdq(new Pdq(PdqHash.fromHex(hex), 100, List.of()));
    return ContentEvent.upload(Content.of(ContentId.of(content), ContentKind.IMAGE, Surface.GROUP)
        .withFingerprints(fp), U1, RoomId.of("r1"));
  }

  @Test
  void instancesShareStrikesAndOneRemovalStrikesOnce() {
    String schema = PgTestServer.freshSchema("strikes");
    try (HaetaePostgres a = PgTestServer.open("strikes", schema);
        HaetaePostgres b = PgTestServer.open("strikes", schema);
        ModerationEngine onA = engine(a);
        ModerationEngine onB = engine(b)) {
      Decision removed = onA.evaluate(upload("c1", BANKED));
      assertTrue(removed.has(Action.Remove.class), removed.toString());
      assertEquals(1, onB.strikes().live(U1, T0), "instance B counts the strike instance A recorded");

      // the same upload event delivered to the other instance as well: still one removal, one strike
      onB.evaluate(upload("c1", BANKED));
      assertEquals(1, onA.strikes().live(U1, T0));

      onB.evaluate(upload("c2", BANKED));
      assertEquals(2, onA.strikes().live(U1, T0));
      assertEquals(0, a.pruneExpiredStrikes(T0), "nothing has expired yet");
      assertEquals(2, a.pruneExpiredStrikes(T0.plus(Duration.ofDays(3650))));
      assertEquals(0, onB.strikes().live(U1, T0));
    } finally {
      PgTestServer.drop(schema);
    }
  }
}
