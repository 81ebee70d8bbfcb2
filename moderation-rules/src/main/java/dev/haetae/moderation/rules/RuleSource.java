package dev.haetae.moderation.rules;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import java.io.IOException;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Where each value of a {@code rules} section is written, so an error names the configuration
 * file's line and column. Built from the section's text as written (a slice of the document that
 * starts at a known line and column); paths are the compiler's ({@code rules[0].actions[1]}).
 * Columns count UTF-16 characters from 1, as Jackson's do; a line ends at LF, CR LF or CR.
 */
final class RuleSource {
  private static final JsonFactory FACTORY = new JsonFactory();

  private final String text;
  private final int line;
  private final int column;
  /** Path of an object member to the offset of its key; of an array element to its first character. */
  private final Map<String, Integer> keys = new HashMap<>();
  /** Path to the offset of the value's first character (the quote of a string). */
  private final Map<String, Integer> values = new HashMap<>();

  private RuleSource(String text, int line, int column) {
    this.text = text;
    this.line = line;
    this.column = column;
  }

  /**
   * Indexes the section. A text Jackson cannot read gives an index without positions (the compiler
   * reports that text's own error without one).
   */
  static RuleSource of(String text, int line, int column) {
    RuleSource s = new RuleSource(text, line, column);
    try (JsonParser p = FACTORY.createParser(text)) {
      Deque<String> paths = new ArrayDeque<>();
      Deque<int[]> index = new ArrayDeque<>();           // next element index of each open array, or {-1}
      String pendingKey = null;
      int pendingKeyAt = -1;
      for (JsonToken t = p.nextToken(); t != null; t = p.nextToken()) {
        int at = (int) p.currentTokenLocation().getCharOffset();
        if (t == JsonToken.FIELD_NAME) {
          pendingKey = paths.isEmpty() ? p.currentName() : paths.peek() + "." + p.currentName();
          pendingKeyAt = at;
          continue;
        }
        if (t == JsonToken.END_OBJECT || t == JsonToken.END_ARRAY) {
          paths.pop();
          index.pop();
          continue;
        }
        String path;
        if (pendingKey != null) {
          path = pendingKey;
          s.keys.put(path, pendingKeyAt);
          pendingKey = null;
        } else if (!index.isEmpty() && index.peek()[0] >= 0) {
          path = paths.peek() + "[" + index.peek()[0]++ + "]";
          s.keys.put(path, at);
        } else {
          path = "rules";
          s.keys.put(path, at);
        }
        s.values.put(path, at);
        if (t == JsonToken.START_OBJECT) {
          paths.push(path);
          index.push(new int[] {-1});
        } else if (t == JsonToken.START_ARRAY) {
          paths.push(path);
          index.push(new int[] {0});
        }
      }
    } catch (IOException | RuntimeException e) {
      s.keys.clear();
      s.values.clear();
    }
    return s;
  }

  /**
   * The line and column of the nearest written ancestor of a path (a missing key is reported at
   * the object that lacks it), or {0, 0} when none is known.
   */
  int[] at(String path) {
    for (String p = path; p != null; p = parent(p)) {
      Integer o = keys.get(p);
      if (o != null) {
        return position(o);
      }
    }
    return new int[] {0, 0};
  }

  /**
   * The line and column in the document of a place in a {@code when} expression, given as CEL
   * gives it: a 1-based line of the expression text and a 0-based column in code points. The
   * expression is the string at {@code path}, or the lines of the array at {@code path} joined
   * with LF. Returns {0, 0} when the place cannot be found.
   */
  int[] inWhen(String path, List<String> parts, int celLine, int celColumn) {
    String expr = String.join("\n", parts);
    int lineStart = 0;
    for (int l = 1; l < celLine; l++) {
      int nl = expr.indexOf('\n', lineStart);
      if (nl < 0) {
        return at(path);
      }
      lineStart = nl + 1;
    }
    int lineEnd = expr.indexOf('\n', lineStart);
    lineEnd = lineEnd < 0 ? expr.length() : lineEnd;
    int offset;
    try {
      offset = expr.offsetByCodePoints(lineStart, Math.max(0, celColumn));
    } catch (IndexOutOfBoundsException e) {
      offset = lineEnd;
    }
    offset = Math.min(offset, lineEnd);
    // find the part holding that offset, then walk its written form
    int partStart = 0;
    for (int i = 0; i < parts.size(); i++) {
      int partEnd = partStart + parts.get(i).length();
      if (offset <= partEnd || i == parts.size() - 1) {
        Integer quote = values.get(parts.size() == 1 && !values.containsKey(path + "[0]") ? path : path + "[" + i + "]");
        if (quote == null) {
          return at(path);
        }
        return position(written(quote, Math.min(offset, partEnd) - partStart));
      }
      partStart = partEnd + 1;
    }
    return at(path);
  }

  /** The offset in the text of the {@code decoded}-th character of the JSON string whose quote is at {@code quote}. */
  private int written(int quote, int decoded) {
    int i = quote + 1;
    for (int d = 0; d < decoded && i < text.length() && text.charAt(i) != '"'; d++) {
      if (text.charAt(i) == '\\') {
        i += i + 1 < text.length() && text.charAt(i + 1) == 'u' ? 6 : 2;
      } else {
        i++;
      }
    }
    return Math.min(i, text.length());
  }

  private int[] position(int offset) {
    int l = line;
    int c = column;
    for (int i = 0; i < offset && i < text.length(); i++) {
      char ch = text.charAt(i);
      if (ch == '\n' || (ch == '\r' && (i + 1 >= text.length() || text.charAt(i + 1) != '\n'))) {
        l++;
        c = 1;
      } else if (ch != '\r') {
        c++;
      }
    }
    return new int[] {l, c};
  }

  private static String parent(String path) {
    int dot = path.lastIndexOf('.');
    int bracket = path.lastIndexOf('[');
    int cut = Math.max(dot, bracket);
    return cut <= 0 ? null : path.substring(0, cut);
  }
}
