package dev.haetae.moderation.api;

/**
 * The root of every exception Haetae throws on purpose. A host can catch this one type to handle
 * any library failure; subtypes say what went wrong and where.
 *
 * <p>Unchecked, so that records and functional SPIs stay easy to use. Instances are immutable and
 * safe to share between threads once thrown.
 *
 * @since 0.1
 */
public class ModerationException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  /**
   * Creates an exception with a message.
   *
   * @param message what went wrong, in words a host's operator can act on; may be null
   */
  public ModerationException(String message) {
    super(message);
  }

  /**
   * Creates an exception with a message and a cause.
   *
   * @param message what went wrong; may be null
   * @param cause the underlying failure; may be null
   */
  public ModerationException(String message, Throwable cause) {
    super(message, cause);
  }
}
