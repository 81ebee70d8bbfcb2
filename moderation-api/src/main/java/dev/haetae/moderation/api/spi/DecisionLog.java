package dev.haetae.moderation.api.spi;

import dev.haetae.moderation.api.Decision;
import dev.haetae.moderation.api.Evidence;

/**
 * The append-only record of every decision with its evidence. The engine appends a decision
 * before handing any action to the host: when {@link #append} returns, the record must be durable
 * (e.g. fsync'ed, or committed to a database).
 *
 * <p><b>Privacy.</b> Implementations store people and content only as keyed pseudonyms and
 * content only by hash, never the raw ids or bytes.
 *
 * <p><b>Thread safety.</b> {@link #append} is called concurrently from every evaluating thread;
 * implementations must give each record a unique position (no lost or duplicated records) and may
 * batch concurrent appends into one durable write (group commit).
 *
 * @since 0.1
 */
public interface DecisionLog extends AutoCloseable {

  /**
   * Appends one record and makes it durable.
   *
   * @param evidence the evidence the decision was made on; never null
   * @param decision the decision; never null
   * @return the record's sequence number in the log, starting at 0
   * @throws dev.haetae.moderation.api.DecisionLogException when the record could not be made
   *     durable; the engine then does not act on the decision
   */
  long append(Evidence evidence, Decision decision);

  /**
   * Tells this log where to report the batches it makes durable: after each group-commit batch,
   * the log calls {@link dev.haetae.moderation.api.observe.EngineListener#logBatchWritten} on the
   * writing thread, outside its lock. The engine calls this once, when it is built with a listener;
   * the listener it passes catches its own exceptions. A later call replaces the listener. The
   * default does nothing: a log that does not batch, or does not say, reports nothing.
   *
   * @param listener the listener; not null
   * @since 0.2
   */
  default void observe(dev.haetae.moderation.api.observe.EngineListener listener) {}

  /**
   * Closes the log, flushing anything buffered. Appends after close fail.
   *
   * @throws dev.haetae.moderation.api.DecisionLogException when closing fails
   */
  @Override
  void close();

  /** A log that keeps nothing, for tests and benchmarks that measure everything else. */
  DecisionLog DISCARD = new DecisionLog() {
    private final java.util.concurrent.atomic.AtomicLong seq = new java.util.concurrent.atomic.AtomicLong();

    @Override
    public long append(Evidence evidence, Decision decision) {
      return seq.getAndIncrement();
    }

    @Override
    public void close() {}
  };
}
