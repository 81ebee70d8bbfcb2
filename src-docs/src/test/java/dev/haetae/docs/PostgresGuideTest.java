package dev.haetae.docs;

import dev.haetae.moderation.postgres.HaetaePostgres;
import java.time.Duration;

/**
 * The code quoted in {@code postgres.md}. It needs a database, so it is compiled by the build but
 * only run by the moderation-postgres module's integration tests.
 */
final class PostgresGuideTest {
  private PostgresGuideTest() {}

  static HaetaePostgres setup(String password) {
    // region setup
    HaetaePostgres pg = HaetaePostgres.builder()
        .jdbcUrl("jdbc:postgresql://db.internal:5432/moderation")
        .credentials("haetae", password)
        .schema("haetae")                      // created and migrated on first start
        .maxPoolSize(16)
        .connectTimeout(Duration.ofSeconds(2)) // then operations fail with StoreUnavailableException
        .socketTimeout(Duration.ofSeconds(30)) // a statement the server stops answering fails too
        .build();
    // endregion
    return pg;
  }
}
