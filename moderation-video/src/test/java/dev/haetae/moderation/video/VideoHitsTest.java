package dev.haetae.moderation.video;

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
import dev.haetae.moderation.api.Sha256;
import dev.haetae.moderation.api.ExternalHit;
import dev.haetae.moderation.api.ExternalProvenance;
import dev.haetae.moderation.api.InvalidRequestException;
import dev.haetae.moderation.api.LegalGround;
import dev.haetae.moderation.api.Outcome;
import dev.haetae.moderation.api.PolicyId;
import dev.haetae.moderation.api.Reason;
import dev.haetae.moderation.api.RoomId;
import dev.haetae.moderation.api.Signal;
import dev.haetae.moderation.api.Surface;
import dev.haetae.moderation.api.spi.Policy;
import dev.haetae.moderation.core.audit.AuditLog;
import dev.haetae.moderation.core.audit.ProgressListener;
import dev.haetae.moderation.core.audit.Replayer;
import dev.haetae.moderation.core.engine.ModerationEngine;
import dev.haetae.moderation.core.engine.PrecomputedMatches;
import dev.haetae.moderation.core.simulate.SettableClock;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * vPDQ matches delivered through the external-matcher interface: matched off the hot path, put as
 * precomputed hits, acted on by a policy, recorded in the log and replayed without a decoder.
 */
class VideoHitsTest {
  static final ExternalProvenance VPDQ = new ExternalProvenance("Haetae", "moderation-video vPDQ", "0.1",
      Optional.empty(), "ncii-videos 7");

  static final Policy VIDEO_POLICY = new Policy() {
    @Override
    public PolicyId id() {
      return PolicyId.of("video-hits", "1");
    }

    @Override
    public Outcome evaluate(Evidence evidence) {
      for (Signal.ExternalMatch m : evidence.signals(Signal.ExternalMatch.class)) {
        if (m.hit().signalType().equals(VideoHits.SIGNAL_TYPE) && m.hit().withinThreshold()) {
          return Outcome.of(List.of(new Action.Remove()), List.of(Reason.of(id(), "video_match",
              m.hit().score() + " % of the upload matched banked video " + m.hit().entry(), m.hit().category(),
              LegalGround.terms("ToS 4.2", "intimate imagery shared without consent"))));
        }
      }
      return Outcome.none();
    }
  };

  @Test
  void theLongerCutsMatchArrivesAsTypedEvidenceAndReplays(@TempDir Path dir) {
    VideoBank bank = VideoBank.builder().rule(VpdqMatchRule.defaults())
        .add("pattern-hd-no-bar", Samples.reference("pattern-hd-no-bar")).build();
    List<ExternalHit> hits = VideoHits.of(bank.match(Samples.reference("pattern-longer-no-bar")), bank.rule(),
        "ncii-videos", Category.NCII);
    assertEquals(1, hits.size());
    ExternalHit h = hits.get(0);
    assertEquals("pattern-hd-no-bar", h.entry());
    assertEquals(80.0, h.threshold());
    assertTrue(h.withinThreshold(), h.toString());
    assertEquals(List.of(), VideoHits.of(bank.match(Samples.reference("doorknob-hd-no-bar")), bank.rule(),
        "ncii-videos", Category.NCII));

    PrecomputedMatches offline = PrecomputedMatches.of("vpdq", Set.of(VideoHits.SIGNAL_TYPE), VPDQ, 1000);
    offline.put(ContentId.of("v1"), hits, VPDQ);
    Decision d;
    try (ModerationEngine engine = ModerationEngine.builder().clock(new SettableClock(Instant.parse(
        "2026-12-05T10:00:00Z"))).logDirectory(dir).defaultPolicies(false).serviceLoader(false, null)
        .policies(VIDEO_POLICY).externalMatcher(offline).build()) {
      d = engine.evaluate(ContentEvent.upload(Content.of(ContentId.of("v1"), ContentKind.VIDEO, Surface.GROUP)
          .withFingerprints(Fingerprints.none().withSha256(Sha256.fromHex("ab".repeat(32)))),
          AccountId.of("u1"), RoomId.of("r1")));
    }
    assertTrue(d.has(Action.Remove.class), d.toString());
    List<Signal.ExternalMatch> logged = new ArrayList<>();
    AuditLog.open(dir).forEach(ProgressListener.NONE, r -> logged.addAll(r.evidence().signals(
        Signal.ExternalMatch.class)));
    assertEquals(List.of(new Signal.ExternalMatch("vpdq", VPDQ, h)), logged);
    assertTrue(Replayer.of(List.of(VIDEO_POLICY)).replay(AuditLog.open(dir), ProgressListener.NONE).allIdentical());
  }

  @Test
  void nonMatchesAreLeftOutAndNullsRefused() {
    VideoMatch near = new VideoMatch("v", 40, 90, false, List.of(), List.of());
    assertEquals(List.of(), VideoHits.of(List.of(near), VpdqMatchRule.defaults(), "l", Category.NCII));
    VideoMatch hit = new VideoMatch("v", 90, 10, true, List.of(), List.of());
    assertThrows(InvalidRequestException.class, () -> VideoHits.of(List.of(hit), VpdqMatchRule.defaults(), " ",
        Category.NCII));
    assertThrows(InvalidRequestException.class, () -> VideoHits.of(List.of(hit), VpdqMatchRule.defaults(), "l",
        null));
    assertFalse(VideoHits.of(List.of(hit), VpdqMatchRule.defaults(), "l", Category.NCII).isEmpty());
  }
}
