package dev.haetae.moderation.core.audit;

import dev.haetae.moderation.api.AccountEvent;
import dev.haetae.moderation.api.AccountId;
import dev.haetae.moderation.api.Category;
import dev.haetae.moderation.api.Content;
import dev.haetae.moderation.api.ContentEvent;
import dev.haetae.moderation.api.ContentId;
import dev.haetae.moderation.api.ContentKind;
import dev.haetae.moderation.api.Fingerprints;
import dev.haetae.moderation.api.Jurisdiction;
import dev.haetae.moderation.api.LegalNotice;
import dev.haetae.moderation.api.NoticeSender;
import dev.haetae.moderation.api.ReporterId;
import dev.haetae.moderation.api.ReviewOutcome;
import dev.haetae.moderation.api.RoomId;
import dev.haetae.moderation.api.Sha256;
import dev.haetae.moderation.api.Surface;
import dev.haetae.moderation.api.Target;
import dev.haetae.moderation.api.UserReport;
import dev.haetae.moderation.api.Verdict;
import dev.haetae.moderation.api.spi.Policy;
import dev.haetae.moderation.core.engine.ModerationEngine;
import dev.haetae.moderation.core.engine.ModerationEngineBuilder;
import dev.haetae.moderation.core.simulate.SettableClock;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.Set;

/** Writes decision logs through the real engine, from a seeded stream of requests. */
final class EngineLogs {
  private EngineLogs() {}

  static Map<String, String> takeItDownFields() {
    return Map.of("signature", "SECRETTEXT J. Doe", "identification", "SECRETTEXT the photo of me",
        "location", "SECRETTEXT room 7", "good_faith_statement", "SECRETTEXT I did not consent",
        "contact", "SECRETTEXT jd@example.org");
  }

  /** Writes {@code n} evaluated requests to {@code dir} with the default pack plus {@code extra}. */
  static void write(Path dir, int n, long seed, Policy... extra) {
    SettableClock clock = new SettableClock(Instant.parse("2026-05-01T08:00:00Z"));
    Random r = new Random(seed);
    ModerationEngineBuilder b = ModerationEngine.builder().clock(clock)
        .logDirectory(dir).pseudonymizer(DirectoryDecisionLogTest.P)
        // Time budgets are wall-clock: on a loaded machine a policy can time out while recording and
        // finish on replay, a genuine divergence (replay reports it) that would make tests flaky.
        .policyIsolation(dev.haetae.moderation.core.engine.PolicyIsolation.INLINE);
    if (extra.length > 0) {
      b.policies(extra);
    }
    try (ModerationEngine engine = b.build()) {
      for (int i = 0; i < n; i++) {
        clock.advance(Duration.ofSeconds(1 + r.nextInt(600)));
        String c = Fixtures.raw("content", r.nextInt(40));
        String u = Fixtures.raw("account", r.nextInt(30));
        switch (r.nextInt(6)) {
          case 0:
            engine.evaluate(new AccountEvent(AccountId.of(u),
                clock.instant().minus(Duration.ofDays(r.nextInt(400))), r.nextInt(10) == 0, Optional.empty()));
            break;
          case 1:
          case 2: {
            byte[] h = new byte[32];
            r.nextBytes(h);
            Content content = new Content(ContentId.of(c), ContentKind.IMAGE, Surface.values()[r.nextInt(3)],
                Set.of(Jurisdiction.of("DE")), Fingerprints.none().withSha256(Sha256.fromBytes(h)),
                Optional.of("SECRETTEXT caption"));
            engine.evaluate(ContentEvent.upload(content, AccountId.of(u), RoomId.of(Fixtures.raw("room", r.nextInt(5)))));
            break;
          }
          case 3:
            engine.evaluate(UserReport.of(ReporterId.of(Fixtures.raw("reporter", r.nextInt(20))),
                Target.content(ContentId.of(c)), Category.values()[r.nextInt(8)]));
            break;
          case 4:
            engine.evaluate(new LegalNotice(Fixtures.raw("notice", i), r.nextBoolean() ? "US-TAKE-IT-DOWN" : "EU-DSA-16",
                ContentId.of(c), NoticeSender.VICTIM, r.nextInt(4) == 0 ? Map.of() : takeItDownFields(),
                clock.instant().minus(Duration.ofMinutes(r.nextInt(120)))));
            break;
          default:
            engine.evaluate(ReviewOutcome.ofContent(ContentId.of(c), Verdict.values()[r.nextInt(2)], Category.NCII));
        }
      }
    }
  }
}
