package dev.haetae.moderation.api;

/**
 * The priority of a review queue item.
 *
 * <p>Each constant has a lower-case wire name (its name in lower case) used in event streams, logs
 * and exports.
 *
 * @since 0.1
 */
public enum Priority {
  /** Look at it when there is time. */
  LOW,
  /** The ordinary queue. */
  NORMAL,
  /** Ahead of ordinary items. */
  HIGH,
  /** Now: a legal clock or a likely victim is waiting. */
  URGENT;

  /**
   * The lower-case wire name, e.g. in event streams and logs.
   *
   * @return the wire name; never null
   */
  public String wireName() {
    return WireName.of(this);
  }

  /**
   * Parses a wire name (case-insensitive).
   *
   * @param wire the wire name; not null
   * @return the constant
   * @throws InvalidRequestException naming the allowed values when {@code wire} is null or unknown
   */
  public static Priority fromWire(String wire) {
    return WireName.parse(Priority.class, "priority", wire);
  }
}
