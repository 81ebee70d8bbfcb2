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
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;

/**
 * Korea's temporary measure across a fleet, on the PostgreSQL memory: a measure opened through
 * instance A is lifted once, by B's tick at its expiry (A's tick afterwards finds nothing), and the
 * content is no longer removed for either instance.
 */
@RequiresPostgres
class SharedTemporaryMeasureTest {
  private static final Instant T0 = Instant.parse("2026-11-21T10:00:00Z");
  private static final Map<String, String> FIELDS = Map.of("location", "room r1",
      "explanation", "the post defames me");

  private static ModerationEngine engine(HaetaePostgres pg, String shard, SettableClock clock, List<Decision> out) {
    return ModerationEngine.builder().clock(clock).stores(pg.stores())
        .decisionLog(pg.decisionLog(shard, LogRequests.KEY)).policyIsolation(PolicyIsolation.INLINE)
        .actionExecutor((req, d) -> out.add(d)).build();
  }

  @Test
  void aMeasureOpenedOnOneInstanceIsLiftedOnceByAnothersTick() {
    String schema = PgTestServer.freshSchema("measure");
    SettableClock clock = new SettableClock(T0);
    List<Decision> onA = new CopyOnWriteArrayList<>();
    List<Decision> onB = new CopyOnWriteArrayList<>();
    try (HaetaePostgres pgA = PgTestServer.open("measure", schema);
        HaetaePostgres pgB = PgTestServer.open("measure", schema);
        ModerationEngine a = engine(pgA, "a", clock, onA);
        ModerationEngine b = engine(pgB, "b", clock, onB)) {
      a.evaluate(ContentEvent.upload(ContentId.of("c1"), AccountId.of("u1"), RoomId.of("r1"), Surface.GROUP,
          ContentKind.IMAGE, "an image".getBytes(StandardCharsets.UTF_8)));
      Decision m = a.evaluate(new LegalNotice("n1", "KR-NA-44-2", ContentId.of("c1"), NoticeSender.VICTIM, FIELDS,
          clock.instant()));
      assertTrue(m.has(Action.TemporaryMeasure.class), m.toString());
      assertTrue(pgB.stores().memory().content(ContentId.of("c1")).isRemoved(), "blocked for every instance");
      assertTrue(pgB.stores().memory().openMeasure(ContentId.of("c1")).isPresent());

      clock.advance(Duration.ofDays(29));
      b.tick();
      assertTrue(onB.isEmpty(), "nothing before the expiry");
      clock.advance(Duration.ofDays(1));
      b.tick();
      a.tick();
      b.tick();
      assertEquals(1, onB.stream().filter(d -> d.has(Action.EndMeasure.class)).count(), onB.toString());
      assertEquals(m.id(), onB.get(0).action(Action.EndMeasure.class).orElseThrow().measure());
      assertEquals(Action.EndMeasure.Ending.LIFTED, onB.get(0).action(Action.EndMeasure.class).orElseThrow().ending());
      assertFalse(onA.stream().anyMatch(d -> d.has(Action.EndMeasure.class)), "A lifts nothing: " + onA);
      assertFalse(pgA.stores().memory().content(ContentId.of("c1")).isRemoved(), "restored for every instance");
      assertTrue(pgA.stores().memory().openMeasure(ContentId.of("c1")).isEmpty());
    } finally {
      PgTestServer.drop(schema);
    }
  }
}
