package dev.haetae.moderation.core.audit;

import java.util.Objects;

/**
 * An event record read back from a decision log, with its ids as the pseudonyms stored in the log.
 * Immutable and thread-safe.
 *
 * @param seq the record's sequence number, from 0
 * @param segment the segment's name; not null
 * @param line the line number in the segment, from 1
 * @param hash the record's SHA-256 (hex); not null
 * @param event the event; not null
 * @since 0.2
 */
public record LoggedEvent(long seq, String segment, long line, String hash, LogEvent event) implements LogEntry {
  /**
   * Validates.
   *
   * @param seq the seq component, as described on the record
   * @param segment the segment component, as described on the record
   * @param line the line component, as described on the record
   * @param hash the hash component, as described on the record
   * @param event the event component, as described on the record
   * @throws NullPointerException when a reference component is null
   */
  public LoggedEvent {
    Objects.requireNonNull(segment, "segment");
    Objects.requireNonNull(hash, "hash");
    Objects.requireNonNull(event, "event");
  }
}
