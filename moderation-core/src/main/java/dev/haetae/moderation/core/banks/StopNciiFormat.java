package dev.haetae.moderation.core.banks;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import dev.haetae.moderation.api.spi.HashBankSource.Entry.State;
import java.io.IOException;
import java.io.Reader;
import java.io.Writer;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;

/**
 * StopNCII hash exchange pages ({@code FetchHashes}): {@code count}, {@code nextPageToken},
 * {@code nextSetTimestamp}, {@code hasMoreRecords} and {@code hashRecords}, each record with
 * {@code lastModtimestamp}, {@code signalType}, {@code hashValue}, {@code hashStatus},
 * {@code caseNumbers} (case number to status) and {@code CSPFeedbacks}; and the feedback a platform
 * sends back ({@code SubmitFeedback}).
 *
 * <p>Statuses, compared without regard to case: {@code Active} and {@code Received} are active;
 * {@code Withdrawn} and {@code Deleted} remove the entry; anything else ({@code Unknown}, a missing
 * status, a value the exchange does not define) is reported as {@link ProblemKind#UNKNOWN_STATUS}
 * and not applied. {@code Received} is the state of a hash a person has just submitted: the
 * exchange's public client calls it the initial state and says that only {@code Withdrawn} and
 * {@code Deleted} are to be removed by the client, so a received hash already protects the person
 * who submitted it; waiting for {@code Active} (whose meaning the client calls unclear) would
 * leave the image matching nowhere in the meantime.
 */
final class StopNciiFormat {
  private static final Map<String, String> TO_STOPNCII = Map.of(
      "pdq", "ImagePDQ", "video_md5", "VideoMD5", "tmk", "VideoTMK", "text", "Text", "url", "URL");

  private StopNciiFormat() {}

  /** What a page says about the next one. */
  record Page(Optional<String> nextPageToken, Optional<Long> nextSetTimestamp, boolean hasMoreRecords, long records) {}

  static State status(String s) {
    if (s == null) {
      return null;
    }
    switch (s.strip().toLowerCase(Locale.ROOT)) {
      case "active":
      case "received":
        return State.ACTIVE;
      case "withdrawn":
        return State.WITHDRAWN;
      case "deleted":
        return State.DELETED;
      default:
        return null;
    }
  }

  /** Reads one or more pages (an object, an array of objects, or objects one after another). */
  static Page read(Reader in, RecordSink sink) throws IOException {
    Page last = new Page(Optional.empty(), Optional.empty(), false, 0);
    try (JsonParser p = Json.parser(in)) {
      JsonToken t;
      while ((t = p.nextToken()) != null) {
        if (t == JsonToken.START_ARRAY) {
          while ((t = p.nextToken()) == JsonToken.START_OBJECT) {
            last = page(p, sink);
          }
          if (t != JsonToken.END_ARRAY && t != null) {
            sink.problem(Json.line(p), ProblemKind.MALFORMED, "expected a page object, got " + t);
            p.skipChildren();
          }
        } else if (t == JsonToken.START_OBJECT) {
          last = page(p, sink);
        } else {
          sink.problem(Json.line(p), ProblemKind.MALFORMED, "expected a page object, got " + t);
          p.skipChildren();
        }
      }
    } catch (com.fasterxml.jackson.core.JacksonException e) {
      sink.problem(e.getLocation() == null ? 0 : e.getLocation().getLineNr(), ProblemKind.MALFORMED,
          "broken JSON, the rest is not read: " + e.getOriginalMessage());
    }
    return last;
  }

  private static Page page(JsonParser p, RecordSink sink) throws IOException {
    Optional<String> token = Optional.empty();
    Optional<Long> next = Optional.empty();
    boolean more = false;
    long n = 0;
    while (p.nextToken() == JsonToken.FIELD_NAME) {
      String field = p.currentName();
      JsonToken v = p.nextToken();
      if ("hashRecords".equals(field) && v == JsonToken.START_ARRAY) {
        JsonToken r;
        while ((r = p.nextToken()) != JsonToken.END_ARRAY && r != null) {
          long line = Json.line(p);
          if (r != JsonToken.START_OBJECT) {
            sink.problem(line, ProblemKind.MALFORMED, "a hash record must be an object, got " + r);
            p.skipChildren();
            continue;
          }
          record(p, line, sink);
          n++;
        }
      } else if ("nextPageToken".equals(field)) {
        String s = Json.scalar(p);
        token = s == null || s.isEmpty() || Json.isStructured(s) ? Optional.empty() : Optional.of(s);
      } else if ("nextSetTimestamp".equals(field)) {
        String s = Json.scalar(p);
        next = Json.epochSeconds(s).map(Instant::getEpochSecond);
      } else if ("hasMoreRecords".equals(field)) {
        more = v == JsonToken.VALUE_TRUE;
      } else {
        p.skipChildren();
      }
    }
    return new Page(token, next, more, n);
  }

  private static void record(JsonParser p, long line, RecordSink sink) throws IOException {
    String signal = null;
    String hash = null;
    String status = null;
    String modified = null;
    String caseId = null;
    while (p.nextToken() == JsonToken.FIELD_NAME) {
      String f = p.currentName();
      JsonToken v = p.nextToken();
      switch (f) {
        case "signalType":
          signal = Json.scalar(p);
          break;
        case "hashValue":
          hash = Json.scalar(p);
          break;
        case "hashStatus":
          status = Json.scalar(p);
          break;
        case "lastModtimestamp":
          modified = Json.scalar(p);
          break;
        case "caseNumbers":
          if (v == JsonToken.START_OBJECT) {
            while (p.nextToken() == JsonToken.FIELD_NAME) {
              if (caseId == null) {
                caseId = p.currentName();
              }
              p.nextToken();
              p.skipChildren();
            }
          } else {
            p.skipChildren();
          }
          break;
        default:
          p.skipChildren();
      }
    }
    if (signal == null || signal.isBlank() || Json.isStructured(signal)) {
      sink.problem(line, ProblemKind.MALFORMED, "signalType is missing");
      return;
    }
    if (hash == null || hash.isBlank() || Json.isStructured(hash)) {
      sink.problem(line, ProblemKind.MALFORMED, "hashValue is missing");
      return;
    }
    State state = Json.isStructured(status) ? null : status(status);
    if (state == null) {
      sink.problem(line, ProblemKind.UNKNOWN_STATUS, "hashStatus "
          + (status == null ? "is missing" : "has unknown value '" + ListRecord.printable(status) + "'")
          + " (allowed: Active, Received, Withdrawn, Deleted); the record is not applied");
      return;
    }
    sink.accept(new ListRecord(ListRecord.canonicalType(signal), hash.strip(), state, Json.epochSeconds(modified),
        Optional.ofNullable(caseId).filter(c -> !c.isBlank()), Optional.empty(), OptionalInt.empty(), line));
  }

  /** The exchange's name of a canonical type, or null when the exchange has none. */
  static String signalType(String canonical) {
    return TO_STOPNCII.get(canonical);
  }

  /**
   * Writes one page holding the active and withdrawn records of the exchange's types; returns how
   * many records had a type the exchange does not carry and were left out.
   */
  static long write(Iterable<ListRecord> records, Writer out) throws IOException {
    long skipped = 0;
    long maxTs = 0;
    long count = 0;
    for (ListRecord r : records) {
      if (r.state() != State.DELETED && !r.value().isEmpty() && signalType(r.signalType()) != null) {
        count++;
        maxTs = Math.max(maxTs, r.addedAt().map(Instant::getEpochSecond).orElse(0L));
      }
    }
    try (JsonGenerator g = Json.FACTORY.createGenerator(new NonClosingWriter(out))) {
      g.writeStartObject();
      g.writeNumberField("count", count);
      g.writeNullField("nextPageToken");
      g.writeNumberField("nextSetTimestamp", maxTs);
      g.writeBooleanField("hasMoreRecords", false);
      g.writeArrayFieldStart("hashRecords");
      for (ListRecord r : records) {
        if (r.state() == State.DELETED || r.value().isEmpty()) {
          continue;
        }
        String type = signalType(r.signalType());
        if (type == null) {
          skipped++;
          continue;
        }
        String status = r.state() == State.WITHDRAWN ? "Withdrawn" : "Active";
        g.writeRaw('\n');
        g.writeStartObject();
        g.writeNumberField("lastModtimestamp", r.addedAt().map(Instant::getEpochSecond).orElse(0L));
        g.writeStringField("signalType", type);
        g.writeStringField("hashValue", r.value());
        g.writeStringField("hashStatus", status);
        g.writeObjectFieldStart("caseNumbers");
        if (r.caseId().isPresent()) {
          g.writeStringField(r.caseId().get(), status);
        }
        g.writeEndObject();
        g.writeEndObject();
      }
      g.writeRaw('\n');
      g.writeEndArray();
      g.writeEndObject();
    }
    out.write('\n');
    out.flush();
    return skipped;
  }

  /** One piece of platform feedback: a reviewed match of an exchange hash. */
  record Feedback(String signalType, String hashValue, boolean confirmed) {}

  /**
   * Writes a {@code SubmitFeedback} body: {@code Blocked} for a confirmed match (reviewed, the
   * content is NCII), {@code NotBlocked} for a rejected one.
   */
  static void writeFeedback(List<Feedback> feedback, Writer out) throws IOException {
    try (JsonGenerator g = Json.FACTORY.createGenerator(new NonClosingWriter(out))) {
      g.writeStartObject();
      g.writeNumberField("count", feedback.size());
      g.writeArrayFieldStart("hashFeedbacks");
      for (Feedback f : feedback) {
        g.writeStartObject();
        g.writeStringField("hashValue", f.hashValue());
        g.writeStringField("feedbackValue", f.confirmed() ? "Blocked" : "NotBlocked");
        g.writeArrayFieldStart("tags");
        g.writeEndArray();
        g.writeEndObject();
      }
      g.writeEndArray();
      g.writeEndObject();
    }
    out.flush();
  }
}
