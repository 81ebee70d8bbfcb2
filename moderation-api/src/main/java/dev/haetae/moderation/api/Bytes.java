package dev.haetae.moderation.api;

/** Byte helpers for the fingerprint records; not part of the public API. */
final class Bytes {
  private Bytes() {}

  static long word(byte[] b, int off) {
    long w = 0;
    for (int i = 0; i < 8; i++) {
      w = (w << 8) | (b[off + i] & 0xFFL);
    }
    return w;
  }
}
