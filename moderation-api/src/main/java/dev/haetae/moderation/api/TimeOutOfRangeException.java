package dev.haetae.moderation.api;

import java.time.Instant;

/**
 * Thrown when an instant handed to Haetae lies outside the range it handles: from
 * {@link #EARLIEST} (1970-01-01T00:00:00Z, inclusive) to {@link #LATEST} (9000-01-01T00:00:00Z,
 * exclusive). Deadlines, escalations, retention periods and appeal windows are computed by adding
 * durations to such instants, and stores keep "nothing more to do" as a far-future instant; the
 * range leaves centuries of room below that, so no computation over time can overflow or run
 * without end. The checked instants are those of requests (a notice's receipt, an appeal's
 * information time, an account's creation and room joins), of event streams, and the clock's
 * instant when obligations are opened, fulfilled or ticked.
 *
 * <p>Immutable and safe to share between threads once thrown.
 *
 * @since 0.1
 */
public class TimeOutOfRangeException extends InvalidRequestException {
  private static final long serialVersionUID = 1L;

  /** The earliest instant accepted: the Unix epoch, 1970-01-01T00:00:00Z. */
  public static final Instant EARLIEST = Instant.EPOCH;

  /** The first instant no longer accepted: 9000-01-01T00:00:00Z. */
  public static final Instant LATEST = Instant.parse("9000-01-01T00:00:00Z");

  /** The instant seen. */
  private final Instant instant;

  /**
   * Creates the exception.
   *
   * @param field the dotted path of the offending field, e.g. {@code "notice.receivedAt"}; not null
   * @param instant the instant that was out of range; not null
   */
  public TimeOutOfRangeException(String field, Instant instant) {
    super(field, "is " + instant + ", outside the supported range " + EARLIEST + " (inclusive) to " + LATEST
        + " (exclusive)");
    this.instant = instant;
  }

  /**
   * The instant that was out of range.
   *
   * @return the instant; never null
   */
  public Instant instant() {
    return instant;
  }

  /**
   * Checks that an instant is within the supported range.
   *
   * @param field the field name used in the message; not null
   * @param instant the instant to check
   * @return {@code instant}
   * @throws InvalidRequestException when {@code instant} is null
   * @throws TimeOutOfRangeException when it is before {@link #EARLIEST} or not before {@link #LATEST}
   */
  public static Instant requireInRange(String field, Instant instant) {
    InvalidRequestException.requireNonNull(field, instant);
    if (instant.isBefore(EARLIEST) || !instant.isBefore(LATEST)) {
      throw new TimeOutOfRangeException(field, instant);
    }
    return instant;
  }
}
