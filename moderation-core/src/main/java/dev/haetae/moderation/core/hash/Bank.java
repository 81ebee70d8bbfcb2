package dev.haetae.moderation.core.hash;

import dev.haetae.moderation.api.Category;
import dev.haetae.moderation.api.Fingerprints;
import dev.haetae.moderation.api.InvalidRequestException;
import dev.haetae.moderation.api.MatchType;
import dev.haetae.moderation.api.Md5;
import dev.haetae.moderation.api.Pdq;
import dev.haetae.moderation.api.PdqHash;
import dev.haetae.moderation.api.Sha256;
import dev.haetae.moderation.api.Signal;
import dev.haetae.moderation.api.spi.HashBankSource;
import dev.haetae.moderation.api.spi.HashBankSource.Entry.State;
import java.io.IOException;
import java.io.Reader;
import java.io.Writer;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A handle on one hash bank of a {@link HashBanks}: its configuration, entries, lifecycle, version,
 * feedback and files. Obtain it from {@link HashBanks#define(BankConfig)} or
 * {@link HashBanks#bank(String)}.
 *
 * <p><b>Thread safety.</b> Every method is safe to call from any thread. Matching never blocks on
 * changes: it works on a snapshot, and a change is seen by every match that starts after the
 * changing method returned. Changes to one bank are serialised.
 *
 * <p><b>Versions.</b> Every change (entry or configuration) increments {@link #version()}.
 * {@link #versionString()} adds a digest of the active entries and the configuration, so that two
 * processes that loaded the same list report the same digest, and an auditor can tell whether a
 * replay runs against the same bank.
 *
 * @since 0.1
 */
public final class Bank {
  private static final MatchType[] EXACT = {MatchType.SHA256, MatchType.MD5, MatchType.VIDEO_MD5};

  private final HashBanks owner;
  private final String id;
  private volatile BankConfig config;
  /** {@code Mix.of(config.digestText())}, kept with the config so the hot path does not rebuild it. */
  private volatile long configDigest;
  private final PdqStore pdq = new PdqStore();
  private final Map<MatchType, ConcurrentHashMap<String, ExactEntry>> exact = new EnumMap<>(MatchType.class);
  private final ConcurrentHashMap<String, EntryStats> stats = new ConcurrentHashMap<>();
  private final ConcurrentHashMap<String, String> caseIds = new ConcurrentHashMap<>();
  /**
   * The entries that carry their own category and the reason they were banked (sparse: only
   * entries added with {@link #addEntry(MatchType, String, Category, String)}), keyed by
   * {@link #noteKey}. The index itself stays one set of hashes.
   */
  private final ConcurrentHashMap<String, EntryNote> notes = new ConcurrentHashMap<>();
  private final AtomicLong version = new AtomicLong();
  private volatile long digest;
  volatile HashBankSource source;
  volatile Optional<String> checkpoint = Optional.empty();
  /** The foreign entries read with a snapshot, until {@code HashBanks} publishes the bank. */
  ForeignEntries restoredForeign;

  Bank(HashBanks owner, BankConfig config) {
    this.owner = owner;
    this.id = config.id();
    this.config = config;
    this.configDigest = Mix.of(config.digestText());
    for (MatchType t : EXACT) {
      exact.put(t, new ConcurrentHashMap<>());
    }
  }

  /**
   * The bank's id.
   *
   * @return the id; never null
   */
  public String id() {
    return id;
  }

  /**
   * The current configuration.
   *
   * @return the configuration; never null
   */
  public BankConfig config() {
    return config;
  }

  synchronized void reconfigure(BankConfig next) {
    if (!next.equals(config)) {
      configDigest = Mix.of(next.digestText());
      config = next;
      version.incrementAndGet();
    }
  }

  /**
   * The number of changes applied to this bank since it was defined in this process.
   *
   * @return the change counter, 0 for a new empty bank
   */
  public long version() {
    return version.get();
  }

  /**
   * The version as recorded in evidence: {@code <counter>-<digest>}, where the digest (16 hex
   * digits) depends only on the set of active entries and the configuration, not on the order in
   * which they were loaded.
   *
   * @return the version string; never null
   */
  public String versionString() {
    long d = digest ^ configDigest;
    String hex = Long.toHexString(d);
    return version.get() + "-" + "0000000000000000".substring(hex.length()) + hex;
  }

  /**
   * The number of active entries of a type.
   *
   * @param type the type; not null
   * @return the count
   */
  public int size(MatchType type) {
    if (type == MatchType.PDQ) {
      return pdq.size();
    }
    int n = 0;
    for (ExactEntry e : exact.get(type).values()) {
      if (e.state == PdqStore.ACTIVE) {
        n++;
      }
    }
    return n;
  }

  /**
   * The number of active entries of all types.
   *
   * @return the count
   */
  public long size() {
    long n = 0;
    for (MatchType t : MatchType.values()) {
      n += size(t);
    }
    return n;
  }

  /**
   * Heap bytes held by the PDQ entries and their index (hash words, postings, states, added-at
   * times), computed from the array sizes. Exact-hash entries and per-entry feedback are not
   * included.
   *
   * @return the estimate in bytes
   */
  public long pdqHeapBytes() {
    return pdq.heapBytes();
  }

  /**
   * Adds an active entry added now, or re-activates a withdrawn one.
   *
   * @param type the hash type; not null
   * @param hex the hash in hex (either case); not null
   * @return true when the bank changed, false when the entry was already active
   * @throws InvalidRequestException when the hex is malformed for the type, or a PDQ hash is all
   *     zeros or all ones
   */
  public boolean add(MatchType type, String hex) {
    return add(type, hex, owner.now(), null);
  }

  /**
   * Adds an active entry with metadata, or re-activates a withdrawn one.
   *
   * @param type the hash type; not null
   * @param hex the hash in hex (either case); not null
   * @param addedAt when the entry was added to its list; not null
   * @param caseId the source's case id, or null
   * @return true when the bank changed
   * @throws InvalidRequestException as {@link #add(MatchType, String)}
   */
  public boolean add(MatchType type, String hex, Instant addedAt, String caseId) {
    String key = Hashes.normalize(type, hex);
    InvalidRequestException.requireNonNull("addedAt", addedAt);
    int added = seconds(addedAt);
    synchronized (this) {
      boolean changed;
      if (type == MatchType.PDQ) {
        PdqHash h = PdqHash.fromHex(key);
        changed = pdq.add(h.w0(), h.w1(), h.w2(), h.w3(), added);
      } else {
        ConcurrentHashMap<String, ExactEntry> m = exact.get(type);
        ExactEntry e = m.get(key);
        if (e == null) {
          m.put(key, new ExactEntry(PdqStore.ACTIVE, added));
          changed = true;
        } else if (e.state != PdqStore.ACTIVE) {
          e.state = PdqStore.ACTIVE;
          changed = true;
        } else {
          changed = false;
        }
      }
      if (caseId != null) {
        caseIds.put(key, caseId);
      }
      if (changed) {
        digest += entryMix(type, key);
        version.incrementAndGet();
      }
      return changed;
    }
  }

  /**
   * Adds an active entry added now with its own category and the reason it was banked, or
   * re-activates a withdrawn one; an active entry takes the new category and reason. A match of
   * the entry then reports the entry's category, not the bank's: the engine's platform bank holds
   * content removed for different harms, and a match must claim only the harm its own entry was
   * banked for.
   *
   * @param type the hash type; not null
   * @param hex the hash in hex (either case); not null
   * @param category the entry's own category; not null
   * @param reason why it was banked (e.g. the reason code, verdict and decision id); not null
   * @return true when the bank changed (a new or re-activated entry, or a new category or reason)
   * @throws InvalidRequestException when an argument is null or the hex is malformed for the type
   * @since 0.2
   */
  public boolean addEntry(MatchType type, String hex, Category category, String reason) {
    return addEntry(type, hex, owner.now(), category, reason, null);
  }

  /**
   * As {@link #addEntry(MatchType, String, Category, String)}, also recording the keyed pseudonym of
   * the account whose removed content the entry came from (the engine's platform bank does this, so
   * that a report-path match can tell the banked poster's own copies from someone else's content).
   * The first uploader recorded for an active entry is kept: a later banking of the same hash (say
   * a copy removed on sight, posted by another account) changes its category and reason but not its
   * uploader; a withdrawal or deletion forgets it.
   *
   * @param type the hash type; not null
   * @param hex the hash in hex (either case); not null
   * @param category the entry's own category; not null
   * @param reason why it was banked; not null
   * @param uploader the uploader's keyed pseudonym ({@code <key id>:<pseudonym>}), never a raw
   *     account id; null when unknown
   * @return true when the bank changed (a new or re-activated entry, or a new category, reason or
   *     uploader)
   * @throws InvalidRequestException when an argument other than {@code uploader} is null, the
   *     uploader is blank, or the hex is malformed for the type
   * @since 0.4
   */
  public boolean addEntry(MatchType type, String hex, Category category, String reason, String uploader) {
    return addEntry(type, hex, owner.now(), category, reason, uploader);
  }

  /** As {@link #addEntry(MatchType, String, Category, String, String)}, added at a given instant (a shared entry's). */
  private boolean addEntry(MatchType type, String hex, Instant addedAt, Category category, String reason,
      String uploader) {
    InvalidRequestException.requireNonNull("category", category);
    InvalidRequestException.requireNonNull("reason", reason);
    if (uploader != null && uploader.isBlank()) {
      throw new InvalidRequestException("uploader", "must not be blank");
    }
    String key = Hashes.normalize(type, hex);
    synchronized (this) {
      boolean added = add(type, key, addedAt, null);
      EntryNote prior = notes.get(noteKey(type, key));
      String keep = prior != null && prior.uploader() != null ? prior.uploader() : uploader;
      EntryNote next = new EntryNote(category, reason, keep);
      EntryNote old = notes.put(noteKey(type, key), next);
      if (old != null) {
        digest -= noteMix(type, key, old);
      }
      digest += noteMix(type, key, next);
      boolean changed = added || !next.equals(old);
      if (changed && !added) {
        version.incrementAndGet();
      }
      return changed;
    }
  }

  /** An entry's own category, the reason it was banked and its uploader's keyed pseudonym (or null). */
  record EntryNote(Category category, String reason, String uploader) {}

  private static String noteKey(MatchType type, String key) {
    return type.ordinal() + ":" + key;
  }

  /** A note's share of the digest: its category changes what a match claims. */
  private static long noteMix(MatchType type, String key, EntryNote note) {
    long m = Mix.of(entryMix(type, key) ^ 0x6e6f7465L, note.category().ordinal());
    // an uploader changes what a report-path match decides; notes without one mix as before
    return note.uploader() == null ? m : Mix.of(m, Mix.of(note.uploader()));
  }

  /** The category a match of an active entry reports: its own, else the bank's. */
  private Category categoryOf(MatchType type, String key, BankConfig c) {
    if (notes.isEmpty()) {
      return c.category();
    }
    EntryNote n = notes.get(noteKey(type, key));
    return n == null ? c.category() : n.category();
  }

  /**
   * Adds many PDQ hashes at once, added now: the fast path for loading large lists (it rebuilds the
   * index once instead of growing it). Duplicates, within the batch and against the bank, are
   * skipped. The caller must have validated the hashes (see {@link HashBanks#isValidPdq}).
   *
   * @param words the hashes, four words each: {@code words[4 * i + k]} is
   *     {@code PdqHash.word(k)} of hash {@code i}; not null; not retained
   * @param count how many hashes to take from {@code words}
   * @return how many entries were added or re-activated
   * @throws IllegalArgumentException when {@code count} does not fit {@code words}
   */
  public int addPdqBulk(long[] words, int count) {
    if (count < 0 || 4L * count > words.length) {
      throw new IllegalArgumentException("count " + count + " does not fit " + words.length + " words");
    }
    synchronized (this) {
      int changed = pdq.addAll(words, count, seconds(owner.now()));
      if (changed > 0) {
        recomputeDigest();
        version.incrementAndGet();
      }
      return changed;
    }
  }

  /**
   * Withdraws an entry: it stops matching at once, its case id and feedback are dropped, and its
   * hash leaves memory at the next compaction.
   *
   * @param type the hash type; not null
   * @param hex the hash in hex; not null
   * @return true when an active entry was withdrawn
   * @throws InvalidRequestException when the hex is malformed for the type
   */
  public boolean withdraw(MatchType type, String hex) {
    return kill(type, hex, PdqStore.WITHDRAWN);
  }

  /**
   * Deletes an entry: it stops matching at once, its metadata and feedback are dropped at once,
   * and its hash leaves memory at the next compaction ({@link #compact()} forces one).
   *
   * @param type the hash type; not null
   * @param hex the hash in hex; not null
   * @return true when an entry (active or withdrawn) was deleted
   * @throws InvalidRequestException when the hex is malformed for the type
   */
  public boolean delete(MatchType type, String hex) {
    return kill(type, hex, PdqStore.DELETED);
  }

  private boolean kill(MatchType type, String hex, byte newState) {
    String key = Hashes.normalize(type, hex);
    synchronized (this) {
      int old;
      if (type == MatchType.PDQ) {
        PdqHash h = PdqHash.fromHex(key);
        old = pdq.kill(h.w0(), h.w1(), h.w2(), h.w3(), newState);
      } else {
        ConcurrentHashMap<String, ExactEntry> m = exact.get(type);
        ExactEntry e = m.get(key);
        if (e == null) {
          old = -1;
        } else {
          old = e.state;
          if (newState == PdqStore.DELETED) {
            e.state = PdqStore.DELETED;
            m.remove(key);
          } else if (old == PdqStore.ACTIVE) {
            e.state = newState;
          }
        }
      }
      if (old >= 0) {
        // the entry leaves memory at the next index build: drop its side data now so that
        // nothing outlives it (a churning list must not grow the heap)
        caseIds.remove(key);
        stats.remove(key);
        EntryNote n = notes.remove(noteKey(type, key));
        if (n != null && old == PdqStore.ACTIVE) {
          digest -= noteMix(type, key, n);
        }
      }
      boolean changed = old == PdqStore.ACTIVE || (newState == PdqStore.DELETED && old == PdqStore.WITHDRAWN);
      if (old == PdqStore.ACTIVE) {
        digest -= entryMix(type, key);
      }
      if (changed) {
        version.incrementAndGet();
      }
      return changed;
    }
  }

  /**
   * Applies one entry as a source streams it: adds an active entry (with its own category and
   * reason when it carries a category, as {@link #addEntry(MatchType, String, Category, String)}
   * does), withdraws or deletes otherwise.
   *
   * @param entry the entry; not null
   * @return true when the bank changed
   * @throws InvalidRequestException when the entry's hash is malformed
   */
  public boolean apply(HashBankSource.Entry entry) {
    switch (entry.state()) {
      case ACTIVE:
        if (entry.category().isPresent()) {
          return addEntry(entry.type(), entry.hash(), entry.addedAt().orElseGet(owner::now), entry.category().get(),
              entry.reason().orElse(""), entry.uploader().orElse(null));
        }
        return add(entry.type(), entry.hash(), entry.addedAt().orElseGet(owner::now), entry.caseId().orElse(null));
      case WITHDRAWN:
        return withdraw(entry.type(), entry.hash());
      default:
        return delete(entry.type(), entry.hash());
    }
  }

  /**
   * Removes withdrawn and deleted entries from memory now (otherwise done when they pass one eighth
   * of the bank). Matching continues on the old index meanwhile.
   */
  public void compact() {
    synchronized (this) {
      pdq.compact();
      for (MatchType t : EXACT) {
        exact.get(t).values().removeIf(e -> e.state != PdqStore.ACTIVE);
      }
    }
  }

  /**
   * Looks an entry up.
   *
   * @param type the hash type; not null
   * @param hex the hash in hex; not null
   * @return the entry, or empty when the bank does not hold it (never added, or deleted and
   *     compacted)
   * @throws InvalidRequestException when the hex is malformed for the type
   */
  public Optional<EntryInfo> entry(MatchType type, String hex) {
    String key = Hashes.normalize(type, hex);
    int state;
    int added;
    if (type == MatchType.PDQ) {
      PdqHash h = PdqHash.fromHex(key);
      int[] out = new int[1];
      state = pdq.stateOf(h.w0(), h.w1(), h.w2(), h.w3(), out);
      added = out[0];
    } else {
      ExactEntry e = exact.get(type).get(key);
      state = e == null ? -1 : e.state;
      added = e == null ? 0 : e.addedAt;
    }
    if (state < 0) {
      return Optional.empty();
    }
    return Optional.of(info(type, key, state, added));
  }

  private EntryInfo info(MatchType type, String key, int state, int added) {
    EntryStats s = stats.get(key);
    EntryNote n = notes.get(noteKey(type, key));
    return new EntryInfo(id, type, key, State.values()[state], Instant.ofEpochSecond(added & 0xFFFFFFFFL),
        Optional.ofNullable(caseIds.get(key)), s == null ? 0 : s.confirmed(), s == null ? 0 : s.deconfirmed(),
        s == null ? 0 : s.matches(), s != null && s.quarantined(), n == null ? config.category() : n.category(),
        n == null ? Optional.empty() : Optional.of(n.reason()),
        n == null ? Optional.empty() : Optional.ofNullable(n.uploader()));
  }

  /**
   * Records review feedback on a match of an entry, and hands it to the bank's source, if any.
   *
   * @param type the entry's type; not null
   * @param hex the entry's hash; not null
   * @param confirmed whether review confirmed the match
   * @return the entry with its updated feedback counts
   * @throws InvalidRequestException when the bank does not hold the entry
   */
  public EntryInfo feedback(MatchType type, String hex, boolean confirmed) {
    String key = Hashes.normalize(type, hex);
    if (entry(type, key).isEmpty()) {
      throw new InvalidRequestException("feedback.entry", "bank '" + id + "' holds no " + type.wireName()
          + " entry " + key);
    }
    stats.computeIfAbsent(key, k -> new EntryStats()).feedback(confirmed);
    HashBankSource src = source;
    if (src != null) {
      owner.safely(() -> src.feedback(key, confirmed));
    }
    return entry(type, key).orElseThrow();
  }

  /**
   * Lifts flood quarantine from an entry: its matches count fully again, and its current rate
   * becomes its baseline.
   *
   * @param type the entry's type; not null
   * @param hex the entry's hash; not null
   * @return true when the entry was quarantined
   * @throws InvalidRequestException when the hex is malformed
   */
  public boolean restore(MatchType type, String hex) {
    String key = Hashes.normalize(type, hex);
    EntryStats s = stats.get(key);
    boolean restored = s != null && s.restore();
    if (restored) {
      version.incrementAndGet();
    }
    return restored;
  }

  /**
   * Imports a CSV hash list ({@code hash,signal_type[,added_at][,case_id][,status]}, header
   * optional). Malformed lines are reported and skipped; the rest loads.
   *
   * @param in the text; not null; not closed
   * @param name the file name for the report; not null
   * @return the report; never null
   * @throws IOException when reading fails (entries read before stay applied)
   */
  public ImportReport importCsv(Reader in, String name) throws IOException {
    return BankFiles.importCsv(this, in, name);
  }

  /**
   * Imports StopNCII-style JSON: one or more pages
   * {@code {"hashRecords":[{"signalType":"ImagePDQ","hashValue":...,"hashStatus":"Active",...}]}}.
   * Malformed records are reported with their line and skipped; the rest loads.
   *
   * @param in the text; not null; not closed
   * @param name the file name for the report; not null
   * @return the report; never null
   * @throws IOException when reading fails or the JSON structure itself is broken (records read
   *     before stay applied)
   */
  public ImportReport importStopNcii(Reader in, String name) throws IOException {
    return BankFiles.importStopNcii(this, in, name);
  }

  /**
   * Writes the active and withdrawn entries as CSV with a header line
   * ({@code hash,signal_type,added_at,case_id,status}), which {@link #importCsv} reads back.
   *
   * @param out the destination; not null; not closed
   * @throws IOException when writing fails
   */
  public void exportCsv(Writer out) throws IOException {
    BankFiles.exportCsv(this, out);
  }

  /**
   * Writes the active and withdrawn PDQ and video-MD5 entries as one StopNCII-style JSON page,
   * which {@link #importStopNcii} reads back.
   *
   * @param out the destination; not null; not closed
   * @throws IOException when writing fails
   */
  public void exportStopNcii(Writer out) throws IOException {
    BankFiles.exportStopNcii(this, out);
  }

  /** Visits every held entry (active or withdrawn) in a stable order. */
  void forEachEntry(EntryConsumer c) {
    pdq.forEach((w0, w1, w2, w3, state, added) -> {
      if (state != PdqStore.DELETED) {
        String hex = new PdqHash(w3, w2, w1, w0).toHex();
        c.accept(MatchType.PDQ, hex, state, added, caseIds.get(hex));
      }
    });
    for (MatchType t : EXACT) {
      List<String> keys = new ArrayList<>(exact.get(t).keySet());
      keys.sort(null);
      for (String k : keys) {
        ExactEntry e = exact.get(t).get(k);
        if (e != null && e.state != PdqStore.DELETED) {
          c.accept(t, k, e.state, e.addedAt, caseIds.get(k));
        }
      }
    }
  }

  /** Receives entries from {@link #forEachEntry}. */
  interface EntryConsumer {
    void accept(MatchType type, String hex, int state, int addedAt, String caseId);
  }

  // ---------------------------------------------------------------- matching

  /** Whether the content matches any active entry of this (allow-list) bank, for suppression. */
  boolean matchesAny(Fingerprints fp, boolean pdqOnly) {
    BankConfig c = config;
    if (!pdqOnly) {
      if (fp.sha256().isPresent() && active(MatchType.SHA256, fp.sha256().get().toHex())) {
        return true;
      }
      if (fp.md5().isPresent()) {
        String h = fp.md5().get().toHex();
        if (active(MatchType.MD5, h) || active(MatchType.VIDEO_MD5, h)) {
          return true;
        }
      }
      return false;
    }
    if (fp.pdq().isEmpty() || !c.types().contains(MatchType.PDQ)) {
      return false;
    }
    boolean[] found = {false};
    searchPdq(pdq.view(), fp.pdq().get(), c, (j, a, b, x, y, d) -> found[0] = true);
    return found[0];
  }

  /**
   * Searches the content's PDQ hash at the bank's distance and its query variants at the variant
   * distance ({@link BankConfig#effectivePdqVariantDistance()}): in one search when the two are
   * equal (the variants share the hash's probes), else in two. Reports every (query, entry) pair
   * within its query's distance once; query 0 is the hash, query {@code 1 + i} variant {@code i}.
   */
  private static void searchPdq(PdqStore.View v, Pdq p, BankConfig c, PdqStore.MultiHits hits) {
    List<PdqHash> qs = queries(p);
    long[] w = words(qs);
    int variantDistance = c.effectivePdqVariantDistance();
    if (qs.size() == 1 || variantDistance == c.pdqDistance()) {
      PdqStore.search(v, w, qs.size(), c.pdqDistance(), hits);
      return;
    }
    PdqStore.search(v, w, 1, c.pdqDistance(), hits);
    PdqStore.search(v, Arrays.copyOfRange(w, 4, w.length), qs.size() - 1, variantDistance,
        (j, w0, w1, w2, w3, d) -> hits.hit(j + 1, w0, w1, w2, w3, d));
  }

  /** The queries' words, four per hash in {@code PdqHash.word} order. */
  private static long[] words(List<PdqHash> qs) {
    long[] w = new long[4 * qs.size()];
    for (int i = 0; i < qs.size(); i++) {
      PdqHash q = qs.get(i);
      w[4 * i] = q.w0();
      w[4 * i + 1] = q.w1();
      w[4 * i + 2] = q.w2();
      w[4 * i + 3] = q.w3();
    }
    return w;
  }

  private boolean active(MatchType type, String hex) {
    ExactEntry e = exact.get(type).get(hex);
    return e != null && e.state == PdqStore.ACTIVE;
  }

  private static List<PdqHash> queries(Pdq p) {
    if (p.queryVariants().isEmpty()) {
      return List.of(p.hash());
    }
    List<PdqHash> qs = new ArrayList<>(1 + p.queryVariants().size());
    qs.add(p.hash());
    qs.addAll(p.queryVariants());
    return qs;
  }

  /**
   * Appends this bank's matches for the content to {@code out}.
   *
   * @param contentKey a deterministic digest of the content's fingerprints (rollout selection)
   */
  void match(Fingerprints fp, long contentKey, Instant now, List<Signal.HashMatch> out) {
    BankConfig c = config;
    long ver = version.get();
    boolean rollout = c.matchRatio() < 1;
    // first the raw hits; negative banks are consulted only when there is something to suppress
    List<MatchType> exactTypes = new ArrayList<>(0);
    List<String> exactHexes = new ArrayList<>(0);
    if (fp.sha256().isPresent() && c.types().contains(MatchType.SHA256)) {
      String h = fp.sha256().get().toHex();
      if (active(MatchType.SHA256, h)) {
        exactTypes.add(MatchType.SHA256);
        exactHexes.add(h);
      }
    }
    if (fp.md5().isPresent()) {
      String h = fp.md5().get().toHex();
      for (MatchType t : new MatchType[] {MatchType.MD5, MatchType.VIDEO_MD5}) {
        if (c.types().contains(t) && active(t, h)) {
          exactTypes.add(t);
          exactHexes.add(h);
        }
      }
    }
    Map<PdqStore.Key, Integer> best = Map.of();
    Pdq p = fp.pdq().orElse(null);
    if (p != null && c.types().contains(MatchType.PDQ)
        && (p.quality() == Pdq.UNKNOWN_QUALITY || p.quality() >= c.minPdqQuality())) {
      Map<PdqStore.Key, Integer> found = new HashMap<>();
      // the hash at the bank's distance, the variants at the variant distance; the best distance per entry
      searchPdq(pdq.view(), p, c, (j, w0, w1, w2, w3, d) -> found.merge(new PdqStore.Key(w0, w1, w2, w3), d, Math::min));
      best = found;
    }
    if (exactTypes.isEmpty() && best.isEmpty()) {
      return;
    }
    boolean suppressPdq = false;
    for (String n : c.negativeBanks()) {
      Bank neg = owner.find(n).orElse(null);
      if (neg == null || !neg.config.activeAt(now)) {
        continue;
      }
      if (neg.matchesAny(fp, false)) {
        return; // the content itself is known benign
      }
      if (!suppressPdq && !best.isEmpty() && neg.matchesAny(fp, true)) {
        suppressPdq = true;
      }
    }
    for (int i = 0; i < exactTypes.size(); i++) {
      MatchType type = exactTypes.get(i);
      String hex = exactHexes.get(i);
      if (rollout && Mix.unit(Mix.of(Mix.of(type.ordinal() + 2L, Mix.of(hex)), contentKey)) >= c.matchRatio()) {
        continue;
      }
      boolean quarantined = countMatch(c, type, hex, now);
      out.add(new Signal.HashMatch(id, ver, categoryOf(type, hex, c), type, hex, 0, 0, -1, rollout || quarantined));
    }
    if (suppressPdq || best.isEmpty()) {
      return;
    }
    List<Map.Entry<PdqStore.Key, Integer>> hits = new ArrayList<>(best.entrySet());
    hits.sort(Map.Entry.<PdqStore.Key, Integer>comparingByValue()
        .thenComparing(e -> new PdqHash(e.getKey().w3(), e.getKey().w2(), e.getKey().w1(), e.getKey().w0()).toHex()));
    for (Map.Entry<PdqStore.Key, Integer> e : hits) {
      PdqStore.Key k = e.getKey();
      long mix = Mix.of(1, k.w0(), k.w1(), k.w2(), k.w3());
      if (rollout && Mix.unit(Mix.of(mix, contentKey)) >= c.matchRatio()) {
        continue;
      }
      String hex = new PdqHash(k.w3(), k.w2(), k.w1(), k.w0()).toHex();
      boolean quarantined = countMatch(c, MatchType.PDQ, hex, now);
      out.add(new Signal.HashMatch(id, ver, categoryOf(MatchType.PDQ, hex, c), MatchType.PDQ, hex, e.getValue(),
          c.pdqDistance(),
          p.quality(), rollout || quarantined));
    }
  }

  /** Counts a match for flood detection; returns whether the entry is (now) quarantined. */
  private boolean countMatch(BankConfig c, MatchType type, String hex, Instant now) {
    EntryStats s = stats.computeIfAbsent(hex, k -> new EntryStats());
    double baseline = s.recordMatch(now.toEpochMilli(), c.flood());
    if (baseline >= 0) {
      version.incrementAndGet();
      QuarantineEvent ev = new QuarantineEvent(id, type, hex, now, s.inWindow(), baseline);
      owner.quarantined(ev);
      HashBankSource src = source;
      if (src != null) {
        owner.safely(() -> src.quarantined(hex, ev.matchesInWindow()));
      }
      return true;
    }
    return s.quarantined();
  }

  // ---------------------------------------------------------------- digests

  private static long entryMix(MatchType type, String key) {
    if (type == MatchType.PDQ) {
      PdqHash h = PdqHash.fromHex(key);
      return Mix.of(1, h.w0(), h.w1(), h.w2(), h.w3());
    }
    return Mix.of(type.ordinal() + 2L, Mix.of(key));
  }

  private void recomputeDigest() {
    long[] d = {0};
    pdq.forEach((w0, w1, w2, w3, state, added) -> {
      if (state == PdqStore.ACTIVE) {
        d[0] += Mix.of(1, w0, w1, w2, w3);
      }
    });
    for (MatchType t : EXACT) {
      for (Map.Entry<String, ExactEntry> e : exact.get(t).entrySet()) {
        if (e.getValue().state == PdqStore.ACTIVE) {
          d[0] += entryMix(t, e.getKey());
        }
      }
    }
    for (Map.Entry<String, EntryNote> e : notes.entrySet()) {
      int colon = e.getKey().indexOf(':');
      MatchType t = MatchType.values()[Integer.parseInt(e.getKey().substring(0, colon))];
      String key = e.getKey().substring(colon + 1);
      if (entry(t, key).map(i -> i.state() == State.ACTIVE).orElse(false)) {
        d[0] += noteMix(t, key, e.getValue());
      }
    }
    digest = d[0];
  }

  private static int seconds(Instant t) {
    long s = t.getEpochSecond();
    // unsigned 32-bit seconds: 1970..2106
    return (int) Math.max(0, Math.min(0xFFFFFFFFL, s));
  }

  Category category() {
    return config.category();
  }

  /** The banks this bank belongs to (imports keep foreign-type entries there). */
  HashBanks owner() {
    return owner;
  }

  // ---------------------------------------------------------------- snapshots

  /**
   * Writes everything the bank holds, under its monitor (changes wait; matching goes on): id,
   * version, digest, checkpoint, the PDQ store's own arrays, the exact entries, case ids, entry
   * notes, entry statistics and the foreign entries.
   */
  synchronized void writeSnapshot(SnapshotIo.Out out) throws IOException {
    out.writeString(id);
    out.writeLong(version.get());
    out.writeLong(digest);
    out.writeBoolean(checkpoint.isPresent());
    out.writeString(checkpoint.orElse(""));
    pdq.write(out);
    for (MatchType t : EXACT) {
      List<String> keys = new ArrayList<>(exact.get(t).keySet());
      keys.sort(null);
      out.writeInt(keys.size());
      for (String k : keys) {
        ExactEntry e = exact.get(t).get(k);
        out.writeString(k);
        out.writeByte(e.state);
        out.writeInt(e.addedAt);
      }
    }
    writeStrings(out, caseIds);
    out.writeInt(notes.size());
    for (Map.Entry<String, EntryNote> e : notes.entrySet()) {
      out.writeString(e.getKey());
      out.writeString(e.getValue().category().name());
      out.writeString(e.getValue().reason());
      out.writeString(e.getValue().uploader() == null ? "" : e.getValue().uploader());
    }
    out.writeInt(stats.size());
    for (Map.Entry<String, EntryStats> e : stats.entrySet()) {
      out.writeString(e.getKey());
      e.getValue().write(out);
    }
    List<HashBankSource.ForeignEntry> foreign = owner.foreign(id).all();
    out.writeInt(foreign.size());
    for (HashBankSource.ForeignEntry f : foreign) {
      out.writeString(f.signalType());
      out.writeString(f.value());
      out.writeByte(f.state().ordinal());
      out.writeBoolean(f.addedAt().isPresent());
      out.writeLong(f.addedAt().map(Instant::getEpochSecond).orElse(0L));
      out.writeBoolean(f.caseId().isPresent());
      out.writeString(f.caseId().orElse(""));
    }
  }

  private static void writeStrings(SnapshotIo.Out out, Map<String, String> m) throws IOException {
    out.writeInt(m.size());
    for (Map.Entry<String, String> e : m.entrySet()) {
      out.writeString(e.getKey());
      out.writeString(e.getValue());
    }
  }

  /**
   * Reads what {@link #writeSnapshot} wrote into this bank, which must be new and not yet
   * published, checking the checksum at the end.
   */
  synchronized void readSnapshot(SnapshotIo.In in, int format) throws IOException {
    String storedId = in.readString("bank id");
    if (!storedId.equals(id)) {
      throw in.corrupt("it holds bank '" + storedId + "', not '" + id + "'");
    }
    long storedVersion = in.readLong();
    long storedDigest = in.readLong();
    boolean hasCheckpoint = in.readBoolean();
    String cp = in.readString("checkpoint");
    pdq.install(PdqStore.read(in));
    for (MatchType t : EXACT) {
      int n = in.count(in.readInt(), 9, t.wireName() + " entries");
      ConcurrentHashMap<String, ExactEntry> m = exact.get(t);
      for (int i = 0; i < n; i++) {
        String k = in.readString(t.wireName() + " entry");
        int state = in.readByte();
        int added = in.readInt();
        if (state != PdqStore.ACTIVE && state != PdqStore.WITHDRAWN) {
          throw in.corrupt(t.wireName() + " entry " + i + " has state " + state);
        }
        try {
          if (!Hashes.normalize(t, k).equals(k)) {
            throw in.corrupt(t.wireName() + " entry " + i + " is not in canonical form");
          }
        } catch (InvalidRequestException e) {
          throw in.corrupt(t.wireName() + " entry " + i + " is not a hash");
        }
        m.put(k, new ExactEntry((byte) state, added));
      }
    }
    int n = in.count(in.readInt(), 8, "case ids");
    for (int i = 0; i < n; i++) {
      caseIds.put(in.readString("case id key"), in.readString("case id"));
    }
    n = in.count(in.readInt(), 12, "entry notes");
    for (int i = 0; i < n; i++) {
      String key = in.readString("note key");
      String category = in.readString("note category");
      String reason = in.readString("note reason");
      String uploader = format >= 2 ? in.readString("note uploader") : "";
      int colon = key.indexOf(':');
      try {
        int type = Integer.parseInt(key.substring(0, Math.max(0, colon)));
        if (type < 0 || type >= MatchType.values().length) {
          throw new NumberFormatException();
        }
        notes.put(key, new EntryNote(Category.valueOf(category), reason, uploader.isEmpty() ? null : uploader));
      } catch (IllegalArgumentException e) {
        throw in.corrupt("entry note " + i + " is malformed");
      }
    }
    n = in.count(in.readInt(), 46, "entry statistics");
    for (int i = 0; i < n; i++) {
      stats.put(in.readString("statistics key"), EntryStats.read(in));
    }
    n = in.count(in.readInt(), 28, "foreign entries");
    ForeignEntries foreign = new ForeignEntries();
    State[] states = State.values();
    for (int i = 0; i < n; i++) {
      String type = in.readString("foreign type");
      String value = in.readString("foreign value");
      int state = in.readByte();
      boolean hasAdded = in.readBoolean();
      long added = in.readLong();
      boolean hasCase = in.readBoolean();
      String caseId = in.readString("foreign case id");
      if (state < 0 || state >= states.length || states[state] == State.DELETED) {
        throw in.corrupt("foreign entry " + i + " has state " + state);
      }
      try {
        // validated as a source entry would be; the entries are not published before the checksum
        HashBankSource.ForeignEntry f = new HashBankSource.ForeignEntry(type, value, states[state],
            hasAdded ? Optional.of(Instant.ofEpochSecond(added)) : Optional.empty(),
            hasCase ? Optional.of(caseId) : Optional.empty());
        foreign.put(f.signalType(), f.value(), f.state(), f.addedAt(), f.caseId());
      } catch (RuntimeException e) {
        throw in.corrupt("foreign entry " + i + " is malformed: " + e.getMessage());
      }
    }
    in.finish();
    // the checksum vouches for the entries: recomputing the digest would cost more than the rest
    // of the read (a pass over every hash)
    digest = storedDigest;
    restoredForeign = foreign;
    version.set(storedVersion);
    checkpoint = hasCheckpoint ? Optional.of(cp) : Optional.empty();
  }
}
