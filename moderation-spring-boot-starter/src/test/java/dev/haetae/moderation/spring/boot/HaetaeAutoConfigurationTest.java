package dev.haetae.moderation.spring.boot;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.haetae.moderation.api.AccountId;
import dev.haetae.moderation.api.Action;
import dev.haetae.moderation.api.Category;
import dev.haetae.moderation.api.ContentEvent;
import dev.haetae.moderation.api.ContentId;
import dev.haetae.moderation.api.ContentKind;
import dev.haetae.moderation.api.Decision;
import dev.haetae.moderation.api.Duty;
import dev.haetae.moderation.api.RoomId;
import dev.haetae.moderation.api.Surface;
import dev.haetae.moderation.api.spi.ActionExecutor;
import dev.haetae.moderation.api.spi.ObligationRecord;
import dev.haetae.moderation.core.engine.ModerationEngine;
import dev.haetae.moderation.core.simulate.SettableClock;
import dev.haetae.moderation.core.store.InMemoryObligationStore;
import dev.haetae.moderation.spring.HaetaeEngineCustomizer;
import dev.haetae.moderation.spring.HaetaeProperties;
import dev.haetae.moderation.spring.HaetaePropertyException;
import dev.haetae.moderation.spring.HaetaeSetup;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

/**
 * The auto-configuration under Spring Boot's own test support: properties bind, validation names the
 * property, the engine bean decides and is closed with the context, the health indicator goes DOWN
 * for an unwritable log and an overdue obligation, the host's beans win, and a context runs on the
 * PostgreSQL test server.
 */
class HaetaeAutoConfigurationTest {
  static final byte[] BANNED = "a known non-consensual image".getBytes(StandardCharsets.UTF_8);
  static final String KEY = Base64.getEncoder().encodeToString("0123456789abcdef-secret".getBytes(StandardCharsets.UTF_8));

  @TempDir
  Path dir;

  private ApplicationContextRunner runner() throws Exception {
    Path bank = dir.resolve("victims.csv");
    if (!Files.exists(bank)) {
      String sha = HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(BANNED));
      Files.writeString(bank, "hash,signal_type,category\n" + sha + ",sha256,ncii\n");
    }
    return new ApplicationContextRunner()
        .withConfiguration(AutoConfigurations.of(BootLine.AUTO_CONFIGURATION))
        .withPropertyValues(
            "haetae.banks[0].file=" + bank,
            "haetae.banks[0].format=bank-csv",
            "haetae.pseudonym-key.id=pseudonyms-2026",
            "haetae.pseudonym-key.env=TEST_HAETAE_KEY",
            "TEST_HAETAE_KEY=" + KEY);
  }

  private ApplicationContextRunner fileLog() throws Exception {
    return runner().withPropertyValues("haetae.log-directory=" + dir.resolve("log"));
  }

  private static Decision upload(ModerationEngine engine, String id, byte[] bytes) {
    return engine.evaluate(ContentEvent.upload(ContentId.of(id), AccountId.of("u1"), RoomId.of("r1"), Surface.GROUP,
        ContentKind.IMAGE, bytes));
  }

  private static BootLine.HealthView health(org.springframework.context.ApplicationContext ctx) {
    return BootLine.health(ctx);
  }

  @Test
  void propertiesBind() throws Exception {
    fileLog().withPropertyValues("haetae.tick-every=5m", "haetae.postgres.max-pool-size=3",
        "haetae.postgres.schema=other").run(ctx -> {
          assertNotNull(ctx.getStartupFailure() == null ? "" : null, () -> "failed: " + ctx.getStartupFailure());
          HaetaeProperties p = ctx.getBean(HaetaeProperties.class);
          assertEquals(dir.resolve("log").toString(), p.getLogDirectory());
          assertEquals(Duration.ofMinutes(5), p.getTickEvery());
          assertEquals("bank-csv", p.getBanks().get(0).getFormat());
          assertEquals("pseudonyms-2026", p.getPseudonymKey().getId());
          assertEquals(3, p.getPostgres().getMaxPoolSize());
          assertEquals("other", p.getPostgres().getSchema());
          HaetaeSetup setup = ctx.getBean(HaetaeSetup.class);
          assertEquals(List.of("victims"), setup.bankIds());
          assertEquals(Duration.ofMinutes(5), setup.settings().tickEvery().orElseThrow());
          assertFalse(setup.usesPostgres());
        });
  }

  private static HaetaePropertyException propertyFailure(Throwable failure) {
    for (Throwable t = failure; t != null; t = t.getCause()) {
      if (t instanceof HaetaePropertyException) {
        return (HaetaePropertyException) t;
      }
    }
    throw new AssertionError("no HaetaePropertyException in " + failure, failure);
  }

  @Test
  void validationErrorsNameTheProperty() throws Exception {
    fileLog().withPropertyValues("haetae.banks[0].format=excel").run(ctx ->
        assertEquals("haetae.banks[0].format", propertyFailure(ctx.getStartupFailure()).property()));
    runner().run(ctx -> {
      HaetaePropertyException e = propertyFailure(ctx.getStartupFailure());
      assertEquals("haetae.log-directory", e.property());
      assertTrue(e.getMessage().contains("required"), e.getMessage());
    });
    fileLog().withPropertyValues("haetae.pseudonym-key.env=MISSING_KEY_VARIABLE").run(ctx -> {
      HaetaePropertyException e = propertyFailure(ctx.getStartupFailure());
      assertEquals("haetae.pseudonym-key.env", e.property());
      assertFalse(String.valueOf(ctx.getStartupFailure()).contains(KEY));
    });
    runner().withPropertyValues("haetae.postgres.url=jdbc:postgresql://127.0.0.1:1/x", "haetae.postgres.user=u")
        .run(ctx -> assertEquals("haetae.postgres.shard", propertyFailure(ctx.getStartupFailure()).property()));
  }

  @Test
  void theEngineBeanDecidesAndTheHostsExecutorCarriesItOut() throws Exception {
    List<Decision> executed = new CopyOnWriteArrayList<>();
    fileLog().withBean(ActionExecutor.class, () -> (request, decision) -> executed.add(decision)).run(ctx -> {
      ModerationEngine engine = ctx.getBean(ModerationEngine.class);
      Decision d = upload(engine, "c1", BANNED);
      assertTrue(d.has(Action.Remove.class), d.toString());
      assertEquals(List.of(d.id()), executed.stream().map(Decision::id).toList());
      assertFalse(upload(engine, "c2", "a holiday photo".getBytes(StandardCharsets.UTF_8)).has(Action.Remove.class));
      assertEquals(Optional.of(dir.resolve("log")), engine.logDirectory());
      BootLine.HealthView h = health(ctx);
      assertEquals("UP", h.status(), h.toString());
      assertEquals("loaded: victims=1", h.details().get("banks"));
    });
  }

  @Test
  void theEnginesMetricsAreBoundToTheApplicationsRegistry() throws Exception {
    io.micrometer.core.instrument.simple.SimpleMeterRegistry registry =
        new io.micrometer.core.instrument.simple.SimpleMeterRegistry();
    fileLog().withBean(io.micrometer.core.instrument.MeterRegistry.class, () -> registry).run(ctx -> {
      assertNotNull(ctx.getBean(dev.haetae.moderation.micrometer.HaetaeMetrics.class));
      ModerationEngine engine = ctx.getBean(ModerationEngine.class);
      upload(engine, "c1", BANNED);
      upload(engine, "c2", "a holiday photo".getBytes(StandardCharsets.UTF_8));
      assertEquals(2.0, registry.get("haetae.decisions").counters().stream()
          .mapToDouble(io.micrometer.core.instrument.Counter::count).sum());
      assertEquals(1.0, registry.get("haetae.bank.entries").tag("bank", "victims").gauge().value());
      assertTrue(registry.get("haetae.evaluate").timer().count() >= 2);
    });
  }

  @Test
  void theEngineIsClosedWithTheContext() throws Exception {
    List<ModerationEngine> held = new ArrayList<>();
    fileLog().run(ctx -> held.add(ctx.getBean(ModerationEngine.class)));
    assertEquals(1, held.size());
    assertThrows(IllegalStateException.class, () -> upload(held.get(0), "c3", BANNED));
  }

  @Test
  void healthIsDownWhenTheLogDirectoryIsNotWritable() throws Exception {
    fileLog().run(ctx -> {
      assertEquals("UP", health(ctx).status());
      Path log = dir.resolve("log");
      try (Stream<Path> files = Files.walk(log)) {
        for (Path f : files.sorted(Comparator.reverseOrder()).toList()) {
          Files.delete(f);
        }
      }
      Files.writeString(log, "the volume went away"); // root may write anywhere, so no chmod: no directory
      BootLine.HealthView h = health(ctx);
      assertEquals("DOWN", h.status(), h.toString());
      assertTrue(String.valueOf(h.details().get("log")).startsWith("not writable"), h.toString());
    });
  }

  @Test
  void healthIsDownWhenAnObligationIsOverdueByTheHostsClock() throws Exception {
    SettableClock clock = new SettableClock(Instant.parse("2026-12-05T10:00:00Z"));
    InMemoryObligationStore store = new InMemoryObligationStore();
    Instant deadline = clock.instant().plus(Duration.ofHours(48));
    store.open(new ObligationRecord("ob-1", "US-TAKE-IT-DOWN", "TAKE IT DOWN Act", Category.NCII, ContentId.of("c9"),
        clock.instant(), deadline, List.of(Duty.REMOVE), Duration.ZERO, ObligationRecord.Status.OPEN, deadline, 0,
        Optional.empty()));
    fileLog().withBean(Clock.class, () -> clock)
        .withBean(HaetaeEngineCustomizer.class, () -> b -> b.obligationStore(store))
        .run(ctx -> {
          assertEquals("UP", health(ctx).status());
          clock.advance(Duration.ofHours(49));
          BootLine.HealthView h = health(ctx);
          assertEquals("DOWN", h.status(), h.toString());
          assertTrue(String.valueOf(h.details().get("obligations")).startsWith("1 overdue; earliest ob-1"),
              h.toString());
        });
  }

  @Test
  void theHostsOwnEngineWinsAndTheIndicatorCanBeTurnedOff() throws Exception {
    ModerationEngine own = ModerationEngine.builder().logDirectory(dir.resolve("own-log")).build();
    fileLog().withBean(ModerationEngine.class, () -> own).run(ctx -> {
      assertSame(own, ctx.getBean(ModerationEngine.class));
      // the indicator checks the host's engine against haetae.banks: it does not hold them
      BootLine.HealthView h = health(ctx);
      assertEquals("DOWN", h.status(), h.toString());
      assertEquals("not loaded: victims=missing", h.details().get("banks"));
      assertEquals("writable: " + dir.resolve("own-log"), h.details().get("log"));
    });
    assertThrows(IllegalStateException.class, () -> upload(own, "c4", BANNED), "a host's engine bean is closed too");
    fileLog().withPropertyValues("management.health.haetae.enabled=false").run(ctx -> {
      assertTrue(ctx.containsBean("moderationEngine"));
      assertFalse(ctx.containsBean("haetaeHealthIndicator"));
    });
    runner().withPropertyValues("haetae.enabled=false").run(ctx -> {
      assertEquals(null, ctx.getStartupFailure());
      assertTrue(ctx.getBeansOfType(ModerationEngine.class).isEmpty());
    });
  }

  @Test
  void aContextOnThePostgresTestServer() throws Exception {
    TestPostgres.requireServer("HaetaeAutoConfigurationTest.aContextOnThePostgresTestServer");
    String schema = "spring_" + UUID.randomUUID().toString().replace("-", "").substring(0, 12);
    List<String> props = new ArrayList<>(List.of(
        "haetae.postgres.url=" + TestPostgres.url(),
        "haetae.postgres.user=" + TestPostgres.user(),
        "haetae.postgres.schema=" + schema,
        "haetae.postgres.shard=eu-1",
        "haetae.postgres.max-pool-size=4"));
    if (TestPostgres.password() != null) {
      props.add("haetae.postgres.password=" + TestPostgres.password());
    }
    io.micrometer.core.instrument.simple.SimpleMeterRegistry registry =
        new io.micrometer.core.instrument.simple.SimpleMeterRegistry();
    try {
      runner().withPropertyValues(props.toArray(String[]::new))
          .withBean(io.micrometer.core.instrument.MeterRegistry.class, () -> registry).run(ctx -> {
        assertEquals(null, ctx.getStartupFailure());
        ModerationEngine engine = ctx.getBean(ModerationEngine.class);
        assertTrue(ctx.getBean(HaetaeSetup.class).usesPostgres());
        assertTrue(engine.logDirectory().isEmpty());
        Decision d = upload(engine, "pg-1", BANNED);
        assertTrue(d.has(Action.Remove.class), d.toString());
        assertEquals(1, TestPostgres.count("SELECT count(*) FROM " + schema + ".decision_log WHERE shard = 'eu-1'"
            + " AND decision_id = '" + d.id().value() + "'"));
        BootLine.HealthView h = health(ctx);
        assertEquals("UP", h.status(), h.toString());
        assertEquals("PostgreSQL reachable", h.details().get("stores"));
        assertEquals("PostgreSQL shard eu-1 (checked with the stores)", h.details().get("log"));
        // the adapter's HikariCP pool reports to the application's registry
        assertEquals(4, registry.find("hikaricp.connections.max").tag("pool", "haetae-" + schema).gauge().value());
        assertTrue(registry.find("hikaricp.connections.acquire").tag("pool", "haetae-" + schema).timer().count() >= 1);
        assertFalse(ctx.getBean(HaetaeSetup.class).bindPoolMetrics(registry), "HikariCP takes one registry");
      });
    } finally {
      TestPostgres.drop(schema);
    }
  }
}
