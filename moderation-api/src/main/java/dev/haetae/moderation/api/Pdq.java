package dev.haetae.moderation.api;

import java.util.List;

/**
 * A PDQ measurement of one image: the hash, its quality, and the query variants a matcher should
 * also try (dihedral rotations and flips, border-trimmed versions) so that re-shared copies still
 * match.
 *
 * <p>Immutable and thread-safe; the variant list is copied.
 *
 * @param hash the PDQ hash of the image as given; not null
 * @param quality the PDQ quality score, 0..100 (below about 50 the hash is unreliable); or -1 when
 *     the host supplied the hash without a quality
 * @param queryVariants further hashes of the same image to try at query time; not null, may be
 *     empty; never includes {@code hash} itself
 * @since 0.1
 */
public record Pdq(PdqHash hash, int quality, List<PdqHash> queryVariants) {

  /** Quality value meaning "not known" (a host-supplied hash). */
  public static final int UNKNOWN_QUALITY = -1;

  /**
   * Validates and copies.
   *
   * @param hash the hash component, as described on the record
   * @param quality the quality component, as described on the record
   * @param queryVariants the queryVariants component, as described on the record
   * @throws InvalidRequestException when {@code hash} or {@code queryVariants} is null or
   *     {@code quality} is outside -1..100
   */
  public Pdq {
    InvalidRequestException.requireNonNull("pdq.hash", hash);
    InvalidRequestException.requireNonNull("pdq.queryVariants", queryVariants);
    if (quality < UNKNOWN_QUALITY || quality > 100) {
      throw new InvalidRequestException("pdq.quality", "must be -1 (unknown) or 0..100, got " + quality);
    }
    queryVariants = List.copyOf(queryVariants);
  }

  /**
   * A host-supplied hash with unknown quality and no variants.
   *
   * @param hash the hash; not null
   * @return the measurement
   */
  public static Pdq of(PdqHash hash) {
    return new Pdq(hash, UNKNOWN_QUALITY, List.of());
  }
}
