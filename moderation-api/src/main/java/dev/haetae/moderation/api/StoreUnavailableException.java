package dev.haetae.moderation.api;

/**
 * Thrown when a shared store (reporter reputation, obligations, evidence holds, bank contents) kept
 * outside the process cannot be read or written, for example because its database is restarting or
 * unreachable. The operation that failed changed nothing in the store (its transaction was rolled
 * back); when {@code evaluate} throws it, the decision was neither logged nor handed to the host, and
 * the same request may be retried once the store is back.
 *
 * @since 0.1
 */
public class StoreUnavailableException extends ModerationException {
  private static final long serialVersionUID = 1L;

  /**
   * Creates the exception.
   *
   * @param message which store and which operation failed; may be null
   * @param cause the underlying failure; may be null
   */
  public StoreUnavailableException(String message, Throwable cause) {
    super(message, cause);
  }
}
