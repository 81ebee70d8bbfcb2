package dev.haetae.examples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.haetae.moderation.api.spi.DecisionLog;
import dev.haetae.moderation.core.simulate.Simulator;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The example's synthetic day, written as an event stream, replays to the same decisions. */
class MessengerBackendTest {

  @Test
  void theWrittenDayReplaysToTheSameDecisions(@TempDir Path dir) {
    Path stream = dir.resolve("day.jsonl");
    Map<String, Integer> live = MessengerBackend.runDay(dir.resolve("log"), stream);
    assertTrue(live.getOrDefault("remove", 0) > 10, live.toString());
    assertTrue(live.containsKey("report_authority"), live.toString());
    assertTrue(live.containsKey("restrict_forwarding"), "repeat offenders or rooms: " + live);
    Simulator.Summary replay = Simulator.builder().engine(b -> b.decisionLog(DecisionLog.DISCARD))
        .output(line -> { }).build().run(stream);
    assertTrue(replay.errors().isEmpty(), replay.errors().toString());
    assertEquals(live, replay.actions());
  }
}
