package dev.haetae.docs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
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
import dev.haetae.moderation.api.ExternalHit;
import dev.haetae.moderation.api.ExternalProvenance;
import dev.haetae.moderation.api.FailMode;
import dev.haetae.moderation.api.Fingerprints;
import dev.haetae.moderation.api.LegalGround;
import dev.haetae.moderation.api.ModerationRequest;
import dev.haetae.moderation.api.Outcome;
import dev.haetae.moderation.api.PolicyId;
import dev.haetae.moderation.api.Reason;
import dev.haetae.moderation.api.RoomId;
import dev.haetae.moderation.api.Sha256;
import dev.haetae.moderation.api.Signal;
import dev.haetae.moderation.api.Surface;
import dev.haetae.moderation.api.spi.ExternalMatcher;
import dev.haetae.moderation.api.spi.Policy;
import dev.haetae.moderation.core.audit.AuditLog;
import dev.haetae.moderation.core.audit.ProgressListener;
import dev.haetae.moderation.core.audit.Replayer;
import dev.haetae.moderation.core.engine.ModerationEngine;
import dev.haetae.moderation.core.engine.PrecomputedMatches;
import dev.haetae.moderation.core.policy.PolicyPack;
import dev.haetae.moderation.core.simulate.SettableClock;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The code of the external-matcher guide (src-docs/external-matchers.md), compiled and run. */
class ExternalMatchersGuideTest {

  /** Stands in for a vendor's certified filter client: matches by the content's SHA-256. */
  static final class VendorClient {
    Optional<String> lookup(Fingerprints fp) {
      return fp.sha256().filter(h -> h.toHex().startsWith("ab")).map(h -> "F-000123");
    }
  }

  // region matcher
  /** A certified filter, plugged in: the vendor's client is called within the engine's budget. */
  static final class CertifiedFilter implements ExternalMatcher {
    private final VendorClient client;
    private volatile String databaseEdition = "2026-12-01";

    CertifiedFilter(VendorClient client) {
      this.client = client;
    }

    @Override
    public String id() {
      return "certified-filter";
    }

    @Override
    public Set<String> signalTypes() {
      return Set.of("kcsc_feature");
    }

    @Override
    public ExternalProvenance provenance() {
      return new ExternalProvenance("Example Filtering Co.", "ExampleFilter", "3.1",
          Optional.of("TTA test certificate TTA-V-0000"), "feature DB " + databaseEdition);
    }

    @Override
    public List<ExternalHit> match(ModerationRequest request, Instant now) {
      ContentEvent upload = (ContentEvent) request; // matchers are called on content events only
      return client.lookup(upload.content().fingerprints())
          .map(entry -> List.of(new ExternalHit("kcsc_feature", "kcsc-illegal-filming", entry, 1.0,
              ExternalHit.Measure.SIMILARITY, 0.9, Category.NCII)))
          .orElse(List.of());
    }

    @Override
    public Duration timeBudget() {
      return Duration.ofMillis(200);
    }

    @Override
    public FailMode failMode() {
      return FailMode.REVIEW; // the default: a filter the law requires never fails open unseen
    }
  }
  // endregion

  // region policy
  /** The host's policy over certified-filter hits: remove and block on a hit within its threshold. */
  static final Policy FILTER_HITS = new Policy() {
    @Override
    public PolicyId id() {
      return PolicyId.of("certified-filter-hits", "1");
    }

    @Override
    public Outcome evaluate(Evidence evidence) {
      for (Signal.ExternalMatch m : evidence.signals(Signal.ExternalMatch.class)) {
        if (m.hit().signalType().equals("kcsc_feature") && m.hit().withinThreshold()) {
          return Outcome.of(List.of(new Action.Remove(), new Action.BlockReupload()),
              List.of(Reason.of(id(), "certified_filter_hit", "Entry " + m.hit().entry() + " of "
                  + m.hit().list() + ", found by " + m.provenance().summary() + ".", m.hit().category(),
                  LegalGround.law("Telecommunications Business Act Art. 22-5(2)",
                      "technical measure against the distribution of illegally filmed material"))));
        }
      }
      return Outcome.none();
    }
  };
  // endregion

  @Test
  void theGuidesExampleRuns(@TempDir Path logDir) {
    Sha256 banned = Sha256.fromHex("ab".repeat(32));
    Sha256 other = Sha256.fromHex("cd".repeat(32));
    // region engine
    try (ModerationEngine engine = ModerationEngine.builder()
        .clock(new SettableClock(Instant.parse("2026-12-05T10:00:00Z")))
        .logDirectory(logDir)
        .policies(FILTER_HITS)
        .externalMatcher(new CertifiedFilter(new VendorClient()))
        .build()) {
      Decision d = engine.evaluate(ContentEvent.upload(Content.of(ContentId.of("c1"), ContentKind.VIDEO,
          Surface.GROUP).withFingerprints(Fingerprints.none().withSha256(banned)), AccountId.of("u1"),
          RoomId.of("r1")));
      // d.actions(): remove, block_reupload; the evidence holds the hit and the filter's provenance
      // endregion
      assertTrue(d.has(Action.Remove.class), d.toString());
      Decision clean = engine.evaluate(ContentEvent.upload(Content.of(ContentId.of("c2"), ContentKind.VIDEO,
          Surface.GROUP).withFingerprints(Fingerprints.none().withSha256(other)), AccountId.of("u1"),
          RoomId.of("r1")));
      assertFalse(clean.has(Action.Remove.class), clean.toString());
    }
    // region replay
    List<Policy> policies = new ArrayList<>(PolicyPack.defaults());
    policies.add(FILTER_HITS);
    boolean same = Replayer.of(policies).replay(AuditLog.open(logDir), ProgressListener.NONE)
        .allIdentical(); // the recorded hits are the inputs: the filter is not called again
    // endregion
    assertTrue(same);
  }

  @Test
  void precomputedHitsAnswerFromWhatTheHostKeeps(@TempDir Path logDir) {
    ExternalProvenance vpdq = new ExternalProvenance("Haetae", "moderation-video vPDQ", "0.1", Optional.empty(),
        "ncii-videos 7");
    List<ExternalHit> hitsFromTheVideoWorker = List.of(new ExternalHit("vpdq", "ncii-videos", "case-4711", 92.0,
        ExternalHit.Measure.SIMILARITY, 80, Category.NCII));
    // region precomputed
    PrecomputedMatches offline = PrecomputedMatches.of("vpdq", Set.of("vpdq"), vpdq, 100_000);
    // off the hot path, when the video has been hashed and matched:
    offline.put(ContentId.of("v1"), hitsFromTheVideoWorker, vpdq);
    // then, on the upload's evaluation, the engine looks the hits up by content id
    // endregion
    try (ModerationEngine engine = ModerationEngine.builder().clock(new SettableClock(Instant.parse(
        "2026-12-05T10:00:00Z"))).logDirectory(logDir).externalMatcher(offline).build()) {
      Decision d = engine.evaluate(ContentEvent.upload(Content.of(ContentId.of("v1"), ContentKind.VIDEO,
          Surface.GROUP).withFingerprints(Fingerprints.none().withSha256(Sha256.fromHex("ef".repeat(32)))),
          AccountId.of("u1"), RoomId.of("r1")));
      assertTrue(d.failures().isEmpty(), d.toString());
    }
    long[] seen = {0};
    AuditLog.open(logDir).forEach(ProgressListener.NONE, r -> seen[0] += r.evidence()
        .signals(Signal.ExternalMatch.class).size());
    assertEquals(1, seen[0]);
    offline.remove(ContentId.of("v1"));
  }
}
