package dev.haetae.moderation.core.audit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.haetae.moderation.api.Action;
import dev.haetae.moderation.api.ContentId;
import dev.haetae.moderation.api.Decision;
import dev.haetae.moderation.api.DecisionId;
import dev.haetae.moderation.api.MeasureExpiry;
import dev.haetae.moderation.api.Verdict;
import dev.haetae.moderation.core.engine.ModerationEngine;
import dev.haetae.moderation.core.simulate.SettableClock;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A seeded property over random orders of uploads, Korean requests, verdicts, host expiry requests
 * and ticks before and after expiries: every measure ends exactly once (never lifted twice, never
 * both lifted and upheld or restored), nothing is lifted before its expiry, a lift names a measure
 * that was taken, and the log replays identical. {@code -Dhaetae.fuzz.cases=N} runs N seeds (the
 * {@code long-fuzz} profile sets more); quick mode runs 6 seeds of 40 steps.
 */
class TemporaryMeasurePropertyTest {
  private static final int SEEDS = Integer.getInteger("haetae.fuzz.cases", 6);
  private static final int STEPS = 40;

  @Test
  void everyMeasureEndsExactlyOnceAndNeverBeforeItsExpiry(@TempDir Path root) throws Exception {
    Map<Action.EndMeasure.Ending, Integer> seen = new java.util.EnumMap<>(Action.EndMeasure.Ending.class);
    for (int seed = 0; seed < SEEDS; seed++) {
      run(seed, Files.createDirectories(root.resolve("seed-" + seed)), seen);
    }
    // the generator reaches every way a measure ends (not a vacuous property)
    for (Action.EndMeasure.Ending e : Action.EndMeasure.Ending.values()) {
      assertTrue(seen.getOrDefault(e, 0) > 0, "no measure ended " + e + " in " + SEEDS + " seeds: " + seen);
    }
  }

  private static void run(long seed, Path dir, Map<Action.EndMeasure.Ending, Integer> seen) throws Exception {
    Random rnd = new Random(seed);
    SettableClock clock = new SettableClock(TemporaryMeasureTest.T0);
    List<Decision> executed = new CopyOnWriteArrayList<>();
    Map<DecisionId, Instant> until = new LinkedHashMap<>();
    Map<DecisionId, String> contentOf = new LinkedHashMap<>();
    int notices = 0;
    try (ModerationEngine engine = TemporaryMeasureTest.engine(dir, clock, executed)) {
      for (int i = 0; i < 4; i++) {
        engine.evaluate(TemporaryMeasureTest.upload("c" + i));
      }
      for (int step = 0; step < STEPS; step++) {
        String c = "c" + rnd.nextInt(4);
        int op = rnd.nextInt(6);
        Decision d = null;
        switch (op) {
          case 0, 1 -> d = engine.evaluate(TemporaryMeasureTest.request("n" + notices++, c, clock.instant()));
          case 2 -> d = engine.evaluate(TemporaryMeasureTest.verdict(c,
              rnd.nextBoolean() ? Verdict.VIOLATING : Verdict.NOT_VIOLATING));
          case 3 -> {
            if (!until.isEmpty()) {
              List<DecisionId> ids = new ArrayList<>(until.keySet());
              DecisionId m = ids.get(rnd.nextInt(ids.size()));
              d = engine.evaluate(new MeasureExpiry(ContentId.of(contentOf.get(m)), m));
            }
          }
          case 4 -> clock.advance(Duration.ofHours(1 + rnd.nextInt(24 * 20)));
          default -> engine.tick();
        }
        if (d != null) {
          Decision taken = d;
          d.action(Action.TemporaryMeasure.class).ifPresent(t -> {
            until.put(taken.id(), t.until());
            contentOf.put(taken.id(), c);
          });
        }
      }
      clock.advance(Duration.ofDays(31));
      engine.tick();
    }
    Map<DecisionId, Integer> ends = new LinkedHashMap<>();
    for (Decision d : executed) {
      for (Action a : d.actions()) {
        if (a instanceof Action.EndMeasure) {
          Action.EndMeasure e = (Action.EndMeasure) a;
          assertTrue(until.containsKey(e.measure()), "seed " + seed + ": ends a measure that was taken: " + e);
          ends.merge(e.measure(), 1, Integer::sum);
          seen.merge(e.ending(), 1, Integer::sum);
          if (e.ending() == Action.EndMeasure.Ending.LIFTED) {
            assertFalse(d.at().isBefore(until.get(e.measure())),
                "seed " + seed + ": lifted at " + d.at() + " before its expiry " + until.get(e.measure()));
          }
        }
      }
    }
    for (DecisionId m : until.keySet()) {
      assertEquals(1, ends.getOrDefault(m, 0), "seed " + seed + ": measure " + m.value() + " ends exactly once");
    }
    TemporaryMeasureTest.verifiesAndReplays(dir);
  }
}
