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

  static HaetaePostgres roles(String ownerPassword, String appPassword) {
    // region roles
    // Once per release, from a deployment job: the owner migrates and grants the application role.
    try (HaetaePostgres owner = HaetaePostgres.builder()
        .jdbcUrl("jdbc:postgresql://db.internal:5432/moderation")
        .credentials("haetae_owner", ownerPassword)
        .schema("haetae")
        .applicationRole("haetae_app")         // gets what the adapters need, and nothing more
        .build()) {
      System.out.println("applied " + owner.appliedMigrations());
    }

    // Every backend instance: the application role, which may not migrate, alter or delete.
    HaetaePostgres pg = HaetaePostgres.builder()
        .jdbcUrl("jdbc:postgresql://db.internal:5432/moderation")
        .credentials("haetae_app", appPassword)
        .schema("haetae")
        .migrate(false)                        // only checks that the schema is current
        .build();
    // endregion
    return pg;
  }
}
