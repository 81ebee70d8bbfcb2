package dev.haetae.moderation.video;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.Locale;
import org.junit.jupiter.api.Test;

/**
 * Opt-in: the FFmpeg path against the JCodec path on every shared sample video (not copied into the
 * project; set {@code haetae.vpdq.dir}, or use the {@code vpdq-samples} profile). Prints, per
 * decoder, the distance of every frame (both qualities at least 50) to upstream's reference hash,
 * for FFmpeg with grey and with RGB frames, and between the two decoders' hashes of each frame;
 * checks equal frame counts, numbers and timestamps; and prints
 * the real-time factor (CPU seconds per second of video) of hashing every frame and one frame per
 * second, with the decoder's share.
 *
 * <p>CPU is this JVM's ({@code getProcessCpuTime}: decoding with JCodec, reading and hashing) plus,
 * for FFmpeg, its children's: {@code cutime + cstime} of {@code /proc/self/stat}, which the kernel
 * adds for every child the JVM has waited for (as {@code getrusage(RUSAGE_CHILDREN)} reports), in
 * ticks of 10 ms. The decoder's share is the child's CPU for FFmpeg; for JCodec, a decode-only pass
 * (frames decoded, none converted or hashed) measured separately. Linux only.
 *
 * <pre>./mvnw -B -pl moderation-video -am test -Pvpdq-samples -Dtest=FfmpegSamplesTest -Dsurefire.failIfNoSpecifiedTests=false</pre>
 */
class FfmpegSamplesTest {
  private static final String DIR = System.getProperty("haetae.vpdq.dir", "");
  private static final List<String> VIDEOS = List.of("pattern-hd-no-bar", "pattern-longer-no-bar",
      "pattern-sd-grey-bar", "pattern-sd-with-small-logo-bar", "pattern-sd-with-large-logo-bar",
      "doorknob-hd-no-bar", "test-padded-dimensions");
  private static final double TICK = 0.01;

  @Test
  void ffmpegAgainstJcodec() throws Exception {
    assumeTrue(!DIR.isEmpty() && Files.isDirectory(Path.of(DIR, "videos")), "set haetae.vpdq.dir to run");
    assumeTrue(Files.isReadable(Path.of("/proc/self/stat")), "children's CPU is read from /proc/self/stat");
    Path ffmpeg = Ffmpeg.required();
    com.sun.management.OperatingSystemMXBean os =
        (com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
    VideoHasher jcodecEvery = VideoHasher.builder().secondsPerHash(0).build();
    VideoHasher jcodecSecond = VideoHasher.create();
    VideoHasher ffmpegEvery = VideoHasher.builder().secondsPerHash(0).ffmpeg(ffmpeg).build();
    VideoHasher ffmpegSecond = VideoHasher.builder().ffmpeg(ffmpeg).build();
    System.out.printf(Locale.ROOT, "load average at start: %.2f%n", os.getSystemLoadAverage());
    byte[] warm = Files.readAllBytes(Path.of(DIR, "videos", "test-padded-dimensions.mp4"));
    jcodecEvery.hash(warm);
    ffmpegEvery.hash(warm);
    ffmpegSecond.hash(warm);
    int[][] histograms = new int[3][257];
    String[] names = {"JCodec", "FFmpeg gray", "FFmpeg rgb24"};
    // cpu[decoder][0 every frame, 1 one per second, 2 decoder alone at every frame, 3 at one per second]
    double[][] cpu = new double[2][4];
    double seconds = 0;
    int[] betweenDecoders = new int[257];
    for (String v : VIDEOS) {
      byte[] bytes = Files.readAllBytes(Path.of(DIR, "videos", v + ".mp4"));
      VideoHash ref = VpdqFormat.readText(v, Files.readString(Path.of(DIR, "hashes", v + ".txt")));
      double[] c0 = cpu(os);
      FrameSink.Info info = VpdqSamplesTest.decodeOnly(bytes);
      double[] c1 = cpu(os);
      VideoHash j = jcodecEvery.hash(bytes);
      double[] c2 = cpu(os);
      jcodecSecond.hash(bytes);
      double[] c3 = cpu(os);
      VideoHash f = ffmpegEvery.hash(bytes);
      double[] c4 = cpu(os);
      VideoHash fs = ffmpegSecond.hash(bytes);
      double[] c5 = cpu(os);
      VideoHash rgb = hashRgb(bytes, ffmpeg);
      double d = info.durationSeconds();
      seconds += d;
      double[] row = {
          c2[0] - c1[0], c3[0] - c2[0], c1[0] - c0[0],
          c4[0] + c4[1] - c3[0] - c3[1], c5[0] + c5[1] - c4[0] - c4[1], c4[1] - c3[1], c5[1] - c4[1]};
      cpu[0][0] += row[0];
      cpu[0][1] += row[1];
      cpu[0][2] += row[2];
      cpu[0][3] += row[2];
      cpu[1][0] += row[3];
      cpu[1][1] += row[4];
      cpu[1][2] += row[5];
      cpu[1][3] += row[6];
      int[] worst = new int[3];
      VideoHash[] ours = {j, f, rgb};
      for (int k = 0; k < 3; k++) {
        assertEquals(ref.frames().size(), ours[k].frames().size(), v + " " + names[k] + " frame count");
        for (int i = 0; i < ref.frames().size(); i++) {
          FrameHash r = ref.frames().get(i);
          FrameHash o = ours[k].frames().get(i);
          assertEquals(r.frameNumber(), o.frameNumber(), v + " " + names[k]);
          assertEquals(r.timestampSeconds(), o.timestampSeconds(), 0.0005, v + " " + names[k] + " frame " + i);
          if (r.quality() >= 50 && o.quality() >= 50) {
            int dist = r.hash().distance(o.hash());
            histograms[k][dist]++;
            worst[k] = Math.max(worst[k], dist);
          }
        }
      }
      assertEquals(j.frames().stream().map(FrameHash::frameNumber).toList(),
          f.frames().stream().map(FrameHash::frameNumber).toList());
      int[] decoders = new int[257];
      for (int i = 0; i < j.frames().size(); i++) {
        decoders[j.frames().get(i).hash().distance(f.frames().get(i).hash())]++;
      }
      for (int dist = 0; dist <= 256; dist++) {
        betweenDecoders[dist] += decoders[dist];
      }
      System.out.printf(Locale.ROOT, "%-32s %4d frames %5.2f s %dx%d | worst distance JCodec %d, FFmpeg gray %d,"
          + " rgb24 %d | RTF every frame: JCodec %.2f (decode %.2f), FFmpeg %.2f (child %.2f) | 1 s: JCodec %.2f,"
          + " FFmpeg %.2f (child %.2f), %d frames%n", v, info.frames(), d, info.width(), info.height(), worst[0],
          worst[1], worst[2], row[0] / d, row[2] / d, row[3] / d, row[5] / d, row[1] / d, row[4] / d, row[6] / d,
          fs.frames().size());
    }
    for (int k = 0; k < 3; k++) {
      StringBuilder s = new StringBuilder(names[k] + " distance to the reference:");
      int frames = 0;
      long sum = 0;
      for (int dist = 0; dist <= 256; dist++) {
        if (histograms[k][dist] > 0) {
          s.append(' ').append(dist).append(':').append(histograms[k][dist]);
          frames += histograms[k][dist];
          sum += (long) dist * histograms[k][dist];
        }
      }
      System.out.printf(Locale.ROOT, "%s (%d frames, mean %.2f)%n", s, frames, (double) sum / frames);
    }
    StringBuilder between = new StringBuilder("distance between JCodec's and FFmpeg's (gray) hash of each frame:");
    for (int dist = 0; dist <= 256; dist++) {
      if (betweenDecoders[dist] > 0) {
        between.append(' ').append(dist).append(':').append(betweenDecoders[dist]);
      }
    }
    System.out.println(between);
    System.out.printf(Locale.ROOT, "all samples, %.1f s of video: JCodec RTF every frame %.2f (decoder %.0f %%), 1 s %.2f"
        + " (decoder %.0f %%); FFmpeg RTF every frame %.2f (decoder %.0f %%), 1 s %.2f (decoder %.0f %%);"
        + " load average now %.2f%n", seconds, cpu[0][0] / seconds, 100 * cpu[0][2] / cpu[0][0], cpu[0][1] / seconds,
        100 * cpu[0][3] / cpu[0][1], cpu[1][0] / seconds, 100 * cpu[1][2] / cpu[1][0], cpu[1][1] / seconds,
        100 * cpu[1][3] / cpu[1][1], os.getSystemLoadAverage());
    assertTrue(cpu[1][0] > 0 && cpu[1][2] > 0, "children's CPU was counted");
  }

  /** {this JVM's CPU seconds, its waited-for children's CPU seconds}. */
  private static double[] cpu(com.sun.management.OperatingSystemMXBean os) throws IOException {
    String stat = Files.readString(Path.of("/proc/self/stat"));
    // fields after the command name in parentheses: state is field 3; cutime and cstime are 16 and 17
    String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
    long children = Long.parseLong(f[16 - 3]) + Long.parseLong(f[17 - 3]);
    return new double[] {os.getProcessCpuTime() / 1e9, children * TICK};
  }

  private static VideoHash hashRgb(byte[] bytes, Path ffmpeg) {
    List<FrameHash> out = new java.util.ArrayList<>();
    FfmpegDecoder.decode("video", bytes, VideoLimits.defaults(), Clock.systemUTC(), new FrameSink() {
      @Override
      public void start(FrameSink.Info info) {}

      @Override
      public boolean wants(int frameNumber) {
        return true;
      }

      @Override
      public void frame(int n, double t, byte[] luma, int offset, int stride, int w, int h) {
        throw new AssertionError("FFmpeg hands ARGB frames");
      }

      @Override
      public void argbFrame(int n, double t, int[] argb, int w, int h) {
        var pdq = dev.haetae.moderation.core.hash.ImageHasher.hashPixels(argb, w, h);
        out.add(new FrameHash(n, pdq.hash(), pdq.quality(), t));
      }
    }, ffmpeg, FfmpegDecoder.Pixels.RGB24);
    return new VideoHash(out);
  }
}
