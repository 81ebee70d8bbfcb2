package dev.haetae.moderation.video;

import dev.haetae.moderation.api.InvalidRequestException;

/**
 * A span of a video, in seconds of presentation time, from the first to the last matched frame of
 * a run of consecutive sampled frames.
 *
 * @param fromSeconds the first frame's time; finite, not negative
 * @param toSeconds the last frame's time; at least {@code fromSeconds}
 * @since 0.1
 */
public record TimeRange(double fromSeconds, double toSeconds) {
  /**
   * Validates.
   *
   * @param fromSeconds the first frame's time
   * @param toSeconds the last frame's time
   * @throws InvalidRequestException when the bounds are not finite, negative or reversed
   */
  public TimeRange {
    if (!Double.isFinite(fromSeconds) || !Double.isFinite(toSeconds) || fromSeconds < 0 || toSeconds < fromSeconds) {
      throw new InvalidRequestException("timeRange", "must satisfy 0 <= from <= to, got " + fromSeconds + ".." + toSeconds);
    }
  }
}
