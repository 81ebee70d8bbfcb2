package dev.haetae.moderation.rules;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.haetae.moderation.api.AccountEvent;
import dev.haetae.moderation.api.AccountId;
import dev.haetae.moderation.api.Action;
import dev.haetae.moderation.api.Category;
import dev.haetae.moderation.api.ConfigurationException;
import dev.haetae.moderation.api.Decision;
import dev.haetae.moderation.api.MatchType;
import dev.haetae.moderation.core.audit.AuditLog;
import dev.haetae.moderation.core.audit.LogEvent;
import dev.haetae.moderation.core.audit.LoggedEvent;
import dev.haetae.moderation.core.audit.ProgressListener;
import dev.haetae.moderation.core.audit.ReplayReport;
import dev.haetae.moderation.core.audit.Replayer;
import dev.haetae.moderation.core.engine.ModerationEngine;
import dev.haetae.moderation.core.policy.PolicyConfig;
import dev.haetae.moderation.core.policy.PolicyConfigException;
import dev.haetae.moderation.core.simulate.SettableClock;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Hot reload: an atomic, logged swap; a configuration that fails keeps the previous one; the log replays. */
class RulesReloadTest {

  static String config(int days) {
    return RulesEngineTest.CONFIG.replace("account.age_days < 7", "account.age_days < " + days)
        .replace("\"ncii-new-account\", \"version\": \"1\"", "\"ncii-new-account\", \"version\": \"" + days + "\"");
  }

  @Test
  void aReloadSwapsTheRulesIsLoggedAndReplays(@TempDir Path dir) throws Exception {
    SettableClock clock = new SettableClock(RulesEngineTest.T0);
    Path file = dir.resolve("policies.json");
    Path log = dir.resolve("log");
    Files.writeString(file, config(7));
    Decision before;
    Decision after;
    try (ModerationEngine engine = ModerationEngine.builder().clock(clock).policyConfig(PolicyConfig.load(file))
        .logDirectory(log).build()) {
      engine.banks().add("stopncii", Category.NCII, MatchType.PDQ, RulesEngineTest.PDQ);
      engine.evaluate(new AccountEvent(AccountId.of("u10"), RulesEngineTest.T0.minus(Duration.ofDays(10)), false,
          Optional.empty()));
      before = engine.evaluate(RulesEngineTest.upload("c1", "u10"));

      Files.writeString(file, config(14));
      engine.reconfigure(PolicyConfig.load(file));
      clock.advance(Duration.ofMinutes(1));
      after = engine.evaluate(RulesEngineTest.upload("c2", "u10"));

      // a broken file never reaches the engine; an engine-side change is refused; both keep the rules in force
      Files.writeString(file, config(14).replace("account.age_days", "account.age_dayz"));
      RuleException broken = assertThrows(RuleException.class, () -> PolicyConfig.load(file));
      assertEquals("ncii-new-account", broken.ruleId().orElseThrow());
      ConfigurationException restart = assertThrows(ConfigurationException.class,
          () -> engine.reconfigure(PolicyConfig.parse(config(14).replace("{\"rules\"",
              "{\"policies\": {\"room-escalation\": {\"window\": \"PT1H\"}}, \"rules\""))));
      assertTrue(restart.getMessage().contains("room_window"), restart.getMessage());
      assertTrue(engine.policies().stream().anyMatch(p -> p.id().name().equals("rule:ncii-new-account")
          && p.id().version().equals("14")));
      assertThrows(PolicyConfigException.class, () -> PolicyConfig.parse("{\"rules\": [{}]}"));
    }
    assertFalse(before.has(Action.SuspendAccount.class), "10 days old is not younger than 7");
    assertTrue(after.has(Action.SuspendAccount.class), "10 days old is younger than 14");
    assertTrue(after.policies().stream().anyMatch(p -> p.name().equals("rule:ncii-new-account")
        && p.version().equals("14")));

    List<String> hashes = new ArrayList<>();
    AuditLog audit = AuditLog.open(log);
    audit.forEachEntry(ProgressListener.NONE, e -> {
      if (e instanceof LoggedEvent && ((LoggedEvent) e).event() instanceof LogEvent.Configuration) {
        hashes.add(((LogEvent.Configuration) ((LoggedEvent) e).event()).configHash().orElseThrow());
      }
    });
    assertEquals(List.of(PolicyConfig.parse(config(7)).hash(), PolicyConfig.parse(config(14)).hash()), hashes);
    ReplayReport r = Replayer.of(List.of()).replay(audit, ProgressListener.NONE);
    assertEquals(3, r.records());
    assertTrue(r.allIdentical(), r.findings().toString());
  }
}
