package dev.haetae.docs;

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
import dev.haetae.moderation.api.Reason;
import dev.haetae.moderation.api.RoomId;
import dev.haetae.moderation.api.Surface;
import dev.haetae.moderation.core.engine.ModerationEngine;
import dev.haetae.moderation.core.hash.HashBanks;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The README's embedding snippet, compiled and run. */
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
}
