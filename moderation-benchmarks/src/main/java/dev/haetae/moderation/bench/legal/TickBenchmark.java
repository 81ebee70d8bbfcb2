package dev.haetae.moderation.bench.legal;

import dev.haetae.moderation.api.Category;
import dev.haetae.moderation.api.ContentId;
import dev.haetae.moderation.api.Duty;
import dev.haetae.moderation.api.ObligationEvent;
import dev.haetae.moderation.api.spi.ObligationRecord;
import dev.haetae.moderation.core.legal.JurisdictionProfiles;
import dev.haetae.moderation.core.legal.Obligations;
import dev.haetae.moderation.core.store.InMemoryObligationStore;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/**
 * The cost of one legal clock tick with many open obligations of which {@code due} are due: the
 * engine's {@link Obligations#tick} over the embedded store (indexed by next check) against a naive
 * tick that scans every open obligation, in the same run and on the same records.
 *
 * <p>Before each invocation the same {@code due} obligations are made due again (their last
 * escalation done, next check in the past), so each tick breaches exactly {@code due} obligations;
 * that reset is outside the measurement.
 *
 * <p>Run: {@code java -jar moderation-benchmarks/target/benchmarks.jar TickBenchmark}
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
public class TickBenchmark {
  private static final Instant NOW = Instant.parse("2026-11-22T00:00:00Z");
  private static final Instant NEVER = Instant.parse("9999-12-31T00:00:00Z");

  /** How many obligations are open. */
  @Param({"1000000"})
  public int open;

  /** How many of them are due at each tick. */
  @Param({"1", "100", "10000"})
  public int due;

  private InMemoryObligationStore store;
  private Obligations obligations;
  private Map<String, ObligationRecord> naive;
  private List<ObligationRecord> dueRecords;

  /** Fills the store and the naive map with the same obligations. */
  @Setup(Level.Trial)
  public void fill() {
    store = new InMemoryObligationStore();
    obligations = new Obligations(JurisdictionProfiles.bundled(), store, 0.5, 0.8);
    naive = new HashMap<>(open * 2);
    dueRecords = new ArrayList<>(due);
    for (int i = 0; i < open; i++) {
      boolean isDue = i < due;
      // not-due obligations received over the last day with 48 hours to go; their first check is
      // spread over the coming hours
      Instant received = NOW.minusSeconds(i % 86_400);
      Instant deadline = received.plus(Duration.ofHours(48));
      ObligationRecord o = record("o" + i, received, deadline, isDue ? NOW.minusSeconds(1) : received.plus(
          Duration.ofHours(24)).plusSeconds(1), isDue ? 2 : 0);
      store.open(o);
      naive.put(o.id(), o);
      if (isDue) {
        dueRecords.add(o);
      }
    }
  }

  /** Makes the same {@code due} obligations due again. */
  @Setup(Level.Invocation)
  public void reset() {
    for (ObligationRecord o : dueRecords) {
      store.update(o);
      naive.put(o.id(), o);
    }
  }

  /**
   * The engine's tick: cost in proportion to what is due.
   *
   * @return the events, so the work is not eliminated
   */
  @Benchmark
  public List<ObligationEvent> indexedTick() {
    return obligations.tick(NOW);
  }

  /**
   * A naive tick that looks at every open obligation.
   *
   * @return the breached obligations, so the work is not eliminated
   */
  @Benchmark
  public List<ObligationRecord> naiveScanTick() {
    List<ObligationRecord> breached = new ArrayList<>();
    for (ObligationRecord o : naive.values()) {
      if (o.isOpen() && !o.nextCheck().isAfter(NOW)) {
        breached.add(o);
      }
    }
    for (ObligationRecord o : breached) {
      naive.put(o.id(), new ObligationRecord(o.id(), o.instrument(), o.citation(), o.category(), o.content(),
          o.receivedAt(), o.deadline(), o.duties(), o.preserveFor(), ObligationRecord.Status.BREACHED, NEVER,
          o.escalations(), Optional.empty()));
    }
    return breached;
  }

  private static ObligationRecord record(String id, Instant received, Instant deadline, Instant nextCheck,
      int escalations) {
    return new ObligationRecord(id, "US-TAKE-IT-DOWN", "TAKE IT DOWN Act", Category.NCII, ContentId.of("c-" + id),
        received, deadline, List.of(Duty.REMOVE, Duty.NOTIFY), Duration.ZERO, ObligationRecord.Status.OPEN,
        nextCheck, escalations, Optional.empty());
  }
}
