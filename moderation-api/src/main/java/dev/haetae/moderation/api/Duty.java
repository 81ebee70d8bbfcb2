package dev.haetae.moderation.api;

/**
 * A duty that a legal instrument places on the platform once a valid notice arrives.
 *
 * @since 0.1
 */
public enum Duty {
  /** Remove the content. */
  REMOVE,
  /** Disable access to it (e.g. geo-block) without deleting it. */
  DISABLE,
  /** Report it to an authority. */
  REPORT,
  /** Preserve it as evidence for a period. */
  PRESERVE,
  /** Notify the uploader with a statement of reasons. */
  NOTIFY;

  /**
   * The lower-case wire name.
   *
   * @return the wire name; never null
   */
  public String wireName() {
    return WireName.of(this);
  }
}
