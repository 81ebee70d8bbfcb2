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
import dev.haetae.moderation.api.Evidence;
import dev.haetae.moderation.api.Fingerprints;
import dev.haetae.moderation.api.LegalGround;
import dev.haetae.moderation.api.Limits;
import dev.haetae.moderation.api.Outcome;
import dev.haetae.moderation.api.Pdq;
import dev.haetae.moderation.api.PdqHash;
import dev.haetae.moderation.api.PolicyId;
import dev.haetae.moderation.api.Reason;
import dev.haetae.moderation.api.RoomId;
import dev.haetae.moderation.api.Signal;
import dev.haetae.moderation.api.Surface;
import dev.haetae.moderation.api.spi.Policy;
import dev.haetae.moderation.core.engine.ModerationEngine;
import dev.haetae.moderation.core.engine.PolicyIsolation;
import dev.haetae.moderation.core.hash.HashBanks;
import dev.haetae.moderation.core.hash.MatchCacheStats;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The engine guide's examples, compiled and run. */
class EngineGuideTest {

  // region policy
  /** Blurs images posted to public channels by accounts younger than a day. */
  static final class NewAccountBlur implements Policy {
    private static final PolicyId ID = PolicyId.of("new-account-blur", "1");

    @Override
    public PolicyId id() {
      return ID;
    }

    @Override
    public Outcome evaluate(Evidence evidence) {          // pure: only the evidence, no clock, no I/O
      if (!(evidence.request() instanceof ContentEvent)) {
        return Outcome.none();
      }
      for (Signal.AccountStanding s : evidence.signals(Signal.AccountStanding.class)) {
        if (s.accountAge().map(age -> age.compareTo(Duration.ofDays(1)) < 0).orElse(true)) {
          return Outcome.of(List.of(new Action.Blur("new account")), List.of(Reason.of(ID, "new_account",
              "Images from accounts younger than a day are blurred until they are a day old.",
              Category.SPAM, LegalGround.terms("ToS 5.3 (new accounts)", "New accounts' media is blurred."))));
        }
      }
      return Outcome.none();
    }
  }
  // endregion

  @Test
  void configuringAnEngine(@TempDir Path logDir) {
    // region configure
    ModerationEngine engine = ModerationEngine.builder()
        .clock(Clock.systemUTC())                        // evidence time; inject a test clock in tests
        .limits(Limits.builder().maxTextChars(2000).build())
        .policies(new NewAccountBlur())                  // after the built-in pack
        .shadowPolicy(new NewAccountBlur())              // or: try it on live traffic, never enforced
        .policyIsolation(PolicyIsolation.THREADS)        // a hung plugin cannot hold up an upload
        .logDirectory(logDir)
        .obligationListener(e -> System.out.println("legal clock: " + e.type() + " " + e.obligation().id()))
        .build();
    // endregion
    try (engine) {
      // region evaluate
      byte[] upload = "bytes of an uploaded file".getBytes(StandardCharsets.UTF_8);
      Decision d = engine.evaluate(ContentEvent.upload(ContentId.of("msg-1"), AccountId.of("user-1"),
          RoomId.of("room-1"), Surface.PUBLIC_CHANNEL, ContentKind.FILE, upload));
      if (d.restrictive()) {
        d.reasons().forEach(r -> System.out.println(r.code() + ": " + r.explanation()));
      }
      d.failures().forEach(f -> System.out.println("policy failed: " + f));   // isolated, recorded
      d.shadow().forEach(s -> System.out.println("shadow would do: " + s.outcome().actions()));
      // endregion
      assertTrue(d.has(Action.Blur.class), d.toString());
      assertEquals(1, d.shadow().size());
    }
  }

  @Test
  void contentWithoutBytesNeedsFingerprints() {
    try (ModerationEngine engine = ModerationEngine.builder().build()) {
      Decision d = engine.evaluate(ContentEvent.upload(Content.of(ContentId.of("m"), ContentKind.TEXT, Surface.DIRECT)
          .withFingerprints(dev.haetae.moderation.api.Fingerprints.none().withSha256(
              dev.haetae.moderation.api.Sha256.fromHex("00".repeat(32)))), AccountId.of("u"), RoomId.of("r")));
      assertEquals(List.of(new Action.Allow()), d.actions());
    }
  }

  @Test
  void forwardsSkipTheBankQueryOnceTheyMissed(@TempDir Path logDir) {
    java.util.SplittableRandom rnd = new java.util.SplittableRandom(1);
    long[] words = new long[4 * 5000];                 // a list of 5,000 hashes, four words each
    for (int i = 0; i < words.length; i++) {
      words[i] = rnd.nextLong();
    }
    PdqHash photo = new PdqHash(0x0f0f_0f0f_0f0f_0f0fL, 0x00ff_00ff_00ff_00ffL, 0x3333_3333_3333_3333L, 0x7777L);
    // region matchCache
    HashBanks banks = HashBanks.builder()
        .matchCacheSize(100_000)                         // contents remembered; 0 turns the cache off
        .build()
        .define("stopncii", Category.NCII, 31);
    banks.bank("stopncii").addPdqBulk(words, 5000);     // small banks skip the cache: a query is cheaper
    ModerationEngine engine = ModerationEngine.builder().banks(banks).logDirectory(logDir).build();

    Fingerprints fp = Fingerprints.none().withPdq(Pdq.of(photo));
    for (String room : List.of("room-1", "room-2", "room-3")) {  // the same photo forwarded room after room
      engine.evaluate(ContentEvent.upload(Content.of(ContentId.of("msg-" + room), ContentKind.IMAGE,
          Surface.GROUP).withFingerprints(fp), AccountId.of("user-1"), RoomId.of(room)));
    }
    MatchCacheStats stats = engine.banks().matchCacheStats();
    System.out.printf("match cache hit rate %.2f (%d of %d bank lookups)%n", stats.hitRate(), stats.hits(),
        stats.hits() + stats.misses());                // 0.67 (2 of 3)
    // endregion
    engine.close();
    assertEquals(2, stats.hits());
    assertEquals(1, stats.misses());
  }
}
