package dev.haetae.moderation.video;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.haetae.moderation.api.InvalidRequestException;
import dev.haetae.moderation.api.PdqHash;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * Matching on upstream's reference hashes (copied, see NOTICE.md): the re-encoded longer cut
 * matches the original, the unrelated doorknob clip matches nothing, a 5-second clip cut from a
 * banked video matches on the query side, and the letterboxed variants do not match without
 * trimming (their reference hashes sit 62 to 94 bits away). Trimming on decoded frames:
 * {@code VpdqSamplesTest} (opt-in).
 */
class VideoBankTest {
  private static final List<String> PATTERNS = List.of("pattern-hd-no-bar", "pattern-longer-no-bar",
      "pattern-sd-grey-bar", "pattern-sd-with-small-logo-bar", "pattern-sd-with-large-logo-bar");

  private static VideoBank bankOf(VpdqMatchRule rule, String... videos) {
    VideoBank.Builder b = VideoBank.builder().rule(rule);
    for (String v : videos) {
      b.add(v, Samples.reference(v));
    }
    return b.build();
  }

  @Test
  void theLongerCutMatchesTheOriginalBothWays() {
    VideoBank bank = bankOf(VpdqMatchRule.bothWays(), "pattern-hd-no-bar");
    List<VideoMatch> m = bank.match(Samples.reference("pattern-longer-no-bar"));
    assertEquals(1, m.size());
    assertEquals("pattern-hd-no-bar", m.get(0).videoId());
    assertTrue(m.get(0).comparisonPercent() >= 99, m.toString());
    assertTrue(m.get(0).queryPercent() >= 80, m.toString());
  }

  @Test
  void theUnrelatedClipMatchesNothingAndNothingMatchesIt() {
    VideoBank patterns = bankOf(VpdqMatchRule.defaults(), PATTERNS.toArray(new String[0]));
    assertEquals(List.of(), patterns.match(Samples.reference("doorknob-hd-no-bar")));
    VideoBank doorknob = bankOf(VpdqMatchRule.defaults(), "doorknob-hd-no-bar");
    for (String p : PATTERNS) {
      assertEquals(List.of(), doorknob.match(Samples.reference(p)), p);
    }
  }

  @Test
  void aFiveSecondClipMatchesOnTheQuerySide() {
    VideoHash banked = Samples.reference("pattern-hd-no-bar");
    VideoHash clip = banked.between(1.0, 6.0);
    assertTrue(clip.frames().size() >= 140, "clip of " + clip.frames().size() + " frames");
    VideoMatch m = VideoBank.builder().add("hd", banked).build().compare(clip).get(0);
    assertEquals(100.0, m.queryPercent(), 1e-9);
    // 5 of 6.9 s; neighbouring frames of this slow pattern are alike, so 80.4 % of the banked frames match
    assertTrue(m.comparisonPercent() > 72 && m.comparisonPercent() < 85, m.toString());
    assertTrue(m.matches(), "query side decides by default");
    VpdqMatchRule comparisonSide = new VpdqMatchRule(31, 50, 0, 90);
    assertFalse(VideoBank.builder().rule(comparisonSide).add("hd", banked).build().compare(clip).get(0).matches(),
        "a rule on the banked side refuses a short enough clip");
    // the evidence says where: one run of the query; the banked video's longest run is about 1..6 s
    // (a frame at 0.03 s also matches: the pattern barely moves)
    assertEquals(1, m.queryRanges().size(), m.toString());
    TimeRange where = m.bankedRanges().stream()
        .max(java.util.Comparator.comparingDouble(t -> t.toSeconds() - t.fromSeconds())).orElseThrow();
    assertTrue(where.fromSeconds() >= 0.4 && where.fromSeconds() <= 1.0 && where.toSeconds() <= 6.1, m.toString());
  }

  @Test
  void letterboxedVariantsDoNotMatchWithoutTrimming() {
    VideoBank bank = bankOf(VpdqMatchRule.defaults(), "pattern-hd-no-bar");
    for (String v : List.of("pattern-sd-grey-bar", "pattern-sd-with-small-logo-bar", "pattern-sd-with-large-logo-bar")) {
      assertEquals(List.of(), bank.match(Samples.reference(v)), v);
      int nearest = 256;
      for (FrameHash q : Samples.reference(v).frames()) {
        for (FrameHash c : Samples.reference("pattern-hd-no-bar").frames()) {
          nearest = Math.min(nearest, q.hash().distance(c.hash()));
        }
      }
      assertTrue(nearest > 31, v + " nearest frame " + nearest);
    }
  }

  @Test
  void theIndexFindsWhatABruteForceScanFinds() {
    Random r = new Random(21);
    List<FrameHash> banked = new ArrayList<>();
    for (int i = 0; i < 400; i++) {
      banked.add(new FrameHash(i, random(r), 100, i / 30.0));
    }
    VideoHash video = new VideoHash(banked);
    List<FrameHash> query = new ArrayList<>();
    for (int i = 0; i < 200; i++) {
      PdqHash base = banked.get(r.nextInt(banked.size())).hash();
      query.add(new FrameHash(i, flip(base, r.nextInt(40), r), 100, i / 30.0));
    }
    VideoHash q = new VideoHash(query);
    VideoMatch m = VideoBank.builder().add("v", video).build().compare(q).get(0);
    int expectQuery = 0;
    java.util.Set<Integer> expectBanked = new java.util.HashSet<>();
    for (FrameHash f : query) {
      boolean any = false;
      for (FrameHash b : banked) {
        if (f.hash().distance(b.hash()) <= 31) {
          any = true;
          expectBanked.add(b.frameNumber());
        }
      }
      expectQuery += any ? 1 : 0;
    }
    assertEquals(100.0 * expectQuery / query.size(), m.queryPercent(), 1e-9);
    assertEquals(100.0 * expectBanked.size() / banked.size(), m.comparisonPercent(), 1e-9);
  }

  @Test
  void lowQualityFramesAndDuplicatesDoNotCount() {
    PdqHash h = PdqHash.fromHex("dadb999c25266273529cadac89cb52c22324ad3bce99726c38668d93c799f07c");
    VideoHash banked = new VideoHash(List.of(new FrameHash(0, h, 100, 0), new FrameHash(1, h, 100, 0.1)));
    VideoHash lowQuery = new VideoHash(List.of(new FrameHash(0, h, 49, 0)));
    VideoBank bank = VideoBank.builder().add("v", banked).build();
    assertEquals(1, bank.indexedFrames());
    assertEquals(List.of(), bank.compare(lowQuery));
    assertEquals(100.0, bank.compare(new VideoHash(List.of(new FrameHash(0, h, 50, 0)))).get(0).comparisonPercent());
  }

  @Test
  void badArgumentsAreRefused() {
    assertThrows(InvalidRequestException.class, () -> new VpdqMatchRule(-1, 50, 80, 0));
    assertThrows(InvalidRequestException.class, () -> new VpdqMatchRule(31, 101, 80, 0));
    assertThrows(InvalidRequestException.class, () -> new VpdqMatchRule(31, 50, Double.NaN, 0));
    assertThrows(InvalidRequestException.class, () -> VideoBank.builder().add(" ", new VideoHash(List.of())));
    VideoBank.Builder b = VideoBank.builder().add("a", new VideoHash(List.of()));
    assertThrows(InvalidRequestException.class, () -> b.add("a", new VideoHash(List.of())));
    assertThrows(InvalidRequestException.class, () -> b.build().match(null));
  }

  static PdqHash random(Random r) {
    return new PdqHash(r.nextLong(), r.nextLong(), r.nextLong(), r.nextLong());
  }

  static PdqHash flip(PdqHash h, int bits, Random r) {
    long[] w = {h.w3(), h.w2(), h.w1(), h.w0()};
    java.util.Set<Integer> done = new java.util.HashSet<>();
    while (done.size() < bits) {
      int b = r.nextInt(256);
      if (done.add(b)) {
        w[b / 64] ^= 1L << (b % 64);
      }
    }
    return new PdqHash(w[0], w[1], w[2], w[3]);
  }
}
