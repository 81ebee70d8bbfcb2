package dev.haetae.moderation.core.simulate;

import java.io.IOException;
import java.io.InputStream;
import java.io.Reader;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CoderResult;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * The lines of an event stream, each with its 1-based number, read in bounded memory: a line
 * longer than the limit is skipped to its end without being kept, and reported; from bytes, a line
 * that is not valid UTF-8 is reported with the offset of the first bad byte. Lines end at
 * {@code \n}; a {@code \r} before it is dropped, and so is a UTF-8 byte order mark at the start of
 * the stream. Not thread-safe.
 */
abstract class StreamLines {
  /** One line: its text, or the problem that kept it from being read (then {@code text} is null). */
  record Line(int number, String text, String problem) {}

  final int limit;
  private int number;

  private StreamLines(int limit) {
    this.limit = limit;
  }

  /** Lines of UTF-8 bytes; a line is at most {@code limit} bytes. */
  static StreamLines of(InputStream in, int limit) {
    return new Bytes(in, limit);
  }

  /** Lines of characters; a line is at most {@code limit} characters. */
  static StreamLines of(Reader in, int limit) {
    return new Chars(in, limit);
  }

  /**
   * The next line.
   *
   * @return the line, or null at the end of the stream
   * @throws IOException when reading fails
   */
  final Line next() throws IOException {
    int n = number + 1;
    clear();
    boolean over = false;
    boolean any = false;
    for (int unit; (unit = nextUnit()) >= 0; ) {
      any = true;
      if (unit == '\n') {
        break;
      }
      if (over) {
        continue;
      }
      if (length() == limit) {
        over = true; // the rest of the line is read and dropped, never kept
        continue;
      }
      append(unit);
    }
    if (!any) {
      return null;
    }
    number = n;
    if (over) {
      return new Line(n, null, "is longer than the limit of " + limit + " " + unit()
          + " (Limits.maxEventLineBytes); skipped to its end");
    }
    return line(n);
  }

  /** The next byte or character, or -1 at the end of the stream. */
  abstract int nextUnit() throws IOException;

  abstract void clear();

  abstract int length();

  abstract void append(int unit);

  /** What the limit counts. */
  abstract String unit();

  /** The line read since {@link #clear()}, without its {@code \r} (and the stream's BOM). */
  abstract Line line(int n);

  private static final class Bytes extends StreamLines {
    private final InputStream in;
    private final byte[] chunk = new byte[1 << 16];
    private int pos;
    private int end;
    private byte[] line = new byte[256];
    private int len;
    private final CharsetDecoder utf8 = StandardCharsets.UTF_8.newDecoder()
        .onMalformedInput(CodingErrorAction.REPORT).onUnmappableCharacter(CodingErrorAction.REPORT);

    Bytes(InputStream in, int limit) {
      super(limit);
      this.in = in;
    }

    @Override
    int nextUnit() throws IOException {
      if (pos == end) {
        end = Math.max(0, in.read(chunk));
        pos = 0;
        if (end == 0) {
          return -1;
        }
      }
      return chunk[pos++] & 0xff;
    }

    @Override
    void clear() {
      len = 0;
    }

    @Override
    int length() {
      return len;
    }

    @Override
    void append(int unit) {
      if (len == line.length) {
        line = Arrays.copyOf(line, (int) Math.min(limit, 2L * line.length));
      }
      line[len++] = (byte) unit;
    }

    @Override
    String unit() {
      return "bytes";
    }

    @Override
    Line line(int n) {
      int to = len > 0 && line[len - 1] == '\r' ? len - 1 : len;
      int from = n == 1 && to >= 3 && (line[0] & 0xff) == 0xEF && (line[1] & 0xff) == 0xBB
          && (line[2] & 0xff) == 0xBF ? 3 : 0;
      ByteBuffer bytes = ByteBuffer.wrap(line, from, to - from);
      CharBuffer chars = CharBuffer.allocate(to - from);
      utf8.reset();
      CoderResult r = utf8.decode(bytes, chars, true);
      if (!r.isError()) {
        r = utf8.flush(chars);
      }
      if (r.isError()) {
        return new Line(n, null, "is not valid UTF-8 (byte " + (bytes.position() - from + 1) + " of the line)");
      }
      chars.flip();
      return new Line(n, chars.toString(), null);
    }
  }

  private static final class Chars extends StreamLines {
    private final Reader in;
    private final char[] chunk = new char[1 << 14];
    private int pos;
    private int end;
    private final StringBuilder line = new StringBuilder();

    Chars(Reader in, int limit) {
      super(limit);
      this.in = in;
    }

    @Override
    int nextUnit() throws IOException {
      if (pos == end) {
        end = Math.max(0, in.read(chunk));
        pos = 0;
        if (end == 0) {
          return -1;
        }
      }
      return chunk[pos++];
    }

    @Override
    void clear() {
      line.setLength(0);
    }

    @Override
    int length() {
      return line.length();
    }

    @Override
    void append(int unit) {
      line.append((char) unit);
    }

    @Override
    String unit() {
      return "characters";
    }

    @Override
    Line line(int n) {
      int to = line.length() > 0 && line.charAt(line.length() - 1) == '\r' ? line.length() - 1 : line.length();
      int from = n == 1 && to > 0 && line.charAt(0) == '\uFEFF' ? 1 : 0;
      return new Line(n, line.substring(from, to), null);
    }
  }
}
