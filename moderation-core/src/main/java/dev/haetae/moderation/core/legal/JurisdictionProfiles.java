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
 * The legal instruments Haetae knows, loaded from data: a bundled, versioned profile file (US, EU,
 * IN, AU, KR entries) that a host can override or extend with its own file. Validated at load:
 * unknown fields, negative durations, missing citations and unknown values are reported with the
 * entry's id.
 *
 * <p>Immutable and thread-safe.
 *
 * @since 0.1
 */
public final class JurisdictionProfiles {
  private static final String BUNDLED = "jurisdictions.json";
  private static final Set<String> FIELDS = Set.of("id", "jurisdiction", "citation", "category", "clock_starts",
      "deadline", "internal_target", "duties", "remove_identical_copies", "preserve_for", "senders", "surfaces",
      "required_fields");

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
      return parse(BUNDLED, in);
    } catch (IOException e) {
      throw new ConfigurationException("cannot read bundled jurisdiction profiles", e);
    }
  }

  /**
   * Loads profiles from a file in the bundled format.
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
    String version = text(source, "(root)", root, "version");
    JsonNode list = root.get("instruments");
    if (list == null || !list.isArray()) {
      throw new ConfigurationException(source + ": 'instruments' must be an array");
    }
    Map<String, Instrument> out = new LinkedHashMap<>();
    for (JsonNode n : list) {
      String id = text(source, "(entry)", n, "id");
      String where = source + ": instrument " + id;
      for (Iterator<String> it = n.fieldNames(); it.hasNext(); ) {
        String f = it.next();
        if (!FIELDS.contains(f)) {
          throw new ConfigurationException(where + ": unknown field '" + f + "'");
        }
      }
      try {
        Instrument ins = new Instrument(id, Jurisdiction.of(text(source, id, n, "jurisdiction")),
            text(source, id, n, "citation"), Category.fromWire(text(source, id, n, "category")),
            text(source, id, n, "clock_starts"), duration(where, n, "deadline"),
            n.path("internal_target").asBoolean(false), enums(where, n, "duties", Duty.class),
            n.path("remove_identical_copies").asBoolean(false), duration(where, n, "preserve_for"),
            Set.copyOf(enums(where, n, "senders", NoticeSender.class)),
            Set.copyOf(enums(where, n, "surfaces", Surface.class)), fields(where, n));
        if (out.put(id, ins) != null) {
          throw new ConfigurationException(where + ": duplicate id");
        }
      } catch (InvalidRequestException | IllegalArgumentException e) {
        throw new ConfigurationException(where + ": " + e.getMessage(), e);
      }
    }
    return new JurisdictionProfiles(version, out);
  }

  private static String text(String source, String id, JsonNode n, String field) {
    JsonNode v = n.get(field);
    if (v == null || !v.isTextual() || v.asText().isBlank()) {
      throw new ConfigurationException(source + ": instrument " + id + ": missing or empty '" + field + "'");
    }
    return v.asText();
  }

  private static Duration duration(String where, JsonNode n, String field) {
    JsonNode v = n.get(field);
    if (v == null || !v.isTextual()) {
      throw new ConfigurationException(where + ": missing '" + field + "' (an ISO-8601 duration such as PT48H)");
    }
    Duration d;
    try {
      d = Duration.parse(v.asText());
    } catch (DateTimeParseException e) {
      throw new ConfigurationException(where + ": '" + field + "' is not an ISO-8601 duration: " + v.asText(), e);
    }
    if (d.isNegative()) {
      throw new ConfigurationException(where + ": '" + field + "' must not be negative: " + v.asText());
    }
    return d;
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
      out.put(e.getKey(), e.getValue().asText());
    }
    return out;
  }
}
