package dev.haetae.moderation.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.image.BufferedImage;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class AugmentRecallCommandTest {
  private static final Path CORPUS = Path.of("../moderation-core/src/test/resources/pdq/corpus");

  /** Each turn undone by its inverse, four quarter turns are none, on seeded random images of odd sizes. */
  @Test
  void turnsFormTheDihedralGroup() {
    int[] inverse = {0, 3, 2, 1, 4, 5, 6, 7};
    SplittableRandom rnd = new SplittableRandom(18);
    for (int n = 0; n < 40; n++) {
      int w = 1 + rnd.nextInt(9);
      int h = 1 + rnd.nextInt(9);
      BufferedImage im = new BufferedImage(w, h, BufferedImage.TYPE_INT_RGB);
      for (int y = 0; y < h; y++) {
        for (int x = 0; x < w; x++) {
          im.setRGB(x, y, rnd.nextInt(1 << 24));
        }
      }
      int[] px = pixels(im);
      for (int op = 0; op < 8; op++) {
        BufferedImage t = AugmentRecallCommand.turn(im, op);
        boolean swap = op == 1 || op == 3 || op == 6 || op == 7;
        assertEquals(swap ? h : w, t.getWidth());
        assertArrayEquals(px, pixels(AugmentRecallCommand.turn(t, inverse[op])), "op " + op);
      }
      BufferedImage r = im;
      for (int k = 0; k < 4; k++) {
        r = AugmentRecallCommand.turn(r, 1);
      }
      assertArrayEquals(px, pixels(r));
      // a quarter turn clockwise puts the bottom-left pixel at the top-left
      assertEquals(im.getRGB(0, h - 1) & 0xffffff, AugmentRecallCommand.turn(im, 1).getRGB(0, 0) & 0xffffff);
    }
    assertThrows(IllegalArgumentException.class,
        () -> AugmentRecallCommand.turn(new BufferedImage(2, 2, BufferedImage.TYPE_INT_RGB), 8));
  }

  @Test
  void printsRecallPerEditForTodayAndBothKindsOfForms(@TempDir Path dir) throws Exception {
    Files.createDirectories(dir.resolve("originals"));
    Files.createDirectories(dir.resolve("variants"));
    Files.copy(CORPUS.resolve("originals/kay.jpg"), dir.resolve("originals/kay.jpg"));
    for (String edit : new String[] {"mirror", "rot90", "half"}) {
      Files.copy(CORPUS.resolve("variants/kay--" + edit + ".jpg"), dir.resolve("variants/kay--" + edit + ".jpg"));
    }
    Files.writeString(dir.resolve("variants/kay--notes.txt"), "not an image");
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    int code = Haetae.commandLine().setOut(new PrintWriter(out)).setErr(new PrintWriter(err))
        .execute("bench", "augment-recall", dir.toString());
    assertEquals(0, code, err.toString());
    String s = out.toString();
    assertTrue(s.contains("1 originals, 3 copies, distance 31"), s);
    // the corpus's turned copies are found by today's query-side turns and by the stored pixel forms
    assertTrue(s.matches("(?s).*\\nmirror +1 +1 +[01] +1\\n.*"), s);
    assertTrue(s.matches("(?s).*\\nrot90 +1 +1 +[01] +1\\n.*"), s);
    assertTrue(s.contains("copies matching a different original: today 0, pixel forms 0"), s);
    assertTrue(err.toString().contains("skipped kay--notes.txt"), err.toString());
    assertEquals(2, Haetae.commandLine().setOut(new PrintWriter(new StringWriter()))
        .setErr(new PrintWriter(new StringWriter())).execute("bench", "augment-recall", dir.resolve("none").toString()));
  }

  private static int[] pixels(BufferedImage im) {
    return im.getRGB(0, 0, im.getWidth(), im.getHeight(), null, 0, im.getWidth());
  }
}
