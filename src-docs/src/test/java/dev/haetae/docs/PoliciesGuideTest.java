package dev.haetae.docs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.haetae.moderation.api.Action;
import dev.haetae.moderation.api.Category;
import dev.haetae.moderation.api.Content;
import dev.haetae.moderation.api.ContentEvent;
import dev.haetae.moderation.api.ContentKind;
import dev.haetae.moderation.api.Decision;
import dev.haetae.moderation.api.Evidence;
import dev.haetae.moderation.api.Fingerprints;
import dev.haetae.moderation.api.MatchType;
import dev.haetae.moderation.api.Pdq;
import dev.haetae.moderation.api.PdqHash;
import dev.haetae.moderation.api.LegalGround;
import dev.haetae.moderation.api.Outcome;
import dev.haetae.moderation.api.PolicyId;
import dev.haetae.moderation.api.Reason;
import dev.haetae.moderation.api.RoomId;
import dev.haetae.moderation.api.AccountId;
import dev.haetae.moderation.api.ContentId;
import dev.haetae.moderation.api.Signal;
import dev.haetae.moderation.api.Surface;
import dev.haetae.moderation.api.spi.DecisionLog;
import dev.haetae.moderation.api.spi.Policy;
import dev.haetae.moderation.core.engine.ModerationEngine;
import dev.haetae.moderation.core.policy.PolicyConfig;
import dev.haetae.moderation.core.policy.ShadowComparison;
import dev.haetae.moderation.core.simulate.Simulator;
import dev.haetae.moderation.testkit.PolicyContract;
import dev.haetae.moderation.testkit.Scenario;
import java.io.StringReader;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

/** The policies and simulation guides' examples, compiled and run. */
class PoliciesGuideTest {
  static final String PDQ = "f8f8f0cee0f4a84f06370a22038f63f0b36e2ed596621e1d33e6b39c4e9c9b22";

  // region policy
  /** Restricts forwarding of a suspect image posted in a room that many bank matches came from. */
  public static final class HotRoomPolicy implements Policy {
    private static final PolicyId ID = PolicyId.of("hot-room", "1");
    private static final LegalGround GROUND = LegalGround.terms("ToS 7.3 (rooms organised around prohibited content)",
        "Rooms used to trade prohibited content may be restricted.");

    /** A public no-argument constructor, so that a configuration's "extra" list can name it. */
    public HotRoomPolicy() {}

    @Override
    public PolicyId id() {
      return ID;
    }

    @Override
    public Outcome evaluate(Evidence evidence) {           // pure: the evidence only
      if (!(evidence.request() instanceof ContentEvent)) {
        return Outcome.none();
      }
      for (Signal.RoomActivity r : evidence.signals(Signal.RoomActivity.class)) {
        if (r.matchesInWindow() >= 2) {
          return Outcome.of(List.of(new Action.RestrictForwarding()), List.of(Reason.of(ID, "hot_room",
              r.matchesInWindow() + " bank matches in this room within " + r.window().toHours() + " hours.",
              Category.OTHER, GROUND)));                    // restrictive, so it names its ground
        }
      }
      return Outcome.none();
    }
  }
  // endregion

  // region contract
  @Nested
  class HotRoomPolicyContract extends PolicyContract {    // inherits the contract's tests
    @Override
    protected Policy policy() {
      return new HotRoomPolicy();
    }
  }
  // endregion

  @Test
  void configurationAndScenario() {
    // region configure
    PolicyConfig config = PolicyConfig.parse("""
        {"policies": {"repeat-offender": {"restrict_forwarding_at": 2, "suspend_at": 4,
                                          "strike_ttl": {"default": "P90D", "csam": "P3650D"}},
                      "doxxing": {"min_kinds": 1}},
         "extra": ["dev.haetae.docs.PoliciesGuideTest$HotRoomPolicy"],
         "shadow": [{"builtin": "room-escalation", "config": {"min_matches": 2}}]}
        """);
    try (ModerationEngine engine = ModerationEngine.builder().policyConfig(config).decisionLog(DecisionLog.DISCARD)
        .build()) {
      engine.banks().add("stopncii", Category.NCII, MatchType.PDQ, PDQ);
      Decision d = engine.evaluate(ContentEvent.upload(Content.of(ContentId.of("c1"), ContentKind.IMAGE,
          Surface.GROUP).withFingerprints(Fingerprints.none().withPdq(Pdq.of(PdqHash.fromHex(PDQ)))),
          AccountId.of("u1"), RoomId.of("r1")));
      System.out.println(d.policies());                     // each id ends in its configuration hash
      System.out.println(config.hash());                    // the whole configuration's version
      assertTrue(d.has(Action.Remove.class));
      assertEquals(1, d.shadow().size());                   // the shadow room rule ran alongside
    }
    // endregion

    // region scenario
    Scenario.given(
            "{\"type\":\"bank\",\"at\":\"2026-11-21T09:00:00Z\",\"op\":\"add\",\"bank\":\"stopncii\",\"category\":\"ncii\","
                + "\"pdq\":\"" + PDQ + "\"}",
            "{\"type\":\"content\",\"at\":\"2026-11-21T10:00:00Z\",\"content\":\"c1\",\"account\":\"u1\",\"room\":\"r1\","
                + "\"surface\":\"group\",\"kind\":\"image\",\"pdq\":\"" + PDQ + "\"}",
            "{\"type\":\"content\",\"at\":\"2026-11-21T10:01:00Z\",\"content\":\"c2\",\"account\":\"u2\",\"room\":\"r1\","
                + "\"surface\":\"group\",\"kind\":\"image\",\"pdq\":\"" + PDQ + "\"}")
        .policies(config)
        .expect(2, "remove", "block_reupload", "notify_user")
        .expect(3, "remove")
        .expectThat("the shadow room rule would have escalated r1 at the second match",
            r -> r.summary().shadow().values().iterator().next().getOrDefault("more_review", 0) == 1)
        .run();
    // endregion
  }

  @Test
  void shadowComparison() {
    List<Decision> decisions = new ArrayList<>();
    try (ModerationEngine engine = ModerationEngine.builder().policyConfig(PolicyConfig.parse(
        "{\"shadow\":[{\"builtin\":\"room-escalation\",\"config\":{\"min_matches\":2}}]}"))
        .decisionLog(DecisionLog.DISCARD).build()) {
      engine.banks().add("stopncii", Category.NCII, MatchType.PDQ, PDQ);
      for (int i = 0; i < 3; i++) {
        decisions.add(engine.evaluate(ContentEvent.upload(Content.of(ContentId.of("c" + i), ContentKind.IMAGE,
            Surface.GROUP).withFingerprints(Fingerprints.none().withPdq(Pdq.of(PdqHash.fromHex(PDQ)))),
            AccountId.of("u" + i), RoomId.of("r1"))));
      }
    }
    // region shadow
    ShadowComparison.Report report = new ShadowComparison.Report(5);
    for (Decision d : decisions) {                          // live decisions, or decisions replayed from a log
      for (ShadowComparison.Difference diff : report.add(d, "decision " + d.id().value())) {
        if (diff.kind() == ShadowComparison.Kind.STRICTER) {
          System.out.println(diff.policy() + " would add " + diff.added());
        }
      }
    }
    System.out.print(report.describe());
    // endregion
    assertEquals(1, report.counts().values().iterator().next().get("more_review"));
  }

  @Test
  void simulate() {
    // region simulate
    List<String> lines = new ArrayList<>();
    Simulator.Summary summary = Simulator.builder()
        .policies(PolicyConfig.defaults())
        .engine(b -> b.decisionLog(DecisionLog.DISCARD))
        .onError(Simulator.OnError.CONTINUE)                // report malformed lines and go on
        .output(lines::add)                                 // one JSON line per decision / obligation event
        .build()
        .run(new StringReader("""
            {"type":"tick","at":"2026-11-21T10:00:00Z"}
            not json
            {"type":"report","at":"2026-11-21T10:01:00Z","reporter":"u2","account":"u1","category":"harassment"}
            """), Path.of("."));
    System.out.print(summary.describe());                   // errors: 1 ("line 2: ... is not valid JSON")
    // endregion
    assertEquals(1, summary.errors().size());
    assertTrue(summary.errors().get(0).contains("line 2"));
    assertEquals(1, lines.size());
  }
}
