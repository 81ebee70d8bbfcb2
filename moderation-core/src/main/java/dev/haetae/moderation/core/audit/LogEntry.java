package dev.haetae.moderation.core.audit;

/**
 * One record read back from a decision log: a decision ({@link LoggedRecord}) or an event
 * ({@link LoggedEvent}). Immutable and thread-safe.
 *
 * @since 0.2
 */
public sealed interface LogEntry permits LoggedRecord, LoggedEvent {
  /**
   * The record's sequence number.
   *
   * @return from 0
   */
  long seq();

  /**
   * The segment (file or shard) the record is in.
   *
   * @return the name; never null
   */
  String segment();

  /**
   * The line number in the segment.
   *
   * @return from 1
   */
  long line();

  /**
   * The record's SHA-256, the chain link.
   *
   * @return 64 hex digits; never null
   */
  String hash();

  /**
   * Where the record is, for messages: {@code segment-…jsonl line 12 (seq 11)}.
   *
   * @return the location; never null
   */
  default String location() {
    return segment() + " line " + line() + " (seq " + seq() + ")";
  }
}
