package dev.haetae.docs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.haetae.moderation.api.AccountId;
import dev.haetae.moderation.api.ContentEvent;
import dev.haetae.moderation.api.ContentId;
import dev.haetae.moderation.api.ContentKind;
import dev.haetae.moderation.api.Decision;
import dev.haetae.moderation.api.RoomId;
import dev.haetae.moderation.api.Surface;
import dev.haetae.moderation.api.observe.EngineListener;
import dev.haetae.moderation.api.observe.Evaluation;
import dev.haetae.moderation.api.observe.Stage;
import dev.haetae.moderation.api.Category;
import dev.haetae.moderation.core.engine.ModerationEngine;
import dev.haetae.moderation.core.hash.BankConfig;
import dev.haetae.moderation.core.hash.HashBanks;
import dev.haetae.moderation.postgres.BankFollower;
import dev.haetae.moderation.postgres.HaetaePostgres;
import com.zaxxer.hikari.HikariDataSource;
import dev.haetae.moderation.micrometer.HaetaeMetrics;
import dev.haetae.moderation.opentelemetry.HaetaeTracing;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The code quoted in src-docs/metrics.md, and the guide's list of metrics against the binder's. */
class MetricsGuideTest {

  @Test
  void bindTheEngineToARegistry(@TempDir Path dir) {
    MeterRegistry registry = new SimpleMeterRegistry(); // the application's registry
    Clock clock = Clock.systemUTC();
    // region bind
    HaetaeMetrics metrics = HaetaeMetrics.create(clock, Tags.of("instance", "eu-1"));
    ModerationEngine engine = ModerationEngine.builder()
        .clock(clock)
        .logDirectory(dir)
        .listener(metrics)            // timers and counters, recorded as the engine works
        .build();
    metrics.watch(engine);            // gauges: banks, match cache, obligations, plugins
    metrics.bindTo(registry);         // a MeterBinder: Spring Boot binds it when it is a bean
    // endregion
    try (engine) {
      engine.evaluate(ContentEvent.upload(ContentId.of("c1"), AccountId.of("u1"), RoomId.of("r1"),
          Surface.GROUP, ContentKind.FILE, "hello".getBytes(StandardCharsets.UTF_8)));
      assertEquals(1, registry.find("haetae.decisions").tag("instance", "eu-1").counter().count());
      assertEquals(1, registry.find("haetae.evaluate.stage").tag("stage", "log").timer().count());
    }
  }

  @Test
  void aListenerOfYourOwn(@TempDir Path dir) {
    AtomicLong slowLogs = new AtomicLong();
    AtomicLong slowest = new AtomicLong();
    // region listener
    EngineListener slowLogAlert = new EngineListener() {
      @Override
      public void evaluated(Evaluation e) {  // on the request thread, after the decision was logged
        long log = e.nanos(Stage.LOG);
        slowest.accumulateAndGet(log, Math::max);
        if (log > Duration.ofMillis(50).toNanos()) {
          slowLogs.incrementAndGet();       // keep it short: count, or hand over to another thread
        }
      }
    };
    // endregion
    try (ModerationEngine engine = ModerationEngine.builder().logDirectory(dir).listener(slowLogAlert).build()) {
      Decision d = engine.evaluate(ContentEvent.upload(ContentId.of("c1"), AccountId.of("u1"), RoomId.of("r1"),
          Surface.GROUP, ContentKind.FILE, "hello".getBytes(StandardCharsets.UTF_8)));
      assertTrue(d.actions().size() >= 1);
      assertEquals(0, engine.listenerFailures());
      assertTrue(slowest.get() > 0, "the durable append was timed");
      assertTrue(slowLogs.get() <= 1);
    }
  }

  @Test
  void stageTimesInThreadCpu(@TempDir Path dir) {
    long[] cpu = new long[Stage.values().length];
    // region stage-clock
    java.lang.management.ThreadMXBean threads = java.lang.management.ManagementFactory.getThreadMXBean();
    EngineListener cpuByStage = new EngineListener() {
      @Override
      public void evaluated(Evaluation e) {
        for (Stage s : Stage.values()) {
          cpu[s.ordinal()] += e.nanos(s);  // CPU nanoseconds of the evaluating thread
        }
      }
    };
    ModerationEngine engine = ModerationEngine.builder().logDirectory(dir)
        .listener(cpuByStage)
        .stageClock(threads::getCurrentThreadCpuTime)  // each stage's CPU, not the time that passed
        .build();
    // endregion
    try (engine) {
      engine.evaluate(ContentEvent.upload(ContentId.of("c1"), AccountId.of("u1"), RoomId.of("r1"),
          Surface.GROUP, ContentKind.FILE, "hello".getBytes(StandardCharsets.UTF_8)));
      long sum = 0;
      for (long n : cpu) {
        assertTrue(n >= 0);
        sum += n;
      }
      assertTrue(sum > 0, "the decision's stages took CPU");
      assertEquals(0, engine.listenerFailures());
    }
  }

  /**
   * On the PostgreSQL test server (skipped without one): the follower's lag and the adapter's own
   * HikariCP pool appear in the registry, as the guide shows for a host without Spring.
   */
  @Test
  void theFollowersLagAndThePoolOnPostgres() throws Exception {
    DocsPostgres.requireServer("MetricsGuideTest.theFollowersLagAndThePoolOnPostgres");
    String schema = "docs_metrics_" + Long.toHexString(System.nanoTime());
    MeterRegistry registry = new SimpleMeterRegistry();
    HaetaeMetrics metrics = HaetaeMetrics.create();
    metrics.bindTo(registry);
    try (HaetaePostgres pg = HaetaePostgres.builder().jdbcUrl(DocsPostgres.url())
        .credentials(DocsPostgres.user(), DocsPostgres.password()).schema(schema).build();
        BankFollower follower = pg.followBanks(HashBanks.inMemory(), Duration.ofSeconds(5))) {
      follower.connect(BankConfig.builder("victims", Category.NCII).pdqDistance(31).build());
      // region lag
      metrics.watchLag(follower);       // haetae.bank.follower.behind and .idle, per bank
      // endregion
      assertEquals(0, registry.find("haetae.bank.follower.behind").tag("bank", "victims").gauge().value());
      // region hikari
      // HaetaePostgres's own pool is a HikariDataSource: HikariCP records into Micrometer itself
      ((HikariDataSource) pg.dataSource()).setMetricRegistry(registry);
      // endregion
      try (java.sql.Connection c = pg.dataSource().getConnection()) {
        assertTrue(c.isValid(5));
      }
      assertEquals(pg.dataSource().unwrap(HikariDataSource.class).getMaximumPoolSize(),
          registry.find("hikaricp.connections.max").tag("pool", "haetae-" + schema).gauge().value());
      assertTrue(registry.find("hikaricp.connections.acquire").tag("pool", "haetae-" + schema).timer().count() >= 1);
    } finally {
      DocsPostgres.drop(schema);
    }
  }

  @Test
  void tracesWithOpenTelemetry(@TempDir Path dir) {
    io.opentelemetry.sdk.testing.exporter.InMemorySpanExporter exporter =
        io.opentelemetry.sdk.testing.exporter.InMemorySpanExporter.create();
    try (io.opentelemetry.sdk.OpenTelemetrySdk openTelemetry = io.opentelemetry.sdk.OpenTelemetrySdk.builder()
        .setTracerProvider(io.opentelemetry.sdk.trace.SdkTracerProvider.builder()
            .addSpanProcessor(io.opentelemetry.sdk.trace.export.SimpleSpanProcessor.create(exporter)).build())
        .build()) {
      // region tracing
      HaetaeTracing tracing = HaetaeTracing.create(openTelemetry);   // the application's OpenTelemetry
      ModerationEngine engine = ModerationEngine.builder()
          .logDirectory(dir)
          .listener(tracing)            // a span per evaluation, a child span per stage
          .build();
      // endregion
      try (engine) {
        Decision d = engine.evaluate(ContentEvent.upload(ContentId.of("c1"), AccountId.of("u1"), RoomId.of("r1"),
            Surface.GROUP, ContentKind.FILE, "hello".getBytes(StandardCharsets.UTF_8)));
        var spans = exporter.getFinishedSpanItems();
        assertEquals(1 + Stage.values().length, spans.size());
        assertTrue(spans.stream().anyMatch(s -> s.getName().equals("haetae.stage.log")));
        assertTrue(spans.stream().anyMatch(s -> d.id().value().equals(s.getAttributes().get(HaetaeTracing.DECISION_ID))));
      }
    }
  }

  @Test
  void theGuideListsEveryMetric() throws IOException {
    String guide = Files.readString(Path.of("metrics.md"));
    Matcher m = Pattern.compile("^\\| `(haetae\\.[a-z.]+)` \\|", Pattern.MULTILINE).matcher(guide);
    java.util.Set<String> listed = new java.util.TreeSet<>();
    while (m.find()) {
      listed.add(m.group(1));
    }
    assertEquals(new java.util.TreeSet<>(HaetaeMetrics.METRICS), listed, "the guide's table and HaetaeMetrics.METRICS");
  }
}
