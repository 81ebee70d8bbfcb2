package dev.haetae.moderation.testkit;

import dev.haetae.moderation.api.ContentId;
import dev.haetae.moderation.api.spi.DecisionLog;
import dev.haetae.moderation.api.spi.EvidenceHoldStore;
import dev.haetae.moderation.api.spi.ObligationRecord;
import dev.haetae.moderation.api.spi.ObligationStore;
import dev.haetae.moderation.api.spi.ReputationStore;
import dev.haetae.moderation.api.spi.StrikeStore;
import dev.haetae.moderation.core.audit.DecisionLogs;
import dev.haetae.moderation.core.legal.EvidenceHolds;
import dev.haetae.moderation.core.store.InMemoryObligationStore;
import dev.haetae.moderation.core.store.InMemoryReputationStore;
import dev.haetae.moderation.core.store.InMemoryStrikeStore;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
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
  class InMemoryStrikes extends StrikeStoreContract {
    @Override
    protected StrikeStore newStore() {
      return new InMemoryStrikeStore(1_000);
    }
  }

  @Nested
  class InMemoryObligations extends ObligationStoreContract {
    @Override
    protected ObligationStore newStore() {
      return new InMemoryObligationStore();
    }
  }

  /**
   * A store that implements only the blind {@code update(record)}: the SPI's default {@code
   * update(id, change)} must keep the contract within one process.
   */
  @Nested
  class DefaultAtomicUpdate extends ObligationStoreContract {
    @Override
    protected ObligationStore newStore() {
      InMemoryObligationStore d = new InMemoryObligationStore();
      return new ObligationStore() {
        @Override
        public ObligationRecord open(ObligationRecord o) {
          return d.open(o);
        }

        @Override
        public Optional<ObligationRecord> find(String id) {
          return d.find(id);
        }

        @Override
        public List<ObligationRecord> openFor(ContentId content) {
          return d.openFor(content);
        }

        @Override
        public List<ObligationRecord> due(Instant now, int max) {
          return d.due(now, max);
        }

        @Override
        public void update(ObligationRecord o) {
          d.update(o);
        }

        @Override
        public List<ObligationRecord> all() {
          return d.all();
        }
      };
    }
  }

  @Nested
  class InMemoryEvidenceHolds extends EvidenceHoldStoreContract {
    @Override
    protected EvidenceHoldStore newStore() {
      return new EvidenceHolds();
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
