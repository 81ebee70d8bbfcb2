package dev.haetae.moderation.postgres;

import dev.haetae.moderation.api.Category;
import dev.haetae.moderation.api.ConfigurationException;
import dev.haetae.moderation.api.Fingerprints;
import dev.haetae.moderation.api.InvalidRequestException;
import dev.haetae.moderation.api.MatchType;
import dev.haetae.moderation.api.Md5;
import dev.haetae.moderation.api.PdqHash;
import dev.haetae.moderation.api.Sha256;
import dev.haetae.moderation.api.spi.HashBankSource;
import dev.haetae.moderation.api.spi.HashBankSource.Entry.State;
import dev.haetae.moderation.core.hash.BankConfig;
import dev.haetae.moderation.core.hash.HashBanks;
import dev.haetae.moderation.core.hash.ImportReport;
import java.sql.Array;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/** {@link BankStore} on the tables of {@code V5__banks.sql}. */
final class PgBankStore implements BankStore {
  private final HaetaePostgres pg;
  private final String bankId;
  private final Category category;

  PgBankStore(HaetaePostgres pg, String bankId, Category category) {
    this.pg = pg;
    InvalidRequestException.requireNonNull("bankId", bankId);
    InvalidRequestException.requireNonNull("category", category);
    BankConfig.builder(bankId, category).build(); // validates the id as the in-memory banks do
    this.bankId = bankId;
    this.category = category;
    String stored = pg.inTransaction("creating bank " + bankId, c -> createAndRead(c, bankId, category));
    if (!stored.equals(category.wireName())) {
      throw new ConfigurationException("bank '" + bankId + "' is stored with category " + stored + ", not "
          + category.wireName());
    }
  }

  /**
   * The store of a bank, created with {@code category} when missing; an existing bank keeps the
   * category it is stored with (for the engine's own banks, whose category is set by their first
   * entry, as in memory).
   */
  static PgBankStore openOrCreate(HaetaePostgres pg, String bankId, Category category) {
    InvalidRequestException.requireNonNull("bankId", bankId);
    InvalidRequestException.requireNonNull("category", category);
    BankConfig.builder(bankId, category).build(); // validates the id as the in-memory banks do
    String stored = pg.inTransaction("creating bank " + bankId, c -> createAndRead(c, bankId, category));
    return new PgBankStore(pg, bankId, Category.fromWire(stored));
  }

  /** Creates the bank's row when missing; returns its stored category. */
  private static String createAndRead(Connection c, String bankId, Category category) throws SQLException {
    try (PreparedStatement ins = c.prepareStatement(
        "INSERT INTO hash_bank(bank_id, category) VALUES (?, ?) ON CONFLICT (bank_id) DO NOTHING")) {
      ins.setString(1, bankId);
      ins.setString(2, category.wireName());
      ins.executeUpdate();
    }
    try (PreparedStatement q = c.prepareStatement("SELECT category FROM hash_bank WHERE bank_id = ?")) {
      q.setString(1, bankId);
      try (ResultSet rs = q.executeQuery()) {
        rs.next();
        return rs.getString(1);
      }
    }
  }

  HaetaePostgres pg() {
    return pg;
  }

  @Override
  public String bankId() {
    return bankId;
  }

  @Override
  public Category category() {
    return category;
  }

  // ---------------------------------------------------------------- validation

  /**
   * The canonical lower-case hex of a hash, validated as the in-memory banks validate entries.
   *
   * @throws InvalidRequestException (field {@code hash}) naming the problem
   */
  static String normalize(MatchType type, String hex) {
    InvalidRequestException.requireNonNull("type", type);
    InvalidRequestException.requireNonNull("hash", hex);
    try {
      switch (type) {
        case PDQ: {
          PdqHash h = PdqHash.fromHex(hex);
          if (!HashBanks.isValidPdq(h)) {
            throw new InvalidRequestException("hash", "pdq hash " + shorten(hex) + " is all "
                + (h.bitCount() == 0 ? "zeros" : "ones") + ", which no real image produces");
          }
          return h.toHex();
        }
        case SHA256:
          return Sha256.fromHex(hex).toHex();
        default:
          return Md5.fromHex(hex).toHex();
      }
    } catch (InvalidRequestException e) {
      if (e.field().equals("hash")) {
        throw e;
      }
      // e.g. "pdq must be 64 hex digits, got 63 characters"
      throw new InvalidRequestException("hash", type.wireName() + " hash " + shorten(hex) + ": " + e.getMessage());
    }
  }

  private static String shorten(String hex) {
    String s = hex.length() > 20 ? hex.substring(0, 16) + "..." : hex;
    return "'" + s + "'";
  }

  // ---------------------------------------------------------------- writes

  /**
   * One requested change, validated; {@code category} (wire name) and {@code reason} are an active
   * entry's own, or null; {@code uploader} is the poster's keyed pseudonym, or null.
   */
  record Op(MatchType type, String hash, State state, Instant addedAt, String caseId, String category,
      String reason, String uploader) {
    Op(MatchType type, String hash, State state, Instant addedAt, String caseId) {
      this(type, hash, state, addedAt, caseId, null, null, null);
    }

    Op(MatchType type, String hash, State state, Instant addedAt, String caseId, String category, String reason) {
      this(type, hash, state, addedAt, caseId, category, reason, null);
    }
  }

  /** An entry's stored state, its addition time, its own category and reason and its uploader (or nulls). */
  private record Stored(String state, Long added, String category, String reason, String uploader) {}

  private record Key(String type, String hash) {}

  @Override
  public boolean add(MatchType type, String hex) {
    return add(type, hex, Instant.now(), null);
  }

  @Override
  public boolean add(MatchType type, String hex, Instant addedAt, String caseId) {
    InvalidRequestException.requireNonNull("addedAt", addedAt);
    return write(List.of(new Op(type, normalize(type, hex), State.ACTIVE, addedAt, caseId))) > 0;
  }

  @Override
  public boolean withdraw(MatchType type, String hex) {
    return write(List.of(new Op(type, normalize(type, hex), State.WITHDRAWN, null, null))) > 0;
  }

  @Override
  public boolean delete(MatchType type, String hex) {
    return write(List.of(new Op(type, normalize(type, hex), State.DELETED, null, null))) > 0;
  }

  @Override
  public int addFingerprints(Fingerprints fp) {
    InvalidRequestException.requireNonNull("fingerprints", fp);
    Instant now = Instant.now();
    List<Op> ops = new ArrayList<>(3);
    fp.sha256().ifPresent(h -> ops.add(new Op(MatchType.SHA256, h.toHex(), State.ACTIVE, now, null)));
    fp.md5().ifPresent(h -> ops.add(new Op(MatchType.MD5, h.toHex(), State.ACTIVE, now, null)));
    fp.pdq().filter(HashBanks::isBankable)
        .ifPresent(p -> ops.add(new Op(MatchType.PDQ, p.hash().toHex(), State.ACTIVE, now, null)));
    return ops.isEmpty() ? 0 : write(ops);
  }

  /**
   * Adds fingerprints as {@link #addFingerprints(Fingerprints)} does, each entry with its own
   * category and the reason it was banked; an active entry takes a new category or reason (a
   * change, which followers apply).
   *
   * @param fp the fingerprints; not null
   * @param category the entries' own category; not null
   * @param reason why they were banked; not null
   * @return how many entries changed
   */
  int addFingerprints(Fingerprints fp, Category category, String reason) {
    return addFingerprints(fp, category, reason, null);
  }

  /**
   * As {@link #addFingerprints(Fingerprints, Category, String)}, each entry also recording the keyed
   * pseudonym of the account whose removed content it came from; an active entry keeps the first
   * uploader recorded for it (one without an uploader takes this one: a change).
   *
   * @param fp the fingerprints; not null
   * @param category the entries' own category; not null
   * @param reason why they were banked; not null
   * @param uploader the poster's keyed pseudonym, never a raw account id; null when unknown
   * @return how many entries changed
   * @throws InvalidRequestException when an argument other than {@code uploader} is null, or the
   *     uploader is blank
   */
  int addFingerprints(Fingerprints fp, Category category, String reason, String uploader) {
    InvalidRequestException.requireNonNull("fingerprints", fp);
    InvalidRequestException.requireNonNull("category", category);
    InvalidRequestException.requireNonNull("reason", reason);
    if (uploader != null && uploader.isBlank()) {
      throw new InvalidRequestException("uploader", "must not be blank");
    }
    Instant now = Instant.now();
    String cat = category.wireName();
    List<Op> ops = new ArrayList<>(3);
    fp.sha256().ifPresent(h -> ops.add(new Op(MatchType.SHA256, h.toHex(), State.ACTIVE, now, null, cat, reason,
        uploader)));
    fp.md5().ifPresent(h -> ops.add(new Op(MatchType.MD5, h.toHex(), State.ACTIVE, now, null, cat, reason,
        uploader)));
    fp.pdq().filter(HashBanks::isBankable)
        .ifPresent(p -> ops.add(new Op(MatchType.PDQ, p.hash().toHex(), State.ACTIVE, now, null, cat, reason,
            uploader)));
    return ops.isEmpty() ? 0 : write(ops);
  }

  @Override
  public ImportReport importEntries(Iterable<HashBankSource.Entry> entries, int batchSize) {
    InvalidRequestException.requireNonNull("entries", entries);
    if (batchSize < 1) {
      throw new InvalidRequestException("batchSize", "must be at least 1, was " + batchSize);
    }
    List<ImportReport.Problem> problems = new ArrayList<>();
    List<Op> batch = new ArrayList<>(Math.min(batchSize, 65_536));
    long n = 0;
    long applied = 0;
    long submitted = 0;
    for (HashBankSource.Entry e : entries) {
      n++;
      if (e == null) {
        problems.add(new ImportReport.Problem(n, "null entry"));
        continue;
      }
      String key;
      try {
        key = normalize(e.type(), e.hash());
      } catch (InvalidRequestException x) {
        problems.add(new ImportReport.Problem(n, x.getMessage()));
        continue;
      }
      Instant added = e.state() == State.ACTIVE ? e.addedAt().orElseGet(Instant::now) : null;
      boolean own = e.state() == State.ACTIVE && e.category().isPresent();
      batch.add(new Op(e.type(), key, e.state(), added, e.caseId().orElse(null),
          own ? e.category().get().wireName() : null, own ? e.reason().orElse("") : null,
          own ? e.uploader().orElse(null) : null));
      if (batch.size() >= batchSize) {
        applied += write(batch);
        submitted += batch.size();
        batch.clear();
      }
    }
    if (!batch.isEmpty()) {
      applied += write(batch);
      submitted += batch.size();
    }
    return new ImportReport("bank " + bankId, applied, submitted - applied, problems);
  }

  /** Applies validated changes in one transaction; returns how many changed the bank. */
  int write(List<Op> ops) {
    return pg.inTransaction("writing " + ops.size() + " change(s) to bank " + bankId, c -> write(c, ops));
  }

  /** Applies validated changes in the caller's transaction, under the bank row's lock; how many changed. */
  int write(Connection c, List<Op> ops) throws SQLException {
    long last;
    try (PreparedStatement lock =
        c.prepareStatement("SELECT last_change FROM hash_bank WHERE bank_id = ? FOR UPDATE")) {
      lock.setString(1, bankId);
      try (ResultSet rs = lock.executeQuery()) {
        if (!rs.next()) {
          throw new ConfigurationException("bank '" + bankId + "' is not in the database");
        }
        last = rs.getLong(1);
      }
    }
    // the current state of every entry the changes touch: "active", "withdrawn" or absent
    Map<Key, Stored> state = new HashMap<>();
    String[] hashes = ops.stream().map(Op::hash).distinct().toArray(String[]::new);
    // a join on the unnested hashes probes the key per hash; "hash = ANY(?)" was planned as a scan
    // of the whole bank once the batch was large
    try (PreparedStatement q = c.prepareStatement(
        "SELECT e.type, e.hash, e.state, extract(epoch FROM e.added_at)::bigint, e.category, e.reason,"
            + " e.uploader FROM unnest(?::text[]) AS u(hash) JOIN hash_bank_entry e ON e.bank_id = ? AND e.hash = u.hash")) {
      q.setArray(1, c.createArrayOf("text", hashes));
      q.setString(2, bankId);
      try (ResultSet rs = q.executeQuery()) {
        while (rs.next()) {
          state.put(new Key(rs.getString(1), rs.getString(2)),
              new Stored(rs.getString(3), rs.getLong(4), rs.getString(5), rs.getString(6), rs.getString(7)));
        }
      }
    }
    // the changes that change something, in order, and the final row per entry
    List<Object[]> changes = new ArrayList<>();
    Map<Key, Object[]> rows = new LinkedHashMap<>();
    for (Op op : ops) {
      Key k = new Key(op.type().wireName(), op.hash());
      Stored stored = state.get(k);
      String now = stored == null ? null : stored.state();
      String next;
      // an active entry's own category and reason: kept by a plain add, replaced by an add with them
      String category = null;
      String reason = null;
      String uploader = null;
      Long keepAdded = null;
      switch (op.state()) {
        case ACTIVE:
          if ("active".equals(now)) {
            // the first uploader recorded for an active entry is kept
            uploader = stored.uploader() != null ? stored.uploader() : op.uploader();
            boolean renote = op.category() != null && !(op.category().equals(stored.category())
                && op.reason().equals(stored.reason()) && java.util.Objects.equals(uploader, stored.uploader()));
            next = renote ? "active" : null;
            keepAdded = stored.added();
          } else {
            next = "active";
            uploader = op.category() != null ? op.uploader() : null;
          }
          category = op.category() != null ? op.category() : null;
          reason = op.category() != null ? op.reason() : null;
          break;
        case WITHDRAWN:
          next = "active".equals(now) ? "withdrawn" : null;
          break;
        default:
          next = now != null ? "deleted" : null;
      }
      if (next == null) {
        continue;
      }
      long id = ++last;
      boolean active = next.equals("active");
      Long added = !active ? null : keepAdded != null ? keepAdded : (Long) op.addedAt().getEpochSecond();
      String caseId = active ? op.caseId() : null;
      Object[] row = {k.type(), k.hash(), next, added, caseId, id, active ? category : null, active ? reason : null,
          active ? uploader : null};
      changes.add(row);
      rows.put(k, row);
      state.put(k, next.equals("deleted") ? null
          : new Stored(next, added, (String) row[6], (String) row[7], (String) row[8]));
    }
    if (changes.isEmpty()) {
      return 0;
    }
    List<Object[]> upserts = new ArrayList<>();
    List<Object[]> deletes = new ArrayList<>();
    List<String> dropFeedback = new ArrayList<>();
    for (Object[] r : rows.values()) {
      if (r[2].equals("deleted")) {
        deletes.add(r);
      } else {
        upserts.add(r);
      }
      if (!r[2].equals("active")) {
        dropFeedback.add((String) r[1]);
      }
    }
    if (!upserts.isEmpty()) {
      try (PreparedStatement up = c.prepareStatement(
          "INSERT INTO hash_bank_entry(bank_id, type, hash, state, added_at, case_id, change_id, category, reason,"
              + " uploader)"
              + " SELECT ?, u.type, u.hash, u.state, coalesce(to_timestamp(u.added), now()), u.case_id, u.change_id,"
              + " u.category, u.reason, u.uploader"
              + " FROM unnest(?::text[], ?::text[], ?::text[], ?::bigint[], ?::text[], ?::bigint[], ?::text[],"
              + " ?::text[], ?::text[]) AS u(type, hash, state, added, case_id, change_id, category, reason, uploader)"
              + " ON CONFLICT (bank_id, hash, type) DO UPDATE SET state = excluded.state,"
              + " added_at = CASE WHEN excluded.state = 'active' THEN excluded.added_at"
              + " ELSE hash_bank_entry.added_at END,"
              + " case_id = excluded.case_id, change_id = excluded.change_id, category = excluded.category,"
              + " reason = excluded.reason, uploader = excluded.uploader")) {
        up.setString(1, bankId);
        bindColumns(c, up, 2, upserts);
        up.executeUpdate();
      }
    }
    if (!deletes.isEmpty()) {
      try (PreparedStatement del = c.prepareStatement(
          "DELETE FROM hash_bank_entry e USING unnest(?::text[], ?::text[]) AS u(type, hash)"
              + " WHERE e.bank_id = ? AND e.type = u.type AND e.hash = u.hash")) {
        del.setArray(1, c.createArrayOf("text", deletes.stream().map(r -> r[0]).toArray()));
        del.setArray(2, c.createArrayOf("text", deletes.stream().map(r -> r[1]).toArray()));
        del.setString(3, bankId);
        del.executeUpdate();
      }
    }
    if (!dropFeedback.isEmpty()) {
      try (PreparedStatement del = c.prepareStatement(
          "DELETE FROM hash_bank_feedback WHERE bank_id = ? AND hash = ANY(?)")) {
        del.setString(1, bankId);
        del.setArray(2, c.createArrayOf("text", dropFeedback.toArray()));
        del.executeUpdate();
      }
    }
    try (PreparedStatement log = c.prepareStatement(
        "INSERT INTO hash_bank_change(bank_id, change_id, type, hash, state, added_at, case_id, category, reason,"
            + " uploader)"
            + " SELECT ?, u.change_id, u.type, u.hash, u.state, to_timestamp(u.added), u.case_id, u.category, u.reason,"
            + " u.uploader"
            + " FROM unnest(?::text[], ?::text[], ?::text[], ?::bigint[], ?::text[], ?::bigint[], ?::text[],"
            + " ?::text[], ?::text[]) AS u(type, hash, state, added, case_id, change_id, category, reason, uploader)")) {
      log.setString(1, bankId);
      bindColumns(c, log, 2, changes);
      log.executeUpdate();
    }
    try (PreparedStatement upd =
        c.prepareStatement("UPDATE hash_bank SET last_change = ? WHERE bank_id = ?")) {
      upd.setLong(1, last);
      upd.setString(2, bankId);
      upd.executeUpdate();
    }
    return changes.size();
  }

  /** Binds the nine columns (type, hash, state, added, case id, change id, category, reason, uploader) as arrays. */
  private static void bindColumns(Connection c, PreparedStatement st, int first, List<Object[]> rows)
      throws SQLException {
    int n = rows.size();
    String[] type = new String[n];
    String[] hash = new String[n];
    String[] state = new String[n];
    Long[] added = new Long[n];
    String[] caseId = new String[n];
    Long[] id = new Long[n];
    String[] category = new String[n];
    String[] reason = new String[n];
    String[] uploader = new String[n];
    for (int i = 0; i < n; i++) {
      Object[] r = rows.get(i);
      type[i] = (String) r[0];
      hash[i] = (String) r[1];
      state[i] = (String) r[2];
      added[i] = (Long) r[3];
      caseId[i] = (String) r[4];
      id[i] = (Long) r[5];
      category[i] = (String) r[6];
      reason[i] = (String) r[7];
      uploader[i] = (String) r[8];
    }
    Array[] arrays = {
      c.createArrayOf("text", type), c.createArrayOf("text", hash), c.createArrayOf("text", state),
      c.createArrayOf("bigint", added), c.createArrayOf("text", caseId), c.createArrayOf("bigint", id),
      c.createArrayOf("text", category), c.createArrayOf("text", reason), c.createArrayOf("text", uploader)
    };
    for (int i = 0; i < arrays.length; i++) {
      st.setArray(first + i, arrays[i]);
    }
  }

  // ---------------------------------------------------------------- reads

  @Override
  public Optional<BankEntry> entry(MatchType type, String hex) {
    String key = normalize(type, hex);
    return pg.inTransaction("reading an entry of bank " + bankId, c -> {
      try (PreparedStatement q = c.prepareStatement(
          "SELECT e.state, e.added_at, e.case_id, e.change_id, coalesce(f.confirmed, 0),"
              + " coalesce(f.deconfirmed, 0), coalesce(f.quarantines, 0)"
              + " FROM hash_bank_entry e LEFT JOIN hash_bank_feedback f"
              + " ON f.bank_id = e.bank_id AND f.hash = e.hash"
              + " WHERE e.bank_id = ? AND e.type = ? AND e.hash = ?")) {
        q.setString(1, bankId);
        q.setString(2, type.wireName());
        q.setString(3, key);
        try (ResultSet rs = q.executeQuery()) {
          if (!rs.next()) {
            return Optional.empty();
          }
          return Optional.of(new BankEntry(bankId, type, key,
              State.valueOf(rs.getString(1).toUpperCase(Locale.ROOT)),
              rs.getObject(2, OffsetDateTime.class).toInstant(), Optional.ofNullable(rs.getString(3)),
              rs.getLong(4), rs.getLong(5), rs.getLong(6), rs.getLong(7)));
        }
      }
    });
  }

  @Override
  public long lastChange() {
    return pg.inTransaction("reading the last change of bank " + bankId, c -> lastChange(c, bankId));
  }

  static long lastChange(Connection c, String bankId) throws SQLException {
    try (PreparedStatement q = c.prepareStatement("SELECT last_change FROM hash_bank WHERE bank_id = ?")) {
      q.setString(1, bankId);
      try (ResultSet rs = q.executeQuery()) {
        return rs.next() ? rs.getLong(1) : 0;
      }
    }
  }

  @Override
  public long activeCount() {
    return pg.inTransaction("counting bank " + bankId, c -> {
      try (PreparedStatement q = c.prepareStatement(
          "SELECT count(*) FROM hash_bank_entry WHERE bank_id = ? AND state = 'active'")) {
        q.setString(1, bankId);
        try (ResultSet rs = q.executeQuery()) {
          rs.next();
          return rs.getLong(1);
        }
      }
    });
  }

  @Override
  public HashBankSource source() {
    return new PgBankSource(this);
  }

  // ---------------------------------------------------------------- feedback (background thread)

  /** Adds review feedback to an active entry (found by hash in any type); false when none. */
  boolean recordFeedback(String hash, boolean confirmed) {
    return recordOnEntry(hash, confirmed
        ? "INSERT INTO hash_bank_feedback(bank_id, hash, confirmed) VALUES (?, ?, 1) ON CONFLICT (bank_id, hash)"
            + " DO UPDATE SET confirmed = hash_bank_feedback.confirmed + 1"
        : "INSERT INTO hash_bank_feedback(bank_id, hash, deconfirmed) VALUES (?, ?, 1) ON CONFLICT (bank_id, hash)"
            + " DO UPDATE SET deconfirmed = hash_bank_feedback.deconfirmed + 1");
  }

  /** Counts a flood quarantine of an active entry; false when none. */
  boolean recordQuarantine(String hash) {
    return recordOnEntry(hash,
        "INSERT INTO hash_bank_feedback(bank_id, hash, quarantines, last_quarantined_at) VALUES (?, ?, 1, now())"
            + " ON CONFLICT (bank_id, hash) DO UPDATE SET quarantines = hash_bank_feedback.quarantines + 1,"
            + " last_quarantined_at = now()");
  }

  private boolean recordOnEntry(String hash, String upsert) {
    String key = hash.toLowerCase(Locale.ROOT);
    return pg.inTransaction("recording feedback on bank " + bankId, c -> {
      // share-lock the entry so that a concurrent withdrawal (which drops feedback) waits for us
      try (PreparedStatement q = c.prepareStatement(
          "SELECT 1 FROM hash_bank_entry WHERE bank_id = ? AND hash = ? AND state = 'active' FOR SHARE")) {
        q.setString(1, bankId);
        q.setString(2, key);
        try (ResultSet rs = q.executeQuery()) {
          if (!rs.next()) {
            return false;
          }
        }
      }
      try (PreparedStatement up = c.prepareStatement(upsert)) {
        up.setString(1, bankId);
        up.setString(2, key);
        up.executeUpdate();
      }
      return true;
    });
  }
}
