package dev.haetae.moderation.api;

/**
 * Who sent a legal notice; instruments restrict who may send them.
 *
 * <p>Each constant has a lower-case wire name (its name in lower case) used in event streams, logs
 * and exports.
 *
 * @since 0.1
 */
public enum NoticeSender {
  /** The person depicted or harmed. */
  VICTIM,
  /** Someone authorised to act for the victim. */
  AUTHORISED_PERSON,
  /** A registered trusted flagger organisation (DSA Art. 22 or a designated national body). */
  TRUSTED_FLAGGER,
  /** A regulator or administrative authority. */
  REGULATOR,
  /** A court. */
  COURT,
  /** A police or law enforcement authority. */
  POLICE,
  /** Any other user. */
  USER;

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
  public static NoticeSender fromWire(String wire) {
    return WireName.parse(NoticeSender.class, "sender", wire);
  }
}
