package dev.haetae.moderation.api;

/**
 * Thrown when input exceeds one of the configured {@link Limits}: too many bytes or pixels, a text
 * or a list that is too long. The message names the field, the limit and the actual size.
 *
 * @since 0.1
 */
public class LimitExceededException extends InvalidRequestException {
  private static final long serialVersionUID = 1L;

  /** The configured maximum. */
  private final long limit;
  /** The size seen. */
  private final long actual;

  /**
   * Creates the exception.
   *
   * @param field the dotted path of the offending field; not null
   * @param limit the configured maximum
   * @param actual the size that was seen (or a lower bound of it)
   */
  public LimitExceededException(String field, long limit, long actual) {
    super(field, "exceeds its limit of " + limit + " (got " + actual + ")");
    this.limit = limit;
    this.actual = actual;
  }

  /**
   * The configured maximum that was exceeded.
   *
   * @return the limit
   */
  public long limit() {
    return limit;
  }

  /**
   * The size that was seen.
   *
   * @return the actual size, or a lower bound of it when reading stopped early
   */
  public long actual() {
    return actual;
  }
}
