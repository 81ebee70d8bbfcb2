package dev.haetae.docs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

// region imports
import dev.haetae.moderation.api.AccountId;
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
import dev.haetae.moderation.api.Reason;
import dev.haetae.moderation.api.RoomId;
import dev.haetae.moderation.api.Surface;
import dev.haetae.moderation.core.engine.ModerationEngine;
import dev.haetae.moderation.core.hash.HashBanks;
// endregion
import dev.haetae.moderation.api.Action;
import dev.haetae.moderation.api.spi.ActionExecutor;
import dev.haetae.moderation.api.spi.DecisionLog;
import dev.haetae.moderation.core.audit.Pseudonymizers;
import dev.haetae.moderation.postgres.HaetaePostgres;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The README's embedding snippets, compiled and run. */
class QuickStartTest {

  @Test
  void embedding(@TempDir Path logDir) {
    List<String> done = new ArrayList<>();
    // region embed
    HashBanks banks = HashBanks.inMemory();
    banks.add("stopncii", Category.NCII, MatchType.PDQ,
        "f8f8f0cee0f4a84f06370a22038f63f0b36e2ed596621e1d33e6b39c4e9c9b22");

    try (ModerationEngine engine = ModerationEngine.builder()
        .banks(banks)
        .logDirectory(logDir)                      // durable decision log, written before any action
        .actionExecutor((request, decision) -> {   // your platform carries the actions out
          decision.actions().forEach(a -> done.add(a.name()));
        })
        .build()) {

      PdqHash pdq = PdqHash.fromHex("f8f8f0cee0f4a84f06370a22038f63f0b36e2ed596621e1d33e6b39c4e9c9b23");
      Content image = Content.of(ContentId.of("msg-1001"), ContentKind.IMAGE, Surface.GROUP)
          .withFingerprints(Fingerprints.none().withPdq(Pdq.of(pdq)));
      Decision d = engine.evaluate(ContentEvent.upload(image, AccountId.of("user-42"), RoomId.of("room-7")));

      d.actions();                                 // [remove, block_reupload, preserve_evidence, notify_user]
      for (Reason r : d.reasons()) {
        System.out.println(r.explanation() + " — " + r.ground().orElseThrow().citation());
      }
    }
    // endregion
    assertEquals(List.of("remove", "block_reupload", "preserve_evidence", "notify_user"), done);
    assertTrue(logDir.toFile().list().length > 0);
  }

  @Test
  void theSnippetReturnsTheDocumentedActions() {
    try (ModerationEngine engine = ModerationEngine.builder().build()) {
      PdqHash pdq = PdqHash.fromHex("0000000000000000000000000000000000000000000000000000000000000001");
      Decision d = engine.evaluate(ContentEvent.upload(Content.of(ContentId.of("c"), ContentKind.IMAGE,
          Surface.DIRECT).withFingerprints(Fingerprints.none().withPdq(Pdq.of(pdq))), AccountId.of("u"),
          RoomId.of("r")));
      assertEquals(List.of(new Action.Allow()), d.actions());
    }
  }

  /** The README's production set-up: what every instance of a backend builds at start. */
  record Production(HaetaePostgres pg, DecisionLog log, ModerationEngine engine) implements AutoCloseable {
    static Production start(String jdbcUrl, String user, String password, String schema, byte[] pseudonymKey,
        ActionExecutor platform) {
      // region production
      HaetaePostgres pg = HaetaePostgres.builder()      // state shared by every instance
          .jdbcUrl(jdbcUrl)
          .credentials(user, password)
          .schema(schema)                               // created and migrated on first start
          .build();
      DecisionLog log = pg.decisionLogShard("eu-1").logBuilder()
          .pseudonymizer(Pseudonymizers.hmacSha256("pseudonyms-2026", pseudonymKey)) // key from your secret store
          .build();
      ModerationEngine engine = ModerationEngine.builder()
          .decisionLog(log)                             // durable and hash-chained, written before any action
          .reputationStore(pg.reputationStore())        // reporters' credibility
          .obligationStore(pg.obligationStore())        // legal deadlines survive restarts
          .evidenceHoldStore(pg.evidenceHoldStore())    // preserved evidence binds every instance
          .strikeStore(pg.strikeStore())                // strikes count wherever they were recorded
          .actionExecutor(platform)                     // your code: remove, block, notify, report
          .build();
      // endregion
      return new Production(pg, log, engine);
    }

    @Override
    public void close() {
      engine.close();
      log.close();
      pg.close();
    }
  }

  @Test
  void theProductionSetUpDecidesOnPostgres() throws Exception {
    DocsPostgres.requireServer("QuickStartTest");
    String schema = "t_quick_" + Long.toString(ThreadLocalRandom.current().nextLong() >>> 1, 36);
    List<Decision> executed = new ArrayList<>();
    byte[] key = "a test key of 32 bytes, not secret".getBytes(StandardCharsets.UTF_8);
    try (Production p = Production.start(DocsPostgres.url(), DocsPostgres.user(), DocsPostgres.password(), schema,
        key, (request, decision) -> executed.add(decision))) {
      PdqHash pdq = PdqHash.fromHex("0000000000000000000000000000000000000000000000000000000000000001");
      Decision d = p.engine().evaluate(ContentEvent.upload(Content.of(ContentId.of("c"), ContentKind.IMAGE,
          Surface.GROUP).withFingerprints(Fingerprints.none().withPdq(Pdq.of(pdq))), AccountId.of("u"),
          RoomId.of("r")));
      assertEquals(List.of(d), executed, "the platform's executor is handed the decision");
      assertEquals(List.of(new Action.Allow()), d.actions());
    } finally {
      DocsPostgres.drop(schema);
    }
  }
}
