package dev.haetae.moderation.api;

/**
 * Thrown when content to fingerprint as an image has no bytes at all (a zero-byte file or an
 * empty upload).
 *
 * @since 0.1
 */
public class EmptyContentException extends ContentDecodeException {
  private static final long serialVersionUID = 1L;

  /**
   * Creates the exception.
   *
   * @param field the field (or file) the content came from; not null
   */
  public EmptyContentException(String field) {
    super(field, "is empty (0 bytes)", null);
  }
}
