package dev.haetae.moderation.api;

/**
 * What the engine does when a policy throws, returns nothing, or exceeds its time budget.
 *
 * <p>Each constant has a lower-case wire name (its name in lower case) used in event streams, logs
 * and exports.
 *
 * @since 0.1
 */
public enum FailMode {
  /** Queue the content for human review at normal priority (the default): a broken policy never silently allows or removes. */
  REVIEW,
  /** Treat the policy as having no opinion; use only for policies whose absence is harmless. */
  IGNORE;

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
  public static FailMode fromWire(String wire) {
    return WireName.parse(FailMode.class, "failMode", wire);
  }
}
