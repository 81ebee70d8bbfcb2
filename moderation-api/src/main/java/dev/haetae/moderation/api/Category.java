package dev.haetae.moderation.api;

/**
 * The kind of harm a report, a notice, a bank or a decision is about.
 *
 * <p>Each constant has a lower-case wire name (its name in lower case) used in event streams, logs
 * and exports.
 *
 * @since 0.1
 */
public enum Category {
  /** Non-consensual intimate imagery. */
  NCII,
  /** Synthetic or manipulated sexual imagery of a real person. */
  SEXUAL_DEEPFAKE,
  /** Child sexual abuse material. */
  CSAM,
  /** Terrorist content. */
  TERRORISM,
  /** Harassment or bullying. */
  HARASSMENT,
  /** Publication of a person's identifying or locating information. */
  DOXXING,
  /** Spam or scams. */
  SPAM,
  /** Anything else. */
  OTHER;

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
  public static Category fromWire(String wire) {
    return WireName.parse(Category.class, "category", wire);
  }
}
