package dev.haetae.moderation.core.hash;

import dev.haetae.moderation.api.ConfigurationException;
import dev.haetae.moderation.api.MatchType;
import dev.haetae.moderation.api.PdqHash;
import dev.haetae.moderation.api.spi.HashBankSource;
import dev.haetae.moderation.api.spi.HashBankSource.Entry.State;
import dev.haetae.moderation.core.banks.HashListFormat;
import dev.haetae.moderation.core.banks.ListRecord;
import dev.haetae.moderation.core.banks.ProblemKind;
import dev.haetae.moderation.core.banks.RecordSink;
import java.io.IOException;
import java.io.Reader;
import java.io.Writer;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;

/**
 * Applies hash lists to banks: every record a reader or source hands over is validated, classified
 * when it is junk, applied, counted and, when it changed the bank, listed as a change. Also writes
 * banks back out in the writable formats.
 */
final class BankFiles {
  private static final int BULK = 1 << 20;

  private BankFiles() {}

  /** Imports a list read by {@code format} into {@code bank}. */
  static ImportReport importList(Bank bank, HashListFormat format, Reader in, String name, ImportOptions options)
      throws IOException {
    Loader l = new Loader(bank, name, options);
    format.read(in, l);
    return l.finish();
  }

  static ImportReport importCsv(Bank bank, Reader in, String name) throws IOException {
    return importList(bank, HashListFormat.HAETAE_CSV, in, name, ImportOptions.defaults());
  }

  static ImportReport importStopNcii(Bank bank, Reader in, String name) throws IOException {
    return importList(bank, HashListFormat.STOPNCII, in, name, ImportOptions.defaults());
  }

  static void exportCsv(Bank bank, Writer out) throws IOException {
    HashListFormat.HAETAE_CSV.write(records(bank), out);
  }

  static void exportStopNcii(Bank bank, Writer out) throws IOException {
    HashListFormat.STOPNCII.write(records(bank), out);
  }

  /** Every entry the bank holds (active or withdrawn, matched or foreign), as list records. */
  static List<ListRecord> records(Bank bank) {
    List<ListRecord> out = new ArrayList<>();
    bank.forEachEntry((type, hex, state, added, caseId) -> out.add(new ListRecord(type.wireName(), hex,
        State.values()[state], Optional.of(Instant.ofEpochSecond(added & 0xFFFFFFFFL)), Optional.ofNullable(caseId),
        Optional.empty(), OptionalInt.empty(), 0)));
    for (HashBankSource.ForeignEntry f : bank.owner().foreign(bank.id()).all()) {
      out.add(new ListRecord(f.signalType(), f.value(), f.state(), f.addedAt(), f.caseId(), Optional.empty(),
          OptionalInt.empty(), 0));
    }
    return out;
  }

  /** Loads or syncs a bank from a source, through the source's {@link HashBankSource.Sink}. */
  static ImportReport fromSource(Bank bank, String name, ImportOptions options,
      java.util.function.Consumer<HashBankSource.Sink> run) {
    Loader l = new Loader(bank, name, options);
    long[] n = {0};
    HashBankSource.Sink sink = new HashBankSource.Sink() {
      @Override
      public void accept(HashBankSource.Entry e) {
        n[0]++;
        if (e == null) {
          l.problem(n[0], ProblemKind.MALFORMED, "null entry");
          return;
        }
        if (e.state() == State.ACTIVE && e.category().isPresent()) {
          l.acceptWithCategory(e, n[0]);
          return;
        }
        l.accept(new ListRecord(e.type().wireName(), e.hash(), e.state(), e.addedAt(), e.caseId(), Optional.empty(),
            OptionalInt.empty(), n[0]));
      }

      @Override
      public void foreign(HashBankSource.ForeignEntry e) {
        n[0]++;
        if (e == null) {
          l.problem(n[0], ProblemKind.MALFORMED, "null entry");
          return;
        }
        l.accept(new ListRecord(ListRecord.canonicalType(e.signalType()), e.value(), e.state(), e.addedAt(),
            e.caseId(), Optional.empty(), OptionalInt.empty(), n[0]));
      }

      @Override
      public void problem(long position, String message) {
        n[0]++;
        String m = message == null ? "(no message)" : message;
        ProblemKind kind = ProblemKind.MALFORMED;
        // the programme sources of this library name the class as "[kind] ..."
        int close = m.indexOf(']');
        if (m.startsWith("[") && close > 1) {
          try {
            kind = ProblemKind.valueOf(m.substring(1, close).toUpperCase(java.util.Locale.ROOT));
            m = m.substring(close + 1).strip();
          } catch (IllegalArgumentException e) {
            // not a class name: keep the whole message
          }
        }
        l.problem(position, kind, m);
      }
    };
    try {
      run.accept(sink);
    } catch (HashListException e) {
      throw e;
    } catch (RuntimeException e) {
      l.flush();
      throw new ConfigurationException(name + " failed after " + n[0] + " entries (those stay applied): "
          + e.getMessage(), e);
    }
    return l.finish();
  }

  /** Validates, applies and counts the records of one import. Not thread-safe. */
  static final class Loader implements RecordSink {
    final Bank bank;
    final HashBanks owner;
    final ForeignEntries side;
    final String name;
    final ImportOptions options;
    final EnumMap<ProblemKind, Long> byKind = new EnumMap<>(ProblemKind.class);
    final List<ImportReport.Problem> problems = new ArrayList<>();
    final List<ImportReport.Change> changes = new ArrayList<>();
    final SeenSet seen = new SeenSet();
    final List<Object[]> staged = new ArrayList<>();
    long read;
    long added;
    long changed;
    long withdrawn;
    long deleted;
    long unchanged;
    long foreign;
    long skipped;
    /** PDQ additions go through the bulk path while the bank was empty and nothing else touched PDQ. */
    boolean bulk;
    long[] pending = new long[4 * 1024];
    long[] pendingLines = new long[1024];
    int pendingCount;
    /** The last PDQ key parsed and its hash: a record's key is parsed once for checking, digest and index. */
    private String parsedKey;
    private PdqHash parsed;

    private PdqHash pdqOf(String key) {
      if (key != parsedKey) {
        parsed = PdqHash.fromHex(key);
        parsedKey = key;
      }
      return parsed;
    }

    Loader(Bank bank, String name, ImportOptions options) {
      this.bank = bank;
      this.owner = bank.owner();
      this.side = owner.foreign(bank.id());
      this.name = name;
      this.options = options;
      this.bulk = bank.size() == 0 && !anyEntry(bank);
    }

    private static boolean anyEntry(Bank b) {
      boolean[] any = {false};
      b.forEachEntry((t, h, s, a, c) -> any[0] = true);
      return any[0];
    }

    @Override
    public void problem(long line, ProblemKind kind, String message) {
      read++;
      skip(line, kind, message);
    }

    private void skip(long line, ProblemKind kind, String message) {
      if (options.strict() && kind != ProblemKind.DUPLICATE) {
        throw new HashListException(name, line, kind, message);
      }
      skipped++;
      byKind.merge(kind, 1L, Long::sum);
      if (problems.size() < options.maxListedProblems()) {
        problems.add(new ImportReport.Problem(line, kind, message));
      }
    }

    @Override
    public void accept(ListRecord r) {
      read++;
      String key = validate(r);
      if (key == null) {
        return;
      }
      if (options.strict()) {
        staged.add(new Object[] {r, key});
      } else {
        apply(r, key);
      }
    }

    /** The canonical key of a record, or null when it was skipped. */
    private String validate(ListRecord r) {
      String key;
      if (r.deletesById()) {
        key = "";
      } else if (r.signalType().isEmpty()) {
        skip(r.line(), ProblemKind.MALFORMED, "signal type is missing");
        return null;
      } else {
        Optional<MatchType> type = r.matchType();
        if (type.isPresent()) {
          ProblemKind[] kind = {null};
          String[] msg = {null};
          key = checkHash(type.get(), r.value(), kind, msg);
          if (key != null && type.get() == MatchType.PDQ) {
            PdqHash h = pdqOf(key);
            int bits = h.bitCount();
            if (bits == 0 || bits == PdqHash.BITS) {
              kind[0] = ProblemKind.DEGENERATE_PDQ;
              msg[0] = "pdq hash is all " + (bits == 0 ? "zeros" : "ones") + ", which no real image produces";
              key = null;
            }
          }
          if (key == null) {
            skip(r.line(), kind[0], msg[0]);
            return null;
          }
          OptionalInt q = r.quality();
          if (type.get() == MatchType.PDQ && r.state() == State.ACTIVE && q.isPresent()
              && q.getAsInt() < ListRecord.MIN_PDQ_QUALITY) {
            skip(r.line(), ProblemKind.LOW_QUALITY_PDQ, "pdq quality " + q.getAsInt() + " is below "
                + ListRecord.MIN_PDQ_QUALITY + ": the hash of a plain image would match every similar image");
            return null;
          }
        } else {
          key = r.value().strip();
          if (key.isEmpty()) {
            skip(r.line(), ProblemKind.MALFORMED, r.signalType() + " signal is empty");
            return null;
          }
        }
      }
      long mix = identity(r, key);
      if (!seen.add(mix)) {
        skip(r.line(), ProblemKind.DUPLICATE, (r.deletesById() ? "deletion of id " + r.sourceId().get()
            : r.signalType() + " " + key) + " repeats an earlier record of this list");
        return null;
      }
      return key;
    }

    /** A digest of what makes two records the same: type, hash, state, case id and source id. */
    private long identity(ListRecord r, String key) {
      long base;
      if (key.length() == 64 && r.signalType().equals("pdq")) {
        PdqHash h = pdqOf(key);
        base = Mix.of(h.w0(), h.w1(), h.w2(), h.w3());
      } else {
        base = Mix.of(r.signalType().length() + "\u0000" + r.signalType() + key);
      }
      long extra = r.caseId().isEmpty() && r.sourceId().isEmpty() ? 0
          : Mix.of(r.caseId().orElse("") + '\u0000' + r.sourceId().orElse(""));
      return Mix.of(r.state().ordinal(), base, extra);
    }

    private static String checkHash(MatchType type, String hex, ProblemKind[] kind, String[] msg) {
      String h = hex.strip();
      int want = type == MatchType.PDQ || type == MatchType.SHA256 ? 64 : 32;
      for (int i = 0; i < h.length(); i++) {
        if (Character.digit(h.charAt(i), 16) < 0) {
          kind[0] = ProblemKind.NOT_HEX;
          msg[0] = type.wireName() + " hash has a non-hex character at position " + (i + 1);
          return null;
        }
      }
      if (h.length() != want) {
        kind[0] = ProblemKind.WRONG_LENGTH;
        msg[0] = type.wireName() + " hash must have " + want + " hex digits, got " + h.length();
        return null;
      }
      return h.toLowerCase(java.util.Locale.ROOT);
    }

    private void apply(ListRecord r, String key) {
      if (r.deletesById()) {
        List<String[]> pairs = side.forget(r.sourceId().get());
        if (pairs.isEmpty()) {
          unchanged++;
          return;
        }
        for (String[] pair : pairs) {
          applyOne(new ListRecord(pair[0], pair[1], State.DELETED, r.addedAt(), r.caseId(), Optional.empty(),
              OptionalInt.empty(), r.line()), pair[1]);
        }
        return;
      }
      if (r.sourceId().isPresent()) {
        // an update under an id replaces what the id carried before
        String id = r.sourceId().get();
        side.remember(id, r.signalType(), key);
      }
      applyOne(r, key);
    }

    private void applyOne(ListRecord r, String key) {
      Optional<MatchType> type = r.matchType();
      if (type.isEmpty()) {
        applyForeign(r, key);
        return;
      }
      MatchType t = type.get();
      if (bulk && t == MatchType.PDQ && r.state() == State.ACTIVE && r.addedAt().isEmpty() && r.caseId().isEmpty()) {
        PdqHash h = pdqOf(key);
        if (4 * (pendingCount + 1) > pending.length) {
          pending = java.util.Arrays.copyOf(pending, pending.length * 2);
          pendingLines = java.util.Arrays.copyOf(pendingLines, pendingLines.length * 2);
        }
        int b = 4 * pendingCount;
        pending[b] = h.w0();
        pending[b + 1] = h.w1();
        pending[b + 2] = h.w2();
        pending[b + 3] = h.w3();
        pendingLines[pendingCount++] = r.line();
        if (pendingCount == BULK) {
          flush();
        }
        return;
      }
      if (t == MatchType.PDQ) {
        flush();
        bulk = false; // from here on the bank's PDQ state is not known to the bulk path
      }
      Optional<EntryInfo> before = bank.entry(t, key);
      switch (r.state()) {
        case ACTIVE: {
          Instant at = r.addedAt().orElseGet(() -> before.map(EntryInfo::addedAt).orElseGet(owner::now));
          boolean became = bank.add(t, key, at, r.caseId().orElse(null));
          if (before.isEmpty()) {
            change(ImportReport.Change.Kind.ADDED, r, key);
          } else if (became || (r.caseId().isPresent() && !r.caseId().equals(before.get().caseId()))) {
            change(ImportReport.Change.Kind.CHANGED, r, key);
          } else {
            unchanged++;
          }
          break;
        }
        case WITHDRAWN:
          if (bank.withdraw(t, key)) {
            change(ImportReport.Change.Kind.WITHDRAWN, r, key);
          } else {
            unchanged++;
          }
          break;
        default:
          if (bank.delete(t, key)) {
            change(ImportReport.Change.Kind.DELETED, r, key);
          } else {
            unchanged++;
          }
      }
    }

    /**
     * An active entry with its own category and reason (a shared platform bank's): applied with
     * them by {@link Bank#apply}, past the list-record path, which carries neither.
     */
    void acceptWithCategory(HashBankSource.Entry e, long line) {
      read++;
      String key;
      try {
        key = Hashes.normalize(e.type(), e.hash());
      } catch (dev.haetae.moderation.api.InvalidRequestException x) {
        skip(line, ProblemKind.MALFORMED, x.getMessage());
        return;
      }
      if (e.type() == MatchType.PDQ) {
        flush();
        bulk = false;
      }
      Optional<EntryInfo> before = bank.entry(e.type(), key);
      boolean changedNow = bank.apply(e);
      ListRecord r = new ListRecord(e.type().wireName(), key, State.ACTIVE, e.addedAt(), e.caseId(), Optional.empty(),
          OptionalInt.empty(), line);
      if (before.isEmpty()) {
        change(ImportReport.Change.Kind.ADDED, r, key);
      } else if (changedNow) {
        change(ImportReport.Change.Kind.CHANGED, r, key);
      } else {
        unchanged++;
      }
    }

    private void applyForeign(ListRecord r, String key) {
      foreign++;
      HashBankSource.ForeignEntry old = side.put(r.signalType(), key, r.state(), r.addedAt(), r.caseId());
      switch (r.state()) {
        case ACTIVE:
          if (old == null) {
            change(ImportReport.Change.Kind.ADDED, r, key);
          } else if (old.state() != State.ACTIVE || (r.caseId().isPresent() && !r.caseId().equals(old.caseId()))) {
            change(ImportReport.Change.Kind.CHANGED, r, key);
          } else {
            unchanged++;
          }
          break;
        case WITHDRAWN:
          if (old != null && old.state() == State.ACTIVE) {
            change(ImportReport.Change.Kind.WITHDRAWN, r, key);
          } else {
            unchanged++;
          }
          break;
        default:
          if (old != null) {
            change(ImportReport.Change.Kind.DELETED, r, key);
          } else {
            unchanged++;
          }
      }
    }

    private void change(ImportReport.Change.Kind kind, ListRecord r, String key) {
      switch (kind) {
        case ADDED:
          added++;
          break;
        case CHANGED:
          changed++;
          break;
        case WITHDRAWN:
          withdrawn++;
          break;
        default:
          deleted++;
      }
      if (!wantChanges()) {
        return;
      }
      ImportReport.Change c = new ImportReport.Change(kind, bank.id(), r.signalType(), key, bank.category(),
          r.caseId(), r.line());
      if (changes.size() < options.maxListedChanges()) {
        changes.add(c);
      }
      if (options.onChange() != ImportOptions.NO_LISTENER) {
        owner.safely(() -> options.onChange().accept(c));
      }
    }

    /** Whether a change would be listed or heard: otherwise only counted. */
    private boolean wantChanges() {
      return changes.size() < options.maxListedChanges() || options.onChange() != ImportOptions.NO_LISTENER;
    }

    void flush() {
      if (pendingCount == 0) {
        return;
      }
      int n = bank.addPdqBulk(pending, pendingCount);
      // the bank was empty and every pending hash is distinct (duplicates were skipped): all are new
      for (int i = 0; i < pendingCount; i++) {
        if (!wantChanges()) {
          added += pendingCount - i; // counted, neither listed nor heard
          break;
        }
        PdqHash h = new PdqHash(pending[4 * i + 3], pending[4 * i + 2], pending[4 * i + 1], pending[4 * i]);
        change(ImportReport.Change.Kind.ADDED, new ListRecord("pdq", h.toHex(), State.ACTIVE, Optional.empty(),
            Optional.empty(), Optional.empty(), OptionalInt.empty(), pendingLines[i]), h.toHex());
      }
      if (n != pendingCount) {
        // cannot happen while the invariant holds; keep the counts honest if it ever does
        added -= pendingCount - n;
        unchanged += pendingCount - n;
      }
      pendingCount = 0;
      if (pending.length > 4 * 4096) {
        pending = new long[4 * 1024];
        pendingLines = new long[1024];
      }
    }

    ImportReport finish() {
      if (options.strict()) {
        for (Object[] s : staged) {
          apply((ListRecord) s[0], (String) s[1]);
        }
        staged.clear();
      }
      flush();
      return new ImportReport(name, bank.id(), read, added, changed, withdrawn, deleted, unchanged, foreign, skipped,
          Map.copyOf(byKind), problems, changes);
    }
  }

  /** A set of 64-bit digests, open addressing; stops tracking (and never reports) past 8M digests. */
  static final class SeenSet {
    private static final int MAX = 8 << 20;
    private long[] slots = new long[1024];
    private boolean zero;
    private int size;

    /** Adds; false when the digest was present (a duplicate). */
    boolean add(long v) {
      if (v == 0) {
        boolean had = zero;
        zero = true;
        return !had;
      }
      if (size >= MAX) {
        return true;
      }
      if (2 * (size + 1) > slots.length) {
        grow();
      }
      int mask = slots.length - 1;
      int i = (int) (v ^ (v >>> 32)) & mask;
      while (slots[i] != 0) {
        if (slots[i] == v) {
          return false;
        }
        i = (i + 1) & mask;
      }
      slots[i] = v;
      size++;
      return true;
    }

    private void grow() {
      long[] old = slots;
      slots = new long[old.length * 2];
      int mask = slots.length - 1;
      for (long v : old) {
        if (v != 0) {
          int i = (int) (v ^ (v >>> 32)) & mask;
          while (slots[i] != 0) {
            i = (i + 1) & mask;
          }
          slots[i] = v;
        }
      }
    }
  }
}
