package dev.haetae.moderation.cli;

import dev.haetae.moderation.core.simulate.Simulator;
import java.io.FilterWriter;
import java.io.IOException;
import java.io.Writer;

/**
 * A writer that lets no control character through but the line feed and tab: what the commands
 * print comes in part from untrusted files (event streams, decision logs, hash lists), and an
 * escape sequence or a carriage return in them must not move the cursor, recolour the terminal or
 * overwrite a line. Each such character is printed as a unicode escape instead (see
 * {@link Simulator#printable(String)}). Not thread-safe beyond what the underlying writer is.
 */
final class TerminalSafeWriter extends FilterWriter {
  TerminalSafeWriter(Writer out) {
    super(out);
  }

  @Override
  public void write(int c) throws IOException {
    write(String.valueOf((char) c), 0, 1);
  }

  @Override
  public void write(char[] buf, int off, int len) throws IOException {
    write(new String(buf, off, len), 0, len);
  }

  @Override
  public void write(String s, int off, int len) throws IOException {
    int end = off + len;
    int from = off;
    for (int i = off; i < end; i++) {
      if (s.charAt(i) == '\n') {
        out.write(Simulator.printable(s.substring(from, i)));
        out.write('\n');
        from = i + 1;
      }
    }
    out.write(Simulator.printable(s.substring(from, end)));
  }
}
