package dev.haetae.moderation.postgres;

import dev.haetae.moderation.api.spi.DecisionLog;
import dev.haetae.moderation.testkit.DecisionLogContract;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

/** The test kit's decision-log contract, on a real server: each log is a new shard. */
@RequiresPostgres
class PgDecisionLogContractTest extends DecisionLogContract {
  private static HaetaePostgres pg;
  private static final AtomicInteger SHARDS = new AtomicInteger();

  @BeforeAll
  static void open() {
    pg = PgTestServer.open("logc");
  }

  @AfterAll
  static void close() {
    if (pg != null) {
      String schema = pg.schema();
      pg.close();
      PgTestServer.drop(schema);
    }
  }

  @Override
  protected DecisionLog openLog() {
    return pg.decisionLog("contract-" + SHARDS.incrementAndGet(), LogRequests.KEY);
  }
}
