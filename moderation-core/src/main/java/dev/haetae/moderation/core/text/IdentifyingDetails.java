package dev.haetae.moderation.core.text;

import dev.haetae.moderation.api.Signal;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * Finds the kinds of identifying detail a caption carries — a name, an age or school year, a
 * school, an address, a phone number — in Korean or English: how victims of the deepfake rooms were
 * found and harassed offline. The engine runs it before a caption is masked for the decision log
 * and records what it found as a {@link Signal.TextFindings}, so that the doxxing policy decides,
 * and replays, from the finding rather than from the text.
 *
 * <p>Patterns are compiled once and only the first {@code maxScanChars} characters are scanned,
 * which bounds the cost on the hot path (a padded caption can hide details past that point). The
 * {@link #id() id} names the pattern set's version and the scan limit, and is recorded with every
 * finding. Immutable and thread-safe.
 *
 * @since 0.2
 */
public final class IdentifyingDetails {
  /** The field the engine scans. */
  public static final String FIELD = "content.text";

  /** The default scan limit, in characters. */
  public static final int DEFAULT_MAX_SCAN_CHARS = 1024;

  private static final String VERSION = "1";

  /** Kind of detail to its patterns; Korean and English. */
  private static final Map<String, Pattern> PATTERNS = new LinkedHashMap<>();

  static {
    // Korean parts anchor on a literal suffix with a one-character look-behind; the text is lower-cased
    // once (ASCII) instead of matching case-insensitively. Both keep the scan cheap on the hot path.
    PATTERNS.put("name", Pattern.compile(
        "이름\\s*[:은는이]|본명|실명|(?:\\b(?:full\\s+)?name\\s*(?:is|:|=)|\\b(?:her|his|their)\\s+name\\b)"));
    PATTERNS.put("age", Pattern.compile(
        "\\d\\s*살|\\d\\s*세(?![가-힣])|\\d\\s*년생|(?<=[초중고])\\s*[1-6]\\s*(?:학년|\\b)"
            + "|(?:\\b\\d{1,2}\\s*(?:y/?o|yrs?\\s+old|years?\\s+old)\\b|\\bage[d]?\\s*[:=]?\\s*\\d{1,2}\\b"
            + "|\\b(?:freshman|sophomore|\\d{1,2}(?:st|nd|rd|th)\\s+grade)\\b)"));
    PATTERNS.put("school", Pattern.compile(
        "(?<=[가-힣])(?:초등학교|중학교|고등학교|대학교|여고|여중|남고|남중|고교|학교)"
            + "|(?:\\b(?:high|middle|elementary|primary|secondary|grammar)\\s+school\\b|\\buniversity\\b|\\bcollege\\b)"));
    PATTERNS.put("address", Pattern.compile(
        "(?<=[가-힣])(?:시|도)\\s+[가-힣]{1,6}(?:구|군)(?![가-힣])|(?<=[가-힣0-9])(?:로|길)\\s*\\d{1,4}"
            + "|\\d\\s*동\\s*\\d{1,4}\\s*호|(?<=[가-힣])아파트|(?<=[가-힣])(?:동|읍|면)\\s+\\d{1,5}"
            + "|(?:\\b\\d{1,5}\\s+(?:[a-z]+\\s+){1,3}(?:street|st|avenue|ave|road|rd|lane|ln|boulevard|blvd|drive|dr)\\b"
            + "|\\bapt\\.?\\s*#?\\d+|\\blives\\s+(?:in|at|on)\\b)"));
    PATTERNS.put("phone", Pattern.compile("01[016789][-.\\s]?\\d{3,4}[-.\\s]?\\d{4}|\\(?\\d{3}\\)?[-.\\s]\\d{3}[-.]\\d{4}"));
  }

  private static final IdentifyingDetails DEFAULTS = new IdentifyingDetails(DEFAULT_MAX_SCAN_CHARS);

  private final int maxScanChars;
  private final String id;

  private IdentifyingDetails(int maxScanChars) {
    this.maxScanChars = maxScanChars;
    this.id = "identifying-details/" + VERSION + "(scan=" + maxScanChars + ")";
  }

  /**
   * The detector with the default scan limit.
   *
   * @return the shared default detector; never null
   */
  public static IdentifyingDetails defaults() {
    return DEFAULTS;
  }

  /**
   * A detector that scans at most {@code maxScanChars} characters of a text.
   *
   * @param maxScanChars 16 to 1,000,000
   * @return the detector; never null
   * @throws IllegalArgumentException when out of range
   */
  public static IdentifyingDetails scanning(int maxScanChars) {
    if (maxScanChars < 16 || maxScanChars > 1_000_000) {
      throw new IllegalArgumentException("maxScanChars must be 16..1000000, got " + maxScanChars);
    }
    return maxScanChars == DEFAULT_MAX_SCAN_CHARS ? DEFAULTS : new IdentifyingDetails(maxScanChars);
  }

  /**
   * The kinds of detail any detector can report, in their stable order.
   *
   * @return {@code name, age, school, address, phone}; never null
   */
  public static List<String> kinds() {
    return List.copyOf(PATTERNS.keySet());
  }

  /**
   * The detector's id: its pattern set's version and scan limit.
   *
   * @return e.g. {@code identifying-details/1(scan=1024)}; never null
   */
  public String id() {
    return id;
  }

  /**
   * The kinds of identifying detail in the scanned prefix of a text.
   *
   * @param raw the text; not null
   * @return the kinds found, in {@link #kinds()} order; never null
   */
  public List<String> details(String raw) {
    String text = (raw.length() > maxScanChars ? raw.substring(0, maxScanChars) : raw).toLowerCase(Locale.ROOT);
    List<String> out = new ArrayList<>(2);
    for (Map.Entry<String, Pattern> e : PATTERNS.entrySet()) {
      if (e.getValue().matcher(text).find()) {
        out.add(e.getKey());
      }
    }
    return out;
  }

  /**
   * Scans a caption and returns the finding to record.
   *
   * @param caption the caption; not null
   * @return the finding, with an empty list when nothing was found; never null
   */
  public Signal.TextFindings scan(String caption) {
    return new Signal.TextFindings(FIELD, id, Math.min(caption.length(), maxScanChars), details(caption));
  }
}
