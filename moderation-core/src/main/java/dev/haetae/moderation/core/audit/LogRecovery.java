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
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reopening a log after a clean close or a crash: finds the last durable record and where appending
 * resumes. Only a torn, unsigned, unacknowledged tail is truncated: the end of the last segment
 * after its last complete record, made of an incomplete line (a partly written batch) or lines of
 * zero bytes (a file system that grew the file before writing it), with no valid record after it
 * and nothing in it covered by a checkpoint. The truncation is recorded in {@code
 * recoveries.jsonl} (forced) before the segment is cut, so a recovery that cannot be recorded (a
 * full disk) changes nothing and fails. Any other damage refuses to open with a {@link
 * DamagedLogException}: a record that fails its hash, chain or sequence before the end or in a
 * complete line; a damaged record a checkpoint covers; a checkpoint beyond the last record (records
 * or segments removed); a checkpoint whose hash is not the record's; a log that ends before, or
 * disagrees with, the latest checkpoint its anchor holds.
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
    /** The hash of record 0, the log's identity for an anchor; null for an empty log. */
    String logId;
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

  static Tail recover(Path dir, CheckpointAnchor anchor) throws IOException {
    Tail t = new Tail();
    for (JsonNode k : readJsonLines(dir.resolve(Checkpoints.KEYS), true)) {
      if (k.has("kid")) {
        t.keyIds.add(k.get("kid").asText());
      }
    }
    Map<Long, String> checkpointHash = new HashMap<>();
    for (JsonNode c : readJsonLines(dir.resolve(Checkpoints.FILE), true)) {
      if (c.has("seq")) {
        long seq = c.get("seq").asLong();
        t.lastCheckpointSeq = Math.max(t.lastCheckpointSeq, seq);
        checkpointHash.put(seq, c.path("hash").asText());
      }
    }
    List<Path> segs = segments(dir);
    MessageDigest md = Frames.sha256();
    Scan lastScan = null;
    for (int i = segs.size() - 1; i >= 0; i--) {
      Path seg = segs.get(i);
      long first = Frames.segmentFirstSeq(seg.getFileName().toString());
      boolean last = i == segs.size() - 1;
      Scan scan = scan(dir, seg, first, md, last, t.lastCheckpointSeq);
      if (last) {
        t.openSegment = seg;
        lastScan = scan;
      }
      if (scan.count > 0) {
        t.nextSeq = scan.lastSeq + 1;
        t.lastHash = scan.lastHash;
        if (!last) {
          t.openSegment = null; // the last segment was empty: start a fresh one named by nextSeq
          Path empty = segs.get(segs.size() - 1);
          if (Files.size(empty) == 0) {
            Files.delete(empty);
          }
        }
        lastScan = scan;
        break;
      }
      if (i == 0) {
        t.nextSeq = first;
      }
    }
    if (t.openSegment != null && t.nextSeq != Frames.segmentFirstSeq(t.openSegment.getFileName().toString())) {
      if (Files.size(t.openSegment) == 0) {
        Files.delete(t.openSegment);
      }
      t.openSegment = null;
    }
    if (t.lastCheckpointSeq >= t.nextSeq) {
      throw new DamagedLogException(Checkpoints.FILE, t.nextSeq, "decision log " + dir + ": a checkpoint covers"
          + " seq " + t.lastCheckpointSeq + " but the log ends before seq " + t.nextSeq + ": records or segments"
          + " were removed; refusing to append after them (their sequence numbers would be reused)");
    }
    if (lastScan != null && lastScan.hashes.containsKey(t.lastCheckpointSeq)
        && !lastScan.hashes.get(t.lastCheckpointSeq).equals(checkpointHash.get(t.lastCheckpointSeq))) {
      throw new DamagedLogException(Checkpoints.FILE, t.lastCheckpointSeq, "decision log " + dir + ": the"
          + " checkpoint of seq " + t.lastCheckpointSeq + " names another hash than the record's: the record or"
          + " the checkpoint was changed; refusing to append");
    }
    if (!segs.isEmpty() && t.nextSeq > 0) {
      t.logId = firstHash(segs.get(0), md);
    }
    if (anchor != null && t.logId != null) {
      checkAnchor(dir, anchor, t, segs, md);
    }
    return t;
  }

  /** The log must still hold the anchor's latest checkpoint, with the same hash. */
  private static void checkAnchor(Path dir, CheckpointAnchor anchor, Tail t, List<Path> segs, MessageDigest md)
      throws IOException {
    java.util.Optional<CheckpointAnchor.Checkpoint> latest = anchor.latest(t.logId);
    if (latest.isEmpty()) {
      return;
    }
    CheckpointAnchor.Checkpoint c = latest.get();
    if (c.seq() >= t.nextSeq) {
      throw new DamagedLogException(Checkpoints.FILE, t.nextSeq, "decision log " + dir + ": its checkpoint"
          + " anchor holds a checkpoint of seq " + c.seq() + " but the log ends before seq " + t.nextSeq
          + ": it was truncated or an older copy was put back; refusing to append");
    }
    String hash = hashAt(segs, c.seq(), md);
    if (!c.hash().equals(hash)) {
      throw new DamagedLogException(Checkpoints.FILE, c.seq(), "decision log " + dir + ": the record of seq "
          + c.seq() + " is not the one its checkpoint anchor holds (hash " + Frames.abbrev(String.valueOf(hash))
          + " where " + Frames.abbrev(c.hash()) + " was anchored): it was rewritten; refusing to append");
    }
  }

  /** The hash of record {@code seq}, read from the segment that should hold it; null when absent. */
  static String hashAt(List<Path> segs, long seq, MessageDigest md) throws IOException {
    Path holder = null;
    for (Path p : segs) {
      if (Frames.segmentFirstSeq(p.getFileName().toString()) <= seq) {
        holder = p;
      }
    }
    if (holder == null) {
      return null;
    }
    byte[] buf = Files.readAllBytes(holder);
    int pos = 0;
    while (pos < buf.length) {
      int nl = indexOf(buf, (byte) '\n', pos);
      if (nl < 0) {
        return null;
      }
      try {
        Frames.Parsed p = Frames.parse(buf, pos, nl - pos, false, md);
        if (p.seq == seq) {
          return p.hash;
        }
      } catch (Frames.BadFrame e) {
        return null;
      }
      pos = nl + 1;
    }
    return null;
  }

  private static String firstHash(Path seg, MessageDigest md) throws IOException {
    if (Frames.segmentFirstSeq(seg.getFileName().toString()) != 0) {
      return null;
    }
    try (java.io.InputStream in = Files.newInputStream(seg)) {
      java.io.ByteArrayOutputStream line = new java.io.ByteArrayOutputStream();
      for (int b; (b = in.read()) >= 0 && b != '\n'; ) {
        line.write(b);
      }
      byte[] l = line.toByteArray();
      try {
        return Frames.parse(l, 0, l.length, false, md).hash;
      } catch (Frames.BadFrame e) {
        return null;
      }
    }
  }

  private static final class Scan {
    long count;
    long lastSeq = -1;
    String lastHash;
    /** The hashes of the records read, by sequence number (for checkpoint checks). */
    final Map<Long, String> hashes = new HashMap<>();
  }

  /**
   * Scans one segment; in the log's last segment, truncates a torn tail (after recording it), and
   * refuses any other damage.
   */
  private static Scan scan(Path dir, Path seg, long first, MessageDigest md, boolean last, long lastCheckpointSeq)
      throws IOException {
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
        s.hashes.put(p.seq, p.hash);
        prev = p.hash;
        expected++;
      } catch (Frames.BadFrame e) {
        badAt = pos;
        badWhy = e.getMessage();
        break;
      }
      pos = nl + 1;
    }
    if (badAt < 0) {
      return s;
    }
    String name = seg.getFileName().toString();
    String refusal = "; refusing to append. Run 'haetae verify' on the log directory.";
    if (!last) {
      throw new DamagedLogException(name, expected, "decision log segment " + name + " is damaged at byte " + badAt
          + " (sequence " + expected + "): " + badWhy + refusal);
    }
    // A torn write leaves an incomplete last line, possibly after lines of zero bytes; a complete
    // line that fails its hash, or any valid record after the damage, is not a torn write.
    for (int p = badAt; p < buf.length; ) {
      int nl = indexOf(buf, (byte) '\n', p);
      if (nl < 0) {
        break;
      }
      if (!zeros(buf, p, nl)) {
        boolean valid;
        try {
          Frames.parse(buf, p, nl - p, false, md);
          valid = true;
        } catch (Frames.BadFrame e) {
          valid = false;
        }
        throw new DamagedLogException(name, expected, "decision log segment " + name + " is damaged at byte "
            + badAt + " (sequence " + expected + "): " + badWhy + (valid ? ", and a valid record follows"
                : ", in a complete line (not a torn write)") + refusal);
      }
      p = nl + 1;
    }
    if (expected <= lastCheckpointSeq) {
      throw new DamagedLogException(name, expected, "decision log segment " + name + " is damaged at byte " + badAt
          + " (sequence " + expected + "), which a signed checkpoint covers (seq " + lastCheckpointSeq + "): "
          + badWhy + refusal);
    }
    long dropped = buf.length - badAt;
    record(dir, name, badAt, dropped, expected, badWhy);
    try (FileChannel ch = FileChannel.open(seg, StandardOpenOption.WRITE)) {
      ch.truncate(badAt);
      ch.force(true);
    }
    LOG.warn("decision log: truncated a torn tail of {} bytes in {} at byte {} (first lost sequence {}): {}",
        dropped, name, badAt, expected, badWhy);
    return s;
  }

  private static boolean zeros(byte[] buf, int from, int to) {
    for (int i = from; i < to; i++) {
      if (buf[i] != 0) {
        return false;
      }
    }
    return true;
  }

  /**
   * Records a truncation in {@code recoveries.jsonl}, forced, before it is made; a recovery already
   * recorded there (a crash between recording and truncating) is not recorded twice.
   *
   * @throws DecisionLogException when it cannot be recorded: then nothing is truncated
   */
  private static void record(Path dir, String segment, int offset, long dropped, long nextSeq, String why) {
    Path file = dir.resolve(Checkpoints.RECOVERIES);
    ObjectNode r = Frames.JSON.createObjectNode();
    r.put("segment", segment);
    r.put("offset", offset);
    r.put("dropped_bytes", dropped);
    r.put("next_seq", nextSeq);
    r.put("reason", why);
    try {
      List<JsonNode> done = readJsonLines(file, false);
      if (!done.isEmpty()) {
        JsonNode lastOne = done.get(done.size() - 1);
        if (lastOne.path("segment").asText().equals(segment) && lastOne.path("offset").asLong() == offset
            && lastOne.path("next_seq").asLong() == nextSeq) {
          return;
        }
      }
      try (FileChannel ch = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
          StandardOpenOption.APPEND)) {
        ByteBuffer b = ByteBuffer.wrap((Frames.JSON.writeValueAsString(r) + "\n").getBytes(StandardCharsets.UTF_8));
        while (b.hasRemaining()) {
          ch.write(b);
        }
        ch.force(true);
      }
    } catch (IOException e) {
      throw new DecisionLogException("decision log " + dir + ": cannot record the recovery of a torn tail in "
          + segment + " (" + e + "; is the disk full?); nothing was truncated, and the log is not opened", e);
    }
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
