package dev.haetae.moderation.core.audit;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.Map;

/**
 * Writes a Jackson tree as compact UTF-8 JSON, byte for byte what {@link Frames#JSON}'s {@code
 * writeValueAsBytes} writes (Jackson's defaults: no spaces, members in the tree's order, control
 * characters escaped as {@code \n}-style short escapes or {@code \}{@code u00XX}, each UTF-16
 * surrogate escaped on its own, everything else as UTF-8), but several times faster: it walks the
 * tree once into a buffer the calling thread keeps, with no generator, serializer lookup or
 * intermediate copies. Values other than objects, arrays, strings, booleans, null, whole numbers
 * and finite doubles (which the record codecs do not write) are written by Jackson itself. The
 * record hash is taken over these bytes, so {@code JsonBytesTest} compares them with Jackson's on
 * seeded random trees and on every kind of record.
 *
 * <p>Thread-safe: each thread writes into its own buffer.
 */
final class JsonBytes {
  /** A thread's buffer is kept between records up to this size; a larger one is dropped after use. */
  private static final int KEEP = 1 << 16;
  private static final byte[] HEX = "0123456789ABCDEF".getBytes(java.nio.charset.StandardCharsets.US_ASCII);
  private static final ThreadLocal<JsonBytes> BUFFERS = ThreadLocal.withInitial(JsonBytes::new);

  private byte[] buf = new byte[8192];
  private int len;

  private JsonBytes() {}

  /** The JSON of a tree. */
  static byte[] of(JsonNode n) throws IOException {
    JsonBytes w = BUFFERS.get();
    w.len = 0;
    try {
      w.value(n);
      return Arrays.copyOf(w.buf, w.len);
    } finally {
      w.release();
    }
  }

  /**
   * The JSON of an object without its outer braces, as records are framed (see {@link
   * Frames#frame}); an empty object gives an empty array.
   */
  static byte[] members(JsonNode object) throws IOException {
    if (!object.isObject()) {
      throw new IllegalArgumentException("not an object: " + object.getNodeType());
    }
    JsonBytes w = BUFFERS.get();
    w.len = 0;
    try {
      w.fields(object);
      return Arrays.copyOf(w.buf, w.len);
    } finally {
      w.release();
    }
  }

  /** The JSON of a tree, written into {@code out} (which must have room for it). */
  static void write(JsonNode n, ByteBuffer out) throws IOException {
    JsonBytes w = BUFFERS.get();
    w.len = 0;
    try {
      w.value(n);
      out.put(w.buf, 0, w.len);
    } finally {
      w.release();
    }
  }

  private void release() {
    if (buf.length > KEEP) {
      buf = new byte[8192];
    }
    len = 0;
  }

  private void ensure(int more) {
    if (len + more > buf.length) {
      buf = Arrays.copyOf(buf, Math.max(buf.length * 2, len + more));
    }
  }

  private void value(JsonNode n) throws IOException {
    switch (n.getNodeType()) {
      case OBJECT:
        ensure(1);
        buf[len++] = '{';
        fields(n);
        ensure(1);
        buf[len++] = '}';
        break;
      case ARRAY: {
        ensure(1);
        buf[len++] = '[';
        int size = n.size();
        for (int i = 0; i < size; i++) {
          if (i > 0) {
            ensure(1);
            buf[len++] = ',';
          }
          value(n.get(i));
        }
        ensure(1);
        buf[len++] = ']';
        break;
      }
      case STRING:
        string(n.textValue());
        break;
      case BOOLEAN:
        ascii(n.booleanValue() ? "true" : "false");
        break;
      case NULL:
        ascii("null");
        break;
      case NUMBER:
        number(n);
        break;
      default:
        raw(Frames.JSON.writeValueAsBytes(n));
    }
  }

  private void fields(JsonNode object) throws IOException {
    boolean first = true;
    for (Map.Entry<String, JsonNode> e : object.properties()) {
      if (!first) {
        ensure(1);
        buf[len++] = ',';
      }
      first = false;
      string(e.getKey());
      ensure(1);
      buf[len++] = ':';
      value(e.getValue());
    }
  }

  private void number(JsonNode n) throws IOException {
    switch (n.numberType()) {
      case INT:
      case LONG:
        ascii(Long.toString(n.longValue()));
        break;
      case DOUBLE: {
        double d = n.doubleValue();
        if (Double.isFinite(d)) {
          ascii(Double.toString(d));
        } else {
          raw(Frames.JSON.writeValueAsBytes(n));
        }
        break;
      }
      default:
        raw(Frames.JSON.writeValueAsBytes(n));
    }
  }

  private void raw(byte[] b) {
    ensure(b.length);
    System.arraycopy(b, 0, buf, len, b.length);
    len += b.length;
  }

  private void ascii(String s) {
    int n = s.length();
    ensure(n);
    for (int i = 0; i < n; i++) {
      buf[len++] = (byte) s.charAt(i);
    }
  }

  /** A quoted string, escaped as Jackson escapes it. */
  private void string(String s) {
    int n = s.length();
    // at most six bytes per char (an escape), plus the quotes
    ensure(6 * n + 2);
    byte[] b = buf;
    int p = len;
    b[p++] = '"';
    for (int i = 0; i < n; i++) {
      char c = s.charAt(i);
      if (c < 0x80) {
        if (c >= 0x20 && c != '"' && c != '\\') {
          b[p++] = (byte) c;
          continue;
        }
        b[p++] = '\\';
        switch (c) {
          case '"':
          case '\\':
            b[p++] = (byte) c;
            break;
          case '\b':
            b[p++] = 'b';
            break;
          case '\t':
            b[p++] = 't';
            break;
          case '\n':
            b[p++] = 'n';
            break;
          case '\f':
            b[p++] = 'f';
            break;
          case '\r':
            b[p++] = 'r';
            break;
          default:
            b[p++] = 'u';
            b[p++] = '0';
            b[p++] = '0';
            b[p++] = HEX[c >> 4];
            b[p++] = HEX[c & 0xF];
        }
      } else if (c < 0x800) {
        b[p++] = (byte) (0xC0 | (c >> 6));
        b[p++] = (byte) (0x80 | (c & 0x3F));
      } else if (c >= 0xD800 && c <= 0xDFFF) {
        // Jackson's default: each surrogate escaped on its own
        b[p++] = '\\';
        b[p++] = 'u';
        b[p++] = HEX[(c >> 12) & 0xF];
        b[p++] = HEX[(c >> 8) & 0xF];
        b[p++] = HEX[(c >> 4) & 0xF];
        b[p++] = HEX[c & 0xF];
      } else {
        b[p++] = (byte) (0xE0 | (c >> 12));
        b[p++] = (byte) (0x80 | ((c >> 6) & 0x3F));
        b[p++] = (byte) (0x80 | (c & 0x3F));
      }
    }
    b[p++] = '"';
    len = p;
  }
}
