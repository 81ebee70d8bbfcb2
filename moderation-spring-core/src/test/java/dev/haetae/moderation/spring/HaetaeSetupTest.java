package dev.haetae.moderation.spring;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
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
import dev.haetae.moderation.api.spi.ObligationRecord;
import dev.haetae.moderation.core.engine.ModerationEngine;
import dev.haetae.moderation.core.engine.PolicyIsolation;
import dev.haetae.moderation.core.simulate.SettableClock;
import dev.haetae.moderation.core.store.InMemoryObligationStore;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Duration;
import java.time.Instant;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The set-up built from properties: banks, policies, the file log, and the health checks. */
class HaetaeSetupTest {
  static final byte[] BANNED = "a known non-consensual image".getBytes(StandardCharsets.UTF_8);

  @TempDir
  Path dir;

  static String sha256(byte[] bytes) throws Exception {
    return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
  }

  private HaetaeProperties properties() throws Exception {
    Path bank = Files.writeString(dir.resolve("victims.csv"),
        "hash,signal_type,category\n" + sha256(BANNED) + ",sha256,ncii\n");
    HaetaeProperties p = new HaetaeProperties();
    p.setLogDirectory(dir.resolve("log").toString());
    HaetaeProperties.Bank b = new HaetaeProperties.Bank();
    b.setFile(bank.toString());
    p.getBanks().add(b);
    p.getPseudonymKey().setId("k1");
    p.getPseudonymKey().setEnv("KEY");
    return p;
  }

  private HaetaeSetup open(HaetaeProperties p, SettableClock clock) {
    return HaetaeSetup.open(HaetaeSettings.from(p, Map.of("KEY", HaetaeSettingsTest.KEY)::get), clock);
  }

  @Test
  void theEngineMatchesTheConfiguredBankAndLogsToTheDirectory() throws Exception {
    SettableClock clock = new SettableClock(Instant.parse("2026-12-05T10:00:00Z"));
    try (HaetaeSetup setup = open(properties(), clock);
        ModerationEngine engine = setup.buildEngine(List.of(b -> b.policyIsolation(PolicyIsolation.INLINE)))) {
      assertEquals(List.of("victims"), setup.bankIds());
      Decision d = engine.evaluate(ContentEvent.upload(ContentId.of("c1"), AccountId.of("u1"), RoomId.of("r1"),
          Surface.GROUP, ContentKind.IMAGE, BANNED));
      assertTrue(d.has(Action.Remove.class), d.toString());
      assertEquals(Optional.of(dir.resolve("log")), engine.logDirectory());
      assertTrue(Files.list(dir.resolve("log")).anyMatch(f -> f.getFileName().toString().startsWith("segment-")));
      HaetaeHealth h = HaetaeHealth.check(engine, setup);
      assertTrue(h.up(), h.toString());
      assertEquals(List.of("log", "stores", "banks", "obligations"), List.copyOf(h.details().keySet()));
      assertEquals("loaded: victims=1", h.details().get("banks"));
      assertThrows(IllegalStateException.class, () -> setup.buildEngine(List.of()), "one engine per set-up");
    }
  }

  @Test
  void aBankFileThatContributesNothingIsRefusedByItsProperty() throws Exception {
    HaetaeProperties p = properties();
    Files.writeString(Path.of(p.getBanks().get(0).getFile()), "hash,signal_type\nnot-a-hash,sha256\n");
    HaetaePropertyException e = assertThrows(HaetaePropertyException.class,
        () -> open(p, new SettableClock(Instant.EPOCH)));
    assertEquals("haetae.banks[0].file", e.property());
    assertTrue(e.getMessage().contains("contributed nothing"), e.getMessage());
  }

  @Test
  void aPolicyFileThatDoesNotValidateIsRefusedByItsProperty() throws Exception {
    HaetaeProperties p = properties();
    p.setPolicies(Files.writeString(dir.resolve("policies.json"), "{\"policies\": [").toString());
    HaetaePropertyException e = assertThrows(HaetaePropertyException.class,
        () -> open(p, new SettableClock(Instant.EPOCH)));
    assertEquals("haetae.policies", e.property());
  }

  @Test
  void healthIsDownWhenTheLogDirectoryGoesAwayOrAnObligationIsOverdue() throws Exception {
    SettableClock clock = new SettableClock(Instant.parse("2026-12-05T10:00:00Z"));
    InMemoryObligationStore store = new InMemoryObligationStore();
    Instant deadline = clock.instant().plus(Duration.ofHours(2));
    store.open(new ObligationRecord("ob-1", "US-TAKE-IT-DOWN", "TAKE IT DOWN Act", Category.NCII, ContentId.of("c9"),
        clock.instant(), deadline, List.of(Duty.REMOVE), Duration.ZERO, ObligationRecord.Status.OPEN, deadline, 0,
        Optional.empty()));
    try (HaetaeSetup setup = open(properties(), clock);
        ModerationEngine engine = setup.buildEngine(List.of(b -> b.obligationStore(store)))) {
      assertTrue(HaetaeHealth.check(engine, setup).up());
      clock.advance(Duration.ofHours(3));
      HaetaeHealth late = HaetaeHealth.check(engine, setup);
      assertFalse(late.up());
      assertTrue(late.details().get("obligations").startsWith("1 overdue; earliest ob-1"), late.toString());
      assertEquals("writable: " + dir.resolve("log"), late.details().get("log"));

      Path log = dir.resolve("log");
      try (var files = Files.list(log)) {
        for (Path f : files.toList()) {
          if (Files.isDirectory(f)) {
            try (var inner = Files.list(f)) {
              for (Path g : inner.toList()) {
                Files.delete(g);
              }
            }
          }
          Files.delete(f);
        }
      }
      Files.delete(log);
      Files.writeString(log, "the volume went away");
      HaetaeHealth gone = HaetaeHealth.check(engine, setup);
      assertFalse(gone.up());
      assertTrue(gone.details().get("log").startsWith("not writable"), gone.toString());
    }
  }
}
