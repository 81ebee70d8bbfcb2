package dev.haetae.docs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.haetae.moderation.api.AccountId;
import dev.haetae.moderation.api.Content;
import dev.haetae.moderation.api.ContentEvent;
import dev.haetae.moderation.api.ContentId;
import dev.haetae.moderation.api.ContentKind;
import dev.haetae.moderation.api.RoomId;
import dev.haetae.moderation.api.Surface;
import dev.haetae.moderation.core.audit.AuditLog;
import dev.haetae.moderation.core.audit.ProgressListener;
import dev.haetae.moderation.core.audit.Retention;
import dev.haetae.moderation.core.engine.ModerationEngine;
import dev.haetae.moderation.core.legal.JurisdictionProfiles;
import dev.haetae.moderation.core.simulate.SettableClock;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The audit guide's retention section: the plan of what a retention duty lets go. */
class RetentionGuideTest {

  @Test
  void plan(@TempDir Path dir) {
    Path logDir = dir.resolve("log");
    Instant t0 = Instant.parse("2026-12-01T00:00:00Z");
    try (ModerationEngine engine = ModerationEngine.builder().clock(new SettableClock(t0)).logDirectory(logDir)
        .build()) {
      engine.evaluate(ContentEvent.upload(Content.of(ContentId.of("c1"), ContentKind.IMAGE, Surface.GROUP)
          .withFingerprints(RulesGuideTest.upload("c1", "u1").content().fingerprints()), AccountId.of("u1"),
          RoomId.of("r1")));
    }
    Instant now = t0.plus(Duration.ofDays(4 * 365));
    // region plan
    AuditLog log = AuditLog.open(logDir);
    Retention.Plan plan = Retention.plan(log, JurisdictionProfiles.bundled().instruments().values(),
        Duration.ZERO /* the host's own minimum */, now, ProgressListener.NONE);
    System.out.println(plan.rule());          // max(..., KR-TBA-22-5 P1096D, ..., US-18-2258A P366D, floor P0D) = P1096D
    for (Retention.Segment s : plan.removable()) {
      System.out.println(s.name() + " seq " + s.firstSeq() + ".." + s.lastSeq() + ", newest " + s.newest());
    }
    System.out.println("kept: " + plan.keptBecause());   // e.g. the log's last segment, still open for appends
    // endregion
    assertEquals(Duration.ofDays(1096), plan.period());
    assertEquals(0, plan.removable().size());
    assertTrue(plan.keptBecause().contains("last segment"), plan.keptBecause());
  }
}
