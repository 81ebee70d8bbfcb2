package dev.haetae.moderation.api;

/**
 * The id Haetae gives one decision; unique within one decision log, stable across replays.
 *
 * <p>Ids are opaque to Haetae: it compares them for equality and never parses them. The decision
 * log never stores them raw; it stores a keyed pseudonym instead (see the Pseudonymizer SPI).
 * Immutable and thread-safe.
 *
 * @param value the host's id; not null, not blank, at most {@value Ids#MAX_ID_CHARS} characters
 * @since 0.1
 */
public record DecisionId(String value) {

  /**
   * Validates.
   *
   * @param value the value component, as described on the record
   * @throws InvalidRequestException when {@code value} is null, blank or too long
   */
  public DecisionId {
    Ids.check("decisionId", value);
  }

  /**
   * Creates an id.
   *
   * @param value the host's id; not null, not blank
   * @return the id
   * @throws InvalidRequestException when {@code value} is null, blank or too long
   */
  public static DecisionId of(String value) {
    return new DecisionId(value);
  }

  /** Returns the raw value. */
  @Override
  public String toString() {
    return value;
  }
}
