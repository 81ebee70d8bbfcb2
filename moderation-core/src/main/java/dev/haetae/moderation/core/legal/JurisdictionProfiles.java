package dev.haetae.moderation.core.legal;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.haetae.moderation.api.Category;
import dev.haetae.moderation.api.ConfigurationException;
import dev.haetae.moderation.api.Duty;
import dev.haetae.moderation.api.InvalidRequestException;
import dev.haetae.moderation.api.Jurisdiction;
import dev.haetae.moderation.api.NoticeSender;
import dev.haetae.moderation.api.Surface;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Period;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;

/**
 * The legal instruments Haetae knows, loaded from data: a bundled, versioned profile file (KR, US,
 * EU, AU, IN and UK entries) that a host can override or extend with its own file. Validated at
 * load: unknown fields, negative or zero deadlines, negative durations, missing citations, unknown
 * values and appeal references to missing entries are reported with the source and the entry's id
 * as a {@link ConfigurationException}.
 *
 * <p>Immutable and thread-safe.
 *
 * @since 0.1
 */
public final class JurisdictionProfiles {
  private static final String BUNDLED = "jurisdictions.json";
  private static final Set<String> ROOT_FIELDS = Set.of("version", "description", "instruments");
  private static final Set<String> FIELDS = Set.of("id", "kind", "jurisdiction", "citation", "category",
      "clock_starts", "deadline", "internal_target", "duties", "remove_identical_copies", "preserve_for",
      "retain_records_for", "senders", "surfaces", "required_fields", "not_required_for", "appeal", "appeal_window", "notes",
      "temporary_measure_for");

  private final String version;
  private final Map<String, Instrument> instruments;

  private JurisdictionProfiles(String version, Map<String, Instrument> instruments) {
    this.version = version;
    this.instruments = java.util.Collections.unmodifiableMap(new TreeMap<>(instruments));
  }

  /**
   * The profiles bundled with this version of Haetae.
   *
   * @return the bundled profiles
   * @throws ConfigurationException if the bundled file is damaged (a packaging error)
   */
  public static JurisdictionProfiles bundled() {
    try (InputStream in = JurisdictionProfiles.class.getResourceAsStream(BUNDLED)) {
      if (in == null) {
        throw new ConfigurationException("bundled jurisdiction profiles not found on the class path");
      }
      JurisdictionProfiles p = parse(BUNDLED, in);
      checkReferences(p.instruments);
      return p;
    } catch (IOException e) {
      throw new ConfigurationException("cannot read bundled jurisdiction profiles", e);
    }
  }

  /**
   * Loads profiles from a file in the bundled format. A file meant as an overlay may refer to
   * appeal entries of the profiles it overrides; see {@link #overriddenBy}.
   *
   * @param file the JSON file; not null
   * @return the profiles
   * @throws ConfigurationException naming the file and entry when it does not validate
   */
  public static JurisdictionProfiles load(Path file) {
    try (InputStream in = Files.newInputStream(file)) {
      return parse(file.toString(), in);
    } catch (IOException e) {
      throw new ConfigurationException("cannot read jurisdiction profiles " + file + ": " + e.getMessage(), e);
    }
  }

  /**
   * These profiles with the other's entries added, replacing entries with the same id.
   *
   * @param other the overriding profiles; not null
   * @return the merged profiles, versioned {@code this+other}
   */
  public JurisdictionProfiles overriddenBy(JurisdictionProfiles other) {
    Map<String, Instrument> m = new LinkedHashMap<>(instruments);
    m.putAll(other.instruments);
    checkReferences(m);
    return new JurisdictionProfiles(version + "+" + other.version, m);
  }

  /**
   * The profiles' version, recorded in the evidence of every notice decision.
   *
   * @return the version; never null
   */
  public String version() {
    return version;
  }

  /**
   * One instrument by id.
   *
   * @param id the instrument id; not null
   * @return the instrument, if known
   */
  public Optional<Instrument> instrument(String id) {
    return Optional.ofNullable(instruments.get(id));
  }

  /**
   * Every instrument, by id.
   *
   * @return an unmodifiable sorted map; never null
   */
  public Map<String, Instrument> instruments() {
    return instruments;
  }

  /**
   * Reads profiles in the bundled format from a stream (which this method does not close).
   *
   * @param source a name for the stream, used in error messages; not null
   * @param in the JSON; not null
   * @return the profiles
   * @throws ConfigurationException naming the source, the entry and the field when it does not
   *     validate, or when the stream cannot be read
   */
  public static JurisdictionProfiles read(String source, InputStream in) {
    try {
      return parse(source, in);
    } catch (IOException e) {
      throw new ConfigurationException("cannot read jurisdiction profiles " + source + ": " + e.getMessage(), e);
    }
  }

  /**
   * Profiles built in code.
   *
   * @param version the version to record in evidence; not null, not blank
   * @param entries the instruments; not null; ids must be unique
   * @return the profiles
   * @throws ConfigurationException on a duplicate id or an appeal reference to a missing or
   *     non-appeal entry
   */
  public static JurisdictionProfiles of(String version, List<Instrument> entries) {
    if (version == null || version.isBlank()) {
      throw new ConfigurationException("jurisdiction profiles need a version");
    }
    Map<String, Instrument> m = new LinkedHashMap<>();
    for (Instrument i : entries) {
      if (m.put(i.id(), i) != null) {
        throw new ConfigurationException("instrument " + i.id() + ": duplicate id");
      }
    }
    checkReferences(m);
    return new JurisdictionProfiles(version, m);
  }

  static JurisdictionProfiles parse(String source, InputStream in) throws IOException {
    JsonNode root;
    try {
      root = new ObjectMapper().readTree(in);
    } catch (IOException e) {
      throw new ConfigurationException(source + ": not valid JSON: " + e.getMessage(), e);
    }
    if (root == null || !root.isObject()) {
      throw new ConfigurationException(source + ": expected a JSON object with 'version' and 'instruments'");
    }
    for (Iterator<String> it = root.fieldNames(); it.hasNext(); ) {
      String f = it.next();
      if (!ROOT_FIELDS.contains(f)) {
        throw new ConfigurationException(source + ": unknown top-level field '" + f + "' (allowed: " + ROOT_FIELDS
            + ")");
      }
    }
    String version = text(source, "(root)", root, "version");
    JsonNode list = root.get("instruments");
    if (list == null || !list.isArray()) {
      throw new ConfigurationException(source + ": 'instruments' must be an array");
    }
    Map<String, Instrument> out = new LinkedHashMap<>();
    int index = 0;
    for (JsonNode n : list) {
      if (!n.isObject()) {
        throw new ConfigurationException(source + ": instruments[" + index + "] must be an object");
      }
      String id = text(source, "at index " + index, n, "id");
      String where = source + ": instrument " + id;
      for (Iterator<String> it = n.fieldNames(); it.hasNext(); ) {
        String f = it.next();
        if (!FIELDS.contains(f)) {
          throw new ConfigurationException(where + ": unknown field '" + f + "'");
        }
      }
      try {
        Instrument.Kind kind = n.has("kind") ? oneEnum(where, n, "kind", Instrument.Kind.class) : Instrument.Kind.NOTICE;
        Optional<String> appeal = n.has("appeal") && !n.get("appeal").isNull()
            ? Optional.of(text(source, id, n, "appeal")) : Optional.empty();
        Instrument ins = new Instrument(id, kind, Jurisdiction.of(text(source, id, n, "jurisdiction")),
            text(source, id, n, "citation"), Category.fromWire(text(source, id, n, "category")),
            text(source, id, n, "clock_starts"), duration(where, n, "deadline", false),
            bool(where, n, "internal_target"), enums(where, n, "duties", Duty.class),
            bool(where, n, "remove_identical_copies"), duration(where, n, "preserve_for", true),
            period(where, n, "retain_records_for"),
            Set.copyOf(enums(where, n, "senders", NoticeSender.class)),
            Set.copyOf(enums(where, n, "surfaces", Surface.class)), fields(where, n), exemptions(where, n), appeal,
            period(where, n, "appeal_window"), n.has("notes") ? text(source, id, n, "notes") : "",
            n.has("temporary_measure_for") ? duration(where, n, "temporary_measure_for", true) : Duration.ZERO);
        if (out.put(id, ins) != null) {
          throw new ConfigurationException(where + ": duplicate id");
        }
      } catch (InvalidRequestException | IllegalArgumentException e) {
        throw new ConfigurationException(where + ": " + e.getMessage(), e);
      }
      index++;
    }
    return new JurisdictionProfiles(version, out);
  }

  /**
   * Checks that every {@code appeal} reference names an appeal entry of these profiles. A file
   * loaded alone may refer to entries of the profiles it is meant to override; the check runs when
   * profiles are merged, built in code, bundled, or put to use by {@link Obligations}.
   *
   * @throws ConfigurationException naming the entry with a dangling reference
   */
  void checkReferences() {
    checkReferences(instruments);
  }

  private static void checkReferences(Map<String, Instrument> instruments) {
    for (Instrument i : instruments.values()) {
      if (i.appeal().isPresent()) {
        Instrument a = instruments.get(i.appeal().get());
        if (a == null || a.kind() != Instrument.Kind.APPEAL) {
          throw new ConfigurationException("instrument " + i.id() + ": 'appeal' names '" + i.appeal().get()
              + "', which is not an appeal entry of these profiles");
        }
      }
    }
  }

  private static String text(String source, String id, JsonNode n, String field) {
    JsonNode v = n.get(field);
    if (v == null || !v.isTextual() || v.asText().isBlank()) {
      throw new ConfigurationException(source + ": instrument " + id + ": missing or empty '" + field + "'");
    }
    return v.asText();
  }

  private static boolean bool(String where, JsonNode n, String field) {
    JsonNode v = n.get(field);
    if (v == null) {
      return false;
    }
    if (!v.isBoolean()) {
      throw new ConfigurationException(where + ": '" + field + "' must be true or false, got " + v);
    }
    return v.booleanValue();
  }

  /**
   * Parses a duration. With {@code calendar}, also accepts calendar periods (P1Y, P6M, P1Y6M)
   * and converts them to their longest possible length (366 days a year, 31 days a month), so that
   * a preservation period computed from it never ends before the calendar period would.
   */
  private static Duration duration(String where, JsonNode n, String field, boolean calendar) {
    JsonNode v = n.get(field);
    if (v == null || !v.isTextual()) {
      throw new ConfigurationException(where + ": missing '" + field + "' (an ISO-8601 duration such as PT48H"
          + (calendar ? " or a period such as P1Y" : "") + ")");
    }
    String s = v.asText();
    Duration d;
    try {
      if (s.startsWith("-")) {
        throw new ConfigurationException(where + ": '" + field + "' must not be negative: " + s);
      }
      int t = s.indexOf('T');
      String datePart = t < 0 ? s : s.substring(0, t);
      if (calendar && (datePart.contains("Y") || datePart.contains("M") || datePart.contains("W"))) {
        Period p = Period.parse(datePart);
        if (p.isNegative()) {
          throw new ConfigurationException(where + ": '" + field + "' must not be negative: " + s);
        }
        d = Duration.ofDays(p.getYears() * 366L + p.getMonths() * 31L + p.getDays());
        if (t >= 0) {
          d = d.plus(Duration.parse("P" + s.substring(t)));
        }
      } else {
        d = Duration.parse(s);
      }
    } catch (DateTimeParseException e) {
      throw new ConfigurationException(where + ": '" + field + "' is not an ISO-8601 duration: " + s, e);
    }
    if (d.isNegative()) {
      throw new ConfigurationException(where + ": '" + field + "' must not be negative: " + s);
    }
    return d;
  }

  private static Period period(String where, JsonNode n, String field) {
    JsonNode v = n.get(field);
    if (v == null) {
      return Period.ZERO;
    }
    if (!v.isTextual()) {
      throw new ConfigurationException(where + ": '" + field + "' must be an ISO-8601 period such as P6M");
    }
    try {
      Period p = Period.parse(v.asText());
      if (p.isNegative()) {
        throw new ConfigurationException(where + ": '" + field + "' must not be negative: " + v.asText());
      }
      return p;
    } catch (DateTimeParseException e) {
      throw new ConfigurationException(where + ": '" + field + "' is not an ISO-8601 period: " + v.asText(), e);
    }
  }

  private static <E extends Enum<E>> E oneEnum(String where, JsonNode n, String field, Class<E> type) {
    JsonNode v = n.get(field);
    try {
      return Enum.valueOf(type, v.asText().toUpperCase(Locale.ROOT));
    } catch (IllegalArgumentException ex) {
      throw new ConfigurationException(where + ": '" + field + "' has unknown value '" + v.asText() + "'", ex);
    }
  }

  private static <E extends Enum<E>> List<E> enums(String where, JsonNode n, String field, Class<E> type) {
    JsonNode v = n.get(field);
    if (v == null || !v.isArray()) {
      throw new ConfigurationException(where + ": '" + field + "' must be an array");
    }
    List<E> out = new ArrayList<>();
    for (JsonNode e : v) {
      try {
        out.add(Enum.valueOf(type, e.asText().toUpperCase(Locale.ROOT)));
      } catch (IllegalArgumentException ex) {
        throw new ConfigurationException(where + ": '" + field + "' has unknown value '" + e.asText() + "'", ex);
      }
    }
    return out;
  }

  private static Map<String, String> fields(String where, JsonNode n) {
    JsonNode v = n.get("required_fields");
    if (v == null || !v.isObject()) {
      throw new ConfigurationException(where + ": 'required_fields' must be an object of name -> description");
    }
    Map<String, String> out = new LinkedHashMap<>();
    for (Map.Entry<String, JsonNode> e : v.properties()) {
      if (!e.getValue().isTextual()) {
        throw new ConfigurationException(where + ": required field '" + e.getKey() + "' needs a text description");
      }
      out.put(e.getKey(), e.getValue().asText());
    }
    return out;
  }

  private static Map<String, Set<Category>> exemptions(String where, JsonNode n) {
    JsonNode v = n.get("not_required_for");
    if (v == null) {
      return Map.of();
    }
    if (!v.isObject()) {
      throw new ConfigurationException(where + ": 'not_required_for' must be an object of field -> [categories]");
    }
    Map<String, Set<Category>> out = new LinkedHashMap<>();
    for (Map.Entry<String, JsonNode> e : v.properties()) {
      out.put(e.getKey(), Set.copyOf(enums(where + ": not_required_for", v, e.getKey(), Category.class)));
    }
    return out;
  }
}
