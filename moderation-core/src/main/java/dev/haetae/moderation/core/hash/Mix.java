package dev.haetae.moderation.core.hash;

/** Deterministic 64-bit mixing (SplitMix64's finaliser), for digests and rollout selection. */
final class Mix {
  private Mix() {}

  static long mix(long z) {
    z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
    z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
    return z ^ (z >>> 31);
  }

  static long of(long seed, long... words) {
    long h = mix(seed);
    for (long w : words) {
      h = mix(h ^ w) + 0x9E3779B97F4A7C15L;
    }
    return h;
  }

  /** A mix of four words without varargs (bulk paths). */
  static long of(long w0, long w1, long w2, long w3) {
    long h = mix(w0 + 0x9E3779B97F4A7C15L);
    h = mix(h ^ w1);
    h = mix(h ^ w2);
    return mix(h ^ w3);
  }

  /** FNV-1a 64 of a string, stable across JVMs. */
  static long of(String s) {
    long h = 0xcbf29ce484222325L;
    for (int i = 0; i < s.length(); i++) {
      h ^= s.charAt(i);
      h *= 0x100000001b3L;
    }
    return mix(h);
  }

  /** Maps a hash to [0, 1). */
  static double unit(long h) {
    return (h >>> 11) * 0x1.0p-53;
  }
}
