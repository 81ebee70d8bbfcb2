package dev.haetae.moderation.postgres;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.haetae.moderation.api.AccountId;
import dev.haetae.moderation.api.Action;
import dev.haetae.moderation.api.ContentEvent;
import dev.haetae.moderation.api.ContentId;
import dev.haetae.moderation.api.ContentKind;
import dev.haetae.moderation.api.Decision;
import dev.haetae.moderation.api.LegalNotice;
import dev.haetae.moderation.api.NoticeSender;
import dev.haetae.moderation.api.RoomId;
import dev.haetae.moderation.api.Surface;
import dev.haetae.moderation.core.engine.ModerationEngine;
import dev.haetae.moderation.core.engine.PolicyIsolation;
import dev.haetae.moderation.core.simulate.SettableClock;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * TAKE IT DOWN's identical copies across a fleet, on the PostgreSQL memory: copies of one file
 * posted through two instances before the request are found by digest by the instance that takes
 * the request, listed earliest first in its decision ({@code remove_copies}), and removed for every
 * instance.
 */
@RequiresPostgres
class SharedIdenticalCopiesTest {
  private static final Instant T0 = Instant.parse("2026-11-21T10:00:00Z");
  private static final Map<String, String> TID = Map.of("signature", "s", "identification", "i", "location", "l",
      "good_faith_statement", "g", "contact", "c");
  private static final byte[] BYTES = "one intimate image, posted three times".getBytes(StandardCharsets.UTF_8);

  private static ModerationEngine engine(HaetaePostgres pg, String shard, SettableClock clock) {
    return ModerationEngine.builder().clock(clock).stores(pg.stores())
        .decisionLog(pg.decisionLog(shard, LogRequests.KEY)).policyIsolation(PolicyIsolation.INLINE).build();
  }

  private static ContentEvent upload(String id, String account, byte[] bytes) {
    return ContentEvent.upload(ContentId.of(id), AccountId.of(account), RoomId.of("r-" + account), Surface.GROUP,
        ContentKind.FILE, bytes);
  }

  @Test
  void aRequestOnOneInstanceRemovesTheCopiesPostedThroughAnother() {
    String schema = PgTestServer.freshSchema("copies");
    SettableClock clock = new SettableClock(T0);
    try (HaetaePostgres pgA = PgTestServer.open("copies", schema);
        HaetaePostgres pgB = PgTestServer.open("copies", schema);
        ModerationEngine a = engine(pgA, "a", clock);
        ModerationEngine b = engine(pgB, "b", clock)) {
      a.evaluate(upload("copy-on-a", "u1", BYTES));
      clock.advance(Duration.ofMinutes(1));
      b.evaluate(upload("copy-on-b", "u2", BYTES));
      clock.advance(Duration.ofMinutes(1));
      a.evaluate(upload("other", "u3", "something else".getBytes(StandardCharsets.UTF_8)));
      clock.advance(Duration.ofMinutes(1));
      b.evaluate(upload("reported", "u4", BYTES));
      clock.advance(Duration.ofHours(1));
      Decision d = a.evaluate(new LegalNotice("n1", "US-TAKE-IT-DOWN", ContentId.of("reported"),
          NoticeSender.VICTIM, TID, clock.instant()));
      assertTrue(d.has(Action.Remove.class), d.toString());
      assertEquals(List.of(ContentId.of("copy-on-a"), ContentId.of("copy-on-b")),
          d.action(Action.RemoveCopies.class).orElseThrow(() -> new AssertionError(d.toString())).copies());
      for (String c : List.of("copy-on-a", "copy-on-b", "reported")) {
        assertTrue(pgB.stores().memory().content(ContentId.of(c)).isRemoved(), c + " removed for every instance");
      }
      assertFalse(pgB.stores().memory().content(ContentId.of("other")).isRemoved());
    } finally {
      PgTestServer.drop(schema);
    }
  }
}
