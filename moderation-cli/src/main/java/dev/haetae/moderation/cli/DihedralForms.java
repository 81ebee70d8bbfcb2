package dev.haetae.moderation.cli;

import dev.haetae.moderation.api.PdqHash;
import java.util.ArrayList;
import java.util.List;

/**
 * The bench's model of index-time dihedral augmentation, from hash bits alone.
 *
 * <p>A PDQ hash sets bit {@code i * 16 + j} when DCT coefficient {@code (i, j)} is above the
 * median. The dihedral transforms of an image transpose the coefficient block and negate the
 * coefficients of odd frequency along the flipped axis ({@code PdqCore.dihedral}). From the bits
 * alone a transpose is exact (the median does not move), but a negation can only be approximated by
 * complementing the bit: the true form's median moves, so a true form and this approximation
 * differ by some bits (0-40 measured on the corpus originals). For the cost of a search this does
 * not matter: an augmented bank holds eight stored forms per entry either way. Package-private,
 * stateless, thread-safe.
 */
final class DihedralForms {
  /** The eight elements, 0 the identity, in {@code PdqCore.dihedral}'s order. */
  static final int COUNT = 8;

  /** Farther than this from a hash, a hash is not a near variant of it (random pairs are ~128 apart). */
  static final int FAR = 64;

  private DihedralForms() {}

  /**
   * Writes the bit-derived form {@code op} of the hash at {@code in[from..from+3]} (word order
   * {@code w0..w3}) to {@code out[to..to+3]}.
   *
   * @throws IllegalArgumentException when {@code op} is not 0..7
   */
  static void form(long[] in, int from, int op, long[] out, int to) {
    if (op < 0 || op >= COUNT) {
      throw new IllegalArgumentException("dihedral op " + op + " is not 0..7");
    }
    long o0 = 0;
    long o1 = 0;
    long o2 = 0;
    long o3 = 0;
    for (int i = 0; i < 16; i++) {
      boolean iOdd = (i & 1) == 0; // frequency i + 1 is odd
      for (int j = 0; j < 16; j++) {
        boolean jOdd = (j & 1) == 0;
        boolean swap = op == 1 || op == 3 || op == 6 || op == 7;
        boolean negate;
        switch (op) {
          case 1:
          case 4:
            negate = jOdd;
            break;
          case 3:
          case 5:
            negate = iOdd;
            break;
          case 2:
          case 7:
            negate = iOdd != jOdd;
            break;
          default:
            negate = false;
        }
        int src = swap ? j * 16 + i : i * 16 + j;
        long bit = (in[from + (src >>> 6)] >>> (src & 63)) & 1L;
        if (negate) {
          bit ^= 1L;
        }
        int k = i * 16 + j;
        long v = bit << (k & 63);
        switch (k >>> 6) {
          case 0:
            o0 |= v;
            break;
          case 1:
            o1 |= v;
            break;
          case 2:
            o2 |= v;
            break;
          default:
            o3 |= v;
        }
      }
    }
    out[to] = o0;
    out[to + 1] = o1;
    out[to + 2] = o2;
    out[to + 3] = o3;
  }

  /** The bit-derived form {@code op} of {@code h}. */
  static PdqHash form(PdqHash h, int op) {
    long[] w = {h.w0(), h.w1(), h.w2(), h.w3()};
    long[] o = new long[4];
    form(w, 0, op, o, 0);
    return new PdqHash(o[3], o[2], o[1], o[0]);
  }

  /** All eight elements: a query then needs no turn of its own. */
  static final int[] ALL = {0, 1, 2, 3, 4, 5, 6, 7};

  /**
   * The flips (identity, rotation by 180, left-right, top-bottom): with these stored, a query
   * needs only itself and its transpose, which is exact from the hash's bits (element 6).
   */
  static final int[] FLIPS = {0, 2, 4, 5};

  /** The transpose, the one element whose form the bits give exactly. */
  static final int TRANSPOSE = 6;

  /**
   * An augmented bank's words: for each of the {@code n} hashes of {@code words}, its forms
   * {@code ops} in that order, so {@code ops.length * n} hashes.
   */
  static long[] augment(long[] words, int n, int[] ops) {
    long[] out = new long[4 * ops.length * n];
    for (int i = 0; i < n; i++) {
      for (int k = 0; k < ops.length; k++) {
        form(words, 4 * i, ops[k], out, 4 * (ops.length * i + k));
      }
    }
    return out;
  }

  /**
   * The hashes of an image a query needs against an augmented bank: its main hash first, then
   * each variant that is not a dihedral turn of a hash already kept. A variant counts as a turn of
   * a kept hash when it lies within {@link #FAR} bits of one of that hash's seven other
   * bit-derived forms but farther from the hash itself (a near variant such as a softer blur or a
   * caption paint-out stays near the main hash and is kept).
   */
  static List<PdqHash> nonDihedral(PdqHash main, List<PdqHash> variants) {
    List<PdqHash> kept = new ArrayList<>();
    List<PdqHash[]> forms = new ArrayList<>();
    kept.add(main);
    forms.add(forms(main));
    for (PdqHash v : variants) {
      boolean turn = false;
      for (int r = 0; r < kept.size() && !turn; r++) {
        if (v.distance(kept.get(r)) <= FAR) {
          continue;
        }
        for (PdqHash f : forms.get(r)) {
          if (v.distance(f) <= FAR) {
            turn = true;
            break;
          }
        }
      }
      if (!turn) {
        kept.add(v);
        forms.add(forms(v));
      }
    }
    return kept;
  }

  private static PdqHash[] forms(PdqHash h) {
    PdqHash[] f = new PdqHash[COUNT - 1];
    for (int op = 1; op < COUNT; op++) {
      f[op - 1] = form(h, op);
    }
    return f;
  }
}
