package dev.haetae.moderation.core.audit;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;
import java.util.HexFormat;

/**
 * The line framing of a record: {@code {"seq":N,"prev":"<hex>",<payload>,"h":"<hex>"}\n}, where
 * {@code h} is the SHA-256 of the line's bytes up to (not including) {@code ,"h":} followed by
 * {@code }}. Because {@code prev} is inside the hashed bytes, the hashes form a chain. Stateless.
 */
final class Frames {
  static final ObjectMapper JSON = JsonMapper.builder().build();
  static final String GENESIS = "0".repeat(64);
  private static final byte[] SUFFIX_START = ",\"h\":\"".getBytes(StandardCharsets.US_ASCII);
  /** {@code ,"h":"} + 64 hex + {@code "}}. */
  static final int SUFFIX_LEN = SUFFIX_START.length + 64 + 2;
  private static final HexFormat HEX = HexFormat.of();

  private Frames() {}

  static MessageDigest sha256() {
    try {
      return MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  /** A framed line and its hash. */
  static final class Framed {
    final byte[] line;
    final String hash;

    Framed(byte[] line, String hash) {
      this.line = line;
      this.hash = hash;
    }
  }

  /**
   * Frames a payload.
   *
   * @param inner the payload object's JSON without its outer braces
   */
  static Framed frame(long seq, String prev, byte[] inner, MessageDigest md) {
    byte[] head = ("{\"seq\":" + seq + ",\"prev\":\"" + prev + "\",").getBytes(StandardCharsets.US_ASCII);
    int bodyLen = head.length + inner.length + 1;
    byte[] line = new byte[head.length + inner.length + SUFFIX_LEN + 1];
    System.arraycopy(head, 0, line, 0, head.length);
    System.arraycopy(inner, 0, line, head.length, inner.length);
    line[bodyLen - 1] = '}';
    md.reset();
    md.update(line, 0, bodyLen);
    String hash = HEX.formatHex(md.digest());
    int p = bodyLen - 1;
    System.arraycopy(SUFFIX_START, 0, line, p, SUFFIX_START.length);
    p += SUFFIX_START.length;
    byte[] h = hash.getBytes(StandardCharsets.US_ASCII);
    System.arraycopy(h, 0, line, p, 64);
    p += 64;
    line[p++] = '"';
    line[p++] = '}';
    line[p] = '\n';
    return new Framed(line, hash);
  }

  private static final byte[] HEAD_SEQ = "{\"seq\":".getBytes(StandardCharsets.US_ASCII);
  private static final byte[] HEAD_PREV = ",\"prev\":\"".getBytes(StandardCharsets.US_ASCII);

  /**
   * The most bytes {@link #frameInto} adds to a payload: the header with a 19-digit sequence number,
   * the closing brace, the hash and the newline.
   */
  static final int FRAME_OVERHEAD = HEAD_SEQ.length + 19 + HEAD_PREV.length + 64 + 2 + SUFFIX_LEN + 1;

  /**
   * Frames a payload straight into {@code out}, byte for byte the line (with its newline) that
   * {@link #frame} returns, without building the line on the heap first.
   *
   * @param out where the line goes; must have {@code inner.length + FRAME_OVERHEAD} bytes left
   * @param head scratch space for the header, at least {@code FRAME_OVERHEAD} bytes
   * @param inner the payload object's JSON without its outer braces
   * @return the line's hash, 64 lower-case hex digits
   */
  static String frameInto(java.nio.ByteBuffer out, long seq, String prev, byte[] inner, byte[] head,
      MessageDigest md) {
    int n = 0;
    System.arraycopy(HEAD_SEQ, 0, head, 0, HEAD_SEQ.length);
    n += HEAD_SEQ.length;
    String digits = Long.toString(seq);
    for (int i = 0; i < digits.length(); i++) {
      head[n++] = (byte) digits.charAt(i);
    }
    System.arraycopy(HEAD_PREV, 0, head, n, HEAD_PREV.length);
    n += HEAD_PREV.length;
    for (int i = 0; i < 64; i++) {
      head[n++] = (byte) prev.charAt(i);
    }
    head[n++] = '"';
    head[n++] = ',';
    md.reset();
    md.update(head, 0, n);
    md.update(inner);
    md.update((byte) '}');
    String hash = HEX.formatHex(md.digest());
    out.put(head, 0, n);
    out.put(inner);
    out.put(SUFFIX_START);
    for (int i = 0; i < 64; i++) {
      out.put((byte) hash.charAt(i));
    }
    out.put((byte) '"');
    out.put((byte) '}');
    out.put((byte) '\n');
    return hash;
  }

  /** A writer keeps its direct buffer between batches only up to this size. */
  static final int KEEP_BUFFER = 8 << 20;

  /**
   * A cleared direct buffer with room for {@code bytes}: {@code current} when it is large enough,
   * otherwise a new one (at least 64 KiB). The log's writers keep theirs between batches; see
   * {@link #KEEP_BUFFER}.
   *
   * @param current the writer's buffer, or null
   * @param what what is written, for the message when it cannot fit in one buffer
   * @throws IllegalStateException when {@code bytes} is more than one buffer can hold
   */
  static java.nio.ByteBuffer room(java.nio.ByteBuffer current, long bytes, String what) {
    if (bytes > Integer.MAX_VALUE - 8) {
      throw new IllegalStateException(what + " of " + bytes + " bytes is too large to write at once");
    }
    if (current != null && current.capacity() >= bytes) {
      current.clear();
      return current;
    }
    return java.nio.ByteBuffer.allocateDirect((int) Math.max(bytes, 1 << 16));
  }

  /** A parsed, hash-checked line. */
  static final class Parsed {
    final long seq;
    final String prev;
    final String hash;
    final JsonNode body;

    Parsed(long seq, String prev, String hash, JsonNode body) {
      this.seq = seq;
      this.prev = prev;
      this.hash = hash;
      this.body = body;
    }
  }

  /** Why a line could not be parsed. */
  static final class BadFrame extends Exception {
    private static final long serialVersionUID = 1L;

    BadFrame(String message) {
      super(message, null, false, false);
    }
  }

  /**
   * Parses one line (without its newline) and checks its own hash; the chain is the caller's.
   *
   * @param parseBody whether to parse the JSON body (false: only the hash and the header)
   */
  static Parsed parse(byte[] buf, int off, int len, boolean parseBody, MessageDigest md) throws BadFrame {
    if (len < SUFFIX_LEN + 2 || buf[off] != '{') {
      throw new BadFrame("not a record line");
    }
    int s = off + len - SUFFIX_LEN;
    if (!Arrays.equals(buf, s, s + SUFFIX_START.length, SUFFIX_START, 0, SUFFIX_START.length)
        || buf[off + len - 2] != '"' || buf[off + len - 1] != '}') {
      throw new BadFrame("no record hash at the end of the line");
    }
    String h = new String(buf, s + SUFFIX_START.length, 64, StandardCharsets.US_ASCII);
    md.reset();
    md.update(buf, off, s - off);
    md.update((byte) '}');
    String actual = HEX.formatHex(md.digest());
    if (!actual.equals(h)) {
      throw new BadFrame("record hash mismatch (stored " + abbrev(h) + ", computed " + abbrev(actual) + ")");
    }
    // header: {"seq":N,"prev":"<64 hex>",
    long seq;
    String prev;
    int p = off;
    String headStart = "{\"seq\":";
    if (!startsWith(buf, p, headStart)) {
      throw new BadFrame("line does not start with a sequence number");
    }
    p += headStart.length();
    long v = 0;
    int digits = 0;
    while (p < s && buf[p] >= '0' && buf[p] <= '9' && digits < 19) {
      v = v * 10 + (buf[p] - '0');
      p++;
      digits++;
    }
    if (digits == 0) {
      throw new BadFrame("malformed sequence number");
    }
    seq = v;
    String prevStart = ",\"prev\":\"";
    if (!startsWith(buf, p, prevStart) || p + prevStart.length() + 66 > s) {
      throw new BadFrame("malformed prev hash");
    }
    p += prevStart.length();
    prev = new String(buf, p, 64, StandardCharsets.US_ASCII);
    JsonNode body = null;
    if (parseBody) {
      try {
        byte[] bodyBytes = new byte[s - off + 1];
        System.arraycopy(buf, off, bodyBytes, 0, s - off);
        bodyBytes[bodyBytes.length - 1] = '}';
        body = JSON.readTree(bodyBytes);
      } catch (IOException e) {
        throw new BadFrame("malformed JSON: " + e.getMessage());
      }
    }
    return new Parsed(seq, prev, h, body);
  }

  private static boolean startsWith(byte[] buf, int p, String ascii) {
    if (p + ascii.length() > buf.length) {
      return false;
    }
    for (int i = 0; i < ascii.length(); i++) {
      if (buf[p + i] != ascii.charAt(i)) {
        return false;
      }
    }
    return true;
  }

  static String abbrev(String hash) {
    return hash.length() > 12 ? hash.substring(0, 12) + "…" : hash;
  }

  static String segmentName(long firstSeq) {
    return String.format("segment-%020d.jsonl", firstSeq);
  }

  /** The first sequence number in a segment's name, or -1 when the name is not a segment's. */
  static long segmentFirstSeq(String name) {
    if (!name.startsWith("segment-") || !name.endsWith(".jsonl") || name.length() != 8 + 20 + 6) {
      return -1;
    }
    try {
      return Long.parseLong(name.substring(8, 28));
    } catch (NumberFormatException e) {
      return -1;
    }
  }
}
