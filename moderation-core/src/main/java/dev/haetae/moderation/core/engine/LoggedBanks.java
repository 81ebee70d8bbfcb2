package dev.haetae.moderation.core.engine;

import dev.haetae.moderation.api.InvalidRequestException;
import dev.haetae.moderation.api.MatchType;
import dev.haetae.moderation.core.audit.EngineLog;
import dev.haetae.moderation.core.audit.LogEvent;
import dev.haetae.moderation.core.hash.HashBanks;
import dev.haetae.moderation.core.hash.ImportOptions;
import dev.haetae.moderation.core.hash.ImportReport;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.function.Consumer;

/**
 * Bank changes made through the engine, logged: a host's own changes before they are made, an
 * import's or a programme sync's as they are applied, in records of at most {@value
 * #CHANGES_PER_RECORD} changes. Thread-safe as the banks and the log are.
 */
final class LoggedBanks {
  /** How many bank changes one logged record holds at most, so that a large import is many records. */
  static final int CHANGES_PER_RECORD = 4096;

  private final HashBanks banks;
  private final Optional<EngineLog> log;
  private final Clock clock;

  LoggedBanks(HashBanks banks, Optional<EngineLog> log, Clock clock) {
    this.banks = banks;
    this.log = log;
    this.clock = clock;
  }

  int change(String source, List<LogEvent.BankEntryChange> changes) {
    InvalidRequestException.requireNonNull("source", source);
    InvalidRequestException.requireNonNull("changes", changes);
    Map<String, String> versions = new TreeMap<>();
    List<MatchType> types = new ArrayList<>(changes.size());
    for (LogEvent.BankEntryChange c : changes) {
      InvalidRequestException.requireNonNull("changes[]", c);
      if (!c.op().equals("add") && !c.op().equals("withdraw") && !c.op().equals("delete")) {
        throw new InvalidRequestException("changes[].op", "has unknown value '" + c.op()
            + "' (allowed: add, withdraw, delete)");
      }
      types.add(MatchType.fromWire(c.type()));
      String v = banks.versions().get(HashBanks.VERSION_KEY_PREFIX + c.bank());
      versions.put(c.bank(), v == null ? "new" : v);
    }
    if (changes.isEmpty()) {
      return 0;
    }
    log.ifPresent(l -> l.append(new LogEvent.BankChange(clock.instant(), source, changes, versions)));
    int n = 0;
    for (int i = 0; i < changes.size(); i++) {
      LogEvent.BankEntryChange c = changes.get(i);
      boolean changed;
      switch (c.op()) {
        case "add":
          changed = banks.add(c.bank(), c.category(), types.get(i), c.hash());
          break;
        case "withdraw":
          changed = banks.withdraw(c.bank(), types.get(i), c.hash());
          break;
        default:
          changed = banks.delete(c.bank(), types.get(i), c.hash());
          break;
      }
      n += changed ? 1 : 0;
    }
    return n;
  }

  ImportReport importFile(Path file, String bankId, ImportOptions options) {
    InvalidRequestException.requireNonNull("options", options);
    Recorder rec = new Recorder("import:" + (file == null ? "?" : file.getFileName()), options.onChange());
    try {
      return banks.importFile(file, bankId, options.onChange(rec));
    } finally {
      rec.flush();
    }
  }

  ImportReport refresh(String bankId, ImportOptions options) {
    InvalidRequestException.requireNonNull("options", options);
    Recorder rec = new Recorder("sync:" + bankId, options.onChange());
    try {
      return banks.refresh(bankId, options.onChange(rec));
    } finally {
      rec.flush();
    }
  }

  /** Collects an import's changes and logs them in bounded records. */
  private final class Recorder implements Consumer<ImportReport.Change> {
    private final String source;
    private final Consumer<ImportReport.Change> next;
    private final List<LogEvent.BankEntryChange> pending = new ArrayList<>();

    Recorder(String source, Consumer<ImportReport.Change> next) {
      this.source = source;
      this.next = next;
    }

    @Override
    public void accept(ImportReport.Change c) {
      String op = switch (c.kind()) {
        case ADDED -> "add";
        case CHANGED -> "change";
        case WITHDRAWN -> "withdraw";
        case DELETED -> "delete";
      };
      pending.add(new LogEvent.BankEntryChange(op, c.bank(), c.signalType(), c.hash(), c.category(),
          source + (c.caseId().isPresent() ? " case " + c.caseId().get() : "") + " line " + c.line()));
      if (pending.size() >= CHANGES_PER_RECORD) {
        flush();
      }
      next.accept(c);
    }

    void flush() {
      if (pending.isEmpty()) {
        return;
      }
      List<LogEvent.BankEntryChange> batch = List.copyOf(pending);
      pending.clear();
      log.ifPresent(l -> l.append(new LogEvent.BankChange(clock.instant(), source, batch, Map.of())));
    }
  }
}
