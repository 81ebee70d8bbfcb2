package dev.haetae.moderation.postgres;

import dev.haetae.moderation.api.AccountId;
import dev.haetae.moderation.api.ContentId;
import dev.haetae.moderation.api.spi.StrikeStore;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Instant;
import java.util.Objects;

/**
 * {@link StrikeStore} on PostgreSQL (table {@code haetae_strikes} of {@code V6__strikes.sql}), one
 * row per account and removed content. {@link #record} is one {@code INSERT ... ON CONFLICT DO
 * UPDATE} that keeps the later expiry, so instances recording the same removal at once leave one
 * strike; {@link #live} counts an account's unexpired rows through an index on (account, expiry).
 * Expired rows are not read again; {@link #prune} deletes them.
 *
 * <p>Instants are kept to the microsecond. Thread-safe. Failures of the database surface as {@link
 * dev.haetae.moderation.api.StoreUnavailableException}, with the transaction rolled back.
 */
final class PostgresStrikeStore implements StrikeStore {
  private final HaetaePostgres pg;

  PostgresStrikeStore(HaetaePostgres pg) {
    this.pg = Objects.requireNonNull(pg, "pg");
  }

  @Override
  public void record(AccountId account, ContentId content, Instant expires) {
    Objects.requireNonNull(account, "account");
    Objects.requireNonNull(content, "content");
    Objects.requireNonNull(expires, "expires");
    pg.inTransaction("recording a strike against " + account.value(), c -> {
      try (PreparedStatement ps = c.prepareStatement("INSERT INTO haetae_strikes (account, content, expires_at)"
          + " VALUES (?, ?, ?) ON CONFLICT (account, content)"
          + " DO UPDATE SET expires_at = GREATEST(haetae_strikes.expires_at, EXCLUDED.expires_at)")) {
        ps.setString(1, account.value());
        ps.setString(2, content.value());
        Columns.setInstant(ps, 3, expires);
        ps.executeUpdate();
      }
      return null;
    });
  }

  @Override
  public boolean clear(AccountId account, ContentId content) {
    Objects.requireNonNull(account, "account");
    Objects.requireNonNull(content, "content");
    return pg.inTransaction("clearing a strike against " + account.value(), c -> {
      try (PreparedStatement ps = c.prepareStatement(
          "DELETE FROM haetae_strikes WHERE account = ? AND content = ?")) {
        ps.setString(1, account.value());
        ps.setString(2, content.value());
        return ps.executeUpdate() > 0;
      }
    });
  }

  @Override
  public int live(AccountId account, Instant now) {
    Objects.requireNonNull(account, "account");
    Objects.requireNonNull(now, "now");
    return Columns.read(pg, "counting the strikes against " + account.value(), c -> {
      try (PreparedStatement ps = c.prepareStatement(
          "SELECT count(*) FROM haetae_strikes WHERE account = ? AND expires_at > ?")) {
        ps.setString(1, account.value());
        Columns.setInstant(ps, 2, now);
        try (ResultSet rs = ps.executeQuery()) {
          rs.next();
          return rs.getInt(1);
        }
      }
    });
  }

  /**
   * Deletes the strikes that stopped counting at or before {@code now}.
   *
   * @return how many were deleted
   */
  int prune(Instant now) {
    Objects.requireNonNull(now, "now");
    return pg.inTransaction("pruning expired strikes", c -> {
      try (PreparedStatement ps = c.prepareStatement("DELETE FROM haetae_strikes WHERE expires_at <= ?")) {
        Columns.setInstant(ps, 1, now);
        return ps.executeUpdate();
      }
    });
  }
}
