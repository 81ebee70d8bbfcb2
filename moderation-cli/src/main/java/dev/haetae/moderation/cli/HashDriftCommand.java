package dev.haetae.moderation.cli;

import dev.haetae.moderation.api.PdqHash;
import dev.haetae.moderation.core.hash.ImageHasher;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/**
 * {@code haetae hash-drift CSV}: for each row {@code hash,quality,file} of a reference CSV (files
 * relative to the CSV's directory), compares Haetae's full-resolution and reduced-resolution
 * hashes with the reference hash, and prints the distribution of the reduced path's drift, overall
 * and for rows of quality 80 or more.
 *
 * <p>Exit code 0 on success, 1 when the CSV cannot be read.
 */
@Command(
    name = "hash-drift",
    mixinStandardHelpOptions = true,
    description = "Compare full- and reduced-resolution PDQ with a reference CSV (hash,quality,file).")
public final class HashDriftCommand implements Callable<Integer> {

  @Spec CommandSpec spec;

  @Parameters(index = "0", paramLabel = "CSV", description = "reference CSV: hash,quality,file")
  Path csv;

  /** Creates the command; picocli sets the fields. */
  public HashDriftCommand() {}

  @Override
  public Integer call() throws IOException {
    PrintWriter out = spec.commandLine().getOut();
    ImageHasher full = ImageHasher.builder().resolution(ImageHasher.Resolution.FULL).queryVariants(false).build();
    ImageHasher reduced = ImageHasher.builder().queryVariants(false).build();
    Path base = csv.toAbsolutePath().getParent();
    List<String> lines = Files.readAllLines(csv, StandardCharsets.UTF_8);
    int rows = 0;
    int exact = 0;
    int exactQuality = 0;
    int hq = 0;
    int hqWithin10 = 0;
    int within10 = 0;
    int failed = 0;
    int maxHq = 0;
    int[] histogram = new int[257];
    for (String line : lines) {
      String[] f = line.split(",", 3);
      if (f.length != 3 || f[0].equals("hash")) {
        continue;
      }
      PdqHash ref = PdqHash.fromHex(f[0]);
      int quality = Integer.parseInt(f[1]);
      Path file = base.resolve(f[2]);
      rows++;
      try {
        var fullPdq = full.fingerprint(file).pdq().orElseThrow();
        var reducedPdq = reduced.fingerprint(file).pdq().orElseThrow();
        if (fullPdq.hash().equals(ref)) {
          exact++;
          if (fullPdq.quality() == quality) {
            exactQuality++;
          }
        } else {
          out.println("full-resolution differs: " + f[2] + " d=" + fullPdq.hash().distance(ref) + " q=" + quality);
        }
        int d = reducedPdq.hash().distance(ref);
        histogram[d]++;
        if (d > 10) {
          out.println("reduced drift over 10 bits: " + f[2] + " d=" + d + " q=" + quality);
        }
        if (d <= 10) {
          within10++;
        }
        if (quality >= 80) {
          hq++;
          maxHq = Math.max(maxHq, d);
          if (d <= 10) {
            hqWithin10++;
          }
        }
      } catch (RuntimeException e) {
        failed++;
        out.println("failed: " + f[2] + ": " + e.getMessage());
      }
    }
    out.printf("rows %d, failed %d%n", rows, failed);
    out.printf("full resolution: hash identical %d/%d, hash and quality identical %d/%d%n", exact, rows, exactQuality, rows);
    out.printf("reduced resolution: within 10 bits %d/%d; quality>=80: within 10 bits %d/%d (%.1f%%), max %d%n",
        within10, rows - failed, hqWithin10, hq, hq == 0 ? 100.0 : 100.0 * hqWithin10 / hq, maxHq);
    StringBuilder h = new StringBuilder("reduced drift histogram (bits:count):");
    for (int d = 0; d < histogram.length; d++) {
      if (histogram[d] > 0) {
        h.append(' ').append(d).append(':').append(histogram[d]);
      }
    }
    out.println(h);
    out.flush();
    return 0;
  }
}
