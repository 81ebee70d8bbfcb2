package dev.haetae.moderation.video;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Opt-in: every shared sample video (not copied into the project; set {@code haetae.vpdq.dir}, or
 * use the {@code vpdq-samples} profile), decoded and hashed here, against upstream's reference
 * hashes and against each other. Prints the per-frame distance distribution, the share of frames
 * of each variant that match the original with and without trimming the bars, and the real-time
 * factor (CPU seconds per second of video) of decoding alone, of hashing every frame and of one
 * hash per second.
 *
 * <pre>./mvnw -B -pl moderation-video -am test -Pvpdq-samples -Dtest=VpdqSamplesTest -Dsurefire.failIfNoSpecifiedTests=false</pre>
 */
class VpdqSamplesTest {
  private static final String DIR = System.getProperty("haetae.vpdq.dir", "");
  private static final List<String> VIDEOS = List.of("pattern-hd-no-bar", "pattern-longer-no-bar",
      "pattern-sd-grey-bar", "pattern-sd-with-small-logo-bar", "pattern-sd-with-large-logo-bar",
      "doorknob-hd-no-bar", "test-padded-dimensions");

  @Test
  void allSamples() throws Exception {
    assumeTrue(!DIR.isEmpty() && Files.isDirectory(Path.of(DIR, "videos")), "set haetae.vpdq.dir to run");
    com.sun.management.OperatingSystemMXBean os =
        (com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
    VideoHasher everyFrame = VideoHasher.builder().secondsPerHash(0).insideBorder(true).build();
    VideoHasher perSecond = VideoHasher.create();
    Map<String, VideoHash> ours = new LinkedHashMap<>();
    int[] histogram = new int[257];
    int compared = 0;
    double videoSeconds = 0;
    double decodeCpu = 0;
    double everyCpu = 0;
    double secondCpu = 0;
    System.out.println("load average at start: " + os.getSystemLoadAverage());
    // warm the JIT up, so that the first sample's figures are not its compilation
    byte[] warm = Files.readAllBytes(Path.of(DIR, "videos", "test-padded-dimensions.mp4"));
    decodeOnly(warm);
    everyFrame.hash(warm);
    VideoHasher keyFrames = VideoHasher.builder().keyFramesOnly(true).insideBorder(true).build();
    Map<String, VideoHash> keyHashes = new LinkedHashMap<>();
    double keyCpu = 0;
    for (String v : VIDEOS) {
      byte[] bytes = Files.readAllBytes(Path.of(DIR, "videos", v + ".mp4"));
      long c0 = os.getProcessCpuTime();
      FrameSink.Info info = decodeOnly(bytes);
      long c1 = os.getProcessCpuTime();
      VideoHash h = everyFrame.hash(bytes);
      long c2 = os.getProcessCpuTime();
      perSecond.hash(bytes);
      long c3 = os.getProcessCpuTime();
      keyHashes.put(v, keyFrames.hash(bytes));
      long c4 = os.getProcessCpuTime();
      keyCpu += (c4 - c3) / 1e9;
      ours.put(v, h);
      videoSeconds += info.durationSeconds();
      decodeCpu += (c1 - c0) / 1e9;
      everyCpu += (c2 - c1) / 1e9;
      secondCpu += (c3 - c2) / 1e9;
      VideoHash ref = VpdqFormat.readText(v, Files.readString(Path.of(DIR, "hashes", v + ".txt")));
      assertEquals(ref.frames().size(), h.frames().size(), v + " frame count");
      int worst = 0;
      for (int i = 0; i < ref.frames().size(); i++) {
        FrameHash r = ref.frames().get(i);
        FrameHash o = h.frames().get(i);
        assertEquals(r.frameNumber(), o.frameNumber());
        if (r.quality() >= 50 && o.quality() >= 50) {
          int d = r.hash().distance(o.hash());
          histogram[d]++;
          compared++;
          worst = Math.max(worst, d);
        }
      }
      assertTrue(worst < 31, v + " worst " + worst);
      System.out.printf(Locale.ROOT, "%-32s %4d frames %5.2f s %dx%d  decode %.2f CPU s (RTF %.2f), every frame %.2f"
          + " (RTF %.2f), 1 s sampling %.2f (RTF %.2f), key frames only %d frames %.2f (RTF %.2f), worst distance %d%n", v, info.frames(), info.durationSeconds(),
          info.width(), info.height(), (c1 - c0) / 1e9, (c1 - c0) / 1e9 / info.durationSeconds(), (c2 - c1) / 1e9,
          (c2 - c1) / 1e9 / info.durationSeconds(), (c3 - c2) / 1e9, (c3 - c2) / 1e9 / info.durationSeconds(), keyHashes.get(v).frames().size(),
          (c4 - c3) / 1e9, (c4 - c3) / 1e9 / info.durationSeconds(), worst);
    }
    System.out.printf(Locale.ROOT, "all samples: %.1f s of video; RTF decode only %.2f, every frame %.2f (decoder's share"
        + " %.0f %%), 1 s sampling %.2f (decoder's share %.0f %%), key frames only %.2f; load average now %.2f%n",
        videoSeconds, decodeCpu / videoSeconds, everyCpu / videoSeconds, 100 * decodeCpu / everyCpu,
        secondCpu / videoSeconds, 100 * decodeCpu / secondCpu, keyCpu / videoSeconds, os.getSystemLoadAverage());
    StringBuilder dist = new StringBuilder("distance to the reference over " + compared + " frames (both quality >= 50):");
    for (int d = 0; d <= 256; d++) {
      if (histogram[d] > 0) {
        dist.append(' ').append(d).append(':').append(histogram[d]);
      }
    }
    System.out.println(dist);

    // matching: the bank holds the original as upstream hashed it (a shared hash list)
    VideoHash original = VpdqFormat.readText("hd", Files.readString(Path.of(DIR, "hashes", "pattern-hd-no-bar.txt")));
    VideoBank bank = VideoBank.builder().add("pattern-hd-no-bar", original).build();
    Map<String, double[]> shares = new LinkedHashMap<>();
    for (String v : VIDEOS) {
      VideoHash q = ours.get(v);
      VideoHash plain = new VideoHash(q.frames().stream()
          .map(f -> new FrameHash(f.frameNumber(), f.hash(), f.quality(), f.timestampSeconds())).toList());
      double[] withTrim = percents(bank, q);
      double[] without = percents(bank, plain);
      shares.put(v, withTrim);
      System.out.printf(Locale.ROOT, "%-32s vs pattern-hd-no-bar: plain q %.1f %% c %.1f %%; bars trimmed q %.1f %% c %.1f %% -> %s%n",
          v, without[0], without[1], withTrim[0], withTrim[1], withTrim[2] > 0 ? "MATCH" : "no match");
    }
    assertTrue(shares.get("pattern-longer-no-bar")[2] > 0);
    assertTrue(shares.get("pattern-sd-grey-bar")[2] > 0);
    assertTrue(shares.get("pattern-sd-with-small-logo-bar")[2] > 0);
    assertEquals(0, shares.get("doorknob-hd-no-bar")[2]);
    VideoHash clip = original.between(1.0, 6.0);
    double[] c = percents(bank, clip);
    System.out.printf(Locale.ROOT, "5-second clip (1..6 s of pattern-hd-no-bar's hash): q %.1f %% c %.1f %% -> %s%n",
        c[0], c[1], c[2] > 0 ? "MATCH" : "no match");
    // key frames only, on both sides (the bank from this module's own key-frame hash of the original)
    VideoBank keyBank = VideoBank.builder().add("pattern-hd-no-bar", keyHashes.get("pattern-hd-no-bar")).build();
    for (String v : VIDEOS) {
      double[] k = percents(keyBank, keyHashes.get(v));
      double[] kq = percents(bank, keyHashes.get(v));
      System.out.printf(Locale.ROOT, "key frames only: %-32s %3d frames; vs key-frame bank q %.1f %% c %.1f %% -> %s;"
          + " vs full reference bank q %.1f %% -> %s%n", v, keyHashes.get(v).frames().size(), k[0], k[1],
          k[2] > 0 ? "MATCH" : "no match", kq[0], kq[2] > 0 ? "MATCH" : "no match");
    }
  }

  private static double[] percents(VideoBank bank, VideoHash q) {
    List<VideoMatch> all = bank.compare(q);
    if (all.isEmpty()) {
      return new double[] {0, 0, 0};
    }
    VideoMatch m = all.get(0);
    return new double[] {m.queryPercent(), m.comparisonPercent(), m.matches() ? 1 : 0};
  }

  /** Decodes every frame with JCodec and converts none: the decoder's own cost. */
  static FrameSink.Info decodeOnly(byte[] bytes) {
    return Mp4Decoder.decode("video", bytes, VideoLimits.defaults(), java.time.Clock.systemUTC(), new FrameSink() {
      @Override
      public void start(FrameSink.Info info) {}

      @Override
      public boolean wants(int frameNumber) {
        return false;
      }

      @Override
      public void frame(int n, double t, byte[] luma, int offset, int stride, int w, int h) {}

      @Override
      public void argbFrame(int n, double t, int[] argb, int w, int h) {}
    });
  }
}
