package dev.haetae.moderation.core.banks;

import dev.haetae.moderation.api.spi.HashBankSource.Entry.State;
import java.io.IOException;
import java.io.Reader;
import java.io.Writer;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;

/**
 * Haetae's own CSV hash list: {@code hash,signal_type[,added_at][,case_id][,status][,quality]},
 * header optional, and the wide layout {@code pdq,quality,sha256,md5,file} that older
 * {@code haetae hash} versions print.
 */
final class CsvFormat {
  private static final List<String> WIDE = List.of("pdq", "sha256", "md5", "video_md5");

  private CsvFormat() {}

  static void read(Reader in, RecordSink sink) throws IOException {
    Reading r = new Reading(sink);
    BoundedLines.forEachLine(in, sink, r::line);
  }

  /** The columns found so far while reading one file. */
  private static final class Reading {
    private final RecordSink sink;
    private Map<String, Integer> cols;
    private boolean wide;

    Reading(RecordSink sink) {
      this.sink = sink;
    }

    void line(long no, String t) {
      List<String> f;
      try {
        f = split(t);
      } catch (IllegalArgumentException e) {
        sink.problem(no, ProblemKind.MALFORMED, e.getMessage());
        return;
      }
      if (cols == null && header(no, t, f)) {
        return;
      }
      if (wide) {
        wideRow(f, cols, no, sink);
      } else {
        row(f, no);
      }
    }

    /** Takes the first line as the header when it names columns; returns whether it did. */
    private boolean header(long no, String t, List<String> f) {
      Map<String, Integer> named = new HashMap<>();
      for (int i = 0; i < f.size(); i++) {
        named.putIfAbsent(f.get(i).strip().toLowerCase(Locale.ROOT), i);
      }
      if (named.containsKey("hash") || named.containsKey("signal_type")) {
        cols = named;
        if (!cols.containsKey("hash") || !cols.containsKey("signal_type")) {
          sink.problem(no, ProblemKind.MALFORMED, "header needs both a hash and a signal_type column, has "
              + ListRecord.printable(t));
          cols = Map.of("hash", 0, "signal_type", 1);
        }
        return true;
      }
      if (WIDE.stream().anyMatch(named::containsKey)) {
        cols = named;
        wide = true;
        return true;
      }
      cols = Map.of("hash", 0, "signal_type", 1);
      return false;
    }

    private void row(List<String> f, long no) {
      String hash = field(f, cols, "hash");
      String typeName = field(f, cols, "signal_type");
      if (hash == null || hash.isEmpty() || typeName == null || typeName.isEmpty()) {
        sink.problem(no, ProblemKind.MALFORMED, "needs at least hash and signal_type");
        return;
      }
      State state = State.ACTIVE;
      String status = field(f, cols, "status");
      if (status != null && !status.isEmpty()) {
        state = state(status);
        if (state == null) {
          sink.problem(no, ProblemKind.UNKNOWN_STATUS, "status has unknown value '" + ListRecord.printable(status)
              + "' (allowed: active, withdrawn, deleted)");
          return;
        }
      }
      Optional<Instant> addedAt = Optional.empty();
      String added = field(f, cols, "added_at");
      if (added != null && !added.isEmpty()) {
        addedAt = instant(added);
        if (addedAt.isEmpty()) {
          sink.problem(no, ProblemKind.BAD_TIME, "added_at is not an ISO-8601 instant or epoch seconds: '"
              + ListRecord.printable(added) + "'");
          return;
        }
      }
      String caseId = field(f, cols, "case_id");
      OptionalInt quality = quality(field(f, cols, "quality"));
      sink.accept(new ListRecord(ListRecord.canonicalType(typeName), hash, state, addedAt,
          caseId == null || caseId.isEmpty() ? Optional.empty() : Optional.of(caseId), Optional.empty(), quality, no));
    }
  }

  private static void wideRow(List<String> f, Map<String, Integer> cols, long no, RecordSink sink) {
    OptionalInt quality = quality(field(f, cols, "quality"));
    boolean any = false;
    for (String type : WIDE) {
      String v = field(f, cols, type);
      if (v != null && !v.isEmpty()) {
        any = true;
        sink.accept(new ListRecord(type, v, State.ACTIVE, Optional.empty(), Optional.empty(), Optional.empty(),
            type.equals("pdq") ? quality : OptionalInt.empty(), no));
      }
    }
    if (!any) {
      sink.problem(no, ProblemKind.MALFORMED, "row has no pdq, sha256, md5 or video_md5 value");
    }
  }

  private static OptionalInt quality(String q) {
    if (q == null || q.isEmpty() || q.length() > 4) {
      return OptionalInt.empty();
    }
    try {
      int v = Integer.parseInt(q);
      return v >= 0 && v <= 100 ? OptionalInt.of(v) : OptionalInt.empty();
    } catch (NumberFormatException e) {
      return OptionalInt.empty();
    }
  }

  private static String field(List<String> f, Map<String, Integer> cols, String name) {
    Integer i = cols.get(name);
    return i == null || i >= f.size() ? null : f.get(i).strip();
  }

  static State state(String s) {
    switch (s.strip().toLowerCase(Locale.ROOT)) {
      case "active":
        return State.ACTIVE;
      case "withdrawn":
        return State.WITHDRAWN;
      case "deleted":
        return State.DELETED;
      default:
        return null;
    }
  }

  static Optional<Instant> instant(String s) {
    try {
      if (!s.isEmpty() && s.length() <= 12 && s.chars().allMatch(Character::isDigit)) {
        return Optional.of(Instant.ofEpochSecond(Long.parseLong(s)));
      }
      return Optional.of(Instant.parse(s));
    } catch (DateTimeParseException | NumberFormatException e) {
      return Optional.empty();
    }
  }

  /** Splits one CSV line (RFC 4180 quoting, no embedded line breaks). */
  static List<String> split(String line) {
    List<String> out = new ArrayList<>(4);
    StringBuilder cur = new StringBuilder();
    boolean quoted = false;
    for (int i = 0; i < line.length(); i++) {
      char ch = line.charAt(i);
      if (quoted) {
        if (ch == '"') {
          if (i + 1 < line.length() && line.charAt(i + 1) == '"') {
            cur.append('"');
            i++;
          } else {
            quoted = false;
          }
        } else {
          cur.append(ch);
        }
      } else if (ch == '"' && cur.toString().isBlank()) {
        cur.setLength(0);
        quoted = true;
      } else if (ch == ',') {
        out.add(cur.toString());
        cur.setLength(0);
      } else {
        cur.append(ch);
      }
    }
    if (quoted) {
      throw new IllegalArgumentException("unterminated quoted field");
    }
    out.add(cur.toString());
    return out;
  }

  static String quote(String s) {
    if (s.indexOf(',') < 0 && s.indexOf('"') < 0 && s.indexOf('\n') < 0 && s.indexOf('\r') < 0) {
      return s;
    }
    return '"' + s.replace("\"", "\"\"").replace('\n', ' ').replace('\r', ' ') + '"';
  }

  static void write(Iterable<ListRecord> records, Writer out) throws IOException {
    out.write("hash,signal_type,added_at,case_id,status\n");
    StringBuilder sb = new StringBuilder(160);
    for (ListRecord r : records) {
      if (r.state() == State.DELETED || r.value().isEmpty()) {
        continue;
      }
      sb.setLength(0);
      sb.append(quote(r.value())).append(',').append(quote(r.signalType())).append(',')
          .append(r.addedAt().map(Instant::toString).orElse("")).append(',')
          .append(r.caseId().map(CsvFormat::quote).orElse("")).append(',')
          .append(r.state().name().toLowerCase(Locale.ROOT)).append('\n');
      out.write(sb.toString());
    }
    out.flush();
  }
}
