package dev.haetae.moderation.api;

/**
 * Thrown when content bytes handed to Haetae for fingerprinting cannot be decoded as an image.
 * Subtypes say why: {@link EmptyContentException} (no bytes), {@link UnsupportedFormatException}
 * (not an image format Haetae reads) and {@link CorruptContentException} (a known format whose
 * data is truncated or damaged). Images over a configured limit are rejected with a
 * {@link LimitExceededException} instead, before any pixel is decoded.
 *
 * <p>{@link #field()} is the field the content came from (e.g. {@code "content"} or a file name
 * given by the caller). Immutable and safe to share between threads once thrown.
 *
 * @since 0.1
 */
public class ContentDecodeException extends InvalidRequestException {
  private static final long serialVersionUID = 1L;

  /**
   * Creates the exception.
   *
   * @param field the field (or file) the content came from; not null
   * @param problem what is wrong with it; not null
   * @param cause the decoder's own failure; may be null
   */
  public ContentDecodeException(String field, String problem, Throwable cause) {
    super(field, problem);
    if (cause != null) {
      initCause(cause);
    }
  }
}
