package dev.haetae.moderation.video;

import dev.haetae.moderation.api.InvalidRequestException;
import java.util.List;

/**
 * The vPDQ hash of a video: the PDQ hashes of its sampled frames in presentation order. vPDQ
 * compares two videos as bags of frames, so a clip cut from a video, or a video with other
 * material around it, still shares most frames with the original.
 *
 * @param frames the frame hashes, in increasing frame number; not null, copied; may be empty
 * @since 0.1
 */
public record VideoHash(List<FrameHash> frames) {

  /**
   * Validates and copies.
   *
   * @param frames the frame hashes, in increasing frame number; not null, copied
   * @throws InvalidRequestException when {@code frames} or an element is null, or frame numbers
   *     do not increase
   */
  public VideoHash {
    InvalidRequestException.requireNonNull("frames", frames);
    frames = List.copyOf(frames);
    for (int i = 1; i < frames.size(); i++) {
      if (frames.get(i).frameNumber() <= frames.get(i - 1).frameNumber()) {
        throw new InvalidRequestException("frames", "frame numbers must increase, got "
            + frames.get(i - 1).frameNumber() + " then " + frames.get(i).frameNumber());
      }
    }
  }

  /**
   * The frames within a time window, for instance a clip cut from this video.
   *
   * @param fromSeconds the window's start, inclusive
   * @param toSeconds the window's end, exclusive
   * @return the frames whose timestamp lies in the window, numbers unchanged; never null
   */
  public VideoHash between(double fromSeconds, double toSeconds) {
    return new VideoHash(frames.stream()
        .filter(f -> f.timestampSeconds() >= fromSeconds && f.timestampSeconds() < toSeconds).toList());
  }

  /**
   * This hash without near-identical consecutive frames: walking the frames in order, a frame whose
   * hash is within {@code maxDistance} bits of the last frame kept is dropped (comparing with the
   * last frame kept, not the previous one, so a slow pan is not pruned away bit by bit). The first
   * frame is always kept; frame numbers and timestamps are unchanged.
   *
   * @param maxDistance 0..256 bits; 0 drops only exact repeats
   * @return the pruned hash; never null; this hash when nothing was dropped
   * @throws InvalidRequestException when {@code maxDistance} is outside 0..256
   */
  public VideoHash pruned(int maxDistance) {
    if (maxDistance < 0 || maxDistance > 256) {
      throw new InvalidRequestException("maxDistance", "must be within 0..256 bits, got " + maxDistance);
    }
    List<FrameHash> kept = new java.util.ArrayList<>(frames.size());
    FrameHash last = null;
    for (FrameHash f : frames) {
      if (last == null || last.hash().distance(f.hash()) > maxDistance) {
        kept.add(f);
        last = f;
      }
    }
    return kept.size() == frames.size() ? this : new VideoHash(kept);
  }
}
