package dev.haetae.moderation.bench.reputation;

import dev.haetae.moderation.core.store.InMemoryReputationStore;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;
import java.util.Locale;

/**
 * Memory per tracked reporter in the in-memory store: heap in use after full collections, before
 * and after filling it with N reporters (16-hex-digit pseudonymous ids, an account creation date
 * each, review history for a third). Not a JMH benchmark: run it with a heap large enough for N,
 * e.g. {@code java -Xmx6g -XX:+UseParallelGC -cp moderation-benchmarks/target/benchmarks.jar
 * dev.haetae.moderation.bench.reputation.ReporterMemory 10000000}.
 */
public final class ReporterMemory {
  private ReporterMemory() {}

  /**
   * Measures and prints.
   *
   * @param args the number of reporters (default 10,000,000)
   * @throws InterruptedException if interrupted while letting the collector settle
   */
  public static void main(String[] args) throws InterruptedException {
    int n = args.length > 0 ? Integer.parseInt(args[0]) : 10_000_000;
    MemoryMXBean mem = ManagementFactory.getMemoryMXBean();
    long before = settledHeap(mem);
    long t0 = System.nanoTime();
    InMemoryReputationStore store = new InMemoryReputationStore();
    Reporters.fill(store, n);
    long fillNanos = System.nanoTime() - t0;
    long after = settledHeap(mem);
    System.out.printf(Locale.ROOT, "reporters: %d%nheap before: %d MiB%nheap after: %d MiB%n"
            + "bytes per reporter: %.1f%nfill: %.1f s (%.0f reporters/s, one thread)%n", store.reporterCount(),
        before >> 20, after >> 20, (double) (after - before) / n, fillNanos / 1e9, n / (fillNanos / 1e9));
    if (store.reporterCount() != n) {
      throw new AssertionError("store lost reporters");
    }
  }

  private static long settledHeap(MemoryMXBean mem) throws InterruptedException {
    long used = Long.MAX_VALUE;
    for (int i = 0; i < 5; i++) {
      System.gc();
      Thread.sleep(200);
      used = Math.min(used, mem.getHeapMemoryUsage().getUsed());
    }
    return used;
  }
}
