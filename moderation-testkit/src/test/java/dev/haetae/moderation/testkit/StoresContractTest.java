package dev.haetae.moderation.testkit;

import dev.haetae.moderation.api.spi.DecisionLog;
import dev.haetae.moderation.api.spi.ObligationStore;
import dev.haetae.moderation.api.spi.ReputationStore;
import dev.haetae.moderation.core.audit.DecisionLogs;
import dev.haetae.moderation.core.store.InMemoryObligationStore;
import dev.haetae.moderation.core.store.InMemoryReputationStore;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.io.TempDir;

/** The embedded default stores and log keep their contracts. */
class StoresContractTest {

  @Nested
  class InMemoryReputation extends ReputationStoreContract {
    @Override
    protected ReputationStore newStore() {
      return new InMemoryReputationStore();
    }
  }

  @Nested
  class InMemoryObligations extends ObligationStoreContract {
    @Override
    protected ObligationStore newStore() {
      return new InMemoryObligationStore();
    }
  }

  @Nested
  class DirectoryLog extends DecisionLogContract {
    @TempDir
    Path dir;

    @Override
    protected DecisionLog openLog() throws Exception {
      return DecisionLogs.directory(Files.createTempDirectory(dir, "log")).build();
    }
  }
}
