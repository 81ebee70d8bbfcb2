package dev.haetae.moderation.api;

/**
 * Where content is posted; laws and policies treat public and private spaces differently.
 *
 * <p>Each constant has a lower-case wire name (its name in lower case) used in event streams, logs
 * and exports.
 *
 * @since 0.1
 */
public enum Surface {
  /** A public channel or any space anyone can read. */
  PUBLIC_CHANNEL,
  /** A group chat with invited members. */
  GROUP,
  /** A one-to-one conversation. */
  DIRECT;

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
  public static Surface fromWire(String wire) {
    return WireName.parse(Surface.class, "surface", wire);
  }
}
