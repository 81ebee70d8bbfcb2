package dev.haetae.moderation.api.observe;

import java.time.Instant;
import java.util.Objects;

/**
 * How far a bank follower (an instance applying a shared bank's change feed, e.g. from PostgreSQL
 * or Kafka) is behind the feed. Immutable and thread-safe.
 *
 * <p>{@link #behind()} is the number of feed positions known but not yet applied; it is 0 when the
 * follower has applied everything it knows of. {@link #lastApplied()} is when the follower last
 * applied a change (or loaded the bank): a follower that is behind and has not applied anything for
 * long is stuck, while one that is not behind is simply idle.
 *
 * @param bank the bank's id; not null
 * @param applied the feed position (change id, offset) last applied, -1 when none
 * @param newest the newest feed position the follower knows of, at least {@code applied}
 * @param lastApplied when the follower last applied a change or loaded the bank; not null
 * @since 0.2
 */
public record FollowerLag(String bank, long applied, long newest, Instant lastApplied) {
  /**
   * Validates.
   *
   * @param bank the bank component, as described on the record
   * @param applied the applied component, as described on the record
   * @param newest the newest component, as described on the record
   * @param lastApplied the lastApplied component, as described on the record
   * @throws NullPointerException when a reference component is null
   * @throws IllegalArgumentException when {@code applied} is below -1 or {@code newest} below
   *     {@code applied}
   */
  public FollowerLag {
    Objects.requireNonNull(bank, "bank");
    Objects.requireNonNull(lastApplied, "lastApplied");
    if (applied < -1) {
      throw new IllegalArgumentException("applied is below -1: " + applied);
    }
    if (newest < applied) {
      throw new IllegalArgumentException("newest (" + newest + ") is below applied (" + applied + ")");
    }
  }

  /**
   * The feed positions known but not applied yet.
   *
   * @return {@code newest - applied}, zero or more
   */
  public long behind() {
    return newest - applied;
  }
}
