package dev.haetae.moderation.postgres;

import dev.haetae.moderation.api.AccountId;
import dev.haetae.moderation.api.Action;
import dev.haetae.moderation.api.Category;
import dev.haetae.moderation.api.ConfigurationException;
import dev.haetae.moderation.api.ContentId;
import dev.haetae.moderation.api.DecisionId;
import dev.haetae.moderation.api.Fingerprints;
import dev.haetae.moderation.api.MatchType;
import dev.haetae.moderation.api.Md5;
import dev.haetae.moderation.api.Pdq;
import dev.haetae.moderation.api.PdqHash;
import dev.haetae.moderation.api.RoomId;
import dev.haetae.moderation.api.Sha256;
import dev.haetae.moderation.api.Signal;
import dev.haetae.moderation.api.StoreUnavailableException;
import dev.haetae.moderation.api.Surface;
import dev.haetae.moderation.api.spi.EngineMemory;
import dev.haetae.moderation.api.spi.HashBankSource;
import dev.haetae.moderation.core.hash.Bank;
import dev.haetae.moderation.core.hash.BankConfig;
import dev.haetae.moderation.core.hash.HashBanks;
import java.sql.Array;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * {@link EngineMemory} on the tables of {@code V9__engine_memory.sql}, shared by every instance on
 * the schema. Each write is one idempotent statement ({@code INSERT ... ON CONFLICT}, or an update
 * that sets a value), except the protected photos' writes, which are one transaction each.
 *
 * <p><b>Protected photos.</b> Matching a photo is a PDQ distance search, which the database cannot
 * answer from an index; so the photos' hashes are kept as the entries of the bank {@value
 * #PHOTO_BANK} (the bank tables and their change feed), and each memory follows that bank into an
 * in-memory index with a {@link BankFollower} of its own, started at the first photo operation. A
 * match in the index is then looked up in {@code haetae_protected_photos} by hash (one query, only
 * when an image resembles a protected photo). A memory sees its own protections at once and other
 * instances' within moments (the follower's notification), at the latest after its poll interval.
 * Writers lock the photo bank's row first, so a hash leaves the bank only when no owner protects it.
 *
 * <p>Thread-safe. Failures of the database surface as {@link StoreUnavailableException}, with the
 * statement or transaction rolled back.
 */
final class PgEngineMemory implements EngineMemory, AutoCloseable {
  /** The bank that holds the protected photos' hashes. */
  static final String PHOTO_BANK = "haetae.protected-photos";
  private static final String CONTENT_COLUMNS = "sha256, md5, pdq, pdq_quality, pdq_variants, poster, room, surface,"
      + " removed_at, strike_deferred, block_copies, posted_at, second_review_of, second_review_by";

  private final HaetaePostgres pg;
  private final Duration poll;
  private final Object photoLock = new Object();
  // guarded by photoLock until set; then read without it
  private volatile PhotoIndex photos;
  private volatile boolean closed;

  /** The in-memory index of the photo bank and the follower that keeps it current. */
  private record PhotoIndex(PgBankStore store, HashBanks banks, BankFollower follower) {}

  PgEngineMemory(HaetaePostgres pg, Duration poll) {
    this.pg = Objects.requireNonNull(pg, "pg");
    this.poll = poll;
  }

  // ---------------------------------------------------------------- content

  @Override
  public ContentState content(ContentId content) {
    Objects.requireNonNull(content, "content");
    return Columns.read(pg, "reading what the engine remembers of content " + content.value(), c -> {
      try (PreparedStatement ps = c.prepareStatement(
          "SELECT " + CONTENT_COLUMNS + " FROM haetae_content WHERE content = ?")) {
        ps.setString(1, content.value());
        try (ResultSet rs = ps.executeQuery()) {
          return rs.next() ? state(rs) : ContentState.NONE;
        }
      }
    });
  }

  private static ContentState state(ResultSet rs) throws SQLException {
    Optional<Posted> posted = Optional.empty();
    String poster = rs.getString("poster");
    if (poster != null) {
      Optional<Pdq> pdq = Optional.empty();
      String hex = rs.getString("pdq");
      if (hex != null) {
        List<PdqHash> variants = new ArrayList<>();
        Array a = rs.getArray("pdq_variants");
        if (a != null) {
          for (Object v : (Object[]) a.getArray()) {
            variants.add(PdqHash.fromHex((String) v));
          }
        }
        pdq = Optional.of(new Pdq(PdqHash.fromHex(hex), rs.getInt("pdq_quality"), variants));
      }
      Fingerprints fp = new Fingerprints(Optional.ofNullable(rs.getString("sha256")).map(Sha256::fromHex),
          Optional.ofNullable(rs.getString("md5")).map(Md5::fromHex), pdq);
      posted = Optional.of(new Posted(fp, AccountId.of(poster), Optional.ofNullable(rs.getString("room"))
          .map(RoomId::of), Surface.fromWire(rs.getString("surface")), Columns.optionalInstant(rs, "posted_at")));
    }
    String first = rs.getString("second_review_of");
    return new ContentState(posted, Columns.optionalInstant(rs, "removed_at"), rs.getBoolean("strike_deferred"),
        Optional.ofNullable(rs.getString("block_copies")).map(Category::fromWire),
        first == null ? Optional.empty() : Optional.of(new FirstVerdict(DecisionId.of(first),
            Optional.ofNullable(rs.getString("second_review_by")))));
  }

  @Override
  public void rememberContent(ContentId content, Posted posted) {
    Objects.requireNonNull(content, "content");
    Objects.requireNonNull(posted, "posted");
    Fingerprints fp = posted.fingerprints();
    update("remembering content " + content.value(),
        "INSERT INTO haetae_content(content, sha256, md5, pdq, pdq_quality, pdq_variants, poster, room, surface,"
            + " posted_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (content) DO UPDATE SET"
            + " sha256 = excluded.sha256, md5 = excluded.md5, pdq = excluded.pdq, pdq_quality = excluded.pdq_quality,"
            + " pdq_variants = excluded.pdq_variants, poster = excluded.poster, room = excluded.room,"
            + " surface = excluded.surface, posted_at = CASE WHEN haetae_content.posted_at IS NULL"
            + " OR excluded.posted_at < haetae_content.posted_at THEN coalesce(excluded.posted_at,"
            + " haetae_content.posted_at) ELSE haetae_content.posted_at END, updated_at = now()",
        (c, ps) -> {
          ps.setString(1, content.value());
          Columns.setOptionalString(ps, 2, fp.sha256().map(Sha256::toHex));
          Columns.setOptionalString(ps, 3, fp.md5().map(Md5::toHex));
          Columns.setOptionalString(ps, 4, fp.pdq().map(p -> p.hash().toHex()));
          if (fp.pdq().isPresent()) {
            ps.setInt(5, fp.pdq().get().quality());
            ps.setArray(6, c.createArrayOf("text",
                fp.pdq().get().queryVariants().stream().map(PdqHash::toHex).toArray()));
          } else {
            ps.setNull(5, Types.INTEGER);
            ps.setNull(6, Types.ARRAY);
          }
          ps.setString(7, posted.account().value());
          Columns.setOptionalString(ps, 8, posted.room().map(RoomId::value));
          ps.setString(9, posted.surface().wireName());
          Columns.setInstant(ps, 10, posted.at());
        });
  }

  /**
   * Content with the same SHA-256 or MD5, on the partial indexes of {@code V13__content_digests.sql}:
   * the digests are the columns {@code haetae_content} already holds, so the index lives and is pruned
   * with the content ({@link HaetaePostgres#pruneEngineMemory}).
   */
  @Override
  public List<ContentId> identicalCopies(Fingerprints fingerprints, ContentId except, int max) {
    Objects.requireNonNull(fingerprints, "fingerprints");
    Objects.requireNonNull(except, "except");
    if (max < 1) {
      throw new IllegalArgumentException("max must be at least 1, got " + max);
    }
    Optional<String> sha = fingerprints.sha256().map(Sha256::toHex);
    Optional<String> md5 = fingerprints.md5().map(Md5::toHex);
    if (sha.isEmpty() && md5.isEmpty()) {
      return List.of();
    }
    return Columns.read(pg, "finding identical copies of content " + except.value(), c -> {
      try (PreparedStatement ps = c.prepareStatement("SELECT content FROM haetae_content WHERE"
          + " (sha256 = ? OR md5 = ?) AND poster IS NOT NULL AND removed_at IS NULL AND content <> ?"
          + " ORDER BY posted_at ASC NULLS LAST, content LIMIT ?")) {
        // a null parameter matches no row (sha256 = NULL is never true)
        Columns.setOptionalString(ps, 1, sha);
        Columns.setOptionalString(ps, 2, md5);
        ps.setString(3, except.value());
        ps.setInt(4, max);
        List<ContentId> out = new ArrayList<>();
        try (ResultSet rs = ps.executeQuery()) {
          while (rs.next()) {
            out.add(ContentId.of(rs.getString(1)));
          }
        }
        return out;
      }
    });
  }

  @Override
  public void markRemoved(ContentId content, Instant at) {
    Objects.requireNonNull(content, "content");
    Objects.requireNonNull(at, "at");
    update("remembering the removal of content " + content.value(),
        "INSERT INTO haetae_content(content, removed_at) VALUES (?, ?) ON CONFLICT (content) DO UPDATE SET"
            + " removed_at = coalesce(haetae_content.removed_at, excluded.removed_at), updated_at = now()",
        (c, ps) -> {
          ps.setString(1, content.value());
          Columns.setInstant(ps, 2, at);
        });
  }

  @Override
  public void reinstate(ContentId content) {
    Objects.requireNonNull(content, "content");
    update("reinstating content " + content.value(),
        "WITH c AS (UPDATE haetae_content SET removed_at = NULL, strike_deferred = false, second_review_of = NULL,"
            + " second_review_by = NULL, updated_at = now()"
            + " WHERE content = ? RETURNING sha256, md5, pdq)"
            + " INSERT INTO haetae_reinstated_entries(entry)"
            + " SELECT DISTINCT e FROM c CROSS JOIN LATERAL unnest(ARRAY[c.sha256, c.md5, c.pdq]) AS e"
            + " WHERE e IS NOT NULL ON CONFLICT (entry) DO NOTHING",
        (c, ps) -> ps.setString(1, content.value()));
  }

  @Override
  public void deferStrike(ContentId content) {
    Objects.requireNonNull(content, "content");
    update("deferring the strike for content " + content.value(),
        "INSERT INTO haetae_content(content, strike_deferred) VALUES (?, true) ON CONFLICT (content) DO UPDATE"
            + " SET strike_deferred = true, updated_at = now()",
        (c, ps) -> ps.setString(1, content.value()));
  }

  @Override
  public void awaitSecondReview(ContentId content, FirstVerdict first) {
    Objects.requireNonNull(content, "content");
    Objects.requireNonNull(first, "first");
    update("remembering the verdict that asked a second review of content " + content.value(),
        "INSERT INTO haetae_content(content, second_review_of, second_review_by) VALUES (?, ?, ?)"
            + " ON CONFLICT (content) DO UPDATE SET second_review_of = coalesce(haetae_content.second_review_of,"
            + " excluded.second_review_of), second_review_by = CASE WHEN haetae_content.second_review_of IS NULL"
            + " THEN excluded.second_review_by ELSE haetae_content.second_review_by END, updated_at = now()",
        (c, ps) -> {
          ps.setString(1, content.value());
          ps.setString(2, first.decision().value());
          Columns.setOptionalString(ps, 3, first.reviewer());
        });
  }

  @Override
  public void dropDeferredStrike(ContentId content) {
    Objects.requireNonNull(content, "content");
    update("dropping the deferred strike for content " + content.value(),
        "UPDATE haetae_content SET strike_deferred = false, second_review_of = NULL, second_review_by = NULL,"
            + " updated_at = now() WHERE content = ? AND (strike_deferred OR second_review_of IS NOT NULL)",
        (c, ps) -> ps.setString(1, content.value()));
  }

  @Override
  public void blockCopiesWhenSeen(ContentId content, Category category) {
    Objects.requireNonNull(content, "content");
    Objects.requireNonNull(category, "category");
    update("remembering to block copies of content " + content.value(),
        "INSERT INTO haetae_content(content, block_copies) VALUES (?, ?) ON CONFLICT (content) DO UPDATE"
            + " SET block_copies = excluded.block_copies, updated_at = now()",
        (c, ps) -> {
          ps.setString(1, content.value());
          ps.setString(2, category.wireName());
        });
  }

  @Override
  public void clearBlockCopies(ContentId content) {
    Objects.requireNonNull(content, "content");
    update("forgetting to block copies of content " + content.value(),
        "UPDATE haetae_content SET block_copies = NULL, updated_at = now() WHERE content = ?"
            + " AND block_copies IS NOT NULL",
        (c, ps) -> ps.setString(1, content.value()));
  }

  // ---------------------------------------------------------------- reinstated entries

  @Override
  public Set<String> reinstatedEntries(Collection<String> entries) {
    Objects.requireNonNull(entries, "entries");
    for (String e : entries) {
      Objects.requireNonNull(e, "entry");
    }
    if (entries.isEmpty()) {
      return Set.of();
    }
    return Columns.read(pg, "reading reinstated platform-bank entries", c -> {
      try (PreparedStatement ps = c.prepareStatement(
          "SELECT entry FROM haetae_reinstated_entries WHERE entry = ANY(?)")) {
        ps.setArray(1, c.createArrayOf("text", entries.toArray()));
        Set<String> out = new HashSet<>();
        try (ResultSet rs = ps.executeQuery()) {
          while (rs.next()) {
            out.add(rs.getString(1));
          }
        }
        return out;
      }
    });
  }

  @Override
  public void clearReinstated(Fingerprints fingerprints) {
    Objects.requireNonNull(fingerprints, "fingerprints");
    List<String> hexes = new ArrayList<>(3);
    fingerprints.sha256().ifPresent(h -> hexes.add(h.toHex()));
    fingerprints.md5().ifPresent(h -> hexes.add(h.toHex()));
    fingerprints.pdq().ifPresent(p -> hexes.add(p.hash().toHex()));
    if (hexes.isEmpty()) {
      return;
    }
    update("clearing reinstated platform-bank entries", "DELETE FROM haetae_reinstated_entries WHERE entry = ANY(?)",
        (c, ps) -> ps.setArray(1, c.createArrayOf("text", hexes.toArray())));
  }

  // ---------------------------------------------------------------- temporary measures

  @Override
  public void openMeasure(Measure measure) {
    Objects.requireNonNull(measure, "measure");
    update("opening the temporary measure of decision " + measure.decision().value(),
        "INSERT INTO haetae_measures(content, decision, instrument, start_at, until_at) VALUES (?, ?, ?, ?, ?)"
            + " ON CONFLICT (content) DO UPDATE SET decision = excluded.decision, instrument = excluded.instrument,"
            + " start_at = excluded.start_at, until_at = excluded.until_at, claimed_until = NULL",
        (c, ps) -> {
          ps.setString(1, measure.content().value());
          ps.setString(2, measure.decision().value());
          ps.setString(3, measure.instrument());
          Columns.setInstant(ps, 4, measure.start());
          Columns.setInstant(ps, 5, measure.until());
        });
  }

  @Override
  public Optional<Measure> openMeasure(ContentId content) {
    Objects.requireNonNull(content, "content");
    return Columns.read(pg, "reading the temporary measure on content", c -> {
      try (PreparedStatement ps = c.prepareStatement(
          "SELECT content, decision, instrument, start_at, until_at FROM haetae_measures WHERE content = ?")) {
        ps.setString(1, content.value());
        try (ResultSet rs = ps.executeQuery()) {
          return rs.next() ? Optional.of(measure(rs)) : Optional.empty();
        }
      }
    });
  }

  private static Measure measure(ResultSet rs) throws SQLException {
    return new Measure(ContentId.of(rs.getString("content")), DecisionId.of(rs.getString("decision")),
        rs.getString("instrument"), Columns.instant(rs, "start_at"), Columns.instant(rs, "until_at"));
  }

  @Override
  public void closeMeasure(ContentId content, DecisionId decision) {
    Objects.requireNonNull(content, "content");
    Objects.requireNonNull(decision, "decision");
    update("closing the temporary measure of decision " + decision.value(),
        "DELETE FROM haetae_measures WHERE content = ? AND decision = ?", (c, ps) -> {
          ps.setString(1, content.value());
          ps.setString(2, decision.value());
        });
  }

  /**
   * {@inheritDoc}
   *
   * <p>One statement: the due rows no live lease holds are locked ({@code SKIP LOCKED}: a concurrent
   * tick takes others), leased until {@code now + lease} and returned.
   */
  @Override
  public List<Measure> claimDueMeasures(Instant now, Duration lease, int max) {
    Objects.requireNonNull(now, "now");
    Objects.requireNonNull(lease, "lease");
    if (lease.isNegative() || lease.isZero() || max < 1) {
      throw new IllegalArgumentException("lease must be positive and max at least 1, got " + lease + " and " + max);
    }
    return Columns.read(pg, "claiming the temporary measures due", c -> {
      try (PreparedStatement ps = c.prepareStatement("UPDATE haetae_measures SET claimed_until = ? WHERE content IN"
          + " (SELECT content FROM haetae_measures WHERE until_at <= ? AND (claimed_until IS NULL OR claimed_until <= ?)"
          + " ORDER BY until_at, content LIMIT ? FOR UPDATE SKIP LOCKED)"
          + " RETURNING content, decision, instrument, start_at, until_at")) {
        Columns.setInstant(ps, 1, now.plus(lease));
        Columns.setInstant(ps, 2, now);
        Columns.setInstant(ps, 3, now);
        ps.setInt(4, max);
        List<Measure> out = new ArrayList<>();
        try (ResultSet rs = ps.executeQuery()) {
          while (rs.next()) {
            out.add(measure(rs));
          }
        }
        out.sort(java.util.Comparator.comparing(Measure::until).thenComparing(m -> m.content().value()));
        return out;
      }
    });
  }

  // ---------------------------------------------------------------- decisions and appeals

  @Override
  public void rememberDecision(DecisionId decision, DecisionMemo memo) {
    Objects.requireNonNull(decision, "decision");
    Objects.requireNonNull(memo, "memo");
    update("remembering decision " + decision.value(),
        "INSERT INTO haetae_decision_memos(decision, content, account, instrument, category, restrictive, strike_at,"
            + " at, actions) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (decision) DO NOTHING",
        (c, ps) -> {
          ps.setString(1, decision.value());
          ps.setString(2, memo.content().value());
          Columns.setOptionalString(ps, 3, memo.account().map(AccountId::value));
          Columns.setOptionalString(ps, 4, memo.instrument());
          ps.setString(5, memo.category().wireName());
          ps.setBoolean(6, memo.restrictive());
          Columns.setInstant(ps, 7, memo.strikeAt());
          Columns.setInstant(ps, 8, memo.at());
          if (memo.actions().isEmpty()) {
            ps.setNull(9, Types.ARRAY);
          } else {
            ps.setArray(9, c.createArrayOf("text", memo.actions().stream().map(Action.Kind::wireName).sorted()
                .toArray()));
          }
        });
  }

  @Override
  public Optional<DecisionMemo> decision(DecisionId decision) {
    Objects.requireNonNull(decision, "decision");
    return Columns.read(pg, "reading decision " + decision.value(), c -> {
      try (PreparedStatement ps = c.prepareStatement("SELECT content, account, instrument, category, restrictive,"
          + " strike_at, at, actions FROM haetae_decision_memos WHERE decision = ?")) {
        ps.setString(1, decision.value());
        try (ResultSet rs = ps.executeQuery()) {
          if (!rs.next()) {
            return Optional.empty();
          }
          return Optional.of(new DecisionMemo(ContentId.of(rs.getString("content")),
              Optional.ofNullable(rs.getString("account")).map(AccountId::of),
              Optional.ofNullable(rs.getString("instrument")), Category.fromWire(rs.getString("category")),
              rs.getBoolean("restrictive"), Columns.optionalInstant(rs, "strike_at"), Columns.instant(rs, "at"),
              actionKinds(rs.getArray("actions"))));
        }
      }
    });
  }

  /** A memo's action kinds: null (written before V14) reads as none recorded. */
  private static Set<Action.Kind> actionKinds(Array a) throws SQLException {
    if (a == null) {
      return Set.of();
    }
    Set<Action.Kind> out = java.util.EnumSet.noneOf(Action.Kind.class);
    for (Object o : (Object[]) a.getArray()) {
      out.add(Action.Kind.valueOf(((String) o).toUpperCase(java.util.Locale.ROOT)));
    }
    return out;
  }

  @Override
  public void linkAppeal(String obligation, AppealLink link) {
    Objects.requireNonNull(obligation, "obligation");
    Objects.requireNonNull(link, "link");
    update("linking obligation " + obligation + " to its appeal",
        "INSERT INTO haetae_appeal_links(obligation, appeal_id, decision, content) VALUES (?, ?, ?, ?)"
            + " ON CONFLICT (obligation) DO NOTHING",
        (c, ps) -> {
          ps.setString(1, obligation);
          ps.setString(2, link.appealId());
          ps.setString(3, link.decision().value());
          ps.setString(4, link.content().value());
        });
  }

  @Override
  public Optional<AppealLink> appealLink(String obligation) {
    Objects.requireNonNull(obligation, "obligation");
    return Columns.read(pg, "reading the appeal of obligation " + obligation, c -> {
      try (PreparedStatement ps = c.prepareStatement(
          "SELECT appeal_id, decision, content FROM haetae_appeal_links WHERE obligation = ?")) {
        ps.setString(1, obligation);
        try (ResultSet rs = ps.executeQuery()) {
          return rs.next() ? Optional.of(new AppealLink(rs.getString(1), DecisionId.of(rs.getString(2)),
              ContentId.of(rs.getString(3)))) : Optional.empty();
        }
      }
    });
  }

  // ---------------------------------------------------------------- rooms

  @Override
  public void roomMatch(RoomId room, ContentId content, Instant at) {
    Objects.requireNonNull(room, "room");
    Objects.requireNonNull(content, "content");
    Objects.requireNonNull(at, "at");
    update("counting a match in room " + room.value(),
        "INSERT INTO haetae_room_matches(room, content, at) VALUES (?, ?, ?) ON CONFLICT (room, content) DO NOTHING",
        (c, ps) -> {
          ps.setString(1, room.value());
          ps.setString(2, content.value());
          Columns.setInstant(ps, 3, at);
        });
  }

  @Override
  public int roomMatches(RoomId room, Instant since) {
    Objects.requireNonNull(room, "room");
    Objects.requireNonNull(since, "since");
    return Columns.read(pg, "counting the matches in room " + room.value(), c -> {
      try (PreparedStatement ps = c.prepareStatement(
          "SELECT count(*) FROM haetae_room_matches WHERE room = ? AND at > ?")) {
        ps.setString(1, room.value());
        // instants are stored to the microsecond: at > since exactly when at > since truncated
        Columns.setInstant(ps, 2, since);
        try (ResultSet rs = ps.executeQuery()) {
          rs.next();
          return rs.getInt(1);
        }
      }
    });
  }

  // ---------------------------------------------------------------- photos

  /** The photo index, loaded and followed from the first photo operation on. */
  private PhotoIndex photos() {
    PhotoIndex p = photos;
    if (p != null) {
      return p;
    }
    synchronized (photoLock) {
      if (photos != null) {
        return photos;
      }
      if (closed) {
        throw new IllegalStateException("the engine memory's PostgreSQL connection is closed");
      }
      PgBankStore store = new PgBankStore(pg, PHOTO_BANK, Category.OTHER);
      HashBanks banks = HashBanks.builder().matchCacheSize(0).build();
      BankFollower follower = new PgBankFollower(pg, banks, poll, true);
      try {
        follower.connect(BankConfig.builder(PHOTO_BANK, Category.OTHER).build());
      } catch (ConfigurationException e) {
        follower.close();
        throw new StoreUnavailableException("PostgreSQL: loading the protected profile photos failed: "
            + e.getMessage(), e);
      }
      photos = new PhotoIndex(store, banks, follower);
      return photos;
    }
  }

  @Override
  public void protectPhoto(AccountId owner, ContentId photo, PdqHash hash) {
    Objects.requireNonNull(owner, "owner");
    Objects.requireNonNull(photo, "photo");
    Objects.requireNonNull(hash, "hash");
    PhotoIndex index = photos();
    String hex = PgBankStore.normalize(MatchType.PDQ, hash.toHex());
    String[] dropped = {null};
    pg.inTransaction("protecting profile photo " + photo.value(), c -> {
      dropped[0] = null;
      lockPhotoBank(c);
      String previous = null;
      try (PreparedStatement ps = c.prepareStatement(
          "SELECT hash FROM haetae_protected_photos WHERE owner = ? AND photo = ? FOR UPDATE")) {
        ps.setString(1, owner.value());
        ps.setString(2, photo.value());
        try (ResultSet rs = ps.executeQuery()) {
          if (rs.next()) {
            previous = rs.getString(1);
          }
        }
      }
      if (hex.equals(previous)) {
        return null;
      }
      try (PreparedStatement ps = c.prepareStatement(
          "INSERT INTO haetae_protected_photos(owner, photo, hash) VALUES (?, ?, ?) ON CONFLICT (owner, photo)"
              + " DO UPDATE SET hash = excluded.hash, protected_at = now()")) {
        ps.setString(1, owner.value());
        ps.setString(2, photo.value());
        ps.setString(3, hex);
        ps.executeUpdate();
      }
      List<PgBankStore.Op> ops = new ArrayList<>(2);
      ops.add(new PgBankStore.Op(MatchType.PDQ, hex, HashBankSource.Entry.State.ACTIVE, Instant.now(), null));
      if (previous != null && !protectedByAnyone(c, previous)) {
        ops.add(new PgBankStore.Op(MatchType.PDQ, previous, HashBankSource.Entry.State.DELETED, null, null));
        dropped[0] = previous;
      }
      index.store().write(c, ops);
      return null;
    });
    // this instance sees its own protection at once; the follower brings the others' and confirms ours
    index.banks().add(PHOTO_BANK, Category.OTHER, MatchType.PDQ, hex);
    if (dropped[0] != null) {
      index.banks().delete(PHOTO_BANK, MatchType.PDQ, dropped[0]);
    }
  }

  @Override
  public boolean withdrawPhoto(AccountId owner, ContentId photo) {
    Objects.requireNonNull(owner, "owner");
    Objects.requireNonNull(photo, "photo");
    return withdraw("withdrawing profile photo " + photo.value(),
        "DELETE FROM haetae_protected_photos WHERE owner = ? AND photo = ? RETURNING hash", ps -> {
          ps.setString(1, owner.value());
          ps.setString(2, photo.value());
        }) > 0;
  }

  @Override
  public int withdrawPhotos(AccountId owner) {
    Objects.requireNonNull(owner, "owner");
    return withdraw("withdrawing the profile photos of an account",
        "DELETE FROM haetae_protected_photos WHERE owner = ? RETURNING hash", ps -> ps.setString(1, owner.value()));
  }

  /** Deletes photo rows; hashes no owner protects any more leave the bank. Returns the rows deleted. */
  private int withdraw(String what, String delete, Binder binder) {
    PhotoIndex index = photos();
    List<String> dropped = new ArrayList<>();
    int n = pg.inTransaction(what, c -> {
      dropped.clear();
      lockPhotoBank(c);
      Set<String> hashes = new HashSet<>();
      int rows = 0;
      try (PreparedStatement ps = c.prepareStatement(delete)) {
        binder.bind(ps);
        try (ResultSet rs = ps.executeQuery()) {
          while (rs.next()) {
            hashes.add(rs.getString(1));
            rows++;
          }
        }
      }
      List<PgBankStore.Op> ops = new ArrayList<>();
      for (String h : hashes) {
        if (!protectedByAnyone(c, h)) {
          ops.add(new PgBankStore.Op(MatchType.PDQ, h, HashBankSource.Entry.State.DELETED, null, null));
          dropped.add(h);
        }
      }
      if (!ops.isEmpty()) {
        index.store().write(c, ops);
      }
      return rows;
    });
    for (String h : dropped) {
      index.banks().delete(PHOTO_BANK, MatchType.PDQ, h);
    }
    return n;
  }

  /** Serialises the writers of protected photos on the photo bank's row. */
  private static void lockPhotoBank(Connection c) throws SQLException {
    try (PreparedStatement ps = c.prepareStatement("SELECT 1 FROM hash_bank WHERE bank_id = ? FOR UPDATE")) {
      ps.setString(1, PHOTO_BANK);
      ps.executeQuery().close();
    }
  }

  private static boolean protectedByAnyone(Connection c, String hash) throws SQLException {
    try (PreparedStatement ps = c.prepareStatement("SELECT 1 FROM haetae_protected_photos WHERE hash = ? LIMIT 1")) {
      ps.setString(1, hash);
      try (ResultSet rs = ps.executeQuery()) {
        return rs.next();
      }
    }
  }

  @Override
  public List<PhotoMatch> matchPhotos(Pdq pdq, int maxDistance) {
    Objects.requireNonNull(pdq, "pdq");
    if (maxDistance < 0 || maxDistance > 128) {
      throw new IllegalArgumentException("maxDistance must be 0..128, got " + maxDistance);
    }
    PhotoIndex index = photos();
    Optional<Bank> bank = index.banks().find(PHOTO_BANK);
    if (bank.isEmpty() || bank.get().size(MatchType.PDQ) == 0) {
      return List.of();
    }
    if (bank.get().config().pdqDistance() != maxDistance) {
      synchronized (photoLock) {
        Bank b = index.banks().bank(PHOTO_BANK);
        if (b.config().pdqDistance() != maxDistance) {
          index.banks().define(b.config().toBuilder().pdqDistance(maxDistance).build());
        }
      }
    }
    Map<String, Integer> best = new LinkedHashMap<>();
    for (Signal.HashMatch m : index.banks().match(Fingerprints.none().withPdq(pdq))) {
      best.merge(m.entry(), m.distance(), Math::min);
    }
    if (best.isEmpty()) {
      return List.of();
    }
    return Columns.read(pg, "reading the owners of protected profile photos", c -> {
      try (PreparedStatement ps = c.prepareStatement(
          "SELECT owner, photo, hash FROM haetae_protected_photos WHERE hash = ANY(?) ORDER BY owner, photo")) {
        ps.setArray(1, c.createArrayOf("text", best.keySet().toArray()));
        List<PhotoMatch> out = new ArrayList<>();
        try (ResultSet rs = ps.executeQuery()) {
          while (rs.next()) {
            out.add(new PhotoMatch(AccountId.of(rs.getString(1)), ContentId.of(rs.getString(2)),
                best.get(rs.getString(3))));
          }
        }
        return out;
      }
    });
  }

  // ---------------------------------------------------------------- housekeeping

  /**
   * Deletes what was last written before {@code before}: content rows, decision memos, appeal
   * links, room counts and reinstated entries.
   *
   * @return rows deleted, by table
   */
  Map<String, Integer> prune(Instant before) {
    Objects.requireNonNull(before, "before");
    Map<String, String> deletes = new LinkedHashMap<>();
    deletes.put("haetae_content", "DELETE FROM haetae_content WHERE updated_at < ?");
    deletes.put("haetae_decision_memos", "DELETE FROM haetae_decision_memos WHERE at < ?");
    deletes.put("haetae_appeal_links", "DELETE FROM haetae_appeal_links WHERE linked_at < ?");
    deletes.put("haetae_room_matches", "DELETE FROM haetae_room_matches WHERE at < ?");
    deletes.put("haetae_reinstated_entries", "DELETE FROM haetae_reinstated_entries WHERE reinstated_at < ?");
    return pg.inTransaction("pruning the engine memory", c -> {
      Map<String, Integer> out = new HashMap<>();
      for (Map.Entry<String, String> d : deletes.entrySet()) {
        try (PreparedStatement ps = c.prepareStatement(d.getValue())) {
          Columns.setInstant(ps, 1, before);
          out.put(d.getKey(), ps.executeUpdate());
        }
      }
      return out;
    });
  }

  /** Stops following the photo bank. Idempotent. */
  @Override
  public void close() {
    synchronized (photoLock) {
      closed = true;
      if (photos != null) {
        photos.follower().close();
      }
    }
  }

  /** A statement's parameters. */
  @FunctionalInterface
  private interface Binder {
    void bind(PreparedStatement ps) throws SQLException;
  }

  /** A statement's parameters, with its connection for arrays. */
  @FunctionalInterface
  private interface Bind {
    void bind(Connection c, PreparedStatement ps) throws SQLException;
  }

  /** Runs one statement in auto-commit mode. */
  private void update(String what, String sql, Bind bind) {
    Columns.read(pg, what, c -> {
      try (PreparedStatement ps = c.prepareStatement(sql)) {
        bind.bind(c, ps);
        return ps.executeUpdate();
      }
    });
  }

  @Override
  public String toString() {
    return "PgEngineMemory[schema " + pg.schema() + "]";
  }
}
