package dev.haetae.moderation.testkit.adversarial;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.haetae.moderation.api.Category;
import dev.haetae.moderation.api.ContentId;
import dev.haetae.moderation.api.DecisionId;
import dev.haetae.moderation.api.ReporterId;
import dev.haetae.moderation.api.ReporterSanction;
import dev.haetae.moderation.api.ReviewOutcome;
import dev.haetae.moderation.api.Target;
import dev.haetae.moderation.api.Verdict;
import dev.haetae.moderation.api.spi.ReporterRecord;
import dev.haetae.moderation.core.store.InMemoryReputationStore;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * The property every family shares: no suspension without a logged person's confirmation. The
 * guard catches a change that no confirmation logged; a reporter who keeps reporting wrongly is
 * proposed, confirmed by the harness's moderator as a logged request, and suspended only then.
 */
class ConfirmationGuardTest {
  private static final Instant T0 = World.T0;
  private static final ReporterId R = ReporterId.of("r");

  private static ReporterRecord suspended(ReporterRecord r, Instant until) {
    return new ReporterRecord(r.reporter(), r.accountCreated(), r.trustedFlagger(), r.confirmed(), r.rejected(),
        r.updatedAt(), r.warnings(), Optional.of(until), r.rooms(), r.unfounded(), r.warnedAt(), r.reported(),
        r.received(), r.applied(), r.sanction());
  }

  @Test
  void aSuspensionThatNoLoggedConfirmationAppliesIsAViolation() {
    ConfirmationGuard g = new ConfirmationGuard(new InMemoryReputationStore());
    g.logged(new ReviewOutcome(Target.content(ContentId.of("c")), Verdict.NOT_VIOLATING, Optional.empty(),
        Optional.empty()));
    g.updateReporter(R, T0, r -> suspended(r, T0.plus(Duration.ofDays(14))));
    assertEquals(1, g.violations.size(), g.violations.toString());
    assertTrue(g.violations.get(0).contains("without a logged confirmation"), g.violations.get(0));

    // lifting it early without an upheld appeal is one too; a confirmation for someone else does not count
    g.logged(ReporterSanction.by("mod", ReporterSanction.Step.CONFIRM, ReporterId.of("other"), DecisionId.of("p")));
    g.updateReporter(R, T0.plusSeconds(1), r -> r.withSanction(Optional.empty()));
    assertEquals(1, g.violations.size(), "no change to the suspension: " + g.violations);
    g.updateReporter(R, T0.plusSeconds(2), r -> suspended(r, T0.plusSeconds(3)));
    assertEquals(2, g.violations.size(), g.violations.toString());

    // the logged steps themselves are no violation
    ConfirmationGuard ok = new ConfirmationGuard(new InMemoryReputationStore());
    ok.logged(ReporterSanction.by("mod", ReporterSanction.Step.CONFIRM, R, DecisionId.of("p")));
    ok.updateReporter(R, T0, r -> suspended(r, T0.plus(Duration.ofDays(14))));
    ok.logged(ReporterSanction.by("mod", ReporterSanction.Step.UPHOLD, R, DecisionId.of("c")));
    ok.updateReporter(R, T0.plusSeconds(1), r -> suspended(r, T0.plusSeconds(1)));
    assertTrue(ok.violations.isEmpty(), ok.violations.toString());
  }

  @Test
  void theModeratorAnswersAProposalAsALoggedRequestAndOnlyThatSuspends() {
    try (World w = new World(7, 1, 3600, b -> { })) {
      w.account("troll", T0.minus(Duration.ofDays(300)), false);
      w.account("owner", T0.minus(Duration.ofDays(300)), false);
      for (int i = 0; i < 30 && w.confirmed == 0; i++) {
        ContentId c = w.post("post-" + i, "owner", "room", null);
        w.report("troll", Target.content(c), Category.HARASSMENT, false, "troll");
        w.pass(Duration.ofHours(1));
        w.reviewNow(Target.content(c)); // a moderator looks: nothing violating
        if (w.confirmed == 0) {
          assertTrue(w.reporter("troll").orElseThrow().suspendedUntil().isEmpty(), "suspended before confirmation");
        }
        w.pass(Duration.ofHours(5));
      }
      assertEquals(1, w.confirmed, "the truthful moderator confirms the proposal");
      assertEquals(0, w.rejected);
      ReporterRecord troll = w.reporter("troll").orElseThrow();
      assertTrue(troll.suspendedAt(w.now()), troll.toString());
      assertEquals(ReporterRecord.Sanction.State.SUSPENDED, troll.sanction().orElseThrow().state());
      assertTrue(w.guard.violations.isEmpty(), w.guard.violations.toString());
    }
  }
}
