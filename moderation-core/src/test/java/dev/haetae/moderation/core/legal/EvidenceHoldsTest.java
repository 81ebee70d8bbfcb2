package dev.haetae.moderation.core.legal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.haetae.moderation.api.ContentId;
import dev.haetae.moderation.api.spi.EvidenceHold;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

class EvidenceHoldsTest {
  private static final ContentId C = ContentId.of("c1");
  private static final Instant T = Instant.parse("2026-11-21T10:00:00Z");

  @Test
  void heldEvidenceIsNeverDeletableBeforeItsLastHoldEnds() {
    EvidenceHolds holds = new EvidenceHolds();
    holds.place(C, "EU-TCO-3:o1", "TCO Art. 6", T, Duration.ofDays(186));
    holds.place(C, "US-18-2258A:o2", "2258A(h)", T.plus(Duration.ofDays(10)), Duration.ofDays(366));
    Instant last = T.plus(Duration.ofDays(376));
    assertEquals(List.of(), holds.expire(T.plus(Duration.ofDays(185))));
    List<EvidenceHold> first = holds.expire(T.plus(Duration.ofDays(186)));
    assertEquals(1, first.size());
    assertFalse(holds.mayDelete(C, T.plus(Duration.ofDays(200))), "the other hold still binds");
    assertFalse(holds.mayDelete(C, last.minusNanos(1)));
    assertTrue(holds.mayDelete(C, last));
    assertEquals(last, holds.heldUntil(C, T).get());
    assertTrue(holds.mayDelete(ContentId.of("never-held"), T));
  }

  @Test
  void placingTheSameBasisAgainNeverShortensAHold() {
    EvidenceHolds holds = new EvidenceHolds();
    holds.place(C, "b", "x", T, Duration.ofDays(30));
    EvidenceHold shorter = holds.place(C, "b", "x", T.plus(Duration.ofDays(1)), Duration.ofDays(2));
    assertEquals(T.plus(Duration.ofDays(30)), shorter.until());
    EvidenceHold longer = holds.place(C, "b", "x", T.plus(Duration.ofDays(20)), Duration.ofDays(30));
    assertEquals(T.plus(Duration.ofDays(50)), longer.until());
    assertEquals(1, holds.on(C).size());
    assertEquals(1, holds.expire(T.plus(Duration.ofDays(60))).size(), "expired once, at its latest end");
  }

  @Test
  void calendarPeriodsInProfilesHoldAtLeastAsLongAsTheCalendarSays() {
    Duration year = JurisdictionProfiles.bundled().instrument("US-18-2258A").get().preserveFor();
    Duration sixMonths = JurisdictionProfiles.bundled().instrument("EU-TCO-3").get().preserveFor();
    Random rnd = new Random(11);
    for (int i = 0; i < 1000; i++) {
      Instant from = Instant.ofEpochSecond(1_600_000_000L + (long) (rnd.nextDouble() * 600_000_000L));
      assertFalse(from.plus(year).isBefore(from.atZone(ZoneOffset.UTC).plusYears(1).toInstant()));
      assertFalse(from.plus(sixMonths).isBefore(from.atZone(ZoneOffset.UTC).plusMonths(6).toInstant()));
    }
  }
}
