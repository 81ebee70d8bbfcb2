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
}
