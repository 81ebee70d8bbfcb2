package dev.haetae.moderation.api;

import java.util.Objects;

/**
 * Thrown by {@code evaluate} when the host's action executor failed. The decision was already
 * durable in the log; it is attached so that the host can retry its actions.
 *
 * @since 0.1
 */
public class ActionExecutionException extends ModerationException {
  private static final long serialVersionUID = 1L;

  private final transient Decision decision;

  /**
   * Creates the exception.
   *
   * @param decision the logged decision whose actions failed; not null
   * @param cause the executor's exception; may be null
   */
  public ActionExecutionException(Decision decision, Throwable cause) {
    super("action executor failed for decision " + Objects.requireNonNull(decision, "decision").id()
        + "; the decision is logged and its actions can be retried", cause);
    this.decision = decision;
  }

  /**
   * The logged decision whose actions were not (all) carried out.
   *
   * @return the decision; null only if the exception was deserialized
   */
  public Decision decision() {
    return decision;
  }
}
