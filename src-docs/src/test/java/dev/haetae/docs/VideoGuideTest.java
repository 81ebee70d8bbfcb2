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
import java.io.IOException;
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
}
