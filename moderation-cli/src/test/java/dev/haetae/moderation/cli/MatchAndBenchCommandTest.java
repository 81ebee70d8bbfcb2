package dev.haetae.moderation.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

class MatchAndBenchCommandTest {
  private static final String PDQ = "d8f8f0cee0f4a84f0637022a078f67f0b36e2ed596621e1d33e6339c4e9c9b22";
  private static final String NEAR = "d8f8f0cee0f4a84f0637022a078f67f0b36e2ed596621e1d33e6339c4e9c9b23";

  private static int run(StringWriter out, StringWriter err, String... args) {
    CommandLine cl = Haetae.commandLine();
    cl.setOut(new PrintWriter(out));
    cl.setErr(new PrintWriter(err));
    return cl.execute(args);
  }

  @Test
  void matchPrintsEntriesPerInputAndReportsBadLines(@TempDir Path dir) throws Exception {
    Path csv = dir.resolve("stopncii.csv");
    Files.writeString(csv, "hash,signal_type,category\n" + PDQ + ",pdq,ncii\nnothex,pdq,ncii\n");
    Path json = dir.resolve("tcap.json");
    Files.writeString(json, "{\"hashRecords\":[{\"signalType\":\"VideoMD5\",\"hashValue\":\""
        + "0123456789abcdef0123456789abcdef\",\"hashStatus\":\"Active\"}]}");
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    int code = run(out, err, "match", "--bank", csv.toString(), "--bank", json.toString(), "--pdq", NEAR,
        "--md5", "0123456789abcdef0123456789abcdef", "--pdq", "ab".repeat(32));
    assertEquals(0, code, err.toString());
    String o = out.toString();
    assertTrue(o.contains("pdq " + NEAR + ": 1 match\n  stopncii  pdq  distance 1/31  ncii  " + PDQ), o);
    assertTrue(o.contains("  tcap  video_md5  exact  ncii  0123456789abcdef0123456789abcdef"), o);
    assertTrue(o.contains("pdq " + "ab".repeat(32) + ": no match"), o);
    assertTrue(err.toString().contains("stopncii.csv:3: skipped"), err.toString());
  }

  @Test
  void matchHashesImagesWithPdqAndItsQueryVariants(@TempDir Path dir) throws Exception {
    Path image = Path.of("../moderation-core/src/test/resources/pdq/corpus/originals/storm.jpg");
    String pdq = dev.haetae.moderation.core.hash.ImageHasher.create().fingerprint(image).pdq().orElseThrow()
        .hash().toHex();
    Path csv = dir.resolve("removals.csv");
    Files.writeString(csv, "hash,signal_type,category\n" + pdq + ",pdq,sexual_deepfake\n");
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    int code = run(out, err, "match", "--bank", csv.toString(), image.toString());
    assertEquals(0, code, err.toString());
    assertTrue(out.toString().contains(image + ": 1 match"), out.toString());
    assertTrue(out.toString().contains("  removals  pdq  distance 0/31  sexual_deepfake  " + pdq), out.toString());
  }

  @Test
  void anImageThatCannotBePerceptuallyHashedIsStillMatchedByItsDigestAndTheRunGoesOn(@TempDir Path dir)
      throws Exception {
    byte[] jpeg = Files.readAllBytes(Path.of("../moderation-core/src/test/resources/pdq/corpus/originals/storm.jpg"));
    Path damaged = Files.write(dir.resolve("damaged.jpg"), java.util.Arrays.copyOf(jpeg, 300));
    String sha = java.util.HexFormat.of().formatHex(
        java.security.MessageDigest.getInstance("SHA-256").digest(Files.readAllBytes(damaged)));
    Path strip = dir.resolve("strip.bmp");
    javax.imageio.ImageIO.write(new java.awt.image.BufferedImage(4000, 3,
        java.awt.image.BufferedImage.TYPE_INT_RGB), "bmp", strip.toFile());
    Path csv = dir.resolve("kr-regulator.csv");
    Files.writeString(csv, "hash,signal_type,category\n" + sha + ",sha256,csam\n");
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    int code = run(out, err, "match", "--bank", csv.toString(), damaged.toString(), strip.toString());
    assertEquals(1, code, err.toString());
    assertTrue(out.toString().contains(damaged + ": 1 match\n  kr-regulator  sha256  exact  csam  " + sha),
        out.toString());
    assertTrue(out.toString().contains(strip + ": no match"), out.toString());
    assertTrue(err.toString().contains("match: " + damaged + ": ") && err.toString().contains("SHA-256 and MD5 only"),
        err.toString());
  }

  @Test
  void matchWithoutInputsIsAUsageError(@TempDir Path dir) throws Exception {
    Path csv = dir.resolve("b.csv");
    Files.writeString(csv, PDQ + ",pdq\n");
    assertEquals(2, run(new StringWriter(), new StringWriter(), "match", "--bank", csv.toString()));
  }

  @Test
  void benchIndexPrintsItsFiguresOnASmallSet() {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    int code = run(out, err, "bench", "index", "--hashes", "3000", "--queries", "50", "--scan-queries", "5",
        "--data", "clustered");
    assertEquals(0, code, err.toString());
    assertTrue(out.toString().contains("identical results 5/5"), out.toString());
    assertTrue(out.toString().contains("heap per hash"), out.toString());
    assertTrue(out.toString().contains("separate phases"), out.toString());
  }

  @Test
  void benchIndexComparesAnImagesVariantsWithItsMainHash(@TempDir Path dir) throws Exception {
    Files.copy(Path.of("../moderation-core/src/test/resources/pdq/corpus/originals/storm.jpg"), dir.resolve("storm.jpg"));
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    int code = run(out, err, "bench", "index", "--hashes", "2000", "--queries", "20", "--scan-queries", "2",
        "--rounds", "1", "--images", dir.toString());
    assertEquals(0, code, err.toString());
    assertTrue(out.toString().matches("(?s).*query variants +1 images, \\d+\\.\\d hashes each: main hash alone .*"),
        out.toString());
    // the cascade beside all at the bank's distance, in the same rounds (default variant distance 21)
    assertTrue(out.toString().matches("(?s).*variant distance 21 +the main hash at 31, the \\d+\\.\\d variants at 21: "
        + "[\\d,.]+ us = \\d+\\.\\dx the main hash alone \\(all at 31: \\d+\\.\\dx, so \\d\\.\\d\\d of its cost\\); "
        + "matches \\d+ against \\d+.*"), out.toString());
    assertEquals(2, run(new StringWriter(), new StringWriter(), "bench", "index", "--hashes", "10", "--images",
        dir.toString(), "--variant-distance", "32"));
  }

  @Test
  void benchIndexMeasuresTheDihedralAugmentationBesideThePlainBank(@TempDir Path dir) throws Exception {
    Files.copy(Path.of("../moderation-core/src/test/resources/pdq/corpus/originals/storm.jpg"), dir.resolve("storm.jpg"));
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    int code = run(out, err, "bench", "index", "--hashes", "2000", "--queries", "20", "--scan-queries", "2",
        "--rounds", "1", "--images", dir.toString(), "--augment-dihedral");
    assertEquals(0, code, err.toString());
    assertTrue(out.toString().matches("(?s).*dihedral augmentation +16,000 stored forms \\(16,000 distinct\\) for 2,000 "
        + "hashes: heap per base hash .*identical results to a scan of the forms 1/1 images.*"), out.toString());
    assertTrue(out.toString().matches("(?s).*dihedral augmentation +\\d+\\.\\d hashes per image \\(non-dihedral\\) in "
        + "one search against the augmented bank .*"), out.toString());
    StringWriter four = new StringWriter();
    assertEquals(0, run(four, err, "bench", "index", "--hashes", "2000", "--queries", "20", "--scan-queries", "0",
        "--rounds", "1", "--images", dir.toString(), "--augment-dihedral", "4"), err.toString());
    assertTrue(four.toString().matches("(?s).*8,000 stored forms \\(8,000 distinct\\) for 2,000 hashes.*identical "
        + "results to a scan of the forms 1/1 images.*non-dihedral, each with its transpose\\) in one search.*"),
        four.toString());
    assertEquals(2, run(new StringWriter(), new StringWriter(), "bench", "index", "--hashes", "10", "--images",
        dir.toString(), "--augment-dihedral", "5"));
    assertEquals(2, run(new StringWriter(), new StringWriter(), "bench", "index", "--hashes", "10",
        "--augment-dihedral"));
  }

  @Test
  void benchEngineEndsWithTheRatioToTheReferenceExactHash(@TempDir Path dir) throws Exception {
    for (String name : new String[] {"storm.jpg", "kay.jpg"}) {
      Files.copy(Path.of("../moderation-core/src/test/resources/pdq/corpus/originals/" + name), dir.resolve(name));
    }
    Files.writeString(dir.resolve("notes.txt"), "not an image");
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    int code = run(out, err, "bench", "engine", "--bank", "3000", "--images", dir.toString(), "--rounds", "1",
        "--per-image", "--warm-decisions", "40");
    assertEquals(0, code, err.toString());
    String[] lines = out.toString().trim().split("\n");
    assertTrue(lines[lines.length - 1].matches(
        "new-image decision / reference-exact hash: \\d+\\.\\d\\d \\(median over 2 images\\)"), out.toString());
    assertTrue(out.toString().contains("storm.jpg"), out.toString());
    assertTrue(err.toString().contains("skipped notes.txt"), err.toString());
    assertTrue(out.toString().matches("(?s).*variant distance 21 \\(the main hash at 31, the variants at 21\\): bank match "
        + "\\d+\\.\\d\\d ms against \\d+\\.\\d\\d all at 31 in the same rounds \\(\\d+\\.\\d\\d of it, median over "
        + "images\\); the decision with it, estimated as decision - match \\+ this match: R \\d+\\.\\d\\d\n.*"),
        out.toString());
    assertTrue(out.toString().contains("warm-up: 40 decisions on the images' fingerprints over an empty bank"),
        out.toString());
    // the engine's own split: every stage as the engine timed it, and the rest read from it
    assertTrue(out.toString().matches("(?s).*the engine's own split \\(cpu ms inside one evaluate, from its "
        + "listener; medians over rounds, then images\\): validate \\d+\\.\\d{3}, fingerprint \\d+\\.\\d{3}, "
        + "gather \\d+\\.\\d{3}, decide \\d+\\.\\d{3}, plan \\d+\\.\\d{3}, log \\d+\\.\\d{3}, "
        + "apply \\d+\\.\\d{3}, deliver \\d+\\.\\d{3}; all stages \\d+\\.\\d\\d; the whole call's wall time \\d+\\.\\d\\d\n.*"), out.toString());
    assertTrue(out.toString().matches("(?s).*the rest measured inside the engine: \\d+\\.\\d{3} ms \\(every stage "
        + "but fingerprint and gather\\), and the gathering beyond the standalone bank match -?\\d+\\.\\d{3} ms\n.*"),
        out.toString());
  }

  @Test
  void benchEngineRejectsBadOptions(@TempDir Path dir) {
    assertEquals(2, run(new StringWriter(), new StringWriter(), "bench", "engine", "--bank", "10", "--images",
        dir.toString(), "--data", "zipf"));
    assertEquals(2, run(new StringWriter(), new StringWriter(), "bench", "engine", "--bank", "10", "--images",
        dir.toString()));
    assertEquals(2, run(new StringWriter(), new StringWriter(), "bench", "engine", "--bank", "10", "--images",
        dir.toString(), "--variant-distance", "-1"));
    assertEquals(2, run(new StringWriter(), new StringWriter(), "bench", "engine", "--bank", "10", "--images",
        dir.toString(), "--warm-decisions", "-1"));
  }

  @Test
  void hashRobustnessMatchesVariantsAtTheVariantDistanceAndReportsWhatEachCopyNeeds() {
    Path corpus = Path.of("../moderation-core/src/test/resources/pdq/corpus");
    StringWriter full = new StringWriter();
    StringWriter err = new StringWriter();
    assertEquals(0, run(full, err, "hash-robustness", corpus.toString()), err.toString());
    StringWriter none = new StringWriter();
    assertEquals(0, run(none, err, "hash-robustness", corpus.toString(), "--variant-distance", "0"), err.toString());
    // the turned copies are found by a variant only: some bits away, so not at variant distance 0;
    // copies the main hash finds (q40) stay found
    assertEquals("3", column(full.toString(), "rot90", 2), full.toString());
    assertEquals("3", column(full.toString(), "mirror", 2), full.toString());
    assertEquals("0", column(none.toString(), "rot90", 2), none.toString());
    assertEquals("0", column(none.toString(), "mirror", 2), none.toString());
    assertEquals(column(full.toString(), "q40", 2), column(none.toString(), "q40", 2));
    assertTrue(none.toString().contains("haetae: the main hash at distance 31, query variants at 0"), none.toString());
    assertTrue(full.toString().matches("(?s).*\n  rot90 +3 copies, largest +\\d+: \\[[\\d, ]+\\]\n.*"), full.toString());
    assertTrue(full.toString().matches("(?s).*false-pair margin: nearest unrelated original \\(reference hashes farther "
        + "than 31 apart\\) to a copy's main hash \\d+, to one of its variants \\d+\n.*"), full.toString());
    assertEquals(2, run(new StringWriter(), new StringWriter(), "hash-robustness", corpus.toString(),
        "--variant-distance", "32"));
  }

  /** Column {@code i} (0: the edit) of a per-edit table row. */
  private static String column(String out, String edit, int i) {
    for (String line : out.split("\n")) {
      String[] f = line.trim().split(" +");
      if (f.length == 5 && f[0].equals(edit)) {
        return f[i];
      }
    }
    return "no row " + edit;
  }
}
