package dev.haetae.moderation.core.engine;

import static dev.haetae.moderation.core.engine.Fixtures.PDQ_A;
import static dev.haetae.moderation.core.engine.Fixtures.T0;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.haetae.moderation.api.Action;
import dev.haetae.moderation.api.Category;
import dev.haetae.moderation.core.audit.AuditLog;
import dev.haetae.moderation.core.audit.LogEvent;
import dev.haetae.moderation.core.audit.LoggedEvent;
import dev.haetae.moderation.core.audit.ProgressListener;
import dev.haetae.moderation.core.hash.ImportOptions;
import dev.haetae.moderation.core.hash.ImportReport;
import dev.haetae.moderation.core.simulate.SettableClock;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Bank changes made through the engine are logged records: a host's change before it is made, an import's as it is applied. */
class BankChangeLogTest {

  @Test
  void hostChangesAndImportsAreLogged(@TempDir Path dir) throws IOException {
    Path log = dir.resolve("log");
    Path csv = dir.resolve("list.csv");
    StringBuilder sb = new StringBuilder("hash,signal_type\n");
    for (int i = 0; i < 5000; i++) {
      sb.append(String.format("%064x", i + 1)).append(",sha256\n");
    }
    Files.writeString(csv, sb.toString());
    List<ImportReport.Change> heard = new ArrayList<>();
    try (ModerationEngine engine = ModerationEngine.builder().clock(new SettableClock(T0)).logDirectory(log)
        .policyIsolation(PolicyIsolation.INLINE).build()) {
      engine.changeBanks("host", List.of(new LogEvent.BankEntryChange("add", "stopncii", "pdq", PDQ_A,
          Category.NCII, "a victim's submission")));
      assertTrue(engine.evaluate(Fixtures.upload("c1", "u1", "r1", PDQ_A)).has(Action.Remove.class));
      ImportReport r = engine.importBankFile(csv, "kr-regulator", ImportOptions.defaults().onChange(heard::add));
      assertEquals(5000, r.added());
    }
    assertEquals(5000, heard.size(), "the caller's own listener still hears every change");
    List<LogEvent.BankChange> records = new ArrayList<>();
    AuditLog.open(log).forEachEntry(ProgressListener.NONE, e -> {
      if (e instanceof LoggedEvent && ((LoggedEvent) e).event() instanceof LogEvent.BankChange) {
        records.add((LogEvent.BankChange) ((LoggedEvent) e).event());
      }
    });
    assertEquals("host", records.get(0).source());
    assertEquals(1 + 5000, records.stream().mapToInt(b -> b.changes().size()).sum());
    assertEquals(3, records.size(), "the host's change, then the import in records of at most 4096 changes");
    assertTrue(records.get(1).changes().get(0).reason().contains("list.csv"));
  }
}
