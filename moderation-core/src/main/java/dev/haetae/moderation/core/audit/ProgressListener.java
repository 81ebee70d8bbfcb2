package dev.haetae.moderation.core.audit;

/**
 * Receives progress of a long audit run (verify, replay, backtest, export), in bytes of log read.
 * Called from the thread running the audit; implementations need not be thread-safe.
 *
 * @since 0.1
 */
@FunctionalInterface
public interface ProgressListener {
  /** A listener that ignores progress. */
  ProgressListener NONE = (done, total) -> {};

  /**
   * Reports progress.
   *
   * @param bytesDone bytes of the log processed so far
   * @param bytesTotal bytes of the log in all, 0 for an empty log
   */
  void progress(long bytesDone, long bytesTotal);
}
