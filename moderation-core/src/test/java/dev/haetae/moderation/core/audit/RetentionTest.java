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
    java.util.Iterator<LogEntry> entries = log.entries(ProgressListener.NONE);
    long next = entries.hasNext() ? entries.next().seq() : 0;   // 0, or the record after a pruned head
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
    Instrument kr = BUNDLED.stream().filter(i -> i.id().equals("KR-TBA-22-5")).findFirst().orElseThrow();
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

  static java.security.KeyPair keys() throws Exception {
    return java.security.KeyPairGenerator.getInstance("Ed25519").generateKeyPair();
  }

  static final Instant LATE = Fixtures.T0.plus(KOREA).plus(Duration.ofDays(1));

  @Test
  void aPruneWritesASignedRecordThatVerifyAcceptsAndReports(@TempDir Path dir) throws Exception {
    AuditLog log = log(dir, 4, 80, -1, -1, false);
    int before = log.segments().size();
    long total = log.forEach(ProgressListener.NONE, r -> { });
    Retention.Plan p = plan(log, LATE);
    assertEquals(before - 1, Retention.prune(log, p, "retention-1", keys(), LATE));
    AuditLog after = AuditLog.open(dir);
    assertEquals(1, after.segments().size());
    VerificationReport rep = after.verify();
    assertTrue(rep.ok(), rep.toString());
    long lastPruned = p.removable().get(p.removable().size() - 1).lastSeq();
    assertTrue(rep.notes().stream().anyMatch(n -> n.startsWith("records 0.." + lastPruned + " (" + (before - 1)
        + " segment(s)) were pruned at " + LATE)), rep.notes().toString());
    // readers start after the pruned range
    long[] first = {-1};
    long left = after.forEach(ProgressListener.NONE, r -> {
      if (first[0] < 0) {
        first[0] = r.seq();
      }
    });
    assertEquals(lastPruned + 1, first[0]);
    assertEquals(total - lastPruned - 1, left);
    // nothing more to prune; a plan on the pruned log is sound
    Retention.Plan again = plan(after, LATE);
    assertEquals(List.of(), again.removable());
  }

  @Test
  void aRemovedSegmentWithoutARecordAndAForgedRecordAreDetected(@TempDir Path dir) throws Exception {
    AuditLog bare = log(Files.createDirectory(dir.resolve("bare")), 5, 80, -1, -1, false);
    Files.delete(bare.directory().resolve(bare.segments().get(0)));
    VerificationReport missing = AuditLog.open(bare.directory()).verify();
    assertEquals(VerificationReport.Kind.MISSING_RECORD, missing.firstProblem().orElseThrow().kind());

    AuditLog forged = log(Files.createDirectory(dir.resolve("forged")), 5, 80, -1, -1, false);
    Retention.Plan p = plan(forged, LATE);
    Retention.prune(forged, p, "retention-1", keys(), LATE);
    Path file = forged.directory().resolve(Prunes.FILE);
    String line = Files.readString(file);
    Files.writeString(file, line.replace("\"cutoff\":\"", "\"cutoff\":\"1"));   // a year changed after signing
    VerificationReport f = AuditLog.open(forged.directory()).verify();
    assertEquals(VerificationReport.Kind.BAD_PRUNE_RECORD, f.firstProblem().orElseThrow().kind(), f.toString());

    // a record signed by a key the auditor does not trust
    Files.writeString(file, line);
    assertTrue(AuditLog.open(forged.directory()).verify().ok());
    VerificationReport untrusted = AuditLog.open(forged.directory()).verify(AuditLog.Verification.trusting(
        Map.of("other", keys().getPublic())), ProgressListener.NONE);
    assertEquals(VerificationReport.Kind.BAD_PRUNE_RECORD, untrusted.firstProblem().orElseThrow().kind());
  }

  /** Any sequence of appends and prunes leaves a log that verifies, and whose readers see the records kept. */
  @Test
  void verifyHoldsAfterAnySequenceOfAppendsAndPrunes(@TempDir Path root) throws Exception {
    Random rnd = new Random(20261206L);
    java.security.KeyPair k = keys();
    int removed = 0;
    for (int t = 0; t < 6; t++) {
      Path dir = Files.createDirectory(root.resolve("p" + t));
      Fixtures fx = new Fixtures(rnd.nextLong());
      int appended = 0;
      for (int round = 0; round < 4; round++) {
        try (EngineLog w = DecisionLogs.directory(dir).pseudonymizer(DirectoryDecisionLogTest.P).segmentBytes(4096)
            .checkpointEvery(1 + rnd.nextInt(10)).fsync(false).build()) {
          for (int i = rnd.nextInt(40); i > 0; i--) {
            Evidence e = fx.evidence();
            w.append(e, fx.decision(e));
            appended++;
          }
        }
        AuditLog log = AuditLog.open(dir);
        Instant now = Fixtures.T0.plus(KOREA).plus(Duration.ofMinutes(rnd.nextInt(appended + 5)));
        Retention.Plan p = plan(log, now);
        assertSound(log, p, now);
        removed += Retention.prune(log, p, "k", k, now);
        VerificationReport rep = AuditLog.open(dir).verify();
        assertTrue(rep.ok(), "trial " + t + " round " + round + ": " + rep);
        long[] next = {-1};
        AuditLog.open(dir).forEach(ProgressListener.NONE, r -> {
          assertTrue(next[0] < 0 || r.seq() == next[0], "contiguous");
          next[0] = r.seq() + 1;
        });
        assertTrue(next[0] < 0 || next[0] == appended, "the last record is the last appended");
      }
    }
    assertTrue(removed > 5, "the sequences pruned too little to test anything: " + removed);
  }

  /** Mangled prune records are reported as problems of the log, never thrown. */
  @Test
  void mangledPruneRecordsAreReportedNotThrown(@TempDir Path dir) throws Exception {
    AuditLog log = log(dir, 7, 60, -1, -1, false);
    Retention.prune(log, plan(log, LATE), "k", keys(), LATE);
    Path file = dir.resolve(Prunes.FILE);
    byte[] good = Files.readAllBytes(file);
    Random rnd = new Random(20261207L);
    int cases = Integer.getInteger("haetae.fuzz.cases", 200);
    int rejected = 0;
    for (int c = 0; c < cases; c++) {
      byte[] b = good.clone();
      for (int k = 1 + rnd.nextInt(4); k > 0; k--) {
        int at = rnd.nextInt(b.length - 1);                // keep the final newline
        b[at] = (byte) "{}[]\":,0a-1\\ ".charAt(rnd.nextInt(13));
      }
      Files.write(file, b);
      VerificationReport rep;
      try {
        rep = AuditLog.open(dir).verify();
      } catch (dev.haetae.moderation.api.DecisionLogException documented) {
        continue;                                          // an unreadable file: documented
      } catch (RuntimeException e) {
        throw new AssertionError("case " + c + " threw " + e + " on " + new String(b), e);
      }
      if (!rep.ok()) {
        rejected++;
      }
    }
    assertTrue(rejected > cases / 2, "a changed signed record should mostly fail: " + rejected + " of " + cases);
    Files.write(file, good);
    assertTrue(AuditLog.open(dir).verify().ok());
  }
}
