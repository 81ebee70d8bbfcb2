package dev.haetae.moderation.core.hash;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executor;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The PDQ entries of one bank: an immutable {@link MihIndex} base, plus at most one frozen buffer
 * being merged into the next base in the background, plus an append-only delta buffer; the last
 * two are scanned linearly. All three are published together through one volatile reference.
 *
 * <p><b>Concurrency.</b> Readers ({@link #search}, {@link #stateOf}) never lock: they read the
 * current {@link View} once and work on it. Writers are serialised by the store's monitor and never
 * wait for an index build: an add appends to the delta and publishes the new count; a withdraw or
 * delete flips the entry's state (two bits in the base, a byte in a buffer) in place and then
 * publishes. When the delta reaches {@link #DELTA_MAX} entries it is frozen and a background thread
 * builds a new base from the live entries of the base and the frozen buffer; changes made meanwhile
 * go to the new delta or flip states in place, and are logged and replayed onto the new base when
 * it is published. A change is therefore visible to every search that starts after the writer
 * returned, whatever the bank's size. Deleted and withdrawn entries stop matching at once and leave
 * memory at the next build, which {@link #compact} forces. Bulk adds and compaction build
 * synchronously (after any running background build).
 */
final class PdqStore {
  private static final Logger LOG = LoggerFactory.getLogger(PdqStore.class);

  static final byte ACTIVE = 0;
  static final byte WITHDRAWN = 1;
  static final byte DELETED = 2;

  static final int DELTA_MAX = 16_384;

  private static final Executor BACKGROUND = task -> {
    Thread t = new Thread(task, "haetae-pdq-index-build");
    t.setDaemon(true);
    t.start();
  };

  /** Receives search hits with the entry's words. */
  interface Hits {
    void hit(long w0, long w1, long w2, long w3, int distance, int addedAt);
  }

  /** Receives the hits of a multi-query search: which query, the entry's words, the distance. */
  interface MultiHits {
    void hit(int query, long w0, long w1, long w2, long w3, int distance);
  }

  /** A linearly scanned buffer: the first {@code count} entries of its arrays. */
  static final class Scan {
    static final Scan EMPTY = new Scan(new long[0], new byte[0], new int[0], 0);

    final long[] words;
    final byte[] state;
    final int[] added;
    final int count;

    Scan(long[] words, byte[] state, int[] added, int count) {
      this.words = words;
      this.state = state;
      this.added = added;
      this.count = count;
    }
  }

  /**
   * One snapshot: immutable except for state values (see the class comment). The base's states are
   * two bits per entry (ACTIVE is 0, so a new base starts all active); a state never straddles a
   * 32-bit half of its word, so a reader racing the writer reads the old or the new state.
   */
  static final class View {
    final MihIndex base;
    final Packed baseState;
    final Scan frozen;
    final Scan delta;

    View(MihIndex base, Packed baseState, Scan frozen, Scan delta) {
      this.base = base;
      this.baseState = baseState;
      this.frozen = frozen;
      this.delta = delta;
    }
  }

  private final Executor executor;
  private volatile View view;
  // guarded by this
  private Map<Key, Integer> deltaIndex = new HashMap<>();
  private Map<Key, Integer> frozenIndex = new HashMap<>();
  private int dead;
  private int live;
  private boolean building;
  private final List<Object[]> duringBuild = new ArrayList<>();

  PdqStore() {
    this(BACKGROUND);
  }

  /** With the executor that runs background index builds (tests pass their own). */
  PdqStore(Executor executor) {
    this.executor = executor;
    view = new View(MihIndex.build(new long[0], new int[0], 0), new Packed(0, 2), Scan.EMPTY,
        new Scan(new long[4 * 64], new byte[64], new int[64], 0));
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
    return v.base.heapBytes() + v.baseState.heapBytes() + scanBytes(v.frozen)
        + scanBytes(v.delta) + (long) (v.frozen.count + v.delta.count) * 80;
  }

  private static long scanBytes(Scan s) {
    return 48 + 8L * s.words.length + s.state.length + 4L * s.added.length;
  }

  /** Searches base, frozen buffer and delta; reports only ACTIVE entries. */
  static void search(View v, long q0, long q1, long q2, long q3, int radius, Hits hits) {
    Packed bs = v.baseState;
    MihIndex base = v.base;
    base.search(q0, q1, q2, q3, radius, (id, w0, w1, w2, w3, d) -> {
      if (bs.get(id) == ACTIVE) {
        hits.hit(w0, w1, w2, w3, d, base.addedAt(id));
      }
    });
    scan(v.frozen, q0, q1, q2, q3, radius, hits);
    scan(v.delta, q0, q1, q2, q3, radius, hits);
  }

  private static void scan(Scan s, long q0, long q1, long q2, long q3, int radius, Hits hits) {
    if (s.count == 0) {
      return;
    }
    long[] w = s.words;
    byte[] st = s.state;
    MihIndex.scan(w, s.count, q0, q1, q2, q3, radius, (id, d) -> {
      if (st[id] == ACTIVE) {
        int b = 4 * id;
        hits.hit(w[b], w[b + 1], w[b + 2], w[b + 3], d, s.added[id]);
      }
    });
  }

  void search(long q0, long q1, long q2, long q3, int radius, Hits hits) {
    search(view, q0, q1, q2, q3, radius, hits);
  }

  /**
   * Searches base, frozen buffer and delta for {@code count} queries at once ({@code queries[4 * j
   * + k]} is word {@code k} of query {@code j}); reports every (query, ACTIVE entry) pair within the
   * radius exactly once, as {@link #search(View, long, long, long, long, int, Hits)} would for each
   * query alone. The index shares probes and candidate loads between the queries (see
   * {@link MihIndex#search(long[], int, int, MihIndex.MultiHits)}); each buffer is read once for all
   * queries.
   */
  static void search(View v, long[] queries, int count, int radius, MultiHits hits) {
    Packed bs = v.baseState;
    v.base.search(queries, count, radius, (j, id, w0, w1, w2, w3, d) -> {
      if (bs.get(id) == ACTIVE) {
        hits.hit(j, w0, w1, w2, w3, d);
      }
    });
    scan(v.frozen, queries, count, radius, hits);
    scan(v.delta, queries, count, radius, hits);
  }

  private static void scan(Scan s, long[] queries, int count, int radius, MultiHits hits) {
    long[] w = s.words;
    byte[] st = s.state;
    for (int i = 0, b = 0; i < s.count; i++, b += 4) {
      if (st[i] != ACTIVE) {
        continue;
      }
      long w0 = w[b];
      long w1 = w[b + 1];
      long w2 = w[b + 2];
      long w3 = w[b + 3];
      for (int j = 0, q = 0; j < count; j++, q += 4) {
        int d = Long.bitCount(w0 ^ queries[q]) + Long.bitCount(w1 ^ queries[q + 1]);
        if (d > radius) {
          continue;
        }
        d += Long.bitCount(w2 ^ queries[q + 2]) + Long.bitCount(w3 ^ queries[q + 3]);
        if (d <= radius) {
          hits.hit(j, w0, w1, w2, w3, d);
        }
      }
    }
  }

  /** The state of the entry (ACTIVE, WITHDRAWN, DELETED) or -1 when absent; its added-at via out. */
  int stateOf(long q0, long q1, long q2, long q3, int[] addedOut) {
    View v = view;
    int id = v.base.find(q0, q1, q2, q3);
    if (id >= 0) {
      if (addedOut != null) {
        addedOut[0] = v.base.addedAt(id);
      }
      return (int) v.baseState.get(id);
    }
    for (Scan s : new Scan[] {v.delta, v.frozen}) {
      for (int i = 0; i < s.count; i++) {
        int b = 4 * i;
        if (s.words[b] == q0 && s.words[b + 1] == q1 && s.words[b + 2] == q2 && s.words[b + 3] == q3) {
          if (addedOut != null) {
            addedOut[0] = s.added[i];
          }
          return s.state[i];
        }
      }
    }
    return -1;
  }

  /** The state of slot {@code id} of a base state ({@link Packed}) or a buffer's {@code byte[]}. */
  private static byte stateAt(Object states, int id) {
    return states instanceof Packed ? (byte) ((Packed) states).get(id) : ((byte[]) states)[id];
  }

  private static void setState(Object states, int id, byte st) {
    if (states instanceof Packed) {
      ((Packed) states).set(id, st);
    } else {
      ((byte[]) states)[id] = st;
    }
  }

  /** The state holder and index holding an entry, or null. Caller holds the monitor. */
  private Object[] locate(View v, Key k) {
    int id = v.base.find(k.w0(), k.w1(), k.w2(), k.w3());
    if (id >= 0) {
      return new Object[] {v.baseState, id};
    }
    Integer i = deltaIndex.get(k);
    if (i != null) {
      return new Object[] {v.delta.state, i};
    }
    i = frozenIndex.get(k);
    if (i != null) {
      return new Object[] {v.frozen.state, i};
    }
    return null;
  }

  /**
   * Adds or re-activates one entry.
   *
   * @return true when the store changed (new entry or a dead one re-activated)
   */
  synchronized boolean add(long q0, long q1, long q2, long q3, int addedAt) {
    Key k = new Key(q0, q1, q2, q3);
    boolean changed = addLocked(k, addedAt);
    if (changed && building) {
      duringBuild.add(new Object[] {k, addedAt});
    }
    if (!building && view.delta.count >= DELTA_MAX) {
      startBuild();
    }
    return changed;
  }

  private boolean addLocked(Key k, int addedAt) {
    View v = view;
    Object[] at = locate(v, k);
    if (at != null) {
      int id = (Integer) at[1];
      if (stateAt(at[0], id) == ACTIVE) {
        return false;
      }
      setState(at[0], id, ACTIVE);
      dead--;
      live++;
      view = v; // publish the state change
      return true;
    }
    Scan d = v.delta;
    long[] words = d.words;
    byte[] st = d.state;
    int[] ad = d.added;
    int n = d.count;
    if (n == st.length) {
      int cap = Math.max(64, st.length * 2);
      words = Arrays.copyOf(words, 4 * cap);
      st = Arrays.copyOf(st, cap);
      ad = Arrays.copyOf(ad, cap);
    }
    int b = 4 * n;
    words[b] = k.w0();
    words[b + 1] = k.w1();
    words[b + 2] = k.w2();
    words[b + 3] = k.w3();
    st[n] = ACTIVE;
    ad[n] = addedAt;
    deltaIndex.put(k, n);
    live++;
    view = new View(v.base, v.baseState, v.frozen, new Scan(words, st, ad, n + 1));
    return true;
  }

  /**
   * Sets the state of an existing entry to WITHDRAWN or DELETED.
   *
   * @return the previous state, or -1 when absent
   */
  synchronized int kill(long q0, long q1, long q2, long q3, byte newState) {
    Key k = new Key(q0, q1, q2, q3);
    int old = killLocked(k, newState);
    if (old >= 0 && building) {
      duringBuild.add(new Object[] {k, newState});
    }
    if (!building && dead > 1024 && dead > (live + dead) / 8) {
      rebuildNow(null, 0, 0);
    }
    return old;
  }

  private int killLocked(Key k, byte newState) {
    View v = view;
    Object[] at = locate(v, k);
    if (at == null) {
      return -1;
    }
    int id = (Integer) at[1];
    byte old = stateAt(at[0], id);
    if (old == newState || old == DELETED) {
      return old;
    }
    setState(at[0], id, newState);
    if (old == ACTIVE) {
      live--;
      dead++;
    }
    view = v; // publish the state change
    return old;
  }

  /**
   * Adds many entries at once by rebuilding the base: duplicates (within the batch and against the
   * store) are skipped.
   *
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
    awaitBuild();
    int before = live;
    rebuildNow(words, count, addedAt);
    return live - before;
  }

  /** Rebuilds the base from live entries now, dropping withdrawn and deleted ones from memory. */
  synchronized void compact() {
    awaitBuild();
    rebuildNow(null, 0, 0);
  }

  private void awaitBuild() {
    boolean interrupted = false;
    while (building) {
      try {
        wait();
      } catch (InterruptedException e) {
        interrupted = true;
      }
    }
    if (interrupted) {
      Thread.currentThread().interrupt();
    }
  }

  /** Freezes the delta (if not already frozen) and builds base + frozen in the background. */
  private void startBuild() {
    View v = view;
    if (v.frozen.count == 0) {
      frozenIndex = deltaIndex;
      deltaIndex = new HashMap<>();
      v = new View(v.base, v.baseState, v.delta, new Scan(new long[4 * 64], new byte[64], new int[64], 0));
      view = v;
    }
    building = true;
    duringBuild.clear();
    View snapshot = v;
    try {
      executor.execute(() -> background(snapshot));
    } catch (RuntimeException e) {
      building = false;
      LOG.warn("cannot start a PDQ index build; the frozen buffer stays scanned", e);
    }
  }

  private void background(View snapshot) {
    Built built = null;
    Throwable failure = null;
    try {
      built = collect(snapshot, null, 0, 0);
      built.index = MihIndex.build(built.words, built.added, built.n);
      built.words = null;
      built.added = null;
    } catch (RuntimeException | OutOfMemoryError e) {
      failure = e;
    }
    synchronized (this) {
      try {
        if (built != null && failure == null) {
          publishBuilt(built);
        } else {
          LOG.warn("PDQ index build failed; the frozen buffer stays scanned", failure);
        }
      } finally {
        duringBuild.clear();
        building = false;
        notifyAll();
      }
      if (failure == null && view.delta.count >= DELTA_MAX) {
        startBuild();
      }
    }
  }

  /**
   * Publishes a background-built base after replaying onto it, before anyone can see it, every
   * change made while it was built: a reader must never see an entry that a returned withdraw
   * killed, nor miss one that a returned add revived. Entries of the current delta keep their own
   * (authoritative) states; re-activated entries the build did not copy are appended to the delta.
   */
  private void publishBuilt(Built built) {
    View now = view;
    Packed state = new Packed(built.n, 2);
    Scan d = now.delta;
    long[] dw = d.words;
    byte[] ds = d.state;
    int[] da = d.added;
    int dn = d.count;
    Map<Key, Integer> appended = new HashMap<>();
    for (Object[] change : duringBuild) {
      Key k = (Key) change[0];
      int id = built.index.find(k.w0(), k.w1(), k.w2(), k.w3());
      Integer slot = appended.get(k);
      if (change[1] instanceof Integer) {
        if (id >= 0) {
          state.set(id, ACTIVE);
        } else if (slot != null) {
          ds[slot] = ACTIVE;
        } else if (!deltaIndex.containsKey(k)) {
          if (dn == ds.length) {
            int cap = Math.max(64, ds.length * 2);
            dw = Arrays.copyOf(dw, 4 * cap);
            ds = Arrays.copyOf(ds, cap);
            da = Arrays.copyOf(da, cap);
          }
          int b = 4 * dn;
          dw[b] = k.w0();
          dw[b + 1] = k.w1();
          dw[b + 2] = k.w2();
          dw[b + 3] = k.w3();
          ds[dn] = ACTIVE;
          da[dn] = (Integer) change[1];
          appended.put(k, dn);
          dn++;
        }
      } else {
        byte st = (Byte) change[1];
        if (id >= 0) {
          if (state.get(id) != DELETED) {
            state.set(id, st);
          }
        } else if (slot != null && ds[slot] != DELETED) {
          ds[slot] = st;
        }
      }
    }
    deltaIndex.putAll(appended);
    frozenIndex = new HashMap<>();
    view = new View(built.index, state, Scan.EMPTY, new Scan(dw, ds, da, dn));
    recount();
  }

  private void recount() {
    View v = view;
    int l = 0;
    int d = 0;
    for (int i = 0, n = v.base.size(); i < n; i++) {
      if (v.baseState.get(i) == ACTIVE) {
        l++;
      } else {
        d++;
      }
    }
    for (Scan s : new Scan[] {v.frozen, v.delta}) {
      for (int i = 0; i < s.count; i++) {
        if (s.state[i] == ACTIVE) {
          l++;
        } else {
          d++;
        }
      }
    }
    live = l;
    dead = d;
  }

  /** A new base's arrays. */
  private static final class Built {
    long[] words;
    int[] added;
    int n;
    MihIndex index;
  }

  /** The live entries of base and frozen buffer (and the delta too when {@code withDelta}), plus extra. */
  private static Built collect(View v, long[] extra, int extraCount, int extraAdded) {
    return collect(v, false, extra, extraCount, extraAdded);
  }

  private static Built collect(View v, boolean withDelta, long[] extra, int extraCount, int extraAdded) {
    int cap = v.base.size() + v.frozen.count + (withDelta ? v.delta.count : 0) + extraCount;
    long[] words = new long[4 * cap];
    int[] added = new int[cap];
    int[] n = {0};
    MihIndex base = v.base;
    base.forEach((i, w0, w1, w2, w3) -> {
      if (v.baseState.get(i) == ACTIVE) {
        int b = 4 * n[0];
        words[b] = w0;
        words[b + 1] = w1;
        words[b + 2] = w2;
        words[b + 3] = w3;
        added[n[0]++] = base.addedAt(i);
      }
    });
    return collectRest(v, withDelta, words, added, n[0], extra, extraCount, extraAdded);
  }

  private static Built collectRest(View v, boolean withDelta, long[] words, int[] added, int n, long[] extra,
      int extraCount, int extraAdded) {
    for (Scan s : withDelta ? new Scan[] {v.frozen, v.delta} : new Scan[] {v.frozen}) {
      for (int i = 0; i < s.count; i++) {
        if (s.state[i] == ACTIVE) {
          System.arraycopy(s.words, 4 * i, words, 4 * n, 4);
          added[n++] = s.added[i];
        }
      }
    }
    if (extraCount > 0) {
      System.arraycopy(extra, 0, words, 4 * n, 4 * extraCount);
      Arrays.fill(added, n, n + extraCount, extraAdded);
      n += extraCount;
      n = dedupe(words, added, n);
    }
    // no trimming copy: the index build reads the first n and keeps its own layout
    Built b = new Built();
    b.words = words;
    b.added = added;
    b.n = n;
    return b;
  }

  /**
   * Rebuilds the base now from every live entry plus {@code extra}; a hash present twice keeps its
   * first occurrence (existing entries before the batch). Caller holds the monitor, no build runs.
   */
  private void rebuildNow(long[] extra, int extraCount, int extraAdded) {
    Built b = collect(view, true, extra, extraCount, extraAdded);
    MihIndex base = MihIndex.build(b.words, b.added, b.n);
    deltaIndex = new HashMap<>();
    frozenIndex = new HashMap<>();
    live = b.n;
    dead = 0;
    view = new View(base, new Packed(b.n, 2), Scan.EMPTY,
        new Scan(new long[4 * 64], new byte[64], new int[64], 0));
  }

  /**
   * Removes repeated hashes in place, keeping the first occurrence and the order. Cache-conscious:
   * entries are first distributed by the top 8 bits of a 64-bit mix of their words into 256
   * sequential streams (mix and ordinal), then each stream is deduplicated with a small
   * open-addressing table on the mix, comparing words only when two mixes are equal.
   *
   * @return the new count
   */
  static int dedupe(long[] words, int[] added, int count) {
    if (count < 2) {
      return count;
    }
    int parts = count >= 1 << 16 ? 256 : 1;
    int shift = 64 - Integer.numberOfTrailingZeros(parts);
    long[] mix = new long[count];
    int[] start = new int[parts + 1];
    for (int i = 0, b = 0; i < count; i++, b += 4) {
      long h = Mix.of(words[b], words[b + 1], words[b + 2], words[b + 3]);
      mix[i] = h;
      start[(parts == 1 ? 0 : (int) (h >>> shift)) + 1]++;
    }
    for (int c = 0; c < parts; c++) {
      start[c + 1] += start[c];
    }
    int[] cursor = Arrays.copyOf(start, parts);
    long[] pMix = new long[count];
    int[] pOrd = new int[count];
    for (int i = 0; i < count; i++) {
      int c = parts == 1 ? 0 : (int) (mix[i] >>> shift);
      int at = cursor[c]++;
      pMix[at] = mix[i];
      pOrd[at] = i;
    }
    mix = null;
    boolean[] dup = new boolean[count];
    int largest = 0;
    for (int c = 0; c < parts; c++) {
      largest = Math.max(largest, start[c + 1] - start[c]);
    }
    int cap = Integer.highestOneBit(Math.max(4, largest + (largest >>> 1))) << 1;
    int[] table = new int[cap];
    int mask = cap - 1;
    boolean any = false;
    for (int c = 0; c < parts; c++) {
      int from = start[c];
      int to = start[c + 1];
      Arrays.fill(table, 0);
      for (int j = from; j < to; j++) {
        long h = pMix[j];
        int slot = (int) (h ^ (h >>> 32)) & mask;
        int o = pOrd[j];
        while (table[slot] != 0) {
          int other = table[slot] - 1;
          if (pMix[other] == h && same(words, pOrd[other], o)) {
            dup[o] = true;
            any = true;
            break;
          }
          slot = (slot + 1) & mask;
        }
        if (!dup[o]) {
          table[slot] = j + 1;
        }
      }
    }
    if (!any) {
      return count;
    }
    int n = 0;
    for (int i = 0; i < count; i++) {
      if (dup[i]) {
        continue;
      }
      if (n != i) {
        System.arraycopy(words, 4 * i, words, 4 * n, 4);
        added[n] = added[i];
      }
      n++;
    }
    return n;
  }

  private static boolean same(long[] w, int x, int y) {
    int a = 4 * x;
    int b = 4 * y;
    return w[a] == w[b] && w[a + 1] == w[b + 1] && w[a + 2] == w[b + 2] && w[a + 3] == w[b + 3];
  }

  /** Visits every entry (any state) of the current view. */
  void forEach(EntryVisitor visitor) {
    View v = view;
    MihIndex base = v.base;
    base.forEach((i, w0, w1, w2, w3) -> visitor.visit(w0, w1, w2, w3, (byte) v.baseState.get(i), base.addedAt(i)));
    for (Scan s : new Scan[] {v.frozen, v.delta}) {
      for (int i = 0; i < s.count; i++) {
        int b = 4 * i;
        visitor.visit(s.words[b], s.words[b + 1], s.words[b + 2], s.words[b + 3], s.state[i], s.added[i]);
      }
    }
  }

  /** Receives entries from {@link #forEach}. */
  interface EntryVisitor {
    void visit(long w0, long w1, long w2, long w3, byte state, int addedAt);
  }

  /** A hash as a map key (buffer indexes and the change log). */
  record Key(long w0, long w1, long w2, long w3) {}

  // ---------------------------------------------------------------- snapshots

  /**
   * Writes the store for a snapshot, after any running build: the base index's own arrays, its
   * states and both buffers, so that {@link #read} needs no build.
   */
  synchronized void write(SnapshotIo.Out out) throws java.io.IOException {
    awaitBuild();
    View v = view;
    v.base.write(out);
    v.baseState.write(out);
    writeScan(v.frozen, out);
    writeScan(v.delta, out);
  }

  private static void writeScan(Scan s, SnapshotIo.Out out) throws java.io.IOException {
    out.writeInt(s.count);
    out.writeLongs(s.words, 0, 4 * s.count);
    out.writeBytes(s.state, 0, s.count);
    out.writeInts(s.added, 0, s.count);
  }

  /** Reads what {@link #write} wrote into a view for {@link #install}, checking every state value. */
  static View read(SnapshotIo.In in) throws java.io.IOException {
    MihIndex base = MihIndex.read(in);
    Packed baseState = Packed.read(in, "index states");
    if (baseState.size() != base.size() || baseState.width() != 2) {
      throw in.corrupt("index states: " + baseState.size() + " of " + baseState.width() + " bits for "
          + base.size() + " entries");
    }
    for (int i = 0; i < base.size(); i++) {
      if (baseState.get(i) > DELETED) {
        throw in.corrupt("index states: entry " + i + " has state " + baseState.get(i));
      }
    }
    Scan frozen = readScan(in, "frozen buffer");
    Scan delta = readScan(in, "delta buffer");
    if (delta.count >= DELTA_MAX + DELTA_MAX / 4 || frozen.count >= DELTA_MAX + DELTA_MAX / 4) {
      throw in.corrupt("buffers of " + frozen.count + " and " + delta.count + " entries");
    }
    return new View(base, baseState, frozen.count == 0 ? Scan.EMPTY : frozen, delta);
  }

  private static Scan readScan(SnapshotIo.In in, String what) throws java.io.IOException {
    int n = in.count(in.readInt(), 37, what);
    int cap = Math.max(64, n);
    long[] words = new long[4 * cap];
    byte[] state = new byte[cap];
    int[] added = new int[cap];
    in.readLongs(words, 0, 4 * n);
    in.readBytes(state, 0, n);
    in.readInts(added, 0, n);
    for (int i = 0; i < n; i++) {
      if (state[i] < ACTIVE || state[i] > DELETED) {
        throw in.corrupt(what + ": entry " + i + " has state " + state[i]);
      }
    }
    return new Scan(words, state, added, n);
  }

  /**
   * Installs a view read by {@link #read} into this empty store (a bank just defined from a
   * snapshot), counting its live and dead entries and indexing its buffers.
   *
   * @throws IllegalStateException when the store is not empty
   */
  synchronized void install(View v) {
    if (live != 0 || dead != 0 || building || view.base.size() != 0 || view.delta.count != 0) {
      throw new IllegalStateException("a snapshot is installed only into an empty store");
    }
    int l = 0;
    int d = 0;
    for (int i = 0; i < v.base.size(); i++) {
      if (v.baseState.get(i) == ACTIVE) {
        l++;
      } else {
        d++;
      }
    }
    Map<Key, Integer> fi = new HashMap<>();
    Map<Key, Integer> di = new HashMap<>();
    int fa = index(v.frozen, fi);
    int da = index(v.delta, di);
    l += fa + da;
    d += v.frozen.count - fa + v.delta.count - da;
    frozenIndex = fi;
    deltaIndex = di;
    live = l;
    dead = d;
    view = v;
  }

  /** Indexes a buffer's entries by hash; returns how many of them are active. */
  private static int index(Scan s, Map<Key, Integer> index) {
    int active = 0;
    for (int i = 0; i < s.count; i++) {
      int b = 4 * i;
      index.put(new Key(s.words[b], s.words[b + 1], s.words[b + 2], s.words[b + 3]), i);
      if (s.state[i] == ACTIVE) {
        active++;
      }
    }
    return active;
  }
}
