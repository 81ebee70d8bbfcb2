package dev.haetae.moderation.micrometer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.haetae.moderation.api.AccountId;
import dev.haetae.moderation.api.Action;
import dev.haetae.moderation.api.Category;
import dev.haetae.moderation.api.Content;
import dev.haetae.moderation.api.ContentEvent;
import dev.haetae.moderation.api.ContentId;
import dev.haetae.moderation.api.ContentKind;
import dev.haetae.moderation.api.Decision;
import dev.haetae.moderation.api.Evidence;
import dev.haetae.moderation.api.Fingerprints;
import dev.haetae.moderation.api.InvalidRequestException;
import dev.haetae.moderation.api.LegalGround;
import dev.haetae.moderation.api.LegalNotice;
import dev.haetae.moderation.api.NoticeSender;
import dev.haetae.moderation.api.Outcome;
import dev.haetae.moderation.api.Pdq;
import dev.haetae.moderation.api.PdqHash;
import dev.haetae.moderation.api.PolicyId;
import dev.haetae.moderation.api.Reason;
import dev.haetae.moderation.api.RoomId;
import dev.haetae.moderation.api.Surface;
import dev.haetae.moderation.api.observe.EngineListener;
import dev.haetae.moderation.api.observe.Evaluation;
import dev.haetae.moderation.api.observe.FollowerLag;
import dev.haetae.moderation.api.observe.LagSource;
import dev.haetae.moderation.api.observe.Stage;
import dev.haetae.moderation.api.spi.Policy;
import dev.haetae.moderation.core.audit.LogEvent;
import dev.haetae.moderation.core.engine.ModerationEngine;
import dev.haetae.moderation.core.hash.HashBanks;
import dev.haetae.moderation.core.simulate.SettableClock;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.io.IOException;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Issue 17: every metric the guide names appears in the registry and moves with what the engine does. */
class HaetaeMetricsTest {
  static final Instant T0 = Instant.parse("2026-11-21T10:00:00Z");
  static final String PDQ_A = "f8f8f0cee0f4a84f06370a22038f63f0b36e2ed596621e1d33e6b39c4e9c9b22";
  static final Map<String, String> DSA = Map.of("explanation", "defamatory", "location", "c2", "name", "A",
      "email", "a@example.org", "good_faith_statement", "accurate");

  /** Blocks past its budget (ignoring interrupts) until released: it times out and trips. */
  static final class Stubborn implements Policy {
    final CountDownLatch release = new CountDownLatch(1);

    @Override
    public PolicyId id() {
      return PolicyId.of("stubborn", "1");
    }

    @Override
    public Outcome evaluate(Evidence evidence) {
      while (true) {
        try {
          if (release.await(1, TimeUnit.DAYS)) {
            return Outcome.none();
          }
        } catch (InterruptedException e) {
          // keeps its thread, as a stuck plugin does
        }
      }
    }

    @Override
    public Duration timeBudget() {
      return Duration.ofMillis(25);
    }
  }

  /** A shadow policy that would remove everything. */
  static final class RemoveAll implements Policy {
    @Override
    public PolicyId id() {
      return PolicyId.of("remove-all", "1");
    }

    @Override
    public Outcome evaluate(Evidence evidence) {
      return Outcome.of(List.of(new Action.Remove()), List.of(Reason.of(id(), "test", "shadow test", Category.NCII,
          LegalGround.terms("ToS 1", "test ground"))));
    }
  }

  static ContentEvent upload(String content, PdqHash pdq) {
    Fingerprints fp = Fingerprints.none().withPdq(new Pdq(pdq, 100, List.of()));
    return ContentEvent.upload(Content.of(ContentId.of(content), ContentKind.IMAGE, Surface.GROUP).withFingerprints(fp),
        AccountId.of("u1"), RoomId.of("r1"));
  }

  static PdqHash random(Random rnd) {
    return new PdqHash(rnd.nextLong(), rnd.nextLong(), rnd.nextLong(), rnd.nextLong());
  }

  /** A class loader whose Policy services file names a class that does not exist. */
  static ClassLoader brokenPlugins(Path dir) throws IOException {
    Path services = dir.resolve("META-INF/services");
    Files.createDirectories(services);
    Files.writeString(services.resolve(Policy.class.getName()), "dev.haetae.test.NoSuchPolicy\n");
    return new URLClassLoader(new URL[] {dir.toUri().toURL()}, HaetaeMetricsTest.class.getClassLoader());
  }

  static double value(MeterRegistry r, String name, String... tags) {
    Meter m = r.find(name).tags(tags).meter();
    assertTrue(m != null, name + " " + List.of(tags) + " is not registered");
    double sum = 0;
    for (var ms : m.measure()) {
      sum += ms.getValue();
    }
    return sum;
  }

  static double count(MeterRegistry r, String name, String... tags) {
    double sum = 0;
    for (Meter m : r.find(name).tags(tags).meters()) { // counters and function counters
      for (var ms : m.measure()) {
        sum += ms.getValue();
      }
    }
    return sum;
  }

  @Test
  void everyMetricAppearsAndMoves(@TempDir Path dir) throws IOException {
    SettableClock clock = new SettableClock(T0);
    HaetaeMetrics metrics = HaetaeMetrics.create(clock, Tags.of("instance", "test"));
    SimpleMeterRegistry registry = new SimpleMeterRegistry();
    metrics.bindTo(registry); // before the engine exists: the order does not matter
    Random rnd = new Random(17);
    HashBanks banks = HashBanks.inMemory().define("large", Category.NCII, 31);
    long[] words = new long[4 * 5000];
    for (int i = 0; i < words.length; i++) {
      words[i] = rnd.nextLong();
    }
    banks.bank("large").addPdqBulk(words, 5000); // large enough to go through the match cache
    Stubborn stubborn = new Stubborn();
    EngineListener broken = new EngineListener() {
      @Override
      public void evaluated(Evaluation evaluation) {
        throw new IllegalStateException("listener bug");
      }
    };
    try (ModerationEngine engine = ModerationEngine.builder().clock(clock).banks(banks).logDirectory(dir.resolve("log"))
        .serviceLoader(true, brokenPlugins(dir.resolve("plugins"))).policies(stubborn).policyThreads(1, 4)
        .policyBreaker(1, Duration.ofMinutes(5)).shadowPolicy(new RemoveAll()).listener(metrics).listener(broken)
        .build()) {
      metrics.watch(engine);
      // a follower two changes behind on one bank, idle for 90 s
      List<FollowerLag> lags = new java.util.concurrent.CopyOnWriteArrayList<>(List.of(
          new FollowerLag("shared", 5, 7, T0.minusSeconds(90))));
      LagSource follower = () -> lags;
      metrics.watchLag(follower).watchLag(follower);
      assertEquals(2, value(registry, "haetae.bank.follower.behind", "bank", "shared"));
      assertEquals(90, value(registry, "haetae.bank.follower.idle", "bank", "shared"));
      lags.set(0, new FollowerLag("shared", 7, 7, T0));
      assertEquals(0, value(registry, "haetae.bank.follower.behind", "bank", "shared"));
      assertEquals(0, value(registry, "haetae.bank.follower.idle", "bank", "shared"));
      assertEquals(1, value(registry, "haetae.plugins.load.failures"));
      engine.changeBanks("host", List.of(new LogEvent.BankEntryChange("add", "stopncii", "pdq", PDQ_A,
          Category.NCII, "a victim's submission")));

      Decision removed = engine.evaluate(upload("c1", PdqHash.fromHex(PDQ_A)));
      assertTrue(removed.has(Action.Remove.class), removed.toString());
      PdqHash other = random(rnd);
      Decision reviewed = engine.evaluate(upload("c2", other));
      Decision again = engine.evaluate(upload("c3", other));
      assertThrows(InvalidRequestException.class, () -> engine.evaluate(null));
      Decision notice = engine.evaluate(new LegalNotice("n1", "EU-DSA-16", ContentId.of("c2"), NoticeSender.USER,
          DSA, T0));
      int withoutRemove = 0;
      long reviews = 0;
      for (Decision d : List.of(removed, reviewed, again, notice)) {
        withoutRemove += d.has(Action.Remove.class) ? 0 : 1;
        reviews += d.actions().stream().filter(a -> a instanceof Action.QueueForReview).count();
      }

      // timers and counters
      for (Stage s : Stage.values()) {
        assertEquals(4, registry.find("haetae.evaluate.stage").tags("stage", s.tag(), "instance", "test").timer()
            .count(), s.tag());
      }
      assertEquals(3, registry.find("haetae.evaluate").tags("request", "content").timer().count());
      assertEquals(1, registry.find("haetae.evaluate").tags("request", "notice").timer().count());
      assertTrue(registry.find("haetae.evaluate.stage").tags("stage", "log").timer().totalTime(TimeUnit.NANOSECONDS)
          > 0);
      assertEquals(3, count(registry, "haetae.decisions", "request", "content"));
      assertEquals(1, count(registry, "haetae.decision.actions", "action", "remove"));
      assertEquals(reviews, count(registry, "haetae.decision.actions", "action", "review"));
      assertEquals(1, count(registry, "haetae.decision.reasons", "code", "bank_match"));
      assertEquals(1, count(registry, "haetae.policy.failures", "policy", "stubborn", "kind", "timed_out", "shadow",
          "false"));
      assertEquals(3, count(registry, "haetae.policy.failures", "policy", "stubborn", "kind", "tripped"));
      assertEquals(4 - withoutRemove, count(registry, "haetae.shadow.outcomes", "policy", "remove-all", "differs",
          "false"));
      assertEquals(withoutRemove, count(registry, "haetae.shadow.outcomes", "policy", "remove-all", "differs",
          "true"));
      assertEquals(1, count(registry, "haetae.evaluate.failures", "request", "invalid", "stage", "validate",
          "exception", "InvalidRequestException"));
      assertEquals(1, count(registry, "haetae.bank.changes", "source", "host", "bank", "stopncii"));
      assertEquals(1, count(registry, "haetae.obligation.events", "type", "opened"));

      // gauges
      assertEquals(engine.banks().banks().size(), value(registry, "haetae.banks"));
      assertEquals(5000, value(registry, "haetae.bank.entries", "bank", "large"));
      assertEquals(1, value(registry, "haetae.bank.entries", "bank", "stopncii"));
      assertEquals(engine.banks().bank("stopncii").version(), value(registry, "haetae.bank.version", "bank",
          "stopncii"));
      assertTrue(value(registry, "haetae.bank.entries", "bank", ModerationEngine.PLATFORM_BANK) >= 1,
          "the removed content was banked; the bank appeared at the next change through the engine or evaluation");
      assertEquals(1, count(registry, "cache.gets", "cache", "haetae.match", "result", "hit"));
      assertTrue(count(registry, "cache.gets", "cache", "haetae.match", "result", "miss") >= 1);
      assertTrue(value(registry, "cache.size", "cache", "haetae.match") >= 1);
      assertEquals(1, value(registry, "haetae.plugins.tripped"));
      assertEquals(1, value(registry, "haetae.plugins.stuck.threads"));
      assertEquals(4, value(registry, "haetae.listener.failures"));
      assertEquals(1, value(registry, "haetae.obligations.open"));
      assertEquals(0, value(registry, "haetae.obligations.due.soon"));
      clock.advance(Duration.ofDays(3).minusMinutes(30));
      assertEquals(1, value(registry, "haetae.obligations.due.soon"), "the deadline is 30 minutes away");
      assertEquals(0, value(registry, "haetae.obligations.breached"));
      clock.advance(Duration.ofHours(1));
      engine.tick();
      assertEquals(1, count(registry, "haetae.obligation.events", "type", "breached"));
      assertEquals(1, value(registry, "haetae.obligations.breached"));
      assertEquals(0, value(registry, "haetae.obligations.due.soon"));
      assertEquals(1, value(registry, "haetae.obligations.open"));

      for (String name : HaetaeMetrics.METRICS) {
        assertFalse(registry.find(name).meters().isEmpty(), name + " is not registered");
        for (Meter m : registry.find(name).meters()) {
          assertEquals("test", m.getId().getTag("instance"), m.getId().toString());
        }
      }
    } finally {
      stubborn.release.countDown();
    }
  }

  /** Issue 17: the file log's group-commit batches reach the batch-size summary and the write timer. */
  @Test
  void logBatchesAreMeasured(@TempDir Path dir) {
    HaetaeMetrics metrics = HaetaeMetrics.create();
    SimpleMeterRegistry registry = new SimpleMeterRegistry();
    metrics.bindTo(registry);
    try (ModerationEngine engine = ModerationEngine.builder().logDirectory(dir).listener(metrics).build()) {
      for (int i = 0; i < 3; i++) {
        engine.evaluate(upload("c" + i, PdqHash.fromHex(PDQ_A)));
      }
    }
    // one thread appends one record at a time (the decisions and the engine's own events): batches of one
    long logged = dev.haetae.moderation.core.audit.AuditLog.open(dir).verify().records();
    assertTrue(logged >= 3, "three decisions at least: " + logged);
    var records = registry.find("haetae.log.batch.records").tags("log", "file").summary();
    assertEquals(logged, records.count());
    assertEquals(logged, records.totalAmount());
    assertEquals(1, records.max());
    var write = registry.find("haetae.log.batch.write").tags("log", "file").timer();
    assertEquals(logged, write.count());
    assertTrue(write.totalTime(TimeUnit.NANOSECONDS) > 0);
  }

  /** A follower whose banks change: the lag gauges follow {@code refreshBanks}; a bank gone reads NaN. */
  @Test
  void followerLagGaugesFollowTheBanks() {
    SettableClock clock = new SettableClock(T0);
    HaetaeMetrics metrics = HaetaeMetrics.create(clock, Tags.empty());
    List<FollowerLag> lags = new java.util.concurrent.CopyOnWriteArrayList<>();
    metrics.watchLag(() -> lags);
    SimpleMeterRegistry registry = new SimpleMeterRegistry();
    metrics.bindTo(registry); // after watchLag: registered at binding
    assertTrue(registry.find("haetae.bank.follower.behind").meters().isEmpty());
    lags.add(new FollowerLag("a", -1, 3, T0));
    metrics.refreshBanks();
    assertEquals(4, value(registry, "haetae.bank.follower.behind", "bank", "a"));
    clock.advance(Duration.ofMinutes(2));
    assertEquals(120, value(registry, "haetae.bank.follower.idle", "bank", "a"));
    lags.clear();
    assertTrue(Double.isNaN(value(registry, "haetae.bank.follower.behind", "bank", "a")));
    metrics.refreshBanks();
    assertTrue(registry.find("haetae.bank.follower.behind").meters().isEmpty());
  }

  @Test
  void oneEnginePerBinderAndEachRegistryOnce(@TempDir Path dir) {
    HaetaeMetrics metrics = HaetaeMetrics.create();
    SimpleMeterRegistry a = new SimpleMeterRegistry();
    try (ModerationEngine one = ModerationEngine.builder().logDirectory(dir.resolve("one")).listener(metrics).build();
        ModerationEngine two = ModerationEngine.builder().logDirectory(dir.resolve("two")).build()) {
      metrics.watch(one).watch(one);
      assertThrows(IllegalStateException.class, () -> metrics.watch(two));
      metrics.bindTo(a);
      metrics.bindTo(a);
      SimpleMeterRegistry b = new SimpleMeterRegistry();
      metrics.bindTo(b);
      one.evaluate(upload("c1", PdqHash.fromHex(PDQ_A)));
      assertEquals(1, count(a, "haetae.decisions"));
      assertEquals(1, count(b, "haetae.decisions"));
    }
  }
}
