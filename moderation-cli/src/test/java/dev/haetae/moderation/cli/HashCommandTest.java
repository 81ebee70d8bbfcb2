package dev.haetae.moderation.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** Runs {@code haetae hash} in process. */
class HashCommandTest {

  private record Run(int exit, String out, String err) {}

  private static Run run(String... args) {
    CommandLine cli = Haetae.commandLine();
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    cli.setOut(new PrintWriter(out));
    cli.setErr(new PrintWriter(err));
    int exit = cli.execute(args);
    return new Run(exit, out.toString(), err.toString());
  }

  private static Path image(Path dir, String name) throws IOException {
    BufferedImage image = new BufferedImage(200, 120, BufferedImage.TYPE_INT_RGB);
    for (int y = 0; y < 120; y++) {
      for (int x = 0; x < 200; x++) {
        image.setRGB(x, y, ((x * 255 / 200) << 16) | ((y * 255 / 120) << 8) | ((x ^ y) & 0xff));
      }
    }
    Path file = dir.resolve(name);
    ImageIO.write(image, "png", file.toFile());
    return file;
  }

  @Test
  void printsOneCsvLinePerFile(@TempDir Path dir) throws IOException {
    Path a = image(dir, "a.png");
    Run run = run("hash", a.toString());
    assertEquals(0, run.exit(), run.err());
    String[] fields = run.out().trim().split(",");
    assertEquals(5, fields.length, run.out());
    assertTrue(fields[0].matches("[0-9a-f]{64}"));
    assertTrue(Integer.parseInt(fields[1]) >= 0 && Integer.parseInt(fields[1]) <= 100);
    assertTrue(fields[2].matches("[0-9a-f]{64}"));
    assertTrue(fields[3].matches("[0-9a-f]{32}"));
    assertEquals(a.toString(), fields[4]);
  }

  @Test
  void failuresGoToStderrAndTheOtherFilesStillPrint(@TempDir Path dir) throws IOException {
    Path good = image(dir, "good.png");
    Path empty = Files.write(dir.resolve("empty.jpg"), new byte[0]);
    Path text = Files.writeString(dir.resolve("notes.png"), "hello");
    Path missing = dir.resolve("missing.jpg");
    Run run = run("hash", "--header", empty.toString(), good.toString(), text.toString(), missing.toString());
    assertEquals(1, run.exit());
    String[] lines = run.out().trim().split("\n");
    assertEquals("pdq,quality,sha256,md5,file", lines[0]);
    assertEquals(4, lines.length, run.out());
    // files that are not images still get their exact digests, with empty PDQ columns
    assertTrue(lines[1].matches(",,[0-9a-f]{64},[0-9a-f]{32}," + java.util.regex.Pattern.quote(empty.toString())),
        lines[1]);
    assertTrue(lines[2].endsWith("," + good));
    assertTrue(lines[3].startsWith(",,") && lines[3].endsWith("," + text), lines[3]);
    assertTrue(run.err().contains(empty + ": content") || run.err().contains(empty + ": empty.jpg is empty"), run.err());
    assertTrue(run.err().contains("is empty"), run.err());
    assertTrue(run.err().contains("not a JPEG, PNG, GIF, BMP or WebP"), run.err());
    assertTrue(run.err().contains(missing + ": no such file"), run.err());
  }

  @Test
  void fullResolutionFlagGivesTheReferencePath(@TempDir Path dir) throws IOException {
    Path a = image(dir, "a.png");
    Run reduced = run("hash", a.toString());
    Run full = run("hash", "--full-resolution", a.toString());
    assertEquals(0, full.exit(), full.err());
    // A 200 px image is never reduced, so both paths agree; the flag must still be accepted.
    assertEquals(reduced.out(), full.out());
  }

  @Test
  void oddShapesHashAndAnUnhashableFileStillGetsItsDigestsWithoutStoppingTheRun(@TempDir Path dir)
      throws Exception {
    // 1536 x 1 once crashed the reduced path and aborted the whole run
    Path strip = dir.resolve("strip.png");
    BufferedImage s = new BufferedImage(1536, 1, BufferedImage.TYPE_INT_RGB);
    for (int x = 0; x < 1536; x++) {
      s.setRGB(x, 0, x * 0x010101 & 0xffffff);
    }
    ImageIO.write(s, "png", strip.toFile());
    Path tall = dir.resolve("tall.gif");
    ImageIO.write(new BufferedImage(3, 4000, BufferedImage.TYPE_INT_RGB), "gif", tall.toFile());
    byte[] png = Files.readAllBytes(image(dir, "whole.png"));
    Path damaged = Files.write(dir.resolve("damaged.png"), java.util.Arrays.copyOf(png, png.length / 2));
    Path after = image(dir, "after.png");
    Run run = run("hash", strip.toString(), damaged.toString(), tall.toString(), after.toString());
    assertEquals(1, run.exit(), run.err());
    String[] lines = run.out().trim().split("\n");
    assertEquals(4, lines.length, run.out());
    assertTrue(lines[0].matches("[0-9a-f]{64},\\d+,.*," + java.util.regex.Pattern.quote(strip.toString())), lines[0]);
    String sha = java.util.HexFormat.of().formatHex(
        java.security.MessageDigest.getInstance("SHA-256").digest(Files.readAllBytes(damaged)));
    assertTrue(lines[1].startsWith(",," + sha + ","), lines[1]);
    assertTrue(lines[2].matches("[0-9a-f]{64},\\d+,.*tall.gif"), lines[2]);
    assertTrue(lines[3].endsWith("after.png"), lines[3]);
    assertTrue(run.err().contains(damaged + ": ") && run.err().lines().count() == 1, run.err());
  }

  @Test
  void noFileIsAUsageError() {
    assertEquals(2, run("hash").exit());
  }
}
