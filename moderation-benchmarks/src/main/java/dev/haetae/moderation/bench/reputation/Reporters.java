package dev.haetae.moderation.bench.reputation;

import dev.haetae.moderation.api.ReporterId;
import dev.haetae.moderation.api.spi.ReporterRecord;
import dev.haetae.moderation.core.store.InMemoryReputationStore;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;

/** Fills an in-memory store with reporters that look like a real population. */
final class Reporters {
  static final Instant NOW = Instant.parse("2026-11-21T10:00:00Z");

  private Reporters() {}

  /** A reporter id like a keyed pseudonym truncated to 16 hex digits. */
  static ReporterId id(int i) {
    return ReporterId.of(String.format("%016x", 0x9e3779b97f4a7c15L * (i + 1)));
  }

  /**
   * Adds {@code n} reporters: every account has a creation date; about a third have some review
   * history (confirmed/rejected counts), the rest none, as in a service where most users never
   * had a report reviewed.
   */
  static ReporterId[] fill(InMemoryReputationStore store, int n) {
    ReporterId[] ids = new ReporterId[n];
    for (int i = 0; i < n; i++) {
      ReporterId id = id(i);
      ids[i] = id;
      int k = i;
      Instant created = NOW.minus(Duration.ofDays(1 + (k % 2000)));
      store.updateReporter(id, NOW, cur -> new ReporterRecord(id, Optional.of(created), k % 100_000 == 0,
          k % 3 == 0 ? k % 7 : 0, k % 3 == 0 ? k % 4 : 0, NOW.minus(Duration.ofDays(k % 90)), 0, Optional.empty()));
    }
    return ids;
  }
}
