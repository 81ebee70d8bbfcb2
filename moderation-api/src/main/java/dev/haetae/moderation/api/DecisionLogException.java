package dev.haetae.moderation.api;

/**
 * Thrown when the decision log cannot durably record a decision (disk full, I/O error, database
 * unavailable) or cannot be read back. When {@code evaluate} throws it, the decision was not
 * recorded and none of its actions were handed to the host.
 *
 * @since 0.1
 */
public class DecisionLogException extends ModerationException {
  private static final long serialVersionUID = 1L;

  /**
   * Creates the exception.
   *
   * @param message what failed and where (segment, sequence number); may be null
   * @param cause the underlying failure; may be null
   */
  public DecisionLogException(String message, Throwable cause) {
    super(message, cause);
  }
}
