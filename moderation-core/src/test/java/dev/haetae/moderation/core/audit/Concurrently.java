package dev.haetae.moderation.core.audit;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CountDownLatch;

/**
 * Runs a body on several threads that start together (they wait on one latch), waits for all of them,
 * and returns what they threw: the shape of the log's concurrency tests.
 */
final class Concurrently {
  private Concurrently() {}

  /** The work of one thread; {@code thread} is its index, 0 to threads - 1. */
  interface Body {
    void run(int thread) throws Exception;
  }

  /**
   * Starts {@code threads} threads running {@code body}, releases them at once and joins them.
   *
   * @return what the threads threw, in no particular order; empty when none did
   */
  static List<Throwable> run(int threads, Body body) throws InterruptedException {
    CountDownLatch start = new CountDownLatch(1);
    List<Throwable> errors = Collections.synchronizedList(new ArrayList<>());
    List<Thread> ts = new ArrayList<>(threads);
    for (int t = 0; t < threads; t++) {
      int k = t;
      Thread th = new Thread(() -> {
        try {
          start.await();
          body.run(k);
        } catch (Throwable x) {
          errors.add(x);
        }
      });
      th.start();
      ts.add(th);
    }
    start.countDown();
    for (Thread th : ts) {
      th.join();
    }
    return new ArrayList<>(errors);
  }
}
