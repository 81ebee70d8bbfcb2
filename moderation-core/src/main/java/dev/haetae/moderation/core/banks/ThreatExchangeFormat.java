package dev.haetae.moderation.core.banks;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import dev.haetae.moderation.api.spi.HashBankSource.Entry.State;
import java.io.IOException;
import java.io.Reader;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.Locale;
import java.util.Optional;
import java.util.OptionalInt;

/**
 * Meta ThreatExchange: threat descriptors ({@code id, raw_indicator, type, owner, status, tags,
 * added_on}) and {@code threat_updates} records ({@code id, indicator, type, last_updated,
 * should_delete, descriptors}), as Graph API pages {@code {"data": [...], "paging": {"next": ...}}}
 * or a plain array.
 *
 * <p>Types: {@code HASH_PDQ}, {@code HASH_MD5}, {@code HASH_SHA256}, {@code HASH_VIDEO_MD5} are
 * matched; {@code HASH_TMK}, {@code HASH_PHOTODNA} and others are kept as foreign types. A
 * descriptor's status {@code MALICIOUS}, {@code SUSPICIOUS} or {@code UNKNOWN} makes the hash
 * active; {@code NON_MALICIOUS} (the owner says the content is not harmful) withdraws it. An update
 * with {@code should_delete} true, or without descriptors (the client library treats both as a
 * tombstone), deletes the hash; one whose every descriptor is {@code NON_MALICIOUS} withdraws it.
 */
final class ThreatExchangeFormat {
  private static final DateTimeFormatter ADDED_ON = DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ssZ", Locale.ROOT);

  private ThreatExchangeFormat() {}

  /** What a page says about the next one. */
  record Page(Optional<String> next, long records) {}

  static Page read(Reader in, RecordSink sink) throws IOException {
    String[] next = {null};
    long n = Json.readPage(in, sink, "data", "record", (p, line) -> item(p, line, sink), (f, p) -> {
      if ("paging".equals(f) && p.currentToken() == JsonToken.START_OBJECT) {
        while (p.nextToken() == JsonToken.FIELD_NAME) {
          String pf = p.currentName();
          p.nextToken();
          String s = Json.scalar(p);
          if ("next".equals(pf) && s != null && !s.isEmpty() && !Json.isStructured(s)) {
            next[0] = s;
          }
        }
      }
    });
    return new Page(Optional.ofNullable(next[0]), n);
  }

  private static void item(JsonParser p, long line, RecordSink sink) throws IOException {
    String id = null;
    String raw = null;
    String indicator = null;
    String type = null;
    String status = null;
    String addedOn = null;
    String lastUpdated = null;
    String shouldDelete = null;
    boolean hasDescriptors = false;
    int descriptors = 0;
    int nonMalicious = 0;
    while (p.nextToken() == JsonToken.FIELD_NAME) {
      String f = p.currentName();
      JsonToken v = p.nextToken();
      if ("descriptors".equals(f) && v == JsonToken.START_OBJECT) {
        hasDescriptors = true;
        while (p.nextToken() == JsonToken.FIELD_NAME) {
          String df = p.currentName();
          JsonToken dv = p.nextToken();
          if ("data".equals(df) && dv == JsonToken.START_ARRAY) {
            while (p.nextToken() == JsonToken.START_OBJECT) {
              descriptors++;
              while (p.nextToken() == JsonToken.FIELD_NAME) {
                String sf = p.currentName();
                p.nextToken();
                String s = Json.scalar(p);
                if ("status".equals(sf) && "NON_MALICIOUS".equalsIgnoreCase(s)) {
                  nonMalicious++;
                }
              }
            }
          } else {
            p.skipChildren();
          }
        }
        continue;
      }
      String s = Json.scalar(p);
      switch (f) {
        case "id":
          id = s;
          break;
        case "raw_indicator":
          raw = s;
          break;
        case "indicator":
          indicator = s;
          break;
        case "type":
          type = s;
          break;
        case "status":
          status = s;
          break;
        case "added_on":
          addedOn = s;
          break;
        case "last_updated":
          lastUpdated = s;
          break;
        case "should_delete":
          shouldDelete = s;
          break;
        default:
          break;
      }
    }
    Optional<String> caseId = id == null || id.isBlank() || Json.isStructured(id) ? Optional.empty() : Optional.of(id);
    if (type == null || type.isBlank() || Json.isStructured(type)) {
      sink.problem(line, ProblemKind.MALFORMED, "type is missing");
      return;
    }
    String signal = ListRecord.canonicalType(type);
    if (raw != null && !Json.isStructured(raw)) { // a descriptor
      State state = descriptorState(status);
      if (state == null) {
        sink.problem(line, ProblemKind.UNKNOWN_STATUS, "status "
            + (status == null ? "is missing" : "has unknown value '" + ListRecord.printable(status) + "'")
            + " (allowed: MALICIOUS, SUSPICIOUS, UNKNOWN, NON_MALICIOUS)");
        return;
      }
      Optional<Instant> at = Optional.empty();
      if (addedOn != null && !Json.isStructured(addedOn)) {
        at = addedOn(addedOn);
        if (at.isEmpty()) {
          sink.problem(line, ProblemKind.BAD_TIME, "added_on is not a time: '" + ListRecord.printable(addedOn) + "'");
          return;
        }
      }
      sink.accept(new ListRecord(signal, raw.strip(), state, at, caseId, Optional.empty(), OptionalInt.empty(), line));
      return;
    }
    if (indicator == null || indicator.isBlank() || Json.isStructured(indicator)) {
      sink.problem(line, ProblemKind.MALFORMED, "neither raw_indicator (a descriptor) nor indicator (an update)");
      return;
    }
    State state;
    if ("true".equals(shouldDelete) || !hasDescriptors || descriptors == 0) {
      state = State.DELETED;
    } else if (shouldDelete != null && !"false".equals(shouldDelete)) {
      sink.problem(line, ProblemKind.UNKNOWN_STATUS, "should_delete must be true or false, got '"
          + ListRecord.printable(shouldDelete) + "'");
      return;
    } else {
      state = nonMalicious == descriptors ? State.WITHDRAWN : State.ACTIVE;
    }
    sink.accept(new ListRecord(signal, indicator.strip(), state, Json.epochSeconds(lastUpdated), caseId,
        Optional.empty(), OptionalInt.empty(), line));
  }

  private static State descriptorState(String status) {
    if (status == null || Json.isStructured(status)) {
      return null;
    }
    switch (status.strip().toUpperCase(Locale.ROOT)) {
      case "MALICIOUS":
      case "SUSPICIOUS":
      case "UNKNOWN":
        return State.ACTIVE;
      case "NON_MALICIOUS":
        return State.WITHDRAWN;
      default:
        return null;
    }
  }

  private static Optional<Instant> addedOn(String s) {
    try {
      return Optional.of(OffsetDateTime.parse(s.strip(), ADDED_ON).toInstant());
    } catch (DateTimeParseException e) {
      try {
        return Optional.of(Instant.parse(s.strip()));
      } catch (DateTimeParseException e2) {
        return Optional.empty();
      }
    }
  }
}
