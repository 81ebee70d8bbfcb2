package dev.haetae.moderation.bench.hash;

import dev.haetae.moderation.core.hash.ImageHasher;
import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.zip.CRC32;
import java.util.zip.Deflater;
import java.util.zip.DeflaterOutputStream;

/**
 * What an image over the pixel limit costs now that the reduced path decodes it subsampled instead
 * of refusing it: the CPU time of fingerprinting a small, highly compressed RGBA PNG (all zeros: the
 * cheapest bytes for an uploader, the most pixels per byte) at the largest size within the default
 * pixel limit (8000 x 8000, the baseline), at the default declared-pixel limit (16000 x 16000,
 * subsampled by 2) and, for comparison, at 32768 x 32768 with a hasher whose declared-pixel limit
 * lets it through. Thread CPU time, rounds interleaved, median; the ratio to the baseline is the
 * figure to quote, with the load average printed beside it.
 *
 * <pre>
 * java -cp moderation-benchmarks/target/benchmarks.jar dev.haetae.moderation.bench.hash.OversizeImageCost [rounds]
 * </pre>
 */
public final class OversizeImageCost {
  private OversizeImageCost() {}

  /**
   * Runs the measurement.
   *
   * @param args optionally the number of rounds (default 3)
   * @throws IOException when the load average cannot be read
   */
  public static void main(String[] args) throws IOException {
    int rounds = args.length > 0 ? Integer.parseInt(args[0]) : 3;
    int[] sides = {8000, 16000, 32768};
    byte[][] pngs = new byte[sides.length][];
    for (int i = 0; i < sides.length; i++) {
      pngs[i] = zeroPng(sides[i]);
    }
    ImageHasher defaults = ImageHasher.create();
    ImageHasher unbounded = ImageHasher.builder().limits(dev.haetae.moderation.api.Limits.builder()
        .maxDeclaredImagePixels(2_000_000_000L).build()).build();
    ThreadMXBean mx = ManagementFactory.getThreadMXBean();
    double[][] ms = new double[sides.length][rounds];
    String before = loadAverage();
    for (int r = 0; r < rounds; r++) {
      for (int i = 0; i < sides.length; i++) {
        ImageHasher h = sides[i] > 16000 ? unbounded : defaults;
        long t0 = mx.getCurrentThreadCpuTime();
        h.fingerprint(pngs[i]);
        ms[i][r] = (mx.getCurrentThreadCpuTime() - t0) / 1e6;
      }
    }
    String after = loadAverage();
    double base = median(ms[0]);
    System.out.printf("load average before: %s, after: %s%n", before, after);
    for (int i = 0; i < sides.length; i++) {
      System.out.printf("%5d x %-5d RGBA PNG of zeros, %8d bytes: median %8.0f ms CPU %s  %.2fx the baseline%n",
          sides[i], sides[i], pngs[i].length, median(ms[i]), Arrays.toString(round(ms[i])), median(ms[i]) / base);
    }
  }

  private static double median(double[] v) {
    double[] s = v.clone();
    Arrays.sort(s);
    return s.length % 2 == 1 ? s[s.length / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
  }

  private static long[] round(double[] v) {
    long[] out = new long[v.length];
    for (int i = 0; i < v.length; i++) {
      out[i] = Math.round(v[i]);
    }
    return out;
  }

  private static String loadAverage() throws IOException {
    Path p = Path.of("/proc/loadavg");
    return Files.exists(p) ? Files.readString(p).trim() : "unknown";
  }

  /** A {@code side} x {@code side} RGBA PNG of zeros, deflated as far as it goes. */
  static byte[] zeroPng(int side) throws IOException {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    DataOutputStream d = new DataOutputStream(out);
    d.write(new byte[] {(byte) 0x89, 'P', 'N', 'G', '\r', '\n', 0x1A, '\n'});
    chunk(d, "IHDR", new byte[] {(byte) (side >>> 24), (byte) (side >>> 16), (byte) (side >>> 8), (byte) side,
        (byte) (side >>> 24), (byte) (side >>> 16), (byte) (side >>> 8), (byte) side, 8, 6, 0, 0, 0});
    ByteArrayOutputStream z = new ByteArrayOutputStream();
    try (DeflaterOutputStream dz = new DeflaterOutputStream(z, new Deflater(9), 1 << 16)) {
      byte[] row = new byte[1 + 4 * side];
      for (int y = 0; y < side; y++) {
        dz.write(row);
      }
    }
    chunk(d, "IDAT", z.toByteArray());
    chunk(d, "IEND", new byte[0]);
    return out.toByteArray();
  }

  private static void chunk(DataOutputStream d, String type, byte[] data) throws IOException {
    byte[] t = type.getBytes(StandardCharsets.US_ASCII);
    d.writeInt(data.length);
    d.write(t);
    d.write(data);
    CRC32 c = new CRC32();
    c.update(t);
    c.update(data);
    d.writeInt((int) c.getValue());
  }
}
