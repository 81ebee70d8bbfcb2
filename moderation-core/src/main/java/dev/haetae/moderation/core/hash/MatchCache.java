package dev.haetae.moderation.core.hash;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import com.github.benmanes.caffeine.cache.RemovalCause;
import dev.haetae.moderation.api.Fingerprints;
import dev.haetae.moderation.api.Md5;
import dev.haetae.moderation.api.Pdq;
import dev.haetae.moderation.api.PdqHash;
import dev.haetae.moderation.api.Sha256;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.atomic.LongAdder;

/**
 * Which banks a content is known to miss, and in which state of each bank it missed it: the
 * match-result cache of {@link HashBanks}. Thread-safe.
 *
 * <p><b>Why it is exact.</b> A bank's result for a content is a function of the content's
 * fingerprints (all of them: PDQ hash, quality, query variants, SHA-256, MD5), the bank's entries
 * and configuration, and, when the bank has raw hits, the entries, configuration and
 * {@code activeAt(now)} of its negative banks. Every change of a bank's entries or configuration
 * increments {@link Bank#version()} after the change is visible to searches, and counters only grow.
 * So a miss is recorded with a <em>stamp</em> read before the bank was queried: the bank's version,
 * and each negative bank's version (or -1 when undefined) and whether it is active now. A later
 * lookup may skip the bank only when its stamp, read now, is equal: then no change completed since
 * the recorded query started, and the query would miss again.
 *
 * <p>Only misses are remembered: a match counts towards its entry's flood detection and carries the
 * entry's quarantine state, so every match is computed by the bank itself. Whether a bank is active
 * now, and allow-list banks, are decided by {@link HashBanks#match} before the cache is consulted.
 */
final class MatchCache {
  private final Cache<Key, Misses> cache;
  private final long maxEntries;
  private final LongAdder hits = new LongAdder();
  private final LongAdder misses = new LongAdder();
  private final LongAdder evictions = new LongAdder();

  MatchCache(long maxEntries) {
    this.maxEntries = maxEntries;
    // maintenance on the caller: handing it to a pool costs a thread wake-up per write
    this.cache = Caffeine.newBuilder().maximumSize(maxEntries).executor(Runnable::run)
        .removalListener((Key k, Misses v, RemovalCause c) -> {
          if (c.wasEvicted()) {
            evictions.increment();
          }
        }).build();
  }

  /** The key of a content with a PDQ hash. */
  static Key key(Fingerprints fp) {
    Pdq p = fp.pdq().orElseThrow();
    List<PdqHash> vs = p.queryVariants();
    Sha256 s = fp.sha256().orElse(null);
    Md5 m = fp.md5().orElse(null);
    long[] w = new long[4 + 4 * vs.size() + (s == null ? 0 : 4) + (m == null ? 0 : 2)];
    int i = put(w, 0, p.hash());
    for (PdqHash v : vs) {
      i = put(w, i, v);
    }
    if (s != null) {
      w[i++] = s.a();
      w[i++] = s.b();
      w[i++] = s.c();
      w[i++] = s.d();
    }
    if (m != null) {
      w[i++] = m.hi();
      w[i] = m.lo();
    }
    // quality (-1..100), presence of the digests and the variant count make the layout unambiguous
    int meta = (p.quality() + 1) | (s == null ? 0 : 1 << 8) | (m == null ? 0 : 1 << 9) | vs.size() << 10;
    return new Key(w, meta);
  }

  private static int put(long[] w, int i, PdqHash h) {
    w[i] = h.w0();
    w[i + 1] = h.w1();
    w[i + 2] = h.w2();
    w[i + 3] = h.w3();
    return i + 4;
  }

  Misses get(Key k) {
    return cache.getIfPresent(k);
  }

  void put(Key k, Misses v) {
    cache.put(k, v);
  }

  void hit() {
    hits.increment();
  }

  void miss() {
    misses.increment();
  }

  MatchCacheStats stats() {
    return new MatchCacheStats(hits.sum(), misses.sum(), cache.estimatedSize(), evictions.sum(), maxEntries);
  }

  /** The stamp of a bank before it is queried: see the class comment. */
  static long[] stamp(Bank b, HashBanks owner, Instant now) {
    long version = b.version(); // first: a change made after this read makes the stamp outdated
    List<String> negatives = b.config().negativeBanks();
    long[] s = new long[1 + 2 * negatives.size()];
    s[0] = version;
    for (int i = 0; i < negatives.size(); i++) {
      Bank n = owner.find(negatives.get(i)).orElse(null);
      s[1 + 2 * i] = n == null ? -1 : n.version();
      s[2 + 2 * i] = n != null && n.config().activeAt(now) ? 1 : 0;
    }
    return s;
  }

  /** Whether a recorded stamp equals the bank's stamp now (without allocating one). */
  static boolean current(long[] s, Bank b, HashBanks owner, Instant now) {
    if (s[0] != b.version()) {
      return false;
    }
    List<String> negatives = b.config().negativeBanks();
    if (s.length != 1 + 2 * negatives.size()) {
      return false;
    }
    for (int i = 0; i < negatives.size(); i++) {
      Bank n = owner.find(negatives.get(i)).orElse(null);
      if (s[1 + 2 * i] != (n == null ? -1 : n.version())
          || s[2 + 2 * i] != (n != null && n.config().activeAt(now) ? 1 : 0)) {
        return false;
      }
    }
    return true;
  }

  /** A content's fingerprints, compared exactly. */
  static final class Key {
    private final long[] words;
    private final int meta;
    private final int hash;

    Key(long[] words, int meta) {
      this.words = words;
      this.meta = meta;
      this.hash = 31 * Arrays.hashCode(words) + meta;
    }

    @Override
    public boolean equals(Object o) {
      return o instanceof Key && ((Key) o).meta == meta && Arrays.equals(((Key) o).words, words);
    }

    @Override
    public int hashCode() {
      return hash;
    }
  }

  /** The banks a content missed, each with its stamp; immutable. */
  static final class Misses {
    static final Misses NONE = new Misses(new Bank[0], new long[0][]);

    final Bank[] banks;
    final long[][] stamps;

    Misses(Bank[] banks, long[][] stamps) {
      this.banks = banks;
      this.stamps = stamps;
    }

    /** Whether the content is known to miss {@code b} in its current state. */
    boolean covers(Bank b, HashBanks owner, Instant now) {
      for (int i = 0; i < banks.length; i++) {
        if (banks[i] == b) {
          return current(stamps[i], b, owner, now);
        }
      }
      return false;
    }

    /** A copy with {@code b}'s stamp set (replacing an older one). */
    Misses with(Bank b, long[] stamp) {
      for (int i = 0; i < banks.length; i++) {
        if (banks[i] == b) {
          long[][] s = stamps.clone();
          s[i] = stamp;
          return new Misses(banks, s);
        }
      }
      Bank[] nb = Arrays.copyOf(banks, banks.length + 1);
      long[][] ns = Arrays.copyOf(stamps, stamps.length + 1);
      nb[banks.length] = b;
      ns[stamps.length] = stamp;
      return new Misses(nb, ns);
    }
  }
}
