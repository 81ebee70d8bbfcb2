package dev.haetae.moderation.core.engine;

import dev.haetae.moderation.api.Category;
import dev.haetae.moderation.api.ExternalHit;
import dev.haetae.moderation.api.InvalidRequestException;

/** The checks of the API's external-hit record, reused for matcher ids and declared types. */
final class ExternalHitChecks {
  private ExternalHitChecks() {}

  /** Checks a signal type token, throwing the record's exception. */
  static String type(String t) {
    return new ExternalHit(t, "-", "-", 0, ExternalHit.Measure.DISTANCE, 0, Category.OTHER).signalType();
  }

  /** Checks a matcher id by the rules the evidence applies to it: 1 to 256 characters, no control characters. */
  static String matcherId(String id) {
    InvalidRequestException.requireNonNull("external_matcher.id", id);
    if (id.isBlank() || id.length() > ExternalHit.MAX_ID_CHARS || id.chars().anyMatch(Character::isISOControl)) {
      throw new InvalidRequestException("external_matcher.id", "must be 1 to " + ExternalHit.MAX_ID_CHARS
          + " characters, not blank, without control characters");
    }
    return id;
  }
}
