package dev.haetae.moderation.api;

/** Validation shared by the id records; not part of the public API. */
final class Ids {
  /** Hard upper bound on any id; the engine's {@link Limits#maxIdChars()} may be lower. */
  static final int MAX_ID_CHARS = 1024;

  private Ids() {}

  static void check(String field, String value) {
    if (value == null) {
      throw new InvalidRequestException(field, "must not be null");
    }
    if (value.isBlank()) {
      throw new InvalidRequestException(field, "must not be blank");
    }
    if (value.length() > MAX_ID_CHARS) {
      throw new LimitExceededException(field, MAX_ID_CHARS, value.length());
    }
  }
}
