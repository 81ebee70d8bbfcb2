package dev.haetae.moderation.core.engine;

import static dev.haetae.moderation.core.engine.Fixtures.T0;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.haetae.moderation.api.AccountId;
import dev.haetae.moderation.api.Action;
import dev.haetae.moderation.api.Category;
import dev.haetae.moderation.api.ContentId;
import dev.haetae.moderation.api.Decision;
import dev.haetae.moderation.api.MatchType;
import dev.haetae.moderation.api.Priority;
import dev.haetae.moderation.api.ReporterId;
import dev.haetae.moderation.api.ReviewOutcome;
import dev.haetae.moderation.api.Signal;
import dev.haetae.moderation.api.Target;
import dev.haetae.moderation.api.UserReport;
import dev.haetae.moderation.api.Verdict;
import dev.haetae.moderation.core.audit.AuditLog;
import dev.haetae.moderation.core.audit.ProgressListener;
import dev.haetae.moderation.core.audit.ReplayReport;
import dev.haetae.moderation.core.audit.Replayer;
import dev.haetae.moderation.core.policy.PolicyPack;
import dev.haetae.moderation.core.simulate.SettableClock;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A platform-bank match reached through a report on content posted before the entry was added
 * (someone else's older upload, which the entry did not remove on sight) only blurs and queues a
 * person, whether or not the report is out of a flagged wave; the strike waits for that person. The
 * entry's addition time and the content's posting time are in the logged evidence, and the log
 * replays identically. Uploads that match are still removed on sight.
 */
class OlderUploadReportTest {
  private static final String PHOTO = "5a3c96e1f00d4b2a9d8e7f6a5b4c3d2e1f0a9b8c7d6e5f4a3b2c1d0e9f8a7b6c";
  private static final String CSAM = "0f1e2d3c4b5a69788796a5b4c3d2e1f00112233445566778899aabbccddeeff0";

  private final SettableClock clock = new SettableClock(T0);

  private ModerationEngine engine(Path dir) {
    return ModerationEngine.builder().clock(clock).logDirectory(dir).policyIsolation(PolicyIsolation.INLINE).build();
  }

  private int strikes(ModerationEngine e, String account) {
    return e.strikes().live(AccountId.of(account), clock.instant());
  }

  /** The logged evidence's signals of a type, for one decision. */
  private static <S extends Signal> List<S> logged(Path dir, Decision d, Class<S> type) {
    List<S> out = new ArrayList<>();
    AuditLog.open(dir).forEach(ProgressListener.NONE, r -> {
      if (r.decision().id().equals(d.id())) {
        out.addAll(r.evidence().signals(type));
      }
    });
    return out;
  }

  @Test
  void aReportOnSomeoneElsesOlderUploadOnlyBlursAndQueuesAPersonWhoseVerdictStrikes(@TempDir Path dir) {
    Decision report;
    Instant posted = clock.instant();
    try (ModerationEngine e = engine(dir)) {
      e.evaluate(Fixtures.upload("holiday", "owner", "family", PHOTO)); // her own photo, long before any entry
      clock.advance(Duration.ofDays(30));
      e.evaluate(Fixtures.upload("leak", "abuser", "den", PHOTO));
      e.evaluate(ReviewOutcome.ofContent(ContentId.of("leak"), Verdict.VIOLATING, Category.NCII));
      // banked on the second reviewer's word (four eyes)
      Decision banked = e.evaluate(ReviewOutcome.ofContent(ContentId.of("leak"), Verdict.VIOLATING, Category.NCII));
      assertTrue(banked.has(Action.BlockReupload.class), banked.toString());
      Instant added = e.banks().find(ModerationEngine.PLATFORM_BANK).orElseThrow().entry(MatchType.PDQ, PHOTO)
          .orElseThrow().addedAt();

      clock.advance(Duration.ofHours(1));
      report = e.evaluate(UserReport.of(ReporterId.of("stranger"), Target.content(ContentId.of("holiday")),
          Category.NCII));
      assertFalse(report.has(Action.Remove.class), report.toString());
      assertFalse(report.has(Action.BlockReupload.class), report.toString());
      assertFalse(report.has(Action.NotifyUser.class), report.toString());
      assertTrue(report.has(Action.Blur.class), report.toString());
      Action.QueueForReview q = report.action(Action.QueueForReview.class).orElseThrow();
      assertTrue(q.priority().compareTo(Priority.NORMAL) > 0, q.toString());
      // the entry records its poster (the abuser): since known-ncii@4 that, not the posting time, bounds it
      assertTrue(report.reasons().stream().anyMatch(r -> r.code().equals("bank_match_other_uploader")),
          report.reasons().toString());
      assertEquals(0, strikes(e, "owner"), "no strike on a report");

      clock.advance(Duration.ofMinutes(30));
      Decision upload = e.evaluate(Fixtures.upload("copy", "forwarder", "room", PHOTO));
      assertTrue(upload.has(Action.Remove.class), "an upload that matches is still removed on sight: " + upload);
      assertFalse(upload.has(Action.QueueForReview.class), upload.toString());

      clock.advance(Duration.ofMinutes(30));
      Decision verdict = e.evaluate(ReviewOutcome.ofContent(ContentId.of("holiday"), Verdict.VIOLATING,
          Category.NCII));
      assertTrue(verdict.has(Action.Remove.class), verdict.toString());
      assertEquals(0, strikes(e, "owner"), "one person's verdict waits for a second (four eyes)");
      e.evaluate(ReviewOutcome.ofContent(ContentId.of("holiday"), Verdict.VIOLATING, Category.NCII));
      assertEquals(1, strikes(e, "owner"), "the strike lands when a second person confirms");

      List<Signal.HashMatch> matches = logged(dir, report, Signal.HashMatch.class);
      assertEquals(List.of(java.util.Optional.of(added)), matches.stream().map(Signal.HashMatch::addedAt).toList());
      List<Signal.KnownContent> known = logged(dir, report, Signal.KnownContent.class);
      assertEquals(java.util.Optional.of(posted), known.get(0).postedAt());
    }
    ReplayReport r = Replayer.of(PolicyPack.defaults()).replay(AuditLog.open(dir), ProgressListener.NONE);
    assertTrue(r.allIdentical(), r.findings().isEmpty() ? r.toString() : r.findings().get(0).toString());
  }

  @Test
  void aCsamEntryReachedThroughAReportOnAnOlderUploadIsNeitherRemovedNorReported(@TempDir Path dir) {
    try (ModerationEngine e = engine(dir)) {
      e.evaluate(Fixtures.upload("old", "owner", "family", CSAM));
      clock.advance(Duration.ofDays(2));
      e.evaluate(Fixtures.upload("illegal-1", "offender", "den", CSAM));
      e.evaluate(ReviewOutcome.ofContent(ContentId.of("illegal-1"), Verdict.VIOLATING, Category.CSAM));
      // the second reviewer's word banks it
      e.evaluate(ReviewOutcome.ofContent(ContentId.of("illegal-1"), Verdict.VIOLATING, Category.CSAM));
      clock.advance(Duration.ofHours(1));
      Decision report = e.evaluate(UserReport.of(ReporterId.of("stranger"), Target.content(ContentId.of("old")),
          Category.CSAM));
      assertFalse(report.has(Action.Remove.class), report.toString());
      assertFalse(report.has(Action.ReportToAuthority.class), report.toString());
      assertTrue(report.has(Action.Blur.class), report.toString());
      assertEquals(Priority.URGENT, report.action(Action.QueueForReview.class).orElseThrow().priority());
      assertEquals(0, strikes(e, "owner"));
    }
    ReplayReport r = Replayer.of(PolicyPack.defaults()).replay(AuditLog.open(dir), ProgressListener.NONE);
    assertTrue(r.allIdentical(), r.findings().isEmpty() ? r.toString() : r.findings().get(0).toString());
  }

  @Test
  void theRetiredVersionStillActsInFullSoOldLogsReplay() {
    // known-ncii@2 and csam@2 are kept for replay: the older-upload bound is version 3's
    assertTrue(PolicyPack.retired().stream().anyMatch(p -> p.id().name().equals("known-ncii")
        && p.id().version().equals("2")));
    assertTrue(PolicyPack.retired().stream().anyMatch(p -> p.id().name().equals("known-ncii")
        && p.id().version().equals("3")));
    assertTrue(PolicyPack.defaults().stream().anyMatch(p -> p.id().name().equals("known-ncii")
        && p.id().version().equals("4")));
    assertTrue(PolicyPack.defaults().stream().anyMatch(p -> p.id().name().equals("csam")
        && p.id().version().equals("4")));
  }
}
