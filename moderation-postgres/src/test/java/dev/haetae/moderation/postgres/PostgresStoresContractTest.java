package dev.haetae.moderation.postgres;

import dev.haetae.moderation.api.spi.EngineMemory;
import dev.haetae.moderation.api.spi.EvidenceHoldStore;
import dev.haetae.moderation.api.spi.ObligationStore;
import dev.haetae.moderation.api.spi.ReputationStore;
import dev.haetae.moderation.api.spi.StrikeStore;
import dev.haetae.moderation.testkit.EngineMemoryContract;
import dev.haetae.moderation.testkit.EvidenceHoldStoreContract;
import dev.haetae.moderation.testkit.ObligationStoreContract;
import dev.haetae.moderation.testkit.ReputationStoreContract;
import dev.haetae.moderation.testkit.StrikeStoreContract;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Nested;

/**
 * The PostgreSQL adapters keep the test kit's contracts. Each test gets a fresh schema (the contracts
 * expect an empty store), dropped when the test ends. {@link RequiresPostgres} sits on each nested
 * class, so that without a server each contract test is reported as skipped (on the outer class it
 * would hide them from the test counts).
 */
class PostgresStoresContractTest {
  private static final List<HaetaePostgres> OPEN = new ArrayList<>();

  private static synchronized HaetaePostgres fresh(String prefix) {
    HaetaePostgres pg = PgTestServer.open(prefix);
    OPEN.add(pg);
    return pg;
  }

  /** After each test (also the nested classes' tests): the server takes 200 connections, a pool up to 8. */
  @AfterEach
  void dropSchemas() {
    dropAll();
  }

  private static synchronized void dropAll() {
    for (HaetaePostgres pg : OPEN) {
      pg.close();
      PgTestServer.drop(pg.schema());
    }
    OPEN.clear();
  }

  @Nested
  @RequiresPostgres
  class Reputation extends ReputationStoreContract {
    @Override
    protected ReputationStore newStore() {
      return fresh("rep").reputationStore();
    }
  }

  @Nested
  @RequiresPostgres
  class Obligations extends ObligationStoreContract {
    @Override
    protected ObligationStore newStore() {
      return fresh("obl").obligationStore();
    }
  }

  @Nested
  @RequiresPostgres
  class Strikes extends StrikeStoreContract {
    @Override
    protected StrikeStore newStore() {
      return fresh("strike").strikeStore();
    }
  }

  @Nested
  @RequiresPostgres
  class EvidenceHolds extends EvidenceHoldStoreContract {
    @Override
    protected EvidenceHoldStore newStore() {
      return fresh("hold").evidenceHoldStore();
    }
  }

  @Nested
  @RequiresPostgres
  class Memory extends EngineMemoryContract {
    @Override
    protected EngineMemory newMemory() {
      return fresh("mem").stores().memory();
    }
  }
}
