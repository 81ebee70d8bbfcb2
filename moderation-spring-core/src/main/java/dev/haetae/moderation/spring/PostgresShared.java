package dev.haetae.moderation.spring;

import dev.haetae.moderation.api.ModerationException;
import dev.haetae.moderation.api.spi.Pseudonymizer;
import dev.haetae.moderation.core.audit.EngineLog;
import dev.haetae.moderation.core.engine.ModerationEngineBuilder;
import dev.haetae.moderation.postgres.HaetaePostgres;
import java.sql.Connection;
import java.sql.SQLException;

/**
 * The PostgreSQL side of a set-up: the pool, its stores and this instance's decision-log shard.
 * Loaded only when {@code haetae.postgres.url} is set, so that moderation-postgres stays optional.
 */
final class PostgresShared implements AutoCloseable {
  private final HaetaePostgres pg;
  private final EngineLog log;
  private final String shard;

  private PostgresShared(HaetaePostgres pg, EngineLog log, String shard) {
    this.pg = pg;
    this.log = log;
    this.shard = shard;
  }

  static PostgresShared open(HaetaeSettings.PostgresSettings s, Pseudonymizer pseudonymizer) {
    HaetaePostgres pg;
    try {
      pg = HaetaePostgres.builder()
          .jdbcUrl(s.url())
          .credentials(s.user(), s.password().orElse(null))
          .schema(s.schema())
          .migrate(s.migrate())
          .maxPoolSize(s.maxPoolSize())
          .build();
    } catch (ModerationException e) {
      throw new HaetaePropertyException("haetae.postgres.url", "cannot open the PostgreSQL stores: " + e.getMessage(), e);
    }
    try {
      return new PostgresShared(pg, pg.decisionLog(s.shard(), pseudonymizer), s.shard());
    } catch (RuntimeException e) {
      pg.close();
      if (e instanceof ModerationException) {
        throw new HaetaePropertyException("haetae.postgres.shard", e.getMessage(), e);
      }
      throw e;
    }
  }

  void configure(ModerationEngineBuilder builder) {
    builder.stores(pg.stores()).decisionLog(log);
  }

  String shard() {
    return shard;
  }

  /** Null when a connection answers within two seconds, else why not. */
  String unreachable() {
    try (Connection c = pg.dataSource().getConnection()) {
      return c.isValid(2) ? null : "the connection did not answer within 2 s";
    } catch (SQLException | RuntimeException e) {
      return e.getClass().getSimpleName() + ": " + e.getMessage();
    }
  }

  /** Hands HikariCP the registry, unless the pool reports somewhere already; whether it was bound. */
  boolean bindPoolMetrics(Object registry) {
    if (pg.dataSource() instanceof com.zaxxer.hikari.HikariDataSource h && h.getMetricRegistry() == null
        && h.getMetricsTrackerFactory() == null) {
      h.setMetricRegistry(registry); // HikariCP accepts a registry on a running pool, once
      return true;
    }
    return false;
  }

  @Override
  public void close() {
    try {
      log.close();
    } finally {
      pg.close();
    }
  }
}
