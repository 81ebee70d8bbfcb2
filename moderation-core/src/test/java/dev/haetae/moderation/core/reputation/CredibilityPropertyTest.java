package dev.haetae.moderation.core.reputation;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.quicktheories.QuickTheory.qt;
import static org.quicktheories.generators.SourceDSL.booleans;
import static org.quicktheories.generators.SourceDSL.integers;
import static org.quicktheories.generators.SourceDSL.lists;
import static org.quicktheories.generators.SourceDSL.longs;

import dev.haetae.moderation.api.ReporterId;
import dev.haetae.moderation.api.spi.ReporterRecord;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * Properties of reporter credibility, on seeded generators (QuickTheories' default seed is fixed
 * per run; the shuffles use a seed drawn from the generated values, so failures reproduce).
 */
class CredibilityPropertyTest {
  private static final Instant T0 = Instant.parse("2026-01-01T00:00:00Z");
  private static final ReputationModel MODEL = ReputationModel.builder().halfLife(Duration.ofDays(30)).build();
  private static final ReporterId R = ReporterId.of("r");

  /** Applies outcomes (true = confirmed) at increasing offsets in minutes. */
  private static ReporterRecord history(List<Boolean> outcomes, List<Long> gapsMinutes, boolean trusted) {
    ReporterRecord rec = new ReporterRecord(R, java.util.Optional.of(T0.minus(Duration.ofDays(400))), trusted, 0, 0,
        T0, 0, java.util.Optional.empty());
    Instant t = T0;
    for (int i = 0; i < outcomes.size(); i++) {
      t = t.plus(Duration.ofMinutes(gapsMinutes.get(i % gapsMinutes.size())));
      rec = MODEL.outcome(rec, outcomes.get(i), t);
    }
    return rec;
  }

  @Test
  void credibilityStaysInTheUnitInterval() {
    qt().withExamples(500).forAll(lists().of(booleans().all()).ofSizeBetween(0, 200),
        lists().of(longs().between(0, 60L * 24 * 400)).ofSizeBetween(1, 20), booleans().all(),
        longs().between(0, 60L * 24 * 2000))
        .checkAssert((outcomes, gaps, trusted, later) -> {
          ReporterRecord rec = history(outcomes, gaps, trusted);
          double c = MODEL.credibility(rec, rec.updatedAt().plus(Duration.ofMinutes(later)));
          assertTrue(c >= 0 && c <= 1, "credibility " + c);
        });
  }

  @Test
  void aConfirmedReportRaisesAndARejectedOneLowersCredibility() {
    qt().withExamples(500).forAll(lists().of(booleans().all()).ofSizeBetween(0, 100),
        lists().of(longs().between(0, 60L * 24 * 60)).ofSizeBetween(1, 10), booleans().all(),
        longs().between(0, 60L * 24 * 365))
        .checkAssert((outcomes, gaps, trusted, gap) -> {
          ReporterRecord rec = history(outcomes, gaps, trusted);
          Instant t = rec.updatedAt().plus(Duration.ofMinutes(gap));
          double before = MODEL.credibility(rec, t);
          assertTrue(MODEL.credibility(MODEL.outcome(rec, true, t), t) > before);
          assertTrue(MODEL.credibility(MODEL.outcome(rec, false, t), t) < before);
        });
  }

  @Test
  void credibilityDecaysMonotonicallyTowardThePrior() {
    qt().withExamples(500).forAll(lists().of(booleans().all()).ofSizeBetween(1, 100),
        lists().of(longs().between(0, 60L * 24 * 10)).ofSizeBetween(1, 10), booleans().all(),
        longs().between(1, 60L * 24 * 365))
        .checkAssert((outcomes, gaps, trusted, step) -> {
          ReporterRecord rec = history(outcomes, gaps, trusted);
          double prior = MODEL.priorMean(trusted);
          Instant t = rec.updatedAt();
          double d0 = Math.abs(MODEL.credibility(rec, t) - prior);
          double d1 = Math.abs(MODEL.credibility(rec, t.plus(Duration.ofMinutes(step))) - prior);
          double d2 = Math.abs(MODEL.credibility(rec, t.plus(Duration.ofMinutes(2 * step))) - prior);
          assertTrue(d1 <= d0 + 1e-12 && d2 <= d1 + 1e-12, d0 + " " + d1 + " " + d2);
          // after 40 half-lives the history is gone
          double far = MODEL.credibility(rec, t.plus(Duration.ofDays(30L * 40)));
          assertEquals(prior, far, 1e-6);
        });
  }

  @Test
  void sameInstantOutcomesDoNotDependOnOrder() {
    qt().withExamples(300).forAll(lists().of(booleans().all()).ofSizeBetween(0, 50),
        lists().of(booleans().all()).ofSizeBetween(1, 60), integers().all())
        .checkAssert((history, sameInstant, seed) -> {
          ReporterRecord base = history(history, List.of(90L), false);
          Instant t = base.updatedAt().plus(Duration.ofHours(7));
          List<Boolean> order = new ArrayList<>(sameInstant);
          ReporterRecord a = base;
          for (boolean b : order) {
            a = MODEL.outcome(a, b, t);
          }
          Collections.shuffle(order, new Random(seed));
          ReporterRecord b = base;
          for (boolean x : order) {
            b = MODEL.outcome(b, x, t);
          }
          assertEquals(MODEL.credibility(a, t), MODEL.credibility(b, t), 1e-12);
          assertEquals(a.confirmed(), b.confirmed(), 1e-9);
          assertEquals(a.rejected(), b.rejected(), 1e-9);
          assertEquals(a.unfounded(), b.unfounded());
        });
  }

  @Test
  void aNewAccountStartsAtTheCautiousPriorAndATrustedFlaggerAtItsOwn() {
    ReporterRecord fresh = ReporterRecord.unknown(R, T0);
    assertEquals(1.0 / 3, MODEL.credibility(fresh, T0), 1e-12);
    assertEquals(0.9, MODEL.priorMean(true), 1e-12);
    assertTrue(MODEL.version().startsWith("beta-v3(") && MODEL.version().contains("half_life=PT720H"),
        MODEL.version());
  }
}
