package dev.haetae.moderation.postgres;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import dev.haetae.moderation.api.ConfigurationException;
import dev.haetae.moderation.api.StoreUnavailableException;
import dev.haetae.moderation.api.spi.DecisionLog;
import dev.haetae.moderation.api.spi.Pseudonymizer;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.regex.Pattern;
import javax.sql.DataSource;

/**
 * The entry point of the PostgreSQL adapters: a connection pool (HikariCP) on one database schema,
 * migrated to this module's version when it is built, and the factory of the adapters that keep
 * Haetae's shared state in that schema.
 *
 * <p>Every instance of a backend builds one {@code HaetaePostgres} on the same database and schema;
 * migrations take an advisory lock, so instances starting together apply each migration once, and a
 * restart applies nothing new (idempotent).
 *
 * <p><b>Roles.</b> Whoever owns a table can alter it, and so disable the triggers that keep the
 * decision log append-only. In production, run the migrations as an owner role, naming the role
 * the application connects as ({@link Builder#applicationRole(String)}): it is granted exactly what
 * the adapters need, which on the decision log is reading and appending (no update, delete,
 * truncate, alter or trigger change). The application then builds with
 * {@link Builder#migrate(boolean) migrate(false)}, which only checks that the schema is current.
 * Connecting as one role that does both still works, for tests and small setups.
 *
 * <p><b>Thread safety.</b> Immutable once built; safe to share between threads. {@link #close()}
 * closes the pool when this object created it (not a pool supplied with
 * {@link Builder#dataSource(DataSource)}).
 *
 * @since 0.1
 */
public final class HaetaePostgres implements AutoCloseable {
  private static final Pattern SCHEMA = Pattern.compile("[a-z_][a-z0-9_]{0,62}");

  private final DataSource dataSource;
  private final boolean ownsPool;
  private final String schema;
  private final List<String> applied;
  private final boolean transactionPooling;
  /** Engine memories made by {@link #stores()}: their photo followers stop when this closes. */
  private final List<PgEngineMemory> memories = new java.util.concurrent.CopyOnWriteArrayList<>();
  /** How often a follower of a shared bank polls, whatever happens to notifications. */
  static final Duration SHARED_BANK_POLL = Duration.ofSeconds(5);

  private HaetaePostgres(Builder b) {
    this.schema = b.schema;
    this.transactionPooling = b.transactionPooling;
    if (b.dataSource != null) {
      this.dataSource = b.dataSource;
      this.ownsPool = false;
    } else {
      HikariConfig config = new HikariConfig();
      config.setJdbcUrl(b.jdbcUrl);
      if (b.user != null) {
        config.setUsername(b.user);
      }
      if (b.password != null) {
        config.setPassword(b.password);
      }
      if (b.transactionPooling) {
        // PgBouncer in transaction mode: no named server-side prepared statements (the next
        // transaction may run on another server connection), and no SET of search_path, which
        // would stay on whichever server connection ran it; the role's default names the schema
        config.addDataSourceProperty("prepareThreshold", "0");
      } else {
        config.setSchema(schema);
      }
      config.setMaximumPoolSize(b.maxPoolSize);
      config.setConnectionTimeout(b.connectTimeout.toMillis());
      config.setValidationTimeout(Math.min(b.connectTimeout.toMillis(), 5_000L));
      if (!b.socketTimeout.isZero()) {
        // the driver's read timeout, in whole seconds: a server that stops answering mid-statement
        // (a network partition, a stalled host) fails the operation instead of hanging its thread
        config.addDataSourceProperty(
            "socketTimeout", Long.toString(Math.max(1, b.socketTimeout.toSeconds())));
      }
      config.setPoolName("haetae-" + schema);
      // Start without a connection: when the database is down, the migrations below fail with
      // StoreUnavailableException after connectTimeout, like any other operation.
      config.setInitializationFailTimeout(-1);
      this.dataSource = new HikariDataSource(config);
      this.ownsPool = true;
    }
    List<String> done;
    try {
      if (transactionPooling) {
        checkSearchPath();
      }
      if (b.migrate) {
        done = Migrations.migrate(this, b.migrateUpTo);
        if (b.logPartitionRecords > 0) {
          Migrations.partitionRecords(this, b.logPartitionRecords);
        }
        if (b.applicationRole != null) {
          Migrations.grant(this, b.applicationRole);
        }
      } else {
        Migrations.check(this);
        done = List.of();
      }
    } catch (StoreUnavailableException e) {
      close();
      String where = b.jdbcUrl == null ? "the supplied data source" : withoutQuery(b.jdbcUrl);
      throw new StoreUnavailableException(
          "migrating schema " + schema + " at " + where + ": " + e.getMessage(), e);
    } catch (RuntimeException e) {
      close();
      throw e;
    }
    this.applied = done;
  }

  /**
   * Through a transaction-mode pooler the schema cannot be set per connection: the role's (or the
   * database's, or the pooler's {@code connect_query}) default {@code search_path} must name it.
   */
  private void checkSearchPath() {
    String path;
    try (Connection c = connection();
        Statement st = c.createStatement();
        ResultSet rs = st.executeQuery("SELECT current_setting('search_path')")) {
      rs.next();
      path = rs.getString(1);
    } catch (SQLException e) {
      throw Jdbc.unavailable("reading the search_path", e);
    }
    String first = path.split(",")[0].trim().replace("\"", "");
    if (!first.equals(schema)) {
      throw new ConfigurationException("transactionPooling: the connections' search_path is '" + path
          + "', but it must start with the schema " + schema + " (a transaction-mode pooler cannot carry a"
          + " per-connection SET): run ALTER ROLE <role> SET search_path = " + schema
          + " (or set it in the pooler's connect_query)");
    }
  }

  /** Whether this object reaches the database through a transaction-mode pooler. */
  boolean transactionPooling() {
    return transactionPooling;
  }

  private static String withoutQuery(String url) {
    int q = url.indexOf('?');
    return q < 0 ? url : url.substring(0, q);
  }

  /**
   * A builder. Either {@link Builder#jdbcUrl(String)} or {@link Builder#dataSource(DataSource)} is
   * required.
   *
   * @return a new builder; never null
   */
  public static Builder builder() {
    return new Builder();
  }

  /**
   * The schema that holds Haetae's tables.
   *
   * @return the schema name; never null
   */
  public String schema() {
    return schema;
  }

  /**
   * The pool the adapters use. Hosts may use it for their own queries on the same schema.
   *
   * @return the data source; never null
   */
  public DataSource dataSource() {
    return dataSource;
  }

  /**
   * The migrations that building this object applied (empty when the schema was already current).
   *
   * @return the migration names, in the order applied; never null
   */
  public List<String> appliedMigrations() {
    return applied;
  }

  /**
   * The migrations this version of the module ships, in order.
   *
   * @return the migration names; never null
   */
  public static List<String> migrations() {
    return Migrations.FILES;
  }

  /**
   * Stops the followers of the engine memories made by {@link #stores()}, and closes the pool if
   * this object created it. Idempotent.
   */
  @Override
  public void close() {
    for (PgEngineMemory m : memories) {
      m.close();
    }
    if (ownsPool) {
      ((HikariDataSource) dataSource).close();
    }
  }

  /**
   * Borrows a connection with {@code search_path} on this schema.
   *
   * @throws StoreUnavailableException when no connection can be had
   */
  Connection connection() {
    try {
      Connection c = dataSource.getConnection();
      if (!ownsPool && !transactionPooling) {
        try {
          c.setSchema(schema);
        } catch (SQLException e) {
          c.close();
          throw e;
        }
      }
      return c;
    } catch (SQLException e) {
      throw Jdbc.unavailable("connecting to the database", e);
    }
  }

  /**
   * Runs {@code work} in one transaction, retrying on serialization failures and deadlocks.
   *
   * @param what names the operation in exception messages
   * @param work the transaction body; may run more than once
   * @return what {@code work} returned
   * @throws StoreUnavailableException when the database cannot be reached or the transaction fails
   */
  <T> T inTransaction(String what, Jdbc.SqlWork<T> work) {
    return Jdbc.inTransaction(this, what, work);
  }

  // --- everything at once ---

  /**
   * Every store an engine keeps shared state in, on this schema, for {@code
   * ModerationEngineBuilder.stores}: one call wires a fleet instance.
   *
   * <ul>
   *   <li>{@link #reputationStore()}, {@link #obligationStore()}, {@link #evidenceHoldStore()} and
   *       {@link #strikeStore()}, as described there;
   *   <li>the engine's memory (tables {@code haetae_content}, {@code haetae_decision_memos}, {@code
   *       haetae_appeal_links}, {@code haetae_room_matches}, {@code haetae_reinstated_entries},
   *       {@code haetae_protected_photos}): a report, notice, review or appeal taken by one instance
   *       finds the content another instance saw, whether it was removed, and the decision an
   *       appeal is against. Every write is idempotent; instants are kept to the microsecond. The
   *       protected profile photos are matched against an in-memory index that follows the bank
   *       {@code haetae.protected-photos}, started at the first photo operation and stopped by
   *       {@link #close()};
   *   <li>the engine's bank of removed content ({@code platform-removals}), shared through the bank
   *       tables: what one instance banks (a removal with {@code BlockReupload}, identical copies
   *       under a notice) is added to the shared bank, and each engine follows it into its own
   *       {@code HashBanks} (notifications within moments, a poll every 5 seconds whatever
   *       happens), so a re-upload is blocked on every instance. The bank is created with the
   *       category of its first entry, as the engine's in-memory bank is.
   * </ul>
   *
   * <p>Thread-safe; every call returns a new bundle on this object's pool. Every operation throws
   * {@link StoreUnavailableException} when the database cannot be reached, after rolling back.
   *
   * @return the stores; never null
   * @since 0.2
   */
  public dev.haetae.moderation.core.engine.Stores stores() {
    PgEngineMemory memory = new PgEngineMemory(this, SHARED_BANK_POLL);
    memories.add(memory);
    return new dev.haetae.moderation.core.engine.Stores(reputationStore(), obligationStore(), evidenceHoldStore(),
        strikeStore(), memory, new PgSharedBank(this, SHARED_BANK_POLL));
  }

  /**
   * Deletes what the engine memory on this schema last wrote before {@code before}: content it saw
   * or removed, decision memos, appeal links, room counts and reinstated entries (not protected
   * photos, which stay until withdrawn). An appeal against a decision whose memo was pruned is
   * treated as one against an unknown decision, and a report on pruned content no longer sees it,
   * so keep at least the longest appeal window (six months under the DSA) and the retention your
   * policies need; call this from a scheduled job.
   *
   * @param before the instant; not null
   * @return how many rows were deleted
   * @throws StoreUnavailableException when the database cannot be reached (nothing was deleted)
   * @throws NullPointerException when {@code before} is null
   * @since 0.2
   */
  public long pruneEngineMemory(java.time.Instant before) {
    long n = 0;
    for (int v : new PgEngineMemory(this, SHARED_BANK_POLL).prune(before).values()) {
      n += v;
    }
    return n;
  }

  // --- reputation, obligations, holds ---

  /**
   * Reporter reputation in this schema: reporters' records and the reports on each target, shared
   * by every instance built on the same schema. Pass it to {@code
   * ModerationEngineBuilder.reputationStore}, directly or behind {@code ReputationStores.cached}
   * when reads must not wait for the database.
   *
   * <p>{@code updateReporter} and {@code updateReports} are atomic per reporter and per target
   * across instances (row locks; a change function may run more than once). Instants are kept to the
   * microsecond. Thread-safe; creating one is cheap (it holds no connection), and every call borrows
   * a connection from this object's pool for one transaction.
   *
   * <p>Every operation throws {@link StoreUnavailableException} when the database cannot be
   * reached or the transaction fails, after rolling it back (nothing is half-written).
   *
   * @return a new adapter on this object's pool; never null
   */
  public dev.haetae.moderation.api.spi.ReputationStore reputationStore() {
    return new PostgresReputationStore(this);
  }

  /**
   * Legal obligations in this schema, shared by every instance built on the same schema. Pass it to
   * {@code ModerationEngineBuilder.obligationStore}.
   *
   * <p>{@code open} is idempotent by id across instances (exactly one stores it); {@code update(id,
   * change)}, which the engine uses for every change of state, is atomic per obligation across
   * instances; {@code due} reads an index on the next check of open obligations. Instants are kept
   * to the microsecond. Thread-safe; creating one is cheap.
   *
   * <p>Every operation throws {@link StoreUnavailableException} when the database cannot be
   * reached or the transaction fails, after rolling it back (nothing is half-written).
   *
   * @return a new adapter on this object's pool; never null
   */
  public dev.haetae.moderation.api.spi.ObligationStore obligationStore() {
    return new PostgresObligationStore(this);
  }

  /**
   * Evidence holds in this schema, shared by every instance built on the same schema. Pass it to
   * {@code ModerationEngineBuilder.evidenceHoldStore}; hosts ask it (or {@code engine.holds()})
   * whether removed content may be deleted for good.
   *
   * <p>A hold placed by one instance binds them all; holds only get longer; each ended hold is
   * returned by {@code expire} (and so reaches a hold listener) on exactly one instance. Instants
   * are kept to the microsecond. Thread-safe; creating one is cheap.
   *
   * <p>Every operation throws {@link StoreUnavailableException} when the database cannot be
   * reached or the transaction fails, after rolling it back (nothing is half-written).
   *
   * @return a new adapter on this object's pool; never null
   */
  public dev.haetae.moderation.api.spi.EvidenceHoldStore evidenceHoldStore() {
    return new PostgresEvidenceHoldStore(this);
  }

  /**
   * A {@link dev.haetae.moderation.api.spi.StrikeStore} on this schema (table {@code
   * haetae_strikes}), for {@code ModerationEngineBuilder.strikeStore}: a strike recorded by any
   * instance counts on every instance, and two instances acting on the same removal record one
   * strike. Instants are kept to the microsecond. Thread-safe; creating one is cheap.
   *
   * <p>Every operation throws {@link StoreUnavailableException} when the database cannot be
   * reached or the transaction fails, after rolling it back (nothing is half-written).
   *
   * @return a new adapter on this object's pool; never null
   */
  public dev.haetae.moderation.api.spi.StrikeStore strikeStore() {
    return new PostgresStrikeStore(this);
  }

  /**
   * Deletes the strikes that stopped counting at or before {@code now}. Expired strikes are never
   * counted again, so keeping them only keeps personal data longer than needed; call this from a
   * scheduled job (daily is plenty).
   *
   * @param now the clock's instant; not null
   * @return how many strikes were deleted
   * @throws StoreUnavailableException when the database cannot be reached
   * @throws NullPointerException when {@code now} is null
   */
  public int pruneExpiredStrikes(java.time.Instant now) {
    return new PostgresStrikeStore(this).prune(now);
  }

  // --- decision log ---

  /**
   * A writer of one decision-log shard, with the default configuration: pseudonyms from {@link
   * dev.haetae.moderation.core.audit.Pseudonymizers#ephemeral()} (they differ between processes, so
   * use {@link #decisionLog(String, Pseudonymizer)} when several instances write), every free-text
   * field masked, up to 512 records per transaction. See {@link DecisionLogShard.Builder#build()}
   * for the contract: records of one shard form one hash chain numbered without gaps or forks, even
   * when many instances append to it concurrently; {@code append} returns after COMMIT; concurrent
   * appends share one transaction.
   *
   * @param shard the shard's name: 1..100 letters, digits, '.', '_', ':' or '-'; not null
   * @return the log; never null; close it when done (the pool stays open)
   * @throws ConfigurationException when the name is not a shard name
   */
  public dev.haetae.moderation.core.audit.EngineLog decisionLog(String shard) {
    return decisionLogShard(shard).logBuilder().build();
  }

  /**
   * A writer of one decision-log shard that pseudonymizes with {@code pseudonymizer}; otherwise as
   * {@link #decisionLog(String)}. Every instance writing to the shard must use the same key.
   *
   * @param shard the shard's name; not null
   * @param pseudonymizer e.g. {@code Pseudonymizers.hmacSha256(keyId, key)}; not null
   * @return the log; never null
   * @throws ConfigurationException when the name is not a shard name
   */
  public dev.haetae.moderation.core.audit.EngineLog decisionLog(String shard, Pseudonymizer pseudonymizer) {
    return decisionLogShard(shard).logBuilder().pseudonymizer(pseudonymizer).build();
  }

  /**
   * One decision-log shard, to configure a writer ({@link DecisionLogShard#logBuilder()}) or to
   * read, verify and export what all instances wrote to it.
   *
   * @param shard the shard's name: 1..100 letters, digits, '.', '_', ':' or '-'; not null
   * @return the shard; never null; touches no database until used
   * @throws ConfigurationException when the name is not a shard name
   */
  public DecisionLogShard decisionLogShard(String shard) {
    return new DecisionLogShard(this, shard);
  }

  /**
   * The decision-log shards that have been written to (that have a head row), by name.
   *
   * @return the names, sorted; never null
   * @throws StoreUnavailableException when the database cannot be reached
   */
  public List<String> decisionLogShards() {
    return inTransaction("listing decision log shards", c -> {
      List<String> out = new ArrayList<>();
      try (Statement st = c.createStatement();
          ResultSet rs = st.executeQuery("SELECT shard FROM decision_log_head ORDER BY shard")) {
        while (rs.next()) {
          out.add(rs.getString(1));
        }
      }
      return List.copyOf(out);
    });
  }

  // --- banks ---

  /**
   * The bank {@code bankId} in this schema, for writing (the platform's own bank, victim
   * submissions, or a shared list that one instance imports for all) and for reading entries with
   * the feedback every instance recorded. The bank is created, empty, when missing.
   *
   * @param bankId the bank id, {@code [a-z0-9._-]{1,64}}; not null
   * @param category the bank's category; must equal the stored one for an existing bank; not null
   * @return the bank's store; thread-safe; never null
   * @throws dev.haetae.moderation.api.InvalidRequestException when an argument is null or the id
   *     invalid
   * @throws ConfigurationException when the bank is stored with another category
   * @throws StoreUnavailableException when the database cannot be reached
   */
  public BankStore bankStore(String bankId, dev.haetae.moderation.api.Category category) {
    return new PgBankStore(this, bankId, category);
  }

  /**
   * A {@link dev.haetae.moderation.api.spi.HashBankSource} on the bank {@code bankId}, for a host
   * that connects and refreshes its banks itself ({@code HashBanks.connect}, then {@code
   * HashBanks.refresh}); {@link #followBanks} does both, and keeps versions equal across instances.
   * Use one source per {@code HashBanks}. The bank is created, empty, when missing.
   *
   * @param bankId the bank id; not null
   * @param category the bank's category; not null
   * @return a new source; never null
   * @throws ConfigurationException when the bank is stored with another category
   * @throws StoreUnavailableException when the database cannot be reached
   * @see BankStore#source()
   */
  public dev.haetae.moderation.api.spi.HashBankSource bankSource(
      String bankId, dev.haetae.moderation.api.Category category) {
    return bankStore(bankId, category).source();
  }

  /**
   * Follows banks stored in this schema with {@code banks}: {@link BankFollower#connect} loads a
   * bank, and from then on a daemon thread applies every change within moments of its commit
   * (PostgreSQL LISTEN/NOTIFY on a pool connection held by the follower) and, whatever happens to
   * notifications, at least every {@code poll}. With {@link Builder#transactionPooling(boolean)}
   * it polls only, as {@link #pollBanks} does (a transaction-mode pooler does not carry LISTEN).
   *
   * @param banks the instance's in-memory banks; not null
   * @param poll the polling interval, at least 10 ms (a few seconds is typical); not null
   * @return the running follower; close it on shutdown; never null
   * @throws dev.haetae.moderation.api.InvalidRequestException when an argument is null or {@code
   *     poll} too short
   */
  public BankFollower followBanks(dev.haetae.moderation.core.hash.HashBanks banks, Duration poll) {
    return new PgBankFollower(this, banks, poll, !transactionPooling);
  }

  /**
   * As {@link #followBanks}, but by polling only, holding no connection between polls: for a
   * database reached through a pooler that does not carry LISTEN (e.g. PgBouncer in transaction
   * mode). Changes then arrive within about {@code poll}.
   *
   * @param banks the instance's in-memory banks; not null
   * @param poll the polling interval, at least 10 ms; not null
   * @return the running follower; close it on shutdown; never null
   * @throws dev.haetae.moderation.api.InvalidRequestException when an argument is null or {@code
   *     poll} too short
   */
  public BankFollower pollBanks(dev.haetae.moderation.core.hash.HashBanks banks, Duration poll) {
    return new PgBankFollower(this, banks, poll, false);
  }

  /**
   * Builds a {@link HaetaePostgres}. Not thread-safe.
   *
   * @since 0.1
   */
  public static final class Builder {
    private String jdbcUrl;
    private String user;
    private String password;
    private DataSource dataSource;
    private String schema = "haetae";
    private int maxPoolSize = 10;
    private Duration connectTimeout = Duration.ofSeconds(5);
    private Duration socketTimeout = Duration.ofSeconds(30);
    private boolean migrate = true;
    private String applicationRole;
    private boolean transactionPooling;
    private long logPartitionRecords;
    private int migrateUpTo = Migrations.FILES.size();

    private Builder() {}

    /**
     * Whether the database is reached through a pooler in transaction mode, such as PgBouncer with
     * {@code pool_mode = transaction}, where consecutive transactions of one client connection may
     * run on different server connections (default false). Then nothing may rely on session state:
     * the driver prepares no named server-side statements ({@code prepareThreshold=0}), the schema
     * is not set per connection (the connecting role's default {@code search_path} must name it:
     * {@code ALTER ROLE haetae_app SET search_path = haetae}; {@link #build()} checks), and {@link
     * HaetaePostgres#followBanks} polls instead of listening. The adapters' own locks are row locks
     * and transaction-level advisory locks, which a transaction-mode pooler carries. Applies to the
     * pool this class creates from a JDBC URL; a supplied data source must be configured so itself.
     *
     * @param value true behind a transaction-mode pooler
     * @return this builder
     * @since 0.3
     */
    public Builder transactionPooling(boolean value) {
      this.transactionPooling = value;
      return this;
    }

    /**
     * The number of records each new partition of the decision log holds (each partition holds one
     * shard's records {@code n*size .. (n+1)*size - 1}): retention drops whole partitions, so the
     * size sets how finely a shard's head can go. Stored in the schema ({@code haetae_meta}) by the
     * owner that migrates, for every instance; partitions already created keep their size. Not set:
     * the stored value stays (1,000,000 at first).
     *
     * @param value 1 to 1,000,000,000
     * @return this builder
     * @throws ConfigurationException when out of range
     * @since 0.3
     */
    public Builder logPartitionRecords(long value) {
      if (value < 1 || value > 1_000_000_000L) {
        throw new ConfigurationException("logPartitionRecords: must be 1..1000000000, was " + value);
      }
      this.logPartitionRecords = value;
      return this;
    }

    /** Applies only the first {@code n} shipped migrations; for tests of a schema's upgrade. */
    Builder migrateUpTo(int n) {
      this.migrateUpTo = n;
      return this;
    }

    /**
     * Whether {@link #build()} applies the migrations not yet applied (default true), as the
     * schema's owner. With false it changes nothing and only checks that every shipped migration
     * has been applied as shipped: how an application role without the right to create or alter
     * tables starts.
     *
     * @param value false for an application role
     * @return this builder
     */
    public Builder migrate(boolean value) {
      this.migrate = value;
      return this;
    }

    /**
     * The role the application connects as; after migrating, {@link #build()} grants it exactly
     * what the adapters need on the schema (usage of the schema, per table the statements they run;
     * on the decision log only reading and appending) and revokes anything else it had there. Run
     * as the schema's owner. The role must exist.
     *
     * @param value a plain lower-case role name ({@code [a-z_][a-z0-9_]{0,62}}); never null
     * @return this builder
     * @throws ConfigurationException when the name is not a plain role name
     */
    public Builder applicationRole(String value) {
      Objects.requireNonNull(value, "applicationRole");
      if (!SCHEMA.matcher(value).matches()) {
        throw new ConfigurationException(
            "applicationRole: '" + value + "' is not a plain lower-case role name ([a-z_][a-z0-9_]{0,62})");
      }
      this.applicationRole = value;
      return this;
    }

    /**
     * The JDBC URL, e.g. {@code jdbc:postgresql://db.internal:5432/moderation}.
     *
     * @param value the URL; never null
     * @return this builder
     */
    public Builder jdbcUrl(String value) {
      this.jdbcUrl = Objects.requireNonNull(value, "jdbcUrl");
      return this;
    }

    /**
     * The database user and password (omit both to use the URL's or the driver's defaults).
     *
     * @param user the user; never null
     * @param password the password; may be null for none
     * @return this builder
     */
    public Builder credentials(String user, String password) {
      this.user = Objects.requireNonNull(user, "user");
      this.password = password;
      return this;
    }

    /**
     * Uses a pool the host already has instead of creating one. The host keeps ownership: {@link
     * HaetaePostgres#close()} does not close it.
     *
     * @param value the data source; never null
     * @return this builder
     */
    public Builder dataSource(DataSource value) {
      this.dataSource = Objects.requireNonNull(value, "dataSource");
      return this;
    }

    /**
     * The schema for Haetae's tables, created when missing. Default {@code haetae}.
     *
     * @param value lower-case letters, digits and underscores, at most 63, not starting with a digit
     * @return this builder
     * @throws ConfigurationException when the name is not a plain schema name
     */
    public Builder schema(String value) {
      Objects.requireNonNull(value, "schema");
      if (!SCHEMA.matcher(value).matches()) {
        throw new ConfigurationException(
            "schema: '" + value + "' is not a plain lower-case schema name ([a-z_][a-z0-9_]{0,62})");
      }
      this.schema = value;
      return this;
    }

    /**
     * The pool's maximum size. Default 10.
     *
     * @param value 1 or more
     * @return this builder
     * @throws ConfigurationException when below 1
     */
    public Builder maxPoolSize(int value) {
      if (value < 1) {
        throw new ConfigurationException("maxPoolSize: must be at least 1, was " + value);
      }
      this.maxPoolSize = value;
      return this;
    }

    /**
     * How long to wait for a connection before an operation fails with {@link
     * StoreUnavailableException}. Default 5 seconds.
     *
     * @param value at least 250 ms; never null
     * @return this builder
     * @throws ConfigurationException when shorter than 250 ms
     */
    public Builder connectTimeout(Duration value) {
      Objects.requireNonNull(value, "connectTimeout");
      if (value.toMillis() < 250) {
        throw new ConfigurationException("connectTimeout: must be at least 250 ms, was " + value);
      }
      this.connectTimeout = value;
      return this;
    }

    /**
     * How long one read from the server may block before the operation fails with {@link
     * StoreUnavailableException} and its connection is discarded: without it, a server that stops
     * answering in the middle of a statement (a network partition) would hang the calling thread,
     * and with it {@code evaluate}. It must exceed the longest statement the host runs through
     * these adapters; the adapters' own statements take milliseconds, and the bank follower waits
     * for notifications in slices of 250 ms. Applies to the pool this class creates from a JDBC
     * URL; a supplied data source keeps its own settings. Default 30 seconds; {@link
     * Duration#ZERO} disables it.
     *
     * @param value zero, or at least one second (whole seconds are used); never null
     * @return this builder
     * @throws ConfigurationException when negative or between zero and one second
     */
    public Builder socketTimeout(Duration value) {
      Objects.requireNonNull(value, "socketTimeout");
      if (value.isNegative() || (!value.isZero() && value.toMillis() < 1_000)) {
        throw new ConfigurationException("socketTimeout: must be zero (none) or at least 1 s, was " + value);
      }
      this.socketTimeout = value;
      return this;
    }

    /**
     * Creates the pool (unless one was supplied) and applies any migrations not yet applied (and
     * grants the application role its privileges), or with {@code migrate(false)} checks that the
     * schema is current.
     *
     * @return the adapters' entry point; never null
     * @throws ConfigurationException when neither a URL nor a data source was given, an applied
     *     migration no longer matches the one shipped, an application role is named with
     *     {@code migrate(false)}, the connecting role lacks a privilege it needs (to migrate: the
     *     schema's owner), or, with {@code migrate(false)}, a migration has not been applied
     * @throws StoreUnavailableException when the database cannot be reached
     */
    public HaetaePostgres build() {
      if ((jdbcUrl == null) == (dataSource == null)) {
        throw new ConfigurationException("exactly one of jdbcUrl and dataSource must be set");
      }
      if (!migrate && logPartitionRecords > 0) {
        throw new ConfigurationException("logPartitionRecords is stored by the owner that migrates; it cannot be"
            + " combined with migrate(false)");
      }
      if (!migrate && applicationRole != null) {
        throw new ConfigurationException("applicationRole is granted by the owner that migrates; it cannot be"
            + " combined with migrate(false)");
      }
      return new HaetaePostgres(this);
    }
  }
}
