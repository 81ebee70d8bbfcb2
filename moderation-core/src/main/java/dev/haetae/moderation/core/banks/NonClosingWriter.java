package dev.haetae.moderation.core.banks;

import java.io.IOException;
import java.io.Writer;

/** A writer view whose close() only flushes, so that a generator leaves the caller's writer open. */
final class NonClosingWriter extends Writer {
  private final Writer w;

  NonClosingWriter(Writer w) {
    this.w = w;
  }

  @Override
  public void write(char[] cbuf, int off, int len) throws IOException {
    w.write(cbuf, off, len);
  }

  @Override
  public void flush() throws IOException {
    w.flush();
  }

  @Override
  public void close() throws IOException {
    w.flush();
  }
}
