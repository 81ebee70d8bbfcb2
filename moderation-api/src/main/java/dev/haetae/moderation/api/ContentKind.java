package dev.haetae.moderation.api;

/**
 * What kind of content an item is.
 *
 * <p>Each constant has a lower-case wire name (its name in lower case) used in event streams, logs
 * and exports.
 *
 * @since 0.1
 */
public enum ContentKind {
  /** A still image. */
  IMAGE,
  /** A video. */
  VIDEO,
  /** A text message. */
  TEXT,
  /** Any other file. */
  FILE,
  /** A user's profile photo. */
  PROFILE_PHOTO;

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
  public static ContentKind fromWire(String wire) {
    return WireName.parse(ContentKind.class, "kind", wire);
  }
}
