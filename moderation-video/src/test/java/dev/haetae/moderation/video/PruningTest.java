package dev.haetae.moderation.video;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.haetae.moderation.api.InvalidRequestException;
import dev.haetae.moderation.api.PdqHash;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * Pruning near-identical consecutive frames: the rule on seeded random walks of hashes, and its
 * effect on frame counts and matching measured on the copied upstream reference hashes (every
 * frame, no decoding); the figures are printed and quoted in the video guide.
 */
class PruningTest {
  private static final List<String> SAMPLES = List.of("pattern-hd-no-bar", "pattern-longer-no-bar",
      "pattern-sd-grey-bar", "doorknob-hd-no-bar", "test-padded-dimensions");

  @Test
  void everyDroppedFrameIsNearTheLastKeptOneAndEveryKeptOneIsNot() {
    Random r = new Random(0x9121);
    for (int run = 0; run < 200; run++) {
      List<FrameHash> frames = new ArrayList<>();
      PdqHash h = random(r);
      for (int i = 0; i < 1 + r.nextInt(60); i++) {
        h = flip(h, r.nextInt(3) == 0 ? r.nextInt(80) : r.nextInt(6), r);
        frames.add(new FrameHash(i, h, 100, i / 10.0));
      }
      VideoHash video = new VideoHash(frames);
      int d = r.nextInt(40);
      VideoHash pruned = video.pruned(d);
      assertEquals(frames.get(0), pruned.frames().get(0), "the first frame stays");
      FrameHash last = null;
      int k = 0;
      for (FrameHash f : frames) {
        boolean kept = k < pruned.frames().size() && pruned.frames().get(k).equals(f);
        if (kept) {
          assertTrue(last == null || last.hash().distance(f.hash()) > d, "kept frame " + f.frameNumber());
          last = f;
          k++;
        } else {
          assertTrue(last.hash().distance(f.hash()) <= d, "dropped frame " + f.frameNumber());
        }
      }
      assertEquals(pruned.frames().size(), k, "the kept frames are a subsequence, in order");
    }
  }

  @Test
  void distanceZeroDropsOnlyRepeatsAndBadBoundsAreRefused() {
    PdqHash a = random(new Random(1));
    PdqHash b = flip(a, 1, new Random(2));
    VideoHash v = new VideoHash(List.of(new FrameHash(0, a, 90, 0), new FrameHash(1, a, 90, 1),
        new FrameHash(2, b, 90, 2), new FrameHash(3, a, 90, 3)));
    assertEquals(List.of(0, 2, 3), v.pruned(0).frames().stream().map(FrameHash::frameNumber).toList());
    assertEquals(List.of(0), v.pruned(1).frames().stream().map(FrameHash::frameNumber).toList());
    VideoHash distinct = new VideoHash(List.of(new FrameHash(0, a, 90, 0), new FrameHash(1, b, 90, 1)));
    assertSame(distinct, distinct.pruned(0));
    assertThrows(InvalidRequestException.class, () -> v.pruned(-1));
    assertThrows(InvalidRequestException.class, () -> v.pruned(257));
    assertThrows(InvalidRequestException.class, () -> VideoHasher.builder().pruneDistance(-2));
    assertEquals(-1, VideoHasher.create().pruneDistance());
  }

  @Test
  void theHasherPrunesWhenAsked() {
    byte[] gif = AnimatedFramesTest.fixture("tiny.gif");
    VideoHash all = VideoHasher.builder().secondsPerHash(0).build().hash(gif);
    VideoHash pruned = VideoHasher.builder().secondsPerHash(0).pruneDistance(31).build().hash(gif);
    assertEquals(all.pruned(31), pruned);
    assertTrue(pruned.frames().size() < all.frames().size(), pruned.frames().size() + " of " + all.frames().size());
  }

  /**
   * The effect on the copied reference hashes (upstream's, every frame): frames kept per bound, and
   * the query and comparison percentages of each sample against a bank of pattern-hd-no-bar, both
   * sides pruned alike. Pruning keeps the same decisions here (asserted), and the percentages move
   * because they count distinct frames.
   */
  @Test
  void effectOnTheCopiedSamples() {
    VideoHash original = Samples.reference("pattern-hd-no-bar");
    StringBuilder table = new StringBuilder("bound | frames kept per sample (" + String.join(", ", SAMPLES)
        + ") | q/c % vs pattern-hd-no-bar\n");
    for (int d : new int[] {-1, 0, 4, 8, 16, 31}) {
      VideoBank bank = VideoBank.builder().add("original", d < 0 ? original : original.pruned(d)).build();
      table.append(d < 0 ? "off" : Integer.toString(d)).append(" |");
      List<String> percents = new ArrayList<>();
      for (String s : SAMPLES) {
        VideoHash h = Samples.reference(s);
        VideoHash q = d < 0 ? h : h.pruned(d);
        table.append(' ').append(q.frames().size());
        VideoMatch m = bank.compare(q).stream().findFirst().orElse(null);
        boolean same = s.startsWith("pattern-hd") || s.startsWith("pattern-longer");
        assertEquals(same, m != null && m.matches(), s + " at bound " + d);
        percents.add(m == null ? "0/0" : String.format(Locale.ROOT, "%.1f/%.1f", m.queryPercent(), m.comparisonPercent()));
      }
      table.append(" | ").append(String.join(", ", percents)).append('\n');
      if (d >= 0) {
        assertTrue(original.pruned(d).frames().size() <= original.frames().size());
      }
    }
    System.out.print(table);
    assertTrue(original.pruned(16).frames().size() < original.frames().size(), "pruning drops frames of the sample");
  }

  private static PdqHash random(Random r) {
    return new PdqHash(r.nextLong(), r.nextLong(), r.nextLong(), r.nextLong());
  }

  private static PdqHash flip(PdqHash h, int bits, Random r) {
    long[] w = {h.w3(), h.w2(), h.w1(), h.w0()};
    for (int i = 0; i < bits; i++) {
      int b = r.nextInt(256);
      w[b / 64] ^= 1L << (b % 64);
    }
    return new PdqHash(w[0], w[1], w[2], w[3]);
  }
}
