package dev.haetae.moderation.core.policy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.haetae.moderation.api.Category;
import dev.haetae.moderation.api.Surface;
import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * Reads one policy's parameters from its JSON object with precise errors, and records the effective
 * value of every parameter (defaults included) so that the configuration hash covers what actually
 * runs. Not thread-safe; used once at load.
 */
final class Params {
  private final String path;
  private final JsonNode node;
  private final Set<String> known = new TreeSet<>();
  private final ObjectNode effective = JsonNodeFactory.instance.objectNode();

  Params(String path, JsonNode node) {
    this.path = path;
    this.node = node == null || node.isNull() ? JsonNodeFactory.instance.objectNode() : node;
    if (!this.node.isObject()) {
      throw new PolicyConfigException(path, "must be a JSON object of parameters, got " + kind(this.node));
    }
  }

  /** Parameters of a policy with no configuration given. */
  static Params empty(String path) {
    return new Params(path, null);
  }

  String path() {
    return path;
  }

  private JsonNode get(String key) {
    known.add(key);
    JsonNode v = node.get(key);
    return v == null || v.isNull() ? null : v;
  }

  boolean bool(String key, boolean dflt) {
    JsonNode v = get(key);
    boolean out = dflt;
    if (v != null) {
      if (!v.isBoolean()) {
        throw new PolicyConfigException(path + "." + key, "must be true or false, got " + kind(v));
      }
      out = v.booleanValue();
    }
    effective.put(key, out);
    return out;
  }

  int integer(String key, int dflt, int min, int max) {
    JsonNode v = get(key);
    int out = dflt;
    if (v != null) {
      if (!v.isIntegralNumber() || !v.canConvertToInt()) {
        throw new PolicyConfigException(path + "." + key, "must be a whole number, got " + kind(v));
      }
      out = v.intValue();
    }
    if (out < min || out > max) {
      throw new PolicyConfigException(path + "." + key, "must be between " + min + " and " + max + ", got " + out);
    }
    effective.put(key, out);
    return out;
  }

  double fraction(String key, double dflt) {
    JsonNode v = get(key);
    double out = dflt;
    if (v != null) {
      if (!v.isNumber()) {
        throw new PolicyConfigException(path + "." + key, "must be a number, got " + kind(v));
      }
      out = v.doubleValue();
    }
    if (!(out >= 0 && out <= 1)) {
      throw new PolicyConfigException(path + "." + key, "must be between 0 and 1, got " + out);
    }
    effective.put(key, out);
    return out;
  }

  String text(String key, String dflt) {
    JsonNode v = get(key);
    String out = dflt;
    if (v != null) {
      if (!v.isTextual() || v.asText().isBlank()) {
        throw new PolicyConfigException(path + "." + key, "must be a non-blank string, got " + kind(v));
      }
      out = v.asText();
    }
    effective.put(key, out);
    return out;
  }

  String choice(String key, String dflt, String... allowed) {
    String out = text(key, dflt);
    for (String a : allowed) {
      if (a.equals(out)) {
        return out;
      }
    }
    throw new PolicyConfigException(path + "." + key, "must be one of " + String.join(", ", allowed) + ", got '"
        + out + "'");
  }

  Duration duration(String key, Duration dflt) {
    JsonNode v = get(key);
    Duration out = dflt;
    if (v != null) {
      out = parseDuration(path + "." + key, v);
    }
    effective.put(key, out.toString());
    return out;
  }

  /** A map of names to durations, e.g. {@code {"default":"P90D","csam":"P3650D"}}. */
  Map<String, Duration> durations(String key, Map<String, Duration> dflt) {
    JsonNode v = get(key);
    Map<String, Duration> out = new LinkedHashMap<>(dflt);
    if (v != null) {
      if (!v.isObject()) {
        throw new PolicyConfigException(path + "." + key, "must be an object of policy name to ISO-8601 duration, got "
            + kind(v));
      }
      for (Map.Entry<String, JsonNode> e : v.properties()) {
        out.put(e.getKey(), parseDuration(path + "." + key + "." + e.getKey(), e.getValue()));
      }
    }
    ObjectNode eff = effective.putObject(key);
    new java.util.TreeMap<>(out).forEach((k, d) -> eff.put(k, d.toString()));
    return out;
  }

  List<Category> categories(String key, List<Category> dflt) {
    JsonNode v = get(key);
    List<Category> out = new ArrayList<>(dflt);
    if (v != null) {
      out.clear();
      if (!v.isArray()) {
        throw new PolicyConfigException(path + "." + key, "must be an array of category names, got " + kind(v));
      }
      int i = 0;
      for (JsonNode c : v) {
        String p = path + "." + key + "[" + i++ + "]";
        if (!c.isTextual()) {
          throw new PolicyConfigException(p, "must be a category name, got " + kind(c));
        }
        try {
          out.add(Category.fromWire(c.asText()));
        } catch (RuntimeException e) {
          throw new PolicyConfigException(p, "unknown category '" + c.asText() + "' (known: " + names(Category.values())
              + ")");
        }
      }
    }
    effective.putArray(key).addAll(out.stream().map(c -> JsonNodeFactory.instance.textNode(c.wireName())).toList());
    return List.copyOf(out);
  }

  List<Surface> surfaces(String key, List<Surface> dflt) {
    JsonNode v = get(key);
    List<Surface> out = new ArrayList<>(dflt);
    if (v != null) {
      out.clear();
      if (!v.isArray()) {
        throw new PolicyConfigException(path + "." + key, "must be an array of surface names, got " + kind(v));
      }
      int i = 0;
      for (JsonNode c : v) {
        String p = path + "." + key + "[" + i++ + "]";
        try {
          out.add(Surface.fromWire(c.asText()));
        } catch (RuntimeException e) {
          throw new PolicyConfigException(p, "unknown surface '" + c.asText()
              + "' (known: public_channel, group, direct)");
        }
      }
    }
    effective.putArray(key).addAll(out.stream().map(c -> JsonNodeFactory.instance.textNode(c.wireName())).toList());
    return List.copyOf(out);
  }

  /** Fails on any parameter the policy did not ask for (a typo must not silently keep a default). */
  void requireNoUnknown() {
    Iterator<String> it = node.fieldNames();
    while (it.hasNext()) {
      String k = it.next();
      if (!known.contains(k) && !k.equals("enabled")) {
        throw new PolicyConfigException(path + "." + k, "unknown parameter (known: " + String.join(", ", known) + ")");
      }
    }
  }

  /** The effective parameters, defaults included, keys sorted. */
  ObjectNode effective() {
    ObjectNode sorted = JsonNodeFactory.instance.objectNode();
    new TreeSet<>(iterable(effective.fieldNames())).forEach(k -> sorted.set(k, effective.get(k)));
    return sorted;
  }

  /** The policy's configuration hash: the first 16 hex digits of SHA-256 of the effective JSON. */
  String hash() {
    return PolicyConfig.sha256(effective().toString()).substring(0, 16);
  }

  private static List<String> iterable(Iterator<String> it) {
    List<String> l = new ArrayList<>();
    it.forEachRemaining(l::add);
    return l;
  }

  private static Duration parseDuration(String path, JsonNode v) {
    if (!v.isTextual()) {
      throw new PolicyConfigException(path, "must be an ISO-8601 duration such as \"P90D\" or \"PT24H\", got "
          + kind(v));
    }
    Duration d;
    try {
      d = Duration.parse(v.asText());
    } catch (DateTimeParseException e) {
      throw new PolicyConfigException(path, "must be an ISO-8601 duration such as \"P90D\" or \"PT24H\", got '"
          + v.asText() + "'");
    }
    if (d.isNegative() || d.isZero()) {
      throw new PolicyConfigException(path, "must be positive, got " + d);
    }
    return d;
  }

  static String kind(JsonNode v) {
    if (v.isTextual()) {
      return "the string '" + v.asText() + "'";
    }
    return v.getNodeType().name().toLowerCase(Locale.ROOT) + " " + v;
  }

  private static String names(Category[] cs) {
    List<String> l = new ArrayList<>();
    for (Category c : cs) {
      l.add(c.wireName());
    }
    return String.join(", ", l);
  }
}
