package dev.haetae.moderation.video;

import dev.haetae.moderation.api.InvalidRequestException;
import dev.haetae.moderation.api.PdqHash;
import java.util.List;

/**
 * The PDQ hash of one video frame, as vPDQ records it: the frame's number in presentation order
 * (counting every frame of the video, also the ones sampling skipped), the hash, its quality
 * (0..100) and the frame's presentation time. {@code insideBorder} holds the hashes of the frame's
 * content inside letterbox or pillarbox bars when the hasher was asked for them (query side only;
 * never serialised).
 *
 * @param frameNumber the frame's 0-based number in presentation order; not negative
 * @param hash the frame's PDQ hash; not null
 * @param quality the PDQ quality, 0..100
 * @param timestampSeconds the presentation time in seconds; finite, not negative
 * @param insideBorder hashes of the frame inside its bars; not null, copied; empty when none
 * @since 0.1
 */
public record FrameHash(int frameNumber, PdqHash hash, int quality, double timestampSeconds,
    List<PdqHash> insideBorder) {

  /**
   * Validates and copies.
   *
   * @param frameNumber the frame's 0-based number in presentation order; not negative
   * @param hash the frame's PDQ hash; not null
   * @param quality the PDQ quality, 0..100
   * @param timestampSeconds the presentation time in seconds; finite, not negative
   * @param insideBorder hashes of the frame inside its bars; not null, copied
   * @throws InvalidRequestException when a component is null or out of range
   */
  public FrameHash {
    if (frameNumber < 0) {
      throw new InvalidRequestException("frameNumber", "must not be negative, got " + frameNumber);
    }
    InvalidRequestException.requireNonNull("hash", hash);
    if (quality < 0 || quality > 100) {
      throw new InvalidRequestException("quality", "must be within 0..100, got " + quality);
    }
    if (!Double.isFinite(timestampSeconds) || timestampSeconds < 0) {
      throw new InvalidRequestException("timestampSeconds", "must be finite and not negative, got " + timestampSeconds);
    }
    InvalidRequestException.requireNonNull("insideBorder", insideBorder);
    insideBorder = List.copyOf(insideBorder);
  }

  /**
   * A frame hash without border variants.
   *
   * @param frameNumber the frame's 0-based number in presentation order; not negative
   * @param hash the frame's PDQ hash; not null
   * @param quality the PDQ quality, 0..100
   * @param timestampSeconds the presentation time in seconds; finite, not negative
   * @throws InvalidRequestException when a component is null or out of range
   */
  public FrameHash(int frameNumber, PdqHash hash, int quality, double timestampSeconds) {
    this(frameNumber, hash, quality, timestampSeconds, List.of());
  }
}
