package dev.haetae.moderation.video;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The module's hashes of the two small copied samples against upstream's reference hashes (FFmpeg
 * frames, C++ hasher), with upstream's own tolerance: the same frame count and frame numbers, and
 * where both qualities are at least 50, a distance below 31. The sample with padded (odd, cropped)
 * dimensions checks the crop; both have B-frames, so frame order checks the reordering. All samples:
 * {@code VpdqSamplesTest} (opt-in).
 */
class ReferenceHashesTest {

  @ParameterizedTest
  @ValueSource(strings = {"test-padded-dimensions", "doorknob-hd-no-bar"})
  void everyFrameIsWithinUpstreamToleranceOfTheReference(String video) {
    VideoHash ours = Samples.everyFrame(video);
    VideoHash ref = Samples.reference(video);
    assertEquals(ref.frames().size(), ours.frames().size(), "frame count");
    int compared = 0;
    int worst = 0;
    for (int i = 0; i < ref.frames().size(); i++) {
      FrameHash r = ref.frames().get(i);
      FrameHash o = ours.frames().get(i);
      assertEquals(r.frameNumber(), o.frameNumber(), "frame number at " + i);
      assertEquals(r.timestampSeconds(), o.timestampSeconds(), 0.0005, "timestamp of frame " + i);
      if (r.quality() >= 50 && o.quality() >= 50) {
        int d = r.hash().distance(o.hash());
        worst = Math.max(worst, d);
        compared++;
        assertTrue(d < 31, video + " frame " + i + " is " + d + " bits from the reference");
      }
    }
    assertTrue(compared >= ref.frames().size() / 2, "compared only " + compared);
    // measured: padded 4 bits at most, doorknob 16 (its frames are dark and low in quality)
    assertTrue(worst <= 20, "worst distance " + worst);
  }

  @ParameterizedTest
  @ValueSource(strings = {"test-padded-dimensions", "doorknob-hd-no-bar"})
  void oneHashPerSecondKeepsUpstreamsFrames(String video) {
    VideoHash sampled = VideoHasher.create().hash(Samples.bytes(video + ".mp4"));
    List<Integer> numbers = sampled.frames().stream().map(FrameHash::frameNumber).toList();
    // 30 fps: upstream keeps frame n when n % 30 == 0
    List<Integer> expected = Samples.reference(video).frames().stream().map(FrameHash::frameNumber)
        .filter(n -> n % 30 == 0).toList();
    assertEquals(expected, numbers);
    VideoHash all = Samples.everyFrame(video);
    for (FrameHash f : sampled.frames()) {
      assertEquals(all.frames().get(f.frameNumber()).hash(), f.hash(), "frame " + f.frameNumber());
    }
  }
}
