package dev.haetae.moderation.postgres;

import dev.haetae.moderation.core.audit.EngineLog;
import dev.haetae.moderation.core.audit.LogEntry;
import dev.haetae.moderation.testkit.EngineLogContract;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

/**
 * The test kit's decision-log contract and its engine-log part, on a real server: each log is a
 * shard, reopened by building a new writer of the same shard.
 */
@RequiresPostgres
class PgDecisionLogContractTest extends EngineLogContract {
  private static HaetaePostgres pg;

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
  protected EngineLog open(String name) {
    return pg.decisionLog(name, LogRequests.KEY);
  }

  @Override
  protected List<LogEntry> entries(String name) {
    List<LogEntry> out = new ArrayList<>();
    pg.decisionLogShard(name).forEachEntry(out::add);
    return out;
  }
}
