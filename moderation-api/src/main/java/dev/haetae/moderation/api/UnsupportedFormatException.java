package dev.haetae.moderation.api;

/**
 * Thrown when content is not in an image format Haetae can decode: its leading bytes match none of
 * JPEG, PNG, GIF, BMP or WebP (whatever its file name or declared media type says), or it is such a
 * format in a variant no installed decoder supports (for example a lossless WebP feature the
 * decoder lacks).
 *
 * @since 0.1
 */
public class UnsupportedFormatException extends ContentDecodeException {
  private static final long serialVersionUID = 1L;

  /**
   * Creates the exception.
   *
   * @param field the field (or file) the content came from; not null
   * @param problem what was recognised and why it is not supported; not null
   * @param cause the decoder's own failure; may be null
   */
  public UnsupportedFormatException(String field, String problem, Throwable cause) {
    super(field, problem, cause);
  }
}
