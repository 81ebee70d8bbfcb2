package dev.haetae.moderation.core.policy;

import dev.haetae.moderation.api.Action;
import dev.haetae.moderation.api.ContentEvent;
import dev.haetae.moderation.api.ContentKind;
import dev.haetae.moderation.api.Evidence;
import dev.haetae.moderation.api.Outcome;
import dev.haetae.moderation.api.PolicyId;
import dev.haetae.moderation.api.Priority;
import dev.haetae.moderation.api.Reason;
import dev.haetae.moderation.api.Signal;
import dev.haetae.moderation.api.spi.Policy;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * Doxxing alongside images: a person's image whose caption also carries identifying details —
 * a name, an age or school year, a school, an address, a phone number — in Korean or English is how
 * victims of the deepfake rooms were found and harassed offline. Such a post goes to the
 * {@code doxxing} review lane at high priority when it has at least {@code min_kinds} kinds of
 * detail, and at urgent priority when the image itself is suspect (a bank match or a copy of a
 * protected profile photo) and it has any detail. The policy only raises priority: patterns are
 * evidence for a person to weigh, not grounds to remove. Patterns are compiled once and only the
 * first {@code max_scan_chars} characters (default 1024) are scanned, which bounds the cost on the hot
 * path (a padded caption can hide details past that point; raise it if that matters more than
 * latency). Immutable and thread-safe.
 */
final class DoxxingPolicy implements Policy {
  static final String NAME = "doxxing";

  /** Kind of detail to its patterns; Korean and English. */
  static final Map<String, Pattern> PATTERNS = new LinkedHashMap<>();

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

  private final PolicyId id;
  private final int minKinds;
  private final int maxScanChars;

  DoxxingPolicy(Params p) {
    this.minKinds = p.integer("min_kinds", 2, 1, PATTERNS.size());
    this.maxScanChars = p.integer("max_scan_chars", 1024, 16, 1_000_000);
    p.requireNoUnknown();
    this.id = new PolicyId(NAME, "1", p.hash());
  }

  /** The kinds of identifying detail in a text, in a stable order. */
  static List<String> details(String text) {
    return details(text, Integer.MAX_VALUE);
  }

  /** The kinds of identifying detail in the first {@code maxChars} characters of a text. */
  static List<String> details(String raw, int maxChars) {
    String text = (raw.length() > maxChars ? raw.substring(0, maxChars) : raw).toLowerCase(Locale.ROOT);
    List<String> out = new ArrayList<>(2);
    for (Map.Entry<String, Pattern> e : PATTERNS.entrySet()) {
      if (e.getValue().matcher(text).find()) {
        out.add(e.getKey());
      }
    }
    return out;
  }

  @Override
  public PolicyId id() {
    return id;
  }

  @Override
  public Outcome evaluate(Evidence evidence) {
    if (!(evidence.request() instanceof ContentEvent)) {
      return Outcome.none();
    }
    ContentEvent e = (ContentEvent) evidence.request();
    ContentKind kind = e.content().kind();
    if (e.content().text().isEmpty() || (kind != ContentKind.IMAGE && kind != ContentKind.VIDEO
        && kind != ContentKind.PROFILE_PHOTO)) {
      return Outcome.none();
    }
    List<String> found = details(e.content().text().get(), maxScanChars);
    if (found.isEmpty()) {
      return Outcome.none();
    }
    boolean suspectImage = !evidence.signals(Signal.HashMatch.class).isEmpty()
        || !evidence.signals(Signal.ProfilePhotoMatch.class).isEmpty();
    if (!suspectImage && found.size() < minKinds) {
      return Outcome.none();
    }
    Priority p = suspectImage ? Priority.URGENT : Priority.HIGH;
    String facts = "The caption pairs the image with identifying details (" + String.join(", ", found) + ")"
        + (suspectImage ? " and the image itself matched a bank or a protected profile photo." : ".");
    return Outcome.of(List.of(new Action.QueueForReview(p, false, "doxxing")),
        List.of(Reason.note(id, "doxxing_with_image", facts)));
  }
}
