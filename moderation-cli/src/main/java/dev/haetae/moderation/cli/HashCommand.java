package dev.haetae.moderation.cli;

import dev.haetae.moderation.api.Fingerprints;
import dev.haetae.moderation.api.Pdq;
import dev.haetae.moderation.core.hash.ImageHasher;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/**
 * {@code haetae hash FILE...}: prints one CSV line {@code pdq,quality,sha256,md5,file} per image,
 * or with {@code --format bank-csv} a hash list that {@code haetae match --bank} and
 * {@code HashBanks.load} read ({@code hash,signal_type,quality,file}, one line per hash): what a
 * trust-and-safety engineer runs to add an image to a hash bank.
 *
 * <p>A file that cannot be perceptually hashed (empty, not an image, damaged, over a limit) still
 * gets its line, with the PDQ and quality columns empty and its exact SHA-256 and MD5 (in the bank
 * format, its SHA-256 and MD5 lines), and is
 * reported on standard error as {@code haetae hash: FILE: reason}; a file that cannot be read at
 * all is reported only. The other files are still hashed. Exit code 0 when every file was hashed,
 * 1 when any failed, 2 on a usage error.
 */
@Command(
    name = "hash",
    mixinStandardHelpOptions = true,
    description = {
      "Print pdq,quality,sha256,md5,file for each image (JPEG, PNG, GIF, BMP, WebP),",
      "or with --format bank-csv a hash list that 'haetae match --bank' reads.",
      "For MP4/H.264 videos, print their vPDQ hash as upstream's text lines",
      "(frame_number,quality,pdq_hex,timestamp; a '# FILE' line before each of several videos).",
      "Errors go to standard error; the exit code is 1 if any file failed."
    })
public final class HashCommand implements Callable<Integer> {

  @Spec CommandSpec spec;

  @Parameters(arity = "1..*", paramLabel = "FILE", description = "image files, or MP4 video files")
  List<Path> files;

  @Option(names = "--full-resolution",
      description = "decode every pixel: bit-exact with the reference PDQ hasher (slower on large images)")
  boolean fullResolution;

  @Option(names = "--exif-orientation",
      description = "apply JPEG EXIF orientation first (hash the image as displayed); off by default, as in the reference")
  boolean exifOrientation;

  @Option(names = "--header", description = "print the CSV header line first (always printed with bank-csv)")
  boolean header;

  @Option(names = "--format", paramLabel = "FORMAT", defaultValue = "csv",
      description = "csv (pdq,quality,sha256,md5,file per image; default) or bank-csv "
          + "(hash,signal_type,quality,file per hash: a hash list for --bank)")
  String format;

  @Option(names = "--every-frame", description = "videos: hash every frame (default: one frame per second)")
  boolean everyFrame;

  @Option(names = "--seconds-per-hash", paramLabel = "S", defaultValue = "1",
      description = "videos: hash frame n when n %% (int) (S * fps) == 0, as upstream vPDQ (default: 1)")
  double secondsPerHash;

  @Option(names = "--ffmpeg", paramLabel = "FFMPEG",
      description = "videos: decode MP4 with this ffmpeg executable (a path, or a name on the PATH) "
          + "instead of the built-in decoder")
  Path ffmpeg;

  /** Creates the command; picocli sets the fields. */
  public HashCommand() {}

  @Override
  public Integer call() {
    PrintWriter out = spec.commandLine().getOut();
    PrintWriter err = spec.commandLine().getErr();
    if (files.stream().anyMatch(VideoCommands::isVideo)) {
      if (!files.stream().allMatch(VideoCommands::isVideo)) {
        err.println("haetae hash: give either images or videos, not both");
        return 2;
      }
      if (!(secondsPerHash >= 0) || Double.isInfinite(secondsPerHash)) {
        err.println("haetae hash: --seconds-per-hash must be 0 or positive, got " + secondsPerHash);
        return 2;
      }
      return VideoCommands.hash(files, everyFrame ? 0 : secondsPerHash, ffmpeg, out, err);
    }
    ImageHasher hasher = ImageHasher.builder()
        .resolution(fullResolution ? ImageHasher.Resolution.FULL : ImageHasher.Resolution.REDUCED)
        .applyExifOrientation(exifOrientation)
        .queryVariants(false)
        .build();
    boolean bank;
    switch (format) {
      case "csv":
        bank = false;
        break;
      case "bank-csv":
        bank = true;
        break;
      default:
        err.println("haetae hash: --format must be csv or bank-csv, got '" + format + "'");
        return 2;
    }
    if (bank) {
      out.println("hash,signal_type,quality,file");
    } else if (header) {
      out.println("pdq,quality,sha256,md5,file");
    }
    int failed = 0;
    for (Path file : files) {
      try {
        if (Files.isDirectory(file)) {
          throw new IOException("is a directory");
        }
        Fingerprints f = hasher.fingerprint(file);
        Pdq pdq = f.pdq().orElseThrow();
        String name = csvField(file.toString());
        if (bank) {
          // the PDQ line carries its quality: an import skips a hash of a plain image (quality < 50)
          out.println(pdq.hash().toHex() + ",pdq," + pdq.quality() + "," + name);
          out.println(f.sha256().orElseThrow().toHex() + ",sha256,," + name);
          out.println(f.md5().orElseThrow().toHex() + ",md5,," + name);
        } else {
          out.println(pdq.hash().toHex() + "," + pdq.quality() + "," + f.sha256().orElseThrow().toHex() + ","
              + f.md5().orElseThrow().toHex() + "," + file);
        }
      } catch (NoSuchFileException e) {
        failed++;
        err.println("haetae hash: " + file + ": no such file");
      } catch (IOException e) {
        failed++;
        err.println("haetae hash: " + file + ": cannot read (" + e.getMessage() + ")");
      } catch (RuntimeException e) {
        failed++;
        err.println("haetae hash: " + file + ": " + e.getMessage());
        exactOnly(out, err, file, bank);
      }
      out.flush();
      err.flush();
    }
    return failed == 0 ? 0 : 1;
  }

  /**
   * The lines of a file that could not be perceptually hashed: its exact digests only (in the bank
   * format, its SHA-256 and MD5 lines).
   */
  private static void exactOnly(PrintWriter out, PrintWriter err, Path file, boolean bank) {
    try {
      Fingerprints f = ImageHasher.digests(file);
      String sha = f.sha256().orElseThrow().toHex();
      String md5 = f.md5().orElseThrow().toHex();
      if (bank) {
        String name = csvField(file.toString());
        out.println(sha + ",sha256,," + name);
        out.println(md5 + ",md5,," + name);
      } else {
        out.println(",," + sha + "," + md5 + "," + file);
      }
    } catch (IOException e) {
      err.println("haetae hash: " + file + ": cannot read (" + e.getMessage() + ")");
    }
  }

  /** A file name as one CSV field (quoted when it holds a comma, quote or line break). */
  static String csvField(String s) {
    if (s.indexOf(',') < 0 && s.indexOf('"') < 0 && s.indexOf('\n') < 0 && s.indexOf('\r') < 0) {
      return s;
    }
    return '"' + s.replace("\"", "\"\"").replace('\n', ' ').replace('\r', ' ') + '"';
  }
}
