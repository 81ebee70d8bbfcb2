package dev.haetae.moderation.rules;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
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
import dev.haetae.moderation.api.Fingerprints;
import dev.haetae.moderation.api.MatchType;
import dev.haetae.moderation.api.Pdq;
import dev.haetae.moderation.api.PdqHash;
import dev.haetae.moderation.api.PolicyFailure;
import dev.haetae.moderation.api.PolicyId;
import dev.haetae.moderation.api.RoomId;
import dev.haetae.moderation.api.Surface;
import dev.haetae.moderation.core.audit.AuditLog;
import dev.haetae.moderation.core.audit.ProgressListener;
import dev.haetae.moderation.core.audit.ReplayReport;
import dev.haetae.moderation.core.audit.Replayer;
import dev.haetae.moderation.core.engine.ModerationEngine;
import dev.haetae.moderation.core.engine.PolicyIsolation;
import dev.haetae.moderation.core.policy.PolicyConfig;
import dev.haetae.moderation.core.simulate.SettableClock;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Rules run by the engine as policies: recorded, shadowed, isolated, and replayed exactly from the log. */
class RulesEngineTest {
  static final String PDQ = "f8f8f0cee0f4a84f06370a22038f63f0b36e2ed596621e1d33e6b39c4e9c9b22";
  static final Instant T0 = Instant.parse("2026-11-21T10:00:00Z");

  /** The example: an NCII match at distance <= 20 from an account younger than 7 days. */
  static final String CONFIG = """
      {"rules": [
        {"id": "ncii-new-account", "version": "1",
         "when": ["request.kind == 'content' && request.content_kind == 'image'",
                  "&& matches.exists(m, m.category == 'ncii' && m.distance <= 20)",
                  "&& account.age_known && account.age_days < 7"],
         "actions": [{"suspend": "P30D"}],
         "category": "ncii",
         "reason": "An image matching the NCII bank was posted by an account younger than 7 days.",
         "ground": {"terms": "ToS 4.2 (non-consensual intimate images)",
                    "explanation": "Accounts created to spread intimate images without consent are suspended."}},
        {"id": "hot-room-shadow", "version": "2", "mode": "shadow",
         "when": "room.matches_in_window >= 1",
         "actions": ["restrict_forwarding"],
         "reason": "Bank matches in this room.",
         "ground": {"terms": "ToS 7.3", "explanation": "Rooms used to trade prohibited content may be restricted."}},
        {"id": "divides-by-zero", "version": "1",
         "when": "request.kind == 'content' && 1 / (size(matches) - size(matches)) == 1",
         "actions": ["review"], "reason": "never proposes: fails on content"}
      ]}
      """;

  static Fingerprints pdq(String hex) {
    return Fingerprints.none().withPdq(Pdq.of(PdqHash.fromHex(hex)));
  }

  static ContentEvent upload(String content, String account) {
    return ContentEvent.upload(Content.of(ContentId.of(content), ContentKind.IMAGE, Surface.GROUP).withFingerprints(
        pdq(PDQ)), AccountId.of(account), RoomId.of("r1"));
  }

  @Test
  void rulesDecideAreRecordedAndReplayIdenticallyFromTheLogAlone(@TempDir Path dir) {
    PolicyConfig config = PolicyConfig.parse(CONFIG);
    SettableClock clock = new SettableClock(T0);
    Decision young;
    Decision old;
    try (ModerationEngine engine = ModerationEngine.builder().clock(clock).policyConfig(config)
        .policyIsolation(PolicyIsolation.THREADS).logDirectory(dir).build()) {
      engine.banks().add("stopncii", Category.NCII, MatchType.PDQ, PDQ);
      engine.evaluate(new AccountEvent(AccountId.of("new"), T0.minus(Duration.ofDays(2)), false, Optional.empty()));
      engine.evaluate(new AccountEvent(AccountId.of("old"), T0.minus(Duration.ofDays(400)), false, Optional.empty()));
      young = engine.evaluate(upload("c1", "new"));
      clock.advance(Duration.ofMinutes(1));
      old = engine.evaluate(upload("c2", "old"));
    }
    PolicyId rule = young.policies().stream().filter(p -> p.name().equals("rule:ncii-new-account")).findFirst()
        .orElseThrow();
    assertEquals("1", rule.version());
    assertEquals(64, rule.configHash().length());
    assertTrue(young.has(Action.SuspendAccount.class), young.toString());
    assertTrue(young.reasons().stream().anyMatch(r -> r.code().equals("ncii-new-account")));
    assertFalse(old.has(Action.SuspendAccount.class), old.toString());
    assertTrue(old.has(Action.Remove.class), "the built-in pack still removes the known image");
    // the failing rule is isolated: recorded as a failure, the others decide
    assertTrue(young.failures().stream().anyMatch(f -> f.policy().name().equals("rule:divides-by-zero")
        && f.kind() == PolicyFailure.Kind.THREW), young.failures().toString());
    // the shadow rule ran beside the enforcing ones and did not enforce (the built-in removal only restricts)
    assertEquals(1, old.shadow().stream().filter(s -> s.policy().name().equals("rule:hot-room-shadow")).count());

    // replay from the log alone: the configuration record carries the rules, and the rules module compiles them again
    ReplayReport report = Replayer.of(List.of()).replay(AuditLog.open(dir), ProgressListener.NONE);
    assertEquals(4, report.records());
    assertTrue(report.allIdentical(), report.findings().toString());
  }

  /** A matcher that reports one vPDQ hit for content c-video, as a host's video hasher would. */
  static final class VideoMatcher implements dev.haetae.moderation.api.spi.ExternalMatcher {
    @Override
    public String id() {
      return "vpdq";
    }

    @Override
    public java.util.Set<String> signalTypes() {
      return java.util.Set.of("vpdq");
    }

    @Override
    public dev.haetae.moderation.api.ExternalProvenance provenance() {
      return new dev.haetae.moderation.api.ExternalProvenance("Haetae", "moderation-video", "0.2", Optional.empty(),
          "clips-7");
    }

    @Override
    public List<dev.haetae.moderation.api.ExternalHit> match(dev.haetae.moderation.api.ModerationRequest request,
        Instant now) {
      if (!request.contentId().map(c -> c.value().equals("c-video")).orElse(false)) {
        return List.of();
      }
      return List.of(new dev.haetae.moderation.api.ExternalHit("vpdq", "clips", "clip-42", 92.0,
          dev.haetae.moderation.api.ExternalHit.Measure.SIMILARITY, 80.0, Category.NCII));
    }
  }

  @Test
  void aRuleReadsExternalMatchesAndReplaysFromTheLog(@TempDir Path dir) {
    PolicyConfig config = PolicyConfig.parse("""
        {"rules": [
          {"id": "video-clip", "version": "1",
           "when": "external_matches.exists(h, h.signal_type == 'vpdq' && h.score >= h.threshold && !h.certified)",
           "actions": ["review"], "category": "ncii",
           "reason": "A clip matched a banked video (vPDQ).",
           "ground": {"terms": "ToS 4.2", "explanation": "Re-shared intimate videos are reviewed."}}
        ]}
        """);
    Decision hit;
    Decision miss;
    try (ModerationEngine engine = ModerationEngine.builder().clock(new SettableClock(T0)).policyConfig(config)
        .externalMatcher(new VideoMatcher()).logDirectory(dir).build()) {
      hit = engine.evaluate(upload("c-video", "u1"));
      miss = engine.evaluate(upload("c-other", "u1"));
    }
    assertTrue(hit.reasons().stream().anyMatch(r -> r.code().equals("video-clip")), hit.toString());
    assertFalse(miss.reasons().stream().anyMatch(r -> r.code().equals("video-clip")), miss.toString());
    ReplayReport report = Replayer.of(List.of()).replay(AuditLog.open(dir), ProgressListener.NONE);
    assertTrue(report.allIdentical(), report.findings().toString());
  }

  @Test
  void theConfigurationHashCoversTheRulesAndIsStable() {
    PolicyConfig a = PolicyConfig.parse(CONFIG);
    PolicyConfig b = PolicyConfig.parse(CONFIG.replace("account.age_days < 7", "account.age_days < 8"));
    assertEquals(a.hash(), PolicyConfig.parse(a.canonicalJson()).hash(), "the canonical form loads to itself");
    assertFalse(a.hash().equals(b.hash()));
    assertEquals(PolicyConfig.defaults().hash(), PolicyConfig.parse("{}").hash());
    assertEquals(2, a.extra().size());
    assertEquals(1, a.shadow().size());
  }
}
