package dev.haetae.moderation.core.banks;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import dev.haetae.moderation.api.spi.HashBankSource.Entry.State;
import java.io.IOException;
import java.io.Reader;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.Locale;
import java.util.Optional;
import java.util.OptionalInt;

/**
 * The Tech Against Terrorism hash list (TCAP), v2: pages {@code {"count", "next", "previous",
 * "checkpoint", "results": [...]}} fetched with {@code ?order=asc&after=<checkpoint>}, where the
 * checkpoint is {@code "<updated_on seconds>,<id>"} of the last entry of the page; or the
 * downloadable file, a plain array of entries. Each entry has {@code id}, {@code hash_digest},
 * {@code algorithm} ({@code MD5}, {@code PDQ}, {@code SHA256}, ...), {@code deleted},
 * {@code updated_on} (epoch seconds), {@code created_on}, {@code ideology} and {@code file_type}.
 * A deleted entry removes the hash; {@code updated_on} (else {@code created_on}) becomes the
 * entry's time and {@code id} its case id.
 */
final class TcapFormat {
  private static final DateTimeFormatter CREATED = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss,SSS", Locale.ROOT);

  private TcapFormat() {}

  /** What a page says about the next one. */
  record Page(Optional<String> next, Optional<String> checkpoint, long records) {}

  static Page read(Reader in, RecordSink sink) throws IOException {
    String[] next = {null};
    String[] checkpoint = {null};
    long n = Json.readPage(in, sink, "results", "entry", (p, line) -> entry(p, line, sink), (f, p) -> {
      if ("next".equals(f)) {
        String s = Json.scalar(p);
        next[0] = s == null || s.isEmpty() || Json.isStructured(s) ? null : s;
      } else if ("checkpoint".equals(f)) {
        String s = Json.scalar(p);
        if (s != null && !Json.isStructured(s)) {
          if (validCheckpoint(s)) {
            checkpoint[0] = s.strip();
          } else {
            sink.problem(Json.line(p), ProblemKind.MALFORMED, "checkpoint '" + ListRecord.printable(s)
                + "' is not \"<seconds>,<id>\"");
          }
        }
      }
    });
    return new Page(Optional.ofNullable(next[0]), Optional.ofNullable(checkpoint[0]), n);
  }

  /** Whether a checkpoint has the documented {@code "<seconds>,<id>"} shape. */
  static boolean validCheckpoint(String s) {
    String c = s.strip();
    int comma = c.indexOf(',');
    return comma > 0 && c.length() <= 64 && c.substring(0, comma).matches("[0-9]+(\\.[0-9]+)?")
        && c.substring(comma + 1).matches("[0-9]+");
  }

  private static void entry(JsonParser p, long line, RecordSink sink) throws IOException {
    String id = null;
    String digest = null;
    String algorithm = null;
    String deleted = null;
    String updated = null;
    String created = null;
    while (p.nextToken() == JsonToken.FIELD_NAME) {
      String f = p.currentName();
      p.nextToken();
      String v = Json.scalar(p);
      switch (f) {
        case "id":
          id = v;
          break;
        case "hash_digest":
          digest = v;
          break;
        case "algorithm":
          algorithm = v;
          break;
        case "deleted":
          deleted = v;
          break;
        case "updated_on":
          updated = v;
          break;
        case "created_on":
          created = v;
          break;
        default:
          break;
      }
    }
    if (digest == null || digest.isBlank() || Json.isStructured(digest)) {
      sink.problem(line, ProblemKind.MALFORMED, "hash_digest is missing");
      return;
    }
    if (algorithm == null || algorithm.isBlank() || Json.isStructured(algorithm)) {
      sink.problem(line, ProblemKind.MALFORMED, "algorithm is missing");
      return;
    }
    State state;
    if (deleted == null || "false".equals(deleted)) {
      state = State.ACTIVE;
    } else if ("true".equals(deleted)) {
      state = State.DELETED;
    } else {
      sink.problem(line, ProblemKind.UNKNOWN_STATUS, "deleted must be true or false, got '"
          + ListRecord.printable(deleted) + "'");
      return;
    }
    Optional<Instant> at = Json.epochSeconds(updated);
    if (at.isEmpty() && created != null && !Json.isStructured(created)) {
      at = createdOn(created);
    }
    Optional<String> caseId = id == null || id.isBlank() || Json.isStructured(id) ? Optional.empty() : Optional.of(id);
    sink.accept(new ListRecord(ListRecord.canonicalType(algorithm), digest.strip(), state, at, caseId, caseId,
        OptionalInt.empty(), line));
  }

  private static Optional<Instant> createdOn(String s) {
    try {
      return Optional.of(LocalDateTime.parse(s.strip(), CREATED).toInstant(ZoneOffset.UTC));
    } catch (DateTimeParseException e) {
      try {
        return Optional.of(Instant.parse(s.strip()));
      } catch (DateTimeParseException e2) {
        return Optional.empty();
      }
    }
  }
}
