package dev.haetae.docs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.haetae.moderation.api.AccountId;
import dev.haetae.moderation.api.ActionExecutionException;
import dev.haetae.moderation.api.ContentEvent;
import dev.haetae.moderation.api.ContentId;
import dev.haetae.moderation.api.ContentKind;
import dev.haetae.moderation.api.Decision;
import dev.haetae.moderation.api.LegalNotice;
import dev.haetae.moderation.api.ModerationRequest;
import dev.haetae.moderation.api.NoticeSender;
import dev.haetae.moderation.api.RoomId;
import dev.haetae.moderation.api.Surface;
import dev.haetae.moderation.api.spi.Pseudonymizer;
import dev.haetae.moderation.core.audit.Pseudonymizers;
import dev.haetae.moderation.core.engine.ModerationEngine;
import dev.haetae.moderation.postgres.HaetaePostgres;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ThreadLocalRandom;
import org.junit.jupiter.api.Test;

/**
 * The code of the "A fleet instance in one call" and "The outbox: who recovers what" sections of
 * {@code postgres.md}, compiled, and run against the PostgreSQL server of the module's integration
 * tests when one answers (see {@link DocsPostgres}).
 */
class PostgresFleetGuideTest {

  /** Stands for the host's platform, which carries decisions out. */
  static final class Platform {
    final List<Decision> applied = new CopyOnWriteArrayList<>();
    volatile boolean down;

    void apply(ModerationRequest request, Decision decision) {
      if (down) {
        throw new IllegalStateException("platform API unavailable");
      }
      applied.add(decision);
    }
  }

  static ModerationEngine instance(HaetaePostgres pg, Pseudonymizer pseudonyms, Platform platform) {
    // region fleet
    ModerationEngine engine = ModerationEngine.builder()
        .stores(pg.stores())                                    // every store and the engine's memory, shared
        .decisionLog(pg.decisionLog("instance-7", pseudonyms))  // a shard of its own, recovered as it starts
        .actionExecutor(platform::apply)
        .build();
    // endregion
    return engine;
  }

  static int recoverAnother(HaetaePostgres pg, Pseudonymizer pseudonyms, Platform platform) {
    // region recover-other
    // instance-7 is gone for good: carry out what its shard's outbox still holds
    ModerationEngine recovery = ModerationEngine.builder()
        .stores(pg.stores())
        .decisionLog(pg.decisionLog("instance-7", pseudonyms))
        .actionExecutor(platform::apply)
        .build();              // built: the shard's pending decisions were applied once and handed over again
    recovery.close();
    // endregion
    return platform.applied.size();
  }

  static long prune(HaetaePostgres pg) {
    // region prune
    // from a daily job: forget what the engine remembers once no appeal or report can need it
    long pruned = pg.pruneEngineMemory(Instant.now().minus(Duration.ofDays(400)));
    // endregion
    return pruned;
  }

  @Test
  void aFleetInstanceSharesItsMemoryAndItsShardIsRecovered() throws Exception {
    DocsPostgres.requireServer("PostgresFleetGuideTest");
    String schema = "t_guide_" + Long.toString(ThreadLocalRandom.current().nextLong() >>> 1, 36);
    Pseudonymizer pseudonyms = Pseudonymizers.hmacSha256("pseudonyms-2026", new byte[32]);
    Platform platform = new Platform();
    ContentId content = ContentId.of("c1");
    try (HaetaePostgres pg = HaetaePostgres.builder().jdbcUrl(DocsPostgres.url())
        .credentials(DocsPostgres.user(), DocsPostgres.password()).schema(schema).maxPoolSize(4).build()) {
      try (ModerationEngine engine = instance(pg, pseudonyms, platform)) {
        engine.evaluate(ContentEvent.upload(content, AccountId.of("u1"), RoomId.of("r1"), Surface.GROUP,
            ContentKind.FILE, "bytes".getBytes(StandardCharsets.UTF_8)));
        platform.down = true;
        assertThrows(ActionExecutionException.class, () -> engine.evaluate(new LegalNotice("n1", "US-TAKE-IT-DOWN",
            content, NoticeSender.VICTIM, Map.of("signature", "s", "identification", "i", "location", "l",
                "good_faith_statement", "g", "contact", "c"), Instant.now())));
      }
      assertTrue(pg.stores().memory().content(content).isRemoved(), "every instance sees the removal");
      platform.down = false;
      assertEquals(2, recoverAnother(pg, pseudonyms, platform), "the undelivered decision is handed over again");
      assertTrue(pg.decisionLog("instance-7", pseudonyms).pending().isEmpty());
      assertEquals(0, prune(pg), "nothing is that old");
    } finally {
      DocsPostgres.drop(schema);
    }
  }
}
