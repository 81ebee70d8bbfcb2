package dev.haetae.moderation.core.decide;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.CancellationException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs host code (policy plugins, signal providers) on worker threads under a time budget, and
 * keeps code that does not stop from using the workers up.
 *
 * <ul>
 *   <li><b>Budgets.</b> A call is waited for at most its budget from when it starts running, and at
 *       most {@link #MAX_QUEUE_BUDGETS} budgets in the queue; then it is abandoned (interrupted).
 *   <li><b>Stuck threads are replaced.</b> A call abandoned while running holds its thread until it
 *       returns, which code that ignores interrupts never does. For each such thread the pool grows
 *       by one, up to {@code maxReplacements} threads beyond its base size, and shrinks again when
 *       the call finally returns; so the other calls keep their workers.
 *   <li><b>Breakers.</b> Code that times out {@code tripAfter} times in a row is tripped: for
 *       {@code coolDown} (by the injected clock) it is not called at all and its callers apply its
 *       fail mode at once. After the cool-down one probe call is let through (only while stuck
 *       threads and probes in flight are fewer than {@code maxReplacements}, so a probe that hangs
 *       too is replaced): if it finishes in time the code is re-admitted, otherwise it is tripped
 *       again. Only time-outs count: a call that throws
 *       costs no thread.
 * </ul>
 *
 * <p>Thread-safe. Not part of the exported API: the engine builds one and reports its {@link
 * #health()}.
 */
public final class Guard implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(Guard.class);

  /** How many budgets a call may wait for a worker thread before it counts as timed out. */
  public static final long MAX_QUEUE_BUDGETS = 20;

  /** The longest time budget a policy or signal provider may have: one minute. */
  public static final Duration MAX_BUDGET = Duration.ofMinutes(1);

  /** The budget used when a policy's own cannot be read. */
  public static final Duration DEFAULT_BUDGET = Duration.ofMillis(500);

  /**
   * A budget clamped into (0, {@link #MAX_BUDGET}]: null gives {@link #DEFAULT_BUDGET}, zero or
   * negative one millisecond. The engine refuses such budgets when a policy or provider is
   * registered; this guards against one that goes bad afterwards.
   *
   * @param d the budget, or null
   * @return the clamped budget; never null
   */
  public static Duration clampBudget(Duration d) {
    if (d == null) {
      return DEFAULT_BUDGET;
    }
    if (d.isNegative() || d.isZero()) {
      return Duration.ofMillis(1);
    }
    return d.compareTo(MAX_BUDGET) > 0 ? MAX_BUDGET : d;
  }

  /**
   * Rethrows the errors isolation does not contain: {@link VirtualMachineError}s other than {@link
   * StackOverflowError} (out of memory, internal errors), after which the JVM itself is in doubt. A
   * {@link StackOverflowError} has unwound the plugin's stack when it is caught, so it is contained
   * like any other {@link Error} ({@link LinkageError}, {@link AssertionError}...) and {@link
   * RuntimeException}.
   *
   * @param e the throwable, or null
   */
  public static void rethrowFatal(Throwable e) {
    if (e instanceof VirtualMachineError && !(e instanceof StackOverflowError)) {
      throw (VirtualMachineError) e;
    }
  }

  /**
   * A throwable's class and message, the message cut at 500 characters (a hostile plugin's message
   * could be any size, and its {@code getMessage} could throw).
   *
   * @param e the throwable, or null
   * @return the description; never null
   */
  public static String describe(Throwable e) {
    if (e == null) {
      return "unknown error";
    }
    String m;
    try {
      m = e.getMessage();
    } catch (RuntimeException x) {
      m = null;
    }
    return e.getClass().getName() + (m == null ? "" : ": " + (m.length() > 500 ? m.substring(0, 500) + "..." : m));
  }

  private final ThreadPoolExecutor pool;
  private final int baseThreads;
  private final int maxReplacements;
  private final int tripAfter;
  private final Duration coolDown;
  private final Clock clock;
  private volatile Map<Object, Breaker> breakers;
  private final AtomicInteger stuck = new AtomicInteger();
  private final AtomicInteger probes = new AtomicInteger();
  private final AtomicLong replaced = new AtomicLong();
  private final Object resize = new Object();
  private final java.util.function.Function<Object, String> name;

  /**
   * A guard with its own daemon worker threads.
   *
   * @param threads the base number of worker threads, at least 1
   * @param maxReplacements how many stuck threads are replaced at most, at least 0
   * @param tripAfter consecutive time-outs that trip a breaker, at least 1
   * @param coolDown how long a tripped breaker stays open; positive
   * @param clock the clock of the cool-downs; not null
   * @param guarded the code to keep a breaker for (policies, providers), by identity; not null
   * @param name names a guarded object in logs and {@link #health()}; not null, must not throw
   */
  public Guard(int threads, int maxReplacements, int tripAfter, Duration coolDown, Clock clock,
      List<?> guarded, java.util.function.Function<Object, String> name) {
    this.name = name;
    this.baseThreads = threads;
    this.maxReplacements = maxReplacements;
    this.tripAfter = tripAfter;
    this.coolDown = coolDown;
    this.clock = clock;
    AtomicInteger n = new AtomicInteger();
    // core = max with core time-out: a ThreadPoolExecutor only grows past its core size when its
    // queue is full, so a core size of 0 would run every call on one thread, one after another.
    this.pool = new ThreadPoolExecutor(threads, threads, 30, TimeUnit.SECONDS,
        new LinkedBlockingQueue<>(threads * 64), r -> {
          Thread t = new Thread(r, "haetae-policy-" + n.incrementAndGet());
          t.setDaemon(true);
          return t;
        });
    pool.allowCoreThreadTimeOut(true);
    Map<Object, Breaker> m = new IdentityHashMap<>();
    for (Object o : guarded) {
      m.putIfAbsent(o, new Breaker());
    }
    this.breakers = m;
  }

  /**
   * Keeps a breaker for more code too (e.g. the policies of a configuration loaded at run time);
   * code that already has one keeps it. Thread-safe.
   *
   * @param more the code to keep a breaker for, by identity; not null
   */
  public synchronized void guard(List<?> more) {
    Map<Object, Breaker> m = new IdentityHashMap<>(breakers);
    for (Object o : more) {
      m.putIfAbsent(o, new Breaker());
    }
    this.breakers = m;
  }

  /** How a guarded call ended. */
  public enum Status {
    /** It returned in time. */
    DONE,
    /** It threw (see {@link Call#error()}). */
    THREW,
    /** It exceeded its budget, or waited too long for a worker. */
    TIMED_OUT,
    /** No worker thread could take it. */
    REJECTED,
    /** Its breaker is open: it was not called. */
    TRIPPED
  }

  /**
   * The end of one guarded call.
   *
   * @param <T> the call's result type
   * @param status how it ended; not null
   * @param value its result when {@link Status#DONE}, else null
   * @param error what it threw when {@link Status#THREW}, else null
   */
  public record Call<T>(Status status, T value, Throwable error) {}

  /**
   * A call submitted and not yet awaited.
   *
   * @param <T> the call's result type
   */
  public final class Pending<T> {
    private final Object key;
    private final long budget;
    private final boolean probe;
    private final Task<T> task;
    private final Future<T> future;
    private final long submitted = System.nanoTime();
    private final Status early;
    private boolean settled;

    private Pending(Object key, long budget, boolean probe, Task<T> task, Future<T> future, Status early) {
      this.key = key;
      this.budget = budget;
      this.probe = probe;
      this.task = task;
      this.future = future;
      this.early = early;
    }

    /**
     * Waits for the call, at most its budget from when it started (see the class comment).
     *
     * @return how it ended; never null
     * @throws InterruptedException when the waiting thread is interrupted (the call is abandoned)
     */
    public Call<T> await() throws InterruptedException {
      if (early != null) {
        return new Call<>(early, null, null);
      }
      try {
        T v = waitFor();
        settled = true;
        settle(key, probe, false);
        return new Call<>(Status.DONE, v, null);
      } catch (TimeoutException | CancellationException e) {
        giveUp();
        settled = true;
        settle(key, probe, true);
        return new Call<>(Status.TIMED_OUT, null, null);
      } catch (ExecutionException e) {
        settled = true;
        settle(key, probe, false);
        return new Call<>(Status.THREW, null, e.getCause());
      } catch (InterruptedException e) {
        abandon();
        throw e;
      }
    }

    /**
     * Gives the call up without waiting (its caller was interrupted): interrupts it, counts its
     * thread as stuck until it returns, and frees its probe slot without judging it.
     */
    public void abandon() {
      giveUp();
      if (probe && !settled) {
        settled = true;
        Breaker b = breakers.get(key);
        if (b != null) {
          b.release();
        }
        probes.decrementAndGet();
      }
    }

    private void giveUp() {
      if (task != null) {
        task.abandon();
        future.cancel(true);
      }
    }

    private T waitFor() throws InterruptedException, ExecutionException, TimeoutException {
      while (true) {
        long s = task.started;
        long now = System.nanoTime();
        long deadline = s != 0 ? s + budget : submitted + saturatedTimes(budget, MAX_QUEUE_BUDGETS);
        long left = deadline - now;
        try {
          return future.get(Math.max(0, s != 0 ? left : Math.min(left, budget)), TimeUnit.NANOSECONDS);
        } catch (TimeoutException e) {
          if (System.nanoTime() - deadline >= 0) {
            throw e;
          }
        }
      }
    }
  }

  private static long saturatedTimes(long a, long b) {
    long r = a * b;
    return r / b != a ? Long.MAX_VALUE / 4 : r;
  }

  /**
   * Submits a call, unless its breaker is open.
   *
   * @param key the guarded code (its breaker; code without one has none); not null
   * @param budget the time budget; positive
   * @param body the call; not null
   * @param <T> the result type
   * @return the pending call; never null
   */
  public <T> Pending<T> submit(Object key, Duration budget, Callable<T> body) {
    Breaker b = breakers.get(key);
    boolean probe = false;
    if (b != null) {
      Admission a = b.admit(clock.instant(), this::reserveProbe);
      if (a == Admission.REFUSE) {
        return new Pending<>(key, 0, false, null, null, Status.TRIPPED);
      }
      probe = a == Admission.PROBE;
      if (probe) {
        LOG.info("{} was tripped; its cool-down is over, trying one probe call", name.apply(key));
      }
    }
    Task<T> task = new Task<>(body);
    try {
      return new Pending<>(key, budget.toNanos(), probe, task, pool.submit(task), null);
    } catch (RejectedExecutionException e) {
      if (b != null && probe) {
        b.release();
        probes.decrementAndGet();
      }
      return new Pending<>(key, 0, false, null, null, Status.REJECTED);
    }
  }

  /**
   * Reserves room for a probe call: a probe may get stuck too, so probes in flight and stuck
   * threads together stay within the replacements (checked after the increment, so concurrent
   * admissions cannot overshoot).
   */
  private boolean reserveProbe() {
    if (stuck.get() + probes.incrementAndGet() > maxReplacements) {
      probes.decrementAndGet();
      return false;
    }
    return true;
  }

  private void settle(Object key, boolean probe, boolean timedOut) {
    Breaker b = breakers.get(key);
    if (b == null) {
      return;
    }
    if (probe) {
      probes.decrementAndGet();
    }
    Instant now = clock.instant();
    if (b.settle(now, probe, timedOut)) {
      LOG.warn("{} timed out {} times in a row and is tripped until {}: it runs in its fail mode without"
          + " being called", name.apply(key), tripAfter, now.plus(coolDown));
    } else if (probe && !timedOut) {
      LOG.info("{} answered its probe call in time and is re-admitted", name.apply(key));
    }
  }

  /**
   * The guard's state now.
   *
   * @return the tripped code, the stuck threads and the replacements made; never null
   */
  public Health health() {
    Instant now = clock.instant();
    List<Tripped> tripped = new ArrayList<>();
    for (Map.Entry<Object, Breaker> e : breakers.entrySet()) {
      Breaker b = e.getValue();
      synchronized (b) {
        if (b.openUntil != null) {
          tripped.add(new Tripped(name.apply(e.getKey()), b.openUntil, !now.isBefore(b.openUntil), b.trips));
        }
      }
    }
    tripped.sort(java.util.Comparator.comparing(Tripped::name));
    return new Health(tripped, stuck.get(), replaced.get(), maxReplacements, totalTrips());
  }

  private long totalTrips() {
    long t = 0;
    for (Breaker b : breakers.values()) {
      synchronized (b) {
        t += b.trips;
      }
    }
    return t;
  }

  /**
   * What {@link #health} reports of one tripped breaker.
   *
   * @param name the guarded code's name; not null
   * @param until the end of its cool-down; not null
   * @param probing whether the cool-down is over (the next call is a probe)
   * @param trips how often it was tripped
   */
  public record Tripped(String name, Instant until, boolean probing, long trips) {}

  /**
   * The guard's state.
   *
   * @param tripped the tripped breakers; not null
   * @param stuckThreads the worker threads held by abandoned calls now
   * @param replacedThreads how many worker threads were added for stuck ones, in total
   * @param maxReplacements the cap on stuck threads replaced at once
   * @param trips how many times breakers tripped, in total
   */
  public record Health(List<Tripped> tripped, int stuckThreads, long replacedThreads, int maxReplacements,
      long trips) {}

  /** Stops the workers (interrupting running calls). */
  @Override
  public void close() {
    pool.shutdownNow();
  }

  /** Whether the workers were stopped. */
  boolean isShutdown() {
    return pool.isShutdown();
  }

  private void stuckThread() {
    int n = stuck.incrementAndGet();
    if (n <= maxReplacements) {
      replaced.incrementAndGet();
    }
    resize();
  }

  private void threadFreed() {
    stuck.decrementAndGet();
    resize();
  }

  private void resize() {
    synchronized (resize) {
      if (pool.isShutdown()) {
        return;
      }
      int target = baseThreads + Math.min(Math.max(0, stuck.get()), maxReplacements);
      if (target > pool.getMaximumPoolSize()) {
        pool.setMaximumPoolSize(target);
        pool.setCorePoolSize(target);
      } else if (target < pool.getMaximumPoolSize()) {
        pool.setCorePoolSize(target);
        pool.setMaximumPoolSize(target);
      }
    }
  }

  private static final int QUEUED = 0;
  private static final int RUNNING = 1;
  private static final int DONE = 2;
  private static final int GIVEN_UP = 3;
  private static final int STUCK = 4;

  /** A call with the state that tells whether its thread is stuck. */
  private final class Task<T> implements Callable<T> {
    private final Callable<T> body;
    private final AtomicInteger state = new AtomicInteger(QUEUED);
    volatile long started;

    Task(Callable<T> body) {
      this.body = body;
    }

    @Override
    public T call() throws Exception {
      if (!state.compareAndSet(QUEUED, RUNNING)) {
        return null;
      }
      started = System.nanoTime();
      try {
        return body.call();
      } finally {
        if (!state.compareAndSet(RUNNING, DONE)) {
          threadFreed();
        }
      }
    }

    void abandon() {
      if (!state.compareAndSet(QUEUED, GIVEN_UP) && state.compareAndSet(RUNNING, STUCK)) {
        stuckThread();
      }
    }
  }

  private enum Admission {
    CALL,
    PROBE,
    REFUSE
  }

  /** One guarded object's breaker. */
  private final class Breaker {
    private int timeouts;
    private Instant openUntil;
    private boolean probing;
    private long trips;

    synchronized Admission admit(Instant now, java.util.function.BooleanSupplier reserve) {
      if (openUntil == null) {
        return Admission.CALL;
      }
      if (now.isBefore(openUntil) || probing || !reserve.getAsBoolean()) {
        return Admission.REFUSE;
      }
      probing = true;
      return Admission.PROBE;
    }

    synchronized void release() {
      probing = false;
    }

    /** Records a call's end; true when this trips the breaker. */
    synchronized boolean settle(Instant now, boolean probe, boolean timedOut) {
      if (probe) {
        probing = false;
      }
      if (!timedOut) {
        timeouts = 0;
        if (probe) {
          openUntil = null;
        }
        return false;
      }
      timeouts++;
      if (probe || (openUntil == null && timeouts >= tripAfter)) {
        openUntil = now.plus(coolDown);
        trips++;
        return true;
      }
      return false;
    }
  }
}
