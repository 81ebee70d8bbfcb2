package dev.haetae.moderation.api.observe;

import java.util.Objects;

/**
 * One group-commit batch a decision log made durable: how many records went into one durable
 * write (one {@code fsync}, one database transaction, one producer transaction) and how long that
 * write took. Immutable and thread-safe.
 *
 * <p>The batch size shows how much concurrent appends are being grouped: 1 under a light load,
 * growing towards the log's maximum batch when appends queue behind a slow disk or database.
 *
 * @param log the kind of log: {@code file}, {@code postgres}, {@code kafka}, or a host log's own
 *     name; not null
 * @param records the records in the batch, one or more
 * @param nanos nanoseconds from the start of the batch's write until it was durable, zero or more
 * @since 0.2
 */
public record LogBatch(String log, int records, long nanos) {
  /**
   * Validates.
   *
   * @param log the log component, as described on the record
   * @param records the records component, as described on the record
   * @param nanos the nanos component, as described on the record
   * @throws NullPointerException when {@code log} is null
   * @throws IllegalArgumentException when {@code records} is below 1 or {@code nanos} negative
   */
  public LogBatch {
    Objects.requireNonNull(log, "log");
    if (records < 1) {
      throw new IllegalArgumentException("records must be at least 1: " + records);
    }
    if (nanos < 0) {
      throw new IllegalArgumentException("nanos is negative: " + nanos);
    }
  }
}
