package dev.haetae.moderation.api;

import java.util.Optional;

/**
 * The fingerprints of one piece of content: exact digests of its bytes and, for images, a PDQ
 * perceptual hash. Either supplied by the host (who may have hashed on the client or in a media
 * pipeline) or computed by the engine from the content bytes.
 *
 * <p>Immutable and thread-safe.
 *
 * @param sha256 the SHA-256 of the original bytes, if known; not null
 * @param md5 the MD5 of the original bytes, if known; not null
 * @param pdq the PDQ measurement, if the content is an image and it was hashed; not null
 * @since 0.1
 */
public record Fingerprints(Optional<Sha256> sha256, Optional<Md5> md5, Optional<Pdq> pdq) {

  private static final Fingerprints NONE = new Fingerprints(Optional.empty(), Optional.empty(), Optional.empty());

  /**
   * Validates.
   *
   * @param sha256 the sha256 component, as described on the record
   * @param md5 the md5 component, as described on the record
   * @param pdq the pdq component, as described on the record
   * @throws InvalidRequestException when any component is null (use {@code Optional.empty()})
   */
  public Fingerprints {
    InvalidRequestException.requireNonNull("fingerprints.sha256", sha256);
    InvalidRequestException.requireNonNull("fingerprints.md5", md5);
    InvalidRequestException.requireNonNull("fingerprints.pdq", pdq);
  }

  /**
   * No fingerprints at all.
   *
   * @return the shared empty instance
   */
  public static Fingerprints none() {
    return NONE;
  }

  /**
   * Whether no fingerprint is known.
   *
   * @return true when all three are empty
   */
  public boolean isEmpty() {
    return sha256.isEmpty() && md5.isEmpty() && pdq.isEmpty();
  }

  /**
   * A copy with the given SHA-256.
   *
   * @param value the digest; not null
   * @return a new instance
   */
  public Fingerprints withSha256(Sha256 value) {
    return new Fingerprints(Optional.of(value), md5, pdq);
  }

  /**
   * A copy with the given MD5.
   *
   * @param value the digest; not null
   * @return a new instance
   */
  public Fingerprints withMd5(Md5 value) {
    return new Fingerprints(sha256, Optional.of(value), pdq);
  }

  /**
   * A copy with the given PDQ measurement.
   *
   * @param value the measurement; not null
   * @return a new instance
   */
  public Fingerprints withPdq(Pdq value) {
    return new Fingerprints(sha256, md5, Optional.of(value));
  }
}
