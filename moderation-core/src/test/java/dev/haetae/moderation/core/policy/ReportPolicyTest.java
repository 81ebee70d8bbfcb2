package dev.haetae.moderation.core.policy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.haetae.moderation.api.AccountId;
import dev.haetae.moderation.api.Action;
import dev.haetae.moderation.api.Category;
import dev.haetae.moderation.api.ContentId;
import dev.haetae.moderation.api.DecisionId;
import dev.haetae.moderation.api.Evidence;
import dev.haetae.moderation.api.Outcome;
import dev.haetae.moderation.api.Priority;
import dev.haetae.moderation.api.Reason;
import dev.haetae.moderation.api.ReporterId;
import dev.haetae.moderation.api.ReviewOutcome;
import dev.haetae.moderation.api.Signal;
import dev.haetae.moderation.api.Signal.ReportIntake.Misuse;
import dev.haetae.moderation.api.Target;
import dev.haetae.moderation.api.UserReport;
import dev.haetae.moderation.api.Verdict;
import java.time.Duration;
import java.time.Instant;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** The report policy's decision table, one row per test, read from typed signals only. */
class ReportPolicyTest {
  private static final Instant NOW = Instant.parse("2026-12-01T09:00:00Z");
  private static final Target C1 = Target.content(ContentId.of("c1"));
  private final ReportPolicy policy = new ReportPolicy();

  /** An intake with neutral values; tests change what their row is about. */
  private static final class In {
    Category category = Category.HARASSMENT;
    boolean firstParty;
    boolean duplicate;
    Misuse misuse = Misuse.NONE;
    int unfounded;
    boolean trusted;
    boolean young;
    boolean proven;
    boolean corroborated = true;
    Optional<Instant> recheckAt = Optional.empty();
    Optional<DecisionId> attachedTo = Optional.empty();
    Optional<Category> attachedCategory = Optional.empty();
    boolean escalates;
    boolean reflag;
    Set<Category> cleared = Set.of();
    boolean linked;
    boolean removed;
    boolean campaign;
    double weight = 1.0;
    boolean brigading;

    Signal.ReportIntake signal() {
      return new Signal.ReportIntake(C1, category, firstParty, duplicate, misuse,
          misuse == Misuse.SUSPENDED ? Optional.of(NOW.plus(Duration.ofDays(3))) : Optional.empty(), unfounded, 0.5,
          trusted, young, proven, corroborated, recheckAt, attachedTo, attachedCategory, false, escalates, reflag,
          cleared, linked, removed, 3, brigading ? 4 : 1, Set.of(), Optional.of(AccountId.of("owner")),
          campaign ? 5 : 1, campaign ? 8 : 1, campaign, 0.42);
    }

    Evidence evidence() {
      UserReport r = new UserReport(ReporterId.of("r1"), C1, category, Optional.empty(), firstParty);
      return new Evidence(NOW, r, List.of(new Signal.Reports(C1, category, 3, weight, trusted ? 1 : 0, 0.5, brigading,
          "m"), signal()), Map.of());
    }
  }

  private Outcome decide(In in) {
    return policy.evaluate(in.evidence());
  }

  private static String code(Outcome o) {
    return o.reasons().get(0).code();
  }

  private static Action.QueueForReview queue(Outcome o) {
    return o.actions().stream().filter(a -> a instanceof Action.QueueForReview).map(a -> (Action.QueueForReview) a)
        .findFirst().orElseThrow(() -> new AssertionError("no review in " + o));
  }

  private static boolean queues(Outcome o) {
    return o.actions().stream().anyMatch(a -> a instanceof Action.QueueForReview);
  }

  @Test
  void aSuspendedReportersSevereClaimIsStillQueuedLowTheRestOnlyRecorded() {
    In in = new In();
    in.misuse = Misuse.SUSPENDED;
    in.category = Category.NCII;
    Outcome severe = decide(in);
    assertEquals("reporter_suspended", code(severe));
    assertEquals(Priority.LOW, queue(severe).priority());
    assertEquals("suspended_reporter", queue(severe).lane());
    in.category = Category.SPAM;
    Outcome mild = decide(in);
    assertEquals(List.of(new Action.Allow()), mild.actions());
    assertEquals("reporter_suspended", code(mild));
  }

  @Test
  void aWarningIsToldOnTheNextReportWhichIsProcessedAsUsual() {
    In in = new In();
    in.misuse = Misuse.WARNING_NOTICE;
    in.unfounded = 5;
    Outcome o = decide(in);
    assertEquals("reporter_warning_notice", code(o));
    assertTrue(o.reasons().get(0).ground().get().citation().contains("Art. 23"));
    assertTrue(o.actions().stream().anyMatch(a -> a instanceof Action.NotifyUser));
    assertEquals("reports", queue(o).lane(), "and the report itself is queued as any other");
  }

  @Test
  void aFirstPartyClaimIsHeardInTheVictimLaneWhateverTheAccountsAge() {
    In in = new In();
    in.firstParty = true;
    in.category = Category.NCII;
    in.young = true;
    in.corroborated = false;
    in.weight = 0.1;
    Outcome o = decide(in);
    assertEquals(new Action.QueueForReview(Priority.URGENT, false, "victim", 0.42), queue(o));
    in.unfounded = 1;
    assertEquals(Priority.HIGH, queue(decide(in)).priority(), "high when their recent reports were rejected");
    in.unfounded = 0;
    in.attachedTo = Optional.of(DecisionId.of("d0"));
    assertEquals("victim", queue(decide(in)).lane(), "and moves an item already queued");
    in.category = Category.HARASSMENT;
    assertFalse(queues(decide(in)), "only NCII, sexual deepfakes and CSAM");
  }

  @Test
  void aClaimMoreSevereThanTheQueuedItemEscalatesOthersAttach() {
    In in = new In();
    in.attachedTo = Optional.of(DecisionId.of("d0"));
    in.attachedCategory = Optional.of(Category.SPAM);
    in.category = Category.NCII;
    in.escalates = true;
    Outcome o = decide(in);
    assertEquals("escalated", code(o));
    assertEquals(Priority.HIGH, queue(o).priority());
    in.escalates = false;
    Outcome attached = decide(in);
    assertEquals("attached", code(attached));
    assertFalse(queues(attached));
    assertTrue(attached.reasons().get(0).explanation().contains("d0"));
  }

  @Test
  void coordinationFoundLateFlagsTheQueuedItem() {
    In in = new In();
    in.attachedTo = Optional.of(DecisionId.of("d0"));
    in.reflag = true;
    in.campaign = true;
    Outcome o = decide(in);
    assertEquals("coordination_detected", code(o));
    assertTrue(queue(o).brigadingSuspected());
    assertEquals("campaign", queue(o).lane());
  }

  @Test
  void aClearedTargetIsReopenedOnlyBySomeoneIndependentOfTheRejectedWave() {
    In in = new In();
    in.cleared = EnumSet.of(Category.HARASSMENT);
    assertEquals("already_reviewed", code(decide(in)));
    in.proven = true;
    in.linked = true;
    Outcome linked = decide(in);
    assertEquals("already_reviewed", code(linked));
    assertTrue(linked.reasons().get(0).explanation().contains("acts with"), linked.toString());
    in.linked = false;
    assertEquals("reports", queue(decide(in)).lane(), "a proven, independent reporter reopens it");
    in.proven = false;
    in.trusted = true;
    assertEquals("trusted_flagger", queue(decide(in)).lane());
  }

  @Test
  void coordinatedReportsQueueOneFlaggedLowItem() {
    In in = new In();
    in.brigading = true;
    Outcome o = decide(in);
    assertEquals("suspected_brigading", code(o));
    assertEquals(new Action.QueueForReview(Priority.LOW, true, "brigading", 0.42), queue(o));
    in.brigading = false;
    in.campaign = true;
    in.category = Category.NCII;
    Outcome c = decide(in);
    assertEquals("suspected_campaign", code(c));
    assertEquals(new Action.QueueForReview(Priority.NORMAL, true, "campaign", 0.42), queue(c));
  }

  @Test
  void anUncorroboratedReportWaitsUntilItsRecheckThenQueuesLow() {
    In in = new In();
    in.corroborated = false;
    in.recheckAt = Optional.of(NOW.plusSeconds(60));
    Outcome waiting = decide(in);
    assertEquals("awaiting_corroboration", code(waiting));
    assertFalse(queues(waiting));
    in.recheckAt = Optional.of(NOW);
    Outcome due = decide(in);
    assertEquals("recheck", code(due));
    assertEquals(new Action.QueueForReview(Priority.LOW, false, "uncorroborated", 0.42), queue(due));
  }

  @Test
  void aReportBelowTheThresholdStillStatesAReason() {
    In in = new In();
    in.weight = 0.2;
    Outcome o = decide(in);
    assertEquals("below_threshold", code(o));
    assertFalse(queues(o));
  }

  @Test
  void misuseStepsRideOnTheReviewDecisionNeverOnAReport() {
    List<Signal.ReportResolution.MisuseFinding> findings = List.of(
        new Signal.ReportResolution.MisuseFinding(ReporterId.of("troll"), false, 5, 0.8,
            Signal.ReportResolution.Step.WARN),
        new Signal.ReportResolution.MisuseFinding(ReporterId.of("troll-2"), false, 5, 0.9,
            Signal.ReportResolution.Step.PROPOSE_SUSPENSION),
        new Signal.ReportResolution.MisuseFinding(ReporterId.of("centre"), true, 5, 0.6,
            Signal.ReportResolution.Step.ALERT_OPERATOR));
    ReviewOutcome review = ReviewOutcome.ofContent(ContentId.of("c1"), Verdict.NOT_VIOLATING, null);
    Outcome o = policy.evaluate(new Evidence(NOW, review, List.of(new Signal.ReportResolution(C1,
        Verdict.NOT_VIOLATING, EnumSet.allOf(Category.class), 0, 3, 0, findings)), Map.of()));
    assertEquals(List.of("reporter_warning", "reporter_suspension_proposed", "trusted_flagger_precision"),
        o.reasons().stream().map(Reason::code).toList());
    assertTrue(o.reasons().get(2).ground().get().citation().contains("22(6)"));
    assertTrue(o.actions().stream().anyMatch(a -> a instanceof Action.QueueForReview
        && ((Action.QueueForReview) a).lane().equals("report_misuse")));
    assertTrue(o.actions().stream().noneMatch(a -> a instanceof Action.SuspendAccount));
    assertTrue(policy.evaluate(new Evidence(NOW, review, List.of(), Map.of())).reasons().isEmpty());
  }

  @Test
  void everyReportDecisionStatesAReason() {
    Random r = new Random(1616);
    for (int i = 0; i < 5000; i++) {
      In in = new In();
      in.category = Category.values()[r.nextInt(Category.values().length)];
      in.firstParty = r.nextBoolean();
      in.duplicate = r.nextBoolean();
      in.misuse = Misuse.values()[r.nextInt(Misuse.values().length)];
      in.unfounded = r.nextInt(3);
      in.trusted = r.nextInt(5) == 0;
      in.young = r.nextBoolean();
      in.proven = r.nextBoolean();
      in.corroborated = r.nextBoolean();
      in.recheckAt = r.nextBoolean() ? Optional.of(NOW.plusSeconds(r.nextInt(120) - 60)) : Optional.empty();
      in.attachedTo = r.nextBoolean() ? Optional.of(DecisionId.of("d0")) : Optional.empty();
      in.escalates = r.nextBoolean();
      in.reflag = r.nextBoolean();
      in.cleared = r.nextBoolean() ? EnumSet.of(Category.SPAM) : Set.of();
      in.linked = r.nextBoolean();
      in.removed = r.nextInt(4) == 0;
      in.campaign = r.nextBoolean();
      in.brigading = r.nextBoolean();
      in.weight = r.nextDouble() * 2;
      Outcome o = decide(in);
      assertFalse(o.reasons().isEmpty(), "case " + i + " (seed 1616): " + in.signal());
      for (Action a : o.actions()) {
        assertFalse(a.restrictive() && !(a instanceof Action.NotifyUser),
            "reports alone never restrict: " + o + " for " + in.signal());
      }
    }
  }
}
