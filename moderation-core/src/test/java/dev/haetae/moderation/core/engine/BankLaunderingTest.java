package dev.haetae.moderation.core.engine;

import static dev.haetae.moderation.core.engine.Fixtures.T0;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.haetae.moderation.api.AccountId;
import dev.haetae.moderation.api.Action;
import dev.haetae.moderation.api.Category;
import dev.haetae.moderation.api.ContentId;
import dev.haetae.moderation.api.Decision;
import dev.haetae.moderation.api.MatchType;
import dev.haetae.moderation.api.ReporterId;
import dev.haetae.moderation.api.ReviewOutcome;
import dev.haetae.moderation.api.Signal;
import dev.haetae.moderation.api.Target;
import dev.haetae.moderation.api.UserReport;
import dev.haetae.moderation.api.Verdict;
import dev.haetae.moderation.core.audit.LogEvent;
import dev.haetae.moderation.core.hash.EntryInfo;
import dev.haetae.moderation.core.policy.PolicyPack;
import dev.haetae.moderation.core.reputation.ReputationModel;
import dev.haetae.moderation.core.simulate.SettableClock;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;

/**
 * The platform bank cannot be turned against the owner of innocent images: an entry keeps its own
 * category and reason, a review banks only media harms, and a verdict or a bank match out of a
 * flagged wave waits for a second reviewer; a genuine victim's NCII is still banked and its re-shares
 * removed at once.
 */
class BankLaunderingTest {
  private static final String PHOTO = "5a3c96e1f00d4b2a9d8e7f6a5b4c3d2e1f0a9b8c7d6e5f4a3b2c1d0e9f8a7b6c";
  private static final String OTHER = "c3a5961ef0d0b4a2d9e8f7a6b5c4d3e2f1a0b9c8d7e6f5a4b3c2d1e0f9a8b7c6";
  private static final String CSAM = "0f1e2d3c4b5a69788796a5b4c3d2e1f00112233445566778899aabbccddeeff0";

  private final SettableClock clock = new SettableClock(T0);
  private final RecordingLog log = new RecordingLog(new CopyOnWriteArrayList<>());

  private ModerationEngine engine(ReputationModel model) {
    return ModerationEngine.builder().clock(clock).reputationModel(model).policyIsolation(PolicyIsolation.INLINE)
        .decisionLog(log).build();
  }

  /** The signals of a type the decision's logged evidence holds. */
  private <S extends Signal> List<S> signals(Decision d, Class<S> type) {
    for (RecordingLog.Entry x : log.entries) {
      if (x.decision().id().equals(d.id())) {
        return x.evidence().signals(type);
      }
    }
    throw new AssertionError("not logged: " + d.id());
  }

  private ModerationEngine engine() {
    return engine(ReputationModel.defaults());
  }

  private static Optional<EntryInfo> entry(ModerationEngine e, String pdq) {
    return e.banks().find(ModerationEngine.PLATFORM_BANK).flatMap(b -> b.entry(MatchType.PDQ, pdq));
  }

  private static ReviewOutcome verdict(String content, Verdict v, Category c) {
    return ReviewOutcome.ofContent(ContentId.of(content), v, c);
  }

  private int strikes(ModerationEngine e, String account) {
    return e.strikes().live(AccountId.of(account), clock.instant());
  }

  @Test
  void aVictimsNciiConfirmedByTwoReviewersIsBankedAndItsResharesRemovedAtOnce() {
    try (ModerationEngine e = engine()) {
      e.evaluate(Fixtures.upload("leak", "abuser", "room", PHOTO));
      clock.advance(Duration.ofMinutes(5));
      Decision report = e.evaluate(UserReport.firstParty(ReporterId.of("victim"), Target.content(ContentId.of("leak")),
          Category.NCII));
      assertTrue(report.has(Action.QueueForReview.class), report.toString());
      clock.advance(Duration.ofMinutes(5));
      Decision first = e.evaluate(verdict("leak", Verdict.VIOLATING, Category.NCII));
      assertTrue(first.has(Action.Remove.class), "her reported copy is removed at once: " + first);
      assertEquals(PolicyPack.SECOND_REVIEW_LANE, first.action(Action.QueueForReview.class).orElseThrow().lane(),
          "four eyes before the bank: " + first);
      assertTrue(entry(e, PHOTO).isEmpty());
      clock.advance(Duration.ofMinutes(5));
      Decision v = e.evaluate(verdict("leak", Verdict.VIOLATING, Category.NCII));
      assertTrue(v.has(Action.BlockReupload.class), v.toString());
      assertFalse(v.action(Action.QueueForReview.class).isPresent(), "no third review: " + v);
      assertEquals(1, strikes(e, "abuser"), "the strike lands with the second verdict");
      EntryInfo banked = entry(e, PHOTO).orElseThrow();
      assertEquals(Category.NCII, banked.category());
      assertTrue(banked.reason().orElseThrow().contains("verdict violating ncii")
          && banked.reason().get().contains(v.id().value()), banked.toString());

      clock.advance(Duration.ofMinutes(5));
      Decision reshare = e.evaluate(Fixtures.upload("reshare", "forwarder", "room2", PHOTO));
      assertTrue(reshare.has(Action.Remove.class), reshare.toString());
      assertFalse(reshare.has(Action.QueueForReview.class), "removed at once, not queued: " + reshare);
      assertEquals(Category.NCII, signals(reshare, Signal.HashMatch.class).get(0).category());
    }
  }

  @Test
  void aDoxxingVerdictRemovesTheUploadButDoesNotBankTheImage() {
    try (ModerationEngine e = engine()) {
      e.evaluate(Fixtures.upload("copy", "ring", "den", PHOTO));
      Decision v = e.evaluate(verdict("copy", Verdict.VIOLATING, Category.DOXXING));
      assertTrue(v.has(Action.Remove.class), v.toString());
      assertFalse(v.has(Action.BlockReupload.class), v.toString());
      assertEquals(1, strikes(e, "ring"), "the uploader of the doxxing copy is struck");
      assertTrue(entry(e, PHOTO).isEmpty(), "the image is not banked");
      Decision original = e.evaluate(Fixtures.upload("original", "journalist", "news", PHOTO));
      assertFalse(original.restrictive(), original.toString());
    }
  }

  @Test
  void aMatchClaimsItsOwnEntrysCategoryNotTheBanksFirst() {
    try (ModerationEngine e = engine()) {
      e.evaluate(Fixtures.upload("abuse", "offender", "den", CSAM));
      e.evaluate(verdict("abuse", Verdict.VIOLATING, Category.CSAM)); // the platform bank's first entry
      e.evaluate(verdict("abuse", Verdict.VIOLATING, Category.CSAM)); // a second reviewer: banked
      e.evaluate(Fixtures.upload("nude", "abuser", "room", PHOTO));
      e.evaluate(verdict("nude", Verdict.VIOLATING, Category.NCII));
      e.evaluate(verdict("nude", Verdict.VIOLATING, Category.NCII)); // a second reviewer: banked
      assertEquals(Category.CSAM, entry(e, CSAM).orElseThrow().category());
      assertEquals(Category.NCII, entry(e, PHOTO).orElseThrow().category());

      Decision reshare = e.evaluate(Fixtures.upload("reshare", "forwarder", "room2", PHOTO));
      assertTrue(reshare.has(Action.Remove.class), reshare.toString());
      assertFalse(reshare.has(Action.ReportToAuthority.class), "an NCII entry is not reported as CSAM: " + reshare);
      assertEquals(List.of(Category.NCII), signals(reshare, Signal.HashMatch.class).stream()
          .map(Signal.HashMatch::category).distinct().toList());
      Decision csamCopy = e.evaluate(Fixtures.upload("csam-copy", "other", "den2", CSAM));
      assertTrue(csamCopy.has(Action.ReportToAuthority.class), "a CSAM entry still reports: " + csamCopy);
    }
  }

  @Test
  void aHostsLoggedAddKeepsTheChangesCategoryAndReason() {
    try (ModerationEngine e = engine()) {
      e.evaluate(Fixtures.upload("abuse", "offender", "den", CSAM));
      e.evaluate(verdict("abuse", Verdict.VIOLATING, Category.CSAM));
      e.evaluate(verdict("abuse", Verdict.VIOLATING, Category.CSAM)); // a second reviewer: banked
      e.changeBanks("host", List.of(new LogEvent.BankEntryChange("add", ModerationEngine.PLATFORM_BANK, "pdq", OTHER,
          Category.TERRORISM, "a moderator's addition, ticket 7")));
      EntryInfo info = entry(e, OTHER).orElseThrow();
      assertEquals(Category.TERRORISM, info.category());
      assertEquals(Optional.of("a moderator's addition, ticket 7"), info.reason());
      Decision d = e.evaluate(Fixtures.upload("post", "u9", "r9", OTHER));
      assertFalse(d.has(Action.ReportToAuthority.class), d.toString());
      assertEquals(Category.TERRORISM, signals(d, Signal.HashMatch.class).get(0).category());
    }
  }

  /** A model whose campaign check fires on two targets and two reporters, so a small test can raise it. */
  private static ReputationModel quickCampaigns() {
    return ReputationModel.builder().campaign(2, 2, Duration.ofHours(72)).build();
  }

  /** The journalist's two photos, each reported as NCII by a young account: a campaign against her. */
  private void campaign(ModerationEngine e) {
    campaign(e, true);
  }

  /** As {@link #campaign(ModerationEngine)}; {@code check} reads the flag from the recording log. */
  private void campaign(ModerationEngine e, boolean check) {
    e.evaluate(Fixtures.upload("press-1", "journalist", "news", PHOTO));
    e.evaluate(Fixtures.upload("press-2", "journalist", "news", OTHER));
    clock.advance(Duration.ofMinutes(10));
    e.evaluate(UserReport.of(ReporterId.of("t1"), Target.content(ContentId.of("press-1")), Category.NCII));
    clock.advance(Duration.ofMinutes(3));
    Decision second = e.evaluate(UserReport.of(ReporterId.of("t2"), Target.content(ContentId.of("press-2")),
        Category.NCII));
    assertTrue(!check || signals(second, Signal.ReportIntake.class).get(0).campaign(),
        "the setup raises a campaign flag");
    clock.advance(Duration.ofMinutes(30));
  }

  @Test
  void aVerdictOnReportsOutOfAFlaggedCampaignWaitsForASecondReviewerToStrikeOrBank() {
    try (ModerationEngine e = engine(quickCampaigns())) {
      campaign(e);
      Decision first = e.evaluate(verdict("press-1", Verdict.VIOLATING, Category.NCII));
      assertTrue(signals(first, Signal.ReportResolution.class).get(0).coordinated(), first.toString());
      assertTrue(first.has(Action.Remove.class), "a person looked: " + first);
      assertFalse(first.has(Action.BlockReupload.class), first.toString());
      assertEquals(PolicyPack.SECOND_REVIEW_LANE, first.action(Action.QueueForReview.class).orElseThrow().lane());
      assertEquals(0, strikes(e, "journalist"), "no strike before the second reviewer");
      assertTrue(entry(e, PHOTO).isEmpty(), "not banked before the second reviewer");

      clock.advance(Duration.ofMinutes(20));
      Decision cleared = e.evaluate(verdict("press-1", Verdict.NOT_VIOLATING, Category.NCII));
      assertFalse(cleared.restrictive(), cleared.toString());
      assertEquals(0, strikes(e, "journalist"), "the second reviewer cleared it: the deferred strike is dropped");
      assertTrue(entry(e, PHOTO).isEmpty());
      Decision reshare = e.evaluate(Fixtures.upload("reshare", "reader", "readers", PHOTO));
      assertFalse(reshare.restrictive(), reshare.toString());
    }
  }

  @Test
  void theFirstReviewerCannotGiveTheSecondReview() {
    try (ModerationEngine e = engine(quickCampaigns())) {
      campaign(e);
      Decision first = e.evaluate(verdict("press-1", Verdict.VIOLATING, Category.NCII).by("mod-a"));
      assertEquals(PolicyPack.SECOND_REVIEW_LANE, first.action(Action.QueueForReview.class).orElseThrow().lane());
      int logged = log.entries.size();
      clock.advance(Duration.ofMinutes(20));
      dev.haetae.moderation.api.InvalidRequestException refused = org.junit.jupiter.api.Assertions.assertThrows(
          dev.haetae.moderation.api.InvalidRequestException.class,
          () -> e.evaluate(verdict("press-1", Verdict.VIOLATING, Category.NCII).by("mod-a")));
      assertTrue(refused.getMessage().contains("review.reviewer") && refused.getMessage().contains(first.id().value()),
          refused.getMessage());
      assertEquals(logged, log.entries.size(), "a refused verdict is not logged");
      assertEquals(0, strikes(e, "journalist"), "and changes nothing");
      assertTrue(entry(e, PHOTO).isEmpty());

      Decision second = e.evaluate(verdict("press-1", Verdict.VIOLATING, Category.NCII).by("mod-b"));
      assertTrue(second.has(Action.BlockReupload.class), second.toString());
      assertEquals(1, strikes(e, "journalist"), "another reviewer's confirmation strikes");
      // answered: the item no longer waits for a second reviewer, so mod-a may review it again (not
      // refused; as any first verdict that would bank, it asks a second reviewer)
      Decision again = e.evaluate(verdict("press-1", Verdict.VIOLATING, Category.NCII).by("mod-a"));
      assertTrue(again.has(Action.Remove.class), again.toString());
      assertEquals(1, strikes(e, "journalist"), "strikes are per content");
    }
  }

  @Test
  void aReviewerIdIsLoggedAsAPseudonym(@org.junit.jupiter.api.io.TempDir java.nio.file.Path dir) {
    try (ModerationEngine e = ModerationEngine.builder().clock(clock).logDirectory(dir)
        .policyIsolation(PolicyIsolation.INLINE).build()) {
      e.evaluate(Fixtures.upload("leak", "abuser", "room", PHOTO));
      e.evaluate(verdict("leak", Verdict.VIOLATING, Category.NCII).by("moderator-4711"));
    }
    java.util.List<ReviewOutcome> reviews = new java.util.ArrayList<>();
    dev.haetae.moderation.core.audit.AuditLog.open(dir).forEach(dev.haetae.moderation.core.audit.ProgressListener.NONE,
        r -> {
          if (r.evidence().request() instanceof ReviewOutcome) {
            reviews.add((ReviewOutcome) r.evidence().request());
          }
        });
    assertEquals(1, reviews.size());
    String logged = reviews.get(0).reviewer().orElseThrow();
    assertFalse(logged.contains("4711"), "pseudonymized: " + logged);
    assertTrue(dev.haetae.moderation.core.audit.Replayer.of(PolicyPack.defaults())
        .replay(dev.haetae.moderation.core.audit.AuditLog.open(dir),
            dev.haetae.moderation.core.audit.ProgressListener.NONE).allIdentical());
  }

  @Test
  void aSecondNotViolatingRestoresWhatTheFirstVerdictRemoved(@org.junit.jupiter.api.io.TempDir java.nio.file.Path dir) {
    Decision first;
    Decision cleared;
    Stores stores = Stores.inMemory();
    dev.haetae.moderation.api.spi.EngineMemory mem = stores.memory();
    try (ModerationEngine e = ModerationEngine.builder().clock(clock).reputationModel(quickCampaigns())
        .policyIsolation(PolicyIsolation.INLINE).logDirectory(dir).stores(stores).build()) {
      campaign(e, false);
      first = e.evaluate(verdict("press-1", Verdict.VIOLATING, Category.NCII).by("mod-a"));
      assertTrue(first.has(Action.Remove.class), first.toString());
      assertTrue(mem.content(ContentId.of("press-1")).isRemoved());
      clock.advance(Duration.ofMinutes(20));
      cleared = e.evaluate(verdict("press-1", Verdict.NOT_VIOLATING, Category.NCII).by("mod-b"));
      assertEquals(Optional.of(new Action.Reinstate(first.id())), cleared.action(Action.Reinstate.class),
          "the executor restores the content: " + cleared);
      assertTrue(cleared.reasons().stream().anyMatch(r -> r.code().equals("second_review_cleared")), cleared.toString());
      assertFalse(mem.content(ContentId.of("press-1")).isRemoved(), "the engine no longer holds it removed");
      assertFalse(mem.content(ContentId.of("press-1")).strikeDeferred(), "the deferred strike is dropped");
      assertEquals(0, strikes(e, "journalist"));
      assertTrue(entry(e, PHOTO).isEmpty(), "nothing banked");
      Decision later = e.evaluate(verdict("press-1", Verdict.NOT_VIOLATING, Category.NCII).by("mod-c"));
      assertFalse(later.has(Action.Reinstate.class), "restored once: " + later);
    }
    java.util.List<Signal.KnownContent> known = new java.util.ArrayList<>();
    dev.haetae.moderation.core.audit.AuditLog.open(dir).forEach(dev.haetae.moderation.core.audit.ProgressListener.NONE,
        r -> {
          if (r.decision().id().equals(cleared.id())) {
            known.addAll(r.evidence().signals(Signal.KnownContent.class));
          }
        });
    assertEquals(Optional.of(first.id()), known.get(0).secondReviewOf(), "the first decision is in the logged evidence");
    dev.haetae.moderation.core.audit.ReplayReport rep = dev.haetae.moderation.core.audit.Replayer.of(
        PolicyPack.defaults()).replay(dev.haetae.moderation.core.audit.AuditLog.open(dir),
        dev.haetae.moderation.core.audit.ProgressListener.NONE);
    assertTrue(rep.allIdentical(), rep.findings().isEmpty() ? rep.toString() : rep.findings().get(0).toString());
  }

  @Test
  void aSecondReviewersConfirmationStrikesAndBanks() {
    try (ModerationEngine e = engine(quickCampaigns())) {
      campaign(e);
      e.evaluate(verdict("press-1", Verdict.VIOLATING, Category.NCII));
      clock.advance(Duration.ofMinutes(20));
      Decision confirmed = e.evaluate(verdict("press-1", Verdict.VIOLATING, Category.NCII));
      assertFalse(signals(confirmed, Signal.ReportResolution.class).get(0).coordinated(), confirmed.toString());
      assertTrue(confirmed.has(Action.BlockReupload.class), confirmed.toString());
      assertEquals(1, strikes(e, "journalist"), "the deferred strike lands with the second verdict");
      assertEquals(Category.NCII, entry(e, PHOTO).orElseThrow().category());
    }
  }

  @Test
  void aPlatformBankMatchReachedThroughAFlaggedReportOnlyBlursAndQueuesASecondReview() {
    try (ModerationEngine e = engine(quickCampaigns())) {
      // a rightful NCII entry, banked outside any campaign
      e.evaluate(Fixtures.upload("leak", "abuser", "room", PHOTO));
      e.evaluate(verdict("leak", Verdict.VIOLATING, Category.NCII));
      e.evaluate(verdict("leak", Verdict.VIOLATING, Category.NCII)); // a second reviewer: banked
      assertTrue(entry(e, PHOTO).isPresent());
      // an older copy of the same image and another post of its owner, reported by a campaign
      e.banks().bank(ModerationEngine.PLATFORM_BANK).withdraw(MatchType.PDQ, PHOTO);
      e.evaluate(Fixtures.upload("older", "owner", "news", PHOTO)); // a copy uploaded while no entry held it
      e.evaluate(Fixtures.upload("post", "owner", "news", OTHER));
      e.banks().add(ModerationEngine.PLATFORM_BANK, Category.NCII, MatchType.PDQ, PHOTO, "restored for the test");
      clock.advance(Duration.ofMinutes(10));
      e.evaluate(UserReport.of(ReporterId.of("t1"), Target.content(ContentId.of("post")), Category.NCII));
      clock.advance(Duration.ofMinutes(3));
      Decision flagged = e.evaluate(UserReport.of(ReporterId.of("t2"), Target.content(ContentId.of("older")),
          Category.NCII));
      assertTrue(signals(flagged, Signal.ReportIntake.class).get(0).campaign(), flagged.toString());
      assertFalse(flagged.has(Action.Remove.class), flagged.toString());
      assertTrue(flagged.has(Action.Blur.class), flagged.toString());
      assertEquals(PolicyPack.SECOND_REVIEW_LANE, flagged.action(Action.QueueForReview.class).orElseThrow().lane());
      assertEquals(0, strikes(e, "owner"), "no strike on a report");
      assertFalse(flagged.has(Action.ReportToAuthority.class), flagged.toString());
    }
  }
}
