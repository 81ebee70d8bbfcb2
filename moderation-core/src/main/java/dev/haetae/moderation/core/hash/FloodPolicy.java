package dev.haetae.moderation.core.hash;

import dev.haetae.moderation.api.InvalidRequestException;
import java.time.Duration;

/**
 * When a bank entry counts as flooding: it matched at least {@code minMatches} times within one
 * {@code window} and more than {@code factor} times its baseline (an exponentially weighted mean of
 * its matches per window so far). A flooding entry is demoted to review-only and reported until a
 * person restores it, because a sudden burst of matches on one hash is far more often a bad hash (a
 * common meme, a logo, a blank frame) than a sudden epidemic.
 *
 * <p>Immutable and thread-safe.
 *
 * @param window the counting window; positive; default one hour
 * @param minMatches matches within a window below which an entry never floods; positive; default 50
 * @param factor how many times its baseline an entry must exceed; at least 1; default 10
 * @param enabled whether flood quarantine is on; default true
 * @since 0.1
 */
public record FloodPolicy(Duration window, long minMatches, double factor, boolean enabled) {

  private static final FloodPolicy DEFAULTS = new FloodPolicy(Duration.ofHours(1), 50, 10, true);

  /**
   * Validates.
   *
   * @param window the window component, as described on the record
   * @param minMatches the minMatches component, as described on the record
   * @param factor the factor component, as described on the record
   * @param enabled the enabled component, as described on the record
   * @throws InvalidRequestException when a value is out of range
   */
  public FloodPolicy {
    InvalidRequestException.requireNonNull("flood.window", window);
    if (window.isNegative() || window.isZero()) {
      throw new InvalidRequestException("flood.window", "must be positive, got " + window);
    }
    if (minMatches < 1) {
      throw new InvalidRequestException("flood.minMatches", "must be positive, got " + minMatches);
    }
    if (!(factor >= 1)) {
      throw new InvalidRequestException("flood.factor", "must be at least 1, got " + factor);
    }
  }

  /**
   * The defaults: one hour, 50 matches, 10 times the baseline.
   *
   * @return the shared default policy
   */
  public static FloodPolicy defaults() {
    return DEFAULTS;
  }

  /**
   * A policy that never quarantines.
   *
   * @return a disabled policy
   */
  public static FloodPolicy disabled() {
    return new FloodPolicy(DEFAULTS.window, DEFAULTS.minMatches, DEFAULTS.factor, false);
  }
}
