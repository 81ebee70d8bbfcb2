package dev.haetae.moderation.core.audit;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.haetae.moderation.api.DecisionLogException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reopening a log after a clean close or a crash: finds the last durable record, truncates a torn
 * tail (a partly written last batch) and records the truncation in {@code recoveries.jsonl}.
 * Refuses to open a log whose damage is not at its tail.
 */
final class LogRecovery {
  private static final Logger LOG = LoggerFactory.getLogger(LogRecovery.class);

  private LogRecovery() {}

  /** Where appending resumes. */
  static final class Tail {
    long nextSeq;
    String lastHash = Frames.GENESIS;
    long lastCheckpointSeq = -1;
    Path openSegment;
    Set<String> keyIds = new HashSet<>();
  }

  static List<Path> segments(Path dir) throws IOException {
    List<Path> out = new ArrayList<>();
    if (!Files.isDirectory(dir)) {
      return out;
    }
    try (Stream<Path> s = Files.list(dir)) {
      s.filter(p -> Frames.segmentFirstSeq(p.getFileName().toString()) >= 0).forEach(out::add);
    }
    out.sort((a, b) -> Long.compare(Frames.segmentFirstSeq(a.getFileName().toString()),
        Frames.segmentFirstSeq(b.getFileName().toString())));
    return out;
  }

  static Tail recover(Path dir) throws IOException {
    Tail t = new Tail();
    for (JsonNode k : readJsonLines(dir.resolve(Checkpoints.KEYS), true)) {
      if (k.has("kid")) {
        t.keyIds.add(k.get("kid").asText());
      }
    }
    for (JsonNode c : readJsonLines(dir.resolve(Checkpoints.FILE), true)) {
      if (c.has("seq")) {
        t.lastCheckpointSeq = Math.max(t.lastCheckpointSeq, c.get("seq").asLong());
      }
    }
    List<Path> segs = segments(dir);
    MessageDigest md = Frames.sha256();
    for (int i = segs.size() - 1; i >= 0; i--) {
      Path seg = segs.get(i);
      long first = Frames.segmentFirstSeq(seg.getFileName().toString());
      boolean last = i == segs.size() - 1;
      Scan scan = scan(seg, first, md, last);
      if (last) {
        t.openSegment = seg;
      }
      if (scan.count > 0) {
        t.nextSeq = scan.lastSeq + 1;
        t.lastHash = scan.lastHash;
        if (!last) {
          t.openSegment = null; // the last segment was empty: start a fresh one named by nextSeq
          Files.deleteIfExists(segs.get(segs.size() - 1));
        }
        return t;
      }
      if (i == 0) {
        t.nextSeq = first;
      }
    }
    if (t.openSegment != null && t.nextSeq != Frames.segmentFirstSeq(t.openSegment.getFileName().toString())) {
      Files.deleteIfExists(t.openSegment);
      t.openSegment = null;
    }
    return t;
  }

  private static final class Scan {
    long count;
    long lastSeq = -1;
    String lastHash;
  }

  /** Scans one segment, truncating its torn tail when it is the log's last segment. */
  private static Scan scan(Path seg, long first, MessageDigest md, boolean last) throws IOException {
    byte[] buf = Files.readAllBytes(seg);
    Scan s = new Scan();
    int pos = 0;
    long expected = first;
    String prev = null;
    int badAt = -1;
    String badWhy = null;
    while (pos < buf.length) {
      int nl = indexOf(buf, (byte) '\n', pos);
      if (nl < 0) {
        badAt = pos;
        badWhy = "incomplete last line";
        break;
      }
      try {
        Frames.Parsed p = Frames.parse(buf, pos, nl - pos, false, md);
        if (p.seq != expected) {
          throw new Frames.BadFrame("sequence " + p.seq + " where " + expected + " was expected");
        }
        if (prev != null && !prev.equals(p.prev)) {
          throw new Frames.BadFrame("prev hash does not match the previous record");
        }
        s.count++;
        s.lastSeq = p.seq;
        s.lastHash = p.hash;
        prev = p.hash;
        expected++;
      } catch (Frames.BadFrame e) {
        badAt = pos;
        badWhy = e.getMessage();
        break;
      }
      pos = nl + 1;
    }
    if (badAt >= 0) {
      // damage is a torn tail only if no valid record follows it
      int p = indexOf(buf, (byte) '\n', badAt);
      while (p >= 0 && p + 1 < buf.length) {
        int nl = indexOf(buf, (byte) '\n', p + 1);
        if (nl < 0) {
          break;
        }
        try {
          Frames.parse(buf, p + 1, nl - p - 1, false, md);
          throw new DecisionLogException("decision log segment " + seg.getFileName() + " is damaged before its end"
              + " at byte " + badAt + " (sequence " + expected + "): " + badWhy
              + "; refusing to append. Run 'haetae verify' on the log directory.", null);
        } catch (Frames.BadFrame ignored) {
          p = nl;
        }
      }
      if (!last) {
        throw new DecisionLogException("decision log segment " + seg.getFileName() + " is damaged at byte " + badAt
            + " (sequence " + expected + "): " + badWhy + "; refusing to append", null);
      }
      long dropped = buf.length - badAt;
      try (FileChannel ch = FileChannel.open(seg, StandardOpenOption.WRITE)) {
        ch.truncate(badAt);
        ch.force(true);
      }
      ObjectNode r = Frames.JSON.createObjectNode();
      r.put("segment", seg.getFileName().toString());
      r.put("offset", badAt);
      r.put("dropped_bytes", dropped);
      r.put("next_seq", expected);
      r.put("reason", badWhy);
      try (FileChannel ch = FileChannel.open(seg.resolveSibling(Checkpoints.RECOVERIES), StandardOpenOption.CREATE,
          StandardOpenOption.WRITE, StandardOpenOption.APPEND)) {
        ByteBuffer b = ByteBuffer.wrap((Frames.JSON.writeValueAsString(r) + "\n").getBytes(StandardCharsets.UTF_8));
        while (b.hasRemaining()) {
          ch.write(b);
        }
        ch.force(true);
      }
      LOG.warn("decision log: truncated a torn tail of {} bytes in {} at byte {} (first lost sequence {}): {}",
          dropped, seg.getFileName(), badAt, expected, badWhy);
    }
    return s;
  }

  static int indexOf(byte[] buf, byte b, int from) {
    for (int i = from; i < buf.length; i++) {
      if (buf[i] == b) {
        return i;
      }
    }
    return -1;
  }

  /** Reads a small JSON Lines side file; when {@code repair}, truncates a torn last line. */
  static List<JsonNode> readJsonLines(Path file, boolean repair) throws IOException {
    List<JsonNode> out = new ArrayList<>();
    if (!Files.exists(file)) {
      return out;
    }
    byte[] buf = Files.readAllBytes(file);
    int pos = 0;
    while (pos < buf.length) {
      int nl = indexOf(buf, (byte) '\n', pos);
      if (nl < 0) {
        if (repair) {
          try (FileChannel ch = FileChannel.open(file, StandardOpenOption.WRITE)) {
            ch.truncate(pos);
            ch.force(true);
          }
        }
        break;
      }
      try {
        out.add(Frames.JSON.readTree(new String(buf, pos, nl - pos, StandardCharsets.UTF_8)));
      } catch (IOException e) {
        out.add(Frames.JSON.createObjectNode().put("malformed", true).put("offset", pos));
      }
      pos = nl + 1;
    }
    return out;
  }
}
