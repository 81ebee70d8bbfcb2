package dev.haetae.moderation.core.engine;

import static dev.haetae.moderation.core.engine.Fixtures.T0;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.haetae.moderation.api.AccountId;
import dev.haetae.moderation.api.Action;
import dev.haetae.moderation.api.Category;
import dev.haetae.moderation.api.ContentId;
import dev.haetae.moderation.api.Decision;
import dev.haetae.moderation.api.InvalidRequestException;
import dev.haetae.moderation.api.MatchType;
import dev.haetae.moderation.api.Priority;
import dev.haetae.moderation.api.ReporterId;
import dev.haetae.moderation.api.ReviewOutcome;
import dev.haetae.moderation.api.Target;
import dev.haetae.moderation.api.UserReport;
import dev.haetae.moderation.api.Verdict;
import dev.haetae.moderation.core.audit.AuditLog;
import dev.haetae.moderation.core.audit.ProgressListener;
import dev.haetae.moderation.core.audit.ReplayReport;
import dev.haetae.moderation.core.audit.Replayer;
import dev.haetae.moderation.core.hash.EntryInfo;
import dev.haetae.moderation.core.policy.PolicyConfig;
import dev.haetae.moderation.core.policy.PolicyConfigException;
import dev.haetae.moderation.core.policy.PolicyPack;
import dev.haetae.moderation.core.simulate.SettableClock;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Four eyes before the platform bank ({@code review-verdict@5}): one person's violating verdict on a
 * media harm, outside any flagged wave, removes the reviewed copy but banks, strikes and reports
 * nothing until a second, independent reviewer confirms; a host that accepts one verdict configures
 * {@code second_review: flagged} (version 4's behaviour).
 */
class FourEyesBankingTest {
  private static final String PHOTO = "5a3c96e1f00d4b2a9d8e7f6a5b4c3d2e1f0a9b8c7d6e5f4a3b2c1d0e9f8a7b6c";
  private static final String CSAM = "0f1e2d3c4b5a69788796a5b4c3d2e1f00112233445566778899aabbccddeeff0";

  private final SettableClock clock = new SettableClock(T0);

  private ModerationEngine engine(Path dir) {
    return ModerationEngine.builder().clock(clock).policyIsolation(PolicyIsolation.INLINE).logDirectory(dir).build();
  }

  private static Optional<EntryInfo> entry(ModerationEngine e, String pdq) {
    return e.banks().find(ModerationEngine.PLATFORM_BANK).flatMap(b -> b.entry(MatchType.PDQ, pdq));
  }

  private static ReviewOutcome verdict(String content, Verdict v, Category c, String reviewer) {
    return ReviewOutcome.ofContent(ContentId.of(content), v, c).by(reviewer);
  }

  private int strikes(ModerationEngine e, String account) {
    return e.strikes().live(AccountId.of(account), clock.instant());
  }

  private static void replaysIdentically(Path dir) {
    ReplayReport rep = Replayer.of(PolicyPack.defaults()).replay(AuditLog.open(dir), ProgressListener.NONE);
    assertTrue(rep.allIdentical(), rep.findings().isEmpty() ? rep.toString() : rep.findings().get(0).toString());
  }

  @Test
  void oneVerdictOutsideAnyWaveRemovesTheCopyButOnlyASecondReviewerBanksAndStrikes(@TempDir Path dir) {
    try (ModerationEngine e = engine(dir)) {
      e.evaluate(Fixtures.upload("c-ring-1", "a-ring-1", "den", PHOTO));
      clock.advance(Duration.ofMinutes(5));
      e.evaluate(UserReport.of(ReporterId.of("a-str-6"), Target.content(ContentId.of("c-ring-1")), Category.NCII));
      clock.advance(Duration.ofMinutes(5));
      Decision first = e.evaluate(verdict("c-ring-1", Verdict.VIOLATING, Category.NCII, "mod-a"));
      assertTrue(first.has(Action.Remove.class) && first.has(Action.NotifyUser.class), "a person looked: " + first);
      assertFalse(first.has(Action.BlockReupload.class), first.toString());
      Action.QueueForReview q = first.action(Action.QueueForReview.class).orElseThrow();
      assertEquals(PolicyPack.SECOND_REVIEW_LANE, q.lane());
      assertTrue(first.reasons().stream().anyMatch(r -> r.code().equals("review_violating_second_review")
          && r.explanation().contains("one person's verdict does not bank content")), first.toString());
      assertTrue(entry(e, PHOTO).isEmpty(), "not banked on one verdict");
      assertEquals(0, strikes(e, "a-ring-1"), "not struck on one verdict");
      Decision meanwhile = e.evaluate(Fixtures.upload("c-reader-1", "a-read-3", "readers", PHOTO));
      assertFalse(meanwhile.restrictive(), "a copy uploaded meanwhile stays up (the defence's cost): " + meanwhile);

      clock.advance(Duration.ofMinutes(30));
      InvalidRequestException refused = assertThrows(InvalidRequestException.class,
          () -> e.evaluate(verdict("c-ring-1", Verdict.VIOLATING, Category.NCII, "mod-a")));
      assertTrue(refused.getMessage().contains("review.reviewer"), refused.getMessage());
      Decision second = e.evaluate(verdict("c-ring-1", Verdict.VIOLATING, Category.NCII, "mod-b"));
      assertTrue(second.has(Action.BlockReupload.class), second.toString());
      assertFalse(second.has(Action.QueueForReview.class), "the second verdict asks no third: " + second);
      assertEquals(Category.NCII, entry(e, PHOTO).orElseThrow().category());
      assertTrue(entry(e, PHOTO).get().reason().orElseThrow().contains(second.id().value()));
      assertEquals(1, strikes(e, "a-ring-1"), "the deferred strike lands with the second verdict");
      Decision later = e.evaluate(Fixtures.upload("c-forward-2", "a-fwd-4", "room2", PHOTO));
      assertTrue(later.has(Action.Remove.class), "removed on sight once banked: " + later);
    }
    replaysIdentically(dir);
  }

  @Test
  void confirmedCsamIsReportedOnlyOnTheSecondReviewersWord(@TempDir Path dir) {
    try (ModerationEngine e = engine(dir)) {
      e.evaluate(Fixtures.upload("c-den-7", "a-off-2", "den", CSAM));
      Decision first = e.evaluate(verdict("c-den-7", Verdict.VIOLATING, Category.CSAM, "mod-a"));
      assertTrue(first.has(Action.Remove.class) && first.has(Action.PreserveEvidence.class), first.toString());
      assertFalse(first.has(Action.ReportToAuthority.class), first.toString());
      assertFalse(first.has(Action.NotifyUser.class), "no tip-off: " + first);
      assertEquals(Priority.URGENT, first.action(Action.QueueForReview.class).orElseThrow().priority());
      assertTrue(entry(e, CSAM).isEmpty());
      clock.advance(Duration.ofMinutes(15));
      Decision second = e.evaluate(verdict("c-den-7", Verdict.VIOLATING, Category.CSAM, "mod-b"));
      assertTrue(second.has(Action.ReportToAuthority.class) && second.has(Action.BlockReupload.class),
          second.toString());
      assertEquals(Category.CSAM, entry(e, CSAM).orElseThrow().category());
    }
    replaysIdentically(dir);
  }

  @Test
  void aVerdictOnContentAlreadyRemovedStillWaitsForASecondReviewer(@TempDir Path dir) {
    try (ModerationEngine e = engine(dir)) {
      e.evaluate(Fixtures.upload("c-ring-1", "a-ring-1", "den", PHOTO));
      // removed for doxxing first (the caption): struck, nothing banked, no second review
      Decision doxxing = e.evaluate(verdict("c-ring-1", Verdict.VIOLATING, Category.DOXXING, "mod-c"));
      assertTrue(doxxing.has(Action.Remove.class) && !doxxing.has(Action.QueueForReview.class), doxxing.toString());
      assertEquals(1, strikes(e, "a-ring-1"));
      // then judged NCII while removed: the first verdict on a media harm is still remembered as such
      Decision first = e.evaluate(verdict("c-ring-1", Verdict.VIOLATING, Category.NCII, "mod-a"));
      assertEquals(PolicyPack.SECOND_REVIEW_LANE, first.action(Action.QueueForReview.class).orElseThrow().lane());
      assertTrue(entry(e, PHOTO).isEmpty());
      assertThrows(InvalidRequestException.class,
          () -> e.evaluate(verdict("c-ring-1", Verdict.VIOLATING, Category.NCII, "mod-a")));
      Decision second = e.evaluate(verdict("c-ring-1", Verdict.VIOLATING, Category.NCII, "mod-b"));
      assertTrue(second.has(Action.BlockReupload.class), "answered by another reviewer: banked " + second);
      assertEquals(Category.NCII, entry(e, PHOTO).orElseThrow().category());
      assertEquals(1, strikes(e, "a-ring-1"), "strikes are per content: not doubled");
    }
    replaysIdentically(dir);
  }

  @Test
  void aHostMayKeepVersionFoursOneVerdictBanking(@TempDir Path dir) {
    PolicyConfig flagged = PolicyConfig.parse("{\"policies\": {\"review-verdict\": {\"second_review\": \"flagged\"}}}");
    try (ModerationEngine e = ModerationEngine.builder().clock(clock).policyIsolation(PolicyIsolation.INLINE)
        .logDirectory(dir).policyConfig(flagged).build()) {
      e.evaluate(Fixtures.upload("c-leak-3", "a-abu-5", "room", PHOTO));
      Decision v = e.evaluate(verdict("c-leak-3", Verdict.VIOLATING, Category.NCII, "mod-a"));
      assertTrue(v.has(Action.BlockReupload.class), v.toString());
      assertFalse(v.has(Action.QueueForReview.class), v.toString());
      assertEquals(1, strikes(e, "a-abu-5"));
      assertTrue(entry(e, PHOTO).isPresent());
    }
    ReplayReport rep = Replayer.of(flagged.builtIn()).replay(AuditLog.open(dir), ProgressListener.NONE);
    assertTrue(rep.allIdentical(), rep.toString());
  }

  @Test
  void aSecondReviewSettingOtherThanTheTwoKnownIsRefusedByName() {
    List<String> bad = new ArrayList<>(List.of("\"never\"", "\"\"", "true", "1", "[]", "{}", "\"ALWAYS\""));
    for (String v : bad) {
      PolicyConfigException x = assertThrows(PolicyConfigException.class,
          () -> PolicyConfig.parse("{\"policies\": {\"review-verdict\": {\"second_review\": " + v + "}}}"), v);
      assertTrue(x.path().endsWith("review-verdict.second_review"), x.path());
    }
    assertEquals("5", PolicyConfig.parse("{\"policies\": {\"review-verdict\": {\"second_review\": \"always\"}}}")
        .builtIn().stream().filter(p -> p.id().name().equals("review-verdict")).findFirst().orElseThrow().id()
        .version());
  }
}
