package dev.haetae.moderation.video;

import dev.haetae.moderation.api.CorruptContentException;

/**
 * Thrown when an MP4 file ends inside a box or a sample, or an animated WebP inside a chunk: the
 * upload was cut short. Immutable and safe to share between threads once thrown.
 *
 * @since 0.1
 */
public class TruncatedVideoException extends CorruptContentException {
  private static final long serialVersionUID = 1L;

  /**
   * Creates the exception.
   *
   * @param field the field (or file) the video came from; not null
   * @param problem what ends where; not null
   */
  public TruncatedVideoException(String field, String problem) {
    super(field, problem, null);
  }
}
