package dev.haetae.moderation.video;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.haetae.moderation.api.AccountId;
import dev.haetae.moderation.api.Action;
import dev.haetae.moderation.api.Category;
import dev.haetae.moderation.api.Content;
import dev.haetae.moderation.api.ContentDecodeException;
import dev.haetae.moderation.api.ContentEvent;
import dev.haetae.moderation.api.ContentId;
import dev.haetae.moderation.api.ContentKind;
import dev.haetae.moderation.api.Decision;
import dev.haetae.moderation.api.ExternalHit;
import dev.haetae.moderation.api.InvalidRequestException;
import dev.haetae.moderation.api.LimitExceededException;
import dev.haetae.moderation.api.RoomId;
import dev.haetae.moderation.api.Signal;
import dev.haetae.moderation.api.Surface;
import dev.haetae.moderation.core.audit.AuditLog;
import dev.haetae.moderation.core.audit.ProgressListener;
import dev.haetae.moderation.core.audit.Replayer;
import dev.haetae.moderation.core.engine.ModerationEngine;
import dev.haetae.moderation.core.engine.PrecomputedMatches;
import dev.haetae.moderation.core.hash.ImageHasher;
import dev.haetae.moderation.core.simulate.SettableClock;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Queue;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executor;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The asynchronous matcher on an injected executor that runs jobs only when the test says: the
 * request thread never hashes, the queue is bounded, the hits reach a follow-up evaluation as
 * logged evidence and the log replays without hashing anything.
 */
class AsyncVideoMatcherTest {
  /** Holds jobs until {@link #runAll()}. */
  static final class ManualExecutor implements Executor {
    final Queue<Runnable> jobs = new ArrayDeque<>();

    @Override
    public void execute(Runnable job) {
      jobs.add(job);
    }

    int runAll() {
      int n = 0;
      for (Runnable r; (r = jobs.poll()) != null; n++) {
        r.run();
      }
      return n;
    }
  }

  private static final VideoHash BANKED = VideoHasher.builder().secondsPerHash(0).build()
      .hash(AnimatedFramesTest.fixture("tiny.gif"));

  @Test
  void theUploadIsMatchedOffTheRequestThreadAndTheFollowUpDecisionIsLogged(@TempDir Path dir) throws Exception {
    ManualExecutor executor = new ManualExecutor();
    PrecomputedMatches matches = PrecomputedMatches.of("vpdq", Set.of(VideoHits.SIGNAL_TYPE), VideoHitsTest.VPDQ, 100);
    VideoBank bank = VideoBank.builder().add("case-4711", BANKED).build();
    AsyncVideoMatcher matcher = AsyncVideoMatcher.builder()
        .hasher(VideoHasher.builder().secondsPerHash(0).build())
        .bank(() -> bank).list("ncii-videos", Category.NCII).matches(matches, VideoHitsTest.VPDQ)
        .executor(executor).maxQueued(2).build();

    ContentId upload = ContentId.of("v1");
    byte[] video = AnimatedFramesTest.fixture("tiny-lossy.webp");
    CompletableFuture<List<ExternalHit>> job = matcher.submit(upload, video);
    CompletableFuture<List<ExternalHit>> other = matcher.submit(ContentId.of("v2"), AnimatedFramesTest.fixture("tiny.gif"));
    assertFalse(job.isDone(), "submit returns before hashing");
    assertEquals(0, matches.size());
    LimitExceededException full = assertThrows(LimitExceededException.class,
        () -> matcher.submit(ContentId.of("v3"), new byte[10]));
    assertEquals("video.queue", full.field());

    assertEquals(2, executor.runAll());
    assertEquals(0, matcher.pending());
    List<ExternalHit> hits = job.get();
    assertEquals(1, hits.size());
    assertEquals("case-4711", hits.get(0).entry());
    assertEquals(100.0, hits.get(0).score());
    assertTrue(other.isDone());

    Decision d;
    try (ModerationEngine engine = ModerationEngine.builder().clock(new SettableClock(Instant.parse(
        "2026-12-05T10:00:00Z"))).logDirectory(dir).defaultPolicies(false).serviceLoader(false, null)
        .policies(VideoHitsTest.VIDEO_POLICY).externalMatcher(matches).build()) {
      // the follow-up request carries the upload's digests (cheap); the video match comes from the hits
      d = engine.evaluate(ContentEvent.upload(Content.of(upload, ContentKind.VIDEO, Surface.GROUP)
          .withFingerprints(ImageHasher.digests(video)), AccountId.of("u1"), RoomId.of("r1")));
    }
    assertTrue(d.has(Action.Remove.class), d.toString());
    assertTrue(matches.remove(upload));
    List<Signal.ExternalMatch> logged = new ArrayList<>();
    AuditLog.open(dir).forEach(ProgressListener.NONE, r -> logged.addAll(r.evidence().signals(
        Signal.ExternalMatch.class)));
    assertEquals(List.of(new Signal.ExternalMatch("vpdq", VideoHitsTest.VPDQ, hits.get(0))), logged);
    // the log alone replays the decision: nothing is hashed again
    assertTrue(Replayer.of(List.of(VideoHitsTest.VIDEO_POLICY)).replay(AuditLog.open(dir), ProgressListener.NONE)
        .allIdentical());
  }

  @Test
  void aVideoThatFailsToHashCompletesExceptionallyAndPutsNothing() {
    ManualExecutor executor = new ManualExecutor();
    PrecomputedMatches matches = PrecomputedMatches.of("vpdq", Set.of(VideoHits.SIGNAL_TYPE), VideoHitsTest.VPDQ, 10);
    AsyncVideoMatcher matcher = AsyncVideoMatcher.builder()
        .bank(() -> VideoBank.builder().add("b", BANKED).build()).list("l", Category.NCII)
        .matches(matches, VideoHitsTest.VPDQ).executor(executor).maxQueued(1).build();
    byte[] cut = Arrays.copyOf(AnimatedFramesTest.fixture("tiny-lossy.webp"), 100);
    CompletableFuture<List<ExternalHit>> job = matcher.submit(ContentId.of("bad"), cut);
    executor.runAll();
    ExecutionException e = assertThrows(ExecutionException.class, job::get);
    assertInstanceOf(ContentDecodeException.class, e.getCause());
    assertEquals(0, matches.size());
    assertEquals(0, matcher.pending(), "the failed job frees its place");
    // a refusing executor is a full queue, not a lost job
    AsyncVideoMatcher refusing = AsyncVideoMatcher.builder().bank(() -> VideoBank.builder().build())
        .list("l", Category.NCII).matches(matches, VideoHitsTest.VPDQ)
        .executor(r -> {
          throw new java.util.concurrent.RejectedExecutionException("shut down");
        }).build();
    assertEquals("video.queue", assertThrows(LimitExceededException.class,
        () -> refusing.submit(ContentId.of("x"), cut)).field());
    assertEquals(0, refusing.pending());
    assertThrows(InvalidRequestException.class, () -> AsyncVideoMatcher.builder().build());
    assertThrows(InvalidRequestException.class, () -> AsyncVideoMatcher.builder().maxQueued(0));
  }
}
