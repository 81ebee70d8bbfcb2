package dev.haetae.moderation.api;

/**
 * An MD5 digest of content bytes. MD5 is broken as a cryptographic hash but remains the exact-match
 * format of several shared hash lists (e.g. video MD5 lists), so Haetae matches on it. Held as two
 * big-endian 64-bit words. Immutable and thread-safe.
 *
 * @param hi bytes 0..7
 * @param lo bytes 8..15
 * @since 0.1
 */
public record Md5(long hi, long lo) {

  /**
   * Parses 32 hex digits (either case).
   *
   * @param hex the digest in hex; not null
   * @return the digest
   * @throws InvalidRequestException when {@code hex} is null, not 32 characters, or not hex
   */
  public static Md5 fromHex(String hex) {
    long[] w = Hex.parse("md5", hex, 2);
    return new Md5(w[0], w[1]);
  }

  /**
   * Wraps a raw 16-byte digest.
   *
   * @param digest 16 bytes; not null; not retained
   * @return the digest
   * @throws InvalidRequestException when {@code digest} is null or not 16 bytes
   */
  public static Md5 fromBytes(byte[] digest) {
    InvalidRequestException.requireNonNull("md5", digest);
    if (digest.length != 16) {
      throw new InvalidRequestException("md5", "must be 16 bytes, got " + digest.length);
    }
    return new Md5(Bytes.word(digest, 0), Bytes.word(digest, 8));
  }

  /**
   * The canonical form: 32 lower-case hex digits.
   *
   * @return the hex form; never null
   */
  public String toHex() {
    return Hex.format(hi, lo);
  }

  /** Returns {@link #toHex()}. */
  @Override
  public String toString() {
    return toHex();
  }
}
