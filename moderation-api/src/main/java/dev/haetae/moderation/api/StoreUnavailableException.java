package dev.haetae.moderation.api;

/**
 * Thrown when a shared store (reporter reputation, obligations, evidence holds, bank contents) kept
 * outside the process cannot be read or written, for example because its database is restarting or
 * unreachable. The operation that failed changed nothing in the store (its transaction was rolled
 * back).
 *
 * <p>When {@code evaluate} throws it, the decision was never handed to the host's action executor.
 * Most store reads happen while the evidence is gathered, before the decision is logged; a failure
 * there leaves nothing logged, and the request may be retried once the store is back. A failure
 * while the decision's effects are recorded (obligations fulfilled, holds placed, reports settled)
 * comes after the decision was logged: the message then names the logged decision, and the effects
 * recorded before the failure stay recorded (each is a transaction of its own).
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
