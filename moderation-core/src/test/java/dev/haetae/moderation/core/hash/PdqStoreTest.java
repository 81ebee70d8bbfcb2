package dev.haetae.moderation.core.hash;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayDeque;
import java.util.Deque;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** Changes made while a background index build runs are carried over to the new index. */
class PdqStoreTest {

  private static int state(PdqStore s, long[] w, int i) {
    return s.stateOf(w[4 * i], w[4 * i + 1], w[4 * i + 2], w[4 * i + 3], null);
  }

  private static boolean matches(PdqStore s, long[] w, int i) {
    boolean[] found = {false};
    s.search(w[4 * i], w[4 * i + 1], w[4 * i + 2], w[4 * i + 3], 0, (a, b, c, d, dist, added) -> found[0] = true);
    return found[0];
  }

  @Test
  void changesDuringABackgroundBuildSurviveIt() {
    Deque<Runnable> pending = new ArrayDeque<>();
    PdqStore store = new PdqStore(pending::add);
    int n = PdqStore.DELTA_MAX + 100;
    long[] w = MihIndexTest.uniform(new SplittableRandom(5), n);
    for (int i = 0; i < PdqStore.DELTA_MAX; i++) {
      store.add(w[4 * i], w[4 * i + 1], w[4 * i + 2], w[4 * i + 3], i);
    }
    assertEquals(1, pending.size(), "the full delta was frozen and a build queued");
    // while the build waits: withdraw a frozen entry, revive it, withdraw another, add new ones
    store.kill(w[0], w[1], w[2], w[3], PdqStore.WITHDRAWN);
    store.kill(w[4], w[5], w[6], w[7], PdqStore.DELETED);
    store.add(w[4], w[5], w[6], w[7], 7);
    store.kill(w[8], w[9], w[10], w[11], PdqStore.WITHDRAWN);
    for (int i = PdqStore.DELTA_MAX; i < n; i++) {
      store.add(w[4 * i], w[4 * i + 1], w[4 * i + 2], w[4 * i + 3], i);
    }
    assertTrue(!matches(store, w, 0) && matches(store, w, 1) && !matches(store, w, 2) && matches(store, w, n - 1));
    int sizeBefore = store.size();
    pending.poll().run();
    assertEquals(sizeBefore, store.size());
    assertEquals(-1, state(store, w, 0), "withdrawn before the build copied it: left memory");
    assertEquals(PdqStore.ACTIVE, state(store, w, 1), "revived during the build");
    assertEquals(-1, state(store, w, 2));
    for (int i = 3; i < n; i++) {
      assertTrue(matches(store, w, i), "entry " + i);
    }
    assertTrue(!matches(store, w, 0) && !matches(store, w, 2));
    assertEquals(0, store.view().frozen.count);
    assertEquals(PdqStore.DELTA_MAX - 2, store.view().base.size(), "withdrawn entries left at the build");
    store.compact();
    assertEquals(-1, state(store, w, 0));
    assertEquals(n - 2, store.size());
  }

  @Test
  void searchesOverBaseDeltaAndWithdrawnEntriesMatchAScanOfTheActiveOnes() {
    SplittableRandom rnd = new SplittableRandom(6);
    Deque<Runnable> pending = new ArrayDeque<>();
    PdqStore store = new PdqStore(pending::add);
    int bulk = 6000;
    int n = bulk + PdqStore.DELTA_MAX + 4000; // clustered: about a tenth are duplicates
    long[] w = MihIndexTest.clustered(rnd, n, 25, 30);
    int[] added = new int[n];
    // the bulk load shares one time; later single adds each have their own
    assertEquals(bulk, store.addAll(w, bulk, 1_000) + countDuplicates(w, bulk));
    for (int i = bulk; i < n; i++) {
      added[i] = 2_000 + i;
      store.add(w[4 * i], w[4 * i + 1], w[4 * i + 2], w[4 * i + 3], added[i]);
    }
    assertEquals(1, pending.size(), "a full delta was frozen: base, frozen buffer and delta all hold entries");
    java.util.Map<String, Byte> state = new java.util.HashMap<>();
    java.util.Map<String, Integer> addedAt = new java.util.HashMap<>();
    for (int i = n - 1; i >= 0; i--) {
      String h = MihIndexTest.result(w[4 * i], w[4 * i + 1], w[4 * i + 2], w[4 * i + 3], 0);
      state.put(h, PdqStore.ACTIVE);
      addedAt.put(h, i < bulk ? 1_000 : added[i]); // the first occurrence wins
    }
    // withdraw and delete entries of the base, the frozen buffer and the delta; revive some
    for (int k = 0; k < 900; k++) {
      int i = rnd.nextInt(n);
      String h = MihIndexTest.result(w[4 * i], w[4 * i + 1], w[4 * i + 2], w[4 * i + 3], 0);
      byte to = k % 5 == 0 ? PdqStore.ACTIVE : k % 2 == 0 ? PdqStore.WITHDRAWN : PdqStore.DELETED;
      if (to == PdqStore.ACTIVE) {
        store.add(w[4 * i], w[4 * i + 1], w[4 * i + 2], w[4 * i + 3], 9);
      } else {
        store.kill(w[4 * i], w[4 * i + 1], w[4 * i + 2], w[4 * i + 3], to);
      }
      byte old = state.get(h);
      state.put(h, to == PdqStore.ACTIVE ? PdqStore.ACTIVE : old == PdqStore.DELETED ? PdqStore.DELETED : to);
    }
    for (int round = 0; round < 3; round++) {
      long[] live = new long[4 * n];
      int m = 0;
      for (int i = 0; i < n; i++) {
        String h = MihIndexTest.result(w[4 * i], w[4 * i + 1], w[4 * i + 2], w[4 * i + 3], 0);
        if (state.get(h) == PdqStore.ACTIVE && !isEarlierDuplicate(w, i)) {
          System.arraycopy(w, 4 * i, live, 4 * m++, 4);
        }
      }
      for (int k = 0; k < 150; k++) {
        long[] q = MihIndexTest.near(rnd, w, rnd.nextInt(n), rnd.nextInt(40));
        int r = rnd.nextInt(64);
        java.util.List<String> got = new java.util.ArrayList<>();
        store.search(q[0], q[1], q[2], q[3], r, (a, b, c, d, dist, at) -> {
          got.add(MihIndexTest.result(a, b, c, d, dist));
          assertEquals(addedAt.get(MihIndexTest.result(a, b, c, d, 0)), at, "added-at of a hit");
        });
        got.sort(null);
        assertEquals(MihIndexTest.viaScan(live, m, q, r), got, "round " + round + " r=" + r);
      }
      for (int i = 0; i < n; i += 7) {
        String h = MihIndexTest.result(w[4 * i], w[4 * i + 1], w[4 * i + 2], w[4 * i + 3], 0);
        int[] at = new int[1];
        int st = store.stateOf(w[4 * i], w[4 * i + 1], w[4 * i + 2], w[4 * i + 3], at);
        if (st == PdqStore.ACTIVE) {
          assertEquals(PdqStore.ACTIVE, (int) state.get(h));
          assertEquals(addedAt.get(h), at[0]);
        } else if (st >= 0) {
          assertEquals(state.get(h), (byte) st, "entry " + i);
        } else {
          assertTrue(round > 0 && state.get(h) != PdqStore.ACTIVE, "only a dead entry leaves at a build");
        }
      }
      // round 1: after the background build; round 2: after compaction
      if (round == 0) {
        pending.poll().run();
      } else {
        store.compact();
      }
    }
  }

  private static boolean isEarlierDuplicate(long[] w, int i) {
    for (int j = 0; j < i; j++) {
      if (w[4 * j] == w[4 * i] && w[4 * j + 1] == w[4 * i + 1] && w[4 * j + 2] == w[4 * i + 2]
          && w[4 * j + 3] == w[4 * i + 3]) {
        return true;
      }
    }
    return false;
  }

  private static int countDuplicates(long[] w, int n) {
    int d = 0;
    for (int i = 0; i < n; i++) {
      if (isEarlierDuplicate(w, i)) {
        d++;
      }
    }
    return d;
  }
}
