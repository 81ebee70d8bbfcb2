package dev.haetae.moderation.core.audit;

import com.fasterxml.jackson.databind.JsonNode;
import dev.haetae.moderation.api.Decision;
import dev.haetae.moderation.api.DecisionLogException;
import dev.haetae.moderation.api.Evidence;
import dev.haetae.moderation.api.ObligationEvent;
import dev.haetae.moderation.core.effect.Effect;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Stream;

/**
 * The outbox of a directory log: files {@code outbox/outbox-<first seq>.jsonl} of lines {@code
 * {"seq":N,"entry":{...}}} (a decision with raw ids, written in the same batch as its record and
 * forced before it) and {@code {"done":N}} (its effects carried out and delivered). A file none of
 * whose entries is pending any more is deleted, so raw ids stay on disk only while needed. Used by
 * the log's single flushing thread (or under the log's lock); {@link #encode} is thread-safe.
 */
final class FileOutbox {
  static final String DIR = "outbox";
  private static final int ENTRIES_PER_FILE = 4096;
  private static final RecordCodec RAW = RecordCodec.raw();

  private final Path dir;
  private final boolean fsync;
  private FileChannel current;
  private Path currentPath;
  private int currentEntries;
  private ByteBuffer buffer;
  /** Every outbox file on disk, oldest first. */
  private final Set<Path> files = new LinkedHashSet<>();
  /** Pending seqs per file, and the file of each pending seq. */
  private final Map<Path, Set<Long>> pendingByFile = new HashMap<>();
  private final Map<Long, Path> fileOf = new HashMap<>();

  /**
   * Opens the outbox of a log whose next record is {@code nextSeq}. Entries at or after it belong
   * to records that never became durable (the outbox is forced before the records): they are
   * removed, so that their sequence numbers can be used again.
   */
  FileOutbox(Path logDir, long nextSeq, boolean fsync) throws IOException {
    this(logDir, nextSeq, fsync, true);
  }

  /**
   * Reads the outbox of a log without changing it ({@code repair} false: for audit tools), or opens
   * it for writing ({@code repair} true).
   */
  FileOutbox(Path logDir, long nextSeq, boolean fsync, boolean repair) throws IOException {
    this.dir = logDir.resolve(DIR);
    this.fsync = fsync;
    if (Files.isDirectory(dir)) {
      try (Stream<Path> s = Files.list(dir)) {
        s.filter(p -> p.getFileName().toString().startsWith("outbox-")).sorted().forEach(files::add);
      }
    }
    for (Path f : files) {
      List<JsonNode> lines = LogRecovery.readJsonLines(f, repair);
      boolean orphans = false;
      List<String> kept = new ArrayList<>();
      for (JsonNode n : lines) {
        if (n.has("seq") && n.get("seq").asLong() >= nextSeq) {
          orphans = true;
          continue;
        }
        kept.add(n.toString());
        if (n.has("done")) {
          unmark(n.get("done").asLong());
        } else if (n.has("seq")) {
          mark(n.get("seq").asLong(), f);
        }
      }
      if (orphans && repair) {
        rewrite(f, kept);
      }
    }
    if (repair) {
      deleteFinished();
    }
  }

  private void rewrite(Path f, List<String> lines) throws IOException {
    Path tmp = f.resolveSibling(f.getFileName() + ".tmp");
    StringBuilder sb = new StringBuilder();
    for (String l : lines) {
      sb.append(l).append('\n');
    }
    try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.CREATE, StandardOpenOption.TRUNCATE_EXISTING,
        StandardOpenOption.WRITE)) {
      ByteBuffer b = ByteBuffer.wrap(sb.toString().getBytes(StandardCharsets.UTF_8));
      while (b.hasRemaining()) {
        ch.write(b);
      }
      if (fsync) {
        ch.force(true);
      }
    }
    Files.move(tmp, f, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
  }

  private void mark(long seq, Path f) {
    pendingByFile.computeIfAbsent(f, k -> new HashSet<>()).add(seq);
    fileOf.put(seq, f);
  }

  private void unmark(long seq) {
    Path f = fileOf.remove(seq);
    if (f != null) {
      Set<Long> s = pendingByFile.get(f);
      s.remove(seq);
      if (s.isEmpty()) {
        pendingByFile.remove(f);
      }
    }
  }

  private void deleteFinished() throws IOException {
    for (Path f : new ArrayList<>(files)) {
      if (!f.equals(currentPath) && !pendingByFile.containsKey(f)) {
        Files.deleteIfExists(f);
        files.remove(f);
      }
    }
  }

  /** Whether any decision is pending. */
  boolean hasPending() {
    return !fileOf.isEmpty();
  }

  /** A decision's outbox payload, with raw ids and text; thread-safe. */
  static byte[] encode(Evidence evidence, Decision decision, List<Effect> effects, List<ObligationEvent> events) {
    try {
      return JsonBytes.of(RAW.encode(evidence, decision, effects, events));
    } catch (IOException | RuntimeException e) {
      throw new DecisionLogException("cannot serialise the outbox entry of decision " + decision.id() + ": " + e, e);
    }
  }

  private static final byte[] ENTRY_HEAD = "{\"seq\":".getBytes(StandardCharsets.US_ASCII);
  private static final byte[] ENTRY_MID = ",\"entry\":".getBytes(StandardCharsets.US_ASCII);
  private static final byte[] DONE_HEAD = "{\"done\":".getBytes(StandardCharsets.US_ASCII);
  /** The most bytes a line adds to its payload: the longest head and the closing brace and newline. */
  private static final int LINE_OVERHEAD = ENTRY_HEAD.length + 20 + ENTRY_MID.length + 2;

  /** Puts an entry line: {@code {"seq":N,"entry":<payload>}} and a newline. */
  private static void putEntry(ByteBuffer b, long seq, byte[] payload) {
    b.put(ENTRY_HEAD);
    putDecimal(b, seq);
    b.put(ENTRY_MID);
    b.put(payload);
    b.put((byte) '}');
    b.put((byte) '\n');
  }

  private static void putDecimal(ByteBuffer b, long v) {
    String digits = Long.toString(v);
    for (int i = 0; i < digits.length(); i++) {
      b.put((byte) digits.charAt(i));
    }
  }

  /**
   * Writes entry lines and done marks, forcing the entries when the log forces. Called before the
   * records themselves are written.
   *
   * @param seqs the sequence numbers of {@code payloads}, in order
   * @param payloads entry payloads (see {@link #encode}), each written as an entry line
   * @param done the sequence numbers to mark done
   */
  void write(List<Long> seqs, List<byte[]> payloads, long[] done) throws IOException {
    if (payloads.isEmpty() && done.length == 0) {
      return;
    }
    if (current == null || (currentEntries >= ENTRIES_PER_FILE && !payloads.isEmpty())) {
      rotate(seqs.isEmpty() ? done[0] : seqs.get(0));
    }
    long total = (long) done.length * (DONE_HEAD.length + 22);
    for (byte[] p : payloads) {
      total += p.length + LINE_OVERHEAD;
    }
    ByteBuffer buf = Frames.room(buffer, total, "an outbox write");
    buffer = buf.capacity() <= Frames.KEEP_BUFFER ? buf : null;
    for (int i = 0; i < payloads.size(); i++) {
      putEntry(buf, seqs.get(i), payloads.get(i));
    }
    for (long s : done) {
      buf.put(DONE_HEAD);
      putDecimal(buf, s);
      buf.put((byte) '}');
      buf.put((byte) '\n');
    }
    buf.flip();
    while (buf.hasRemaining()) {
      current.write(buf);
    }
    if (fsync && !payloads.isEmpty()) {
      current.force(false);
    }
    for (long s : seqs) {
      mark(s, currentPath);
    }
    currentEntries += payloads.size();
    for (long s : done) {
      unmark(s);
    }
    if (done.length > 0) {
      deleteFinished();
    }
  }

  private void rotate(long first) throws IOException {
    if (current != null) {
      current.close();
    }
    Files.createDirectories(dir);
    Path p = dir.resolve(String.format("outbox-%020d.jsonl", first));
    for (int n = 1; Files.exists(p); n++) {
      p = dir.resolve(String.format("outbox-%020d-%d.jsonl", first, n));
    }
    current = FileChannel.open(p, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE);
    currentPath = p;
    currentEntries = 0;
    files.add(p);
  }

  /** The pending decisions, decoded, oldest first. */
  List<EngineLog.Pending> pending() throws IOException {
    Map<Long, EngineLog.Pending> out = new TreeMap<>();
    for (Path f : new ArrayList<>(pendingByFile.keySet())) {
      for (JsonNode n : LogRecovery.readJsonLines(f, false)) {
        if (!n.has("seq") || !f.equals(fileOf.get(n.get("seq").asLong()))) {
          continue;
        }
        long seq = n.get("seq").asLong();
        LogEntry e = RecordCodec.decode(seq, f.getFileName().toString(), 0, Frames.GENESIS, Json.req(n, "entry"));
        if (e instanceof LoggedRecord) {
          LoggedRecord r = (LoggedRecord) e;
          out.put(seq, new EngineLog.Pending(seq, r.evidence(), r.decision(), r.effects(), r.obligationEvents()));
        }
      }
    }
    return new ArrayList<>(out.values());
  }

  void close() throws IOException {
    if (current != null) {
      current.close();
      current = null;
    }
    Path last = currentPath;
    currentPath = null;
    if (last != null) {
      deleteFinished();
    }
  }
}
