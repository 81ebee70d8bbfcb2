package dev.haetae.moderation.core.banks;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.StreamReadConstraints;
import java.io.IOException;
import java.io.Reader;
import java.time.Instant;
import java.util.Optional;

/**
 * Streaming JSON shared by the readers: bounded strings, numbers and nesting, so that a hostile page
 * cannot make a reader hold more than one record's scalar fields.
 */
final class Json {
  /** The longest JSON string kept. */
  static final int MAX_STRING = 64 * 1024;

  static final JsonFactory FACTORY = JsonFactory.builder()
      .streamReadConstraints(StreamReadConstraints.builder()
          .maxStringLength(MAX_STRING)
          .maxNumberLength(64)
          .maxNestingDepth(64)
          .maxNameLength(MAX_STRING)
          .build())
      .build();

  private Json() {}

  static JsonParser parser(Reader in) throws IOException {
    return FACTORY.createParser(in);
  }

  /**
   * The current value as text when it is a scalar (string, number, boolean), null for JSON null;
   * an object or array is skipped and reported as {@code ""} with {@code structured[0]} set.
   */
  static String scalar(JsonParser p) throws IOException {
    JsonToken t = p.currentToken();
    if (t == JsonToken.START_OBJECT || t == JsonToken.START_ARRAY) {
      p.skipChildren();
      return "\u0000structured";
    }
    if (t == JsonToken.VALUE_NULL) {
      return null;
    }
    return p.getText();
  }

  static boolean isStructured(String s) {
    return "\u0000structured".equals(s);
  }

  static long line(JsonParser p) {
    return p.currentTokenLocation().getLineNr();
  }

  /** Epoch seconds (integer or fractional) as an instant, or empty when unreadable or out of range. */
  static Optional<Instant> epochSeconds(String s) {
    if (s == null || s.isEmpty() || s.length() > 32) {
      return Optional.empty();
    }
    try {
      double d = Double.parseDouble(s.strip());
      if (!(d >= 0 && d < 4_102_444_800d)) { // 1970 .. 2100
        return Optional.empty();
      }
      long sec = (long) d;
      return Optional.of(Instant.ofEpochSecond(sec, (long) ((d - sec) * 1e9)));
    } catch (NumberFormatException e) {
      return Optional.empty();
    }
  }
}
