package dev.haetae.moderation.core.audit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.haetae.moderation.api.Category;
import dev.haetae.moderation.api.ContentId;
import dev.haetae.moderation.api.Duty;
import dev.haetae.moderation.api.Evidence;
import dev.haetae.moderation.api.ObligationEvent;
import dev.haetae.moderation.api.spi.ObligationRecord;
import dev.haetae.moderation.core.legal.Instrument;
import dev.haetae.moderation.core.legal.JurisdictionProfiles;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Which head segments a retention duty lets go: only whole ones, past the longest minimum, never an open duty's. */
class RetentionTest {
  static final Collection<Instrument> BUNDLED = JurisdictionProfiles.bundled().instruments().values();
  static final Duration KOREA = Duration.ofDays(1096);

  /** A log of {@code n} records a minute apart from {@link Fixtures#T0}, in 4 KiB segments. */
  static AuditLog log(Path dir, long seed, int n, int configAt, int openObligationAt, boolean closeIt) {
    Fixtures fx = new Fixtures(seed);
    try (EngineLog log = DecisionLogs.directory(dir).pseudonymizer(DirectoryDecisionLogTest.P).segmentBytes(4096)
        .checkpointEvery(5).fsync(false).build()) {
      for (int i = 0; i < n; i++) {
        Evidence e = fx.evidence();
        if (i == configAt) {
          log.append(new LogEvent.Configuration(e.now(), Optional.empty(), Optional.empty(), List.of(), Map.of()));
        }
        if (i == openObligationAt) {
          log.append(new LogEvent.Tick(e.now(), List.of(event("o1", e.now(), ObligationRecord.Status.OPEN)), List.of()));
        }
        if (closeIt && i == openObligationAt + 1) {
          log.append(new LogEvent.Tick(e.now(), List.of(event("o1", e.now(), ObligationRecord.Status.FULFILLED)),
              List.of()));
        }
        log.append(e, fx.decision(e));
      }
    }
    return AuditLog.open(dir);
  }

  static ObligationEvent event(String id, Instant at, ObligationRecord.Status status) {
    ObligationRecord r = new ObligationRecord(id, "EU-TCO-3", "TCO", Category.TERRORISM, ContentId.of("c-" + id), at,
        at.plus(Duration.ofHours(1)), List.of(Duty.REMOVE), Duration.ZERO, status, at.plus(Duration.ofHours(1)), 0,
        status == ObligationRecord.Status.OPEN ? Optional.empty() : Optional.of(at));
    return new ObligationEvent(status == ObligationRecord.Status.OPEN ? ObligationEvent.Type.OPENED
        : ObligationEvent.Type.FULFILLED, r, at, Duration.ZERO);
  }

  static Retention.Plan plan(AuditLog log, Instant now) {
    return Retention.plan(log, BUNDLED, Duration.ZERO, now, ProgressListener.NONE);
  }

  /** The invariants every plan keeps, checked against the log itself. */
  static void assertSound(AuditLog log, Retention.Plan p, Instant now) {
    assertEquals(now.minus(p.period()), p.cutoff());
    List<String> segments = log.segments();
    assertTrue(p.removable().size() < Math.max(1, segments.size()), "never the last segment");
    long next = 0;
    for (int i = 0; i < p.removable().size(); i++) {
      Retention.Segment s = p.removable().get(i);
      assertEquals(segments.get(i), s.name(), "a prefix of the segments, in order");
      assertEquals(next, s.firstSeq(), "contiguous from the head");
      assertTrue(s.newest().isBefore(p.cutoff()), s + " is not older than " + p.cutoff());
      next = s.lastSeq() + 1;
    }
    log.forEachEntry(ProgressListener.NONE, e -> {
      Instant at = e instanceof LoggedRecord r ? r.decision().at() : ((LoggedEvent) e).event().at();
      boolean planned = p.removable().stream().anyMatch(s -> s.name().equals(e.segment()));
      if (planned) {
        assertTrue(at.isBefore(p.cutoff()), "seq " + e.seq() + " of " + at + " would go, younger than " + p.cutoff());
      }
    });
  }

  @Test
  void theLongestMinimumOfTheInstrumentsApplies(@TempDir Path dir) {
    Instrument kr = BUNDLED.stream().filter(i -> i.id().startsWith("KR-")).findFirst().orElseThrow();
    assertEquals(KOREA, Retention.minimumOf(kr));
    Instrument us = BUNDLED.stream().filter(i -> i.id().equals("US-18-2258A")).findFirst().orElseThrow();
    assertEquals(us.preserveFor(), Retention.minimumOf(us));   // one year of preservation
    assertThrows(IllegalArgumentException.class, () -> Retention.plan(log(dir, 1, 3, -1, -1, false), BUNDLED,
        Duration.ofDays(-1), Fixtures.T0, ProgressListener.NONE));
  }

  @Test
  void nothingYoungerThanTheMinimumGoes(@TempDir Path dir) {
    AuditLog log = log(dir, 1, 80, -1, -1, false);
    assertTrue(log.segments().size() >= 3, "the test needs several segments: " + log.segments());
    Retention.Plan young = plan(log, Fixtures.T0.plus(Duration.ofDays(1000)));
    assertEquals(KOREA, young.period());
    assertTrue(young.rule().contains("KR-") && young.rule().endsWith("= P1096D"), young.rule());
    assertEquals(List.of(), young.removable());
    assertTrue(young.keptBecause().contains("not older than the cutoff"), young.keptBecause());

    Retention.Plan old = plan(log, Fixtures.T0.plus(KOREA).plus(Duration.ofDays(1)));
    assertEquals(log.segments().size() - 1, old.removable().size(), "all but the open segment");
    assertTrue(old.keptBecause().contains("last segment"), old.keptBecause());
    assertSound(log, old, Fixtures.T0.plus(KOREA).plus(Duration.ofDays(1)));

    // a host floor longer than every instrument's minimum wins
    Retention.Plan floor = Retention.plan(log, BUNDLED, Duration.ofDays(2000), Fixtures.T0.plus(KOREA)
        .plus(Duration.ofDays(1)), ProgressListener.NONE);
    assertEquals(Duration.ofDays(2000), floor.period());
    assertEquals(List.of(), floor.removable());
  }

  @Test
  void anOpenObligationAndTheConfigurationInForceStay(@TempDir Path dir) throws Exception {
    Instant late = Fixtures.T0.plus(KOREA).plus(Duration.ofDays(1));
    AuditLog open = log(Files.createDirectory(dir.resolve("open")), 2, 80, -1, 30, false);
    Retention.Plan p = plan(open, late);
    assertSound(open, p, late);
    assertTrue(p.keptBecause().contains("obligation still open"), p.keptBecause());
    assertTrue(p.removable().stream().allMatch(s -> s.lastSeq() < 30), p.removable().toString());

    AuditLog closed = log(Files.createDirectory(dir.resolve("closed")), 2, 80, -1, 30, true);
    assertEquals(closed.segments().size() - 1, plan(closed, late).removable().size(), "a fulfilled one holds nothing");

    AuditLog configured = log(Files.createDirectory(dir.resolve("config")), 3, 80, 25, -1, false);
    Retention.Plan c = plan(configured, late);
    assertSound(configured, c, late);
    assertTrue(c.keptBecause().contains("configuration record in force"), c.keptBecause());
    assertTrue(c.removable().stream().allMatch(s -> s.lastSeq() < 25), c.removable().toString());
  }

  /** Any log, any instant: the plan is a contiguous head prefix of whole segments, all older than the cutoff. */
  @Test
  void everyPlanIsSound(@TempDir Path dir) throws Exception {
    Random rnd = new Random(20261205L);
    for (int t = 0; t < 12; t++) {
      int n = 5 + rnd.nextInt(90);
      AuditLog log = log(Files.createDirectory(dir.resolve("l" + t)), rnd.nextLong(), n,
          rnd.nextBoolean() ? rnd.nextInt(n) : -1, rnd.nextBoolean() ? rnd.nextInt(n) : -1, rnd.nextBoolean());
      Instant now = Fixtures.T0.plus(KOREA).plus(Duration.ofMinutes(rnd.nextInt(n + 10)));
      assertSound(log, plan(log, now), now);
    }
  }
}
