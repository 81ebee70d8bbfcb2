package dev.haetae.moderation.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.io.InputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** Runs {@code haetae hash} and {@code haetae match} on a video in process. */
class VideoCommandsTest {

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

  private static Path video(Path dir, String name) throws IOException {
    Path f = dir.resolve(name);
    try (InputStream in = VideoCommandsTest.class.getResourceAsStream("/video/tiny.mp4")) {
      Files.write(f, in.readAllBytes());
    }
    return f;
  }

  @Test
  void hashPrintsUpstreamTextLines(@TempDir Path dir) throws IOException {
    Path v = video(dir, "tiny.mp4");
    Run every = run("hash", "--every-frame", v.toString());
    assertEquals(0, every.exit(), every.err());
    List<String> lines = every.out().lines().toList();
    assertEquals(20, lines.size(), every.out());
    assertTrue(lines.get(0).matches("0,\\d{1,3},[0-9a-f]{64},0\\.000"), lines.get(0));
    assertTrue(lines.get(19).matches("19,\\d{1,3},[0-9a-f]{64},1\\.900"), lines.get(19));
    // 10 fps, one hash per second: frames 0 and 10
    Run sampled = run("hash", v.toString());
    assertEquals(List.of("0", "10"), sampled.out().lines().map(l -> l.split(",")[0]).toList());
    Run half = run("hash", "--seconds-per-hash", "0.5", v.toString(), video(dir, "copy.mp4").toString());
    assertEquals(2 + 8, half.out().lines().count(), half.out());
    assertTrue(half.out().startsWith("# " + v), half.out());
  }

  @Test
  void matchPrintsBothPercentagesAgainstVideoAndHashBanks(@TempDir Path dir) throws IOException {
    Path v = video(dir, "tiny.mp4");
    Run self = run("match", "--bank", v.toString(), v.toString());
    assertEquals(0, self.exit(), self.err());
    assertTrue(self.out().contains(v + ": 1 match"), self.out());
    assertTrue(self.out().contains("query 100.0 %  comparison 100.0 %"), self.out());
    Path hashes = dir.resolve("tiny.txt");
    Files.writeString(hashes, run("hash", "--every-frame", v.toString()).out());
    Run fromHashes = run("match", "--bank", hashes.toString(), "--comparison-percent", "80", v.toString());
    assertEquals(0, fromHashes.exit(), fromHashes.err());
    assertTrue(fromHashes.out().contains("query 100.0 %"), fromHashes.out());
  }

  @Test
  void badInputIsReported(@TempDir Path dir) throws IOException {
    Path v = video(dir, "tiny.mp4");
    Path cut = dir.resolve("cut.mp4");
    Files.write(cut, java.util.Arrays.copyOf(Files.readAllBytes(v), 4000));
    Run hash = run("hash", cut.toString());
    assertEquals(1, hash.exit());
    assertTrue(hash.err().contains("cut.mp4"), hash.err());
    Path bad = dir.resolve("bad.txt");
    Files.writeString(bad, "0,100,zz,0.0\n");
    Run match = run("match", "--bank", bad.toString(), v.toString());
    assertEquals(2, match.exit());
    assertTrue(match.err().contains("bad.txt:1"), match.err());
  }

  /** {@code ffmpeg} on the {@code PATH}, or null. */
  private static Path ffmpegOnPath() {
    String path = System.getenv("PATH");
    if (path == null) {
      return null;
    }
    for (String dir : path.split(java.io.File.pathSeparator)) {
      Path f = Path.of(dir.isEmpty() ? "." : dir, "ffmpeg");
      if (Files.isExecutable(f)) {
        return f;
      }
    }
    return null;
  }

  @Test
  void ffmpegDecodesTheSameHashesAsTheBuiltInDecoder(@TempDir Path dir) throws IOException {
    Path ffmpeg = ffmpegOnPath();
    assumeTrue(ffmpeg != null, "no ffmpeg on the PATH: the --ffmpeg option is not exercised here");
    Path v = video(dir, "tiny.mp4");
    Run builtIn = run("hash", "--every-frame", v.toString());
    Run viaFfmpeg = run("hash", "--every-frame", "--ffmpeg", ffmpeg.toString(), v.toString());
    assertEquals(0, viaFfmpeg.exit(), viaFfmpeg.err());
    assertEquals(builtIn.out(), viaFfmpeg.out());
    Run match = run("match", "--ffmpeg", ffmpeg.toString(), "--bank", v.toString(), v.toString());
    assertEquals(0, match.exit(), match.err());
    assertTrue(match.out().contains("query 100.0 %  comparison 100.0 %"), match.out());
  }

  @Test
  void anFfmpegThatCannotStartIsReported(@TempDir Path dir) throws IOException {
    Path v = video(dir, "tiny.mp4");
    Path missing = dir.resolve("no-such-ffmpeg");
    Run hash = run("hash", "--ffmpeg", missing.toString(), v.toString());
    assertEquals(1, hash.exit(), hash.out());
    assertTrue(hash.err().contains("tiny.mp4"), hash.err());
    assertTrue(hash.out().isEmpty(), hash.out());
  }
}
