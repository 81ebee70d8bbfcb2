package dev.haetae.moderation.core.audit;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.haetae.moderation.api.spi.Pseudonymizer;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The state of writing one record: the pseudonymizer and the free-text fields to keep, and the raw
 * ids seen so far with their pseudonyms, so that raw ids policies or hosts wrote into their own text
 * are replaced by the same pseudonyms. Not thread-safe: one per record.
 */
final class Encoding {
  /** The node factory of every record tree: objects keep their members in {@link Members}. */
  static final JsonNodeFactory F = new Nodes();

  /** Jackson's default factory, but with objects whose members are a {@link Members} map. */
  private static final class Nodes extends JsonNodeFactory {
    private static final long serialVersionUID = 1L;

    Nodes() {
      super(false);
    }

    @Override
    public ObjectNode objectNode() {
      return new ObjectNode(this, new Members());
    }
  }

  private final Pseudonymizer pseudonymizer;
  private final Set<String> keep;
  private final Map<String, String> ids = new LinkedHashMap<>();
  private List<String> byLength;
  /** Whether every id remembered is its own pseudonym (the outbox's raw codec): then scrubbing changes nothing. */
  private boolean identity = true;

  Encoding(Pseudonymizer pseudonymizer, Set<String> keep) {
    this.pseudonymizer = pseudonymizer;
    this.keep = keep;
  }

  /** An id as {@code {"kid":...,"p":...}}, remembered for scrubbing. */
  ObjectNode id(String kind, String raw) {
    String p = pseudonymizer.pseudonymize(kind, raw);
    remember(raw, p);
    ObjectNode n = F.objectNode();
    n.put("kid", pseudonymizer.keyId());
    n.put("p", p);
    return n;
  }

  /** Remembers an id that appears in the record, before anything is written. */
  void collect(String kind, String raw) {
    if (!ids.containsKey(raw)) {
      remember(raw, pseudonymizer.pseudonymize(kind, raw));
    }
  }

  private void remember(String raw, String p) {
    if (ids.putIfAbsent(raw, p) == null) {
      byLength = null;
      identity &= raw.equals(p);
    }
  }

  /** Replaces whole-token occurrences of raw ids in policy- or host-written text. */
  String scrub(String text) {
    if (identity || text.isEmpty()) {
      return text;
    }
    if (byLength == null) {
      byLength = new ArrayList<>(ids.keySet());
      byLength.sort((a, b) -> b.length() - a.length());
    }
    String out = text;
    for (String raw : byLength) {
      out = replaceToken(out, raw, ids.get(raw));
    }
    return out;
  }

  /** A free-text field: kept (scrubbed) when configured, otherwise its length and a keyed hash. */
  JsonNode text(String field, String value) {
    if (keep.contains(field)) {
      return F.textNode(scrub(value));
    }
    ObjectNode n = F.objectNode();
    n.put("masked", value.length());
    n.put("h", pseudonymizer.pseudonymize("text", value));
    return n;
  }

  static String replaceToken(String text, String token, String replacement) {
    int from = 0;
    StringBuilder sb = null;
    int last = 0;
    while (true) {
      int i = text.indexOf(token, from);
      if (i < 0) {
        break;
      }
      int end = i + token.length();
      boolean startOk = i == 0 || !Character.isLetterOrDigit(text.charAt(i - 1));
      boolean endOk = end == text.length() || !Character.isLetterOrDigit(text.charAt(end));
      if (startOk && endOk) {
        if (sb == null) {
          sb = new StringBuilder(text.length());
        }
        sb.append(text, last, i).append(replacement);
        last = end;
      }
      from = i + Math.max(1, token.length());
    }
    if (sb == null) {
      return text;
    }
    sb.append(text, last, text.length());
    return sb.toString();
  }
}
