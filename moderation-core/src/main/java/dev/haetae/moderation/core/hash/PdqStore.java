package dev.haetae.moderation.core.hash;

import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;

/**
 * The PDQ entries of one bank: an immutable {@link MihIndex} base plus a small append-only delta
 * that is scanned linearly, published through one volatile reference.
 *
 * <p><b>Concurrency.</b> Readers ({@link #search}, {@link #find}) never lock: they read the current
 * {@link View} once and work on it. Writers are serialised by the store's monitor. An add appends
 * to the delta and publishes the new count; a withdraw or delete flips the entry's state byte in
 * place and then publishes; when the delta is full, or too many dead entries accumulate, the
 * writer rebuilds the base from the live entries and publishes a new view (readers in flight finish
 * on the old one). A change is visible to every search that starts after the writer returns.
 * Deleted and withdrawn entries stop matching at once and leave memory at the next rebuild, which
 * {@link #compact} forces.
 */
final class PdqStore {
  static final byte ACTIVE = 0;
  static final byte WITHDRAWN = 1;
  static final byte DELETED = 2;

  static final int DELTA_MAX = 16_384;

  /** Receives search hits with the entry's words. */
  interface Hits {
    void hit(long w0, long w1, long w2, long w3, int distance, int addedAt);
  }

  /** One immutable snapshot (state bytes excepted, see the class comment). */
  static final class View {
    final MihIndex base;
    final byte[] baseState;
    final int[] baseAdded;
    final long[] delta;
    final byte[] deltaState;
    final int[] deltaAdded;
    final int deltaCount;

    View(MihIndex base, byte[] baseState, int[] baseAdded, long[] delta, byte[] deltaState, int[] deltaAdded,
        int deltaCount) {
      this.base = base;
      this.baseState = baseState;
      this.baseAdded = baseAdded;
      this.delta = delta;
      this.deltaState = deltaState;
      this.deltaAdded = deltaAdded;
      this.deltaCount = deltaCount;
    }
  }

  private volatile View view;
  private final Map<Key, Integer> deltaIndex = new HashMap<>();
  private int dead;
  private int live;

  PdqStore() {
    view = new View(MihIndex.build(new long[0], 0), new byte[0], new int[0], new long[4 * 64], new byte[64],
        new int[64], 0);
  }

  /** The live entry count. */
  synchronized int size() {
    return live;
  }

  View view() {
    return view;
  }

  long heapBytes() {
    View v = view;
    return v.base.heapBytes() + 16 + v.baseState.length + 16 + 4L * v.baseAdded.length + 16 + 8L * v.delta.length
        + 16 + v.deltaState.length + 16 + 4L * v.deltaAdded.length + (long) deltaIndex.size() * 80;
  }

  /** Searches base and delta; reports only ACTIVE entries. */
  static void search(View v, long q0, long q1, long q2, long q3, int radius, Hits hits) {
    byte[] bs = v.baseState;
    long[] bw = v.base.words();
    v.base.search(q0, q1, q2, q3, radius, (id, d) -> {
      if (bs[id] == ACTIVE) {
        int b = 4 * id;
        hits.hit(bw[b], bw[b + 1], bw[b + 2], bw[b + 3], d, v.baseAdded[id]);
      }
    });
    long[] dw = v.delta;
    byte[] ds = v.deltaState;
    MihIndex.scan(dw, v.deltaCount, q0, q1, q2, q3, radius, (id, d) -> {
      if (ds[id] == ACTIVE) {
        int b = 4 * id;
        hits.hit(dw[b], dw[b + 1], dw[b + 2], dw[b + 3], d, v.deltaAdded[id]);
      }
    });
  }

  void search(long q0, long q1, long q2, long q3, int radius, Hits hits) {
    search(view, q0, q1, q2, q3, radius, hits);
  }

  /** The state of the entry (ACTIVE, WITHDRAWN, DELETED) or -1 when absent; and its added-at via out. */
  int stateOf(long q0, long q1, long q2, long q3, int[] addedOut) {
    View v = view;
    int id = v.base.find(q0, q1, q2, q3);
    if (id >= 0) {
      if (addedOut != null) {
        addedOut[0] = v.baseAdded[id];
      }
      return v.baseState[id];
    }
    for (int i = 0; i < v.deltaCount; i++) {
      int b = 4 * i;
      if (v.delta[b] == q0 && v.delta[b + 1] == q1 && v.delta[b + 2] == q2 && v.delta[b + 3] == q3) {
        if (addedOut != null) {
          addedOut[0] = v.deltaAdded[i];
        }
        return v.deltaState[i];
      }
    }
    return -1;
  }

  /**
   * Adds or re-activates one entry.
   *
   * @return true when the store changed (new entry or a dead one re-activated)
   */
  synchronized boolean add(long q0, long q1, long q2, long q3, int addedAt) {
    View v = view;
    int id = v.base.find(q0, q1, q2, q3);
    if (id >= 0) {
      return revive(v.baseState, id);
    }
    Integer di = deltaIndex.get(new Key(q0, q1, q2, q3));
    if (di != null) {
      return revive(v.deltaState, di);
    }
    if (v.deltaCount == DELTA_MAX) {
      rebuild(null, 0, null);
      v = view;
    }
    long[] delta = v.delta;
    byte[] ds = v.deltaState;
    int[] da = v.deltaAdded;
    int n = v.deltaCount;
    if (n == ds.length) {
      int cap = Math.min(DELTA_MAX, ds.length * 2);
      delta = Arrays.copyOf(delta, 4 * cap);
      ds = Arrays.copyOf(ds, cap);
      da = Arrays.copyOf(da, cap);
    }
    int b = 4 * n;
    delta[b] = q0;
    delta[b + 1] = q1;
    delta[b + 2] = q2;
    delta[b + 3] = q3;
    ds[n] = ACTIVE;
    da[n] = addedAt;
    deltaIndex.put(new Key(q0, q1, q2, q3), n);
    live++;
    view = new View(v.base, v.baseState, v.baseAdded, delta, ds, da, n + 1);
    return true;
  }

  private boolean revive(byte[] state, int id) {
    if (state[id] == ACTIVE) {
      return false;
    }
    state[id] = ACTIVE;
    dead--;
    live++;
    view = view(); // publish the state change
    return true;
  }

  /**
   * Adds many entries at once by rebuilding the base: duplicates (within the batch and against the
   * store) are skipped.
   *
   * @param words 4 words per hash, as in {@link MihIndex}
   * @param count hashes in {@code words}
   * @param addedAt the added-at second for all of them
   * @return how many were new or re-activated
   */
  synchronized int addAll(long[] words, int count, int addedAt) {
    if (count < DELTA_MAX / 4) {
      int changed = 0;
      for (int i = 0; i < count; i++) {
        int b = 4 * i;
        if (add(words[b], words[b + 1], words[b + 2], words[b + 3], addedAt)) {
          changed++;
        }
      }
      return changed;
    }
    int before = live;
    rebuild(words, count, addedAt);
    return live - before;
  }

  /**
   * Sets the state of an existing entry to WITHDRAWN or DELETED.
   *
   * @return the previous state, or -1 when absent
   */
  synchronized int kill(long q0, long q1, long q2, long q3, byte newState) {
    View v = view;
    byte[] state;
    int id = v.base.find(q0, q1, q2, q3);
    if (id >= 0) {
      state = v.baseState;
    } else {
      Integer di = deltaIndex.get(new Key(q0, q1, q2, q3));
      if (di == null) {
        return -1;
      }
      id = di;
      state = v.deltaState;
    }
    byte old = state[id];
    if (old == newState || (old == DELETED)) {
      return old;
    }
    state[id] = newState;
    if (old == ACTIVE) {
      live--;
      dead++;
    }
    view = v; // publish the state change
    if (dead > 1024 && dead > (live + dead) / 8) {
      rebuild(null, 0, null);
    }
    return old;
  }

  /** Rebuilds the base from live entries, dropping withdrawn and deleted ones from memory. */
  synchronized void compact() {
    rebuild(null, 0, null);
  }

  /**
   * Rebuilds the base from the live entries of base and delta plus {@code extra}; a hash present
   * twice keeps its first occurrence (existing entries before the batch).
   */
  private void rebuild(long[] extra, int extraCount, Integer extraAdded) {
    View v = view;
    int baseN = v.base.size();
    long[] bw = v.base.words();
    int cap = live + extraCount;
    long[] words = new long[4 * cap];
    int[] added = new int[cap];
    int n = 0;
    for (int i = 0; i < baseN; i++) {
      if (v.baseState[i] == ACTIVE) {
        System.arraycopy(bw, 4 * i, words, 4 * n, 4);
        added[n++] = v.baseAdded[i];
      }
    }
    for (int i = 0; i < v.deltaCount; i++) {
      if (v.deltaState[i] == ACTIVE) {
        System.arraycopy(v.delta, 4 * i, words, 4 * n, 4);
        added[n++] = v.deltaAdded[i];
      }
    }
    if (extraCount > 0) {
      System.arraycopy(extra, 0, words, 4 * n, 4 * extraCount);
      Arrays.fill(added, n, n + extraCount, extraAdded);
      n += extraCount;
      n = dedupe(words, added, n);
    }
    if (words.length != 4 * n) {
      words = Arrays.copyOf(words, 4 * n);
      added = Arrays.copyOf(added, n);
    }
    MihIndex base = MihIndex.build(words, n);
    deltaIndex.clear();
    live = n;
    dead = 0;
    view = new View(base, new byte[n], added, new long[4 * 64], new byte[64], new int[64], 0);
  }

  /**
   * Removes repeated hashes in place, keeping the first occurrence and the order, with an
   * open-addressing table of ordinals.
   *
   * @return the new count
   */
  static int dedupe(long[] words, int[] added, int count) {
    int cap = Integer.highestOneBit(Math.max(4, count + (count >>> 1))) << 1;
    int[] table = new int[cap];
    int mask = cap - 1;
    int n = 0;
    for (int i = 0; i < count; i++) {
      int b = 4 * i;
      long w0 = words[b];
      long w1 = words[b + 1];
      long w2 = words[b + 2];
      long w3 = words[b + 3];
      long h = (w0 * 0x9E3779B97F4A7C15L) ^ (w1 * 0xC2B2AE3D27D4EB4FL) ^ (w2 * 0x165667B19E3779F9L) ^ w3;
      int slot = (int) (h ^ (h >>> 29)) & mask;
      boolean dup = false;
      while (table[slot] != 0) {
        int o = 4 * (table[slot] - 1);
        if (words[o] == w0 && words[o + 1] == w1 && words[o + 2] == w2 && words[o + 3] == w3) {
          dup = true;
          break;
        }
        slot = (slot + 1) & mask;
      }
      if (dup) {
        continue;
      }
      int nb = 4 * n;
      words[nb] = w0;
      words[nb + 1] = w1;
      words[nb + 2] = w2;
      words[nb + 3] = w3;
      added[n] = added[i];
      table[slot] = n + 1;
      n++;
    }
    return n;
  }

  /** Visits every entry (any state) of the current view. */
  void forEach(EntryVisitor visitor) {
    View v = view;
    long[] bw = v.base.words();
    for (int i = 0; i < v.base.size(); i++) {
      int b = 4 * i;
      visitor.visit(bw[b], bw[b + 1], bw[b + 2], bw[b + 3], v.baseState[i], v.baseAdded[i]);
    }
    for (int i = 0; i < v.deltaCount; i++) {
      int b = 4 * i;
      visitor.visit(v.delta[b], v.delta[b + 1], v.delta[b + 2], v.delta[b + 3], v.deltaState[i], v.deltaAdded[i]);
    }
  }

  /** Receives entries from {@link #forEach}. */
  interface EntryVisitor {
    void visit(long w0, long w1, long w2, long w3, byte state, int addedAt);
  }

  /** A hash as a map key (delta index only). */
  record Key(long w0, long w1, long w2, long w3) {}
}
