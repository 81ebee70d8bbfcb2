package dev.haetae.docs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.haetae.moderation.api.AccountEvent;
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
import dev.haetae.moderation.api.LegalGround;
import dev.haetae.moderation.api.MatchType;
import dev.haetae.moderation.api.Outcome;
import dev.haetae.moderation.api.Pdq;
import dev.haetae.moderation.api.PdqHash;
import dev.haetae.moderation.api.PolicyId;
import dev.haetae.moderation.api.Reason;
import dev.haetae.moderation.api.RoomId;
import dev.haetae.moderation.api.Signal;
import dev.haetae.moderation.api.Surface;
import dev.haetae.moderation.api.spi.DecisionLog;
import dev.haetae.moderation.api.spi.Policy;
import dev.haetae.moderation.core.engine.ModerationEngine;
import dev.haetae.moderation.core.policy.PolicyConfig;
import dev.haetae.moderation.core.simulate.SettableClock;
import dev.haetae.moderation.api.ConfigurationException;
import dev.haetae.moderation.rules.EvidenceSchema;
import dev.haetae.moderation.rules.PolicyFileWatcher;
import dev.haetae.moderation.rules.RuleException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The rules guide's examples, compiled and run. */
class RulesGuideTest {
  static final String PDQ = PoliciesGuideTest.PDQ;
  static final Instant T0 = Instant.parse("2026-11-21T10:00:00Z");

  // region rule
  static final String RULES = """
      {"rules": [
        {"id": "ncii-new-account", "version": "1",
         "when": ["request.kind == 'content' && request.content_kind == 'image'",
                  "&& matches.exists(m, m.category == 'ncii' && m.distance <= 20)",
                  "&& account.age_known && account.age_days < 7"],
         "actions": [{"suspend": "P30D"}],
         "category": "ncii",
         "reason": "An image matching the NCII bank was posted by an account younger than 7 days.",
         "ground": {"terms": "ToS 4.2 (non-consensual intimate images)",
                    "explanation": "Accounts created to spread intimate images without consent are suspended."}}
      ]}
      """;
  // endregion

  // region javaPolicy
  /** The same rule as a Java policy. */
  public static final class NciiNewAccountPolicy implements Policy {
    private static final PolicyId ID = PolicyId.of("ncii-new-account-java", "1");
    private static final LegalGround GROUND = LegalGround.terms("ToS 4.2 (non-consensual intimate images)",
        "Accounts created to spread intimate images without consent are suspended.");

    @Override
    public PolicyId id() {
      return ID;
    }

    @Override
    public Outcome evaluate(Evidence evidence) {
      if (!(evidence.request() instanceof ContentEvent)
          || ((ContentEvent) evidence.request()).content().kind() != ContentKind.IMAGE) {
        return Outcome.none();
      }
      boolean match = false;
      for (Signal.HashMatch m : evidence.signals(Signal.HashMatch.class)) {
        match |= m.category() == Category.NCII && m.distance() <= 20;
      }
      if (!match) {
        return Outcome.none();
      }
      for (Signal.AccountStanding a : evidence.signals(Signal.AccountStanding.class)) {
        if (a.accountAge().map(age -> age.toDays() < 7).orElse(false)) {
          return Outcome.of(List.of(new Action.SuspendAccount(Optional.of(Duration.ofDays(30)))),
              List.of(Reason.of(ID, "ncii-new-account",
                  "An image matching the NCII bank was posted by an account younger than 7 days.",
                  Category.NCII, GROUND)));
        }
      }
      return Outcome.none();
    }
  }
  // endregion

  static ContentEvent upload(String content, String account) {
    return ContentEvent.upload(Content.of(ContentId.of(content), ContentKind.IMAGE, Surface.GROUP)
        .withFingerprints(Fingerprints.none().withPdq(Pdq.of(PdqHash.fromHex(PDQ)))), AccountId.of(account),
        RoomId.of("r1"));
  }

  @Test
  void theRuleDecidesAsTheJavaPolicyDoes() {
    SettableClock clock = new SettableClock(T0);
    // region engine
    PolicyConfig config = PolicyConfig.parse(RULES);       // compiled and type-checked here
    try (ModerationEngine engine = ModerationEngine.builder().clock(clock).policyConfig(config)
        .shadowPolicy(new NciiNewAccountPolicy())           // the Java version beside it, for comparison
        .decisionLog(DecisionLog.DISCARD).build()) {
      engine.banks().add("stopncii", Category.NCII, MatchType.PDQ, PDQ);
      engine.evaluate(new AccountEvent(AccountId.of("u1"), T0.minus(Duration.ofDays(2)), false, Optional.empty()));
      Decision d = engine.evaluate(upload("c1", "u1"));
      assertTrue(d.has(Action.SuspendAccount.class));
      System.out.println(d.policies());                    // ... rule:ncii-new-account@1#<hash of the rule>
      assertEquals(d.shadow().get(0).outcome().actions(), List.of(new Action.SuspendAccount(
          Optional.of(Duration.ofDays(30)))));              // the Java policy agrees
    }
    // endregion
  }

  @Test
  void errorsNameRuleLineAndColumn() {
    // region error
    RuleException e = assertThrows(RuleException.class,
        () -> PolicyConfig.parse(RULES.replace("m.distance <= 20", "m.distanse <= 20")));
    System.out.println(e.getMessage());
    // rules[0].when: rule 'ncii-new-account': line 4, column 60: undefined field 'distanse'
    assertEquals(4, e.line());      // lines and columns of the configuration text (the file's, with load)
    // endregion
    assertEquals("rules[0].when: rule 'ncii-new-account': line 4, column 60: undefined field 'distanse'",
        e.getMessage().lines().findFirst().orElseThrow());
  }

  @Test
  void reload(@TempDir Path dir) throws Exception {
    Path file = dir.resolve("policies.json");
    Files.writeString(file, RULES);
    try (ModerationEngine engine = ModerationEngine.builder().policyConfig(PolicyConfig.load(file))
        .logDirectory(dir.resolve("log")).build()) {
      Files.writeString(file, RULES.replace("account.age_days < 7", "account.age_days < 14")
          .replace("\"version\": \"1\"", "\"version\": \"2\""));
      // region reload
      PolicyConfig next;
      try {
        next = PolicyConfig.load(file);                     // a file that does not compile throws here
      } catch (RuleException ex) {
        System.err.println("keeping the configuration in force: " + ex.getMessage());
        return;
      }
      engine.reconfigure(next);                             // logged, then swapped atomically
      // endregion
      assertTrue(engine.policies().stream().anyMatch(p -> p.id().equals(new PolicyId("rule:ncii-new-account", "2",
          p.id().configHash()))));
    }
  }

  @Test
  void watcher(@TempDir Path dir) throws Exception {
    Path file = dir.resolve("policies.json");
    Files.writeString(file, RULES);
    java.util.concurrent.CountDownLatch swapped = new java.util.concurrent.CountDownLatch(1);
    try (ModerationEngine engine = ModerationEngine.builder().policyConfig(PolicyConfig.load(file))
        .logDirectory(dir.resolve("log")).build()) {
      // region watcher
      PolicyFileWatcher watcher = PolicyFileWatcher.start(engine, file, Duration.ofSeconds(5),
          new PolicyFileWatcher.Listener() {
            @Override
            public void reloaded(Path f, PolicyConfig config) {
              System.out.println("now in force: " + config.hash());   // also logged at INFO
              swapped.countDown();
            }

            @Override
            public void rejected(Path f, ConfigurationException error) {
              System.err.println("kept the rules in force: " + error.getMessage());   // also at WARN
            }
          });
      // ... and at shutdown: watcher.close();
      // endregion
      try (watcher) {
        Path tmp = dir.resolve("policies.json.tmp");
        Files.writeString(tmp, RULES.replace("\"version\": \"1\"", "\"version\": \"2\""));
        Files.move(tmp, file, java.nio.file.StandardCopyOption.ATOMIC_MOVE);
        assertTrue(watcher.poll() || swapped.getCount() == 0);   // a poll now, or the watcher's thread got there first
        assertTrue(swapped.await(60, java.util.concurrent.TimeUnit.SECONDS));
        assertTrue(engine.policies().stream().anyMatch(p -> p.id().version().equals("2")));
      }
    }
  }

  @Test
  void theGuideShowsTheGeneratedEvidenceTable() throws Exception {
    String guide = Files.readString(Path.of("rules.md"));
    assertTrue(guide.contains(EvidenceSchema.markdownTable()),
        "rules.md must contain EvidenceSchema.markdownTable() verbatim; regenerate the table:\n"
            + EvidenceSchema.markdownTable());
    assertFalse(EvidenceSchema.markdownTable().isBlank());
  }
}
