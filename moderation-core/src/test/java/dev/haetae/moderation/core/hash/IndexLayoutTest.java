package dev.haetae.moderation.core.hash;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The compact index's building blocks against plain arrays: bit-packed values, unary bucket
 * boundaries (empty buckets, boundaries on word and page edges), dictionary-coded added-at times,
 * and the index's own entry walk.
 */
class IndexLayoutTest {

  @Test
  void packedValuesOfEveryWidthReadBackWhatWasSet() {
    SplittableRandom rnd = new SplittableRandom(11);
    for (int width = 0; width <= 64; width++) {
      int n = width % 7 == 0 ? Packed.PAGE + 77 : 1000 + width;
      Packed p = new Packed(n, width);
      long mask = width == 64 ? -1L : (1L << width) - 1;
      long[] ref = new long[n];
      for (int round = 0; round < 2; round++) {
        for (int i = 0; i < n; i++) {
          long v = rnd.nextLong() & mask;
          if (round == 1 && i % 3 != 0) {
            continue; // overwrite some: neighbours must keep their values
          }
          ref[i] = v;
          p.set(i, v);
        }
        for (int i = 0; i < n; i++) {
          assertEquals(ref[i], p.get(i), "width " + width + " value " + i);
        }
      }
    }
    for (int width : new int[] {0, 1, 7, 20, 24, 31, 32}) {
      int n = Packed.PAGE * 2 + 5;
      int[] values = new int[n];
      for (int i = 0; i < n; i++) {
        values[i] = (int) (rnd.nextLong() & ((1L << width) - 1));
      }
      Packed p = new Packed(n, width);
      p.setAll(values, n);
      for (int i = 0; i < n; i++) {
        assertEquals(values[i] & 0xFFFFFFFFL, p.get(i), "setAll, width " + width + " value " + i);
      }
    }
    assertEquals(0, Packed.bitsFor(0));
    assertEquals(24, Packed.bitsFor((1 << 24) - 1));
    assertEquals(25, Packed.bitsFor(1 << 24));
  }

  /** Bucket starts with many empty buckets, runs of empty blocks and a few large buckets. */
  private static int[] starts(SplittableRandom rnd, int bits, int n) {
    int buckets = 1 << bits;
    int[] count = new int[buckets];
    int left = n;
    while (left > 0) {
      int k;
      int c;
      switch (rnd.nextInt(4)) {
        case 0:
          k = rnd.nextInt(Math.min(buckets, 130)); // crowd the first blocks
          c = 1 + rnd.nextInt(100);
          break;
        case 1:
          k = buckets - 1 - rnd.nextInt(Math.min(buckets, 3)); // the last buckets
          c = 1 + rnd.nextInt(70);
          break;
        default:
          k = rnd.nextInt(buckets) & ~(rnd.nextInt(3) == 0 ? 0xFF : 0); // some on block edges
          c = 1;
      }
      c = Math.min(c, left);
      count[k] += c;
      left -= c;
    }
    int[] start = new int[buckets + 1];
    for (int k = 0; k < buckets; k++) {
      start[k + 1] = start[k] + count[k];
    }
    return start;
  }

  @Test
  void bucketRangesAndTheBucketOfEachPositionMatchPlainOffsets() {
    SplittableRandom rnd = new SplittableRandom(12);
    int[][] shapes = {{4, 0}, {4, 1}, {4, 200}, {6, 63}, {6, 64}, {6, 65}, {10, 5}, {10, 3000}, {12, 70_000},
        {17, 40_000}, {21, 3_000_000}};
    for (int[] shape : shapes) {
      int bits = shape[0];
      int n = shape[1];
      int[] start = starts(rnd, bits, n);
      Buckets b = new Buckets(start, bits, n);
      for (int k = 0; k < 1 << bits; k++) {
        long r = b.range(k);
        assertEquals(start[k], (int) (r >>> 32), "start of " + k + " in " + bits + "/" + n);
        assertEquals(start[k + 1], (int) r, "end of " + k + " in " + bits + "/" + n);
      }
      int bucket = 0;
      for (int i = 0; i < n; i++) {
        while (start[bucket + 1] <= i) {
          bucket++;
        }
        if (n < 100_000 || i % 97 == 0) {
          assertEquals(bucket, b.bucketOf(i), "bucket of " + i + " in " + bits + "/" + n);
        }
      }
      int[] seen = {0};
      b.forEach((pos, k) -> {
        assertEquals(seen[0]++, pos);
        assertTrue(start[k] <= pos && pos < start[k + 1], "walk: " + pos + " in bucket " + k);
      });
      assertEquals(n, seen[0]);
    }
  }

  /**
   * The batch lookup shares a block's sampled start and vector words between consecutive keys of
   * that block: keys in runs of one block, a block revisited after another, repeated keys and
   * shuffled keys all give {@link Buckets#range}'s answer, as do buckets larger than the gathered
   * words.
   */
  @Test
  void batchedRangesOfKeysInBlockRunsAndInAnyOrderMatchSingleLookups() {
    SplittableRandom rnd = new SplittableRandom(13);
    // the last four: uniform blocks of about 80, 140, 200 and 250 bits (entries plus 64 buckets)
    int[][] shapes = {{4, 0}, {4, 200}, {6, 64}, {8, 5}, {10, 3000}, {12, 70_000}, {17, 40_000}, {21, 600_000},
        {16, 16_000}, {16, 78_000}, {16, 140_000}, {16, 190_000}};
    for (int s = 0; s < shapes.length; s++) {
      int bits = shapes[s][0];
      int n = shapes[s][1];
      int[] start = s < 8 ? starts(rnd, bits, n) : new int[(1 << bits) + 1];
      if (s >= 8) {
        for (int i = 0; i < n; i++) {
          start[rnd.nextInt(1 << bits) + 1]++;
        }
        for (int k = 0; k < 1 << bits; k++) {
          start[k + 1] += start[k];
        }
      }
      Buckets b = new Buckets(start, bits, n);
      for (int round = 0; round < 40; round++) {
        int count = 1 + rnd.nextInt(600);
        int[] keys = new int[count];
        for (int i = 0; i < count; ) {
          int block = rnd.nextInt(Math.max(1, (1 << bits) >>> 6));
          // a run of keys in one block (some repeated), or a key anywhere
          for (int run = round % 2 == 0 ? 1 + rnd.nextInt(30) : 1; run > 0 && i < count; run--) {
            keys[i++] = bits < 6 ? rnd.nextInt(1 << bits) : block << 6 | rnd.nextInt(64);
          }
        }
        long[] out = new long[count];
        b.ranges(keys, count, out);
        for (int i = 0; i < count; i++) {
          assertEquals(b.range(keys[i]), out[i], "key " + keys[i] + " at " + i + " in " + bits + "/" + n);
        }
      }
    }
  }

  /**
   * The probe list of a key is every bucket within the radius, each once, whatever the bucket
   * bits (fewer than a block's six too) and the bits of the key above them; listed block by block.
   */
  @Test
  void theProbeListHoldsEveryBucketWithinTheRadiusOnceBlockByBlock() {
    SplittableRandom rnd = new SplittableRandom(14);
    int[] out = new int[2325];
    for (int bits = 4; bits <= 24; bits++) {
      for (int q = 0; q <= 3; q++) {
        for (int round = 0; round < 3; round++) {
          int sub = rnd.nextInt(1 << 24);
          int base = sub & ((1 << bits) - 1);
          int n = MihIndex.probeList(sub, bits, q, out);
          long expected = 0;
          for (int w = 0, c = 1; w <= q && w <= bits; w++) {
            expected += c;
            c = c * (bits - w) / (w + 1);
          }
          assertEquals(expected, n, "buckets within " + q + " of a " + bits + "-bit key");
          java.util.Set<Integer> seen = new java.util.HashSet<>();
          java.util.Set<Integer> blocksDone = new java.util.HashSet<>();
          for (int i = 0; i < n; i++) {
            int k = out[i];
            assertTrue(k >= 0 && k < 1 << bits && Integer.bitCount(k ^ base) <= q, "bucket " + k);
            assertTrue(seen.add(k), "bucket " + k + " listed twice");
            if (i > 0 && out[i - 1] >>> 6 != k >>> 6) {
              assertTrue(blocksDone.add(out[i - 1] >>> 6), "block of " + out[i - 1] + " listed in two runs");
            }
            assertTrue(!blocksDone.contains(k >>> 6), "block of " + k + " listed in two runs");
          }
        }
      }
    }
  }

  @Test
  void aSnapshotWhoseBlocksDisagreeWithTheirSamplesIsRefused(@TempDir Path dir) throws IOException {
    int bits = 8;
    int n = 300;
    int[] start = starts(new SplittableRandom(15), bits, n);
    // the same entries with one moved from block 1 (buckets 64..127) into block 2: the vector's
    // total still agrees, its blocks no longer agree with the right samples
    int k1 = 64;
    while (start[k1 + 1] == start[k1] && k1 < 127) {
      k1++;
    }
    assertTrue(start[k1 + 1] > start[k1], "block 1 holds an entry");
    int[] moved = start.clone();
    for (int k = k1 + 1; k <= 128; k++) {
      moved[k] = start[k] - 1;
    }
    byte[] wrong = snapshot(new Buckets(moved, bits, n), dir.resolve("wrong"));
    byte[] right = snapshot(new Buckets(start, bits, n), dir.resolve("right"));
    int vectorEnd = 8 + 8 * (int) ((((long) n + (1 << bits)) + 63 >>> 6) + 2);
    byte[] spliced = right.clone();
    System.arraycopy(wrong, 0, spliced, 0, vectorEnd);
    Path file = Files.write(dir.resolve("spliced"), spliced);
    try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
      SnapshotIo.In in = new SnapshotIo.In(ch, "spliced");
      BankSnapshotException e = assertThrows(BankSnapshotException.class, () -> Buckets.read(in, bits, n, "t"));
      assertTrue(e.getMessage().contains("block 1 does not hold its sampled entries"), e.getMessage());
    }
    try (FileChannel ch = FileChannel.open(dir.resolve("right"), StandardOpenOption.READ)) {
      Buckets back = Buckets.read(new SnapshotIo.In(ch, "right"), bits, n, "t");
      for (int k = 0; k < 1 << bits; k++) {
        assertEquals((long) start[k] << 32 | start[k + 1], back.range(k));
      }
    }
  }

  private static byte[] snapshot(Buckets b, Path file) throws IOException {
    try (FileChannel ch = FileChannel.open(file, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
      SnapshotIo.Out out = new SnapshotIo.Out(ch);
      b.write(out);
      out.finish();
    }
    return Files.readAllBytes(file);
  }

  @Test
  void selectFindsEachSetBit() {
    SplittableRandom rnd = new SplittableRandom(13);
    for (int round = 0; round < 2000; round++) {
      long x = rnd.nextLong() & rnd.nextLong();
      int r = 0;
      for (int bit = 0; bit < 64; bit++) {
        if ((x >>> bit & 1) != 0) {
          assertEquals(bit, Buckets.select(x, r++));
        }
      }
    }
  }

  @Test
  void addedAtTimesAndWordsSurviveTheReordering() {
    SplittableRandom rnd = new SplittableRandom(14);
    int n = 12_000;
    long[] w = MihIndexTest.clustered(rnd, n, 30, 20);
    for (int distinct : new int[] {1, 3, 4096, 4097, n}) {
      int[] added = new int[n];
      for (int i = 0; i < n; i++) {
        added[i] = distinct == n ? rnd.nextInt() : 1_700_000_000 + rnd.nextInt(distinct);
      }
      // hashes may repeat in the clustered set: compare multisets of (hash, added-at)
      Map<String, Integer> expected = new HashMap<>();
      for (int i = 0; i < n; i++) {
        expected.merge(MihIndexTest.result(w[4 * i], w[4 * i + 1], w[4 * i + 2], w[4 * i + 3], added[i]), 1, Integer::sum);
      }
      for (int bits : distinct == 1 || distinct == 4097 ? new int[] {0, 24} : new int[] {0}) {
        MihIndex index = MihIndex.build(w.clone(), added.clone(), n, bits, 0);
        Map<String, Integer> got = new HashMap<>();
        List<Integer> order = new ArrayList<>();
        index.forEach((id, w0, w1, w2, w3) -> {
          order.add(id);
          got.merge(MihIndexTest.result(w0, w1, w2, w3, index.addedAt(id)), 1, Integer::sum);
        });
        assertEquals(expected, got, distinct + " distinct times, bucket bits " + bits);
        for (int i = 0; i < n; i++) {
          assertEquals(i, order.get(i));
        }
      }
    }
  }

  @Test
  void entriesOnBucketEdgesAndInEmptyNeighbourhoodsAreFound() {
    // hashes whose table-0 keys are 0, 1, all ones and on block edges, next to long runs of empty
    // buckets, with the full 24-bit table 0 (no stored key bits) and with the default layout
    SplittableRandom rnd = new SplittableRandom(15);
    int n = 600;
    long[] w = MihIndexTest.uniform(rnd, n);
    int[] keys = {0, 1, 63, 64, 65, 0xFFFFFF, 0xFFFFFE, 0xFFFFC0, 0x7FFFFF, 0x800000};
    for (int i = 0; i < n; i++) {
      long key = keys[i % keys.length];
      w[4 * i] = (w[4 * i] & ~0xFFFFFFL) | key;
    }
    for (MihIndex index : new MihIndex[] {MihIndexTest.build(w, n), MihIndex.build(w.clone(), null, n, 24, 0)}) {
      for (int k = 0; k < 400; k++) {
        long[] q = MihIndexTest.near(rnd, w, rnd.nextInt(n), rnd.nextInt(40));
        int r = rnd.nextInt(44);
        assertEquals(MihIndexTest.viaScan(w, n, q, r), MihIndexTest.viaIndex(index, q, r), "r=" + r);
      }
      for (int i = 0; i < n; i++) {
        assertTrue(index.find(w[4 * i], w[4 * i + 1], w[4 * i + 2], w[4 * i + 3]) >= 0);
      }
    }
  }
}
