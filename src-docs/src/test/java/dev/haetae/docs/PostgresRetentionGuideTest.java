package dev.haetae.docs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.haetae.moderation.api.AccountEvent;
import dev.haetae.moderation.api.AccountId;
import dev.haetae.moderation.api.Action;
import dev.haetae.moderation.api.Decision;
import dev.haetae.moderation.api.DecisionId;
import dev.haetae.moderation.api.Evidence;
import dev.haetae.moderation.core.audit.EngineLog;
import dev.haetae.moderation.core.audit.Retention;
import dev.haetae.moderation.core.audit.VerificationReport;
import dev.haetae.moderation.core.legal.JurisdictionProfiles;
import dev.haetae.moderation.postgres.DecisionLogShard;
import dev.haetae.moderation.postgres.HaetaePostgres;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * The code quoted in the "Partitions and retention" and "PgBouncer" sections of {@code
 * postgres.md}: partitions of 10 records, 25 records of 2020, a prune at 2030 that drops the two
 * full partitions, verify across it. Runs when a PostgreSQL server is reachable, otherwise skipped.
 * The PgBouncer snippet is only compiled here: the module's {@code PgBouncerTest} runs the adapters
 * through a real PgBouncer.
 */
class PostgresRetentionGuideTest {

  static HaetaePostgres owner(String url, String user, String password, String schema) {
    // region partitions
    HaetaePostgres owner = HaetaePostgres.builder()
        .jdbcUrl(url)
        .credentials(user, password)       // the schema's owner: it migrates, and only it may drop partitions
        .schema(schema)
        .logPartitionRecords(10)           // records per partition of a shard (default 1,000,000)
        .build();
    // endregion
    return owner;
  }

  static int prune(HaetaePostgres owner, KeyPair retentionKey, Instant now) {
    // region prune
    DecisionLogShard shard = owner.decisionLogShard("eu-1");
    Retention.Plan plan = shard.planRetention(JurisdictionProfiles.bundled().instruments().values(),
        Duration.ZERO /* the host's own minimum */, now);
    for (Retention.Segment partition : plan.removable()) {
      System.out.println("partition seq " + partition.firstSeq() + ".." + partition.lastSeq() + ", newest "
          + partition.newest());
    }
    int dropped = shard.prune(plan, "retention-2030", retentionKey, now); // signed record, then DETACH + DROP
    VerificationReport verified = shard.verify();  // checks the record's signature and the chain across it
    // endregion
    assertTrue(verified.ok(), verified.toString());
    return dropped;
  }

  static HaetaePostgres.Builder throughPgBouncer(String appPassword) {
    // region bouncer
    // the role's default search_path names the schema: ALTER ROLE haetae_app SET search_path = haetae
    HaetaePostgres.Builder app = HaetaePostgres.builder()
        .jdbcUrl("jdbc:postgresql://pgbouncer.internal:6432/moderation")
        .credentials("haetae_app", appPassword)
        .schema("haetae")
        .transactionPooling(true)          // no named prepared statements, no SET, bank followers poll
        .migrate(false);
    // endregion
    return app;
  }

  @Test
  void theGuidesCodePartitionsAndPrunesAShard() throws Exception {
    String password = DocsPostgres.password();
    DocsPostgres.requireServer("PostgresRetentionGuideTest");
    String schema = "docs_ret_" + Long.toString(System.nanoTime(), 36);
    try (HaetaePostgres pg = owner(DocsPostgres.url(), DocsPostgres.user(), password, schema)) {
      Instant t0 = Instant.parse("2020-01-01T00:00:00Z");
      try (EngineLog log = pg.decisionLog("eu-1")) {
        for (int i = 0; i < 25; i++) {
          Instant at = t0.plusSeconds(i);
          log.append(new Evidence(at, new AccountEvent(AccountId.of("a" + i), Instant.EPOCH, false, Optional.empty()),
              List.of(), Map.of("reputation", "rep-1")), new Decision(DecisionId.of("d" + i), at,
                  List.of(new Action.Allow()), List.of(), Optional.empty(), List.of(), List.of(), List.of()));
        }
      }
      KeyPair key = KeyPairGenerator.getInstance("Ed25519").generateKeyPair();
      assertEquals(2, prune(pg, key, Instant.parse("2030-01-01T00:00:00Z")));
      assertEquals(5, pg.decisionLogShard("eu-1").verify().records());
    } finally {
      DocsPostgres.drop(schema);
    }
  }
}
