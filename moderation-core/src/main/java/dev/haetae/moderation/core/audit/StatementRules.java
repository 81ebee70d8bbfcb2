package dev.haetae.moderation.core.audit;

import com.fasterxml.jackson.databind.JsonNode;
import dev.haetae.moderation.core.audit.StatementsOfReasons.Violation;
import java.time.LocalDate;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * The DSA Transparency Database's rules for one statement of reasons, version 2 of its values (in
 * force since 1 July 2025), as its API documentation states them; see the "Statements of reasons"
 * section of {@code src-docs/audit.md} for which value comes from which source. Version-1 values
 * ({@code STATEMENT_CATEGORY_NON_CONSENSUAL_BEHAVIOUR}, {@code STATEMENT_CATEGORY_SCOPE_OF_PLATFORM_SERVICE},
 * {@code KEYWORD_ONLINE_BULLYING_INTIMIDATION}, ...) are refused, as the database refuses them.
 *
 * <p>Stateless and thread-safe.
 */
final class StatementRules {
  private StatementRules() {}

  static final Set<String> VISIBILITY = Set.of("DECISION_VISIBILITY_CONTENT_REMOVED",
      "DECISION_VISIBILITY_CONTENT_DISABLED", "DECISION_VISIBILITY_CONTENT_DEMOTED",
      "DECISION_VISIBILITY_CONTENT_AGE_RESTRICTED", "DECISION_VISIBILITY_CONTENT_INTERACTION_RESTRICTED",
      "DECISION_VISIBILITY_CONTENT_LABELLED", "DECISION_VISIBILITY_OTHER");
  static final Set<String> MONETARY = Set.of("DECISION_MONETARY_SUSPENSION", "DECISION_MONETARY_TERMINATION",
      "DECISION_MONETARY_OTHER");
  static final Set<String> PROVISION = Set.of("DECISION_PROVISION_PARTIAL_SUSPENSION",
      "DECISION_PROVISION_TOTAL_SUSPENSION", "DECISION_PROVISION_PARTIAL_TERMINATION",
      "DECISION_PROVISION_TOTAL_TERMINATION");
  static final Set<String> ACCOUNT = Set.of("DECISION_ACCOUNT_SUSPENDED", "DECISION_ACCOUNT_TERMINATED");
  static final Set<String> ACCOUNT_TYPE = Set.of("ACCOUNT_TYPE_BUSINESS", "ACCOUNT_TYPE_PRIVATE");
  static final Set<String> GROUND = Set.of("DECISION_GROUND_ILLEGAL_CONTENT", "DECISION_GROUND_INCOMPATIBLE_CONTENT");
  static final Set<String> CONTENT_TYPE = Set.of("CONTENT_TYPE_APP", "CONTENT_TYPE_AUDIO", "CONTENT_TYPE_IMAGE",
      "CONTENT_TYPE_PRODUCT", "CONTENT_TYPE_SYNTHETIC_MEDIA", "CONTENT_TYPE_TEXT", "CONTENT_TYPE_VIDEO",
      "CONTENT_TYPE_OTHER");
  /** The 16 version-2 categories (the API documentation's list for {@code category}). */
  static final Set<String> CATEGORY = Set.of("STATEMENT_CATEGORY_ANIMAL_WELFARE",
      "STATEMENT_CATEGORY_CONSUMER_INFORMATION", "STATEMENT_CATEGORY_CYBER_VIOLENCE",
      "STATEMENT_CATEGORY_CYBER_VIOLENCE_AGAINST_WOMEN", "STATEMENT_CATEGORY_DATA_PROTECTION_AND_PRIVACY_VIOLATIONS",
      "STATEMENT_CATEGORY_ILLEGAL_OR_HARMFUL_SPEECH", "STATEMENT_CATEGORY_INTELLECTUAL_PROPERTY_INFRINGEMENTS",
      "STATEMENT_CATEGORY_NEGATIVE_EFFECTS_ON_CIVIC_DISCOURSE_OR_ELECTIONS",
      "STATEMENT_CATEGORY_NOT_SPECIFIED_NOTICE", "STATEMENT_CATEGORY_OTHER_VIOLATION_TC",
      "STATEMENT_CATEGORY_PROTECTION_OF_MINORS", "STATEMENT_CATEGORY_RISK_FOR_PUBLIC_SECURITY",
      "STATEMENT_CATEGORY_SCAMS_AND_FRAUD", "STATEMENT_CATEGORY_SELF_HARM",
      "STATEMENT_CATEGORY_UNSAFE_AND_PROHIBITED_PRODUCTS", "STATEMENT_CATEGORY_VIOLENCE");
  /** The version-2 keywords (the API documentation's list for {@code category_specification}). */
  static final Set<String> KEYWORDS = Set.of("KEYWORD_ANIMAL_HARM", "KEYWORD_ADULT_SEXUAL_MATERIAL",
      "KEYWORD_AGE_SPECIFIC_RESTRICTIONS", "KEYWORD_AGE_SPECIFIC_RESTRICTIONS_MINORS",
      "KEYWORD_BIOMETRIC_DATA_BREACH", "KEYWORD_BULLYING_AGAINST_GIRLS", "KEYWORD_CHILD_SEXUAL_ABUSE_MATERIAL",
      "KEYWORD_CHILD_SEXUAL_ABUSE_MATERIAL_DEEPFAKE", "KEYWORD_CONTENT_PROMOTING_EATING_DISORDERS",
      "KEYWORD_COORDINATED_HARM", "KEYWORD_COPYRIGHT_INFRINGEMENT", "KEYWORD_CYBER_BULLYING_INTIMIDATION",
      "KEYWORD_CYBER_HARASSMENT", "KEYWORD_CYBER_HARASSMENT_AGAINST_WOMEN", "KEYWORD_CYBER_INCITEMENT",
      "KEYWORD_CYBER_STALKING", "KEYWORD_CYBER_STALKING_AGAINST_WOMEN", "KEYWORD_DATA_FALSIFICATION",
      "KEYWORD_DEFAMATION", "KEYWORD_DESIGN_INFRINGEMENT", "KEYWORD_DISCRIMINATION",
      "KEYWORD_MISINFORMATION_DISINFORMATION", "KEYWORD_FEMALE_GENDERED_DISINFORMATION",
      "KEYWORD_GEOGRAPHIC_INDICATIONS_INFRINGEMENT", "KEYWORD_GEOGRAPHICAL_REQUIREMENTS",
      "KEYWORD_GOODS_SERVICES_NOT_PERMITTED", "KEYWORD_GROOMING_SEXUAL_ENTICEMENT_MINORS", "KEYWORD_HATE_SPEECH",
      "KEYWORD_HIDDEN_ADVERTISEMENT", "KEYWORD_HUMAN_EXPLOITATION", "KEYWORD_HUMAN_TRAFFICKING",
      "KEYWORD_ILLEGAL_ORGANIZATIONS", "KEYWORD_IMPERSONATION_ACCOUNT_HIJACKING", "KEYWORD_INAUTHENTIC_ACCOUNTS",
      "KEYWORD_INAUTHENTIC_LISTINGS", "KEYWORD_INAUTHENTIC_USER_REVIEWS", "KEYWORD_INCITEMENT_AGAINST_WOMEN",
      "KEYWORD_INCITEMENT_VIOLENCE_HATRED", "KEYWORD_INSUFFICIENT_INFORMATION_ON_TRADERS",
      "KEYWORD_LANGUAGE_REQUIREMENTS", "KEYWORD_MISLEADING_INFO_CONSUMER_RIGHTS",
      "KEYWORD_MISLEADING_INFO_GOODS_SERVICES", "KEYWORD_MISSING_PROCESSING_GROUND",
      "KEYWORD_NON_CONSENSUAL_IMAGE_SHARING", "KEYWORD_NON_CONSENSUAL_IMAGE_SHARING_AGAINST_WOMEN",
      "KEYWORD_NON_CONSENSUAL_MATERIAL_DEEPFAKE", "KEYWORD_NON_CONSENSUAL_MATERIAL_DEEPFAKE_AGAINST_WOMEN",
      "KEYWORD_NONCOMPLIANCE_PRICING", "KEYWORD_NUDITY", "KEYWORD_PATENT_INFRINGEMENT", "KEYWORD_PHISHING",
      "KEYWORD_PROHIBITED_PRODUCTS", "KEYWORD_PYRAMID_SCHEMES", "KEYWORD_RIGHT_TO_BE_FORGOTTEN", "KEYWORD_OTHER",
      "KEYWORD_RISK_ENVIRONMENTAL_DAMAGE", "KEYWORD_RISK_PUBLIC_HEALTH", "KEYWORD_SELF_MUTILATION",
      "KEYWORD_STALKING", "KEYWORD_SUICIDE", "KEYWORD_TERRORIST_CONTENT", "KEYWORD_TRADE_SECRET_INFRINGEMENT",
      "KEYWORD_TRADEMARK_INFRINGEMENT", "KEYWORD_TRAFFICKING_WOMEN_GIRLS", "KEYWORD_UNLAWFUL_SALE_ANIMALS",
      "KEYWORD_UNSAFE_CHALLENGES", "KEYWORD_UNSAFE_PRODUCTS", "KEYWORD_VIOLATION_EU_LAW",
      "KEYWORD_VIOLATION_NATIONAL_LAW");
  /**
   * The category each keyword Haetae emits belongs to (secondary sources, see the guide). Not a
   * database rule: the API documentation does not say the database checks it.
   */
  static final Map<String, String> KEYWORD_CATEGORY = Map.of(
      "KEYWORD_NON_CONSENSUAL_IMAGE_SHARING", "STATEMENT_CATEGORY_CYBER_VIOLENCE",
      "KEYWORD_NON_CONSENSUAL_MATERIAL_DEEPFAKE", "STATEMENT_CATEGORY_CYBER_VIOLENCE",
      "KEYWORD_CYBER_HARASSMENT", "STATEMENT_CATEGORY_CYBER_VIOLENCE",
      "KEYWORD_CHILD_SEXUAL_ABUSE_MATERIAL", "STATEMENT_CATEGORY_PROTECTION_OF_MINORS",
      "KEYWORD_TERRORIST_CONTENT", "STATEMENT_CATEGORY_RISK_FOR_PUBLIC_SECURITY");
  static final Set<String> SOURCE = Set.of("SOURCE_ARTICLE_16", "SOURCE_TRUSTED_FLAGGER",
      "SOURCE_TYPE_OTHER_NOTIFICATION", "SOURCE_VOLUNTARY");
  static final Set<String> AUTOMATED_DECISION = Set.of("AUTOMATED_DECISION_FULLY", "AUTOMATED_DECISION_PARTIALLY",
      "AUTOMATED_DECISION_NOT_AUTOMATED");
  static final Set<String> YES_NO = Set.of("Yes", "No");
  static final Set<String> FIELDS = Set.of("decision_visibility", "decision_visibility_other", "decision_monetary",
      "decision_monetary_other", "decision_provision", "decision_account", "account_type", "decision_ground",
      "decision_ground_reference_url", "illegal_content_legal_ground", "illegal_content_explanation",
      "incompatible_content_ground", "incompatible_content_explanation", "incompatible_content_illegal",
      "content_type", "content_type_other", "category", "category_addition", "category_specification",
      "category_specification_other", "territorial_scope", "content_language", "content_date", "application_date",
      "end_date_visibility_restriction", "end_date_monetary_restriction", "end_date_service_restriction",
      "end_date_account_restriction", "decision_facts", "source_type", "source_identity", "automated_detection",
      "automated_decision", "puid", "content_id");
  static final Set<String> FREE_TEXT = Set.of("decision_visibility_other", "decision_monetary_other",
      "illegal_content_legal_ground", "illegal_content_explanation", "incompatible_content_ground",
      "incompatible_content_explanation", "content_type_other", "category_specification_other", "decision_facts",
      "source_identity");
  static final Pattern PUID = Pattern.compile("^[a-zA-Z0-9_-]+$");
  static final int PUID_MAX = 500;
  private static final Pattern DATE = Pattern.compile("\\d{4}-\\d{2}-\\d{2}");
  private static final Pattern LANGUAGE = Pattern.compile("[A-Z]{2}");
  static final Pattern EMAIL = Pattern.compile("[A-Za-z0-9._%+-]+@[A-Za-z0-9.-]+\\.[A-Za-z]{2,}");
  static final Pattern PHONE = Pattern.compile("\\+?\\d[\\d \\-]{8,}\\d");

  /**
   * Every rule {@code statement} breaks, field by field.
   *
   * @param forbidden strings that must not appear in a free-text value (pseudonyms, ids)
   */
  static List<Violation> check(JsonNode statement, Collection<String> forbidden) {
    List<Violation> v = new ArrayList<>();
    if (statement == null || !statement.isObject()) {
      v.add(new Violation("", "a statement must be a JSON object"));
      return v;
    }
    for (Map.Entry<String, JsonNode> f : statement.properties()) {
      if (!FIELDS.contains(f.getKey())) {
        v.add(new Violation(f.getKey(), "is not a field of a statement"));
      }
    }
    boolean anyDecision = false;
    anyDecision |= enumArray(v, statement, "decision_visibility", VISIBILITY);
    anyDecision |= enumValue(v, statement, "decision_monetary", MONETARY, false);
    anyDecision |= enumValue(v, statement, "decision_provision", PROVISION, false);
    anyDecision |= enumValue(v, statement, "decision_account", ACCOUNT, false);
    if (!anyDecision) {
      v.add(new Violation("decision_visibility",
          "is required when none of decision_monetary / decision_provision / decision_account are present"));
    }
    if (contains(statement, "decision_visibility", "DECISION_VISIBILITY_OTHER")) {
      text(v, statement, "decision_visibility_other", 500, true);
    } else {
      text(v, statement, "decision_visibility_other", 500, false);
    }
    text(v, statement, "decision_monetary_other",
        500, "DECISION_MONETARY_OTHER".equals(statement.path("decision_monetary").asText(null)));
    enumValue(v, statement, "account_type", ACCOUNT_TYPE, false);
    enumValue(v, statement, "decision_ground", GROUND, true);
    String ground = statement.path("decision_ground").asText("");
    boolean illegal = ground.equals("DECISION_GROUND_ILLEGAL_CONTENT");
    boolean incompatible = ground.equals("DECISION_GROUND_INCOMPATIBLE_CONTENT");
    text(v, statement, "illegal_content_legal_ground", 500, illegal);
    text(v, statement, "illegal_content_explanation", 2000, illegal);
    text(v, statement, "incompatible_content_ground", 500, incompatible);
    text(v, statement, "incompatible_content_explanation", 2000, incompatible);
    enumValue(v, statement, "incompatible_content_illegal", YES_NO, false);
    text(v, statement, "decision_ground_reference_url", 500, false);
    if (!enumArray(v, statement, "content_type", CONTENT_TYPE)) {
      missing(v, statement, "content_type");
    }
    text(v, statement, "content_type_other", 500, contains(statement, "content_type", "CONTENT_TYPE_OTHER"));
    enumValue(v, statement, "category", CATEGORY, true);
    enumArray(v, statement, "category_addition", CATEGORY);
    enumArray(v, statement, "category_specification", KEYWORDS);
    text(v, statement, "category_specification_other", 500, false);
    if (!enumArray(v, statement, "territorial_scope", new HashSet<>(StatementsOfReasons.EEA))) {
      missing(v, statement, "territorial_scope");
    }
    JsonNode lang = statement.get("content_language");
    if (lang != null && !lang.isNull() && !(lang.isTextual() && LANGUAGE.matcher(lang.asText()).matches())) {
      v.add(new Violation("content_language", "must be an uppercase two-letter ISO 639-1 code"));
    }
    JsonNode cid = statement.get("content_id");
    if (cid != null && !cid.isNull()) {
      if (!cid.isObject()) {
        v.add(new Violation("content_id", "must be a key-value object"));
      } else {
        for (Map.Entry<String, JsonNode> f : cid.properties()) {
          if (!f.getKey().equals("EAN-13") || !f.getValue().isTextual()
              || !f.getValue().asText().matches("\\d{13}")) {
            v.add(new Violation("content_id", "accepts only the key EAN-13 with a 13-digit value"));
          }
        }
      }
    }
    date(v, statement, "content_date", LocalDate.of(2000, 1, 1), true);
    LocalDate applied = date(v, statement, "application_date", LocalDate.of(2020, 1, 1), true);
    for (String end : List.of("end_date_visibility_restriction", "end_date_monetary_restriction",
        "end_date_service_restriction", "end_date_account_restriction")) {
      LocalDate d = date(v, statement, end, LocalDate.MIN, false);
      if (d != null && applied != null && d.isBefore(applied)) {
        v.add(new Violation(end, "must be a date after or equal to application_date"));
      }
    }
    text(v, statement, "decision_facts", 5000, true);
    enumValue(v, statement, "source_type", SOURCE, true);
    text(v, statement, "source_identity", 500, false);
    enumValue(v, statement, "automated_detection", YES_NO, true);
    enumValue(v, statement, "automated_decision", AUTOMATED_DECISION, true);
    if (text(v, statement, "puid", PUID_MAX, true) && !PUID.matcher(statement.get("puid").asText()).matches()) {
      v.add(new Violation("puid", "must contain only a-z, A-Z, 0-9, hyphens and underscores"));
    }
    // Haetae's own rules: no personal data in free text, no notifier identity
    for (Map.Entry<String, JsonNode> f : statement.properties()) {
      if (!FREE_TEXT.contains(f.getKey())) {
        continue;
      }
      String s = f.getValue().toString();
      if (EMAIL.matcher(s).find()) {
        v.add(new Violation(f.getKey(), "contains an e-mail address"));
      }
      if (PHONE.matcher(s).find()) {
        v.add(new Violation(f.getKey(), "contains a phone-like number"));
      }
      for (String id : forbidden) {
        if (!id.isEmpty() && s.contains(id)) {
          v.add(new Violation(f.getKey(), "contains an identifier of a person or item"));
          break;
        }
      }
    }
    if (statement.has("source_identity")) {
      v.add(new Violation("source_identity", "must not be exported: it may identify the notifier"));
    }
    return v;
  }

  private static void missing(List<Violation> v, JsonNode s, String field) {
    JsonNode x = s.get(field);
    if (x == null || x.isNull()) {
      v.add(new Violation(field, "is required"));
    }
  }

  private static boolean contains(JsonNode s, String field, String value) {
    JsonNode a = s.get(field);
    if (a == null || !a.isArray()) {
      return false;
    }
    for (JsonNode x : a) {
      if (x.isTextual() && x.asText().equals(value)) {
        return true;
      }
    }
    return false;
  }

  private static boolean enumArray(List<Violation> v, JsonNode s, String field, Set<String> allowed) {
    JsonNode a = s.get(field);
    if (a == null || a.isNull()) {
      return false;
    }
    if (!a.isArray()) {
      v.add(new Violation(field, "must be an array"));
      return false;
    }
    if (a.isEmpty()) {
      v.add(new Violation(field, "must not be empty"));
      return false;
    }
    Set<String> distinct = new HashSet<>();
    for (JsonNode x : a) {
      if (!x.isTextual() || !allowed.contains(x.asText())) {
        v.add(new Violation(field, "has a value that is not allowed: " + shorten(x.toString())));
      } else if (!distinct.add(x.asText())) {
        v.add(new Violation(field, "repeats " + x.asText()));
      }
    }
    return true;
  }

  private static boolean enumValue(List<Violation> v, JsonNode s, String field, Set<String> allowed,
      boolean required) {
    JsonNode x = s.get(field);
    if (x == null || x.isNull()) {
      if (required) {
        v.add(new Violation(field, "is required"));
      }
      return false;
    }
    if (!x.isTextual() || !allowed.contains(x.asText())) {
      v.add(new Violation(field, "has a value that is not allowed: " + shorten(x.toString())));
    }
    return true;
  }

  private static boolean text(List<Violation> v, JsonNode s, String field, int max, boolean required) {
    JsonNode x = s.get(field);
    if (x == null || x.isNull() || (x.isTextual() && x.asText().isBlank())) {
      if (required) {
        v.add(new Violation(field, "is required"));
      }
      return false;
    }
    if (!x.isTextual()) {
      v.add(new Violation(field, "must be a string"));
      return false;
    }
    int length = x.asText().codePointCount(0, x.asText().length());
    if (length > max) {
      v.add(new Violation(field, "must not be longer than " + max + " characters (" + length + ")"));
    }
    return true;
  }

  private static LocalDate date(List<Violation> v, JsonNode s, String field, LocalDate min, boolean required) {
    JsonNode x = s.get(field);
    if (x == null || x.isNull()) {
      if (required) {
        v.add(new Violation(field, "is required (YYYY-MM-DD)"));
      }
      return null;
    }
    if (!x.isTextual() || !DATE.matcher(x.asText()).matches()) {
      v.add(new Violation(field, "must be a YYYY-MM-DD date"));
      return null;
    }
    try {
      LocalDate d = LocalDate.parse(x.asText());
      if (d.isBefore(min)) {
        v.add(new Violation(field, "must be after or equal to " + min));
      }
      return d;
    } catch (DateTimeParseException e) {
      v.add(new Violation(field, "must be a YYYY-MM-DD date"));
      return null;
    }
  }

  private static String shorten(String s) {
    return s.length() <= 80 ? s : s.substring(0, 79) + "…";
  }
}
