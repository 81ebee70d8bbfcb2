package dev.haetae.moderation.core.audit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The submission client against a local server that applies the database's rules and answers as
 * its API documentation says: batches of at most 100, the bearer token, 429/5xx retried with
 * backoff (recorded, never slept), refused statements reported with the server's reasons, and a
 * checkpoint that makes a second run send nothing and a resumed run send only the rest.
 */
class SorSubmissionTest {

  private static List<String> statements(int n) throws Exception {
    List<String> out = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      ObjectNode s = StatementsOfReasonsTest.valid();
      s.put("puid", "haetae-" + i);
      out.add(Frames.JSON.writeValueAsString(s));
    }
    return out;
  }

  @Test
  void batchesRetriesAndResumes(@TempDir Path dir) throws Exception {
    Path checkpoint = dir.resolve("checkpoint");
    List<Duration> waits = new ArrayList<>();
    List<String> all = statements(250);
    try (FakeTransparencyDatabase db = new FakeTransparencyDatabase()) {
      db.scripted.add(429);
      db.scripted.add(503);
      SorSubmission sub = SorSubmission.builder(db.base(), FakeTransparencyDatabase.TOKEN, checkpoint)
          .sleeper(waits::add).build();
      SorSubmission.Result r = sub.submit(all.subList(0, 150));
      assertEquals(150, r.accepted());
      assertEquals(List.of(429, 503, 201, 201), db.answered);
      assertEquals(List.of(Duration.ofSeconds(2), Duration.ofSeconds(2)), waits, "Retry-After is honoured");
      assertEquals(100, db.largestBatch);
      // a rerun over everything sends only what the checkpoint does not hold
      SorSubmission.Result again = sub.submit(all);
      assertEquals(150, again.skipped());
      assertEquals(100, again.accepted());
      assertEquals(250, db.stored.size());
      assertEquals(250, Files.readAllLines(checkpoint).size());
      // a lost checkpoint: the database's puid uniqueness makes the rerun idempotent
      Files.delete(checkpoint);
      SorSubmission.Result lost = sub.submit(all.subList(0, 10));
      assertEquals(0, lost.accepted());
      assertEquals(10, lost.alreadyPresent());
      assertEquals(250, db.stored.size());
    }
  }

  @Test
  void refusedStatementsAreReportedWithTheServersReasonAndTheRestIsCreated(@TempDir Path dir) throws Exception {
    List<String> batch = statements(5);
    ObjectNode bad = (ObjectNode) Frames.JSON.readTree(batch.get(2));
    bad.put("category", "STATEMENT_CATEGORY_NON_CONSENSUAL_BEHAVIOUR");
    batch.set(2, Frames.JSON.writeValueAsString(bad));
    try (FakeTransparencyDatabase db = new FakeTransparencyDatabase()) {
      SorSubmission.Result r = SorSubmission.builder(db.base(), FakeTransparencyDatabase.TOKEN,
          dir.resolve("cp")).sleeper(d -> { }).build().submit(batch);
      assertEquals(4, r.accepted());
      assertEquals(1, r.refused().size());
      assertEquals("haetae-2", r.refused().get(0).puid());
      assertEquals(Map.of("category", List.of("The category has a value that is not allowed:"
          + " \"STATEMENT_CATEGORY_NON_CONSENSUAL_BEHAVIOUR\".")), r.refused().get(0).reasons());
      assertEquals(List.of(422, 201), db.answered, "the database created none of the first batch");
    }
  }

  @Test
  void aWrongTokenAndExhaustedRetriesStopWithTheStatus(@TempDir Path dir) throws Exception {
    try (FakeTransparencyDatabase db = new FakeTransparencyDatabase()) {
      SorSubmission.SubmissionException e = assertThrows(SorSubmission.SubmissionException.class,
          () -> SorSubmission.builder(db.base(), "wrong", dir.resolve("cp")).build().submit(statements(1)));
      assertEquals(401, e.status());
      for (int i = 0; i < 3; i++) {
        db.scripted.add(500);
      }
      List<Duration> waits = new ArrayList<>();
      e = assertThrows(SorSubmission.SubmissionException.class, () -> SorSubmission.builder(db.base(),
          FakeTransparencyDatabase.TOKEN, dir.resolve("cp")).maxAttempts(3).sleeper(waits::add).build()
          .submit(statements(1)));
      assertEquals(500, e.status());
      assertEquals(2, waits.size());
      assertTrue(db.stored.isEmpty());
    }
    assertThrows(IllegalArgumentException.class, () -> SorSubmission.builder(java.net.URI.create("ftp://x"), "t",
        dir.resolve("cp")));
    assertThrows(IllegalArgumentException.class, () -> SorSubmission.builder(java.net.URI.create("https://x"),
        "a b", dir.resolve("cp")));
  }

  @Test
  void connectionFailuresAreRetriedWithExponentialBackoff(@TempDir Path dir) throws Exception {
    java.net.URI closed;
    try (FakeTransparencyDatabase db = new FakeTransparencyDatabase()) {
      closed = db.base();
    }
    List<Duration> waits = new ArrayList<>();
    SorSubmission.SubmissionException e = assertThrows(SorSubmission.SubmissionException.class,
        () -> SorSubmission.builder(closed, FakeTransparencyDatabase.TOKEN, dir.resolve("cp")).maxAttempts(4)
            .sleeper(waits::add).build().submit(statements(1)));
    assertEquals(0, e.status());
    assertEquals(List.of(Duration.ofSeconds(1), Duration.ofSeconds(2), Duration.ofSeconds(4)), waits);
  }
}
