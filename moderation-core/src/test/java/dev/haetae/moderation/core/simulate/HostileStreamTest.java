package dev.haetae.moderation.core.simulate;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.haetae.moderation.api.Limits;
import dev.haetae.moderation.api.spi.DecisionLog;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.StringReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What an adversarial probe of {@code haetae simulate} found, one regression test each: silent
 * coercions, invalid UTF-8 without a line number, a line long enough to run out of memory,
 * control characters reaching the terminal, and {@code file} paths read from anywhere (a parent
 * directory, an absolute path, a symbolic link, {@code /dev/zero}, a FIFO). The seeded fuzz test
 * of the whole surface is {@link StreamFuzzTest}.
 */
class HostileStreamTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String AT = "\"at\":\"2026-11-21T10:00:00Z\"";
  private static final String SHA = "ab".repeat(32);

  record Run(List<String> out, List<String> err, Simulator.Summary summary) {}

  private static Simulator.Builder simulator(List<String> out, List<String> err) {
    return Simulator.builder().engine(b -> b.decisionLog(DecisionLog.DISCARD)).onError(Simulator.OnError.CONTINUE)
        .output(out::add).errors(err::add);
  }

  private static Run run(String stream) {
    List<String> out = new ArrayList<>();
    List<String> err = new ArrayList<>();
    Simulator.Summary s = simulator(out, err).build().run(new StringReader(stream), Path.of("."));
    return new Run(out, err, s);
  }

  private static Run run(Path file, Simulator.Builder b, List<String> out, List<String> err) {
    return new Run(out, err, b.build().run(file));
  }

  private static String content(String id, String extra) {
    return "{\"type\":\"content\"," + AT + ",\"content\":\"" + id + "\",\"account\":\"u1\",\"surface\":\"group\","
        + "\"kind\":\"image\"" + extra + "}";
  }

  @Test
  void valuesOfTheWrongTypeOrRangeAreErrorsNamingTheLineAndFieldNeverCoerced() {
    String[] bad = {
        "{\"type\":\"account\"," + AT + ",\"account\":\"u1\",\"trusted_flagger\":1}",
        "{\"type\":\"account\"," + AT + ",\"account\":\"u1\",\"trusted_flagger\":\"true\"}",
        content("c1", ",\"pdq\":\"" + "0f".repeat(32) + "\",\"pdq_quality\":4294967396"),
        content("c2", ",\"pdq\":\"" + "0f".repeat(32) + "\",\"pdq_quality\":101"),
        content("c3", ",\"pdq\":\"" + "0f".repeat(32) + "\",\"pdq_quality\":50.5"),
        content("c4", ",\"sha256\":\"" + SHA + "\",\"protect\":\"yes\""),
        content("c5", ",\"sha256\":\"" + SHA + "\",\"jurisdictions\":\"KR\""),
        content("c6", ",\"sha256\":\"" + SHA + "\",\"jurisdictions\":[1]"),
        content("c7", ",\"sha256\":\"" + SHA + "\",\"text\":42"),
        "{\"type\":\"notice\"," + AT + ",\"instrument\":\"EU-DSA-16\",\"content\":\"c1\",\"sender\":\"user\","
            + "\"fields\":{\"explanation\":7}}",
        "{\"type\":\"tick\"," + AT + "} {\"type\":\"tick\"," + AT + "}",
        "{\"type\":\"tick\"," + AT + ",\"type\":\"account\"}",
        "{\"type\":\"tick\",\"at\":\"9999-12-31T00:00:00Z\"}",
        "{\"type\":\"tick\",\"at\":\"1969-12-31T23:59:59Z\"}",
    };
    String[] field = {"trusted_flagger", "trusted_flagger", "pdq_quality", "pdq_quality", "pdq_quality", "protect",
        "jurisdictions", "jurisdictions", "text", "fields.explanation", "line", "line", "at", "at"};
    Run r = run(String.join("\n", bad));
    assertEquals(0, r.summary().decisions(), r.out().toString());
    assertEquals(bad.length, r.summary().errors().size(), r.summary().errors().toString());
    for (int i = 0; i < bad.length; i++) {
      String e = r.summary().errors().get(i);
      assertTrue(e.startsWith("line " + (i + 1) + ": " + field[i] + " "), e);
    }
  }

  @Test
  void invalidUtf8IsAnErrorWithItsLineNumberAndTheRestStillRuns(@TempDir Path dir) throws IOException {
    Path f = dir.resolve("s.jsonl");
    ByteArrayOutputStream b = new ByteArrayOutputStream();
    b.writeBytes(("{\"type\":\"tick\"," + AT + "}\n").getBytes(StandardCharsets.UTF_8));
    b.writeBytes("{\"type\":\"tick\",\"at\":\"2026-11-21T10:00:00Z\",\"x\":\"".getBytes(StandardCharsets.UTF_8));
    b.writeBytes(new byte[] {(byte) 0xC3, (byte) 0x28, '"', '}', '\n'});
    b.writeBytes((content("c1", ",\"sha256\":\"" + SHA + "\"") + "\n").getBytes(StandardCharsets.UTF_8));
    Files.write(f, b.toByteArray());
    List<String> out = new ArrayList<>();
    List<String> err = new ArrayList<>();
    Run r = run(f, simulator(out, err), out, err);
    assertEquals(List.of("line 2: line is not valid UTF-8 (byte 49 of the line)"), r.summary().errors());
    assertEquals(1, r.summary().decisions());
  }

  @Test
  void aLineOverTheLimitIsSkippedInBoundedMemoryAndReported(@TempDir Path dir) throws IOException {
    // 256 MiB of one line, produced lazily: reading it must not keep it
    long size = 256L << 20;
    InputStream huge = new InputStream() {
      long left = size;

      @Override
      public int read() {
        return left-- > 0 ? 'x' : (left == -1 ? '\n' : -1);
      }

      @Override
      public int read(byte[] b, int off, int len) {
        if (left < 0) {
          return left-- == -1 ? fill(b, off, '\n') : -1;
        }
        int n = (int) Math.min(len, left);
        if (n == 0) {
          left = -2;
          b[off] = '\n';
          return 1;
        }
        Arrays.fill(b, off, off + n, (byte) 'x');
        left -= n;
        return n;
      }

      private int fill(byte[] b, int off, char c) {
        b[off] = (byte) c;
        return 1;
      }
    };
    StreamLines lines = StreamLines.of(huge, 1 << 20);
    StreamLines.Line first = lines.next();
    assertNull(first.text());
    assertTrue(first.problem().startsWith("is longer than the limit of 1048576 bytes"), first.problem());
    assertNull(lines.next());

    Path f = dir.resolve("s.jsonl");
    Files.writeString(f, "{\"type\":\"tick\"," + AT + ",\"pad\":\"" + "x".repeat(5000) + "\"}\n"
        + content("c1", ",\"sha256\":\"" + SHA + "\"") + "\n");
    List<String> out = new ArrayList<>();
    List<String> err = new ArrayList<>();
    Run r = run(f, simulator(out, err).limits(Limits.builder().maxEventLineBytes(4096).build()), out, err);
    assertEquals(1, r.summary().errors().size());
    assertTrue(r.summary().errors().get(0).startsWith("line 1: line is longer than the limit of 4096 bytes"));
    assertEquals(1, r.summary().decisions());
  }

  @Test
  void controlCharactersInTheInputNeverReachTheOutputRaw() throws Exception {
    String nasty = "\\u001b[31mred\\u001b[0m\\u009b2J\\u202eevil\\u0007\\r\\u2028x";
    String decoded = "\u001b[31mred\u001b[0m\u009b2J\u202eevil\u0007\r\u2028x";
    Run r = run(content(nasty, ",\"sha256\":\"" + SHA + "\"") + "\n"
        + "{\"type\":\"" + nasty + "\"," + AT + "}\n"
        + "{\"type\":\"report\"," + AT + ",\"reporter\":\"u2\",\"account\":\"u1\",\"category\":\"" + nasty + "\"}");
    assertEquals(1, r.summary().decisions());
    assertEquals(2, r.summary().errors().size());
    for (String line : concat(r.out(), r.err())) {
      for (char c : line.toCharArray()) {
        assertTrue(c >= 0x20 && c != 0x7f && !(c >= 0x80 && c <= 0x9f) && c != 0x202e && c != 0x2028,
            "raw control character " + (int) c + " in: " + line);
      }
    }
    JsonNode d = JSON.readTree(r.out().get(0));
    assertEquals(decoded, d.get("content").asText(), "escaped, the JSON line still says the same");
    assertTrue(r.err().get(0).contains("\\u001b[31mred"), r.err().get(0));
  }

  private static List<String> concat(List<String> a, List<String> b) {
    List<String> all = new ArrayList<>(a);
    all.addAll(b);
    return all;
  }

  @Test
  void theSummaryIsNotPrintedByTheSimulatorOnStop() {
    List<String> out = new ArrayList<>();
    List<String> err = new ArrayList<>();
    Simulator.Summary s = simulator(out, err).onError(Simulator.OnError.STOP).build()
        .run(new StringReader("not json\n{\"type\":\"tick\"," + AT + "}"), Path.of("."));
    assertTrue(s.stoppedEarly());
    assertEquals(1, err.size(), "the error only; the caller prints the summary: " + err);
    assertEquals(1, s.lines());
  }

  // --- file confinement -------------------------------------------------------------------------

  private static Path png(Path file, int w, int h) throws IOException {
    BufferedImage img = new BufferedImage(w, h, BufferedImage.TYPE_INT_RGB);
    for (int y = 0; y < h; y++) {
      for (int x = 0; x < w; x++) {
        img.setRGB(x, y, (x * 7 + y * 13) * 0x010101 & 0xffffff);
      }
    }
    ImageIO.write(img, "png", file.toFile());
    return file;
  }

  private static String withFile(String id, String name) {
    return content(id, ",\"file\":" + JSON.valueToTree(name));
  }

  @Test
  void filesOutsideTheStreamsDirectoryOrNotRegularAreRefused(@TempDir Path tmp) throws IOException {
    Path dir = Files.createDirectories(tmp.resolve("stream"));
    Path outside = png(tmp.resolve("secret.png"), 64, 64);
    png(dir.resolve("ok.png"), 64, 64);
    Files.createDirectories(dir.resolve("sub"));
    png(dir.resolve("sub/inner.png"), 64, 64);
    Files.createSymbolicLink(dir.resolve("escape.png"), outside);
    Files.createSymbolicLink(dir.resolve("inside.png"), dir.resolve("ok.png"));
    Files.createSymbolicLink(dir.resolve("zero.png"), Path.of("/dev/zero"));
    Files.createSymbolicLink(dir.resolve("linkdir"), tmp);
    boolean fifo = mkfifo(dir.resolve("fifo.png"));
    List<String> lines = new ArrayList<>(List.of(
        withFile("ok", "ok.png"),
        withFile("inner", "sub/inner.png"),
        withFile("inside", "inside.png"),
        withFile("dotdot", "sub/../ok.png"),
        withFile("parent", "../secret.png"),
        withFile("absolute", outside.toString()),
        withFile("link", "escape.png"),
        withFile("linkdir", "linkdir/secret.png"),
        withFile("devzero", "/dev/zero"),
        withFile("zero", "zero.png"),
        withFile("proc", "/proc/self/environ"),
        withFile("dir", "sub"),
        withFile("missing", "nope.png"),
        withFile("empty", "")));
    if (fifo) {
      lines.add(withFile("fifo", "fifo.png"));
    }
    Path stream = dir.resolve("s.jsonl");
    Files.write(stream, lines);
    List<String> out = new ArrayList<>();
    List<String> err = new ArrayList<>();
    Run r = run(stream, simulator(out, err), out, err);
    assertEquals(4, r.summary().decisions(), r.summary().errors().toString());
    List<String> errors = r.summary().errors();
    assertEquals(lines.size() - 4, errors.size(), errors.toString());
    String[] expect = {"leads outside", "must be a path relative", "symbolic link", "symbolic link",
        "must be a path relative", "symbolic link", "must be a path relative", "not a regular file (a directory)",
        "does not exist", "must be a path relative", "not a regular file (a FIFO, socket or device)"};
    for (int i = 0; i < errors.size(); i++) {
      assertTrue(errors.get(i).startsWith("line " + (i + 5) + ": file '") && errors.get(i).contains(expect[i]),
          errors.get(i) + " (expected: " + expect[i] + ")");
    }
    for (String e : errors) {
      assertFalse(e.contains(tmp.toString()) && !e.contains("'" + tmp), "no path beyond the one given: " + e);
    }
  }

  @Test
  void anExplicitRootWidensTheConfinementAndTheByteLimitHoldsWhileReading(@TempDir Path tmp) throws IOException {
    Path dir = Files.createDirectories(tmp.resolve("stream"));
    png(tmp.resolve("common.png"), 64, 64);
    Files.write(dir.resolve("big.png"), new byte[5000]);
    Path stream = dir.resolve("s.jsonl");
    Files.write(stream, List.of(withFile("common", "../common.png"), withFile("big", "big.png")));
    List<String> out = new ArrayList<>();
    List<String> err = new ArrayList<>();
    Run r = run(stream, simulator(out, err).fileRoot(tmp).limits(Limits.builder().maxContentBytes(4096).build()),
        out, err);
    assertEquals(1, r.summary().decisions(), r.summary().errors().toString());
    assertEquals(1, r.summary().errors().size());
    assertTrue(r.summary().errors().get(0).contains("over the limit of 4096"), r.summary().errors().get(0));
  }

  @Test
  void anImageFileThatCannotBePerceptuallyHashedIsDecidedOnItsDigestsReviewedAndReported(@TempDir Path dir)
      throws IOException {
    byte[] png = Files.readAllBytes(png(dir.resolve("whole.png"), 120, 90));
    Files.write(dir.resolve("damaged.png"), Arrays.copyOf(png, png.length / 2));
    png(dir.resolve("strip.png"), 1536, 1); // once crashed the reduced path and aborted the run
    Path stream = dir.resolve("s.jsonl");
    Files.write(stream, List.of(withFile("damaged", "damaged.png"), withFile("strip", "strip.png")));
    List<String> out = new ArrayList<>();
    List<String> err = new ArrayList<>();
    Run r = run(stream, simulator(out, err), out, err);
    assertEquals(2, r.summary().decisions(), r.summary().errors().toString());
    assertTrue(r.summary().errors().isEmpty());
    assertEquals(1, r.summary().warnings().size(), r.summary().warnings().toString());
    assertTrue(r.summary().warnings().get(0).startsWith("line 1: file 'damaged.png' could not be perceptually hashed"),
        r.summary().warnings().get(0));
    assertTrue(err.get(0).startsWith("warning: line 1: file 'damaged.png'"), err.toString());
    JsonNode damaged = JSON.readTree(out.get(0));
    assertEquals("review", damaged.get("actions").get(0).get("action").asText(), out.get(0));
    assertEquals("unhashed_image", damaged.get("actions").get(0).get("lane").asText(), out.get(0));
    JsonNode strip = JSON.readTree(out.get(1));
    assertEquals("allow", strip.get("actions").get(0).asText(), out.get(1));
    assertTrue(r.summary().describe().contains("warnings: 1"), r.summary().describe());
  }

  private static boolean mkfifo(Path p) {
    try {
      Process proc = new ProcessBuilder("mkfifo", p.toString()).redirectErrorStream(true).start();
      return proc.waitFor() == 0 && Files.exists(p);
    } catch (IOException e) {
      return false;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return false;
    }
  }

  @Test
  void aFifoIsRefusedWithoutBeingOpened(@TempDir Path dir) throws IOException {
    assumeTrue(mkfifo(dir.resolve("f.png")), "mkfifo is not available here");
    // reading a FIFO with no writer would block forever: the check must come before any open
    EventStreamException e = org.junit.jupiter.api.Assertions.assertThrows(EventStreamException.class,
        () -> new ConfinedFiles(dir, dir, 1 << 20).read(3, "f.png"));
    assertEquals(3, e.line());
    assertTrue(e.getMessage().contains("not a regular file"), e.getMessage());
  }
}
