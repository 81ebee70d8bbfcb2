package dev.haetae.moderation.core.engine;

import static dev.haetae.moderation.core.engine.Fixtures.T0;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.haetae.moderation.api.AccountId;
import dev.haetae.moderation.api.Category;
import dev.haetae.moderation.api.ConfigurationException;
import dev.haetae.moderation.api.Content;
import dev.haetae.moderation.api.ContentEvent;
import dev.haetae.moderation.api.ContentId;
import dev.haetae.moderation.api.ContentKind;
import dev.haetae.moderation.api.InvalidRequestException;
import dev.haetae.moderation.api.LegalNotice;
import dev.haetae.moderation.api.LimitExceededException;
import dev.haetae.moderation.api.Limits;
import dev.haetae.moderation.api.NoticeSender;
import dev.haetae.moderation.api.ReporterId;
import dev.haetae.moderation.api.RoomId;
import dev.haetae.moderation.api.Surface;
import dev.haetae.moderation.api.Target;
import dev.haetae.moderation.api.UserReport;
import dev.haetae.moderation.core.simulate.SettableClock;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ValidationTest {

  @Test
  void malformedIdsAreRejectedAtConstructionNamingTheField() {
    InvalidRequestException e = assertThrows(InvalidRequestException.class, () -> ContentId.of(" "));
    assertEquals("contentId", e.field());
    assertEquals("reporterId", assertThrows(InvalidRequestException.class, () -> ReporterId.of(null)).field());
    assertEquals("report.category", assertThrows(InvalidRequestException.class,
        () -> new UserReport(ReporterId.of("u"), Target.content(ContentId.of("c")), null, Optional.empty())).field());
  }

  @Test
  void overLimitInputIsRejectedAndNothingIsLoggedOrLost() {
    RecordingLog log = new RecordingLog(new CopyOnWriteArrayList<>());
    try (ModerationEngine engine = ModerationEngine.builder().clock(new SettableClock(T0)).decisionLog(log)
        .limits(Limits.builder().maxTextChars(10).maxIdChars(8).build()).build()) {
      engine.evaluate(Fixtures.upload("ok"));
      LimitExceededException e = assertThrows(LimitExceededException.class, () -> engine.evaluate(
          new UserReport(ReporterId.of("u2"), Target.content(ContentId.of("ok")), Category.NCII,
              Optional.of("far too long a text"))));
      assertEquals("report.text", e.field());
      assertEquals(10, e.limit());
      assertEquals("content_event.content.id", assertThrows(LimitExceededException.class,
          () -> engine.evaluate(Fixtures.upload("a-very-long-content-id"))).field());
      assertEquals(1, log.entries.size(), "the accepted decision is still there, nothing else was logged");
    }
  }

  @Test
  void emptyContentEventsAndNullRequestsAreRejected() {
    RecordingLog log = new RecordingLog(new CopyOnWriteArrayList<>());
    try (ModerationEngine engine = ModerationEngine.builder().decisionLog(log).build()) {
      assertEquals("request", assertThrows(InvalidRequestException.class, () -> engine.evaluate(null)).field());
      ContentEvent empty = ContentEvent.upload(Content.of(ContentId.of("c"), ContentKind.IMAGE, Surface.GROUP),
          AccountId.of("u"), RoomId.of("r"));
      assertTrue(assertThrows(InvalidRequestException.class, () -> engine.evaluate(empty)).getMessage()
          .contains("neither bytes nor fingerprints"));
      assertEquals("notice.fields.signature", assertThrows(LimitExceededException.class, () -> engine.evaluate(
          new LegalNotice("n1", "US-TAKE-IT-DOWN", ContentId.of("c"), NoticeSender.VICTIM,
              Map.of("signature", "x".repeat(20_000)), T0))).field());
      assertTrue(log.entries.isEmpty());
    }
  }

  @Test
  void contradictoryBuilderSettingsFailFast(@TempDir Path dir) {
    ConfigurationException e = assertThrows(ConfigurationException.class, () -> ModerationEngine.builder()
        .decisionLog(new RecordingLog(new CopyOnWriteArrayList<>())).logDirectory(dir).build());
    assertTrue(e.getMessage().contains("decisionLog or logDirectory"));
    assertTrue(assertThrows(ConfigurationException.class, () -> ModerationEngine.builder().escalateAt(0.8, 0.5)
        .build()).getMessage().contains("escalateAt"));
  }
}
