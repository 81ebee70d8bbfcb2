package dev.haetae.moderation.bench.audit;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.LongAdder;

/** Runs an operation from several threads, started together, for a fixed time; counts what got done. */
final class TimedLoad {
  /** One operation of worker {@code worker}; {@code i} counts up from the worker's offset. */
  @FunctionalInterface
  interface Op {
    void run(int worker, int i);
  }

  /**
   * Operations done, the nanoseconds they took, and the context switches of the worker threads
   * while they ran (voluntary: a thread parked or waited; involuntary: the scheduler took the core
   * away), or -1 each where {@code /proc/thread-self/status} cannot be read.
   */
  record Result(long done, long elapsedNanos, long voluntarySwitches, long involuntarySwitches) {
    double perSecond() {
      return done / (elapsedNanos / 1e9);
    }
  }

  private TimedLoad() {}

  /**
   * Starts {@code workers} threads together, each calling {@code op} in a loop with its index
   * starting at {@code worker * stride}, stops them after {@code seconds} and waits for them.
   */
  static Result run(int workers, int stride, double seconds, Op op) throws InterruptedException {
    LongAdder done = new LongAdder();
    LongAdder voluntary = new LongAdder();
    LongAdder involuntary = new LongAdder();
    AtomicBoolean stop = new AtomicBoolean();
    CountDownLatch start = new CountDownLatch(1);
    List<Thread> ts = new ArrayList<>();
    for (int w = 0; w < workers; w++) {
      int worker = w;
      Thread th = new Thread(() -> {
        try {
          start.await();
        } catch (InterruptedException e) {
          return;
        }
        long[] before = switches();
        int i = worker * stride;
        while (!stop.get()) {
          op.run(worker, i);
          done.increment();
          i++;
        }
        long[] after = switches();
        voluntary.add(before == null || after == null ? Long.MIN_VALUE / 4 : after[0] - before[0]);
        involuntary.add(before == null || after == null ? Long.MIN_VALUE / 4 : after[1] - before[1]);
      });
      th.start();
      ts.add(th);
    }
    long t0 = System.nanoTime();
    start.countDown();
    Thread.sleep((long) (seconds * 1000));
    stop.set(true);
    for (Thread th : ts) {
      th.join();
    }
    long elapsed = System.nanoTime() - t0;
    long v = voluntary.sum();
    long nv = involuntary.sum();
    return new Result(done.sum(), elapsed, v < 0 ? -1 : v, nv < 0 ? -1 : nv);
  }

  /**
   * The calling thread's context switches so far, voluntary and involuntary, from {@code
   * /proc/thread-self/status}; null where it cannot be read (not Linux).
   */
  static long[] switches() {
    try {
      long[] out = {-1, -1};
      for (String line : java.nio.file.Files.readAllLines(java.nio.file.Path.of("/proc/thread-self/status"))) {
        if (line.startsWith("voluntary_ctxt_switches:")) {
          out[0] = Long.parseLong(line.substring(line.indexOf(':') + 1).trim());
        } else if (line.startsWith("nonvoluntary_ctxt_switches:")) {
          out[1] = Long.parseLong(line.substring(line.indexOf(':') + 1).trim());
        }
      }
      return out[0] < 0 || out[1] < 0 ? null : out;
    } catch (java.io.IOException | RuntimeException e) {
      return null;
    }
  }

  /** Each rate rounded to a whole number, for printing. */
  static long[] round(double[] xs) {
    long[] out = new long[xs.length];
    for (int i = 0; i < xs.length; i++) {
      out[i] = Math.round(xs[i]);
    }
    return out;
  }

  /** The median of the rates of several rounds. */
  static double median(double[] xs) {
    double[] s = xs.clone();
    Arrays.sort(s);
    return s.length % 2 == 1 ? s[s.length / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
  }
}
