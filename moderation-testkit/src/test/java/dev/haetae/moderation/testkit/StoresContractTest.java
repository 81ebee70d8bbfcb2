package dev.haetae.moderation.testkit;

import dev.haetae.moderation.api.ContentId;
import dev.haetae.moderation.api.spi.EngineMemory;
import dev.haetae.moderation.api.spi.EvidenceHoldStore;
import dev.haetae.moderation.api.spi.ObligationRecord;
import dev.haetae.moderation.api.spi.ObligationStore;
import dev.haetae.moderation.api.spi.ReputationStore;
import dev.haetae.moderation.api.spi.StrikeStore;
import dev.haetae.moderation.core.audit.AuditLog;
import dev.haetae.moderation.core.audit.DecisionLogs;
import dev.haetae.moderation.core.audit.EngineLog;
import dev.haetae.moderation.core.audit.LogEntry;
import dev.haetae.moderation.core.audit.ProgressListener;
import dev.haetae.moderation.core.audit.Pseudonymizers;
import dev.haetae.moderation.core.legal.EvidenceHolds;
import dev.haetae.moderation.core.store.InMemoryEngineMemory;
import dev.haetae.moderation.core.store.InMemoryObligationStore;
import dev.haetae.moderation.core.store.InMemoryReputationStore;
import dev.haetae.moderation.core.store.InMemoryStrikeStore;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
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
  class InMemoryMemory extends EngineMemoryContract {
    @Override
    protected EngineMemory newMemory() {
      return new InMemoryEngineMemory();
    }
  }

  /** The directory log keeps the decision-log contract and the engine-log part of it. */
  @Nested
  class DirectoryLog extends EngineLogContract {
    @TempDir
    Path dir;

    @Override
    protected EngineLog open(String name) {
      return DecisionLogs.directory(dir.resolve(name)).pseudonymizer(Pseudonymizers.hmacSha256("k1", new byte[32]))
          .build();
    }

    @Override
    protected List<LogEntry> entries(String name) {
      List<LogEntry> out = new ArrayList<>();
      AuditLog.open(dir.resolve(name)).forEachEntry(ProgressListener.NONE, out::add);
      return out;
    }
  }
}
