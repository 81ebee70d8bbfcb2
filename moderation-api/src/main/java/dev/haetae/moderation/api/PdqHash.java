package dev.haetae.moderation.api;

/**
 * A 256-bit PDQ perceptual hash, as used by StopNCII, NCMEC, TCAP and GIFCT hash lists.
 *
 * <p>The hash is held as four 64-bit words in the order of its canonical 64-digit hex form:
 * {@code w3} holds the first 16 hex digits (bits 255..192), {@code w0} the last 16 (bits 63..0).
 * Bit {@code i} is therefore bit {@code i % 64} of word {@code i / 64}, which matches the reference
 * implementation's layout of sixteen 16-bit words printed from the highest index down.
 *
 * <p>Immutable and thread-safe. Equality is bitwise.
 *
 * @param w3 bits 255..192 (hex digits 0..15)
 * @param w2 bits 191..128 (hex digits 16..31)
 * @param w1 bits 127..64 (hex digits 32..47)
 * @param w0 bits 63..0 (hex digits 48..63)
 * @since 0.1
 */
public record PdqHash(long w3, long w2, long w1, long w0) {

  /** The number of bits in a PDQ hash. */
  public static final int BITS = 256;

  /**
   * Parses the canonical 64-digit hex form (either case).
   *
   * @param hex 64 hex digits; not null
   * @return the hash
   * @throws InvalidRequestException when {@code hex} is null, not 64 characters, or not hex
   */
  public static PdqHash fromHex(String hex) {
    long[] w = Hex.parse("pdq", hex, 4);
    return new PdqHash(w[0], w[1], w[2], w[3]);
  }

  /**
   * The canonical form: 64 lower-case hex digits.
   *
   * @return the hex form; never null
   */
  public String toHex() {
    return Hex.format(w3, w2, w1, w0);
  }

  /**
   * Returns bit {@code i}.
   *
   * @param i the bit index, 0..255
   * @return whether the bit is set
   * @throws IndexOutOfBoundsException when {@code i} is outside 0..255
   */
  public boolean bit(int i) {
    if (i < 0 || i >= BITS) {
      throw new IndexOutOfBoundsException("bit " + i + " outside 0..255");
    }
    return ((word(i >>> 6) >>> (i & 63)) & 1L) != 0;
  }

  /**
   * Returns word {@code k}: 0 for bits 63..0 up to 3 for bits 255..192.
   *
   * @param k the word index, 0..3
   * @return the word
   * @throws IndexOutOfBoundsException when {@code k} is outside 0..3
   */
  public long word(int k) {
    switch (k) {
      case 0:
        return w0;
      case 1:
        return w1;
      case 2:
        return w2;
      case 3:
        return w3;
      default:
        throw new IndexOutOfBoundsException("word " + k + " outside 0..3");
    }
  }

  /**
   * The Hamming distance to another hash: the number of differing bits, 0..256.
   *
   * @param other the other hash; not null
   * @return the distance
   */
  public int distance(PdqHash other) {
    return Long.bitCount(w0 ^ other.w0)
        + Long.bitCount(w1 ^ other.w1)
        + Long.bitCount(w2 ^ other.w2)
        + Long.bitCount(w3 ^ other.w3);
  }

  /**
   * The number of set bits. Hash lists reject all-zero and all-one hashes, which no real image
   * produces, and banks may use this to spot degenerate entries.
   *
   * @return 0..256
   */
  public int bitCount() {
    return Long.bitCount(w0) + Long.bitCount(w1) + Long.bitCount(w2) + Long.bitCount(w3);
  }

  /** Returns {@link #toHex()}. */
  @Override
  public String toString() {
    return toHex();
  }
}
