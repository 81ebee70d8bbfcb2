package dev.haetae.docs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.haetae.moderation.api.ContentDecodeException;
import dev.haetae.moderation.api.LimitExceededException;
import dev.haetae.moderation.video.TruncatedVideoException;
import dev.haetae.moderation.video.VideoBank;
import dev.haetae.moderation.video.VideoHash;
import dev.haetae.moderation.video.VideoHasher;
import dev.haetae.moderation.video.VideoLimits;
import dev.haetae.moderation.video.VideoMatch;
import dev.haetae.moderation.video.VpdqFormat;
import dev.haetae.moderation.video.VpdqMatchRule;
import dev.haetae.moderation.api.AccountId;
import dev.haetae.moderation.api.Action;
import dev.haetae.moderation.api.Category;
import dev.haetae.moderation.api.Content;
import dev.haetae.moderation.api.ContentEvent;
import dev.haetae.moderation.api.ContentId;
import dev.haetae.moderation.api.ContentKind;
import dev.haetae.moderation.api.Decision;
import dev.haetae.moderation.api.Evidence;
import dev.haetae.moderation.api.ExternalProvenance;
import dev.haetae.moderation.api.LegalGround;
import dev.haetae.moderation.api.Outcome;
import dev.haetae.moderation.api.PolicyId;
import dev.haetae.moderation.api.Reason;
import dev.haetae.moderation.api.RoomId;
import dev.haetae.moderation.api.Signal;
import dev.haetae.moderation.api.Surface;
import dev.haetae.moderation.api.spi.Policy;
import dev.haetae.moderation.core.banks.HashListFormat;
import dev.haetae.moderation.core.engine.ModerationEngine;
import dev.haetae.moderation.core.engine.PrecomputedMatches;
import dev.haetae.moderation.core.hash.ImageHasher;
import dev.haetae.moderation.video.AsyncVideoMatcher;
import dev.haetae.moderation.video.VideoHits;
import dev.haetae.moderation.video.VpdqLists;
import java.io.IOException;
import java.io.StringReader;
import java.nio.file.Path;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.junit.jupiter.api.io.TempDir;
import java.io.InputStream;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The code quoted in src-docs/video.md. */
class VideoGuideTest {

  private static byte[] video() throws IOException {
    try (InputStream in = VideoGuideTest.class.getResourceAsStream("/video/tiny.mp4")) {
      return in.readAllBytes();
    }
  }

  @Test
  void hashBankAndMatch() throws IOException {
    byte[] bannedVideo = video();
    byte[] upload = video();

    // region hash
    // One hasher per role, shared by all threads: immutable and thread-safe.
    VideoLimits limits = VideoLimits.builder()
        .maxDuration(Duration.ofMinutes(5))
        .decodeDeadline(Duration.ofMinutes(5))
        .build();
    VideoHasher bankHasher = VideoHasher.builder().limits(limits).secondsPerHash(0).build(); // every frame
    VideoHasher queryHasher = VideoHasher.builder().limits(limits).insideBorder(true).build(); // 1 s, bars trimmed

    VideoBank bank = VideoBank.builder()
        .rule(VpdqMatchRule.defaults()) // distance 31, quality >= 50, query 80 %, comparison 0 %
        .add("case-4711", bankHasher.hash(bannedVideo))
        .build();

    List<VideoMatch> matches = bank.match(queryHasher.hash(upload));
    for (VideoMatch m : matches) {
      System.out.printf("%s: %.0f %% of the upload, %.0f %% of the banked video, at %s%n",
          m.videoId(), m.queryPercent(), m.comparisonPercent(), m.bankedRanges());
    }
    // endregion
    assertEquals(1, matches.size());
    assertEquals(100.0, matches.get(0).queryPercent());
  }

  @Test
  void exchangeHashes() throws IOException {
    VideoHash hash = VideoHasher.builder().secondsPerHash(0).build().hash(video());
    // region formats
    String text = VpdqFormat.writeText(hash);   // upstream C++: frame,quality,pdq_hex,timestamp per line
    String json = VpdqFormat.writeJson(hash);   // upstream Python: ["pdq_hex,quality,timestamp", ...]
    VideoHash fromText = VpdqFormat.readText("case-4711.txt", text);
    VideoHash fromJson = VpdqFormat.readJson("case-4711.json", json); // frames numbered by position
    // endregion
    assertEquals(hash, fromText);
    assertEquals(hash.frames().size(), fromJson.frames().size());
  }

  @Test
  void hostileFiles() throws IOException {
    byte[] cut = Arrays.copyOf(video(), 4000);
    VideoHasher hasher = VideoHasher.create();
    // region errors
    try {
      hasher.hash(cut);
    } catch (LimitExceededException e) {
      // e.field() names the bound: video.bytes, video.frames, video.durationMillis,
      // video.frameDimension, video.framePixels or video.decodeMillis
    } catch (ContentDecodeException e) {
      // EmptyContentException, UnsupportedFormatException, MissingMoovException,
      // TruncatedVideoException or CorruptContentException: say so to the uploader
    }
    // endregion
    assertThrows(TruncatedVideoException.class, () -> hasher.hash(cut));
    assertTrue(VideoLimits.defaults().maxFrames() > 0);
  }

  private static byte[] resource(String name) throws IOException {
    try (InputStream in = VideoGuideTest.class.getResourceAsStream("/video/" + name)) {
      return in.readAllBytes();
    }
  }

  @Test
  void animationsAndPruning() throws IOException {
    byte[] gif = resource("tiny.gif");
    byte[] webp = resource("tiny-lossy.webp");
    // region animated
    // GIF and WebP are told from MP4 by their first bytes; the same limits apply
    VideoHasher hasher = VideoHasher.builder()
        .secondsPerHash(0)   // every frame of a short animation
        .pruneDistance(8)    // drop frames within 8 bits of the last one kept
        .build();
    VideoHash fromGif = hasher.hash(gif);
    VideoHash fromWebp = hasher.hash(webp);
    VideoHash unpruned = VideoHasher.builder().secondsPerHash(0).build().hash(gif);
    VideoHash later = unpruned.pruned(8);   // or prune a hash afterwards, e.g. one read from a list
    // endregion
    assertEquals(15, unpruned.frames().size());
    assertEquals(later, fromGif);
    assertTrue(fromGif.frames().size() <= unpruned.frames().size());
    assertTrue(VideoBank.builder().add("gif", unpruned).build().match(fromWebp).get(0).matches());
  }

  @Test
  void banksFromLists() throws IOException {
    String json = VpdqFormat.writeJson(VideoHasher.builder().secondsPerHash(0).build().hash(resource("tiny.gif")));
    String csvText = "hash,signal_type,case_id\n\"" + json.replace("\"", "\"\"") + "\",vpdq,case-4711\n"
        + "d8f8f0cce0f4a84f0e370a22028f67f0b36e2ed596623e1d33e6339c4e9c9b22,pdq,case-4712\n";
    // region lists
    VpdqLists.Result read = VpdqLists.read(HashListFormat.HAETAE_CSV, "shared.csv",
        new StringReader(csvText), VideoLimits.defaults());
    read.problems().forEach(p -> System.out.printf("line %d: %s %s%n", p.line(), p.kind(), p.message()));
    VideoBank bank = read.addTo(VideoBank.builder()).build();   // ids: case ids, else shared.csv:LINE
    // endregion
    assertEquals(List.of(), read.problems());
    assertEquals(1, read.otherTypes());
    assertEquals(1, bank.size());
  }

  @Test
  void asynchronousMatching(@TempDir Path dir) throws Exception {
    VideoBank videoBank = VideoBank.builder()
        .add("case-4711", VideoHasher.builder().secondsPerHash(0).build().hash(resource("tiny.gif"))).build();
    byte[] upload = resource("tiny-lossy.webp");
    ExternalProvenance vpdq = new ExternalProvenance("Example", "moderation-video vPDQ", "0.1", Optional.empty(),
        "ncii-videos 7");
    ExecutorService videoThreads = Executors.newFixedThreadPool(1);
    Policy policy = new Policy() {
      @Override
      public PolicyId id() {
        return PolicyId.of("video", "1");
      }

      @Override
      public Outcome evaluate(Evidence evidence) {
        for (Signal.ExternalMatch m : evidence.signals(Signal.ExternalMatch.class)) {
          if (m.hit().signalType().equals(VideoHits.SIGNAL_TYPE) && m.hit().withinThreshold()) {
            return Outcome.of(List.of(new Action.Remove()), List.of(Reason.of(id(), "video_match",
                "banked video " + m.hit().entry(), m.hit().category(), LegalGround.terms("ToS 4.2", "NCII"))));
          }
        }
        return Outcome.none();
      }
    };
    try {
      // region async
      PrecomputedMatches videoHits = PrecomputedMatches.of("vpdq", Set.of(VideoHits.SIGNAL_TYPE), vpdq, 10_000);
      ModerationEngine engine = ModerationEngine.builder().logDirectory(dir).defaultPolicies(false)
          .serviceLoader(false, null).policies(policy)
          .externalMatcher(videoHits)   // the engine only looks the hits up
          .build();
      AsyncVideoMatcher matcher = AsyncVideoMatcher.builder()
          .bank(() -> videoBank)                     // asked per job: a rebuilt bank applies next
          .list("ncii-videos", Category.NCII)
          .matches(videoHits, vpdq)
          .executor(videoThreads)                    // the host's threads, not the request's
          .maxQueued(64)                             // beyond: LimitExceededException video.queue
          .build();

      ContentId id = ContentId.of("upload-1");
      ContentEvent event = ContentEvent.upload(Content.of(id, ContentKind.VIDEO, Surface.GROUP)
          .withFingerprints(ImageHasher.digests(upload)), AccountId.of("u1"), RoomId.of("r1"));
      Decision first = engine.evaluate(event);      // at upload: digests only, the video not yet hashed
      CompletableFuture<Decision> second = matcher.submit(id, upload)
          .thenApply(hits -> {
            Decision d = engine.evaluate(event);     // logged with the video hits as evidence
            videoHits.remove(id);
            return d;
          });
      // endregion
      assertTrue(!first.has(Action.Remove.class), first.toString());
      assertTrue(second.get().has(Action.Remove.class), second.get().toString());
      engine.close();
    } finally {
      videoThreads.shutdownNow();
    }
  }

  @Test
  void ffmpegDecoding() throws IOException {
    Path executable = Path.of("/usr/bin/ffmpeg");
    org.junit.jupiter.api.Assumptions.assumeTrue(java.nio.file.Files.isExecutable(executable),
        "no /usr/bin/ffmpeg: the FFmpeg example is compiled, not run");
    byte[] upload = video();
    // region ffmpeg
    // MP4/H.264 decoded by an ffmpeg child process instead of JCodec in the JVM; same limits,
    // same frame numbers and times, the process destroyed at the decode deadline
    VideoHasher hasher = VideoHasher.builder()
        .ffmpeg(executable)                         // or Path.of("ffmpeg"), looked up on the PATH
        .limits(VideoLimits.builder().decodeDeadline(Duration.ofMinutes(2)).build())
        .build();
    VideoHash hash = hasher.hash(upload);
    // endregion
    VideoHash jcodec = VideoHasher.create().hash(upload);
    assertEquals(jcodec.frames().size(), hash.frames().size());
    for (int i = 0; i < hash.frames().size(); i++) {
      assertEquals(jcodec.frames().get(i).frameNumber(), hash.frames().get(i).frameNumber());
      assertTrue(jcodec.frames().get(i).hash().distance(hash.frames().get(i).hash()) < 31);
    }
  }
}
