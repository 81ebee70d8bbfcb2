package dev.haetae.moderation.core.simulate;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicReference;

/**
 * A UTC clock that stands still until it is set or advanced: what the simulator drives an engine
 * with, and what tests, replays and benchmarks use so that an engine's time is never the wall
 * clock. Thread-safe: readers see the latest instant set, and {@link #advance} is atomic.
 *
 * @since 0.1
 */
public final class SettableClock extends Clock {
  private final AtomicReference<Instant> now;

  /**
   * A clock showing {@code start}.
   *
   * @param start the first instant; not null
   * @throws NullPointerException when {@code start} is null
   */
  public SettableClock(Instant start) {
    this.now = new AtomicReference<>(Objects.requireNonNull(start, "start"));
  }

  /**
   * Sets the instant the clock shows (it may move backwards).
   *
   * @param instant the new instant; not null
   * @throws NullPointerException when {@code instant} is null
   */
  public void set(Instant instant) {
    now.set(Objects.requireNonNull(instant, "instant"));
  }

  /**
   * Moves the clock by {@code duration}.
   *
   * @param duration how far; not null (negative moves it back)
   * @return the new instant; never null
   * @throws NullPointerException when {@code duration} is null
   */
  public Instant advance(Duration duration) {
    Objects.requireNonNull(duration, "duration");
    return now.updateAndGet(t -> t.plus(duration));
  }

  /**
   * UTC.
   *
   * @return {@link ZoneOffset#UTC}
   */
  @Override
  public ZoneId getZone() {
    return ZoneOffset.UTC;
  }

  /**
   * This clock (its zone does not affect the instants it shows).
   *
   * @param zone ignored
   * @return this clock
   */
  @Override
  public Clock withZone(ZoneId zone) {
    return this;
  }

  /**
   * The instant last set.
   *
   * @return the instant; never null
   */
  @Override
  public Instant instant() {
    return now.get();
  }
}
