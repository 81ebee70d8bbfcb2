package dev.haetae.moderation.core.banks;

/**
 * Why a record of a hash list was skipped: the classes of junk that shared lists are known to
 * carry (hashing-programme users report all-zero and low-quality PDQ hashes, duplicates, and hashes
 * of the wrong length), plus the syntax problems of each format.
 *
 * @since 0.1
 */
public enum ProblemKind {
  /** The record is not of the format's shape: a missing field, an unterminated quote, a bad page. */
  MALFORMED,
  /** The hash has the wrong number of hex digits for its type. */
  WRONG_LENGTH,
  /** The hash holds a character that is not a hex digit. */
  NOT_HEX,
  /** A PDQ hash of all zeros or all ones: no real image produces one. */
  DEGENERATE_PDQ,
  /** A PDQ hash whose stated quality is below the banking threshold (50). */
  LOW_QUALITY_PDQ,
  /** The same type, hash, state and case id as an earlier record of the same import. */
  DUPLICATE,
  /** A status the format does not define: never taken as active. */
  UNKNOWN_STATUS,
  /** A time that cannot be read. */
  BAD_TIME,
  /** A field longer than the reader's limit. */
  TOO_LONG
}
