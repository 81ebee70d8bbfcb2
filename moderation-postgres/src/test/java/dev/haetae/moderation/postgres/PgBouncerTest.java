package dev.haetae.moderation.postgres;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.haetae.moderation.api.ConfigurationException;
import dev.haetae.moderation.api.spi.EngineMemory;
import dev.haetae.moderation.api.spi.EvidenceHoldStore;
import dev.haetae.moderation.api.spi.ObligationStore;
import dev.haetae.moderation.api.spi.ReputationStore;
import dev.haetae.moderation.api.spi.StrikeStore;
import dev.haetae.moderation.core.audit.EngineLog;
import dev.haetae.moderation.core.audit.LogEntry;
import dev.haetae.moderation.core.audit.VerificationReport;
import dev.haetae.moderation.testkit.EngineLogContract;
import dev.haetae.moderation.testkit.EngineMemoryContract;
import dev.haetae.moderation.testkit.EvidenceHoldStoreContract;
import dev.haetae.moderation.testkit.ObligationStoreContract;
import dev.haetae.moderation.testkit.ReputationStoreContract;
import dev.haetae.moderation.testkit.StrikeStoreContract;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

/**
 * The PostgreSQL adapters through PgBouncer in transaction mode ({@code
 * HaetaePostgres.Builder.transactionPooling(true)}): the test kit's decision-log and store contracts,
 * concurrent writers of one shard across partitions, and the search_path check. Every test works in
 * the bouncer role's one schema, dropped and migrated afresh.
 */
class PgBouncerTest {
  private static final List<HaetaePostgres> OPEN = new ArrayList<>();

  private static synchronized HaetaePostgres fresh() {
    dropAll();
    HaetaePostgres pg = PgBouncerServer.fresh(0);
    OPEN.add(pg);
    return pg;
  }

  @AfterEach
  void closeAll() {
    dropAll();
  }

  private static synchronized void dropAll() {
    for (HaetaePostgres pg : OPEN) {
      pg.close();
    }
    OPEN.clear();
  }

  @Nested
  @RequiresPgBouncer
  class DecisionLog extends EngineLogContract {
    private HaetaePostgres pg;

    @Override
    protected EngineLog open(String name) {
      if (pg == null || !OPEN.contains(pg)) {
        pg = fresh();
      }
      return pg.decisionLog(name, LogRequests.KEY);
    }

    @Override
    protected List<LogEntry> entries(String name) {
      List<LogEntry> out = new ArrayList<>();
      pg.decisionLogShard(name).forEachEntry(out::add);
      return out;
    }
  }

  @Nested
  @RequiresPgBouncer
  class Reputation extends ReputationStoreContract {
    @Override
    protected ReputationStore newStore() {
      return fresh().reputationStore();
    }
  }

  @Nested
  @RequiresPgBouncer
  class Obligations extends ObligationStoreContract {
    @Override
    protected ObligationStore newStore() {
      return fresh().obligationStore();
    }
  }

  @Nested
  @RequiresPgBouncer
  class Strikes extends StrikeStoreContract {
    @Override
    protected StrikeStore newStore() {
      return fresh().strikeStore();
    }
  }

  @Nested
  @RequiresPgBouncer
  class EvidenceHolds extends EvidenceHoldStoreContract {
    @Override
    protected EvidenceHoldStore newStore() {
      return fresh().evidenceHoldStore();
    }
  }

  @Nested
  @RequiresPgBouncer
  class Memory extends EngineMemoryContract {
    @Override
    protected EngineMemory newMemory() {
      return fresh().stores().memory();
    }
  }

  @Nested
  @RequiresPgBouncer
  class Writers {
    /**
     * Two "instances" (pools of 8 through PgBouncer, whose server pool is 20) write one shard from
     * four threads each, across partitions of 25 records that their writers create as they go: no
     * gap, no fork, every record once.
     */
    @Test
    void concurrentWritersOfOneShardAcrossPartitions() throws Exception {
      dropAll();
      HaetaePostgres a = PgBouncerServer.fresh(25);
      HaetaePostgres b = PgBouncerServer.builder().build();
      OPEN.add(a);
      OPEN.add(b);
      ExecutorService pool = Executors.newFixedThreadPool(8);
      try (EngineLog la = a.decisionLogShard("shared").logBuilder().pseudonymizer(LogRequests.KEY).maxBatch(8).build();
          EngineLog lb = b.decisionLogShard("shared").logBuilder().pseudonymizer(LogRequests.KEY).maxBatch(8).build()) {
        List<Future<?>> done = new ArrayList<>();
        for (int t = 0; t < 8; t++) {
          EngineLog log = t % 2 == 0 ? la : lb;
          int base = t * 1000;
          done.add(pool.submit(() -> {
            for (int i = 0; i < 40; i++) {
              log.append(PgDecisionLogTest.evidence(base + i), PgDecisionLogTest.decision(base + i));
            }
            return null;
          }));
        }
        for (Future<?> f : done) {
          f.get();
        }
      } finally {
        pool.shutdownNow();
      }
      VerificationReport r = a.decisionLogShard("shared").verify();
      assertTrue(r.ok(), r.toString());
      assertEquals(320, r.records());
      assertTrue(PgPartitionsTest.count(a, "SELECT count(*) FROM decision_log_partition WHERE shard = 'shared'") >= 13);
    }

    @Test
    void aRoleWhoseSearchPathIsNotTheSchemaIsRefusedWithTheFix() {
      ConfigurationException e = assertThrows(ConfigurationException.class, () -> HaetaePostgres.builder()
          .jdbcUrl(PgBouncerServer.url()).credentials(PgTestServer.user(), PgTestServer.password())
          .schema(PgBouncerServer.SCHEMA).transactionPooling(true).build());
      assertTrue(e.getMessage().contains("ALTER ROLE"), e.getMessage());
    }
  }

  @AfterAll
  static void dropSchema() {
    dropAll();
    if (PgTestServer.problem() == null) {
      PgTestServer.drop(PgBouncerServer.SCHEMA);
    }
  }
}
