package dev.haetae.moderation.api;

/**
 * The id of someone who reports content: a user account or a registered organisation such as a trusted flagger.
 *
 * <p>Ids are opaque to Haetae: it compares them for equality and never parses them. The decision
 * log never stores them raw; it stores a keyed pseudonym instead (see the Pseudonymizer SPI).
 * Immutable and thread-safe.
 *
 * @param value the host's id; not null, not blank, at most {@value Ids#MAX_ID_CHARS} characters
 * @since 0.1
 */
public record ReporterId(String value) {

  /**
   * Validates.
   *
   * @param value the value component, as described on the record
   * @throws InvalidRequestException when {@code value} is null, blank or too long
   */
  public ReporterId {
    Ids.check("reporterId", value);
  }

  /**
   * Creates an id.
   *
   * @param value the host's id; not null, not blank
   * @return the id
   * @throws InvalidRequestException when {@code value} is null, blank or too long
   */
  public static ReporterId of(String value) {
    return new ReporterId(value);
  }

  /** Returns the raw value. */
  @Override
  public String toString() {
    return value;
  }
}
