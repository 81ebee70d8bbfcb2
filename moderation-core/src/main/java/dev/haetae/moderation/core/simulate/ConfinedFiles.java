package dev.haetae.moderation.core.simulate;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.SeekableByteChannel;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.OpenOption;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.Arrays;
import java.util.Set;

/**
 * Reads the files an event stream names ({@code "file"} of a content event), confined to a root
 * directory: the stream's own directory unless the caller names another. A stream is input like any
 * other, so a name may not be absolute, may not lead out of the root (by {@code ..} or through a
 * symbolic link), and must be a regular file (not a directory, FIFO, socket or device, which could
 * block or never end); at most {@code maxBytes} are read, counted while reading, whatever size the
 * file claims. Symbolic links whose target stays inside the root are followed.
 *
 * <p>What this cannot stop: someone who can write to the root while the stream runs may swap a
 * checked directory for a link between the check and the read (the last path element is opened
 * without following links). Thread-safe (no state after construction).
 */
final class ConfinedFiles {
  private final Path base;
  private final Path root;
  private final Path realRoot;
  private final long maxBytes;

  /**
   * @param base the directory relative names start from; absolute
   * @param root the directory names must stay in; absolute
   * @throws IOException when the root does not exist or cannot be resolved
   */
  ConfinedFiles(Path base, Path root, long maxBytes) throws IOException {
    this.base = base.toAbsolutePath().normalize();
    this.root = root.toAbsolutePath().normalize();
    this.realRoot = this.root.toRealPath();
    this.maxBytes = Math.min(maxBytes, Integer.MAX_VALUE - 16);
  }

  /**
   * Reads a named file.
   *
   * @throws EventStreamException naming the line and the field {@code file} when the name is not
   *     allowed or the file cannot be read
   */
  byte[] read(int line, String name) {
    Path p;
    try {
      p = Path.of(name);
    } catch (InvalidPathException e) {
      throw problem(line, name, "is not a valid path (" + e.getReason() + ")");
    }
    if (name.isEmpty() || p.isAbsolute() || p.getRoot() != null) {
      throw problem(line, name, "must be a path relative to the stream's directory");
    }
    Path target = base.resolve(p).normalize();
    if (!target.startsWith(root)) {
      throw problem(line, name, "leads outside the directory files are read from");
    }
    Path real;
    try {
      real = target.toRealPath();
    } catch (NoSuchFileException e) {
      throw problem(line, name, "does not exist");
    } catch (IOException e) {
      throw problem(line, name, "cannot be resolved (" + e.getClass().getSimpleName() + ")");
    }
    if (!real.startsWith(realRoot)) {
      throw problem(line, name, "is a symbolic link (or under one) that leads outside the directory files are"
          + " read from");
    }
    BasicFileAttributes attrs;
    try {
      attrs = Files.readAttributes(real, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
    } catch (IOException e) {
      throw problem(line, name, "cannot be read (" + e.getClass().getSimpleName() + ")");
    }
    if (!attrs.isRegularFile()) {
      throw problem(line, name, "is not a regular file (" + (attrs.isDirectory() ? "a directory"
          : "a FIFO, socket or device") + ")");
    }
    if (attrs.size() > maxBytes) {
      throw problem(line, name, "is " + attrs.size() + " bytes, over the limit of " + maxBytes);
    }
    try (SeekableByteChannel ch = Files.newByteChannel(real,
        Set.<OpenOption>of(StandardOpenOption.READ, LinkOption.NOFOLLOW_LINKS))) {
      byte[] buf = new byte[(int) Math.min(Math.max(attrs.size(), 4096), maxBytes + 1)];
      int n = 0;
      while (true) {
        if (n == buf.length) {
          if (n > maxBytes) {
            throw problem(line, name, "holds more than the limit of " + maxBytes + " bytes");
          }
          buf = Arrays.copyOf(buf, (int) Math.min(maxBytes + 1, 2L * buf.length));
        }
        int r = ch.read(ByteBuffer.wrap(buf, n, buf.length - n));
        if (r < 0) {
          break;
        }
        n += r;
      }
      if (n > maxBytes) {
        throw problem(line, name, "holds more than the limit of " + maxBytes + " bytes");
      }
      return n == buf.length ? buf : Arrays.copyOf(buf, n);
    } catch (IOException e) {
      throw problem(line, name, "cannot be read (" + e.getClass().getSimpleName() + ")");
    }
  }

  private static EventStreamException problem(int line, String name, String what) {
    return new EventStreamException(line, "file", "'" + name + "' " + what);
  }
}
