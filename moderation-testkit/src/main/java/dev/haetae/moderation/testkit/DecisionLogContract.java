package dev.haetae.moderation.testkit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.haetae.moderation.api.Action;
import dev.haetae.moderation.api.AccountId;
import dev.haetae.moderation.api.Decision;
import dev.haetae.moderation.api.DecisionId;
import dev.haetae.moderation.api.Evidence;
import dev.haetae.moderation.api.spi.DecisionLog;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;

/**
 * The contract of a {@link DecisionLog}, for adapter authors: positions start at 0 and increase by
 * one; concurrent appends get distinct, gap-free positions (none lost or duplicated); an append
 * after {@link DecisionLog#close()} fails with an exception instead of pretending to be durable.
 * Durability itself (fsync, commit) cannot be observed from a test and is the adapter's to prove.
 *
 * @since 0.1
 */
public abstract class DecisionLogContract {

  /** For subclasses. */
  protected DecisionLogContract() {}

  /**
   * A new, empty log; the contract closes it.
   *
   * @return the log; never null
   * @throws Exception when it cannot be opened
   */
  protected abstract DecisionLog openLog() throws Exception;

  /**
   * Whether {@link #openLog()} gives a log that rejects appends after close (a shared singleton such
   * as {@link DecisionLog#DISCARD} does not). Default true.
   *
   * @return whether to check append-after-close
   */
  protected boolean closeIsEnforced() {
    return true;
  }

  private static Decision decision(int i) {
    return new Decision(DecisionId.of("d" + i), Instant.EPOCH.plusSeconds(i), List.of(new Action.Allow()), List.of(),
        Optional.empty(), List.of(), List.of(), List.of());
  }

  private static Evidence evidence(int i) {
    return new Evidence(Instant.EPOCH.plusSeconds(i), new dev.haetae.moderation.api.AccountEvent(
        AccountId.of("u" + i), Instant.EPOCH, false, Optional.empty()), List.of(), Map.of());
  }

  /** Sequential appends are numbered 0, 1, 2, ... */
  @Test
  void positionsStartAtZeroAndIncreaseByOne() throws Exception {
    try (DecisionLog log = openLog()) {
      for (int i = 0; i < 20; i++) {
        assertEquals(i, log.append(evidence(i), decision(i)), "position of append " + i);
      }
    }
  }

  /** Concurrent appends get distinct, gap-free positions. */
  @Test
  void concurrentAppendsGetDistinctGapFreePositions() throws Exception {
    int threads = 4;
    int each = 50;
    try (DecisionLog log = openLog()) {
      ExecutorService pool = Executors.newFixedThreadPool(threads);
      try {
        List<Future<List<Long>>> fs = new ArrayList<>();
        for (int t = 0; t < threads; t++) {
          int base = t * each;
          fs.add(pool.submit(() -> {
            List<Long> got = new ArrayList<>(each);
            for (int i = 0; i < each; i++) {
              got.add(log.append(evidence(base + i), decision(base + i)));
            }
            return got;
          }));
        }
        Set<Long> all = new TreeSet<>();
        for (Future<List<Long>> f : fs) {
          all.addAll(f.get());
        }
        assertEquals(threads * each, all.size(), "positions were duplicated");
        assertEquals(0L, ((TreeSet<Long>) all).first());
        assertEquals(threads * each - 1L, ((TreeSet<Long>) all).last(), "positions have gaps");
      } finally {
        pool.shutdownNow();
      }
    }
  }

  /** An append after close fails. */
  @Test
  void appendAfterCloseFails() throws Exception {
    if (!closeIsEnforced()) {
      return;
    }
    DecisionLog log = openLog();
    log.append(evidence(0), decision(0));
    log.close();
    assertThrows(RuntimeException.class, () -> log.append(evidence(1), decision(1)),
        "an append after close must fail, not be silently dropped");
  }
}
