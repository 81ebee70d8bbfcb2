package dev.haetae.moderation.core.audit;

import dev.haetae.moderation.api.DecisionLogException;

/**
 * Thrown when a log writer refuses to open a log whose damage is not a torn tail: a record that
 * fails its hash or its chain before the end, or one that a signed checkpoint covers; records or
 * segments removed while the checkpoints that covered them remain; a log that ends before a
 * checkpoint its {@link CheckpointAnchor} holds. Appending after such damage would drop signed
 * records and reuse their sequence numbers, so nothing is changed: verify the log
 * ({@code haetae verify}), keep it as evidence, and start a new log elsewhere.
 *
 * <p>Only a torn, unsigned, unacknowledged tail is truncated on reopening: the end of the last
 * segment after its last complete record, made of an incomplete line (and zero-filled lines), all
 * of it after the last checkpoint. Immutable and safe to share between threads once thrown.
 *
 * @since 0.2
 */
public class DamagedLogException extends DecisionLogException {
  private static final long serialVersionUID = 1L;

  /** The file that holds the damage. */
  private final String file;
  /** The first sequence number affected, or -1. */
  private final long seq;

  /**
   * Creates the exception.
   *
   * @param file the segment (or side file) that holds the damage; not null
   * @param seq the first sequence number affected, or -1 when none applies
   * @param message what is damaged and why the log is not opened; not null
   */
  public DamagedLogException(String file, long seq, String message) {
    super(message, null);
    this.file = file;
    this.seq = seq;
  }

  /**
   * The file that holds the damage.
   *
   * @return the file name; never null
   */
  public String file() {
    return file;
  }

  /**
   * The first sequence number affected.
   *
   * @return the sequence number, or -1 when none applies
   */
  public long seq() {
    return seq;
  }
}
