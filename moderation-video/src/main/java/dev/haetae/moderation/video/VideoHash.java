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
}
