package dev.haetae.moderation.api;

/**
 * Thrown when content is recognised as a supported image format but its data cannot be decoded:
 * the file is truncated, a header is inconsistent (e.g. a zero or negative dimension), or the
 * compressed data is damaged. The message says what the decoder reported.
 *
 * @since 0.1
 */
public class CorruptContentException extends ContentDecodeException {
  private static final long serialVersionUID = 1L;

  /**
   * Creates the exception.
   *
   * @param field the field (or file) the content came from; not null
   * @param problem what is wrong with the data; not null
   * @param cause the decoder's own failure; may be null
   */
  public CorruptContentException(String field, String problem, Throwable cause) {
    super(field, problem, cause);
  }
}
