package dev.haetae.moderation.api;

import java.util.Objects;

/**
 * Thrown when input handed to Haetae is malformed: a null or blank id, an empty report, a hash of
 * the wrong length, a text over its limit. The message names the field and the problem, and
 * {@link #field()} gives the field alone so that a host can map it to its own error format.
 *
 * <p>Throwing this exception never changes the engine's state: nothing is logged, stored or acted
 * on for the rejected input, and everything accepted before stays as it was.
 *
 * @since 0.1
 */
public class InvalidRequestException extends ModerationException {
  private static final long serialVersionUID = 1L;

  /** The offending field path. */
  private final String field;

  /**
   * Creates the exception.
   *
   * @param field the dotted path of the offending field, e.g. {@code "report.text"}; not null
   * @param problem what is wrong with it, e.g. {@code "must not be blank"}; not null
   */
  public InvalidRequestException(String field, String problem) {
    super(Objects.requireNonNull(field, "field") + " " + Objects.requireNonNull(problem, "problem"));
    this.field = field;
  }

  /**
   * The offending field.
   *
   * @return the dotted field path given at construction; never null
   */
  public String field() {
    return field;
  }

  /**
   * Checks that {@code value} is not null.
   *
   * @param <T> the value's type
   * @param field the field name used in the message
   * @param value the value to check
   * @return {@code value}
   * @throws InvalidRequestException when {@code value} is null
   */
  public static <T> T requireNonNull(String field, T value) {
    if (value == null) {
      throw new InvalidRequestException(field, "must not be null");
    }
    return value;
  }
}
