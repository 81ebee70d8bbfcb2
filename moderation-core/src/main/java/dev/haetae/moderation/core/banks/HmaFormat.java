package dev.haetae.moderation.core.banks;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import dev.haetae.moderation.api.spi.HashBankSource.Entry.State;
import java.io.IOException;
import java.io.Reader;
import java.io.Writer;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;

/**
 * Hasher-Matcher-Actioner's exchange formats: the local-file exchange ({@code signal_type signal}
 * per line, e.g. {@code pdq d8f8...}) and bank contents as JSON ({@code {"id": 7, "signals":
 * {"pdq": "...", "video_md5": "..."}}}, one object, an array of them, or an object whose
 * {@code contents} array holds them; the content id becomes each signal's case id).
 */
final class HmaFormat {
  private HmaFormat() {}

  static void readFile(Reader in, RecordSink sink) throws IOException {
    BoundedLines.forEachLine(in, sink, (no, t) -> {
      int sp = indexOfSpace(t);
      if (sp < 0) {
        sink.problem(no, ProblemKind.MALFORMED, "expected 'signal_type signal', got '" + ListRecord.printable(t) + "'");
        return;
      }
      String type = ListRecord.canonicalType(t.substring(0, sp));
      String value = t.substring(sp + 1).strip();
      if (type.isEmpty() || value.isEmpty()) {
        sink.problem(no, ProblemKind.MALFORMED, "expected 'signal_type signal'");
        return;
      }
      sink.accept(ListRecord.of(type, value, State.ACTIVE, no));
    });
  }

  private static int indexOfSpace(String s) {
    for (int i = 0; i < s.length(); i++) {
      if (s.charAt(i) == ' ' || s.charAt(i) == '\t') {
        return i;
      }
    }
    return -1;
  }

  /** Writes the active records as {@code signal_type signal} lines (the file exchange has no states). */
  static void writeFile(Iterable<ListRecord> records, Writer out) throws IOException {
    for (ListRecord r : records) {
      if (r.state() == State.ACTIVE && !r.value().isEmpty()) {
        out.write(r.signalType() + " " + r.value() + "\n");
      }
    }
    out.flush();
  }

  static void readJson(Reader in, RecordSink sink) throws IOException {
    try (JsonParser p = Json.parser(in)) {
      JsonToken t = p.nextToken();
      if (t == JsonToken.START_ARRAY) {
        contents(p, sink);
      } else if (t == JsonToken.START_OBJECT) {
        content(p, Json.line(p), sink, true); // one content, or a wrapper with a contents array
      } else if (t != null) {
        sink.problem(Json.line(p), ProblemKind.MALFORMED, "expected bank content objects, got " + t);
      }
    } catch (com.fasterxml.jackson.core.JacksonException e) {
      sink.problem(e.getLocation() == null ? 0 : e.getLocation().getLineNr(), ProblemKind.MALFORMED,
          "broken JSON, the rest is not read: " + e.getOriginalMessage());
    }
  }

  private static void contents(JsonParser p, RecordSink sink) throws IOException {
    JsonToken t;
    while ((t = p.nextToken()) != JsonToken.END_ARRAY && t != null) {
      long line = Json.line(p);
      if (t != JsonToken.START_OBJECT) {
        sink.problem(line, ProblemKind.MALFORMED, "bank content must be an object, got " + t);
        p.skipChildren();
        continue;
      }
      content(p, line, sink, false);
    }
  }

  /** Reads one content object (its id may follow its signals); a top-level one may wrap {@code contents}. */
  private static void content(JsonParser p, long line, RecordSink sink, boolean top) throws IOException {
    String id = null;
    boolean sawSignals = false;
    boolean sawContents = false;
    List<String[]> found = new ArrayList<>(2);
    while (p.nextToken() == JsonToken.FIELD_NAME) {
      String f = p.currentName();
      JsonToken v = p.nextToken();
      if (top && "contents".equals(f) && v == JsonToken.START_ARRAY) {
        sawContents = true;
        contents(p, sink);
      } else if ("signals".equals(f) && v == JsonToken.START_OBJECT) {
        sawSignals = true;
        while (p.nextToken() == JsonToken.FIELD_NAME) {
          String type = p.currentName();
          p.nextToken();
          String value = Json.scalar(p);
          if (found.size() < 64) {
            found.add(new String[] {type, value});
          }
        }
      } else if ("id".equals(f)) {
        id = Json.scalar(p);
      } else {
        p.skipChildren();
      }
    }
    if (!sawSignals) {
      if (!sawContents) {
        sink.problem(line, ProblemKind.MALFORMED, "bank content has no signals");
      }
      return;
    }
    for (String[] s : found) {
      emit(s[0], s[1], id, line, sink);
    }
  }

  private static void emit(String type, String value, String id, long line, RecordSink sink) {
    if (value == null || value.isBlank() || Json.isStructured(value)) {
      sink.problem(line, ProblemKind.MALFORMED, "signal " + ListRecord.printable(type) + " has no value");
      return;
    }
    Optional<String> caseId = id == null || id.isBlank() || Json.isStructured(id) ? Optional.empty() : Optional.of(id);
    sink.accept(new ListRecord(ListRecord.canonicalType(type), value.strip(), State.ACTIVE, Optional.empty(), caseId,
        Optional.empty(), OptionalInt.empty(), line));
  }

  /** Writes the active records as an array of bank contents, one per record. */
  static void writeJson(Iterable<ListRecord> records, Writer out) throws IOException {
    try (JsonGenerator g = Json.FACTORY.createGenerator(new NonClosingWriter(out))) {
      g.writeStartArray();
      long n = 0;
      for (ListRecord r : records) {
        if (r.state() != State.ACTIVE || r.value().isEmpty()) {
          continue;
        }
        g.writeRaw('\n');
        g.writeStartObject();
        g.writeStringField("id", r.caseId().orElse(Long.toString(++n)));
        g.writeObjectFieldStart("signals");
        g.writeStringField(r.signalType(), r.value());
        g.writeEndObject();
        g.writeEndObject();
      }
      g.writeRaw('\n');
      g.writeEndArray();
    }
    out.write('\n');
    out.flush();
  }
}
