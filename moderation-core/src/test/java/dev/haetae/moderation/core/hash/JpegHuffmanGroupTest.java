package dev.haetae.moderation.core.hash;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import javax.imageio.plugins.jpeg.JPEGHuffmanTable;
import org.junit.jupiter.api.Test;

/**
 * The skip path's lookup entries ({@link JpegDcDecoder.Huffman#fast} of an AC table) against a
 * canonical symbol-by-symbol decode written here from the code lengths alone: for every 12-bit
 * pattern, followed by seeded random bits, an entry must take exactly the bits of whole symbols
 * (code and magnitude), every code inside the looked-up bits, at most
 * {@link JpegDcDecoder.Huffman#GROUP_BITS} in all (only the last symbol's magnitude may run past
 * the lookup), with their coefficient advance and its end-of-block flag; an unresolved entry only
 * where the first symbol cannot be taken that way. Tables: the example tables of ITU T.81 Annex K
 * (which most files carry) and seeded random canonical tables, including odd symbols (magnitudes
 * over 10 bits, runs of sixteen, size-0 symbols other than the end of block).
 * {@code -Dhaetae.fuzz.seed=N} explores another sequence.
 */
class JpegHuffmanGroupTest {
  private static final long SEED = Long.getLong("haetae.fuzz.seed", 0x6A0F_5EEDL);
  private static final int RANDOM_TABLES = 60;
  private static final int CONTINUATIONS = 3;

  @Test
  void annexKTablesGroupWholeSymbols() {
    Random random = new Random(SEED);
    int partial = 0;
    for (JPEGHuffmanTable t : new JPEGHuffmanTable[] {JPEGHuffmanTable.StdACLuminance,
        JPEGHuffmanTable.StdACChrominance}) {
      int[] counts = new int[17];
      short[] lengths = t.getLengths();
      for (int l = 1; l <= 16; l++) {
        counts[l] = lengths[l - 1];
      }
      short[] values = t.getValues();
      int[] symbols = new int[values.length];
      for (int k = 0; k < values.length; k++) {
        symbols[k] = values[k] & 0xff;
      }
      partial += check(counts, symbols, random);
    }
    // The premise of the groups that end inside a magnitude: the standard tables have such codes.
    assertTrue(partial > 0, "no group ended with a magnitude past the lookup");
  }

  @Test
  void randomCanonicalTablesGroupWholeSymbols() {
    Random random = new Random(SEED);
    int partial = 0;
    for (int n = 0; n < RANDOM_TABLES; n++) {
      int total = 2 + random.nextInt(161);
      int[] counts = new int[17];
      int code = 0;
      int placed = 0;
      for (int l = 1; l <= 16 && placed < total; l++) {
        int room = (1 << l) - code;
        // the last length takes what is left; earlier ones a random share, never all the room
        int c = l == 16 ? Math.min(room, total - placed)
            : Math.min(total - placed, random.nextInt(Math.max(1, Math.min(room - 1, 12)) + 1));
        c = Math.max(0, Math.min(c, room - (l == 16 ? 0 : 1)));
        counts[l] = c;
        placed += c;
        code = (code + c) << 1;
      }
      List<Integer> pool = new ArrayList<>();
      for (int s = 0; s < 256; s++) {
        pool.add(s);
      }
      java.util.Collections.shuffle(pool, random);
      // put the end of block and the run of sixteen early, so that most tables have them
      pool.remove(Integer.valueOf(0x00));
      pool.remove(Integer.valueOf(0xF0));
      pool.add(random.nextInt(4), 0x00);
      pool.add(random.nextInt(8), 0xF0);
      int[] symbols = new int[placed];
      for (int k = 0; k < placed; k++) {
        symbols[k] = pool.get(k);
      }
      partial += check(counts, symbols, random);
    }
    assertTrue(partial > 0, "no group ended with a magnitude past the lookup");
  }

  /** Checks every entry of the table built from these lengths; returns the partial groups seen. */
  private static int check(int[] counts, int[] symbols, Random random) {
    JpegDcDecoder.Huffman table = JpegDcDecoder.Huffman.build(counts, symbols, true, false);
    assertNotNull(table, "a canonical table");
    List<int[]> codes = canonical(counts, symbols);
    int lookup = JpegDcDecoder.Huffman.LOOKUP;
    int partial = 0;
    for (int p = 0; p < (1 << lookup); p++) {
      int e = table.fast[p];
      int used = e & JpegDcDecoder.Huffman.BITS_MASK;
      int advance = (e >>> JpegDcDecoder.Huffman.ADVANCE_SHIFT) & JpegDcDecoder.Huffman.ADVANCE_MASK;
      boolean eob = (e & JpegDcDecoder.Huffman.GROUP_EOB) != 0;
      for (int c = 0; c < CONTINUATIONS; c++) {
        long bits = (long) p << (64 - lookup) | (random.nextLong() >>> lookup);
        String where = "pattern " + Integer.toBinaryString(p) + " of a table of " + symbols.length + " symbols";
        if (advance == JpegDcDecoder.Huffman.ADVANCE_MASK) {
          assertEquals(0, used, where);
          int[] first = decode(codes, bits, 0);
          assertTrue(first == null || first[0] > lookup || first[0] + (first[1] & 15) > JpegDcDecoder.Huffman.GROUP_BITS,
              "unresolved although the first symbol fits: " + where);
          continue;
        }
        assertTrue(used > 0 && used <= JpegDcDecoder.Huffman.GROUP_BITS, where);
        int at = 0;
        int adv = 0;
        boolean sawEob = false;
        boolean pastLookup = false;
        while (at < used) {
          assertTrue(!sawEob && !pastLookup, "symbols after the group's end: " + where);
          int[] s = decode(codes, bits, at);
          assertNotNull(s, where);
          assertTrue(at + s[0] <= lookup, "a code outside the looked-up bits: " + where);
          int r = s[1] >> 4;
          int size = s[1] & 15;
          at += s[0] + size;
          pastLookup = at > lookup;
          sawEob = size == 0 && r != 15;
          adv += sawEob ? 0 : size == 0 ? 16 : r + 1;
        }
        assertEquals(used, at, "the group's bits end inside a symbol: " + where);
        assertEquals(adv, advance, where);
        assertEquals(sawEob, eob, where);
        assertTrue(advance <= 63, where);
        if (pastLookup) {
          partial++;
        }
      }
    }
    return partial;
  }

  /** (code, length, symbol) of each code, assigned canonically (ITU T.81 Annex C). */
  private static List<int[]> canonical(int[] counts, int[] symbols) {
    List<int[]> out = new ArrayList<>();
    int code = 0;
    int k = 0;
    for (int l = 1; l <= 16; l++) {
      for (int n = 0; n < counts[l]; n++) {
        out.add(new int[] {code++, l, symbols[k++]});
      }
      code <<= 1;
    }
    return out;
  }

  /** The code starting {@code at} bits into {@code bits}: {length, symbol}, or null when none. */
  private static int[] decode(List<int[]> codes, long bits, int at) {
    for (int[] c : codes) {
      long next = (bits << at) >>> (64 - c[1]);
      if (next == c[0]) {
        return new int[] {c[1], c[2]};
      }
    }
    return null;
  }
}
