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

  /** Reads one item object; called with the parser on its START_OBJECT. */
  interface ItemReader {
    void item(JsonParser p, long line) throws IOException;
  }

  /** Reads a page field other than the item array; called with the parser on the field's value. */
  interface FieldReader {
    void field(String name, JsonParser p) throws IOException;
  }

  /**
   * Reads a page: either a plain array of item objects, or an object whose {@code arrayField} holds
   * them and whose other fields go to {@code fields}. A non-object item is reported and skipped;
   * broken JSON ends the read with one problem. Returns how many items the arrays held.
   */
  static long readPage(Reader in, RecordSink sink, String arrayField, String what, ItemReader items,
      FieldReader fields) throws IOException {
    long[] n = {0};
    try (JsonParser p = parser(in)) {
      JsonToken t = p.nextToken();
      if (t == JsonToken.START_ARRAY) {
        items(p, sink, what, items, n);
      } else if (t == JsonToken.START_OBJECT) {
        while (p.nextToken() == JsonToken.FIELD_NAME) {
          String f = p.currentName();
          JsonToken v = p.nextToken();
          if (arrayField.equals(f) && v == JsonToken.START_ARRAY) {
            items(p, sink, what, items, n);
          } else {
            fields.field(f, p);
            if (p.currentToken() == JsonToken.START_OBJECT || p.currentToken() == JsonToken.START_ARRAY) {
              p.skipChildren();
            }
          }
        }
      } else if (t != null) {
        sink.problem(line(p), ProblemKind.MALFORMED, "expected a page object or an array of " + what + "s, got " + t);
      }
    } catch (com.fasterxml.jackson.core.JacksonException e) {
      sink.problem(e.getLocation() == null ? 0 : e.getLocation().getLineNr(), ProblemKind.MALFORMED,
          "broken JSON, the rest is not read: " + e.getOriginalMessage());
    }
    return n[0];
  }

  private static void items(JsonParser p, RecordSink sink, String what, ItemReader items, long[] n) throws IOException {
    JsonToken t;
    while ((t = p.nextToken()) != JsonToken.END_ARRAY && t != null) {
      long line = line(p);
      n[0]++;
      if (t != JsonToken.START_OBJECT) {
        sink.problem(line, ProblemKind.MALFORMED, "a " + what + " must be an object, got " + t);
        p.skipChildren();
        continue;
      }
      items.item(p, line);
    }
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
