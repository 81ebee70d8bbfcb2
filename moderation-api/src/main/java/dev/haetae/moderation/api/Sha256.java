package dev.haetae.moderation.api;

/**
 * A SHA-256 digest of content bytes, for exact-copy matching. Held as four big-endian 64-bit words
 * ({@code a} is the first 8 bytes). Immutable and thread-safe.
 *
 * @param a bytes 0..7
 * @param b bytes 8..15
 * @param c bytes 16..23
 * @param d bytes 24..31
 * @since 0.1
 */
public record Sha256(long a, long b, long c, long d) {

  /**
   * Parses 64 hex digits (either case).
   *
   * @param hex the digest in hex; not null
   * @return the digest
   * @throws InvalidRequestException when {@code hex} is null, not 64 characters, or not hex
   */
  public static Sha256 fromHex(String hex) {
    long[] w = Hex.parse("sha256", hex, 4);
    return new Sha256(w[0], w[1], w[2], w[3]);
  }

  /**
   * Wraps a raw 32-byte digest.
   *
   * @param digest 32 bytes, as returned by {@code MessageDigest}; not null; not retained
   * @return the digest
   * @throws InvalidRequestException when {@code digest} is null or not 32 bytes
   */
  public static Sha256 fromBytes(byte[] digest) {
    InvalidRequestException.requireNonNull("sha256", digest);
    if (digest.length != 32) {
      throw new InvalidRequestException("sha256", "must be 32 bytes, got " + digest.length);
    }
    return new Sha256(Bytes.word(digest, 0), Bytes.word(digest, 8), Bytes.word(digest, 16),
        Bytes.word(digest, 24));
  }

  /**
   * The canonical form: 64 lower-case hex digits.
   *
   * @return the hex form; never null
   */
  public String toHex() {
    return Hex.format(a, b, c, d);
  }

  /** Returns {@link #toHex()}. */
  @Override
  public String toString() {
    return toHex();
  }
}
