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
 * what a trust-and-safety engineer runs to add an image to a hash bank.
 *
 * <p>A file that cannot be perceptually hashed (empty, not an image, damaged, over a limit) still
 * gets its line, with the PDQ and quality columns empty and its exact SHA-256 and MD5, and is
 * reported on standard error as {@code haetae hash: FILE: reason}; a file that cannot be read at
 * all is reported only. The other files are still hashed. Exit code 0 when every file was hashed,
 * 1 when any failed, 2 on a usage error.
 */
@Command(
    name = "hash",
    mixinStandardHelpOptions = true,
    description = {
      "Print pdq,quality,sha256,md5,file for each image (JPEG, PNG, GIF, BMP, WebP).",
      "Errors go to standard error; the exit code is 1 if any file failed."
    })
public final class HashCommand implements Callable<Integer> {

  @Spec CommandSpec spec;

  @Parameters(arity = "1..*", paramLabel = "FILE", description = "image files")
  List<Path> files;

  @Option(names = "--full-resolution",
      description = "decode every pixel: bit-exact with the reference PDQ hasher (slower on large images)")
  boolean fullResolution;

  @Option(names = "--exif-orientation",
      description = "apply JPEG EXIF orientation first (hash the image as displayed); off by default, as in the reference")
  boolean exifOrientation;

  @Option(names = "--header", description = "print the CSV header line first")
  boolean header;

  /** Creates the command; picocli sets the fields. */
  public HashCommand() {}

  @Override
  public Integer call() {
    PrintWriter out = spec.commandLine().getOut();
    PrintWriter err = spec.commandLine().getErr();
    ImageHasher hasher = ImageHasher.builder()
        .resolution(fullResolution ? ImageHasher.Resolution.FULL : ImageHasher.Resolution.REDUCED)
        .applyExifOrientation(exifOrientation)
        .queryVariants(false)
        .build();
    if (header) {
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
        out.println(pdq.hash().toHex() + "," + pdq.quality() + "," + f.sha256().orElseThrow().toHex() + ","
            + f.md5().orElseThrow().toHex() + "," + file);
      } catch (NoSuchFileException e) {
        failed++;
        err.println("haetae hash: " + file + ": no such file");
      } catch (IOException e) {
        failed++;
        err.println("haetae hash: " + file + ": cannot read (" + e.getMessage() + ")");
      } catch (RuntimeException e) {
        failed++;
        err.println("haetae hash: " + file + ": " + e.getMessage());
        exactOnly(out, err, file);
      }
      out.flush();
      err.flush();
    }
    return failed == 0 ? 0 : 1;
  }

  /** The line of a file that could not be perceptually hashed: its exact digests only. */
  private static void exactOnly(PrintWriter out, PrintWriter err, Path file) {
    try {
      Fingerprints f = ImageHasher.digests(file);
      out.println(",," + f.sha256().orElseThrow().toHex() + "," + f.md5().orElseThrow().toHex() + "," + file);
    } catch (IOException e) {
      err.println("haetae hash: " + file + ": cannot read (" + e.getMessage() + ")");
    }
  }
}
