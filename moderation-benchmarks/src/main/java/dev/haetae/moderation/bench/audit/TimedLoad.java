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

  /** Operations done and the nanoseconds they took. */
  record Result(long done, long elapsedNanos) {
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
        int i = worker * stride;
        while (!stop.get()) {
          op.run(worker, i);
          done.increment();
          i++;
        }
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
    return new Result(done.sum(), System.nanoTime() - t0);
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
