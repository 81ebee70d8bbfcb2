package dev.haetae.moderation.api.observe;

import java.util.Objects;

/**
 * An evaluation that threw instead of returning a decision. Immutable and thread-safe.
 *
 * @param requestType the request's type, or {@code invalid} when the request was null; not null
 * @param stage the stage that threw; not null
 * @param exception the simple name of the exception's class, e.g. {@code InvalidRequestException};
 *     not null
 * @since 0.2
 */
public record EvaluationFailure(String requestType, Stage stage, String exception) {
  /**
   * Validates.
   *
   * @param requestType the requestType component, as described on the record
   * @param stage the stage component, as described on the record
   * @param exception the exception component, as described on the record
   * @throws NullPointerException when a component is null
   */
  public EvaluationFailure {
    Objects.requireNonNull(requestType, "requestType");
    Objects.requireNonNull(stage, "stage");
    Objects.requireNonNull(exception, "exception");
  }
}
