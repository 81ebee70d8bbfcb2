package dev.haetae.moderation.video;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

/**
 * Finds the {@code ffmpeg} executable for the tests of the FFmpeg path: {@code -Dhaetae.ffmpeg=PATH},
 * else the first {@code ffmpeg} on the {@code PATH}. Tests call {@link #required()}, which skips
 * them (a JUnit assumption with a message) where the host has none; CI images may not.
 */
final class Ffmpeg {
  private static final Optional<Path> FOUND = find();

  private Ffmpeg() {}

  static Path required() {
    assumeTrue(FOUND.isPresent(), "no ffmpeg executable on the PATH (or in -Dhaetae.ffmpeg): FFmpeg path not tested");
    return FOUND.get();
  }

  static Optional<Path> find() {
    String configured = System.getProperty("haetae.ffmpeg", "");
    if (!configured.isEmpty()) {
      return Optional.of(Path.of(configured)).filter(Files::isExecutable);
    }
    String path = System.getenv("PATH");
    if (path == null) {
      return Optional.empty();
    }
    for (String dir : path.split(File.pathSeparator)) {
      if (dir.isEmpty()) {
        continue;
      }
      Path p = Path.of(dir, "ffmpeg");
      if (Files.isRegularFile(p) && Files.isExecutable(p)) {
        return Optional.of(p);
      }
    }
    return Optional.empty();
  }
}
