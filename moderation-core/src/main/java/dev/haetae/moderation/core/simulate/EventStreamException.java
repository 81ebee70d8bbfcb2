package dev.haetae.moderation.core.simulate;

import dev.haetae.moderation.api.InvalidRequestException;

/**
 * A malformed line in an event stream: bad JSON, a missing required field, an unknown value, or an
 * event earlier than the one before it. Names the line number.
 *
 * @since 0.1
 */
public final class EventStreamException extends InvalidRequestException {
  private static final long serialVersionUID = 1L;

  /** The 1-based line number. */
  private final int line;

  /**
   * Creates the exception.
   *
   * @param line the 1-based line number
   * @param field the offending field, or {@code "line"} for the line as a whole; not null
   * @param problem what is wrong; not null
   */
  public EventStreamException(int line, String field, String problem) {
    super("line " + line + ": " + field, problem);
    this.line = line;
  }

  /**
   * The 1-based line number of the malformed event.
   *
   * @return the line number
   */
  public int line() {
    return line;
  }
}
