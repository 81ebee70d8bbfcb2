package dev.haetae.moderation.core.hash;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.haetae.moderation.api.Category;
import dev.haetae.moderation.api.ConfigurationException;
import dev.haetae.moderation.api.InvalidRequestException;
import dev.haetae.moderation.api.MatchType;
import dev.haetae.moderation.api.PdqHash;
import dev.haetae.moderation.api.spi.HashBankSource;
import dev.haetae.moderation.api.spi.HashBankSource.Entry.State;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.Reader;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;

/** Hash-list file formats: CSV and StopNCII-style JSON pages, both ways. */
final class BankFiles {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final int BULK = 1 << 20;

  private BankFiles() {}

  /** Counts and problems of one import; applies PDQ additions in bulk. */
  private static final class Loader {
    final Bank bank;
    final String name;
    final List<ImportReport.Problem> problems = new ArrayList<>();
    long applied;
    long unchanged;
    long[] pending = new long[4 * 1024];
    int pendingCount;

    Loader(Bank bank, String name) {
      this.bank = bank;
      this.name = name;
    }

    void problem(long line, String message) {
      problems.add(new ImportReport.Problem(line, message));
    }

    void apply(long line, MatchType type, String hex, State state, Instant addedAt, String caseId) {
      String key;
      try {
        key = Hashes.normalize(type, hex);
      } catch (InvalidRequestException e) {
        problem(line, e.getMessage());
        return;
      }
      if (type == MatchType.PDQ && state == State.ACTIVE && addedAt == null && caseId == null) {
        PdqHash h = PdqHash.fromHex(key);
        if (4 * (pendingCount + 1) > pending.length) {
          pending = java.util.Arrays.copyOf(pending, pending.length * 2);
        }
        int b = 4 * pendingCount++;
        pending[b] = h.w0();
        pending[b + 1] = h.w1();
        pending[b + 2] = h.w2();
        pending[b + 3] = h.w3();
        if (pendingCount == BULK) {
          flush();
        }
        return;
      }
      flush();
      boolean changed;
      switch (state) {
        case ACTIVE:
          changed = addedAt == null ? bank.add(type, key) : bank.add(type, key, addedAt, caseId);
          if (addedAt == null && caseId != null) {
            bank.add(type, key, bank.entry(type, key).orElseThrow().addedAt(), caseId);
          }
          break;
        case WITHDRAWN:
          changed = bank.withdraw(type, key);
          break;
        default:
          changed = bank.delete(type, key);
      }
      if (changed) {
        applied++;
      } else {
        unchanged++;
      }
    }

    void flush() {
      if (pendingCount == 0) {
        return;
      }
      int changed = bank.addPdqBulk(pending, pendingCount);
      applied += changed;
      unchanged += pendingCount - changed;
      pendingCount = 0;
      if (pending.length > 4 * 4096) {
        pending = new long[4 * 1024];
      }
    }

    ImportReport report() {
      flush();
      return new ImportReport(name, applied, unchanged, problems);
    }
  }

  // ---------------------------------------------------------------- CSV

  static ImportReport importCsv(Bank bank, Reader in, String name) throws IOException {
    Loader l = new Loader(bank, name);
    BufferedReader r = in instanceof BufferedReader ? (BufferedReader) in : new BufferedReader(in, 1 << 16);
    Map<String, Integer> cols = null;
    String line;
    long no = 0;
    while ((line = r.readLine()) != null) {
      no++;
      String t = line.strip();
      if (t.isEmpty() || t.startsWith("#")) {
        continue;
      }
      List<String> f;
      try {
        f = split(t);
      } catch (IllegalArgumentException e) {
        l.problem(no, e.getMessage());
        continue;
      }
      if (cols == null) {
        cols = new HashMap<>();
        if (f.get(0).strip().equalsIgnoreCase("hash")) {
          for (int i = 0; i < f.size(); i++) {
            cols.put(f.get(i).strip().toLowerCase(Locale.ROOT), i);
          }
          if (!cols.containsKey("signal_type")) {
            l.problem(no, "header has no signal_type column");
            cols.put("signal_type", 1);
          }
          continue;
        }
        cols.put("hash", 0);
        cols.put("signal_type", 1);
      }
      String hash = field(f, cols, "hash");
      String typeName = field(f, cols, "signal_type");
      if (hash == null || hash.isEmpty() || typeName == null || typeName.isEmpty()) {
        l.problem(no, "needs at least hash and signal_type");
        continue;
      }
      MatchType type;
      State state;
      Instant addedAt = null;
      try {
        type = Hashes.type(typeName);
        String status = field(f, cols, "status");
        state = status == null || status.isEmpty() ? State.ACTIVE : state(status);
        String added = field(f, cols, "added_at");
        if (added != null && !added.isEmpty()) {
          addedAt = instant(added);
        }
      } catch (InvalidRequestException e) {
        l.problem(no, e.getMessage());
        continue;
      }
      String caseId = field(f, cols, "case_id");
      l.apply(no, type, hash.strip(), state, addedAt, caseId == null || caseId.isEmpty() ? null : caseId);
    }
    return l.report();
  }

  /** The {@code category} column of the first data row, if the file has one. */
  static Optional<Category> csvCategory(Path file) throws IOException {
    try (BufferedReader r = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
      String line;
      Map<String, Integer> cols = null;
      while ((line = r.readLine()) != null) {
        String t = line.strip();
        if (t.isEmpty() || t.startsWith("#")) {
          continue;
        }
        List<String> f = split(t);
        if (cols == null) {
          if (!f.get(0).strip().equalsIgnoreCase("hash")) {
            return Optional.empty();
          }
          cols = new HashMap<>();
          for (int i = 0; i < f.size(); i++) {
            cols.put(f.get(i).strip().toLowerCase(Locale.ROOT), i);
          }
          if (!cols.containsKey("category")) {
            return Optional.empty();
          }
          continue;
        }
        String c = field(f, cols, "category");
        return c == null || c.isEmpty() ? Optional.empty() : Optional.of(Category.fromWire(c));
      }
      return Optional.empty();
    } catch (IllegalArgumentException e) {
      return Optional.empty();
    }
  }

  private static String field(List<String> f, Map<String, Integer> cols, String name) {
    Integer i = cols.get(name);
    return i == null || i >= f.size() ? null : f.get(i).strip();
  }

  private static State state(String s) {
    switch (s.strip().toLowerCase(Locale.ROOT)) {
      case "active":
        return State.ACTIVE;
      case "withdrawn":
        return State.WITHDRAWN;
      case "deleted":
        return State.DELETED;
      default:
        throw new InvalidRequestException("status", "has unknown value '" + s + "' (allowed: active, withdrawn, deleted)");
    }
  }

  private static Instant instant(String s) {
    try {
      if (s.chars().allMatch(Character::isDigit)) {
        return Instant.ofEpochSecond(Long.parseLong(s));
      }
      return Instant.parse(s);
    } catch (DateTimeParseException | NumberFormatException e) {
      throw new InvalidRequestException("added_at", "is not an ISO-8601 instant or epoch seconds: '" + s + "'");
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
      } else if (ch == '"' && cur.length() == 0) {
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

  private static String csv(String s) {
    if (s.indexOf(',') < 0 && s.indexOf('"') < 0 && s.indexOf('\n') < 0 && s.indexOf('\r') < 0) {
      return s;
    }
    return '"' + s.replace("\"", "\"\"").replace('\n', ' ').replace('\r', ' ') + '"';
  }

  static void exportCsv(Bank bank, Writer out) throws IOException {
    out.write("hash,signal_type,added_at,case_id,status\n");
    IOException[] failure = {null};
    StringBuilder sb = new StringBuilder(160);
    bank.forEachEntry((type, hex, state, added, caseId) -> {
      if (failure[0] != null) {
        return;
      }
      sb.setLength(0);
      sb.append(hex).append(',').append(type.wireName()).append(',')
          .append(Instant.ofEpochSecond(added & 0xFFFFFFFFL)).append(',')
          .append(caseId == null ? "" : csv(caseId)).append(',')
          .append(State.values()[state].name().toLowerCase(Locale.ROOT)).append('\n');
      try {
        out.write(sb.toString());
      } catch (IOException e) {
        failure[0] = e;
      }
    });
    if (failure[0] != null) {
      throw failure[0];
    }
    out.flush();
  }

  // ---------------------------------------------------------------- StopNCII JSON

  static ImportReport importStopNcii(Bank bank, Reader in, String name) throws IOException {
    Loader l = new Loader(bank, name);
    try (JsonParser p = JSON.createParser(in)) {
      JsonToken t;
      while ((t = p.nextToken()) != null) {
        if (t == JsonToken.START_ARRAY) {
          while (p.nextToken() == JsonToken.START_OBJECT) {
            page(p, l);
          }
        } else if (t == JsonToken.START_OBJECT) {
          page(p, l);
        } else {
          l.problem(p.currentTokenLocation().getLineNr(), "expected a page object, got " + t);
          p.skipChildren();
        }
      }
    }
    return l.report();
  }

  private static void page(JsonParser p, Loader l) throws IOException {
    while (p.nextToken() == JsonToken.FIELD_NAME) {
      String field = p.currentName();
      JsonToken v = p.nextToken();
      if ("hashRecords".equals(field) && v == JsonToken.START_ARRAY) {
        while (p.nextToken() == JsonToken.START_OBJECT) {
          long line = p.currentTokenLocation().getLineNr();
          JsonNode rec = p.readValueAsTree();
          record(rec, line, l);
        }
      } else {
        p.skipChildren();
      }
    }
  }

  private static void record(JsonNode rec, long line, Loader l) {
    String signal = rec.path("signalType").asText("");
    String hash = rec.path("hashValue").asText("");
    String status = rec.path("hashStatus").asText("Active");
    MatchType type;
    switch (signal) {
      case "ImagePDQ":
        type = MatchType.PDQ;
        break;
      case "VideoMD5":
        type = MatchType.VIDEO_MD5;
        break;
      default:
        l.problem(line, "unsupported signalType '" + signal + "' (supported: ImagePDQ, VideoMD5)");
        return;
    }
    if (hash.isEmpty()) {
      l.problem(line, "hashValue is missing");
      return;
    }
    State state;
    switch (status) {
      case "Withdrawn":
        state = State.WITHDRAWN;
        break;
      case "Deleted":
        state = State.DELETED;
        break;
      default:
        state = State.ACTIVE;
    }
    Instant added = rec.has("lastModtimestamp") && rec.get("lastModtimestamp").canConvertToLong()
        ? Instant.ofEpochSecond(rec.get("lastModtimestamp").asLong()) : null;
    String caseId = null;
    JsonNode cases = rec.path("caseNumbers");
    if (cases.isObject()) {
      Iterator<String> names = cases.fieldNames();
      if (names.hasNext()) {
        caseId = names.next();
      }
    }
    l.apply(line, type, hash, state, added, caseId);
  }

  static void exportStopNcii(Bank bank, Writer out) throws IOException {
    List<Object[]> rows = new ArrayList<>();
    bank.forEachEntry((type, hex, state, added, caseId) -> {
      if (type == MatchType.PDQ || type == MatchType.VIDEO_MD5) {
        rows.add(new Object[] {type, hex, state, added, caseId});
      }
    });
    long maxTs = 0;
    for (Object[] r : rows) {
      maxTs = Math.max(maxTs, ((Integer) r[3]) & 0xFFFFFFFFL);
    }
    out.write("{\"count\":" + rows.size() + ",\"nextPageToken\":null,\"nextSetTimestamp\":" + maxTs
        + ",\"hasMoreRecords\":false,\"hashRecords\":[");
    boolean first = true;
    for (Object[] r : rows) {
      out.write(first ? "\n" : ",\n");
      first = false;
      try (JsonGenerator g = JSON.createGenerator(new NonClosing(out))) {
        g.writeStartObject();
        g.writeNumberField("lastModtimestamp", ((Integer) r[3]) & 0xFFFFFFFFL);
        g.writeStringField("signalType", r[0] == MatchType.PDQ ? "ImagePDQ" : "VideoMD5");
        g.writeStringField("hashValue", (String) r[1]);
        String status = State.values()[(Integer) r[2]] == State.WITHDRAWN ? "Withdrawn" : "Active";
        g.writeStringField("hashStatus", status);
        g.writeObjectFieldStart("caseNumbers");
        if (r[4] != null) {
          g.writeStringField((String) r[4], status);
        }
        g.writeEndObject();
        g.writeEndObject();
      }
    }
    out.write("\n]}\n");
    out.flush();
  }

  /** A writer view whose close() only flushes, so a generator per record leaves the target open. */
  private static final class NonClosing extends Writer {
    private final Writer w;

    NonClosing(Writer w) {
      this.w = w;
    }

    @Override
    public void write(char[] cbuf, int off, int len) throws IOException {
      w.write(cbuf, off, len);
    }

    @Override
    public void flush() throws IOException {
      w.flush();
    }

    @Override
    public void close() throws IOException {
      w.flush();
    }
  }

  // ---------------------------------------------------------------- sources

  static ImportReport fromSource(Bank bank, String name, Consumer<Consumer<HashBankSource.Entry>> loader) {
    Loader l = new Loader(bank, name);
    long[] n = {0};
    try {
      loader.accept(e -> {
        n[0]++;
        if (e == null) {
          l.problem(n[0], "null entry");
          return;
        }
        l.apply(n[0], e.type(), e.hash(), e.state(), e.addedAt().orElse(null), e.caseId().orElse(null));
      });
    } catch (RuntimeException e) {
      l.flush();
      throw new ConfigurationException(name + " failed after " + n[0] + " entries: " + e.getMessage(), e);
    }
    return l.report();
  }
}
