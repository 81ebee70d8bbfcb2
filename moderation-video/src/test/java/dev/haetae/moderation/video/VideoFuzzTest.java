package dev.haetae.moderation.video;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import dev.haetae.moderation.api.ContentDecodeException;
import dev.haetae.moderation.api.LimitExceededException;
import java.lang.management.ManagementFactory;
import java.time.Duration;
import java.util.Arrays;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

/**
 * Seeded mutation fuzzing of the MP4/H.264 path — mutated copies of two small High-profile files
 * with B-frames (moov first and last; see src/test/resources/fuzz/README.md) — and of the animated
 * GIF and WebP paths (the three animations of src/test/resources/animation): flipped bits,
 * extreme 32-bit values written over box sizes, counts and other fields, cuts, inserted and
 * duplicated runs. Each either hashes or throws a documented exception ({@link
 * ContentDecodeException} or {@link LimitExceededException} subtypes); nothing else comes out,
 * no {@link Error}; a stream on which JCodec loops forever (some exist) ends at the decode
 * deadline. Each case allocates less than {@value #MAX_ALLOCATED_MB} MB (a 13 KB file of
 * twenty 96 x 64 frames; without the box checks a declared table or sample size allocates
 * gigabytes) and finishes within a generous hang guard. The allocation counted is the calling
 * thread's plus the decode thread's. The MP4 mutations also go through the FFmpeg path where the
 * host has {@code ffmpeg}. Quick by default ({@value #QUICK_CASES} cases per file, {@value
 * #QUICK_FFMPEG_CASES} through FFmpeg); the {@code long-fuzz} Maven profile sets {@code
 * haetae.fuzz.cases} to 3,000 and {@code haetae.fuzz.ffmpegCases} to 1,000.
 * A failure prints the seed and the case.
 */
class VideoFuzzTest {
  private static final long SEED = 0x21_F0_0DL;
  static final int QUICK_CASES = 120;
  private static final int CASES = Integer.getInteger("haetae.fuzz.cases", QUICK_CASES);
  /** Each FFmpeg case starts a process: fewer by default; the {@code long-fuzz} profile sets 1,000. */
  static final int QUICK_FFMPEG_CASES = 30;
  private static final int FFMPEG_CASES = Integer.getInteger("haetae.fuzz.ffmpegCases", QUICK_FFMPEG_CASES);
  static final int MAX_ALLOCATED_MB = 256;
  private static final int[] EXTREMES = {0, 1, 7, 8, 9, 16, 0xff, 0xffff, 0x7fff_ffff, 0x8000_0000, 0xffff_ffff,
      0xffff_fff0, 0x0010_0000};

  private static final VideoLimits LIMITS = VideoLimits.builder().maxFrames(10_000).maxFrameDimension(2048)
      .maxFramePixels(2048L * 1152).decodeDeadline(Duration.ofSeconds(10)).build();
  private static final VideoHasher HASHER = VideoHasher.builder().secondsPerHash(0).limits(LIMITS).build();

  @Test
  void mutatedVideosOnlyHashOrThrowDocumentedExceptions() {
    fuzz(HASHER, CASES, new Random(SEED), 20, fixture("tiny-faststart.mp4"), "tiny-faststart.mp4", fixture("tiny-moov-at-end.mp4"),
        "tiny-moov-at-end.mp4");
  }

  @Test
  void mutatedAnimationsOnlyHashOrThrowDocumentedExceptions() {
    fuzz(HASHER, CASES, new Random(SEED + 1), 15, AnimatedFramesTest.fixture("tiny.gif"), "tiny.gif",
        AnimatedFramesTest.fixture("tiny-lossy.webp"), "tiny-lossy.webp",
        AnimatedFramesTest.fixture("tiny-lossless.webp"), "tiny-lossless.webp");
  }

  /**
   * The same mutations through the FFmpeg path (skipped where the host has no ffmpeg): the first
   * pass refuses most before FFmpeg runs; what reaches it either hashes or ends in a documented
   * exception (a non-zero exit, a frame count other than the index's), and no process is left
   * running (each is destroyed at the latest at the 10 s deadline).
   */
  @Test
  void mutatedVideosThroughFfmpegOnlyHashOrThrowDocumentedExceptions() {
    VideoHasher ffmpeg = VideoHasher.builder().secondsPerHash(0).limits(LIMITS).ffmpeg(Ffmpeg.required()).build();
    fuzz(ffmpeg, FFMPEG_CASES, new Random(SEED + 2), 20, fixture("tiny-faststart.mp4"), "tiny-faststart.mp4",
        fixture("tiny-moov-at-end.mp4"), "tiny-moov-at-end.mp4");
    // destroyed processes are killed, not waited for: each left must end within a minute
    ProcessHandle.current().children().forEach(p -> p.onExit().orTimeout(60, java.util.concurrent.TimeUnit.SECONDS).join());
  }

  /** Fuzzes each (bytes, name) pair, whose original hashes to {@code frames} frames. */
  private static void fuzz(VideoHasher hasher, int cases, Random random, int frames, Object... fixtures) {
    Map<String, Integer> outcomes = new TreeMap<>();
    com.sun.management.ThreadMXBean threads = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
    for (int f = 0; f < fixtures.length; f += 2) {
      byte[] original = (byte[]) fixtures[f];
      String name = (String) fixtures[f + 1];
      assertEquals(frames, hasher.hash(original).frames().size(), name + " decodes whole");
      for (int c = 0; c < cases; c++) {
        byte[] mutated = mutate(original, random);
        String where = name + " case " + c + " (seed " + SEED + ")";
        String outcome = assertTimeoutPreemptively(Duration.ofMinutes(2), () -> {
          long before = threads.getCurrentThreadAllocatedBytes();
          String o;
          try {
            hasher.hash(mutated);
            o = "hashed";
          } catch (ContentDecodeException | LimitExceededException e) {
            o = e.getClass().getSimpleName();
          } catch (Throwable t) {
            fail(where + ": unexpected " + t, t);
            return null;
          }
          long allocated = threads.getCurrentThreadAllocatedBytes() - before
              + Math.max(0, DecodeThread.LAST_ALLOCATED.get());
          assertTrue(allocated < MAX_ALLOCATED_MB << 20, where + " allocated " + (allocated >> 20) + " MB");
          return o;
        }, where);
        outcomes.merge(outcome, 1, Integer::sum);
      }
    }
    // the mutations reach the decoder and the checks alike
    assertTrue(outcomes.getOrDefault("hashed", 0) > 0, outcomes.toString());
    assertTrue(outcomes.size() >= 3, outcomes.toString());
    System.out.println("fuzz outcomes: " + outcomes);
  }

  static byte[] fixture(String name) {
    try (var in = VideoFuzzTest.class.getResourceAsStream("/fuzz/" + name)) {
      return in.readAllBytes();
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }

  static byte[] mutate(byte[] original, Random r) {
    byte[] b = original.clone();
    int edits = 1 + r.nextInt(4);
    for (int e = 0; e < edits; e++) {
      switch (r.nextInt(7)) {
        case 0 -> { // flip bits
          for (int k = 0, n = 1 + r.nextInt(8); k < n; k++) {
            int at = r.nextInt(b.length);
            b[at] ^= (byte) (1 << r.nextInt(8));
          }
        }
        case 1 -> b = putInt(b, r.nextInt(Math.max(1, b.length - 4)), EXTREMES[r.nextInt(EXTREMES.length)]);
        case 2 -> { // an extreme value over a box size or the field after a box type
          int at = boxField(b, r);
          b = putInt(b, at, EXTREMES[r.nextInt(EXTREMES.length)]);
        }
        case 3 -> b = Arrays.copyOf(b, r.nextInt(b.length)); // cut
        case 4 -> { // insert random bytes
          int at = r.nextInt(b.length + 1);
          byte[] ins = new byte[1 + r.nextInt(16)];
          r.nextBytes(ins);
          byte[] out = new byte[b.length + ins.length];
          System.arraycopy(b, 0, out, 0, at);
          System.arraycopy(ins, 0, out, at, ins.length);
          System.arraycopy(b, at, out, at + ins.length, b.length - at);
          b = out;
        }
        case 5 -> { // zero a run
          int at = r.nextInt(b.length);
          Arrays.fill(b, at, Math.min(b.length, at + 1 + r.nextInt(64)), (byte) 0);
        }
        default -> { // random bytes over a run inside the frames or the index
          int at = r.nextInt(b.length);
          for (int k = at; k < Math.min(b.length, at + 1 + r.nextInt(32)); k++) {
            b[k] = (byte) r.nextInt(256);
          }
        }
      }
      if (b.length == 0) {
        return b;
      }
    }
    return b;
  }

  /** A position of a box size, or of one of the first fields after a box type, chosen at random. */
  private static int boxField(byte[] b, Random r) {
    for (int tries = 0; tries < 64; tries++) {
      int at = r.nextInt(Math.max(1, b.length - 8));
      if (isType(b, at + 4)) {
        return at + (r.nextBoolean() ? 0 : 8 + 4 * r.nextInt(4));
      }
    }
    return r.nextInt(b.length);
  }

  private static boolean isType(byte[] b, int at) {
    if (at + 4 > b.length) {
      return false;
    }
    for (int k = 0; k < 4; k++) {
      if (b[at + k] < 'a' || b[at + k] > 'z') {
        return false;
      }
    }
    return true;
  }

  private static byte[] putInt(byte[] b, int at, int v) {
    if (at < 0 || at + 4 > b.length) {
      return b;
    }
    b[at] = (byte) (v >>> 24);
    b[at + 1] = (byte) (v >>> 16);
    b[at + 2] = (byte) (v >>> 8);
    b[at + 3] = (byte) v;
    return b;
  }
}
