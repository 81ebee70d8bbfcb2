package dev.haetae.moderation.video;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.haetae.moderation.api.ConfigurationException;
import dev.haetae.moderation.api.CorruptContentException;
import dev.haetae.moderation.api.InvalidRequestException;
import dev.haetae.moderation.api.LimitExceededException;
import dev.haetae.moderation.api.PdqHash;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The FFmpeg decoding path ({@link VideoHasher.Builder#ffmpeg(Path)}): against upstream's
 * reference hashes and the JCodec path on the copied samples, both ways of handing FFmpeg the file
 * (a pipe when {@code moov} comes first, a temporary file otherwise), sampling through FFmpeg's
 * select filter, and each failure: an executable that cannot start, a non-zero exit, a short frame,
 * too many frames, a hang (the deadline destroys the process and its children), the decode deadline
 * on an injected clock. Skipped, with a message, where the host has no {@code ffmpeg}; the failure
 * cases use small POSIX shell scripts standing in for it.
 */
class FfmpegPathTest {
  private static final byte[] FASTSTART = VideoFuzzTest.fixture("tiny-faststart.mp4");
  private static final byte[] MOOV_AT_END = VideoFuzzTest.fixture("tiny-moov-at-end.mp4");

  @TempDir
  Path dir;

  private static VideoHasher everyFrame(Path ffmpeg) {
    return VideoHasher.builder().secondsPerHash(0).ffmpeg(ffmpeg).build();
  }

  @Test
  void everyFrameIsWithinUpstreamToleranceAndNumberedAsWithJcodec() {
    Path ffmpeg = Ffmpeg.required();
    for (String video : List.of("test-padded-dimensions", "doorknob-hd-no-bar")) {
      VideoHash ours = everyFrame(ffmpeg).hash(Samples.bytes(video + ".mp4"));
      VideoHash ref = Samples.reference(video);
      VideoHash jcodec = Samples.everyFrame(video);
      assertEquals(ref.frames().size(), ours.frames().size(), video + " frame count");
      int worst = 0;
      for (int i = 0; i < ref.frames().size(); i++) {
        FrameHash r = ref.frames().get(i);
        FrameHash o = ours.frames().get(i);
        assertEquals(r.frameNumber(), o.frameNumber(), "frame number at " + i);
        assertEquals(jcodec.frames().get(i).timestampSeconds(), o.timestampSeconds(), "timestamp of frame " + i);
        assertEquals(r.timestampSeconds(), o.timestampSeconds(), 0.0005, "timestamp of frame " + i);
        if (r.quality() >= 50 && o.quality() >= 50) {
          worst = Math.max(worst, r.hash().distance(o.hash()));
        }
      }
      assertTrue(worst < 31, video + " worst distance " + worst);
    }
  }

  @Test
  void sampledFramesAreTheEveryFrameHashesOfTheSameNumbers() {
    Path ffmpeg = Ffmpeg.required();
    byte[] bytes = Samples.bytes("test-padded-dimensions.mp4");
    VideoHash all = everyFrame(ffmpeg).hash(bytes);
    VideoHash sampled = VideoHasher.builder().ffmpeg(ffmpeg).build().hash(bytes);
    // 30 fps: frames 0, 30, 60, ... as upstream keeps them (FFmpeg's select filter drops the rest)
    assertEquals(List.of(0, 30, 60, 90, 120), sampled.frames().stream().map(FrameHash::frameNumber).toList());
    for (FrameHash f : sampled.frames()) {
      assertEquals(all.frames().get(f.frameNumber()), f, "frame " + f.frameNumber());
    }
    // another step (0.5 s at 30 fps is every 15th frame) gives the JCodec path's numbers too
    VideoHash half = VideoHasher.builder().ffmpeg(ffmpeg).secondsPerHash(0.5).build().hash(bytes);
    VideoHash halfJcodec = VideoHasher.builder().secondsPerHash(0.5).build().hash(bytes);
    assertEquals(halfJcodec.frames().stream().map(FrameHash::frameNumber).toList(),
        half.frames().stream().map(FrameHash::frameNumber).toList());
  }

  @Test
  void moovFirstGoesThroughAPipeMoovLastThroughATemporaryFileAndBothEqualJcodec() {
    Path ffmpeg = Ffmpeg.required();
    VideoHasher jcodec = VideoHasher.builder().secondsPerHash(0).build();
    // H.264 decoding is exact, and FFmpeg's grey frames are JCodec's luma expanded alike: the same hashes
    for (byte[] file : List.of(FASTSTART, MOOV_AT_END)) {
      VideoHash viaFfmpeg = everyFrame(ffmpeg).hash(file);
      assertEquals(20, viaFfmpeg.frames().size());
      assertEquals(jcodec.hash(file), viaFfmpeg);
    }
  }

  @Test
  void anEditListHidesNoFrame() {
    Path ffmpeg = Ffmpeg.required();
    // cut at 0.45 s without re-encoding: the edit list starts inside a group of pictures
    byte[] cut = VideoFuzzTest.fixture("tiny-edit-list.mp4");
    VideoHash jcodec = VideoHasher.builder().secondsPerHash(0).build().hash(cut);
    VideoHash viaFfmpeg = everyFrame(ffmpeg).hash(cut);
    assertEquals(20, jcodec.frames().size());
    assertEquals(20, viaFfmpeg.frames().size());
    // the frames before the edit's start all show at 0 s; JCodec's times for them do not keep their
    // order (measured: the five come out as 3, 1, 2, 4, 0), FFmpeg's output does; as a bag they are the same
    List<PdqHash> before = new java.util.ArrayList<>();
    List<PdqHash> beforeViaFfmpeg = new java.util.ArrayList<>();
    for (int i = 0; i < 20; i++) {
      FrameHash j = jcodec.frames().get(i);
      FrameHash f = viaFfmpeg.frames().get(i);
      assertEquals(j.frameNumber(), f.frameNumber());
      assertEquals(j.timestampSeconds(), f.timestampSeconds());
      if (j.timestampSeconds() == 0) {
        before.add(j.hash());
        beforeViaFfmpeg.add(f.hash());
      } else {
        assertEquals(j, f, "frame " + i);
      }
    }
    assertEquals(5, before.size());
    assertEquals(new java.util.HashSet<>(before), new java.util.HashSet<>(beforeViaFfmpeg));
  }

  @Test
  void theFirstPassStillRefusesBeforeFfmpegRuns() throws IOException {
    // a stand-in that would fail the test if it ever ran
    Path never = script("never", "echo ran >&2; exit 99");
    VideoHasher hasher = VideoHasher.builder().ffmpeg(never)
        .limits(VideoLimits.builder().maxFrames(10).build()).build();
    LimitExceededException e = assertThrows(LimitExceededException.class, () -> hasher.hash(FASTSTART));
    assertTrue(e.getMessage().contains("video.frames"), e.getMessage());
    byte[] noMoov = FASTSTART.clone();
    int at = new String(noMoov, StandardCharsets.ISO_8859_1).indexOf("moov");
    noMoov[at] = 'f';
    noMoov[at + 1] = 'r';
    noMoov[at + 2] = 'e';
    noMoov[at + 3] = 'e';
    assertThrows(MissingMoovException.class, () -> VideoHasher.builder().ffmpeg(never).build().hash(noMoov));
  }

  @Test
  void anExecutableThatCannotStartIsAConfigurationProblem() {
    ConfigurationException e = assertThrows(ConfigurationException.class,
        () -> VideoHasher.builder().ffmpeg(dir.resolve("no-such-ffmpeg")).build().hash(FASTSTART));
    assertTrue(e.getMessage().contains("no-such-ffmpeg"), e.getMessage());
    assertThrows(InvalidRequestException.class, () -> VideoHasher.builder().ffmpeg(null));
    assertTrue(VideoHasher.builder().ffmpeg(dir).jcodec().build().ffmpeg().isEmpty());
  }

  @Test
  void aNonZeroExitIsCorruptWithFfmpegsMessage() throws IOException {
    Path fake = script("fails", "cat > /dev/null; echo 'Invalid NAL unit size' >&2; exit 1");
    CorruptContentException e = assertThrows(CorruptContentException.class,
        () -> everyFrame(fake).hash(FASTSTART));
    assertTrue(e.getMessage().contains("status 1") && e.getMessage().contains("Invalid NAL unit size"), e.getMessage());
  }

  @Test
  void aShortFrameTooManyFramesOrTooFewAreCorrupt() throws IOException {
    int frame = 96 * 64;
    Path shortFrame = script("short", "cat > /dev/null; head -c " + (frame + 100) + " /dev/zero");
    CorruptContentException e = assertThrows(CorruptContentException.class, () -> everyFrame(shortFrame).hash(FASTSTART));
    assertTrue(e.getMessage().contains("frame 1 ends after 100"), e.getMessage());
    Path tooMany = script("many", "cat > /dev/null; head -c " + (21 * frame) + " /dev/zero");
    e = assertThrows(CorruptContentException.class, () -> everyFrame(tooMany).hash(FASTSTART));
    assertTrue(e.getMessage().contains("more frames"), e.getMessage());
    Path tooFew = script("few", "cat > /dev/null; head -c " + (19 * frame) + " /dev/zero");
    e = assertThrows(CorruptContentException.class, () -> everyFrame(tooFew).hash(FASTSTART));
    assertTrue(e.getMessage().contains("decodes 19 frames"), e.getMessage());
    // the stand-in's all-zero frames, exactly 20 of them, are hashed: the checks above are the only refusals
    Path exact = script("exact", "cat > /dev/null; head -c " + (20 * frame) + " /dev/zero");
    assertEquals(20, everyFrame(exact).hash(FASTSTART).frames().size());
  }

  @Test
  void aHangingDecoderIsDestroyedWithItsChildrenAtTheDeadline() throws Exception {
    Path pidFile = dir.resolve("child.pid");
    Path hangs = script("hangs", "sleep 600 & echo $! > '" + pidFile + "'; wait");
    VideoHasher hasher = VideoHasher.builder().ffmpeg(hangs).secondsPerHash(0)
        .limits(VideoLimits.builder().decodeDeadline(Duration.ofMillis(500)).build()).build();
    LimitExceededException e = assertThrows(LimitExceededException.class, () -> hasher.hash(FASTSTART));
    assertTrue(e.getMessage().contains("video.decodeMillis"), e.getMessage());
    long pid = Long.parseLong(Files.readString(pidFile).strip());
    ProcessHandle.of(pid).ifPresent(child -> child.onExit().orTimeout(60, TimeUnit.SECONDS).join());
    assertFalse(ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false), "the stand-in's child was destroyed");
  }

  @Test
  void theDeadlineIsCheckedBetweenFramesWithTheInjectedClock() {
    Path ffmpeg = Ffmpeg.required();
    AtomicLong now = new AtomicLong();
    // every reading of the clock advances it by 4 s: the deadline of 30 s passes during the frames
    Clock ticking = new Clock() {
      @Override
      public java.time.ZoneId getZone() {
        return ZoneOffset.UTC;
      }

      @Override
      public Clock withZone(java.time.ZoneId zone) {
        return this;
      }

      @Override
      public Instant instant() {
        return Instant.ofEpochMilli(now.addAndGet(4_000));
      }
    };
    VideoHasher hasher = VideoHasher.builder().ffmpeg(ffmpeg).secondsPerHash(0).clock(ticking)
        .limits(VideoLimits.builder().decodeDeadline(Duration.ofSeconds(30)).build()).build();
    LimitExceededException e = assertThrows(LimitExceededException.class, () -> hasher.hash(FASTSTART));
    assertTrue(e.getMessage().contains("video.decodeMillis"), e.getMessage());
  }

  @Test
  void theCommandIsAnArgumentListWithTheDeclaredSize() {
    List<String> c = FfmpegDecoder.command(Path.of("ffmpeg"), null, 96, 64, 30, FfmpegDecoder.Pixels.GRAY);
    assertEquals("pipe:0", c.get(c.indexOf("-i") + 1));
    assertEquals("select=not(mod(n\\,30)),scale=96:64", c.get(c.indexOf("-vf") + 1));
    assertEquals("gray", c.get(c.indexOf("-pix_fmt") + 1));
    assertEquals("mov", c.get(c.indexOf("-f") + 1));
    List<String> f = FfmpegDecoder.command(Path.of("ffmpeg"), Path.of("in.mp4"), 96, 64, 1, FfmpegDecoder.Pixels.RGB24);
    assertTrue(f.get(f.indexOf("-i") + 1).startsWith("file:"), f.toString());
    assertEquals("scale=96:64", f.get(f.indexOf("-vf") + 1));
  }

  /** A POSIX shell script standing in for ffmpeg (it ignores the arguments). */
  private Path script(String name, String body) throws IOException {
    assumeTrue(Files.isExecutable(Path.of("/bin/sh")), "no /bin/sh for the stand-in scripts");
    Path p = dir.resolve(name);
    Files.writeString(p, "#!/bin/sh\n" + body + "\n");
    Files.setPosixFilePermissions(p, PosixFilePermissions.fromString("rwx------"));
    return p;
  }
}
