package dev.haetae.moderation.video;

import dev.haetae.moderation.api.CorruptContentException;
import dev.haetae.moderation.api.LimitExceededException;
import dev.haetae.moderation.api.ModerationException;
import java.io.IOException;
import java.time.Clock;
import java.util.concurrent.Callable;
import java.util.concurrent.CancellationException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.FutureTask;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Runs one decode on its own daemon thread while the caller waits up to the decode deadline; turns
 * a decoder library's failure on damaged data into a {@link CorruptContentException}. Decoders
 * (JCodec's CABAC reader, found by the fuzz test) can loop forever inside one frame, where no
 * check between frames reaches them.
 */
final class DecodeThread {
  /** Decoding threads past their deadline that could not be stopped, since the class loaded. */
  static final AtomicLong ABANDONED = new AtomicLong();

  /**
   * Bytes the last decode thread started by the calling thread allocated, where the JVM measures
   * it (the fuzz tests bound it); -1 when unknown or the decode did not finish.
   */
  static final ThreadLocal<Long> LAST_ALLOCATED = ThreadLocal.withInitial(() -> -1L);

  private DecodeThread() {}

  private static long allocatedByThisThread() {
    java.lang.management.ThreadMXBean mx = java.lang.management.ManagementFactory.getThreadMXBean();
    if (mx instanceof com.sun.management.ThreadMXBean hs && hs.isThreadAllocatedMemorySupported()
        && hs.isThreadAllocatedMemoryEnabled()) {
      return hs.getCurrentThreadAllocatedBytes();
    }
    return -1;
  }

  static <T> T run(String field, VideoLimits limits, Clock clock, long started, Callable<T> decode) {
    long deadline = limits.decodeDeadline().toMillis();
    LAST_ALLOCATED.set(-1L);
    long[] allocated = {-1};
    FutureTask<T> task = new FutureTask<>(() -> {
      long before = allocatedByThisThread();
      try {
        return decode.call();
      } finally {
        allocated[0] = before < 0 ? -1 : allocatedByThisThread() - before;
      }
    });
    Thread worker = new Thread(task, "haetae-video-decode");
    worker.setDaemon(true);
    worker.start();
    try {
      T result = task.get(deadline, TimeUnit.MILLISECONDS);
      LAST_ALLOCATED.set(allocated[0]);
      return result;
    } catch (TimeoutException e) {
      stop(worker);
      throw new LimitExceededException("video.decodeMillis", deadline, Math.max(deadline, clock.millis() - started));
    } catch (InterruptedException e) {
      stop(worker);
      Thread.currentThread().interrupt();
      throw new CancellationException("interrupted while decoding " + field);
    } catch (ExecutionException e) {
      LAST_ALLOCATED.set(allocated[0]);
      Throwable cause = e.getCause();
      if (cause instanceof ModerationException m) {
        throw m;
      }
      if (cause instanceof IOException || cause instanceof RuntimeException || cause instanceof StackOverflowError) {
        // the decoder's reaction to damaged data: index, buffer, null-pointer and arithmetic failures
        throw new CorruptContentException(field, "cannot be decoded: " + cause, cause);
      }
      if (cause instanceof Error err) {
        throw err;
      }
      throw new CorruptContentException(field, "cannot be decoded: " + cause, cause);
    }
  }

  /**
   * Stops a decoding thread that overran the deadline. {@code Thread.stop} ends it on Java 17 to 19;
   * later JDKs refuse it, and the daemon thread is left running (the host's process or pool must
   * then be recycled: the video guide says so).
   */
  @SuppressWarnings({"deprecation", "removal"})
  private static void stop(Thread worker) {
    worker.interrupt();
    try {
      worker.stop();
    } catch (UnsupportedOperationException | SecurityException e) {
      ABANDONED.incrementAndGet();
    }
  }
}
