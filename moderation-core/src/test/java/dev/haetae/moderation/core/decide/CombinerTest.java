package dev.haetae.moderation.core.decide;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import dev.haetae.moderation.api.Action;
import dev.haetae.moderation.api.Category;
import dev.haetae.moderation.api.LegalGround;
import dev.haetae.moderation.api.Outcome;
import dev.haetae.moderation.api.Priority;
import dev.haetae.moderation.api.Reason;
import dev.haetae.moderation.api.StatementOfReasons;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.Random;
import org.junit.jupiter.api.Test;

class CombinerTest {
  private static final Reason R1 = grounded("a", Category.NCII);
  private static final Reason R2 = grounded("b", Category.CSAM);

  private static Reason grounded(String policy, Category c) {
    return Reason.of(dev.haetae.moderation.api.PolicyId.of(policy, "1"), "test", "test reason", c,
        LegalGround.terms("ToS 1", "test ground"));
  }
  private static final StatementOfReasons SOR = new StatementOfReasons(LegalGround.terms("ToS 1", "x"), "facts",
      true, true, "appeal");

  @Test
  void theMostSevereDispositionWinsAndWeakerOnesAreDropped() {
    Combiner.Combined c = Combiner.combine(List.of(
        Outcome.of(List.of(new Action.Blur("sensitive")), List.of(R1)),
        Outcome.of(List.of(new Action.Remove()), List.of(R2)),
        Outcome.of(List.of(new Action.RestrictForwarding()), List.of(R1))));
    assertEquals(List.of(new Action.Remove()), c.actions());
    assertEquals(List.of(R1, R2), c.reasons(), "all reasons kept, in order, without duplicates");
  }

  @Test
  void additionalMeasuresAreMergedPerType() {
    Combiner.Combined c = Combiner.combine(List.of(
        Outcome.of(List.of(Action.QueueForReview.of(Priority.NORMAL), new Action.PreserveEvidence(Duration.ofDays(30)),
            new Action.SuspendAccount(Optional.of(Duration.ofDays(1)))), List.of(R1)),
        Outcome.of(List.of(new Action.QueueForReview(Priority.HIGH, true, "legal"),
            new Action.PreserveEvidence(Duration.ofDays(365)),
            new Action.SuspendAccount(Optional.of(Duration.ofDays(7))), new Action.BlockReupload(),
            new Action.BlockReupload()), List.of(R2))));
    assertEquals(List.of(new Action.BlockReupload(), new Action.SuspendAccount(Optional.of(Duration.ofDays(7))),
        new Action.PreserveEvidence(Duration.ofDays(365)), new Action.QueueForReview(Priority.HIGH, true, "legal")),
        c.actions());
  }

  @Test
  void anIndefiniteSuspensionBeatsAnyPeriod() {
    Combiner.Combined c = Combiner.combine(List.of(
        Outcome.of(List.of(new Action.SuspendAccount(Optional.empty())), List.of(R1)),
        Outcome.of(List.of(new Action.SuspendAccount(Optional.of(Duration.ofDays(700)))), List.of(R1))));
    assertEquals(List.of(new Action.SuspendAccount(Optional.empty())), c.actions());
  }

  @Test
  void aNoTipOffReportSuppressesTheUploadersNotification() {
    Combiner.Combined c = Combiner.combine(List.of(
        Outcome.of(List.of(new Action.Remove(), new Action.NotifyUser(Action.Recipient.UPLOADER, SOR),
            new Action.NotifyUser(Action.Recipient.REPORTERS, SOR)), List.of(R1)),
        Outcome.of(List.of(new Action.ReportToAuthority("NCMEC", true)), List.of(R2))));
    assertEquals(List.of(new Action.Remove(), new Action.ReportToAuthority("NCMEC", true),
        new Action.NotifyUser(Action.Recipient.REPORTERS, SOR)), c.actions());
  }

  @Test
  void theEarliestDeadlineWins() {
    Instant t = Instant.parse("2026-11-21T10:00:00Z");
    Combiner.Combined c = Combiner.combine(List.of(
        Outcome.of(List.of(new Action.Remove()), List.of(R1)).withDeadline(t.plusSeconds(7200)),
        Outcome.none(),
        Outcome.of(List.of(Action.QueueForReview.of(Priority.URGENT)), List.of()).withDeadline(t.plusSeconds(3600))));
    assertEquals(Optional.of(t.plusSeconds(3600)), c.deadline());
  }

  @Test
  void allowIsKeptOnlyWhenNothingElseIsProposed() {
    assertEquals(List.of(new Action.Allow()), Combiner.combine(List.of()).actions());
    assertEquals(List.of(new Action.Allow()),
        Combiner.combine(List.of(Outcome.of(List.of(new Action.Allow()), List.of()))).actions());
    assertEquals(List.of(Action.QueueForReview.of(Priority.LOW)), Combiner.combine(List.of(
        Outcome.of(List.of(new Action.Allow()), List.of()),
        Outcome.of(List.of(Action.QueueForReview.of(Priority.LOW)), List.of()))).actions());
  }

  @Test
  void theResultDoesNotDependOnPolicyOrderExceptForReasonOrder() {
    Random rnd = new Random(42);
    List<Action> pool = List.of(new Action.Allow(), new Action.Blur("x"), new Action.RestrictForwarding(),
        new Action.Remove(), new Action.BlockReupload(), Action.QueueForReview.of(Priority.LOW),
        new Action.QueueForReview(Priority.URGENT, false, "legal"), new Action.PreserveEvidence(Duration.ofDays(3)),
        new Action.ReportToAuthority("police", false));
    for (int run = 0; run < 500; run++) {
      List<Outcome> outcomes = new java.util.ArrayList<>();
      int n = 1 + rnd.nextInt(5);
      for (int i = 0; i < n; i++) {
        List<Action> acts = new java.util.ArrayList<>();
        for (int k = 0; k < 1 + rnd.nextInt(3); k++) {
          acts.add(pool.get(rnd.nextInt(pool.size())));
        }
        outcomes.add(Outcome.of(acts, List.of(R1)));
      }
      List<Outcome> shuffled = new java.util.ArrayList<>(outcomes);
      java.util.Collections.shuffle(shuffled, rnd);
      List<Action> a = Combiner.combine(outcomes).actions();
      List<Action> b = Combiner.combine(shuffled).actions();
      assertEquals(a, b, "run " + run);
      long dispositions = a.stream().filter(x -> x.severity() >= 0).count();
      assertFalse(dispositions > 1, "at most one disposition: " + a);
    }
  }
}
