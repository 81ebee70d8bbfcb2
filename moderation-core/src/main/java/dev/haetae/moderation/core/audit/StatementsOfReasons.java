package dev.haetae.moderation.core.audit;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.haetae.moderation.api.AccountEvent;
import dev.haetae.moderation.api.Action;
import dev.haetae.moderation.api.Appeal;
import dev.haetae.moderation.api.Category;
import dev.haetae.moderation.api.ContentEvent;
import dev.haetae.moderation.api.ContentKind;
import dev.haetae.moderation.api.Decision;
import dev.haetae.moderation.api.Evidence;
import dev.haetae.moderation.api.Jurisdiction;
import dev.haetae.moderation.api.LegalGround;
import dev.haetae.moderation.api.LegalNotice;
import dev.haetae.moderation.api.ModerationRequest;
import dev.haetae.moderation.api.NoticeSender;
import dev.haetae.moderation.api.Reason;
import dev.haetae.moderation.api.ReviewOutcome;
import dev.haetae.moderation.api.Signal;
import dev.haetae.moderation.api.StatementOfReasons;
import dev.haetae.moderation.api.Target;
import dev.haetae.moderation.api.UserReport;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Pattern;

/**
 * Exports restrictive decisions as statements of reasons for the EU DSA Transparency Database
 * (Art. 24(5) DSA), one JSON object per decision with the database's field names and values, and
 * checks them against the database's rules: required fields, allowed values, lengths, the
 * {@code puid} pattern, batches of at most 100, and no personal data.
 *
 * <p>Mapping: remove → {@code DECISION_VISIBILITY_CONTENT_REMOVED}, restrict forwarding →
 * {@code DECISION_VISIBILITY_CONTENT_INTERACTION_RESTRICTED}, blur →
 * {@code DECISION_VISIBILITY_CONTENT_LABELLED}, suspend account → {@code DECISION_ACCOUNT_SUSPENDED};
 * a ground in law → {@code DECISION_GROUND_ILLEGAL_CONTENT}, in the terms of service →
 * {@code DECISION_GROUND_INCOMPATIBLE_CONTENT}. Restrictive decisions with none of those
 * restrictions (e.g. only preserve evidence or report to an authority) are skipped and counted: the
 * database has no field for them. The puid is the decision id (hashed when it does not fit the
 * pattern). Pseudonyms never appear: facts are taken from the statement sent to the user, with any
 * pseudonym replaced by {@code [id]}; {@code source_identity} is never filled.
 *
 * <p>Stateless and thread-safe.
 *
 * @since 0.1
 */
public final class StatementsOfReasons {
  /** The most statements the database accepts in one API call. */
  public static final int MAX_BATCH = 100;

  static final List<String> EU = List.of("AT", "BE", "BG", "CY", "CZ", "DE", "DK", "EE", "ES", "FI", "FR", "GR", "HR",
      "HU", "IE", "IT", "LT", "LU", "LV", "MT", "NL", "PL", "PT", "RO", "SE", "SI", "SK");
  static final List<String> EEA;

  static {
    List<String> e = new ArrayList<>(EU);
    e.addAll(List.of("IS", "LI", "NO"));
    e.sort(null);
    EEA = List.copyOf(e);
  }

  static final Pattern PUID = StatementRules.PUID;
  private static final Pattern EMAIL = StatementRules.EMAIL;
  private static final Pattern PHONE = StatementRules.PHONE;

  private StatementsOfReasons() {}

  /**
   * The result of an export: the statements, and what was skipped and why.
   *
   * @param statements one JSON object per exported decision, in log order; not null
   * @param restrictive restrictive decisions read
   * @param skipped skipped restrictive decisions by reason; not null
   * @param violations rule violations found by {@link #validate} (and puids repeated within the
   *     export), each prefixed with the statement's puid; a statement with a violation is left out of
   *     {@code statements} and counted in {@code skipped}; empty when every statement is valid; not
   *     null
   * @since 0.1
   */
  public record Export(List<String> statements, long restrictive, Map<String, Long> skipped, List<String> violations) {
    /**
     * Copies.
     *
     * @param statements the statements component, as described on the record
     * @param restrictive the restrictive component, as described on the record
     * @param skipped the skipped component, as described on the record
     * @param violations the violations component, as described on the record
     * @throws NullPointerException when a component is null
     */
    public Export {
      statements = List.copyOf(statements);
      skipped = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(skipped));
      violations = List.copyOf(violations);
    }
  }

  /**
   * Which decisions an export keeps, beyond the DSA's own reach.
   *
   * @param instruments keep only decisions under one of these instruments (a notice's instrument,
   *     or an obligation the decision opened or fulfilled, e.g. {@code EU-DSA-16}); empty keeps all;
   *     not null
   * @param jurisdictions keep only statements whose territorial scope includes one of these ISO
   *     country codes; empty keeps all; not null
   * @since 0.2
   */
  public record Filter(Set<String> instruments, Set<String> jurisdictions) {
    /** Keeps every decision the DSA covers. */
    public static final Filter ALL = new Filter(Set.of(), Set.of());

    /**
     * Copies.
     *
     * @param instruments the instruments component, as described on the record
     * @param jurisdictions the jurisdictions component, as described on the record
     * @throws NullPointerException when a component is null
     * @throws IllegalArgumentException when a jurisdiction is not an EEA country code
     */
    public Filter {
      instruments = Set.copyOf(instruments);
      jurisdictions = Set.copyOf(jurisdictions);
      for (String j : jurisdictions) {
        if (!EEA.contains(j)) {
          throw new IllegalArgumentException("jurisdiction filter must be EEA country codes, got " + j);
        }
      }
    }
  }

  /** What is known about a piece of content from earlier records. */
  private static final class Seen {
    ContentKind kind;
    LocalDate firstSeen;
    Set<Jurisdiction> jurisdictions = Set.of();
  }

  /**
   * Exports every restrictive decision of a log, validating each statement; a statement the
   * database would refuse is left out and its violations listed.
   *
   * @param log the log; not null
   * @param defaultScope territorial scope (ISO country codes of the EEA) for content whose
   *     jurisdictions are unknown or outside the EEA; not null, not empty
   * @param progress progress callback; not null
   * @return the export; never null
   * @throws dev.haetae.moderation.api.DecisionLogException when a record is damaged
   * @throws IllegalArgumentException when {@code defaultScope} is empty or has a non-EEA code
   */
  public static Export export(AuditLog log, Collection<String> defaultScope, ProgressListener progress) {
    return export(log, defaultScope, Filter.ALL, progress);
  }

  /**
   * Exports the restrictive decisions of a log that the DSA covers, and that {@code filter} keeps,
   * validating each statement: a statement the database would refuse is left out, counted in
   * {@code skipped} and its violations listed, so that what is exported can be submitted.
   *
   * <p>The DSA covers a decision with reach in the EU/EEA. The territorial scope is the EEA part of
   * the content's jurisdictions ({@code EU} stands for the 27 member states). A decision whose
   * content has jurisdictions recorded, none of them in the EEA, is skipped; so is a decision made
   * under an instrument of a law outside the EEA (e.g. {@code US-TAKE-IT-DOWN}, {@code KR-...}) on
   * content with no jurisdiction recorded. Other decisions on content with no jurisdiction recorded
   * get {@code defaultScope}: the host's statement of where its service is offered.
   *
   * @param log the log; not null
   * @param defaultScope territorial scope (ISO country codes of the EEA) for content whose
   *     jurisdictions are unknown; not null, not empty
   * @param filter which instruments and jurisdictions to keep; not null
   * @param progress progress callback; not null
   * @return the export (skipped decisions counted by reason, the filtered ones included); never null
   * @throws dev.haetae.moderation.api.DecisionLogException when a record is damaged
   * @throws IllegalArgumentException when {@code defaultScope} is empty or has a non-EEA code
   * @since 0.2
   */
  public static Export export(AuditLog log, Collection<String> defaultScope, Filter filter,
      ProgressListener progress) {
    Objects.requireNonNull(filter, "filter");
    if (defaultScope.isEmpty() || !EEA.containsAll(defaultScope)) {
      throw new IllegalArgumentException("defaultScope must be non-empty EEA country codes, got " + defaultScope);
    }
    List<String> scope = new ArrayList<>(new TreeSet<>(defaultScope));
    Map<String, Seen> seen = new HashMap<>();
    List<String> out = new ArrayList<>();
    Map<String, Long> skipped = new LinkedHashMap<>();
    List<String> violations = new ArrayList<>();
    Set<String> puids = new java.util.HashSet<>();
    long[] restrictive = {0};
    log.forEach(progress, rec -> {
      Evidence e = rec.evidence();
      if (e.request() instanceof ContentEvent) {
        ContentEvent c = (ContentEvent) e.request();
        Seen s = seen.computeIfAbsent(c.content().id().value(), k -> new Seen());
        s.kind = c.content().kind();
        s.jurisdictions = c.content().jurisdictions();
        if (s.firstSeen == null) {
          s.firstSeen = LocalDate.ofInstant(e.now(), ZoneOffset.UTC);
        }
      }
      Decision d = rec.decision();
      if (!d.restrictive()) {
        return;
      }
      restrictive[0]++;
      Optional<ObjectNode> st = statement(rec, seen, scope, filter, skipped);
      if (st.isPresent()) {
        String puid = st.get().path("puid").asText();
        List<Violation> refused = new ArrayList<>(validate(st.get(), idsOf(e)));
        if (!puids.add(puid)) {
          refused.add(new Violation("puid", "is not unique within this export"));
        }
        if (!refused.isEmpty()) {
          for (Violation v : refused) {
            violations.add(puid + ": " + v);
          }
          skipped.merge("refused by the database's rules (see the violations)", 1L, Long::sum);
          return;
        }
        try {
          out.add(Frames.JSON.writeValueAsString(st.get()));
        } catch (JsonProcessingException x) {
          throw new UncheckedIOException(x);
        }
      }
    });
    return new Export(out, restrictive[0], skipped, violations);
  }

  private static Optional<ObjectNode> statement(LoggedRecord rec, Map<String, Seen> seen, List<String> scope,
      Filter filter, Map<String, Long> skipped) {
    Decision d = rec.decision();
    Evidence e = rec.evidence();
    ObjectNode n = Frames.JSON.createObjectNode();
    List<String> visibility = new ArrayList<>();
    boolean suspended = false;
    for (Action a : d.actions()) {
      if (a instanceof Action.Remove) {
        visibility.add("DECISION_VISIBILITY_CONTENT_REMOVED");
      } else if (a instanceof Action.RestrictForwarding) {
        visibility.add("DECISION_VISIBILITY_CONTENT_INTERACTION_RESTRICTED");
      } else if (a instanceof Action.Blur) {
        visibility.add("DECISION_VISIBILITY_CONTENT_LABELLED");
      } else if (a instanceof Action.SuspendAccount) {
        suspended = true;
      }
    }
    if (visibility.isEmpty() && !suspended) {
      skipped.merge("no restriction the database can express (" + Backtest.actionSet(d.actions()) + ")", 1L, Long::sum);
      return Optional.empty();
    }
    Optional<Action.NotifyUser> notify = d.action(Action.NotifyUser.class);
    Optional<LegalGround> ground = notify.map(x -> x.statement().ground());
    Optional<Category> category = Optional.empty();
    for (Reason r : d.reasons()) {
      if (ground.isEmpty() && r.ground().isPresent()) {
        ground = r.ground();
      }
      if (category.isEmpty() && r.category().isPresent()) {
        category = r.category();
      }
    }
    if (ground.isEmpty()) {
      skipped.merge("no legal or contractual ground recorded", 1L, Long::sum);
      return Optional.empty();
    }
    if (!visibility.isEmpty()) {
      ArrayNode v = n.putArray("decision_visibility");
      visibility.forEach(v::add);
    }
    if (suspended) {
      n.put("decision_account", "DECISION_ACCOUNT_SUSPENDED");
    }
    Set<String> ids = idsOf(e);
    LegalGround g = ground.get();
    if (g.kind() == LegalGround.Kind.LAW) {
      n.put("decision_ground", "DECISION_GROUND_ILLEGAL_CONTENT");
      n.put("illegal_content_legal_ground", clip(redact(g.citation(), ids), 500));
      n.put("illegal_content_explanation", clip(redact(g.explanation(), ids), 2000));
    } else {
      n.put("decision_ground", "DECISION_GROUND_INCOMPATIBLE_CONTENT");
      n.put("incompatible_content_ground", clip(redact(g.citation(), ids), 500));
      n.put("incompatible_content_explanation", clip(redact(g.explanation(), ids), 2000));
    }
    String contentKey = e.request().contentId().map(c -> c.value()).orElse(null);
    Seen s = contentKey == null ? null : seen.get(contentKey);
    ArrayNode types = n.putArray("content_type");
    ContentKind kind = s == null ? null : s.kind;
    if (kind == ContentKind.IMAGE || kind == ContentKind.PROFILE_PHOTO) {
      types.add("CONTENT_TYPE_IMAGE");
    } else if (kind == ContentKind.VIDEO) {
      types.add("CONTENT_TYPE_VIDEO");
    } else if (kind == ContentKind.TEXT) {
      types.add("CONTENT_TYPE_TEXT");
    }
    if (category.orElse(Category.OTHER) == Category.SEXUAL_DEEPFAKE) {
      types.add("CONTENT_TYPE_SYNTHETIC_MEDIA");
    }
    if (types.isEmpty()) {
      types.add("CONTENT_TYPE_OTHER");
      n.put("content_type_other", kind == ContentKind.FILE ? "File attachment"
          : contentKey == null ? "Account" : "Content type not recorded");
    }
    n.put("category", category(category.orElse(Category.OTHER)));
    keyword(category.orElse(Category.OTHER)).ifPresent(k -> n.putArray("category_specification").add(k));
    Set<String> instruments = instruments(rec);
    Optional<List<String>> reach = reach(instruments, s, scope, skipped);
    if (reach.isEmpty()) {
      return Optional.empty();
    }
    if (!filter.instruments().isEmpty() && java.util.Collections.disjoint(instruments, filter.instruments())) {
      skipped.merge("not under the instruments asked for " + new TreeSet<>(filter.instruments()), 1L, Long::sum);
      return Optional.empty();
    }
    if (!filter.jurisdictions().isEmpty() && java.util.Collections.disjoint(reach.get(), filter.jurisdictions())) {
      skipped.merge("no reach in the jurisdictions asked for " + new TreeSet<>(filter.jurisdictions()), 1L,
          Long::sum);
      return Optional.empty();
    }
    ArrayNode ts = n.putArray("territorial_scope");
    reach.get().forEach(ts::add);
    LocalDate decided = LocalDate.ofInstant(d.at(), ZoneOffset.UTC);
    LocalDate posted = s != null && s.firstSeen != null ? s.firstSeen : decided;
    n.put("content_date", posted.toString());
    n.put("application_date", decided.toString());
    String facts = notify.map(x -> x.statement().facts()).orElse("");
    if (facts.isBlank()) {
      StringBuilder sb = new StringBuilder();
      for (Reason r : d.reasons()) {
        if (sb.length() > 0) {
          sb.append(' ');
        }
        sb.append(r.explanation());
      }
      facts = sb.toString();
    }
    n.put("decision_facts", clip(redact(facts.isBlank() ? "Automated decision by policy." : facts, ids), 5000));
    n.put("source_type", sourceType(e));
    boolean automatedDetection = notify.map(x -> x.statement().automatedDetection())
        .orElse(e.request() instanceof ContentEvent);
    n.put("automated_detection", automatedDetection ? "Yes" : "No");
    String automatedDecision;
    if (e.request() instanceof ReviewOutcome) {
      automatedDecision = "AUTOMATED_DECISION_NOT_AUTOMATED";
    } else {
      automatedDecision = notify.map(StatementsOfReasons::automation).orElse("AUTOMATED_DECISION_FULLY");
    }
    n.put("automated_decision", automatedDecision);
    n.put("puid", puid(d.id().value()));
    return Optional.of(n);
  }

  /**
   * The decision's territorial scope in the EEA, or empty (and the reason counted) when the DSA
   * does not cover it.
   */
  private static Optional<List<String>> reach(Set<String> instruments, Seen s, List<String> scope,
      Map<String, Long> skipped) {
    Set<String> codes = new TreeSet<>();
    Set<String> elsewhere = new TreeSet<>();
    if (s != null) {
      for (Jurisdiction j : s.jurisdictions) {
        if (j.code().equals("EU")) {
          codes.addAll(EU);
        } else if (EEA.contains(j.code())) {
          codes.add(j.code());
        } else {
          elsewhere.add(j.code());
        }
      }
    }
    if (!codes.isEmpty()) {
      return Optional.of(List.copyOf(codes));
    }
    if (!elsewhere.isEmpty()) {
      skipped.merge("no EU/EEA reach: the content's jurisdictions are " + elsewhere, 1L, Long::sum);
      return Optional.empty();
    }
    if (!instruments.isEmpty() && instruments.stream().noneMatch(StatementsOfReasons::europeanInstrument)) {
      skipped.merge("no EU/EEA reach: decided under " + instruments
          + " on content with no jurisdiction recorded", 1L, Long::sum);
      return Optional.empty();
    }
    return Optional.of(scope);
  }

  /** The instruments a decision was made under: its notice's, and those of obligations it touched. */
  private static Set<String> instruments(LoggedRecord rec) {
    Set<String> out = new TreeSet<>();
    if (rec.evidence().request() instanceof LegalNotice) {
      out.add(((LegalNotice) rec.evidence().request()).instrument());
    }
    for (dev.haetae.moderation.api.ObligationEvent e : rec.obligationEvents()) {
      out.add(e.obligation().instrument());
    }
    return out;
  }

  /** An instrument whose code starts with {@code EU-} or an EEA country code and a dash. */
  static boolean europeanInstrument(String instrument) {
    int dash = instrument.indexOf('-');
    String prefix = dash < 0 ? instrument : instrument.substring(0, dash);
    return prefix.equals("EU") || EEA.contains(prefix);
  }

  private static String automation(Action.NotifyUser u) {
    StatementOfReasons s = u.statement();
    return s.automatedDecision() ? "AUTOMATED_DECISION_FULLY" : "AUTOMATED_DECISION_NOT_AUTOMATED";
  }

  private static String sourceType(Evidence e) {
    ModerationRequest r = e.request();
    if (r instanceof LegalNotice) {
      LegalNotice l = (LegalNotice) r;
      if (l.sender() == NoticeSender.TRUSTED_FLAGGER) {
        return "SOURCE_TRUSTED_FLAGGER";
      }
      return l.instrument().startsWith("EU-DSA") ? "SOURCE_ARTICLE_16" : "SOURCE_TYPE_OTHER_NOTIFICATION";
    }
    if (r instanceof UserReport) {
      for (Signal.Reports s : e.signals(Signal.Reports.class)) {
        if (s.trustedFlaggerReports() > 0) {
          return "SOURCE_TRUSTED_FLAGGER";
        }
      }
      return "SOURCE_ARTICLE_16";
    }
    if (r instanceof ReviewOutcome || r instanceof Appeal) {
      for (Signal.Reports s : e.signals(Signal.Reports.class)) {
        return s.trustedFlaggerReports() > 0 ? "SOURCE_TRUSTED_FLAGGER" : "SOURCE_ARTICLE_16";
      }
    }
    return "SOURCE_VOLUNTARY";
  }

  static String category(Category c) {
    switch (c) {
      case NCII:
      case SEXUAL_DEEPFAKE:
      case HARASSMENT:
        return "STATEMENT_CATEGORY_CYBER_VIOLENCE";
      case CSAM:
        return "STATEMENT_CATEGORY_PROTECTION_OF_MINORS";
      case TERRORISM:
        return "STATEMENT_CATEGORY_RISK_FOR_PUBLIC_SECURITY";
      case DOXXING:
        return "STATEMENT_CATEGORY_DATA_PROTECTION_AND_PRIVACY_VIOLATIONS";
      case SPAM:
        return "STATEMENT_CATEGORY_SCAMS_AND_FRAUD";
      default:
        return "STATEMENT_CATEGORY_OTHER_VIOLATION_TC";
    }
  }

  static Optional<String> keyword(Category c) {
    switch (c) {
      case NCII:
        return Optional.of("KEYWORD_NON_CONSENSUAL_IMAGE_SHARING");
      case SEXUAL_DEEPFAKE:
        return Optional.of("KEYWORD_NON_CONSENSUAL_MATERIAL_DEEPFAKE");
      case CSAM:
        return Optional.of("KEYWORD_CHILD_SEXUAL_ABUSE_MATERIAL");
      case TERRORISM:
        return Optional.of("KEYWORD_TERRORIST_CONTENT");
      case HARASSMENT:
        return Optional.of("KEYWORD_CYBER_HARASSMENT");
      default:
        return Optional.empty();
    }
  }

  /** Every id value (pseudonym) in a record's evidence. */
  static Set<String> idsOf(Evidence e) {
    Set<String> ids = new LinkedHashSet<>();
    ModerationRequest r = e.request();
    r.contentId().ifPresent(c -> ids.add(c.value()));
    if (r instanceof ContentEvent) {
      ContentEvent c = (ContentEvent) r;
      ids.add(c.account().value());
      c.room().ifPresent(x -> ids.add(x.value()));
      c.forwardedFrom().ifPresent(x -> ids.add(x.value()));
    } else if (r instanceof UserReport) {
      ids.add(((UserReport) r).reporter().value());
      ids.add(((UserReport) r).target().id());
    } else if (r instanceof LegalNotice) {
      ids.add(((LegalNotice) r).noticeId());
    } else if (r instanceof ReviewOutcome) {
      ids.add(((ReviewOutcome) r).target().id());
    } else if (r instanceof Appeal) {
      ids.add(((Appeal) r).appealId());
      ids.add(((Appeal) r).appellant().value());
    } else if (r instanceof AccountEvent) {
      ids.add(((AccountEvent) r).account().value());
    }
    for (Signal s : e.signals()) {
      if (s instanceof Signal.Reports) {
        Target t = ((Signal.Reports) s).target();
        ids.add(t.id());
      } else if (s instanceof Signal.AccountStanding) {
        ids.add(((Signal.AccountStanding) s).account().value());
      } else if (s instanceof Signal.RoomActivity) {
        ids.add(((Signal.RoomActivity) s).room().value());
      } else if (s instanceof Signal.ProfilePhotoMatch) {
        ids.add(((Signal.ProfilePhotoMatch) s).owner().value());
        ids.add(((Signal.ProfilePhotoMatch) s).photo().value());
      } else if (s instanceof Signal.Obligation) {
        ids.add(((Signal.Obligation) s).id());
      }
    }
    return ids;
  }

  private static String redact(String text, Set<String> ids) {
    String out = text;
    for (String id : ids) {
      out = RecordCodec.replaceToken(out, id, "[id]");
    }
    out = EMAIL.matcher(out).replaceAll("[email]");
    return PHONE.matcher(out).replaceAll("[number]");
  }

  private static String clip(String s, int max) {
    return s.length() <= max ? s : s.substring(0, max - 1) + "…";
  }

  static String puid(String decisionId) {
    if (decisionId.length() <= 500 && PUID.matcher(decisionId).matches()) {
      return decisionId;
    }
    try {
      byte[] h = MessageDigest.getInstance("SHA-256").digest(decisionId.getBytes(StandardCharsets.UTF_8));
      return "haetae-" + HexFormat.of().formatHex(h, 0, 16);
    } catch (java.security.NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  /**
   * One rule of the Transparency Database that a statement breaks.
   *
   * @param field the statement's field the rule is about, as the database names it (empty when the
   *     statement is not a JSON object); not null
   * @param problem what is wrong with it, e.g. {@code "is required"}; not null
   * @since 0.3
   */
  public record Violation(String field, String problem) {
    /**
     * Checks.
     *
     * @param field the field component, as described on the record
     * @param problem the problem component, as described on the record
     * @throws NullPointerException when a component is null
     */
    public Violation {
      Objects.requireNonNull(field, "field");
      Objects.requireNonNull(problem, "problem");
    }

    /**
     * The field and the problem, e.g. {@code "puid is required"}.
     *
     * @return a sentence; never null
     */
    @Override
    public String toString() {
      return field.isEmpty() ? problem : field + " " + problem;
    }
  }

  /**
   * Checks one statement against the database's rules (version 2 of its values, in force since
   * 1 July 2025: required fields and the fields required when another has a given value, allowed
   * values, lengths, dates, the {@code puid} pattern) and Haetae's own (no e-mail addresses, phone
   * numbers or the given ids in free text, no {@code source_identity}, no field the database does
   * not define). Uniqueness of the {@code puid} is a rule across statements: {@link #export} checks
   * it within an export. Thread-safe; never throws for any JSON input.
   *
   * @param statement the statement as a JSON object; not null
   * @param forbidden strings that must not appear in any value (e.g. the pseudonyms and ids of the
   *     people concerned); not null
   * @return each refused field with the reason, empty when valid; never null
   * @throws NullPointerException when an argument is null
   */
  public static List<Violation> validate(JsonNode statement, Collection<String> forbidden) {
    Objects.requireNonNull(statement, "statement");
    Objects.requireNonNull(forbidden, "forbidden");
    return StatementRules.check(statement, forbidden);
  }

  /**
   * Groups statements into API request bodies {@code {"statements":[...]}} of at most
   * {@code size} statements each.
   *
   * @param statements the statements as JSON objects; not null
   * @param size 1..{@value #MAX_BATCH}
   * @return the request bodies; never null
   * @throws IllegalArgumentException when {@code size} is outside 1..100 or a statement is not JSON
   */
  public static List<String> batches(List<String> statements, int size) {
    if (size < 1 || size > MAX_BATCH) {
      throw new IllegalArgumentException("batch size must be 1.." + MAX_BATCH + ", got " + size);
    }
    List<String> out = new ArrayList<>();
    for (int i = 0; i < statements.size(); i += size) {
      ObjectNode body = Frames.JSON.createObjectNode();
      ArrayNode a = body.putArray("statements");
      for (String s : statements.subList(i, Math.min(statements.size(), i + size))) {
        try {
          a.add(Frames.JSON.readTree(s));
        } catch (JsonProcessingException e) {
          throw new IllegalArgumentException("statement is not JSON: " + e.getMessage(), e);
        }
      }
      try {
        out.add(Frames.JSON.writeValueAsString(body));
      } catch (JsonProcessingException e) {
        throw new UncheckedIOException(e);
      }
    }
    return out;
  }

  /**
   * The default territorial scope: the 30 EEA countries.
   *
   * @return ISO country codes; never null
   */
  public static List<String> eea() {
    return EEA;
  }
}
