package dev.haetae.docs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.haetae.moderation.api.AccountId;
import dev.haetae.moderation.api.ContentId;
import dev.haetae.moderation.api.LegalNotice;
import dev.haetae.moderation.api.NoticeSender;
import dev.haetae.moderation.api.spi.DecisionLog;
import dev.haetae.moderation.api.spi.ObligationRecord;
import dev.haetae.moderation.api.spi.ReputationStore;
import dev.haetae.moderation.core.engine.ModerationEngine;
import dev.haetae.moderation.core.store.ReputationStores;
import dev.haetae.moderation.postgres.HaetaePostgres;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ThreadLocalRandom;
import org.junit.jupiter.api.Test;

/**
 * The code of the "Reporter reputation", "Obligations and evidence holds" and "Strikes" sections of {@code
 * postgres.md}, compiled, and run against the PostgreSQL server the module's integration tests use
 * ({@code HAETAE_PG_URL}, or {@code .ci/postgres.sh}'s on 127.0.0.1:{@code HAETAE_PG_PORT}, default
 * 54329) when one answers; skipped with a message otherwise (failed with {@code
 * HAETAE_PG_REQUIRED=1}).
 */
class PostgresStoresGuideTest {

  static ModerationEngine reputation(HaetaePostgres pg, DecisionLog log) {
    // region reputation
    ReputationStore reputation = pg.reputationStore();   // shared by every instance on the schema
    ModerationEngine engine = ModerationEngine.builder()
        .reputationStore(reputation)
        // or, when reads must not wait for the database and a few seconds of staleness are fine:
        // .reputationStore(ReputationStores.cached(reputation, 1_000_000, Duration.ofSeconds(5)))
        .decisionLog(log)
        .build();
    // endregion
    return engine;
  }

  static ModerationEngine obligations(HaetaePostgres pg, DecisionLog log, Queue<ContentId> purgeQueue) {
    // region obligations
    ModerationEngine engine = ModerationEngine.builder()
        .obligationStore(pg.obligationStore())        // legal clocks survive restarts, one per notice
        .evidenceHoldStore(pg.evidenceHoldStore())    // a hold placed by one instance binds them all
        .holdListener(h -> purgeQueue.add(h.content())) // each ended hold reaches one instance
        .tickEvery(Duration.ofSeconds(5))             // every instance may tick; each step happens once
        .decisionLog(log)
        .build();
    // endregion
    return engine;
  }

  static ModerationEngine strikes(HaetaePostgres pg, DecisionLog log) {
    // region strikes
    ModerationEngine engine = ModerationEngine.builder()
        .strikeStore(pg.strikeStore())   // a strike recorded by one instance counts on all of them
        .decisionLog(log)
        .build();
    // and from a daily job: strikes that stopped counting are personal data no longer needed
    int pruned = pg.pruneExpiredStrikes(Instant.now());
    // endregion
    assertTrue(pruned >= 0);
    return engine;
  }

  static boolean mayDelete(ModerationEngine engine, ContentId content) {
    // region may-delete
    boolean deletable = engine.holds().mayDelete(content, Instant.now());
    // endregion
    return deletable;
  }

  @Test
  void twoInstancesShareReputationObligationsAndHolds() throws Exception {
    DocsPostgres.requireServer("PostgresStoresGuideTest");
    String schema = "t_guide_" + Long.toString(ThreadLocalRandom.current().nextLong() >>> 1, 36);
    Queue<ContentId> purgeQueue = new ConcurrentLinkedQueue<>();
    try (HaetaePostgres first = HaetaePostgres.builder().jdbcUrl(DocsPostgres.url())
            .credentials(DocsPostgres.user(), DocsPostgres.password()).schema(schema).maxPoolSize(4).build();
        HaetaePostgres second = HaetaePostgres.builder().jdbcUrl(DocsPostgres.url())
            .credentials(DocsPostgres.user(), DocsPostgres.password()).schema(schema).maxPoolSize(4).build();
        ModerationEngine a = obligations(first, DecisionLog.DISCARD, purgeQueue);
        ModerationEngine b = obligations(second, DecisionLog.DISCARD, purgeQueue);
        ModerationEngine r = reputation(first, DecisionLog.DISCARD)) {
      ContentId content = ContentId.of("c1");
      LegalNotice order = new LegalNotice("tco-1", "EU-TCO-3", content, NoticeSender.REGULATOR,
          Map.of("authority", "Police nationale", "statement_of_reasons", "video", "location", "c1"), Instant.now());
      a.evaluate(order);
      b.evaluate(order);  // the same order delivered to the other instance: a duplicate there
      List<ObligationRecord> seenByB = b.obligations();
      assertEquals(1, seenByB.size());
      assertEquals(ObligationRecord.Status.FULFILLED, seenByB.get(0).status());
      assertFalse(mayDelete(b, content), "the hold A placed binds B");
      assertTrue(mayDelete(b, ContentId.of("never-held")));
      assertTrue(r.holds().mayDelete(content, Instant.now()), "an engine without the shared hold store knows none");
      assertTrue(ReputationStores.cached(first.reputationStore(), 10, Duration.ofSeconds(5))
          .reporter(dev.haetae.moderation.api.ReporterId.of("nobody")).isEmpty());
      try (ModerationEngine sa = strikes(first, DecisionLog.DISCARD);
          ModerationEngine sb = strikes(second, DecisionLog.DISCARD)) {
        AccountId poster = AccountId.of("u1");
        sa.strikes().record(poster, content, Instant.now().plus(Duration.ofDays(90)));
        assertEquals(1, sb.strikes().live(poster, Instant.now()), "B counts the strike A recorded");
      }
    } finally {
      DocsPostgres.drop(schema);
    }
  }
}
