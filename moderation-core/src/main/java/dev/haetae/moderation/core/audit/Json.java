package dev.haetae.moderation.core.audit;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Duration;
import java.time.Instant;
import java.util.Locale;
import java.util.Optional;

/** Reading helpers shared by the record codecs. Stateless. */
final class Json {
  private Json() {}

  /** Thrown when a record's JSON does not have the documented shape. */
  static final class FormatException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    FormatException(String message, Throwable cause) {
      super(message, cause);
    }
  }

  static JsonNode req(JsonNode n, String field) {
    JsonNode v = n.get(field);
    if (v == null || v.isNull()) {
      throw new FormatException("missing field '" + field + "'", null);
    }
    return v;
  }

  static String text(JsonNode n, String field) {
    return req(n, field).asText();
  }

  static Instant instant(JsonNode n, String field) {
    return Instant.parse(req(n, field).asText());
  }

  static Duration duration(JsonNode n, String field) {
    return Duration.parse(req(n, field).asText());
  }

  static Optional<Instant> optInstant(JsonNode n, String field) {
    return n.has(field) ? Optional.of(Instant.parse(n.get(field).asText())) : Optional.empty();
  }

  static Optional<String> optString(JsonNode n, String field) {
    return n.has(field) ? Optional.of(n.get(field).asText()) : Optional.empty();
  }

  /** An optional free-text field, masked or kept. */
  static Optional<String> optText(JsonNode n, String field) {
    return n.has(field) ? Optional.of(readText(n.get(field))) : Optional.empty();
  }

  /** A masked text reads back as a deterministic placeholder. */
  static String readText(JsonNode n) {
    if (n.isTextual()) {
      return n.asText();
    }
    return "[masked " + req(n, "masked").asInt() + " chars #" + req(n, "h").asText() + "]";
  }

  /** Whether a free-text field was masked when it was written. */
  static boolean masked(JsonNode n, String field) {
    JsonNode v = n.get(field);
    return v != null && v.isObject() && v.has("masked");
  }

  static String pseudonym(JsonNode idNode) {
    return req(idNode, "p").asText();
  }

  static <E extends Enum<E>> E enumOf(Class<E> type, JsonNode n) {
    return Enum.valueOf(type, n.asText().toUpperCase(Locale.ROOT));
  }
}
