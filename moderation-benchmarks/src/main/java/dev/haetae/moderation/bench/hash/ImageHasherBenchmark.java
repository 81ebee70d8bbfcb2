package dev.haetae.moderation.bench.hash;

import dev.haetae.moderation.api.Fingerprints;
import dev.haetae.moderation.api.Pdq;
import dev.haetae.moderation.core.hash.ImageHasher;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.concurrent.TimeUnit;
import javax.imageio.ImageIO;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Threads;

/**
 * PDQ throughput on one core (images per second), full-resolution path against the reduced
 * (production) path, from decoded pixels and from file bytes, for a 640 px photo and a 1.6 MP photo.
 *
 * <pre>
 * java -jar moderation-benchmarks/target/benchmarks.jar ImageHasherBenchmark -f 1 -wi 2 -i 3
 * </pre>
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Threads(1)
public class ImageHasherBenchmark {

  /** The test photo: a 640 x 360 wallpaper or a 1600 x 1004 (1.6 MP) photo. */
  @Param({"kay-640.jpg", "bridge-1600x1004.jpg"})
  public String image;

  private byte[] bytes;
  private BufferedImage pixels;
  private final ImageHasher full =
      ImageHasher.builder().resolution(ImageHasher.Resolution.FULL).queryVariants(false).build();
  private final ImageHasher reduced = ImageHasher.builder().queryVariants(false).build();
  private final ImageHasher engineDefault = ImageHasher.create();

  /** Loads the image bytes and decodes them once for the pixel benchmarks. */
  @Setup
  public void load() {
    try (InputStream in = ImageHasherBenchmark.class.getResourceAsStream("/bench-images/" + image)) {
      bytes = in.readAllBytes();
      pixels = ImageIO.read(new ByteArrayInputStream(bytes));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Decoded pixels to PDQ, reference-exact. */
  @Benchmark
  public Pdq pixelsFullResolution() {
    return full.pdq(pixels);
  }

  /** Decoded pixels to PDQ, area-averaged first when large. */
  @Benchmark
  public Pdq pixelsReduced() {
    return reduced.pdq(pixels);
  }

  /** File bytes to SHA-256, MD5 and PDQ, decoding every pixel (haetae hash --full-resolution). */
  @Benchmark
  public Fingerprints fileFullResolution() {
    return full.fingerprint(bytes);
  }

  /** File bytes to SHA-256, MD5 and PDQ on the production path (haetae hash). */
  @Benchmark
  public Fingerprints fileReduced() {
    return reduced.fingerprint(bytes);
  }

  /** What the engine runs per upload: production path plus the query variants. */
  @Benchmark
  public Fingerprints fileReducedWithQueryVariants() {
    return engineDefault.fingerprint(bytes);
  }
}
