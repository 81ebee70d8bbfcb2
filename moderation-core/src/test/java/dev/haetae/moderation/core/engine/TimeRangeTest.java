package dev.haetae.moderation.core.engine;

import static dev.haetae.moderation.core.engine.Fixtures.T0;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.haetae.moderation.api.AccountEvent;
import dev.haetae.moderation.api.AccountId;
import dev.haetae.moderation.api.Appeal;
import dev.haetae.moderation.api.ContentId;
import dev.haetae.moderation.api.DecisionId;
import dev.haetae.moderation.api.LegalNotice;
import dev.haetae.moderation.api.NoticeSender;
import dev.haetae.moderation.api.RoomId;
import dev.haetae.moderation.api.TimeOutOfRangeException;
import dev.haetae.moderation.core.simulate.SettableClock;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;

/** Instants outside the supported range are refused at the engine's door, before anything is logged. */
class TimeRangeTest {
  private static final Instant END = Instant.parse("9999-12-31T00:00:00Z");

  @Test
  void requestTimesOutsideTheRangeAreRefusedAndNothingIsLogged() {
    RecordingLog log = new RecordingLog(new CopyOnWriteArrayList<>());
    try (ModerationEngine engine = ModerationEngine.builder().clock(new SettableClock(T0)).decisionLog(log).build()) {
      TimeOutOfRangeException notice = assertThrows(TimeOutOfRangeException.class, () -> engine.evaluate(
          new LegalNotice("n1", "US-TAKE-IT-DOWN", ContentId.of("c1"), NoticeSender.VICTIM,
              Map.of("signature", "s"), END)));
      assertEquals("notice.receivedAt", notice.field());
      assertThrows(TimeOutOfRangeException.class, () -> engine.evaluate(new Appeal("a1", DecisionId.of("d1"),
          ContentId.of("c1"), AccountId.of("u1"), Instant.MIN, Optional.empty())));
      assertThrows(TimeOutOfRangeException.class, () -> engine.evaluate(new AccountEvent(AccountId.of("u1"),
          Instant.parse("1969-07-20T20:17:00Z"), false, Optional.empty(), List.of())));
      assertThrows(TimeOutOfRangeException.class, () -> engine.evaluate(new AccountEvent(AccountId.of("u1"), T0,
          false, Optional.empty(), List.of(new AccountEvent.RoomJoin(RoomId.of("r1"), END)))));
      assertTrue(log.entries.isEmpty(), "nothing refused reaches the log");
    }
  }

  @Test
  void aTickWithAClockAtTheEndOfTimeIsRefused() {
    SettableClock clock = new SettableClock(T0);
    try (ModerationEngine engine = ModerationEngine.builder().clock(clock)
        .decisionLog(new RecordingLog(new CopyOnWriteArrayList<>())).build()) {
      engine.evaluate(new LegalNotice("n1", "US-TAKE-IT-DOWN", ContentId.of("c1"), NoticeSender.VICTIM,
          Map.of("signature", "J. Doe", "identification", "me", "location", "c1", "good_faith_statement", "yes",
              "contact", "j@example.org"), T0));
      clock.set(END);
      assertThrows(TimeOutOfRangeException.class, engine::tick);
    }
  }
}
