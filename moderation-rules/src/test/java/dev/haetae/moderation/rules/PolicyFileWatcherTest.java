package dev.haetae.moderation.rules;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.haetae.moderation.api.ConfigurationException;
import dev.haetae.moderation.api.Decision;
import dev.haetae.moderation.api.PolicyId;
import dev.haetae.moderation.api.Reason;
import dev.haetae.moderation.api.spi.Policy;
import dev.haetae.moderation.core.audit.AuditLog;
import dev.haetae.moderation.core.audit.LogEvent;
import dev.haetae.moderation.core.audit.LoggedEvent;
import dev.haetae.moderation.core.audit.LoggedRecord;
import dev.haetae.moderation.core.audit.ProgressListener;
import dev.haetae.moderation.core.engine.ModerationEngine;
import dev.haetae.moderation.core.policy.PolicyConfig;
import dev.haetae.moderation.core.policy.PolicyConfigException;
import dev.haetae.moderation.core.simulate.SettableClock;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Hot reload from a file: loaded, checked, swapped whole and logged; a bad file keeps the rules in force. */
class PolicyFileWatcherTest {

  /**
   * Two configurations whose rules disagree if mixed: under A only rule p fires, under B only rule q.
   * A decision that took p from one and q from the other would fire both or neither.
   */
  static String config(String v) {
    boolean a = v.equals("a");
    return "{\"rules\": [\n"
        + "  {\"id\": \"p\", \"version\": \"" + v + "\", \"when\": \"" + a + "\", \"actions\": [\"review\"], \"reason\": \"p\"},\n"
        + "  {\"id\": \"q\", \"version\": \"" + v + "\", \"when\": \"" + !a + "\", \"actions\": [\"review\"], \"reason\": \"q\"}\n"
        + "]}\n";
  }

  static final class Recorder implements PolicyFileWatcher.Listener {
    final List<String> reloaded = Collections.synchronizedList(new ArrayList<>());
    final List<ConfigurationException> rejected = Collections.synchronizedList(new ArrayList<>());
    volatile CountDownLatch reloads = new CountDownLatch(1);

    @Override
    public void reloaded(Path file, PolicyConfig config) {
      reloaded.add(config.hash());
      reloads.countDown();
    }

    @Override
    public void rejected(Path file, ConfigurationException error) {
      rejected.add(error);
    }
  }

  /** Replaces the file as a host should: written beside it, then renamed into place. */
  static void write(Path file, String text) throws Exception {
    Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
    Files.writeString(tmp, text);
    Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
  }

  static String ruleVersion(ModerationEngine engine) {
    return engine.policies().stream().filter(p -> p.id().name().equals("rule:p")).findFirst().orElseThrow()
        .id().version();
  }

  @Test
  void aChangedFileIsSwappedInAndABadOneKeepsTheRulesInForce(@TempDir Path dir) throws Exception {
    Path file = dir.resolve("policies.json");
    Path log = dir.resolve("log");
    write(file, config("a"));
    Recorder rec = new Recorder();
    try (ModerationEngine engine = ModerationEngine.builder().clock(new SettableClock(RulesEngineTest.T0))
        .policyConfig(PolicyConfig.load(file)).logDirectory(log).build();
        PolicyFileWatcher watcher = PolicyFileWatcher.manual(engine, file, rec)) {
      assertFalse(watcher.poll(), "the file the engine was built from is in force already");

      write(file, config("b"));
      assertTrue(watcher.poll());
      assertEquals("b", ruleVersion(engine));
      assertEquals(List.of(PolicyConfig.parse(config("b")).hash()), rec.reloaded);

      // a misspelt field: reported once, with the file's line, and the rules in force stay
      write(file, config("b").replace("\"when\": \"false\"", "\"when\": \"request.kindd == 'x'\""));
      assertFalse(watcher.poll());
      assertFalse(watcher.poll());
      assertEquals(1, rec.rejected.size());
      RuleException bad = (RuleException) rec.rejected.get(0);
      assertEquals("p", bad.ruleId().orElseThrow());
      assertEquals(2, bad.line());
      assertEquals("b", ruleVersion(engine));

      // the same configuration written differently is not applied again
      write(file, config("b").replace("\n", "\n\n"));
      assertFalse(watcher.poll());

      // an engine-side setting needs a restart: the engine refuses, the watcher reports it
      write(file, config("b").replace("{\"rules\"", "{\"policies\": {\"room-escalation\": {\"window\": \"PT1H\"}},"
          + " \"rules\""));
      assertFalse(watcher.poll());
      assertEquals(2, rec.rejected.size());
      assertFalse(rec.rejected.get(1) instanceof PolicyConfigException, rec.rejected.get(1).toString());
      assertTrue(rec.rejected.get(1).getMessage().contains("room_window"), rec.rejected.get(1).getMessage());

      // a missing file is reported once; when it is back it is applied
      Files.delete(file);
      assertFalse(watcher.poll());
      assertFalse(watcher.poll());
      assertEquals(3, rec.rejected.size());
      assertTrue(rec.rejected.get(2).getMessage().contains("cannot read"), rec.rejected.get(2).getMessage());
      write(file, config("a"));
      assertTrue(watcher.poll());
      assertEquals("a", ruleVersion(engine));
    }
    List<String> logged = new ArrayList<>();
    AuditLog.open(log).forEachEntry(ProgressListener.NONE, e -> {
      if (e instanceof LoggedEvent && ((LoggedEvent) e).event() instanceof LogEvent.Configuration) {
        logged.add(((LogEvent.Configuration) ((LoggedEvent) e).event()).configHash().orElseThrow());
      }
    });
    String a = PolicyConfig.parse(config("a")).hash();
    String b = PolicyConfig.parse(config("b")).hash();
    assertEquals(List.of(a, b, a), logged, "each configuration in force is logged, and only those");
  }

  @Test
  void aStartedWatcherPollsOnItsOwnThread(@TempDir Path dir) throws Exception {
    Path file = dir.resolve("policies.json");
    write(file, config("a"));
    Recorder rec = new Recorder();
    try (ModerationEngine engine = ModerationEngine.builder().clock(new SettableClock(RulesEngineTest.T0))
        .policyConfig(PolicyConfig.load(file)).decisionLog(dev.haetae.moderation.api.spi.DecisionLog.DISCARD)
        .build();
        PolicyFileWatcher watcher = PolicyFileWatcher.start(engine, file, Duration.ofMillis(5), rec)) {
      assertFalse(watcher.poll(), "nothing changed yet");
      write(file, config("b"));
      assertTrue(rec.reloads.await(60, TimeUnit.SECONDS), "the watcher's thread never applied the change");
      assertEquals("b", ruleVersion(engine));
    }
  }

  /**
   * Decisions run on four threads while the file flips between A and B twenty times: every logged
   * decision applied the rules of one configuration, whole — its rule ids (with their configuration
   * hashes) are all A's or all B's, and exactly the rule that configuration fires gave the reason.
   */
  @Test
  void aDecisionInFlightDuringASwapRunsWhollyUnderOneConfiguration(@TempDir Path dir) throws Exception {
    Path file = dir.resolve("policies.json");
    Path log = dir.resolve("log");
    write(file, config("a"));
    Set<PolicyId> rulesA = ruleIds(config("a"));
    Set<PolicyId> rulesB = ruleIds(config("b"));
    int threads = 4;
    int swaps = 20;
    AtomicBoolean done = new AtomicBoolean();
    AtomicReference<CountDownLatch> progress = new AtomicReference<>(new CountDownLatch(0));
    List<Decision> returned = Collections.synchronizedList(new ArrayList<>());
    ExecutorService pool = Executors.newFixedThreadPool(threads);
    Recorder rec = new Recorder();
    try (ModerationEngine engine = ModerationEngine.builder().clock(new SettableClock(RulesEngineTest.T0))
        .policyConfig(PolicyConfig.load(file)).logDirectory(log).build();
        PolicyFileWatcher watcher = PolicyFileWatcher.manual(engine, file, rec)) {
      CountDownLatch started = new CountDownLatch(threads);
      List<Future<?>> runs = new ArrayList<>();
      for (int t = 0; t < threads; t++) {
        int thread = t;
        runs.add(pool.submit(() -> {
          started.countDown();
          for (int i = 0; !done.get(); i++) {
            returned.add(engine.evaluate(RulesEngineTest.upload("c" + thread + "-" + i, "u" + thread)));
            progress.get().countDown();
          }
          return null;
        }));
      }
      assertTrue(started.await(60, TimeUnit.SECONDS));
      for (int s = 1; s <= swaps; s++) {
        CountDownLatch next = new CountDownLatch(threads * 2);  // decisions on both sides of every swap
        progress.set(next);
        write(file, config(s % 2 == 1 ? "b" : "a"));
        assertTrue(watcher.poll(), "swap " + s);
        assertTrue(next.await(60, TimeUnit.SECONDS), "decisions stalled after swap " + s);
      }
      done.set(true);
      for (Future<?> f : runs) {
        f.get(60, TimeUnit.SECONDS);
      }
    } finally {
      pool.shutdownNow();
    }
    assertTrue(rec.rejected.isEmpty(), rec.rejected.toString());
    List<Decision> logged = new ArrayList<>();
    AuditLog.open(log).forEach(ProgressListener.NONE, (LoggedRecord r) -> logged.add(r.decision()));
    assertEquals(returned.size(), logged.size());
    int underA = 0;
    int underB = 0;
    for (Decision d : logged) {
      Set<PolicyId> rules = d.policies().stream().filter(p -> p.name().startsWith("rule:")).collect(Collectors.toSet());
      List<String> fired = d.reasons().stream().map(Reason::policy).map(PolicyId::name)
          .filter(n -> n.startsWith("rule:")).collect(Collectors.toList());
      if (rules.equals(rulesA)) {
        underA++;
        assertEquals(List.of("rule:p"), fired, d.id() + " ran under A");
      } else if (rules.equals(rulesB)) {
        underB++;
        assertEquals(List.of("rule:q"), fired, d.id() + " ran under B");
      } else {
        throw new AssertionError(d.id() + " mixed the configurations: " + rules);
      }
    }
    assertTrue(underA > swaps && underB > swaps, "both configurations decided: A " + underA + ", B " + underB);
  }

  static Set<PolicyId> ruleIds(String config) {
    Set<PolicyId> ids = new HashSet<>();
    for (Policy p : PolicyConfig.parse(config).extra()) {
      ids.add(p.id());
    }
    return ids;
  }
}
