package dev.haetae.moderation.core.banks;

import java.io.IOException;
import java.io.Reader;

/**
 * Reads lines of at most {@link #MAX_LINE} characters: a longer line is skipped to its end without
 * being held in memory, so that one endless line cannot exhaust the heap. A leading UTF-8 byte
 * order mark is dropped. Not thread-safe.
 */
final class BoundedLines {
  /** The longest line kept, in characters. */
  static final int MAX_LINE = 64 * 1024;

  private final Reader in;
  private final char[] buf = new char[8192];
  private int pos;
  private int len;
  private long number;
  private boolean tooLong;
  private boolean first = true;
  private final StringBuilder line = new StringBuilder(256);

  BoundedLines(Reader in) {
    this.in = in;
  }

  /** The next line without its terminator, or null at the end; {@link #tooLong()} tells a cut line. */
  String next() throws IOException {
    line.setLength(0);
    tooLong = false;
    boolean any = false;
    while (true) {
      if (pos == len) {
        len = in.read(buf, 0, buf.length);
        pos = 0;
        if (len <= 0) {
          len = 0;
          if (!any) {
            return null;
          }
          number++;
          return finish();
        }
      }
      any = true;
      char c = buf[pos++];
      if (c == '\n') {
        number++;
        return finish();
      }
      if (c == '\r') {
        if (pos == len) {
          len = in.read(buf, 0, buf.length);
          pos = 0;
          if (len < 0) {
            len = 0;
          }
        }
        if (pos < len && buf[pos] == '\n') {
          pos++;
        }
        number++;
        return finish();
      }
      if (line.length() < MAX_LINE) {
        line.append(c);
      } else {
        tooLong = true;
      }
    }
  }

  private String finish() {
    if (first) {
      first = false;
      if (line.length() > 0 && line.charAt(0) == '\uFEFF') {
        line.deleteCharAt(0);
      }
    }
    return line.toString();
  }

  /** Receives one content line of a line format. */
  interface LineHandler {
    void line(long number, String stripped);
  }

  /**
   * Hands every content line (stripped; blank lines and {@code #} comments skipped) to
   * {@code handler}; a line over {@link #MAX_LINE} is reported as {@link ProblemKind#TOO_LONG}.
   */
  static void forEachLine(Reader in, RecordSink sink, LineHandler handler) throws IOException {
    BoundedLines lines = new BoundedLines(in);
    String line;
    while ((line = lines.next()) != null) {
      long no = lines.number();
      if (lines.tooLong()) {
        sink.problem(no, ProblemKind.TOO_LONG, "line is longer than " + MAX_LINE + " characters");
        continue;
      }
      String t = line.strip();
      if (!t.isEmpty() && !t.startsWith("#")) {
        handler.line(no, t);
      }
    }
  }

  /** The 1-based number of the line {@link #next()} returned last. */
  long number() {
    return number;
  }

  /** Whether the line {@link #next()} returned last was longer than {@link #MAX_LINE} and cut. */
  boolean tooLong() {
    return tooLong;
  }
}
