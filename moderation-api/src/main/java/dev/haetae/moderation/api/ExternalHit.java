package dev.haetae.moderation.api;

import java.util.Locale;
import java.util.regex.Pattern;

/**
 * One hit of an external matcher (a certified filter, a TMK+PDQF or vPDQ matcher, a vendor's API):
 * the content matched an entry of a list Haetae cannot compute itself. The engine records it in the
 * evidence as a {@link Signal.ExternalMatch}, with the matcher's {@link ExternalProvenance}, so that
 * policies read it as they read a hash-bank match and a replay reproduces the decision without
 * calling the matcher again. Immutable and thread-safe.
 *
 * <p><b>Validation.</b> Every component is checked when the hit is made, and a bad value is an
 * {@link InvalidRequestException} naming the component ({@code external_hit.score}, ...): a signal
 * type that is not a lower-case token of at most 64 characters, a list or entry id that is blank,
 * longer than 256 characters or holds a control character, a score or threshold that is negative,
 * infinite or NaN, a null. Nothing is clipped or accepted silently.
 *
 * @param signalType the kind of fingerprint or signal matched, a lower-case token such as {@code
 *     kcsc_feature}, {@code tmk_pdqf}, {@code vpdq}: one of the types the matcher declared; not null
 * @param list the id of the list or database the entry belongs to; not null, 1 to 256 characters
 * @param entry the matched entry's id within the list (an opaque key, never content); not null, 1 to
 *     256 characters
 * @param score how close the match is, as the matcher measures it; finite, at least 0
 * @param measure whether {@code score} is a distance (smaller is closer) or a similarity (larger is
 *     closer); not null
 * @param threshold the matcher's own decision threshold on the same measure (the distance at or
 *     under which, or the similarity at or over which, it reports a match); finite, at least 0
 * @param category the harm the list (or entry) concerns; not null
 * @since 0.2
 */
public record ExternalHit(String signalType, String list, String entry, double score, Measure measure,
    double threshold, Category category) {

  /** Longest signal type name. */
  public static final int MAX_TYPE_CHARS = 64;
  /** Longest list, entry or provenance text. */
  public static final int MAX_ID_CHARS = 256;
  private static final Pattern TYPE = Pattern.compile("[a-z0-9][a-z0-9_.+-]*");

  /**
   * What a score measures.
   *
   * @since 0.2
   */
  public enum Measure {
    /** Smaller is closer; a hit is at or under the threshold (e.g. a Hamming distance). */
    DISTANCE,
    /** Larger is closer; a hit is at or over the threshold (e.g. a percentage of matched frames). */
    SIMILARITY;

    /**
     * The wire name.
     *
     * @return the lower-case name, e.g. {@code distance}; never null
     */
    public String wireName() {
      return name().toLowerCase(Locale.ROOT);
    }

    /**
     * Parses a wire name (case-insensitive).
     *
     * @param wire the name; not null
     * @return the constant
     * @throws InvalidRequestException when unknown or null
     */
    public static Measure fromWire(String wire) {
      return WireName.parse(Measure.class, "external_hit.measure", wire);
    }
  }

  /**
   * Validates.
   *
   * @param signalType the signalType component, as described on the record
   * @param list the list component, as described on the record
   * @param entry the entry component, as described on the record
   * @param score the score component, as described on the record
   * @param measure the measure component, as described on the record
   * @param threshold the threshold component, as described on the record
   * @param category the category component, as described on the record
   * @throws InvalidRequestException when a component is null or invalid, naming it
   */
  public ExternalHit {
    signalType(signalType, "external_hit.signal_type");
    text("external_hit.list", list);
    text("external_hit.entry", entry);
    measurement("external_hit.score", score);
    InvalidRequestException.requireNonNull("external_hit.measure", measure);
    measurement("external_hit.threshold", threshold);
    InvalidRequestException.requireNonNull("external_hit.category", category);
  }

  /**
   * Whether the score is on the matching side of the threshold. A matcher normally reports only
   * such hits; one under its threshold is a near miss a policy may send to review.
   *
   * @return true when the score is within the threshold
   */
  public boolean withinThreshold() {
    return measure == Measure.DISTANCE ? score <= threshold : score >= threshold;
  }

  /** Checks a signal type token; {@code field} names it in the exception. */
  static String signalType(String type, String field) {
    InvalidRequestException.requireNonNull(field, type);
    if (type.isEmpty() || type.length() > MAX_TYPE_CHARS || !TYPE.matcher(type).matches()) {
      throw new InvalidRequestException(field, "must be a lower-case token of 1 to " + MAX_TYPE_CHARS
          + " characters [a-z0-9_.+-] starting with a letter or digit, got '" + shorten(type) + "'");
    }
    return type;
  }

  /** Checks an id or provenance text: not blank, bounded, no control characters. */
  static String text(String field, String value) {
    InvalidRequestException.requireNonNull(field, value);
    if (value.isBlank()) {
      throw new InvalidRequestException(field, "must not be blank");
    }
    if (value.length() > MAX_ID_CHARS) {
      throw new InvalidRequestException(field, "must be at most " + MAX_ID_CHARS + " characters, got "
          + value.length());
    }
    for (int i = 0; i < value.length(); i++) {
      if (Character.isISOControl(value.charAt(i))) {
        throw new InvalidRequestException(field, "must not hold control characters (at index " + i + ")");
      }
    }
    return value;
  }

  private static void measurement(String field, double v) {
    if (!Double.isFinite(v) || v < 0) {
      throw new InvalidRequestException(field, "must be finite and at least 0, got " + v);
    }
  }

  private static String shorten(String s) {
    String t = s.length() > 80 ? s.substring(0, 80) + "..." : s;
    StringBuilder b = new StringBuilder(t.length());
    for (int i = 0; i < t.length(); i++) {
      char c = t.charAt(i);
      b.append(Character.isISOControl(c) ? '?' : c);
    }
    return b.toString();
  }
}
