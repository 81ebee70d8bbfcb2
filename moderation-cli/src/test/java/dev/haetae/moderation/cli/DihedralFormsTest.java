package dev.haetae.moderation.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.haetae.moderation.api.Pdq;
import dev.haetae.moderation.api.PdqHash;
import dev.haetae.moderation.core.hash.ImageHasher;
import java.nio.file.Path;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class DihedralFormsTest {
  /** op then its inverse: 1 and 3 are each other's, every other element is its own. */
  private static final int[] INVERSE = {0, 3, 2, 1, 4, 5, 6, 7};

  /** op a then op b equals op {@code COMPOSE[a][b]}, checked on coefficient positions and signs. */
  @Test
  void bitDerivedFormsFormTheDihedralGroup() {
    SplittableRandom rnd = new SplittableRandom(18);
    for (int n = 0; n < 500; n++) {
      PdqHash h = new PdqHash(rnd.nextLong(), rnd.nextLong(), rnd.nextLong(), rnd.nextLong());
      assertEquals(h, DihedralForms.form(h, 0));
      for (int op = 1; op < DihedralForms.COUNT; op++) {
        PdqHash f = DihedralForms.form(h, op);
        assertEquals(h, DihedralForms.form(f, INVERSE[op]), "op " + op + " undone by " + INVERSE[op]);
      }
      // rotating by 90 twice is rotating by 180; a transpose keeps the number of set bits
      assertEquals(DihedralForms.form(h, 2), DihedralForms.form(DihedralForms.form(h, 1), 1));
      assertEquals(Long.bitCount(h.w0()) + Long.bitCount(h.w1()) + Long.bitCount(h.w2()) + Long.bitCount(h.w3()),
          bits(DihedralForms.form(h, 6)));
      // a flip complements exactly the 128 bits of odd frequency on its axis
      assertEquals(128, h.distance(DihedralForms.form(h, 4)));
      assertEquals(128, h.distance(DihedralForms.form(h, 5)));
    }
  }

  @Test
  void augmentWritesEightFormsPerHashTheHashFirst() {
    SplittableRandom rnd = new SplittableRandom(7);
    long[] w = new long[4 * 3];
    for (int i = 0; i < w.length; i++) {
      w[i] = rnd.nextLong();
    }
    for (int[] ops : new int[][] {DihedralForms.ALL, DihedralForms.FLIPS}) {
      long[] a = DihedralForms.augment(w, 3, ops);
      assertEquals(4 * ops.length * 3, a.length);
      for (int i = 0; i < 3; i++) {
        PdqHash h = new PdqHash(w[4 * i + 3], w[4 * i + 2], w[4 * i + 1], w[4 * i]);
        for (int k = 0; k < ops.length; k++) {
          int b = 4 * (ops.length * i + k);
          assertEquals(DihedralForms.form(h, ops[k]), new PdqHash(a[b + 3], a[b + 2], a[b + 1], a[b]));
        }
      }
    }
  }

  /** The flips and the transpose reach every element: the four stored flips, each queried as is and transposed. */
  @Test
  void theFlipsAndTheTransposeCoverTheGroup() {
    SplittableRandom rnd = new SplittableRandom(3);
    PdqHash h = new PdqHash(rnd.nextLong(), rnd.nextLong(), rnd.nextLong(), rnd.nextLong());
    java.util.Set<PdqHash> all = new java.util.HashSet<>();
    for (int op : DihedralForms.ALL) {
      all.add(DihedralForms.form(h, op));
    }
    java.util.Set<PdqHash> covered = new java.util.HashSet<>();
    for (int op : DihedralForms.FLIPS) {
      covered.add(DihedralForms.form(h, op));
      covered.add(DihedralForms.form(DihedralForms.form(h, op), DihedralForms.TRANSPOSE));
    }
    assertEquals(8, all.size());
    assertEquals(all, covered);
  }

  @Test
  void anUnknownElementIsRefused() {
    assertThrows(IllegalArgumentException.class, () -> DihedralForms.form(new PdqHash(1, 2, 3, 4), 8));
    assertThrows(IllegalArgumentException.class, () -> DihedralForms.form(new PdqHash(1, 2, 3, 4), -1));
  }

  /** A photo's 18 hashes: the main hash, its near variants kept, their true turns dropped. */
  @Test
  void aPhotosTurnsAreDroppedAndItsNearVariantsKept() throws Exception {
    Pdq p = ImageHasher.create()
        .fingerprint(Path.of("../moderation-core/src/test/resources/pdq/corpus/originals/storm.jpg"))
        .pdq().orElseThrow();
    List<PdqHash> kept = DihedralForms.nonDihedral(p.hash(), p.queryVariants());
    assertEquals(p.hash(), kept.get(0));
    assertTrue(kept.size() < 1 + p.queryVariants().size(), kept.size() + " of " + (1 + p.queryVariants().size()));
    // what is dropped is a turn of something kept; what is kept has no turn of another kept hash near it
    for (PdqHash v : p.queryVariants()) {
      boolean nearATurn = false;
      for (PdqHash k : kept) {
        for (int op = 1; op < 8; op++) {
          nearATurn |= v.distance(k) > DihedralForms.FAR && v.distance(DihedralForms.form(k, op)) <= DihedralForms.FAR;
        }
      }
      assertEquals(!kept.contains(v), nearATurn, v.toHex());
    }
    // the seven true turns of the main hash are all dropped
    int mainTurnsKept = 0;
    for (int i = 0; i < 7 && i < p.queryVariants().size(); i++) {
      if (kept.contains(p.queryVariants().get(i))) {
        mainTurnsKept++;
      }
    }
    assertEquals(0, mainTurnsKept);
  }

  private static int bits(PdqHash h) {
    return Long.bitCount(h.w0()) + Long.bitCount(h.w1()) + Long.bitCount(h.w2()) + Long.bitCount(h.w3());
  }
}
