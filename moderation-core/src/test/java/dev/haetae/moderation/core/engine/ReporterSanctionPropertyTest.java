package dev.haetae.moderation.core.engine;

import static dev.haetae.moderation.core.engine.Fixtures.T0;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import dev.haetae.moderation.api.AccountEvent;
import dev.haetae.moderation.api.AccountId;
import dev.haetae.moderation.api.Category;
import dev.haetae.moderation.api.ContentId;
import dev.haetae.moderation.api.Decision;
import dev.haetae.moderation.api.DecisionId;
import dev.haetae.moderation.api.InvalidRequestException;
import dev.haetae.moderation.api.Reason;
import dev.haetae.moderation.api.ReporterId;
import dev.haetae.moderation.api.ReporterSanction;
import dev.haetae.moderation.api.ReviewOutcome;
import dev.haetae.moderation.api.Target;
import dev.haetae.moderation.api.UserReport;
import dev.haetae.moderation.api.Verdict;
import dev.haetae.moderation.api.spi.ReporterRecord;
import dev.haetae.moderation.core.simulate.SettableClock;
import dev.haetae.moderation.core.store.InMemoryReputationStore;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.TreeMap;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;

/**
 * Seeded property of the {@link ReporterSanction} surface through a real engine: random steps (any
 * step, any of a few reporters, the case's own decisions or others, reviewers that may be the
 * reporter) either are refused with an {@link InvalidRequestException} on a {@code sanction.*}
 * field, logging and changing nothing, or are logged; and a reporter's suspension starts only on a
 * logged confirmation naming the open proposal, and is lifted early only on a logged upheld appeal.
 * Quick mode runs {@value #QUICK} seeds of {@value #STEPS} steps; {@code -Dhaetae.fuzz.runs} runs
 * more, {@code -Dhaetae.fuzz.seed} starts elsewhere. A failure names the seed and step.
 */
class ReporterSanctionPropertyTest {
  private static final int QUICK = 3;
  private static final int STEPS = 60;
  private static final int RUNS = Integer.getInteger("haetae.fuzz.runs", QUICK);
  private static final long FIRST = Long.getLong("haetae.fuzz.seed", 0x5A_C710L);
  private static final List<String> REPORTERS = List.of("troll", "heckler", "calm");

  @Test
  void everyStepIsRefusedUnchangedOrLoggedAndOnlyLoggedStepsMoveASuspension() {
    int accepted = 0;
    int refused = 0;
    for (long seed = FIRST; seed < FIRST + RUNS; seed++) {
      int[] counts = run(seed);
      accepted += counts[0];
      refused += counts[1];
    }
    assertTrue(accepted >= RUNS * 3, "too few accepted steps: " + accepted);
    assertTrue(refused > accepted, "too few refused steps: " + refused);
  }

  private static int[] run(long seed) {
    Random r = new Random(seed);
    SettableClock clock = new SettableClock(T0);
    InMemoryReputationStore store = new InMemoryReputationStore();
    RecordingLog log = new RecordingLog(new CopyOnWriteArrayList<>());
    List<DecisionId> known = new ArrayList<>();
    Map<DecisionId, String> owner = new java.util.HashMap<>();
    int accepted = 0;
    int refused = 0;
    try (ModerationEngine engine = ModerationEngine.builder().clock(clock).decisionLog(log).reputationStore(store)
        .policyIsolation(PolicyIsolation.INLINE).build()) {
      int n = 0;
      // two reporters over the line twice (a proposal each), one with a clean record
      for (String who : REPORTERS) {
        engine.evaluate(new AccountEvent(AccountId.of(who), T0.minus(Duration.ofDays(300)), false, Optional.empty()));
      }
      for (String who : REPORTERS.subList(0, 2)) {
        for (int i = 0; i < 40; i++) {
          String c = who + "-" + n++;
          engine.evaluate(Fixtures.upload(c, "owner", "r1",
              "00000000000000000000000000000000000000000000000000000000" + String.format("%08x", n + 104_729)));
          engine.evaluate(UserReport.of(ReporterId.of(who), Target.content(ContentId.of(c)), Category.SPAM));
          clock.advance(Duration.ofHours(1));
          Decision d = engine.evaluate(ReviewOutcome.ofContent(ContentId.of(c), Verdict.NOT_VIOLATING, null));
          clock.advance(Duration.ofHours(5));
          if (codes(d).contains("reporter_suspension_proposed")) {
            known.add(d.id());
            owner.put(d.id(), who);
            break;
          }
        }
      }
      assertEquals(2, known.size(), "seed " + seed + ": both reporters proposed");
      for (int step = 0; step < STEPS; step++) {
        ReporterSanction.Step kind = ReporterSanction.Step.values()[r.nextInt(ReporterSanction.Step.values().length)];
        DecisionId decision = r.nextInt(6) == 0 ? DecisionId.of("unknown-" + r.nextInt(3))
            : known.get(r.nextInt(known.size()));
        // mostly the reporter whose case the decision belongs to, sometimes anyone
        String who = owner.containsKey(decision) && r.nextInt(4) != 0 ? owner.get(decision)
            : REPORTERS.get(r.nextInt(REPORTERS.size()));
        Optional<String> reviewer = kind == ReporterSanction.Step.APPEAL ? Optional.empty()
            : Optional.of(r.nextInt(8) == 0 ? who : "mod-" + r.nextInt(3));
        clock.advance(Duration.ofMinutes(1 + r.nextInt(6 * 24 * 60))); // up to six days: suspensions run out
        Instant now = clock.instant();
        Map<String, ReporterRecord> before = snapshot(store);
        int logged = log.entries.size();
        ReporterSanction s;
        try {
          s = new ReporterSanction(kind, ReporterId.of(who), decision, reviewer, Optional.empty());
        } catch (InvalidRequestException e) {
          assertTrue(e.field().startsWith("sanction."), "seed " + seed + ", step " + step + ": " + e.field());
          refused++;
          continue;
        }
        Decision d;
        try {
          d = engine.evaluate(s);
        } catch (InvalidRequestException e) {
          assertTrue(e.field().startsWith("sanction."), "seed " + seed + ", step " + step + ": " + e.field());
          assertEquals(logged, log.entries.size(), "seed " + seed + ", step " + step + ": refused, yet logged");
          assertEquals(before, snapshot(store), "seed " + seed + ", step " + step + ": refused, yet changed");
          refused++;
          continue;
        } catch (RuntimeException e) {
          fail("seed " + seed + ", step " + step + ": undocumented " + e, e);
          return new int[0];
        }
        accepted++;
        assertEquals(logged + 1, log.entries.size(), "seed " + seed + ", step " + step);
        assertEquals(s, log.entries.get(logged).evidence().request());
        if (kind == ReporterSanction.Step.CONFIRM) {
          known.add(d.id()); // appeals name the confirmation
          owner.put(d.id(), who);
        }
        for (String x : REPORTERS) {
          Optional<Instant> was = Optional.ofNullable(before.get(x)).flatMap(ReporterRecord::suspendedUntil);
          Optional<Instant> is = store.reporter(ReporterId.of(x)).flatMap(ReporterRecord::suspendedUntil);
          boolean mine = x.equals(who);
          if (is.isPresent() && !is.equals(was)) {
            assertTrue(mine && kind == ReporterSanction.Step.CONFIRM, "seed " + seed + ", step " + step + ": " + x
                + " suspended by " + s);
            assertEquals(now.plus(Duration.ofDays(14)), is.get());
          }
          if (was.isPresent() && was.get().isAfter(now) && is.isEmpty()) {
            assertTrue(mine && kind == ReporterSanction.Step.UPHOLD, "seed " + seed + ", step " + step + ": " + x
                + " lifted by " + s);
          }
        }
      }
    }
    return new int[] {accepted, refused};
  }

  private static Map<String, ReporterRecord> snapshot(InMemoryReputationStore s) {
    Map<String, ReporterRecord> out = new TreeMap<>();
    s.forEachReporter(x -> out.put(x.reporter().value(), x));
    return out;
  }

  private static List<String> codes(Decision d) {
    List<String> out = new ArrayList<>();
    for (Reason x : d.reasons()) {
      out.add(x.code());
    }
    return out;
  }
}
