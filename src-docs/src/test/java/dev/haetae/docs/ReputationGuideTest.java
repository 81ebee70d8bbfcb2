package dev.haetae.docs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.haetae.moderation.api.AccountEvent;
import dev.haetae.moderation.api.AccountId;
import dev.haetae.moderation.api.Action;
import dev.haetae.moderation.api.Category;
import dev.haetae.moderation.api.ContentEvent;
import dev.haetae.moderation.api.ContentId;
import dev.haetae.moderation.api.Decision;
import dev.haetae.moderation.api.ReporterId;
import dev.haetae.moderation.api.RoomId;
import dev.haetae.moderation.api.Surface;
import dev.haetae.moderation.api.Target;
import dev.haetae.moderation.api.UserReport;
import dev.haetae.moderation.api.spi.ReputationStore;
import dev.haetae.moderation.core.engine.ModerationEngine;
import dev.haetae.moderation.core.reputation.ReporterStanding;
import dev.haetae.moderation.core.reputation.ReputationModel;
import dev.haetae.moderation.core.store.InMemoryReputationStore;
import dev.haetae.moderation.core.store.ReputationStores;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The reputation guide's examples, compiled and run. */
class ReputationGuideTest {
  private static final Instant NOW = Instant.parse("2026-11-21T10:00:00Z");

  @Test
  void configuresReportsAndReadsStanding(@TempDir Path logDir) {
    Clock clock = Clock.fixed(NOW, ZoneOffset.UTC);
    InMemoryReputationStore slowSharedStore = new InMemoryReputationStore();   // stands in for a database
    // region configure
    ReputationModel model = ReputationModel.builder()
        .prior(1, 2)                                         // a new reporter starts at credibility 1/3
        .halfLife(Duration.ofDays(90))                       // review outcomes fade toward the prior
        .newAccountAge(Duration.ofDays(7))
        .correlation(Duration.ofHours(24), Duration.ofHours(24), Duration.ofMinutes(5))
        .clusterSize(3)                                      // 3 correlated unproven reporters = brigading
        .misuse(5, Duration.ofDays(30), Duration.ofDays(90), Duration.ofDays(14))
        .build();
    ReputationStore store = ReputationStores.cached(slowSharedStore, 1_000_000, Duration.ofSeconds(5));
    ModerationEngine engine = ModerationEngine.builder()
        .clock(clock)
        .logDirectory(logDir)
        .reputationModel(model)
        .reputationStore(store)
        .build();
    // endregion
    try (engine) {
      engine.evaluate(ContentEvent.upload(ContentId.of("post-1"), AccountId.of("journalist"), RoomId.of("news"),
          Surface.PUBLIC_CHANNEL, dev.haetae.moderation.api.ContentKind.TEXT, "hello".getBytes(
              java.nio.charset.StandardCharsets.UTF_8)));
      // region report
      // tell the engine what it needs to know about reporters: account age, rooms joined,
      // trusted-flagger registration (DSA Art. 22)
      engine.evaluate(new AccountEvent(AccountId.of("u-7f3a"), Instant.parse("2024-03-01T00:00:00Z"), false,
          Optional.empty(), List.of(new AccountEvent.RoomJoin(RoomId.of("news"), Instant.parse("2025-01-10T00:00:00Z")))));
      engine.evaluate(new AccountEvent(AccountId.of("support-centre"), Instant.parse("2023-06-01T00:00:00Z"), true,
          Optional.of("Digital sexual crime victim support centre")));

      Decision d = engine.evaluate(UserReport.of(ReporterId.of("support-centre"),
          Target.content(ContentId.of("post-1")), Category.SEXUAL_DEEPFAKE));
      Action.QueueForReview review = d.action(Action.QueueForReview.class).orElseThrow();
      // review.lane() is "trusted_flagger", review.priority() is URGENT: ahead of ordinary reports
      // endregion
      assertEquals("trusted_flagger", review.lane());
      assertFalse(d.restrictive());
      // region standing
      ReporterStanding s = model.standing(store.reporter(ReporterId.of("support-centre")).orElseThrow(),
          clock.instant());
      // s.credibility(): 0.9 before any review; s.accuracy(): empty until reviews come back
      // endregion
      assertEquals(0.9, s.credibility(), 1e-9);
      assertTrue(s.accuracy().isEmpty());
    }
  }
}
