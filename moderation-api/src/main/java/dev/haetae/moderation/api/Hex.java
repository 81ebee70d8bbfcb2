package dev.haetae.moderation.api;

/** Hex parsing shared by the fingerprint records; not part of the public API. */
final class Hex {
  private Hex() {}

  /**
   * Parses {@code hex} (exactly {@code 16 * words.length} hex digits, either case) into big-endian
   * 64-bit words: {@code words[0]} receives the first 16 digits.
   *
   * @throws InvalidRequestException naming {@code field} when the text is null, of the wrong length
   *     or holds a non-hex character
   */
  static long[] parse(String field, String hex, int words) {
    if (hex == null) {
      throw new InvalidRequestException(field, "must not be null");
    }
    int digits = words * 16;
    if (hex.length() != digits) {
      throw new InvalidRequestException(
          field, "must be " + digits + " hex digits, got " + hex.length() + " characters");
    }
    long[] out = new long[words];
    for (int i = 0; i < digits; i++) {
      int d = Character.digit(hex.charAt(i), 16);
      if (d < 0) {
        throw new InvalidRequestException(
            field, "holds a non-hex character '" + hex.charAt(i) + "' at index " + i);
      }
      out[i / 16] = (out[i / 16] << 4) | d;
    }
    return out;
  }

  static String format(long... words) {
    StringBuilder sb = new StringBuilder(words.length * 16);
    for (long w : words) {
      String s = Long.toHexString(w);
      for (int pad = s.length(); pad < 16; pad++) {
        sb.append('0');
      }
      sb.append(s);
    }
    return sb.toString();
  }
}
