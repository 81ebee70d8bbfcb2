package dev.haetae.moderation.core.hash;

import dev.haetae.moderation.api.Category;
import dev.haetae.moderation.api.Fingerprints;
import dev.haetae.moderation.api.MatchType;
import dev.haetae.moderation.api.Md5;
import dev.haetae.moderation.api.Pdq;
import dev.haetae.moderation.api.PdqHash;
import dev.haetae.moderation.api.Sha256;
import dev.haetae.moderation.api.Signal;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The hash banks an engine matches content against: exact SHA-256 / MD5 sets and PDQ lists with a
 * per-bank Hamming distance. Every change bumps the bank's version, which each decision records.
 *
 * <p>Thread-safe: lookups never block on updates.
 *
 * @since 0.1
 */
public final class HashBanks {
  /** The PDQ distance used when a bank is created implicitly by {@link #add}. */
  public static final int DEFAULT_PDQ_DISTANCE = 31;

  private final Map<String, Bank> banks = new ConcurrentHashMap<>();

  private HashBanks() {}

  /**
   * Empty banks, held in memory.
   *
   * @return a new instance
   */
  public static HashBanks inMemory() {
    return new HashBanks();
  }

  /**
   * Creates (or reconfigures) a bank.
   *
   * @param bankId the bank's id; not null
   * @param category the harm its entries concern; not null
   * @param pdqDistance the largest PDQ distance that counts as a match, 0..255
   * @return this
   */
  public HashBanks define(String bankId, Category category, int pdqDistance) {
    if (pdqDistance < 0 || pdqDistance > 255) {
      throw new IllegalArgumentException("pdqDistance must be 0..255, got " + pdqDistance);
    }
    banks.compute(bankId, (k, b) -> {
      Bank n = b == null ? new Bank(bankId) : b;
      n.category = category;
      n.pdqDistance = pdqDistance;
      n.version.incrementAndGet();
      return n;
    });
    return this;
  }

  /**
   * Adds one entry, creating the bank with {@link #DEFAULT_PDQ_DISTANCE} if needed.
   *
   * @param bankId the bank; not null
   * @param category the bank's category when it is created here; not null
   * @param type the hash type; not null
   * @param hex the hash in hex; not null
   * @return whether the entry was new
   * @throws dev.haetae.moderation.api.InvalidRequestException when {@code hex} is malformed
   */
  public boolean add(String bankId, Category category, MatchType type, String hex) {
    String key = canonical(type, hex);
    Bank b = bank(bankId, category);
    boolean added = b.entries(type).add(key);
    if (added && type == MatchType.PDQ) {
      b.pdq.add(PdqHash.fromHex(key));
    }
    if (added) {
      b.version.incrementAndGet();
    }
    return added;
  }

  /**
   * Withdraws one entry: it stops matching at once.
   *
   * @param bankId the bank; not null
   * @param type the hash type; not null
   * @param hex the hash in hex; not null
   * @return whether the entry was present
   */
  public boolean withdraw(String bankId, MatchType type, String hex) {
    Bank b = banks.get(bankId);
    if (b == null) {
      return false;
    }
    String key = canonical(type, hex);
    boolean removed = b.entries(type).remove(key);
    if (removed && type == MatchType.PDQ) {
      b.pdq.remove(PdqHash.fromHex(key));
    }
    if (removed) {
      b.version.incrementAndGet();
    }
    return removed;
  }

  /**
   * Adds every fingerprint of one item to a bank (used to block re-uploads of removed content).
   *
   * @param bankId the bank; not null
   * @param category the bank's category when created here; not null
   * @param fingerprints the item's fingerprints; not null
   * @return how many entries were new
   */
  public int addFingerprints(String bankId, Category category, Fingerprints fingerprints) {
    int n = 0;
    if (fingerprints.sha256().isPresent() && add(bankId, category, MatchType.SHA256,
        fingerprints.sha256().get().toHex())) {
      n++;
    }
    if (fingerprints.md5().isPresent() && add(bankId, category, MatchType.MD5, fingerprints.md5().get().toHex())) {
      n++;
    }
    if (fingerprints.pdq().isPresent() && add(bankId, category, MatchType.PDQ,
        fingerprints.pdq().get().hash().toHex())) {
      n++;
    }
    return n;
  }

  /**
   * All matches of the fingerprints across all banks.
   *
   * @param fingerprints the query; not null
   * @return the matches, one per matched entry; never null
   */
  public List<Signal.HashMatch> match(Fingerprints fingerprints) {
    if (banks.isEmpty() || fingerprints.isEmpty()) {
      return List.of();
    }
    List<Signal.HashMatch> out = new ArrayList<>(0);
    for (Bank b : banks.values()) {
      long v = b.version.get();
      if (fingerprints.sha256().isPresent()) {
        Sha256 s = fingerprints.sha256().get();
        if (b.sha256.contains(s.toHex())) {
          out.add(new Signal.HashMatch(b.id, v, b.category, MatchType.SHA256, s.toHex(), 0, 0, -1, false));
        }
      }
      if (fingerprints.md5().isPresent()) {
        Md5 m = fingerprints.md5().get();
        if (b.md5.contains(m.toHex())) {
          out.add(new Signal.HashMatch(b.id, v, b.category, MatchType.MD5, m.toHex(), 0, 0, -1, false));
        }
      }
      if (fingerprints.pdq().isPresent() && !b.pdq.isEmpty()) {
        Pdq q = fingerprints.pdq().get();
        for (PdqHash e : b.pdq) {
          int d = q.hash().distance(e);
          for (PdqHash v2 : q.queryVariants()) {
            d = Math.min(d, v2.distance(e));
          }
          if (d <= b.pdqDistance) {
            out.add(new Signal.HashMatch(b.id, v, b.category, MatchType.PDQ, e.toHex(), d, b.pdqDistance,
                q.quality(), false));
          }
        }
      }
    }
    return out;
  }

  /**
   * The current version of every bank, by bank id, as recorded in evidence.
   *
   * @return a sorted snapshot; never null
   */
  public Map<String, String> versions() {
    Map<String, String> out = new TreeMap<>();
    for (Bank b : banks.values()) {
      out.put("bank:" + b.id, Long.toString(b.version.get()));
    }
    return out;
  }

  private Bank bank(String bankId, Category category) {
    return banks.computeIfAbsent(bankId, id -> {
      Bank b = new Bank(id);
      b.category = category;
      b.pdqDistance = DEFAULT_PDQ_DISTANCE;
      return b;
    });
  }

  private static String canonical(MatchType type, String hex) {
    switch (type) {
      case PDQ:
        return PdqHash.fromHex(hex).toHex();
      case SHA256:
        return Sha256.fromHex(hex).toHex();
      default:
        return Md5.fromHex(hex).toHex();
    }
  }

  private static final class Bank {
    final String id;
    volatile Category category;
    volatile int pdqDistance;
    final AtomicLong version = new AtomicLong();
    final Set<String> sha256 = ConcurrentHashMap.newKeySet();
    final Set<String> md5 = ConcurrentHashMap.newKeySet();
    final Set<String> pdqKeys = ConcurrentHashMap.newKeySet();
    final List<PdqHash> pdq = new CopyOnWriteArrayList<>();

    Bank(String id) {
      this.id = id;
    }

    Set<String> entries(MatchType type) {
      switch (type) {
        case PDQ:
          return pdqKeys;
        case SHA256:
          return sha256;
        default:
          return md5;
      }
    }
  }
}
