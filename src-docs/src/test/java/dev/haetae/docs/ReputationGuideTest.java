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
import dev.haetae.moderation.api.ReporterSanction;
import dev.haetae.moderation.api.ReviewOutcome;
import dev.haetae.moderation.api.Verdict;
import dev.haetae.moderation.api.RoomId;
import dev.haetae.moderation.api.Surface;
import dev.haetae.moderation.api.Target;
import dev.haetae.moderation.api.UserReport;
import dev.haetae.moderation.api.spi.ReputationStore;
import dev.haetae.moderation.core.engine.ModerationEngine;
import dev.haetae.moderation.core.engine.RecheckedReport;
import dev.haetae.moderation.core.policy.PolicyPack;
import dev.haetae.moderation.core.reputation.ReporterStanding;
import dev.haetae.moderation.core.reputation.ReputationModel;
import dev.haetae.moderation.core.store.InMemoryReputationStore;
import dev.haetae.moderation.core.store.ReputationStores;
import dev.haetae.moderation.testkit.adversarial.AdversarialHarness;
import dev.haetae.moderation.testkit.adversarial.AttackFamily;
import dev.haetae.moderation.testkit.adversarial.AttackResult;
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

      engine.evaluate(ContentEvent.upload(ContentId.of("reshare-9"), AccountId.of("ring-poster"), RoomId.of("den"),
          Surface.GROUP, dev.haetae.moderation.api.ContentKind.TEXT, "x".getBytes(
              java.nio.charset.StandardCharsets.UTF_8)));
      engine.evaluate(new AccountEvent(AccountId.of("minji"), NOW.minus(Duration.ofDays(1)), false, Optional.empty()));
      // region victim
      // the host's report form asks "is this you?"; the answer makes it a first-party report
      Decision mine = engine.evaluate(UserReport.firstParty(ReporterId.of("minji"),
          Target.content(ContentId.of("reshare-9")), Category.NCII));
      Action.QueueForReview item = mine.action(Action.QueueForReview.class).orElseThrow();
      // item.lane() is "victim", item.priority() is URGENT, although the account is a day old;
      // item.score() orders it within the band
      // endregion
      assertEquals("victim", item.lane());
      assertEquals(dev.haetae.moderation.api.Priority.URGENT, item.priority());
      assertTrue(item.score() > 0 && item.score() < 1);
    }
  }

  @Test
  void aPersonConfirmsASuspensionAndDecidesTheAppealThroughTheEngine(@TempDir Path logDir) {
    dev.haetae.moderation.core.simulate.SettableClock clock = new dev.haetae.moderation.core.simulate.SettableClock(
        NOW);
    InMemoryReputationStore store = new InMemoryReputationStore();
    try (ModerationEngine engine = ModerationEngine.builder().clock(clock).logDirectory(logDir)
        .reputationStore(store).build()) {
      engine.evaluate(new AccountEvent(AccountId.of("troll"), NOW.minus(Duration.ofDays(300)), false,
          Optional.empty()));
      Decision proposalDecision = null;
      for (int i = 0; proposalDecision == null && i < 40; i++) {
        ContentId post = ContentId.of("post-" + i);
        engine.evaluate(ContentEvent.upload(post, AccountId.of("journalist"), RoomId.of("news"),
            Surface.PUBLIC_CHANNEL, dev.haetae.moderation.api.ContentKind.TEXT, ("post " + i).getBytes(
                java.nio.charset.StandardCharsets.UTF_8)));
        engine.evaluate(UserReport.of(ReporterId.of("troll"), Target.content(post), Category.HARASSMENT));
        clock.advance(Duration.ofHours(6));
        Decision review = engine.evaluate(ReviewOutcome.ofContent(post, Verdict.NOT_VIOLATING, null));
        if (review.reasons().stream().anyMatch(r -> r.code().equals("reporter_suspension_proposed"))) {
          proposalDecision = review;
        }
      }
      Decision proposal = proposalDecision;
      assertTrue(store.reporter(ReporterId.of("troll")).orElseThrow().suspendedUntil().isEmpty());
      // region confirm
      // a moderator agreed with the "reporter_suspension_proposed" item of review decision `proposal`:
      // the confirmation is a request, logged before the suspension starts (never by the reporter)
      Decision confirmed = engine.evaluate(ReporterSanction.by("moderator-17", ReporterSanction.Step.CONFIRM,
          ReporterId.of("troll"), proposal.id()));
      // confirmed.reasons(): "reporter_suspension_confirmed" (DSA Art. 23); the reporter's reports are
      // recorded, not weighed, for the configured period. Sending it again throws
      // InvalidRequestException (field "sanction.decision"): the case has moved on.
      // endregion
      assertTrue(store.reporter(ReporterId.of("troll")).orElseThrow().suspendedAt(clock.instant()));
      assertEquals("sanction.decision", org.junit.jupiter.api.Assertions.assertThrows(
          dev.haetae.moderation.api.InvalidRequestException.class, () -> engine.evaluate(ReporterSanction.by(
              "moderator-17", ReporterSanction.Step.CONFIRM, ReporterId.of("troll"), proposal.id()))).field());
      // region appeal
      // the reporter appeals the suspension (it is queued in lane "report_misuse_appeal"); another
      // moderator upholds it: the suspension is lifted and the last warning withdrawn
      engine.evaluate(ReporterSanction.appeal(ReporterId.of("troll"), confirmed.id(),
          Optional.of("my reports were right")));
      engine.evaluate(ReporterSanction.by("moderator-4", ReporterSanction.Step.UPHOLD, ReporterId.of("troll"),
          confirmed.id()));
      // endregion
      assertTrue(store.reporter(ReporterId.of("troll")).orElseThrow().suspendedUntil().isEmpty());
      assertEquals(List.of("reporter_suspension_confirmed"), confirmed.reasons().stream().map(r -> r.code())
          .toList());
    }
  }

  @Test
  void aVerdictOutOfAFlaggedCampaignWaitsForASecondReviewer(@TempDir Path logDir) {
    // a campaign check that fires on two targets and two reporters, so that a few lines raise it
    ReputationModel model = ReputationModel.builder().campaign(2, 2, Duration.ofHours(72)).build();
    try (ModerationEngine engine = ModerationEngine.builder().clock(Clock.fixed(NOW, ZoneOffset.UTC))
        .logDirectory(logDir).reputationModel(model).build()) {
      for (String post : List.of("press-1", "press-2")) {
        engine.evaluate(ContentEvent.upload(ContentId.of(post), AccountId.of("journalist"), RoomId.of("news"),
            Surface.PUBLIC_CHANNEL, dev.haetae.moderation.api.ContentKind.FILE, post.getBytes(
                java.nio.charset.StandardCharsets.UTF_8)));
        engine.evaluate(UserReport.of(ReporterId.of("throwaway-" + post), Target.content(ContentId.of(post)),
            Category.NCII));
      }
      // region secondReview
      // the first moderator (perhaps sloppy, perhaps bought) confirms the claim
      Decision first = engine.evaluate(ReviewOutcome.ofContent(ContentId.of("press-1"), Verdict.VIOLATING,
          Category.NCII).by("moderator-1"));
      boolean secondNeeded = first.action(Action.QueueForReview.class)
          .map(q -> q.lane().equals(PolicyPack.SECOND_REVIEW_LANE)).orElse(false);
      // secondNeeded is true: the reports came out of a flagged campaign, so the content is removed
      // but not banked and its uploader not struck; the host routes the item to another moderator,
      // whose verdict strikes and banks (violating) or drops the deferred strike (not violating);
      // the same verdict .by("moderator-1") would be refused with an InvalidRequestException
      Decision second = engine.evaluate(ReviewOutcome.ofContent(ContentId.of("press-1"), Verdict.NOT_VIOLATING,
          Category.NCII).by("moderator-2"));
      // endregion
      assertTrue(secondNeeded, first.toString());
      assertFalse(first.has(Action.BlockReupload.class));
      assertFalse(second.restrictive());
      assertEquals(0, engine.strikes().live(AccountId.of("journalist"), NOW));
    }
  }

  @Test
  void aReportOnAnOlderUploadOnlyBlursAndQueues(@TempDir Path logDir) {
    dev.haetae.moderation.core.simulate.SettableClock clock = new dev.haetae.moderation.core.simulate.SettableClock(NOW);
    byte[] photo = "her holiday photo".getBytes(java.nio.charset.StandardCharsets.UTF_8);
    try (ModerationEngine engine = ModerationEngine.builder().clock(clock).logDirectory(logDir).build()) {
      engine.evaluate(ContentEvent.upload(ContentId.of("holiday"), AccountId.of("owner"), RoomId.of("family"),
          Surface.GROUP, dev.haetae.moderation.api.ContentKind.FILE, photo));
      clock.advance(Duration.ofDays(30));
      engine.evaluate(ContentEvent.upload(ContentId.of("copy"), AccountId.of("ring"), RoomId.of("den"),
          Surface.GROUP, dev.haetae.moderation.api.ContentKind.FILE, photo));
      engine.evaluate(ReviewOutcome.ofContent(ContentId.of("copy"), Verdict.VIOLATING, Category.NCII).by("mod-1"));
      engine.evaluate(ReviewOutcome.ofContent(ContentId.of("copy"), Verdict.VIOLATING, Category.NCII)
          .by("mod-2")); // banked on the second reviewer's word
      clock.advance(Duration.ofHours(1));
      // region olderUpload
      // a report reaches the platform-bank entry through her original, posted before the entry existed
      Decision d = engine.evaluate(UserReport.of(ReporterId.of("stranger"), Target.content(ContentId.of("holiday")),
          Category.NCII));
      // d blurs the photo and queues it for a person (reason bank_match_other_uploader: the entry
      // records the ring's account as its poster, not hers): no removal, no notification, no strike
      // until that person's verdict
      boolean removed = d.has(Action.Remove.class);                      // false
      boolean queued = d.has(Action.QueueForReview.class);               // true
      // endregion
      assertFalse(removed, d.toString());
      assertTrue(queued && d.has(Action.Blur.class), d.toString());
      assertEquals(0, engine.strikes().live(AccountId.of("owner"), clock.instant()));
      Decision copy = engine.evaluate(ContentEvent.upload(ContentId.of("copy-2"), AccountId.of("forwarder"),
          RoomId.of("room"), Surface.GROUP, dev.haetae.moderation.api.ContentKind.FILE, photo));
      assertTrue(copy.has(Action.Remove.class), "a later upload is removed on sight: " + copy);
    }
  }

  @Test
  void theEngineRecordsTheBankedPostersPseudonym(@TempDir Path logDir) {
    dev.haetae.moderation.core.simulate.SettableClock clock = new dev.haetae.moderation.core.simulate.SettableClock(NOW);
    byte[] photo = "a copy the ring posted".getBytes(java.nio.charset.StandardCharsets.UTF_8);
    // region uploaderKey
    // every instance of a fleet (and every restart) names a poster the same way only with one key:
    // give the engine the decision log's key (the default is an ephemeral key per process)
    ModerationEngine engine = ModerationEngine.builder()
        .clock(clock)
        .logDirectory(logDir)
        .pseudonymizer(dev.haetae.moderation.core.audit.Pseudonymizers.hmacSha256("key-2026",
            "a secret of at least 32 bytes...".getBytes(java.nio.charset.StandardCharsets.UTF_8)))
        .build();
    // endregion
    try (engine) {
      engine.evaluate(ContentEvent.upload(ContentId.of("copy"), AccountId.of("ring"), RoomId.of("den"),
          Surface.GROUP, dev.haetae.moderation.api.ContentKind.FILE, photo));
      engine.evaluate(ReviewOutcome.ofContent(ContentId.of("copy"), Verdict.VIOLATING, Category.NCII).by("mod-1"));
      engine.evaluate(ReviewOutcome.ofContent(ContentId.of("copy"), Verdict.VIOLATING, Category.NCII).by("mod-2"));
      String sha = java.util.HexFormat.of().formatHex(sha256(photo));
      dev.haetae.moderation.core.hash.EntryInfo entry = engine.banks().find(ModerationEngine.PLATFORM_BANK)
          .orElseThrow().entry(dev.haetae.moderation.api.MatchType.SHA256, sha).orElseThrow();
      assertTrue(entry.uploader().orElseThrow().startsWith("key-2026:"), entry.toString());
      assertFalse(entry.uploader().get().contains("ring"), entry.toString());
    }
  }

  private static byte[] sha256(byte[] b) {
    try {
      return java.security.MessageDigest.getInstance("SHA-256").digest(b);
    } catch (java.security.NoSuchAlgorithmException e) {
      throw new AssertionError(e);
    }
  }

  @Test
  void theTickRechecksWaitingReports(@TempDir Path logDir) {
    dev.haetae.moderation.core.simulate.SettableClock clock = new dev.haetae.moderation.core.simulate.SettableClock(NOW);
    // region recheck
    ReputationModel model = ReputationModel.builder()
        .recheck(Duration.ofHours(24))                        // the general bound (default)
        .recheck(Category.HARASSMENT, Duration.ofHours(6))    // a category of your own choice
        .build();                                             // NCII, deepfakes, CSAM: 1 hour by default
    ModerationEngine engine = ModerationEngine.builder()
        .clock(clock)
        .logDirectory(logDir)
        .reputationModel(model)                               // with .tickEvery(...) the engine ticks
        .build();                                             // itself; each tick re-checks what is due
    // endregion
    try (engine) {
      engine.evaluate(new AccountEvent(AccountId.of("new-account"), NOW.minus(Duration.ofDays(1)), false,
          Optional.empty(), List.of()));
      Decision waiting = engine.evaluate(UserReport.of(ReporterId.of("new-account"),
          Target.content(ContentId.of("post-3")), Category.HARASSMENT));
      assertFalse(waiting.has(Action.QueueForReview.class), waiting.toString());
      clock.advance(Duration.ofHours(6));
      // region recheckNow
      // a host that drives time itself (a simulation, a test) calls the re-check directly
      List<RecheckedReport> rechecks = engine.recheckWaitingReports(clock.instant());
      // one logged decision per report due: here the harassment report, queued at low priority in
      // lane "uncorroborated" (reason "recheck"); rechecks.get(0).report() is the waiting report
      // endregion
      assertEquals(1, rechecks.size());
      assertEquals("uncorroborated", rechecks.get(0).decision().action(Action.QueueForReview.class).orElseThrow().lane());
    }
  }

  @Test
  void fourEyesBeforeThePlatformBank(@TempDir Path logDir) {
    dev.haetae.moderation.core.simulate.SettableClock clock = new dev.haetae.moderation.core.simulate.SettableClock(NOW);
    byte[] photo = "a leaked photo".getBytes(java.nio.charset.StandardCharsets.UTF_8);
    try (ModerationEngine engine = ModerationEngine.builder().clock(clock).logDirectory(logDir).build()) {
      engine.evaluate(ContentEvent.upload(ContentId.of("leak"), AccountId.of("abuser"), RoomId.of("den"),
          Surface.GROUP, dev.haetae.moderation.api.ContentKind.FILE, photo));
      Decision first = engine.evaluate(ReviewOutcome.ofContent(ContentId.of("leak"), Verdict.VIOLATING,
          Category.NCII).by("moderator-1"));
      // removed and queued urgent in second_review: nothing banked, no strike yet
      assertTrue(first.has(Action.Remove.class) && !first.has(Action.BlockReupload.class), first.toString());
      assertEquals(PolicyPack.SECOND_REVIEW_LANE, first.action(Action.QueueForReview.class).orElseThrow().lane());
      Decision second = engine.evaluate(ReviewOutcome.ofContent(ContentId.of("leak"), Verdict.VIOLATING,
          Category.NCII).by("moderator-2"));
      assertTrue(second.has(Action.BlockReupload.class), second.toString());
      assertEquals(1, engine.strikes().live(AccountId.of("abuser"), clock.instant()));
    }
    // region fourEyes
    // a platform that accepts one moderator's verdict for the bank (version 4's rule): second reviews
    // only for verdicts on reports out of a flagged wave
    dev.haetae.moderation.core.policy.PolicyConfig oneVerdict = dev.haetae.moderation.core.policy.PolicyConfig.parse(
        "{\"policies\": {\"review-verdict\": {\"second_review\": \"flagged\"}}}");   // default: "always"
    ModerationEngine engine = ModerationEngine.builder().policyConfig(oneVerdict).logDirectory(logDir.resolve("b"))
        .build();
    // endregion
    try (engine) {
      engine.evaluate(ContentEvent.upload(ContentId.of("leak"), AccountId.of("abuser"), RoomId.of("den"),
          Surface.GROUP, dev.haetae.moderation.api.ContentKind.FILE, photo));
      Decision only = engine.evaluate(ReviewOutcome.ofContent(ContentId.of("leak"), Verdict.VIOLATING,
          Category.NCII));
      assertTrue(only.has(Action.BlockReupload.class), only.toString());
    }
  }

  @Test
  void runsTheAdversarialHarnessAgainstAConfiguration() {
    ReputationModel myModel = ReputationModel.builder().attachCredit(0.05).build();
    // region harness
    AdversarialHarness harness = AdversarialHarness.builder()
        .engine(b -> b.reputationModel(myModel))   // your model, policies, stores...
        .reviewsPerHour(60)                         // your moderators' pace
        .build();
    AttackResult result = harness.run(AttackFamily.QUEUE_FLOODING, 42);
    result.assertHeld();                            // fails with the property, seed, violations, measures
    // result.measures(): {flood_items=300.0, genuine_rank=2.0, victim_rank=1.0}
    // endregion
    assertTrue(result.measures().get("victim_rank") <= 10);
  }
}
