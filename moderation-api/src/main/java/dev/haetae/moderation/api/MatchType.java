package dev.haetae.moderation.api;

/**
 * The kind of fingerprint a hash-bank entry holds and a match was found on.
 *
 * @since 0.1
 */
public enum MatchType {
  /** PDQ perceptual hash of an image, matched within a Hamming distance. */
  PDQ,
  /** MD5 of the bytes, exact. */
  MD5,
  /** SHA-256 of the bytes, exact. */
  SHA256,
  /** MD5 of a video file's bytes, exact (a distinct list type in shared video hash lists). */
  VIDEO_MD5;

  /**
   * The lower-case wire name.
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
   * @throws InvalidRequestException when unknown
   */
  public static MatchType fromWire(String wire) {
    return WireName.parse(MatchType.class, "signal_type", wire);
  }
}
