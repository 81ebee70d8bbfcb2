package dev.haetae.moderation.api;

/**
 * A human moderator's verdict on reported or flagged content.
 *
 * <p>Each constant has a lower-case wire name (its name in lower case) used in event streams, logs
 * and exports.
 *
 * @since 0.1
 */
public enum Verdict {
  /** The content violates the law or the terms of service. */
  VIOLATING,
  /** The content does not violate anything; reports of it were unfounded. */
  NOT_VIOLATING;

  /**
   * The lower-case wire name, e.g. in event streams and logs.
   *
   * @return the wire name; never null
   */
  public String wireName() {
    return WireName.of(this);
  }

  /**
   * Parses a wire name (case-insensitive).
   *
   * @param wire the wire name; not null
   * @return the constant
   * @throws InvalidRequestException naming the allowed values when {@code wire} is null or unknown
   */
  public static Verdict fromWire(String wire) {
    return WireName.parse(Verdict.class, "verdict", wire);
  }
}
