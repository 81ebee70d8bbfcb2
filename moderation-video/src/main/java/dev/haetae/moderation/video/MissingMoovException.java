package dev.haetae.moderation.video;

import dev.haetae.moderation.api.CorruptContentException;

/**
 * Thrown when an MP4 file has no {@code moov} box, the index of its samples: the upload was cut
 * before the writer added it at the end, or the file is a fragmented MP4 (not decoded). Nothing of
 * the video can be decoded without it. Immutable and safe to share between threads once thrown.
 *
 * @since 0.1
 */
public class MissingMoovException extends CorruptContentException {
  private static final long serialVersionUID = 1L;

  /**
   * Creates the exception.
   *
   * @param field the field (or file) the video came from; not null
   */
  public MissingMoovException(String field) {
    super(field, "has no moov box (cut before its index was written, or a fragmented MP4)", null);
  }
}
