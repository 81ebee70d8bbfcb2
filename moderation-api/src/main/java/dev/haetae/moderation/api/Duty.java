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
  NOTIFY,
  /**
   * Assess the notice or appeal and decide, with reasons (e.g. a DSA Art. 16 notice, an Art. 20
   * complaint). An obligation whose duties include this but not {@link #REMOVE} or {@link #DISABLE}
   * is fulfilled by a review verdict, not by a removal.
   *
   * @since 0.1
   */
  REVIEW;

  /**
   * The lower-case wire name.
   *
   * @return the wire name; never null
   */
  public String wireName() {
    return WireName.of(this);
  }
}
