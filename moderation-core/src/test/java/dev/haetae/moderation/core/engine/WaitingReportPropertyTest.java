package dev.haetae.moderation.core.engine;

import static dev.haetae.moderation.core.engine.Fixtures.T0;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.haetae.moderation.api.AccountEvent;
import dev.haetae.moderation.api.AccountId;
import dev.haetae.moderation.api.Action;
import dev.haetae.moderation.api.Category;
import dev.haetae.moderation.api.ContentId;
import dev.haetae.moderation.api.Decision;
import dev.haetae.moderation.api.ReporterId;
import dev.haetae.moderation.api.ReviewOutcome;
import dev.haetae.moderation.api.Target;
import dev.haetae.moderation.api.UserReport;
import dev.haetae.moderation.api.Verdict;
import dev.haetae.moderation.api.spi.DecisionLog;
import dev.haetae.moderation.core.reputation.ReputationModel;
import dev.haetae.moderation.core.simulate.SettableClock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * Seeded property: whatever mix of reports (new and aged accounts, every category, first-party or
 * not), claim-scoped verdicts and clock steps comes in, with the host calling the re-check at every
 * step, no report whose first decision queued nothing goes past its bound (plus one step) without a
 * later decision on it or a verdict judging its claim; the engine throws nothing; and once every
 * bound has passed the index is empty. 10 seeded runs; the {@code long-fuzz} profile runs 500
 * ({@code -Dhaetae.recheck.runs=N}: any number).
 */
class WaitingReportPropertyTest {
  private static final Duration STEP = Duration.ofMinutes(10);
  private static final Category[] CATEGORIES = Category.values();

  private record Seen(String key, Category category, Instant at, Decision decision) {}

  @Test
  void noReportWaitsPastItsBoundWithoutALoggedDecision() {
    int runs = Integer.getInteger("haetae.recheck.runs", 10);
    ReputationModel model = ReputationModel.defaults();
    long rechecked = 0;
    for (int run = 0; run < runs; run++) {
      Random rnd = new Random(7919L * run + 17);
      SettableClock clock = new SettableClock(T0);
      List<Seen> seen = new ArrayList<>();
      Map<String, Instant> first = new HashMap<>();
      List<Seen> verdicts = new ArrayList<>();
      Map<String, Instant> removed = new HashMap<>();
      try (ModerationEngine e = ModerationEngine.builder().clock(clock).decisionLog(DecisionLog.DISCARD)
          .policyIsolation(PolicyIsolation.INLINE).build()) {
        for (int i = 0; i < 12; i++) {
          Instant created = rnd.nextBoolean() ? T0.minus(Duration.ofDays(1)) : T0.minus(Duration.ofDays(400));
          e.evaluate(new AccountEvent(AccountId.of("r" + i), created, rnd.nextInt(10) == 0, Optional.empty(),
              List.of()));
        }
        for (int step = 0; step < 80; step++) {
          clock.advance(Duration.ofSeconds(1 + rnd.nextInt((int) STEP.toSeconds())));
          String target = "c" + rnd.nextInt(5);
          if (rnd.nextInt(5) == 0) {
            Category c = CATEGORIES[rnd.nextInt(CATEGORIES.length)];
            ReviewOutcome o = new ReviewOutcome(Target.content(ContentId.of(target)),
                rnd.nextBoolean() ? Verdict.VIOLATING : Verdict.NOT_VIOLATING, Optional.of(c), Optional.empty());
            Decision d = e.evaluate(o);
            verdicts.add(new Seen(target, c, clock.instant(), d));
            if (d.has(Action.Remove.class)) {
              removed.putIfAbsent(target, clock.instant());
            }
          } else {
            String reporter = "r" + rnd.nextInt(12);
            Category c = CATEGORIES[rnd.nextInt(CATEGORIES.length)];
            UserReport r = new UserReport(ReporterId.of(reporter), Target.content(ContentId.of(target)), c,
                Optional.empty(), rnd.nextInt(8) == 0);
            String key = reporter + "|" + target;
            first.putIfAbsent(key, clock.instant());
            seen.add(new Seen(key, c, clock.instant(), e.evaluate(r)));
          }
          rechecked += recheck(e, clock, seen);
        }
        Instant end = clock.instant().plus(Duration.ofHours(25));
        while (clock.instant().isBefore(end)) {
          clock.advance(STEP);
          rechecked += recheck(e, clock, seen);
        }
        assertEquals(0, e.waitingReports(), "run " + run + ": every bound has passed");
      }
      Map<String, Category> firstClaim = new HashMap<>();
      for (Seen s : seen) {
        firstClaim.putIfAbsent(s.key(), s.category());
      }
      for (int i = 0; i < seen.size(); i++) {
        Seen s = seen.get(i);
        if (!s.at().equals(first.get(s.key())) || s.decision().has(Action.QueueForReview.class)
            || !s.category().equals(firstClaim.get(s.key()))) {
          continue; // only a report's first decision starts a wait
        }
        String target = s.key().substring(s.key().indexOf('|') + 1);
        if (removed.containsKey(target) && !s.at().isBefore(removed.get(target))) {
          continue; // a report of removed content does not wait: its decision says so
        }
        Instant bound = s.at().plus(model.recheck(s.category()));
        boolean answered = false;
        for (int j = i + 1; j < seen.size() && !answered; j++) {
          Seen n = seen.get(j);
          answered = n.key().equals(s.key()) && n.at().isAfter(s.at()) && !n.at().isAfter(bound.plus(STEP));
        }
        for (Seen v : verdicts) {
          answered |= v.key().equals(target) && v.category() == s.category() && v.at().isAfter(s.at())
              && !v.at().isAfter(bound.plus(STEP));
        }
        // a verdict on another claim that removed the content also ends the wait: its re-check says so
        assertTrue(answered, "run " + run + ": the " + s.category().wireName() + " report " + s.key() + " of "
            + s.at() + " waited past " + bound + " without a logged decision");
      }
    }
    assertTrue(rechecked > runs, "the property exercised re-checks: " + rechecked);
  }

  private static int recheck(ModerationEngine e, SettableClock clock, List<Seen> seen) {
    List<RecheckedReport> out = e.recheckWaitingReports(clock.instant());
    for (RecheckedReport r : out) {
      seen.add(new Seen(r.report().reporter().value() + "|" + ((Target.OfContent) r.report().target()).content()
          .value(), r.report().category(), clock.instant(), r.decision()));
    }
    return out.size();
  }
}
