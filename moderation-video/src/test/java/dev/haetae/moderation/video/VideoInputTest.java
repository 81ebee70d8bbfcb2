package dev.haetae.moderation.video;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.haetae.moderation.api.CorruptContentException;
import dev.haetae.moderation.api.EmptyContentException;
import dev.haetae.moderation.api.InvalidRequestException;
import dev.haetae.moderation.api.LimitExceededException;
import dev.haetae.moderation.api.UnsupportedFormatException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.Arrays;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Each kind of bad input and each limit gets its specific exception, before frames are decoded. */
class VideoInputTest {
  private static final byte[] PADDED = Samples.bytes("test-padded-dimensions.mp4");

  private static VideoHasher with(VideoLimits limits) {
    return VideoHasher.builder().limits(limits).build();
  }

  @Test
  void emptyAndForeignContent() {
    assertThrows(EmptyContentException.class, () -> VideoHasher.create().hash(new byte[0]));
    assertThrows(InvalidRequestException.class, () -> VideoHasher.create().hash((byte[]) null));
    UnsupportedFormatException e = assertThrows(UnsupportedFormatException.class,
        () -> VideoHasher.create().hash("%PDF-1.7, not a video at all".getBytes(StandardCharsets.US_ASCII)));
    assertTrue(e.getMessage().contains("not an MP4"), e.getMessage());
    assertThrows(UnsupportedFormatException.class, () -> VideoHasher.create().hash(new byte[] {1, 2, 3}));
  }

  @Test
  void aCutUploadIsTruncated() {
    for (int keep : new int[] {PADDED.length / 2, PADDED.length - 1, 20}) {
      assertThrows(TruncatedVideoException.class, () -> VideoHasher.create().hash(Arrays.copyOf(PADDED, keep)),
          "cut to " + keep);
    }
  }

  @Test
  void noMoovBox() {
    byte[] b = PADDED.clone();
    int at = indexOf(b, "moov");
    b[at] = 'f';
    b[at + 1] = 'r';
    b[at + 2] = 'e';
    b[at + 3] = 'e';
    assertThrows(MissingMoovException.class, () -> VideoHasher.create().hash(b));
  }

  @Test
  void aTableDeclaringMoreEntriesThanItsBoxIsCorrupt() {
    byte[] b = PADDED.clone();
    int stsz = indexOf(b, "stsz");
    // sample count (after version/flags and the constant size) set to two billion
    b[stsz + 12] = 0x7f;
    CorruptContentException e = assertThrows(CorruptContentException.class, () -> VideoHasher.create().hash(b));
    assertTrue(e.getMessage().contains("stsz"), e.getMessage());
  }

  @Test
  void absurdDeclaredDimensionsAreRefusedBeforeDecoding() {
    byte[] b = PADDED.clone();
    int avc1 = indexOf(b, "stsd") + indexOf(Arrays.copyOfRange(b, indexOf(b, "stsd"), b.length), "avc1");
    // VisualSampleEntry: 6 reserved, 2 data reference index, 16 pre-defined/reserved, then width
    b[avc1 + 4 + 24] = (byte) 0xea;
    b[avc1 + 4 + 25] = 0x60;
    LimitExceededException e = assertThrows(LimitExceededException.class, () -> VideoHasher.create().hash(b));
    assertEquals("video.frameDimension", e.field());
    assertEquals(60_000, e.actual());
  }

  @Test
  void everyLimitNamesItself() {
    assertEquals("video.bytes", assertThrows(LimitExceededException.class,
        () -> with(VideoLimits.builder().maxBytes(1000).build()).hash(PADDED)).field());
    assertEquals("video.frames", assertThrows(LimitExceededException.class,
        () -> with(VideoLimits.builder().maxFrames(149).build()).hash(PADDED)).field());
    assertEquals("video.durationMillis", assertThrows(LimitExceededException.class,
        () -> with(VideoLimits.builder().maxDuration(Duration.ofSeconds(4)).build()).hash(PADDED)).field());
    // the sample is 1080 x 1080, coded as 1088 x 1088 macroblocks
    assertEquals("video.frameDimension", assertThrows(LimitExceededException.class,
        () -> with(VideoLimits.builder().maxFrameDimension(1000).build()).hash(PADDED)).field());
    assertEquals("video.framePixels", assertThrows(LimitExceededException.class,
        () -> with(VideoLimits.builder().maxFramePixels(1_000_000).build()).hash(PADDED)).field());
  }

  @Test
  void theDecodeDeadlineIsCheckedBetweenFrames() {
    AtomicLong reads = new AtomicLong();
    // a clock that advances one second each time it is read
    Clock ticking = AnimatedFramesTest.ticking(reads);
    VideoHasher h = VideoHasher.builder().clock(ticking)
        .limits(VideoLimits.builder().decodeDeadline(Duration.ofSeconds(3)).build()).build();
    LimitExceededException e = assertThrows(LimitExceededException.class, () -> h.hash(PADDED));
    assertEquals("video.decodeMillis", e.field());
    assertTrue(reads.get() <= 6, "stopped after " + reads.get() + " clock reads");
  }

  @Test
  void aFileIsSizedBeforeItIsRead(@TempDir Path dir) throws Exception {
    Path f = dir.resolve("v.mp4");
    Files.write(f, PADDED);
    assertEquals("video.bytes", assertThrows(LimitExceededException.class,
        () -> with(VideoLimits.builder().maxBytes(100).build()).hash(f)).field());
    assertEquals(5, VideoHasher.create().hash(f).frames().size());
  }

  @Test
  void badSettingsAreRefusedAtOnce() {
    assertThrows(InvalidRequestException.class, () -> VideoLimits.builder().maxFrames(0));
    assertThrows(InvalidRequestException.class, () -> VideoLimits.builder().decodeDeadline(Duration.ZERO));
    assertThrows(InvalidRequestException.class, () -> VideoHasher.builder().secondsPerHash(-1));
    assertThrows(InvalidRequestException.class, () -> VideoHasher.builder().secondsPerHash(Double.NaN));
    assertEquals(VideoLimits.defaults(), VideoLimits.defaults().toBuilder().build());
  }

  static int indexOf(byte[] b, String type) {
    byte[] t = type.getBytes(StandardCharsets.US_ASCII);
    outer:
    for (int i = 0; i + t.length <= b.length; i++) {
      for (int k = 0; k < t.length; k++) {
        if (b[i + k] != t[k]) {
          continue outer;
        }
      }
      return i;
    }
    throw new IllegalStateException("no " + type);
  }
}
