package dev.haetae.moderation.core.engine;

import static dev.haetae.moderation.core.engine.Fixtures.T0;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.haetae.moderation.api.AccountId;
import dev.haetae.moderation.api.ContentId;
import dev.haetae.moderation.api.Decision;
import dev.haetae.moderation.api.ReporterId;
import dev.haetae.moderation.api.Target;
import dev.haetae.moderation.api.spi.DecisionLog;
import dev.haetae.moderation.core.audit.AuditLog;
import dev.haetae.moderation.core.audit.EngineLog;
import dev.haetae.moderation.core.audit.LogEvent;
import dev.haetae.moderation.core.audit.LoggedEvent;
import dev.haetae.moderation.core.audit.LoggedRecord;
import dev.haetae.moderation.core.audit.ProgressListener;
import dev.haetae.moderation.core.simulate.SettableClock;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * A child JVM runs the crash script and is killed ({@code Runtime.halt}, as a {@code kill -9})
 * right after one decision is durable in the log, before any of its effects: an engine started on
 * the same log carries the decision out, and the stores end exactly as if there had been no crash;
 * a second start changes nothing more. Each request kind of the script is the one cut short once.
 */
class CrashRecoveryTest {

  @ParameterizedTest(name = "killed after decision {0}")
  @ValueSource(ints = {1, 3, 4, 5, 6, 7, 8, 9})
  void aDecisionLoggedBeforeACrashIsCarriedOutOnceOnRestart(int m, @TempDir Path dir) throws Exception {
    Process child = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-cp",
        System.getProperty("java.class.path"), CrashScript.class.getName(), dir.toString(), Integer.toString(m))
        .redirectErrorStream(true).start();
    assertTrue(child.waitFor(120, TimeUnit.SECONDS), "the child finishes");
    String output = new String(child.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertEquals(137, child.exitValue(), "the child halted after decision " + m + ": " + output);

    // the stores as the child left them: the first m - 1 decisions, fully carried out
    SettableClock clock = new SettableClock(T0);
    Stores stores = Stores.inMemory();
    try (ModerationEngine warm = CrashScript.engine(clock, wrap(), stores, (r, d) -> { })) {
      CrashScript.run(warm, clock, m - 1);
    }
    assertEquals(1, AuditLog.open(dir).pending().size(), "decision " + m + " is pending in the outbox");
    LoggedRecord last = lastDecision(dir);

    List<Decision> delivered = new CopyOnWriteArrayList<>();
    clock.set(T0.plus(Duration.ofHours(1)));
    try (EngineLog log = CrashScript.log(dir);
        ModerationEngine restarted = CrashScript.engine(clock, log, stores, (r, d) -> delivered.add(d))) {
      assertEquals(1, delivered.size(), "delivered again, once");
      assertEquals(last.decision().id(), delivered.get(0).id());
      assertTrue(restarted.recover().isEmpty(), "nothing left once recovered");
    }
    String recovered = state(stores);
    try (EngineLog log = CrashScript.log(dir);
        ModerationEngine again = CrashScript.engine(clock, log, stores, (r, d) -> delivered.add(d))) {
      assertEquals(1, delivered.size(), "nothing left to deliver");
      assertTrue(again.recover().isEmpty());
    }
    assertEquals(recovered, state(stores), "a second start changes nothing");
    assertTrue(AuditLog.open(dir).pending().isEmpty());

    // what the stores hold when nothing crashed
    SettableClock clock2 = new SettableClock(T0);
    Stores control = Stores.inMemory();
    try (ModerationEngine e = CrashScript.engine(clock2, wrap(), control, (r, d) -> { })) {
      CrashScript.run(e, clock2, m);
    }
    assertEquals(state(control), recovered, "each effect applied exactly once");

    List<String> kinds = new ArrayList<>();
    AuditLog.open(dir).forEachEntry(ProgressListener.NONE, x -> {
      if (x instanceof LoggedEvent) {
        LogEvent ev = ((LoggedEvent) x).event();
        kinds.add(ev.kind().wireName() + (ev instanceof LogEvent.Delivery ? ":" + ((LogEvent.Delivery) ev).outcome()
            : ""));
      }
    });
    assertTrue(kinds.contains("delivery:redelivered") && kinds.contains("recovery"), kinds.toString());
  }

  private static DecisionLog wrap() {
    return DecisionLog.DISCARD;
  }

  private static LoggedRecord lastDecision(Path dir) {
    LoggedRecord[] last = {null};
    AuditLog.open(dir).forEach(ProgressListener.NONE, r -> last[0] = r);
    return last[0];
  }

  /** What the stores hold, decision ids (random per engine) left out. */
  static String state(Stores s) throws IOException {
    java.time.Instant later = T0.plus(Duration.ofDays(1));
    StringBuilder sb = new StringBuilder();
    sb.append(s.obligations().all()).append('\n').append(s.holds().all()).append('\n');
    for (String a : List.of("u1", "u9", "rep1")) {
      sb.append(a).append(':').append(s.strikes().live(AccountId.of(a), later)).append(' ')
          .append(s.reputation().reporter(ReporterId.of(a))).append('\n');
    }
    for (String c : List.of("c1", "c9", "c10")) {
      sb.append(s.reputation().reports(Target.content(ContentId.of(c)))).append('\n');
    }
    return sb.toString().replaceAll("[0-9a-f]{8}-\\d+", "D");
  }
}
