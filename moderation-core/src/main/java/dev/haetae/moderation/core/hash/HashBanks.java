package dev.haetae.moderation.core.hash;

import dev.haetae.moderation.api.Category;
import dev.haetae.moderation.api.ConfigurationException;
import dev.haetae.moderation.api.Fingerprints;
import dev.haetae.moderation.api.InvalidRequestException;
import dev.haetae.moderation.api.MatchType;
import dev.haetae.moderation.api.Pdq;
import dev.haetae.moderation.api.PdqHash;
import dev.haetae.moderation.api.Signal;
import dev.haetae.moderation.api.spi.HashBankSource;
import dev.haetae.moderation.core.banks.HashListFormat;
import java.io.IOException;
import java.io.Reader;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Every hash bank a platform matches content against (StopNCII, NCMEC, a regulator's list, TCAP,
 * GIFCT, its own removals, victim-submitted hashes), and the matcher the engine calls on the hot
 * path.
 *
 * <p>Each bank holds SHA-256, MD5 and video-MD5 entries in exact indexes and PDQ entries in a
 * multi-index Hamming index that returns exactly what a linear scan would. {@link #match} checks a
 * content's fingerprints against every active bank, tries the PDQ hash and each of its query
 * variants, keeps the best distance per entry, applies negative (allow-list) banks, the staged
 * rollout ratio and flood quarantine, and returns one {@link Signal.HashMatch} per matching entry.
 * A bounded cache remembers which banks a content (by its exact fingerprints) is known to miss, so
 * that forwards and re-shares do not query a large bank again; it is exact (see
 * {@link Builder#matchCacheSize(int)}).
 *
 * <p><b>Thread safety.</b> Thread-safe. Matching never blocks on changes: each bank is read from a
 * snapshot, and a change (add, withdraw, delete, reconfigure) is seen by every match that starts
 * after the changing call returned. Changes to one bank are serialised; large rebuilds happen on
 * the changing thread while matching continues on the previous snapshot.
 *
 * <pre>{@code
 * HashBanks banks = HashBanks.inMemory();
 * banks.define(BankConfig.builder("stopncii", Category.NCII).pdqDistance(31).build());
 * banks.add("stopncii", Category.NCII, MatchType.PDQ, pdqHex);
 * List<Signal.HashMatch> matches = banks.match(fingerprints);
 * }</pre>
 *
 * @since 0.1
 */
public final class HashBanks {
  private static final Logger LOG = LoggerFactory.getLogger(HashBanks.class);

  /** The PDQ distance of a bank defined without one, e.g. by {@link #add}. */
  public static final int DEFAULT_PDQ_DISTANCE = BankConfig.DEFAULT_PDQ_DISTANCE;

  /** The prefix of bank keys in {@link #versions()}, which share the evidence's version map. */
  public static final String VERSION_KEY_PREFIX = "bank:";

  /**
   * The default bound of the match-result cache, in contents (see
   * {@link Builder#matchCacheSize(int)}).
   */
  public static final int DEFAULT_MATCH_CACHE_SIZE = 32_768;

  /** Banks with a smaller PDQ index are always queried, without the match cache. */
  static final long MATCH_CACHE_MIN_PDQ_BYTES = 64 * 1024;

  private final Clock clock;
  private final Consumer<QuarantineEvent> quarantineListener;
  private final MatchCache matchCache;
  private final long matchCacheMinPdqBytes;
  private final Object lock = new Object();
  private volatile Map<String, Bank> banks = Map.of();
  private volatile List<Bank> order = List.of();
  private volatile VersionsMemo versionsMemo;
  private static final int MAX_QUARANTINE_EVENTS = 1000;
  private final CopyOnWriteArrayList<QuarantineEvent> quarantines = new CopyOnWriteArrayList<>();
  /** Bank id to the change counter a shared store reports for it (see {@link #shareVersionCounter}). */
  private final java.util.concurrent.ConcurrentHashMap<String, Long> sharedCounters =
      new java.util.concurrent.ConcurrentHashMap<>();
  /** Incremented on every {@link #shareVersionCounter} call; part of the versions memo's key. */
  private final java.util.concurrent.atomic.AtomicLong sharedEpoch =
      new java.util.concurrent.atomic.AtomicLong();
  /** Bank id to its entries of signal types Haetae does not match (see {@link #foreignEntries}). */
  private final java.util.concurrent.ConcurrentHashMap<String, ForeignEntries> foreign =
      new java.util.concurrent.ConcurrentHashMap<>();

  private HashBanks(Builder b) {
    this.clock = b.clock;
    this.quarantineListener = b.quarantineListener;
    this.matchCache = b.matchCacheSize == 0 ? null : new MatchCache(b.matchCacheSize);
    this.matchCacheMinPdqBytes = b.matchCacheMinPdqBytes;
  }

  /**
   * An empty set of banks with the system UTC clock: zero configuration.
   *
   * @return a new instance
   */
  public static HashBanks inMemory() {
    return builder().build();
  }

  /**
   * A builder for the clock (used for entry times and flood windows) and a quarantine listener.
   *
   * @return a new builder
   */
  public static Builder builder() {
    return new Builder();
  }

  /**
   * Loads every hash-list file of a directory ({@code *.csv}, {@code *.json}, {@code *.xml},
   * {@code *.hma}; see {@link HashListFormat#detect}) as a bank named after the
   * file (lower-cased, without extension), in name order. A new bank's category comes from a CSV
   * {@code category} column, else from the format ({@link HashListFormat#defaultCategory()}).
   * Malformed records are reported and skipped; each file's report summary is logged (INFO, or
   * WARN when something was skipped).
   *
   * @param dir the directory; not null
   * @return the loaded banks
   * @throws ConfigurationException when the directory or a file cannot be read, a file name is not
   *     a valid bank id, or a file contributed nothing ({@link ImportReport#contributedNothing()}:
   *     empty, or every record skipped), naming each such file and its first problems
   */
  public static HashBanks load(Path dir) {
    HashBanks banks = inMemory();
    List<ImportReport> reports = banks.importDirectory(dir, ImportOptions.defaults());
    List<String> empty = new ArrayList<>();
    for (ImportReport r : reports) {
      if (r.skipped() > 0) {
        LOG.warn("{}", r.summary());
        for (ImportReport.Problem p : r.problems()) {
          LOG.warn("{}: {}", r.file(), p);
        }
      } else {
        LOG.info("{}", r.summary());
      }
      if (r.contributedNothing()) {
        empty.add(r.summary() + (r.problems().isEmpty() ? "" : "; first problem: " + r.problems().get(0)));
      }
    }
    if (!empty.isEmpty()) {
      throw new ConfigurationException("hash lists in " + dir + " contributed nothing: " + String.join(" | ", empty));
    }
    return banks;
  }

  /**
   * Imports every hash-list file of a directory as {@link #load(Path)} does, into this instance,
   * and returns every file's report (a file that contributed nothing is reported, not refused).
   *
   * @param dir the directory; not null
   * @param options how to import; not null
   * @return the reports, in file-name order; never null
   * @throws ConfigurationException when the directory or a file cannot be read or a file name is
   *     not a valid bank id
   * @throws HashListException when {@code options} is strict and a file has a bad record
   */
  public List<ImportReport> importDirectory(Path dir, ImportOptions options) {
    InvalidRequestException.requireNonNull("options", options);
    List<Path> files = new ArrayList<>();
    try (DirectoryStream<Path> ds = Files.newDirectoryStream(dir, "*.{csv,json,xml,hma}")) {
      ds.forEach(files::add);
    } catch (IOException e) {
      throw new ConfigurationException("cannot list hash banks in " + dir + ": " + e.getMessage(), e);
    }
    files.sort(null);
    List<ImportReport> reports = new ArrayList<>();
    for (Path f : files) {
      reports.add(importFile(f, null, options));
    }
    return reports;
  }

  /**
   * Imports one file into the bank named after it (or {@code bankId}), defining the bank when
   * needed as {@link #load(Path)} does; lenient (see {@link ImportOptions#defaults()}).
   *
   * @param file a hash-list file; not null
   * @param bankId the bank to import into, or null for the file's name
   * @return the import report; never null
   * @throws ConfigurationException when the file cannot be read or its format is not known
   */
  public ImportReport importFile(Path file, String bankId) {
    return importFile(file, bankId, ImportOptions.defaults());
  }

  /**
   * Imports one file, its format told by {@link HashListFormat#detect}, into the bank named after
   * it (or {@code bankId}), defining the bank when needed as {@link #load(Path)} does.
   *
   * @param file a hash-list file; not null
   * @param bankId the bank to import into, or null for the file's name
   * @param options how to import; not null
   * @return the import report; never null
   * @throws ConfigurationException when the file cannot be read or its format is not known
   * @throws HashListException when {@code options} is strict and the file has a bad record
   *     (nothing of it was applied)
   */
  public ImportReport importFile(Path file, String bankId, ImportOptions options) {
    HashListFormat format;
    try {
      format = HashListFormat.detect(file).orElseThrow(() -> new ConfigurationException(file
          + ": a hash list must be a .csv, .json, .xml, .txt or .hma file (or give its format)"));
    } catch (IOException e) {
      throw new ConfigurationException("cannot read hash list " + file + ": " + e.getMessage(), e);
    }
    return importFile(file, bankId, format, options);
  }

  /**
   * Imports one file in a given format into the bank named after it (or {@code bankId}).
   *
   * @param file the file; not null
   * @param bankId the bank to import into, or null for the file's name
   * @param format the file's format; not null
   * @param options how to import; not null
   * @return the import report; never null
   * @throws ConfigurationException when the file cannot be read or the bank id is invalid
   * @throws HashListException when {@code options} is strict and the file has a bad record
   */
  public ImportReport importFile(Path file, String bankId, HashListFormat format, ImportOptions options) {
    InvalidRequestException.requireNonNull("format", format);
    String name = file.getFileName().toString();
    String lower = name.toLowerCase(Locale.ROOT);
    int dot = lower.lastIndexOf('.');
    String id = bankId != null ? bankId : dot > 0 ? lower.substring(0, dot) : lower;
    try {
      BankConfig.checkId("bank", id);
    } catch (InvalidRequestException e) {
      throw new ConfigurationException(file + ": " + e.getMessage(), e);
    }
    try {
      Bank bank = find(id).orElse(null);
      if (bank == null) {
        Category category = format == HashListFormat.HAETAE_CSV
            ? csvCategory(file).orElse(format.defaultCategory()) : format.defaultCategory();
        bank = define(BankConfig.builder(id, category).source(name).build());
      }
      try (Reader in = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
        return BankFiles.importList(bank, format, in, name, options);
      }
    } catch (java.nio.charset.CharacterCodingException e) {
      throw new ConfigurationException("hash list " + file + " is not UTF-8 text: " + e.getMessage(), e);
    } catch (IOException e) {
      throw new ConfigurationException("cannot read hash list " + file + ": " + e.getMessage(), e);
    }
  }

  /**
   * Imports a list from a reader into a bank, defining the bank with the format's default category
   * when it does not exist.
   *
   * @param bankId the bank; not null
   * @param format the list's format; not null
   * @param in the text; not null; not closed
   * @param name the list's name for the report; not null
   * @param options how to import; not null
   * @return the import report; never null
   * @throws IOException when reading fails (records applied before stay applied)
   * @throws HashListException when {@code options} is strict and the list has a bad record
   */
  public ImportReport importList(String bankId, HashListFormat format, Reader in, String name, ImportOptions options)
      throws IOException {
    InvalidRequestException.requireNonNull("format", format);
    InvalidRequestException.requireNonNull("options", options);
    Bank bank = find(bankId).orElse(null);
    if (bank == null) {
      bank = define(BankConfig.builder(bankId, format.defaultCategory()).source(name).build());
    }
    return BankFiles.importList(bank, format, in, name, options);
  }

  /**
   * Writes a bank's active and withdrawn entries (foreign-type entries included) in a writable
   * format (see {@link HashListFormat#write}).
   *
   * @param bankId the bank; not null
   * @param format the format; not null
   * @param out the destination; not null; not closed
   * @return how many entries the format cannot carry and were left out
   * @throws ConfigurationException when the bank is unknown
   * @throws UnsupportedOperationException when the format is read-only
   * @throws IOException when writing fails
   */
  public long export(String bankId, HashListFormat format, Writer out) throws IOException {
    InvalidRequestException.requireNonNull("format", format);
    return format.write(BankFiles.records(bank(bankId)), out);
  }

  /**
   * The entries of a bank whose signal types Haetae does not compute or match (PhotoDNA, TMK,
   * NetClean, SHA-1, ...), as imports and sources delivered them: kept so that nothing a programme
   * shares is lost, reported in every {@link ImportReport#foreign()}, and the place where a host
   * matcher for such a type finds the bank's entries of that type. They take no part in
   * {@link #match} and in {@link Bank#versionString()}.
   *
   * @param bankId the bank; not null
   * @return the active and withdrawn foreign entries, by type and value; an immutable snapshot;
   *     empty for a bank without any
   */
  public List<HashBankSource.ForeignEntry> foreignEntries(String bankId) {
    ForeignEntries f = foreign.get(bankId);
    return f == null ? List.of() : f.all();
  }

  /** The foreign-type entries of a bank, created on first use. */
  ForeignEntries foreign(String bankId) {
    return foreign.computeIfAbsent(bankId, k -> new ForeignEntries());
  }

  private static Optional<Category> csvCategory(Path file) throws IOException {
    Category[] found = {null};
    try (Reader in = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
      java.io.BufferedReader r = new java.io.BufferedReader(in);
      String header = null;
      String line;
      int seen = 0;
      while ((line = r.readLine()) != null && seen < 64) {
        String t = line.replace("\uFEFF", "").strip();
        if (t.isEmpty() || t.startsWith("#")) {
          continue;
        }
        seen++;
        if (header == null) {
          header = t;
          if (!t.toLowerCase(Locale.ROOT).contains("category")) {
            return Optional.empty();
          }
          continue;
        }
        List<String> cols = java.util.Arrays.asList(header.toLowerCase(Locale.ROOT).split(",", -1));
        String[] f = t.split(",", -1);
        int i = cols.indexOf("category");
        if (i >= 0 && i < f.length && !f[i].isBlank()) {
          try {
            found[0] = Category.fromWire(f[i].strip());
          } catch (InvalidRequestException e) {
            return Optional.empty();
          }
        }
        break;
      }
    }
    return Optional.ofNullable(found[0]);
  }

  /**
   * Defines a bank, or reconfigures it when one with the same id exists (its entries are kept).
   *
   * @param config the configuration; not null
   * @return the bank's handle
   * @throws InvalidRequestException when {@code config} is null
   */
  public Bank define(BankConfig config) {
    InvalidRequestException.requireNonNull("config", config);
    synchronized (lock) {
      Bank existing = banks.get(config.id());
      if (existing != null) {
        existing.reconfigure(config);
        return existing;
      }
      Bank b = new Bank(this, config);
      Map<String, Bank> next = new LinkedHashMap<>(banks);
      next.put(config.id(), b);
      List<Bank> nextOrder = new ArrayList<>(order);
      nextOrder.add(b);
      banks = java.util.Collections.unmodifiableMap(next);
      order = List.copyOf(nextOrder);
      return b;
    }
  }

  /**
   * Defines a bank with default settings and the given category and distance, or reconfigures an
   * existing one to them (keeping its other settings and its entries).
   *
   * @param bankId the bank id; not null
   * @param category the category; not null
   * @param pdqDistance the PDQ distance, 0..128
   * @return this
   * @throws InvalidRequestException when an argument is invalid
   */
  public HashBanks define(String bankId, Category category, int pdqDistance) {
    Bank existing = find(bankId).orElse(null);
    BankConfig.Builder b = existing == null
        ? BankConfig.builder(bankId, category)
        : existing.config().toBuilder().category(category);
    define(b.pdqDistance(pdqDistance).build());
    return this;
  }

  /**
   * Defines a bank fed by a source and loads the source's entries (lenient import).
   *
   * @param source the source; not null
   * @param config the configuration; its id must equal {@code source.bankId()}; not null
   * @return the import report of the load (malformed entries are skipped)
   * @throws ConfigurationException when the ids differ or the source fails to load
   */
  public ImportReport connect(HashBankSource source, BankConfig config) {
    return connect(source, config, ImportOptions.defaults());
  }

  /**
   * Defines a bank fed by a source and loads the source's entries, foreign-type entries included
   * (through {@link HashBankSource#load(HashBankSource.Sink)}).
   *
   * @param source the source; not null
   * @param config the configuration; its id must equal {@code source.bankId()}; not null
   * @param options how to import; not null
   * @return the import report of the load
   * @throws ConfigurationException when the ids differ or the source fails to load (entries loaded
   *     before the failure stay applied)
   * @throws HashListException when {@code options} is strict and an entry is bad
   */
  public ImportReport connect(HashBankSource source, BankConfig config, ImportOptions options) {
    Objects.requireNonNull(source, "source");
    InvalidRequestException.requireNonNull("options", options);
    if (!source.bankId().equals(config.id())) {
      throw new ConfigurationException("source bank id '" + source.bankId() + "' differs from the configuration's '"
          + config.id() + "'");
    }
    Bank bank = define(config);
    bank.source = source;
    ImportReport r = BankFiles.fromSource(bank, "source " + source.bankId(), options, sink -> source.load(sink));
    bank.checkpoint = source.checkpointAfterLoad();
    return r;
  }

  // ---------------------------------------------------------------- snapshots

  /** The first bytes of every bank snapshot. */
  private static final byte[] SNAPSHOT_MAGIC = "HAETAE-BANK-SNAPSHOT".getBytes(StandardCharsets.US_ASCII);
  /**
   * The snapshot format this version writes: 2 since 0.4 (an entry note also holds its uploader's
   * pseudonym). Format 1 is still read.
   */
  private static final int SNAPSHOT_FORMAT = 2;

  /**
   * Writes a snapshot of a bank: the index's own packed arrays and everything else the bank holds
   * (entry states and times, case ids, each entry's category and reason, match statistics, foreign
   * entries, the version and, for a connected bank, the source's checkpoint), with a CRC-32C over
   * the whole. {@link #restore} and {@link #connect(HashBankSource, BankConfig, Path, ImportOptions)} read it
   * back without building the index, so an instance starts in seconds instead of reloading its
   * source. The file is replaced atomically: written beside it, forced to disk, then moved over it.
   * Changes to the bank wait while it is written; matching does not.
   *
   * @param bankId the bank; not null
   * @param file where to write; its directory must exist; not null
   * @return the bytes written
   * @throws ConfigurationException when the bank is unknown
   * @throws IOException when the file cannot be written (the previous file, if any, is untouched)
   * @since 0.2
   */
  public long writeSnapshot(String bankId, Path file) throws IOException {
    Bank bank = bank(bankId);
    InvalidRequestException.requireNonNull("file", file);
    Path abs = file.toAbsolutePath();
    Path tmp = Files.createTempFile(abs.getParent(), abs.getFileName().toString(), ".tmp");
    try {
      try (java.nio.channels.FileChannel ch = java.nio.channels.FileChannel.open(tmp,
          java.nio.file.StandardOpenOption.WRITE, java.nio.file.StandardOpenOption.TRUNCATE_EXISTING)) {
        SnapshotIo.Out out = new SnapshotIo.Out(ch);
        out.writeBytes(SNAPSHOT_MAGIC, 0, SNAPSHOT_MAGIC.length);
        out.writeInt(SNAPSHOT_FORMAT);
        bank.writeSnapshot(out);
        out.finish();
        ch.force(true);
      }
      Files.move(tmp, abs, java.nio.file.StandardCopyOption.REPLACE_EXISTING,
          java.nio.file.StandardCopyOption.ATOMIC_MOVE);
      return Files.size(abs);
    } finally {
      Files.deleteIfExists(tmp);
    }
  }

  /**
   * Defines a bank from a snapshot written by {@link #writeSnapshot}. The whole file is read and
   * checked (format, bank id, the layout of every array against the sizes it declares, value
   * ranges, checksum) before the bank is published; on any failure nothing is defined.
   *
   * @param config the bank's configuration (it may differ from the one the snapshot was written
   *     under: the entries do not depend on it); not null
   * @param snapshot the file; not null
   * @return the bank
   * @throws BankSnapshotException when the file is truncated, corrupt, of another format version
   *     or of another bank
   * @throws ConfigurationException when a bank with this id is already defined
   * @throws IOException when the file cannot be read
   * @since 0.2
   */
  public Bank restore(BankConfig config, Path snapshot) throws IOException {
    return publish(readSnapshot(config, snapshot));
  }

  /** Reads a snapshot into a new bank that is not yet published. */
  private Bank readSnapshot(BankConfig config, Path snapshot) throws IOException {
    InvalidRequestException.requireNonNull("config", config);
    InvalidRequestException.requireNonNull("snapshot", snapshot);
    if (banks.containsKey(config.id())) {
      throw new ConfigurationException("bank '" + config.id() + "' is already defined: a snapshot restores a new bank");
    }
    Bank b = new Bank(this, config);
    try (java.nio.channels.FileChannel ch = java.nio.channels.FileChannel.open(snapshot,
        java.nio.file.StandardOpenOption.READ)) {
      SnapshotIo.In in = new SnapshotIo.In(ch, snapshot.getFileName().toString());
      byte[] magic = new byte[SNAPSHOT_MAGIC.length];
      in.readBytes(magic, 0, magic.length);
      if (!java.util.Arrays.equals(magic, SNAPSHOT_MAGIC)) {
        throw in.corrupt("not a bank snapshot");
      }
      int format = in.readInt();
      if (format != 1 && format != SNAPSHOT_FORMAT) {
        throw in.corrupt("format " + format + ", this version reads formats 1 to " + SNAPSHOT_FORMAT);
      }
      b.readSnapshot(in, format);
    }
    return b;
  }

  /** Publishes a bank read from a snapshot, with its foreign entries. */
  private Bank publish(Bank b) {
    synchronized (lock) {
      if (banks.containsKey(b.id())) {
        throw new ConfigurationException("bank '" + b.id() + "' was defined while its snapshot was read");
      }
      foreign.put(b.id(), b.restoredForeign);
      Map<String, Bank> next = new LinkedHashMap<>(banks);
      next.put(b.id(), b);
      List<Bank> nextOrder = new ArrayList<>(order);
      nextOrder.add(b);
      banks = java.util.Collections.unmodifiableMap(next);
      order = List.copyOf(nextOrder);
    }
    b.restoredForeign = null;
    return b;
  }

  /**
   * Connects a bank fed by a source, starting from a snapshot instead of a full load: restores
   * the bank ({@link #restore}), then pulls the source's changes since the checkpoint the snapshot
   * holds ({@link #refresh(String, ImportOptions)}). A snapshot without a checkpoint (of a bank that
   * had no source) is refused: the host loads the bank from its source instead.
   *
   * @param source the source; its bank id must equal the configuration's; not null
   * @param config the configuration; not null
   * @param snapshot the file; not null
   * @param options how to import the changes; not null
   * @return the import report of the changes since the snapshot
   * @throws BankSnapshotException as {@link #restore}, or when the snapshot has no checkpoint
   * @throws ConfigurationException when the ids differ, the bank is already defined, or the source
   *     fails (the restored bank stays defined, as after a failed {@link #refresh})
   * @throws IOException when the file cannot be read
   * @since 0.2
   */
  public ImportReport connect(HashBankSource source, BankConfig config, Path snapshot, ImportOptions options)
      throws IOException {
    Objects.requireNonNull(source, "source");
    InvalidRequestException.requireNonNull("options", options);
    if (!source.bankId().equals(config.id())) {
      throw new ConfigurationException("source bank id '" + source.bankId() + "' differs from the configuration's '"
          + config.id() + "'");
    }
    Bank bank = readSnapshot(config, snapshot);
    if (bank.checkpoint.isEmpty()) {
      throw new BankSnapshotException(snapshot.getFileName().toString(),
          "it holds no source checkpoint, so the changes since it cannot be pulled");
    }
    bank.source = source;
    publish(bank);
    return refresh(config.id(), options);
  }

  /**
   * Pulls the changes of a connected bank's source since the last load or refresh (lenient).
   *
   * @param bankId the bank; not null
   * @return the import report of the changes
   * @throws ConfigurationException when the bank is unknown, has no source, or the source fails
   */
  public ImportReport refresh(String bankId) {
    return refresh(bankId, ImportOptions.defaults());
  }

  /**
   * Pulls the changes of a connected bank's source since the last load or refresh, withdrawals
   * and deletions included. The checkpoint advances only when the source returned one, i.e. when
   * the whole sync succeeded; a failed sync is repeated from the old checkpoint next time (applying
   * an entry twice changes nothing).
   *
   * @param bankId the bank; not null
   * @param options how to import; not null
   * @return the import report of the changes
   * @throws ConfigurationException when the bank is unknown, has no source, or the source fails
   *     (changes applied before the failure stay applied)
   */
  public ImportReport refresh(String bankId, ImportOptions options) {
    Bank bank = bank(bankId);
    HashBankSource src = bank.source;
    if (src == null) {
      throw new ConfigurationException("bank '" + bankId + "' has no source to refresh from");
    }
    Optional<String>[] next = uncheckedHolder();
    ImportReport r = BankFiles.fromSource(bank, "changes of " + bankId, options,
        sink -> next[0] = src.changes(bank.checkpoint, sink));
    if (next[0] != null) {
      bank.checkpoint = next[0];
    }
    return r;
  }

  @SuppressWarnings("unchecked")
  private static Optional<String>[] uncheckedHolder() {
    return (Optional<String>[]) new Optional<?>[1];
  }

  /**
   * The bank with this id, if defined.
   *
   * @param id the bank id; not null
   * @return the bank or empty
   */
  public Optional<Bank> find(String id) {
    return Optional.ofNullable(banks.get(id));
  }

  /**
   * The bank with this id.
   *
   * @param id the bank id; not null
   * @return the bank; never null
   * @throws ConfigurationException when no such bank is defined
   */
  public Bank bank(String id) {
    Bank b = banks.get(id);
    if (b == null) {
      throw new ConfigurationException("no hash bank '" + id + "' is defined (defined: " + banks.keySet() + ")");
    }
    return b;
  }

  /**
   * Every bank, in definition order.
   *
   * @return an immutable snapshot; never null
   */
  public List<Bank> banks() {
    return order;
  }

  /**
   * Adds an entry to a bank, defining the bank with default settings and {@code category} if it
   * does not exist.
   *
   * @param bankId the bank id; not null
   * @param category the category for a new bank (an existing bank keeps its own); not null
   * @param type the hash type; not null
   * @param hex the hash in hex; not null
   * @return true when the bank changed
   * @throws InvalidRequestException when an argument is null or the hash malformed
   */
  public boolean add(String bankId, Category category, MatchType type, String hex) {
    InvalidRequestException.requireNonNull("category", category);
    Bank b = find(bankId).orElse(null);
    if (b == null) {
      b = define(BankConfig.builder(bankId, category).build());
    }
    return b.add(type, hex);
  }

  /**
   * Adds an entry with its own category and the reason it was banked (see
   * {@link Bank#addEntry(MatchType, String, Category, String)}), defining the bank with default
   * settings and {@code category} if it does not exist. A match of the entry reports
   * {@code category}, whatever the bank's.
   *
   * @param bankId the bank id; not null
   * @param category the entry's category (and a new bank's); not null
   * @param type the hash type; not null
   * @param hex the hash in hex; not null
   * @param reason why it was banked; not null
   * @return true when the bank changed
   * @throws InvalidRequestException when an argument is null or the hash malformed
   * @since 0.2
   */
  public boolean add(String bankId, Category category, MatchType type, String hex, String reason) {
    InvalidRequestException.requireNonNull("category", category);
    return entryOf(bankId, category).addEntry(type, hex, category, reason);
  }

  /** The bank to add an entry with its own category to, defined with that category if missing. */
  private Bank entryOf(String bankId, Category category) {
    Bank b = find(bankId).orElse(null);
    return b != null ? b : define(BankConfig.builder(bankId, category).build());
  }

  /**
   * Withdraws an entry from a bank (see {@link Bank#withdraw}).
   *
   * @param bankId the bank id; not null
   * @param type the hash type; not null
   * @param hex the hash in hex; not null
   * @return true when an active entry was withdrawn; false also when the bank is unknown
   * @throws InvalidRequestException when the hash is malformed
   */
  public boolean withdraw(String bankId, MatchType type, String hex) {
    Bank b = banks.get(bankId);
    return b != null && b.withdraw(type, hex);
  }

  /**
   * Deletes an entry from a bank (see {@link Bank#delete}).
   *
   * @param bankId the bank id; not null
   * @param type the hash type; not null
   * @param hex the hash in hex; not null
   * @return true when an entry was deleted; false also when the bank is unknown
   * @throws InvalidRequestException when the hash is malformed
   */
  public boolean delete(String bankId, MatchType type, String hex) {
    Bank b = banks.get(bankId);
    return b != null && b.delete(type, hex);
  }

  /**
   * Adds the fingerprints of removed content to a bank (e.g. {@code "platform-removals"}, when a
   * decision blocks re-upload): its SHA-256, MD5 and PDQ hash (not the query variants). The bank is
   * defined with {@code category} if missing. The PDQ hash is skipped when it is degenerate (all
   * zeros or ones) or its quality is known and below {@value #MIN_BANKED_PDQ_QUALITY}: the hash of
   * a plain or nearly plain image describes rounding rather than content (hash-sharing programs
   * discard such hashes too), and banking it would block every similar plain image; the exact
   * digests still block identical copies.
   *
   * @param bankId the bank id; not null
   * @param category the category for a new bank; not null
   * @param fingerprints the content's fingerprints; not null
   * @return how many entries were added
   * @throws InvalidRequestException when an argument is null
   */
  public int addToBank(String bankId, Category category, Fingerprints fingerprints) {
    InvalidRequestException.requireNonNull("fingerprints", fingerprints);
    int n = 0;
    if (fingerprints.sha256().isPresent()) {
      n += add(bankId, category, MatchType.SHA256, fingerprints.sha256().get().toHex()) ? 1 : 0;
    }
    if (fingerprints.md5().isPresent()) {
      n += add(bankId, category, MatchType.MD5, fingerprints.md5().get().toHex()) ? 1 : 0;
    }
    if (fingerprints.pdq().isPresent() && isBankable(fingerprints.pdq().get())) {
      n += add(bankId, category, MatchType.PDQ, fingerprints.pdq().get().hash().toHex()) ? 1 : 0;
    }
    if (n == 0 && find(bankId).isEmpty()) {
      define(BankConfig.builder(bankId, category).build());
    }
    return n;
  }

  /**
   * The same as {@link #addToBank}.
   *
   * @param bankId the bank id; not null
   * @param category the category for a new bank; not null
   * @param fingerprints the content's fingerprints; not null
   * @return how many entries were added
   */
  public int addFingerprints(String bankId, Category category, Fingerprints fingerprints) {
    return addToBank(bankId, category, fingerprints);
  }

  /**
   * Adds the fingerprints of removed content to a bank as {@link #addToBank} does, each entry with
   * its own {@code category} and {@code reason} (see
   * {@link #add(String, Category, MatchType, String, String)}): the engine banks removed content
   * this way, so that a match claims only the harm the content was removed for.
   *
   * @param bankId the bank id; not null
   * @param category the entries' category (and a new bank's); not null
   * @param fingerprints the content's fingerprints; not null
   * @param reason why they were banked (e.g. the reason code, the verdict and the decision); not null
   * @return how many entries were added or changed
   * @throws InvalidRequestException when an argument is null
   * @since 0.2
   */
  public int addFingerprints(String bankId, Category category, Fingerprints fingerprints, String reason) {
    return addFingerprints(bankId, category, fingerprints, reason, null);
  }

  /**
   * As {@link #addFingerprints(String, Category, Fingerprints, String)}, each entry also recording
   * the keyed pseudonym of the account that posted the removed content (see
   * {@link Bank#addEntry(MatchType, String, Category, String, String)}: an entry keeps the first
   * uploader recorded for it).
   *
   * @param bankId the bank id; not null
   * @param category the entries' category (and a new bank's); not null
   * @param fingerprints the content's fingerprints; not null
   * @param reason why they were banked; not null
   * @param uploader the poster's keyed pseudonym ({@code <key id>:<pseudonym>}), never a raw
   *     account id; null when unknown
   * @return how many entries were added or changed
   * @throws InvalidRequestException when an argument other than {@code uploader} is null, or the
   *     uploader is blank
   * @since 0.4
   */
  public int addFingerprints(String bankId, Category category, Fingerprints fingerprints, String reason,
      String uploader) {
    InvalidRequestException.requireNonNull("fingerprints", fingerprints);
    InvalidRequestException.requireNonNull("reason", reason);
    InvalidRequestException.requireNonNull("category", category);
    int n = 0;
    if (fingerprints.sha256().isPresent()) {
      n += entryOf(bankId, category).addEntry(MatchType.SHA256, fingerprints.sha256().get().toHex(), category, reason,
          uploader) ? 1 : 0;
    }
    if (fingerprints.md5().isPresent()) {
      n += entryOf(bankId, category).addEntry(MatchType.MD5, fingerprints.md5().get().toHex(), category, reason,
          uploader) ? 1 : 0;
    }
    if (fingerprints.pdq().isPresent() && isBankable(fingerprints.pdq().get())) {
      n += entryOf(bankId, category).addEntry(MatchType.PDQ, fingerprints.pdq().get().hash().toHex(), category,
          reason, uploader) ? 1 : 0;
    }
    if (n == 0 && find(bankId).isEmpty()) {
      define(BankConfig.builder(bankId, category).build());
    }
    return n;
  }

  /** The PDQ quality below which {@link #addToBank} does not bank a hash. */
  public static final int MIN_BANKED_PDQ_QUALITY = 50;

  /**
   * Whether a content's PDQ measurement may be banked as removed content (see {@link #addToBank}):
   * a valid hash ({@link #isValidPdq}) whose quality is unknown or at least
   * {@value #MIN_BANKED_PDQ_QUALITY}.
   *
   * @param pdq the measurement; not null
   * @return true when it may be banked
   */
  public static boolean isBankable(Pdq pdq) {
    return isValidPdq(pdq.hash())
        && (pdq.quality() == Pdq.UNKNOWN_QUALITY || pdq.quality() >= MIN_BANKED_PDQ_QUALITY);
  }

  /**
   * Whether a PDQ hash may be a bank entry: not all zeros and not all ones.
   *
   * @param hash the hash; not null
   * @return true when acceptable
   */
  public static boolean isValidPdq(PdqHash hash) {
    int bits = hash.bitCount();
    return bits != 0 && bits != PdqHash.BITS;
  }

  /**
   * Matches content against every active bank: exact SHA-256 / MD5 / video-MD5 entries, and PDQ
   * entries within each bank's distance of the PDQ hash or any of its query variants (best distance
   * per entry). Allow-list banks produce nothing themselves; a bank's negative banks suppress its
   * matches (an exact allow-list hit suppresses all of them, a PDQ one the PDQ matches); during a
   * staged rollout only a deterministic share of matches is returned, marked review-only; a
   * quarantined entry's matches are review-only. Every returned match counts towards its entry's
   * flood detection.
   *
   * <p>Each distinct hash among the PDQ hash and its query variants is queried once. A content
   * with a PDQ hash that is already known to miss a bank in the bank's current state skips that
   * bank (the match-result cache, see {@link Builder#matchCacheSize(int)}); the result is the same
   * as without the cache.
   *
   * @param fingerprints the content's fingerprints; not null
   * @return the matches, by bank in definition order, then by distance and hash; never null
   * @throws InvalidRequestException when {@code fingerprints} is null
   */
  public List<Signal.HashMatch> match(Fingerprints fingerprints) {
    InvalidRequestException.requireNonNull("fingerprints", fingerprints);
    if (fingerprints.isEmpty()) {
      return List.of();
    }
    Instant now = clock.instant();
    Fingerprints fp = withDistinctVariants(fingerprints);
    long contentKey = contentKey(fp);
    List<Signal.HashMatch> out = new ArrayList<>(2);
    MatchCache cache = fp.pdq().isPresent() ? matchCache : null;
    if (cache == null) {
      for (Bank b : order) {
        BankConfig c = b.config();
        if (c.allowList() || !c.activeAt(now)) {
          continue;
        }
        b.match(fp, contentKey, now, out);
      }
      return withSharedCounters(out);
    }
    MatchCache.Key key = null;
    MatchCache.Misses known = null;
    MatchCache.Misses next = null;
    for (Bank b : order) {
      BankConfig c = b.config();
      if (c.allowList() || !c.activeAt(now)) {
        continue;
      }
      if (b.pdqHeapBytes() < matchCacheMinPdqBytes) {
        b.match(fp, contentKey, now, out); // a small bank: its query costs no more than the cache
        continue;
      }
      if (key == null) {
        key = MatchCache.key(fp);
        known = cache.get(key);
      }
      if (known != null && known.covers(b, this, now)) {
        cache.hit();
        continue;
      }
      long[] stamp = MatchCache.stamp(b, this, now); // before the query: see MatchCache
      int before = out.size();
      b.match(fp, contentKey, now, out);
      cache.miss();
      if (out.size() == before) {
        next = (next != null ? next : known != null ? known : MatchCache.Misses.NONE).with(b, stamp);
      }
    }
    if (next != null) {
      cache.put(key, next);
    }
    return withSharedCounters(out);
  }

  /**
   * The same fingerprints without query variants equal to the hash or to an earlier variant: each
   * distinct hash is queried once (the best distance per entry is the same).
   */
  static Fingerprints withDistinctVariants(Fingerprints fp) {
    Pdq p = fp.pdq().orElse(null);
    if (p == null || p.queryVariants().isEmpty()) {
      return fp;
    }
    List<PdqHash> vs = p.queryVariants();
    int n = vs.size();
    boolean dup = n > 64; // a long list (not from Haetae's hasher): checked through a set below
    for (int i = 0; i < n && !dup; i++) {
      PdqHash v = vs.get(i);
      dup = v.equals(p.hash());
      for (int j = 0; j < i && !dup; j++) {
        dup = v.equals(vs.get(j));
      }
    }
    if (!dup) {
      return fp;
    }
    java.util.Set<PdqHash> distinct = new java.util.LinkedHashSet<>(vs);
    distinct.remove(p.hash());
    if (distinct.size() == n) {
      return fp;
    }
    return new Fingerprints(fp.sha256(), fp.md5(), Optional.of(new Pdq(p.hash(), p.quality(),
        new ArrayList<>(distinct))));
  }

  /**
   * The counters of the match-result cache (see {@link Builder#matchCacheSize(int)}).
   *
   * @return a snapshot; never null; all zero when the cache is off
   */
  public MatchCacheStats matchCacheStats() {
    MatchCache c = matchCache;
    return c == null ? new MatchCacheStats(0, 0, 0, 0, 0) : c.stats();
  }

  private static long contentKey(Fingerprints fp) {
    if (fp.sha256().isPresent()) {
      var s = fp.sha256().get();
      return Mix.of(11, s.a(), s.b(), s.c(), s.d());
    }
    if (fp.pdq().isPresent()) {
      PdqHash h = fp.pdq().get().hash();
      return Mix.of(12, h.w0(), h.w1(), h.w2(), h.w3());
    }
    var m = fp.md5().orElseThrow();
    return Mix.of(13, m.hi(), m.lo());
  }

  /**
   * The version of every bank, as recorded in the evidence of each decision: the key is
   * {@code "bank:" + id}, the value {@link Bank#versionString()}.
   *
   * @return bank key to version, in definition order; an immutable snapshot; never null
   */
  public Map<String, String> versions() {
    List<Bank> o = order;
    VersionsMemo memo = versionsMemo;
    long epoch = sharedEpoch.get();
    if (memo != null && memo.order == o && memo.epoch == epoch && memo.sameCounters(o)) {
      return memo.versions; // the engine asks once per decision: no strings to build when nothing changed
    }
    long[] counters = VersionsMemo.counters(o);
    Map<String, String> v = new LinkedHashMap<>();
    for (Bank b : o) {
      String version = b.versionString();
      Long shared = sharedCounters.get(b.id());
      if (shared != null) {
        version = shared + version.substring(version.indexOf('-'));
      }
      v.put(VERSION_KEY_PREFIX + b.id(), version);
    }
    Map<String, String> result = java.util.Collections.unmodifiableMap(v);
    VersionsMemo next = new VersionsMemo(o, counters, result, epoch);
    if (next.sameCounters(o) && sharedEpoch.get() == epoch) {
      versionsMemo = next; // only when no bank changed while the strings were built
    }
    return result;
  }

  /** The last {@link #versions()} result, valid while the banks and their change counters are the same. */
  private static final class VersionsMemo {
    final List<Bank> order;
    final long[] counters;
    final Map<String, String> versions;
    final long epoch;

    VersionsMemo(List<Bank> order, long[] counters, Map<String, String> versions, long epoch) {
      this.order = order;
      this.counters = counters;
      this.versions = versions;
      this.epoch = epoch;
    }

    static long[] counters(List<Bank> order) {
      long[] c = new long[order.size()];
      for (int i = 0; i < c.length; i++) {
        c[i] = order.get(i).version();
      }
      return c;
    }

    boolean sameCounters(List<Bank> o) {
      for (int i = 0; i < counters.length; i++) {
        if (counters[i] != o.get(i).version()) {
          return false;
        }
      }
      return true;
    }
  }

  /** Matches carry the shared store's change counter for banks that follow one. */
  private List<Signal.HashMatch> withSharedCounters(List<Signal.HashMatch> out) {
    if (out.isEmpty() || sharedCounters.isEmpty()) {
      return out;
    }
    for (int i = 0; i < out.size(); i++) {
      Signal.HashMatch m = out.get(i);
      Long shared = sharedCounters.get(m.bank());
      if (shared != null) {
        out.set(i, new Signal.HashMatch(m.bank(), shared, m.category(), m.type(), m.entry(), m.distance(),
            m.maxDistance(), m.quality(), m.reviewOnly()));
      }
    }
    return out;
  }

  /**
   * Reports a bank's version with {@code counter} as its change counter instead of the number of
   * changes this process applied: for a bank that follows a store shared by many instances, which
   * numbers the bank's changes the same way for all of them. The {@code moderation-postgres} bank
   * follower passes the bank's last applied change id after each load and refresh, so that instances
   * holding the same contents record the same version in {@link #versions()} and in every
   * {@link Signal.HashMatch#bankVersion()}. The digest part of the version is unaffected; local
   * events (flood quarantine, restore) no longer show in the counter of such a bank.
   *
   * <p>Thread-safe; a match or {@link #versions()} that runs while a refresh is being applied may
   * pair the previous counter with the new digest until the caller sets the new counter.
   *
   * @param bankId a defined bank; not null
   * @param counter the shared change counter, 0 or more
   * @throws ConfigurationException when no such bank is defined
   * @throws InvalidRequestException when {@code counter} is negative
   */
  public void shareVersionCounter(String bankId, long counter) {
    Bank b = bank(bankId);
    if (counter < 0) {
      throw new InvalidRequestException("counter", "must not be negative, was " + counter);
    }
    sharedCounters.put(b.id(), counter);
    sharedEpoch.incrementAndGet();
  }

  /**
   * Records review feedback on a match of an entry (found by its hex in any type) and hands it to
   * the bank's source.
   *
   * @param bankId the bank id; not null
   * @param entryHex the entry's hash as in {@link Signal.HashMatch#entry()}; not null
   * @param confirmed whether review confirmed the match
   * @return the entry with its updated counts and precision
   * @throws ConfigurationException when the bank is unknown
   * @throws InvalidRequestException when the bank holds no such entry
   */
  public EntryInfo feedback(String bankId, String entryHex, boolean confirmed) {
    Bank b = bank(bankId);
    return b.feedback(typeOf(b, entryHex), entryHex, confirmed);
  }

  /**
   * Lifts flood quarantine from an entry (a person checked it).
   *
   * @param bankId the bank id; not null
   * @param entryHex the entry's hash; not null
   * @return true when it was quarantined
   * @throws ConfigurationException when the bank is unknown
   * @throws InvalidRequestException when the bank holds no such entry
   */
  public boolean restore(String bankId, String entryHex) {
    Bank b = bank(bankId);
    return b.restore(typeOf(b, entryHex), entryHex);
  }

  private static MatchType typeOf(Bank b, String hex) {
    InvalidRequestException.requireNonNull("entry", hex);
    MatchType[] candidates = hex.length() == 32
        ? new MatchType[] {MatchType.MD5, MatchType.VIDEO_MD5}
        : new MatchType[] {MatchType.PDQ, MatchType.SHA256};
    for (MatchType t : candidates) {
      try {
        if (b.entry(t, hex).isPresent()) {
          return t;
        }
      } catch (InvalidRequestException e) {
        // a degenerate PDQ hash cannot be an entry; try the next type
      }
    }
    throw new InvalidRequestException("entry", "bank '" + b.id() + "' holds no entry " + hex);
  }

  /**
   * The latest (at most 1,000) entries demoted by flood quarantine since this instance was created,
   * oldest first (restored ones included: see {@link EntryInfo#quarantined()} for the current
   * state). The listener given to the builder sees every one.
   *
   * @return an immutable snapshot; never null
   */
  public List<QuarantineEvent> quarantineEvents() {
    return List.copyOf(quarantines);
  }

  Instant now() {
    return clock.instant();
  }

  void quarantined(QuarantineEvent ev) {
    synchronized (quarantines) {
      if (quarantines.size() >= MAX_QUARANTINE_EVENTS) {
        quarantines.remove(0);
      }
      quarantines.add(ev);
    }
    LOG.warn("flood quarantine: bank {} entry {} matched {} times in the window (baseline {})", ev.bank(),
        ev.hash(), ev.matchesInWindow(), ev.baseline());
    safely(() -> quarantineListener.accept(ev));
  }

  void safely(Runnable r) {
    try {
      r.run();
    } catch (RuntimeException e) {
      LOG.warn("hash bank callback failed", e);
    }
  }

  /** Builds a {@link HashBanks}; not thread-safe. */
  public static final class Builder {
    private Clock clock = Clock.systemUTC();
    private Consumer<QuarantineEvent> quarantineListener = e -> {};
    private int matchCacheSize = DEFAULT_MATCH_CACHE_SIZE;
    private long matchCacheMinPdqBytes = MATCH_CACHE_MIN_PDQ_BYTES;

    private Builder() {}

    /**
     * Bounds the match-result cache, or turns it off. Default {@link #DEFAULT_MATCH_CACHE_SIZE}
     * (32,768) contents.
     *
     * <p>Forwards and re-shares carry the same fingerprints again and again, and almost all of
     * them match nothing; a PDQ query of a large bank is the costliest step of a decision (about
     * 0.5 ms per hash at 1M entries and distance 31). The cache remembers, per content (the exact
     * PDQ hash, quality, query variants, SHA-256 and MD5), which banks it missed and in which state
     * of each bank, so that a re-share skips those banks' queries. It never returns a stale result:
     * any change of a bank's entries or configuration (add, withdraw, delete, bulk load, define,
     * flood quarantine, restore), and any change of its negative banks or of whether they are
     * active, makes the remembered miss of that bank void. Matches are never cached: each is
     * computed by its bank, so it counts towards flood detection and carries the entry's current
     * quarantine state. Content without a PDQ hash bypasses the cache. Each entry holds the
     * fingerprints (8 bytes a word: 10 words for a PDQ hash with SHA-256 and MD5, 4 more per query
     * variant) and one small stamp per missed bank: roughly 0.3 KB for a bare hash with digests,
     * about 1 KB with 20 query variants. Evicted least-recently/least-frequently used first.
     * Only banks whose PDQ index takes at least 64 KiB ({@link Bank#pdqHeapBytes()}, about 600
     * entries) go through the cache: a smaller bank is scanned in about a microsecond, no more
     * than the cache itself costs, and is always queried. {@link HashBanks#matchCacheStats()}
     * reports the hit rate.
     *
     * @param maxEntries the bound in contents; 0 turns the cache off
     * @return this builder
     * @throws InvalidRequestException when {@code maxEntries} is negative
     */
    public Builder matchCacheSize(int maxEntries) {
      if (maxEntries < 0) {
        throw new InvalidRequestException("matchCacheSize", "must be at least 0, got " + maxEntries);
      }
      matchCacheSize = maxEntries;
      return this;
    }

    /** Tests: the smallest PDQ index (bytes) that goes through the match cache; 0 for every bank. */
    Builder matchCacheMinPdqBytes(long bytes) {
      matchCacheMinPdqBytes = bytes;
      return this;
    }

    /**
     * Sets the clock used for entry times and flood windows.
     *
     * @param value the clock; not null
     * @return this builder
     */
    public Builder clock(Clock value) {
      clock = InvalidRequestException.requireNonNull("clock", value);
      return this;
    }

    /**
     * Sets a listener told of every flood quarantine (on the matching thread; keep it quick).
     *
     * @param value the listener; not null
     * @return this builder
     */
    public Builder onQuarantine(Consumer<QuarantineEvent> value) {
      quarantineListener = InvalidRequestException.requireNonNull("onQuarantine", value);
      return this;
    }

    /**
     * Builds an empty set of banks.
     *
     * @return a new instance
     */
    public HashBanks build() {
      return new HashBanks(this);
    }
  }
}
