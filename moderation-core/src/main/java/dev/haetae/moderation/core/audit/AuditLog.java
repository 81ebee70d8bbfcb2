package dev.haetae.moderation.core.audit;

import com.fasterxml.jackson.databind.JsonNode;
import dev.haetae.moderation.api.Decision;
import dev.haetae.moderation.api.DecisionLogException;
import dev.haetae.moderation.api.Evidence;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.PublicKey;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.Objects;
import java.util.Optional;
import java.util.TreeMap;
import java.util.function.Consumer;

/**
 * A decision log directory opened for reading: verification of its hash chain and checkpoints, and
 * iteration over its records. Opening does not modify anything (reading never truncates a torn
 * tail; only the writer does).
 *
 * <p>Thread-safe: every method reads the files afresh. Reading a log that a writer is appending
 * to sees a prefix of it.
 *
 * @since 0.1
 */
public final class AuditLog {
  private final Path dir;

  private AuditLog(Path dir) {
    this.dir = dir;
  }

  /**
   * Opens a log directory for reading.
   *
   * @param dir the directory a {@link DecisionLogs} log was written to; not null
   * @return the log
   * @throws DecisionLogException when {@code dir} is not a directory or holds no log files
   */
  public static AuditLog open(Path dir) {
    Objects.requireNonNull(dir, "dir");
    if (!Files.isDirectory(dir)) {
      throw new DecisionLogException("not a decision log directory: " + dir + " does not exist or is not a directory",
          null);
    }
    try {
      if (LogRecovery.segments(dir).isEmpty() && !Files.exists(dir.resolve(Checkpoints.KEYS))) {
        throw new DecisionLogException("not a decision log directory: " + dir
            + " holds no segment-*.jsonl and no keys.jsonl", null);
      }
    } catch (IOException e) {
      throw new DecisionLogException("cannot list " + dir + ": " + e.getMessage(), e);
    }
    return new AuditLog(dir);
  }

  /**
   * The directory.
   *
   * @return the directory; never null
   */
  public Path directory() {
    return dir;
  }

  /**
   * The segment files, in sequence order.
   *
   * @return the file names; never null
   * @throws DecisionLogException when the directory cannot be listed
   */
  public List<String> segments() {
    List<String> out = new ArrayList<>();
    for (Path p : segmentPaths()) {
      out.add(p.getFileName().toString());
    }
    return out;
  }

  private List<Path> segmentPaths() {
    try {
      return LogRecovery.segments(dir);
    } catch (IOException e) {
      throw new DecisionLogException("cannot list " + dir + ": " + e.getMessage(), e);
    }
  }

  /**
   * The total size of the segments, for progress reporting.
   *
   * @return bytes
   * @throws DecisionLogException when a file cannot be read
   */
  public long totalBytes() {
    long total = 0;
    for (Path p : segmentPaths()) {
      try {
        total += Files.size(p);
      } catch (IOException e) {
        throw new DecisionLogException("cannot read " + p.getFileName() + ": " + e.getMessage(), e);
      }
    }
    return total;
  }

  /**
   * The checkpoint public keys recorded in the log's own {@code keys.jsonl}.
   *
   * @return the keys by key id; never null
   * @throws DecisionLogException when the file cannot be read
   */
  public Map<String, PublicKey> loggedKeys() {
    return readKeysIfAny(dir.resolve(Checkpoints.KEYS));
  }

  /**
   * Reads a keys file in the format of {@code keys.jsonl} (one {@code {"kid","alg","public"}}
   * object per line, the public key as Base64 X.509), e.g. a copy an auditor received separately.
   * A file that does not exist, is not a regular file or holds no key is an error (verifying
   * against no trusted key would report every checkpoint as signed by an unknown key, which reads
   * as tampering).
   *
   * @param file the file; not null
   * @return the keys by key id; never empty
   * @throws DecisionLogException when the file does not exist, cannot be read, holds no key or a
   *     key is malformed
   */
  public static Map<String, PublicKey> readKeys(Path file) {
    if (!Files.isRegularFile(file)) {
      throw new DecisionLogException("the keys file " + file + (Files.exists(file) ? " is not a regular file"
          : " does not exist"), null);
    }
    Map<String, PublicKey> keys = readKeysIfAny(file);
    if (keys.isEmpty()) {
      throw new DecisionLogException("the keys file " + file + " holds no key", null);
    }
    return keys;
  }

  /** The keys of a keys file; none when it does not exist. */
  private static Map<String, PublicKey> readKeysIfAny(Path file) {
    Map<String, PublicKey> keys = new LinkedHashMap<>();
    try {
      int line = 0;
      for (JsonNode n : LogRecovery.readJsonLines(file, false)) {
        line++;
        try {
          keys.put(RecordCodec.req(n, "kid").asText(), Checkpoints.readKey(n));
        } catch (GeneralSecurityException | RuntimeException e) {
          throw new DecisionLogException(file.getFileName() + " line " + line + ": malformed key: " + e.getMessage(), e);
        }
      }
    } catch (IOException e) {
      throw new DecisionLogException("cannot read " + file + ": " + e.getMessage(), e);
    }
    return keys;
  }

  /**
   * Verifies against the keys stored in the log itself. See {@link #verify(Map, ProgressListener)}.
   *
   * @return the report; never null
   * @throws DecisionLogException when a file cannot be read (damage is reported, not thrown)
   */
  public VerificationReport verify() {
    return verify(Verification.ownKeys(), ProgressListener.NONE);
  }

  /**
   * Verifies every record's hash, the chain between records and across segments, the sequence
   * numbers, and every checkpoint's hash and Ed25519 signature; reports the first problem with its
   * segment, line and sequence number. Equivalent to {@link #verify(Verification, ProgressListener)}
   * with {@link Verification#ownKeys()} when {@code trustedKeys} is null and
   * {@link Verification#trusting(Map)} otherwise, as of now.
   *
   * @param trustedKeys the checkpoint keys to trust, by key id; or null to check signatures against
   *     the log's own {@code keys.jsonl} (which proves consistency, not authorship: whoever can
   *     rewrite the log can rewrite that file too; the report notes it)
   * @param progress progress callback; not null
   * @return the report; never null
   * @throws DecisionLogException when a file cannot be read (damage is reported, not thrown)
   */
  public VerificationReport verify(Map<String, PublicKey> trustedKeys, ProgressListener progress) {
    return verify(trustedKeys == null ? Verification.ownKeys() : Verification.trusting(trustedKeys), progress);
  }

  /**
   * What a verification trusts and checks: the keys, the bounds on an unsigned tail, the instant it
   * is judged at, and an optional {@link CheckpointAnchor}. Immutable and thread-safe; the "with"
   * methods return a changed copy.
   *
   * @since 0.2
   */
  public static final class Verification {
    private final Map<String, PublicKey> trustedKeys;
    private final CheckpointAnchor anchor;
    private final Instant asOf;
    private final Integer maxTailRecords;
    private final Duration maxTailAge;

    private Verification(Map<String, PublicKey> trustedKeys, CheckpointAnchor anchor, Instant asOf,
        Integer maxTailRecords, Duration maxTailAge) {
      this.trustedKeys = trustedKeys;
      this.anchor = anchor;
      this.asOf = asOf;
      this.maxTailRecords = maxTailRecords;
      this.maxTailAge = maxTailAge;
    }

    /**
     * Checks signatures against the log's own {@code keys.jsonl}: consistency, not authorship.
     * Records after the last checkpoint are noted, never failed (anyone who can rewrite the log
     * can rewrite the keys too).
     *
     * @return the verification; never null
     */
    public static Verification ownKeys() {
      return new Verification(null, null, null, null, null);
    }

    /**
     * Checks signatures against keys the auditor holds separately. Then records no trusted
     * checkpoint covers fail when they are more than the writer's bound on records between
     * checkpoints, or older than its checkpoint interval (both as the last trusted checkpoint signed
     * them, or as given with {@link #tailBounds}); a younger tail within the bounds is reported with
     * its count (an appended or rewritten record there cannot be told from a genuine one).
     *
     * @param keys the trusted keys by key id; not null; not empty; copied
     * @return the verification; never null
     * @throws IllegalArgumentException when {@code keys} is empty
     */
    public static Verification trusting(Map<String, PublicKey> keys) {
      Objects.requireNonNull(keys, "keys");
      if (keys.isEmpty()) {
        throw new IllegalArgumentException("no trusted key: verifying against none would fail every checkpoint");
      }
      return new Verification(Map.copyOf(keys), null, null, null, null);
    }

    /**
     * Also checks the log against a {@link CheckpointAnchor}: its latest checkpoint must verify and
     * the log must still hold that record with that hash.
     *
     * @param value the anchor; not null
     * @return a copy with the anchor
     */
    public Verification anchor(CheckpointAnchor value) {
      return new Verification(trustedKeys, Objects.requireNonNull(value, "anchor"), asOf, maxTailRecords, maxTailAge);
    }

    /**
     * The instant the age of an unsigned tail is judged at (default: the system clock when
     * verifying). The age of a record is measured from its own time ({@code at} of its decision
     * or event).
     *
     * @param value the instant; not null
     * @return a copy judged at {@code value}
     */
    public Verification asOf(Instant value) {
      return new Verification(trustedKeys, anchor, Objects.requireNonNull(value, "asOf"), maxTailRecords, maxTailAge);
    }

    /**
     * Bounds on the records no trusted checkpoint covers, instead of those the last trusted
     * checkpoint signed (with no trusted checkpoint: the writer's defaults, 2024 records and one
     * minute; after a version-1 checkpoint, which signed none: 2024 records and no age bound).
     *
     * @param records the most such records, 0 or more
     * @param age the oldest such a record may be; not null; zero for no age bound
     * @return a copy with these bounds
     * @throws IllegalArgumentException when {@code records} or {@code age} is negative
     */
    public Verification tailBounds(int records, Duration age) {
      Objects.requireNonNull(age, "age");
      if (records < 0 || age.isNegative()) {
        throw new IllegalArgumentException("tail bounds must not be negative, got " + records + ", " + age);
      }
      return new Verification(trustedKeys, anchor, asOf, records, age);
    }

    /**
     * Whether signatures are checked against keys given by the auditor.
     *
     * @return true for {@link #trusting(Map)}
     */
    public boolean trusted() {
      return trustedKeys != null;
    }
  }

  /**
   * The bounds assumed when no trusted version-2 checkpoint signed them: the writer's defaults
   * (checkpointEvery + maxBatch records, checkpointInterval); version-1 checkpoints had no time
   * bound.
   */
  private static final int DEFAULT_TAIL_RECORDS = 2024;
  private static final Duration DEFAULT_TAIL_AGE = Duration.ofMinutes(1);

  /**
   * Verifies every record's hash, the chain between records and across segments, the sequence
   * numbers, and every checkpoint's hash and Ed25519 signature; with trusted keys, the records no
   * trusted checkpoint covers against the writer's bounds; with an anchor, that the log still holds
   * the anchor's latest checkpoint. Reports the first problem with its segment, line and sequence
   * number.
   *
   * @param v what to trust and check; not null
   * @param progress progress callback; not null
   * @return the report; never null
   * @throws DecisionLogException when a file cannot be read (damage is reported, not thrown)
   * @since 0.2
   */
  public VerificationReport verify(Verification v, ProgressListener progress) {
    Objects.requireNonNull(v, "verification");
    Objects.requireNonNull(progress, "progress");
    List<String> notes = new ArrayList<>();
    Map<String, PublicKey> keys;
    if (!v.trusted()) {
      keys = loggedKeys();
      notes.add("checkpoint signatures checked against the log's own keys.jsonl ("
          + String.join(", ", keys.keySet()) + "); pass trusted keys to check who signed them");
    } else {
      keys = v.trustedKeys;
    }
    List<VerificationReport.Recovery> recoveries = readRecoveries();
    // checkpoints by seq
    TreeMap<Long, JsonNode> cps = new TreeMap<>();
    Map<Long, Integer> cpLine = new HashMap<>();
    List<VerificationReport.Problem> problems = new ArrayList<>();
    try {
      int line = 0;
      for (JsonNode c : LogRecovery.readJsonLines(dir.resolve(Checkpoints.FILE), false)) {
        line++;
        if (!c.has("seq") || !c.has("hash") || !c.has("sig") || !c.has("kid")) {
          problems.add(new VerificationReport.Problem(VerificationReport.Kind.BAD_CHECKPOINT_SIGNATURE,
              Checkpoints.FILE, line, c.has("seq") ? c.get("seq").asLong() : -1, "malformed checkpoint line"));
          continue;
        }
        cps.put(c.get("seq").asLong(), c);
        cpLine.put(c.get("seq").asLong(), line);
      }
    } catch (IOException e) {
      throw new DecisionLogException("cannot read " + Checkpoints.FILE + ": " + e.getMessage(), e);
    }
    // prune records: the head they removed, signed; the chain starts after the last one
    long start = 0;
    String startPrev = Frames.GENESIS;
    String prunedLog = null;
    try {
      List<JsonNode> pl = Prunes.read(dir);
      for (int i = 0; i < pl.size() && problems.isEmpty(); i++) {
        Prunes.Prune pr;
        try {
          pr = Prunes.parse(pl.get(i));
        } catch (IllegalArgumentException e) {
          problems.add(new VerificationReport.Problem(VerificationReport.Kind.BAD_PRUNE_RECORD, Prunes.FILE, i + 1,
              start, "malformed prune record: " + e.getMessage()));
          break;
        }
        PublicKey key = keys.get(pr.kid());
        String wrong = key == null ? "is signed by a key ('" + pr.kid() + "') not among those checked against"
            : !Prunes.verify(pr, key) ? "does not verify: forged or altered"
            : pr.from() != start ? "starts at seq " + pr.from() + " where the log's head was seq " + start
            : prunedLog != null ? (pr.log().equals(prunedLog) ? null : "names another log")
            : pr.log().equals(pr.firstHash()) ? null : "names a log other than its first record's";
        if (wrong != null) {
          problems.add(new VerificationReport.Problem(VerificationReport.Kind.BAD_PRUNE_RECORD, Prunes.FILE, i + 1,
              start, "the prune record of seq " + pr.from() + ".." + pr.to() + " " + wrong));
          break;
        }
        prunedLog = pr.log();
        start = pr.to() + 1;
        startPrev = pr.lastHash();
        notes.add("records " + pr.from() + ".." + pr.to() + " (" + pr.segments().size() + " segment(s)) were pruned at "
            + pr.at() + " under the retention rule " + pr.rule() + " (cutoff " + pr.cutoff() + "); the prune record is"
            + " signed by '" + pr.kid() + "'");
      }
    } catch (IOException e) {
      throw new DecisionLogException("cannot read " + Prunes.FILE + ": " + e.getMessage(), e);
    }
    long total = totalBytes();
    long done = 0;
    MessageDigest md = Frames.sha256();
    long expected = start;
    String prev = startPrev;
    long records = 0;
    int checkpointsOk = 0;
    long lastGoodCheckpoint = start - 1;
    JsonNode lastGoodLine = null;
    Instant firstUncoveredAt = null;
    boolean captureNext = true;
    CheckpointAnchor.Checkpoint anchored = null;
    boolean anchorChecked = false;
    List<Path> segs = problems.isEmpty() ? Prunes.kept(segmentPaths(), start) : List.of();
    VerificationReport.Problem recordProblem = null;
    outer:
    for (int si = 0; si < segs.size(); si++) {
      Path seg = segs.get(si);
      String name = seg.getFileName().toString();
      long named = Frames.segmentFirstSeq(name);
      byte[] buf = readAll(seg);
      if (named != expected && buf.length > 0) {
        recordProblem = new VerificationReport.Problem(named > expected ? VerificationReport.Kind.MISSING_RECORD
            : VerificationReport.Kind.OUT_OF_ORDER, name, 0, expected,
            "segment is named for seq " + named + " but the previous segments end before seq " + expected);
        break;
      }
      int pos = 0;
      long line = 0;
      while (pos < buf.length) {
        line++;
        int nl = LogRecovery.indexOf(buf, (byte) '\n', pos);
        if (nl < 0) {
          boolean last = si == segs.size() - 1;
          recordProblem = new VerificationReport.Problem(
              last ? VerificationReport.Kind.TORN_TAIL : VerificationReport.Kind.TRUNCATED_SEGMENT, name, line,
              expected, last ? "the log ends inside a record (" + (buf.length - pos)
                  + " bytes): a crash while writing, or a truncation; reopening the log for writing truncates it"
                  : "segment ends inside a record (" + (buf.length - pos) + " bytes) and later segments follow");
          break outer;
        }
        Frames.Parsed p;
        try {
          p = Frames.parse(buf, pos, nl - pos, captureNext, md);
        } catch (Frames.BadFrame e) {
          recordProblem = new VerificationReport.Problem(VerificationReport.Kind.CORRUPT_RECORD, name, line, expected,
              e.getMessage());
          break outer;
        }
        if (p.seq != expected) {
          recordProblem = new VerificationReport.Problem(p.seq > expected ? VerificationReport.Kind.MISSING_RECORD
              : VerificationReport.Kind.OUT_OF_ORDER, name, line, expected,
              "found seq " + p.seq + " where seq " + expected + " was expected");
          break outer;
        }
        if (!p.prev.equals(prev)) {
          recordProblem = new VerificationReport.Problem(VerificationReport.Kind.CHAIN_BROKEN, name, line, expected,
              "prev " + Frames.abbrev(p.prev) + " is not the previous record's hash " + Frames.abbrev(prev));
          break outer;
        }
        if (captureNext) {
          firstUncoveredAt = recordTime(p.body);
          captureNext = false;
        }
        if (p.seq == start && v.anchor != null) {
          anchored = v.anchor.latest(start == 0 ? p.hash : prunedLog).orElse(null);
          anchorChecked = true;
          if (anchored != null) {
            VerificationReport.Problem ap = checkAnchored(anchored, keys);
            if (ap != null) {
              problems.add(ap);
              break outer;
            }
          }
        }
        if (anchored != null && p.seq == anchored.seq() && !p.hash.equals(anchored.hash())) {
          problems.add(new VerificationReport.Problem(VerificationReport.Kind.ANCHOR_MISMATCH, name, line, p.seq,
              "the checkpoint anchor holds hash " + Frames.abbrev(anchored.hash()) + " for this record, which has "
                  + Frames.abbrev(p.hash) + ": it was rewritten"));
          break outer;
        }
        JsonNode cp = cps.get(p.seq);
        if (cp != null) {
          VerificationReport.Problem cpProblem = checkCheckpoint(cp, cpLine.get(p.seq), p.hash, keys);
          if (cpProblem != null) {
            problems.add(cpProblem);
            break outer;
          }
          checkpointsOk++;
          lastGoodCheckpoint = p.seq;
          lastGoodLine = cp;
          captureNext = true;
          firstUncoveredAt = null;
        }
        records++;
        prev = p.hash;
        expected++;
        pos = nl + 1;
        if ((records & 1023) == 0) {
          progress.progress(done + pos, total);
        }
      }
      done += buf.length;
      progress.progress(done, total);
    }
    if (recordProblem != null) {
      problems.add(recordProblem);
    } else if (problems.isEmpty()) {
      Map.Entry<Long, JsonNode> beyond = cps.ceilingEntry(expected);
      if (beyond != null) {
        problems.add(new VerificationReport.Problem(VerificationReport.Kind.CHECKPOINT_BEYOND_END, Checkpoints.FILE,
            cpLine.get(beyond.getKey()), expected, "checkpoint names seq " + beyond.getKey()
                + " but the log ends before seq " + expected + ": records were removed from the end"));
      } else if (anchored != null && anchored.seq() >= expected) {
        problems.add(new VerificationReport.Problem(VerificationReport.Kind.ANCHOR_BEYOND_END, Checkpoints.FILE, 0,
            expected, "the checkpoint anchor holds a checkpoint of seq " + anchored.seq() + " but the log ends"
                + " before seq " + expected + ": records were removed from the end, or an older copy put back"));
      }
    }
    long uncovered = expected - 1 - lastGoodCheckpoint;
    if (problems.isEmpty() && uncovered > 0) {
      String what = uncovered + " record(s) after " + (lastGoodCheckpoint < 0 ? "the start of the log"
          : "the last " + (v.trusted() ? "trusted " : "") + "checkpoint (seq " + lastGoodCheckpoint + ")");
      if (!v.trusted()) {
        notes.add(what + " are covered by the hash chain only: the writer did not close cleanly, or is still"
            + " writing");
      } else {
        // the bounds the last trusted checkpoint signed; with none left, the writer's defaults; a
        // version-1 checkpoint signed no time bound
        boolean v1 = lastGoodLine != null && !lastGoodLine.has("every");
        int maxRecords = v.maxTailRecords != null ? v.maxTailRecords
            : lastGoodLine != null && !v1 ? lastGoodLine.get("every").asInt() : DEFAULT_TAIL_RECORDS;
        Duration maxAge = v.maxTailAge != null ? v.maxTailAge
            : lastGoodLine != null && !v1 ? parseDuration(lastGoodLine.get("interval"))
                : v1 ? Duration.ZERO : DEFAULT_TAIL_AGE;
        Instant asOf = v.asOf != null ? v.asOf : Instant.now();
        String tooMany = uncovered > maxRecords ? "more than the writer's bound of " + maxRecords + " records" : null;
        String tooOld = !maxAge.isZero() && firstUncoveredAt != null && firstUncoveredAt.plus(maxAge).isBefore(asOf)
            ? "the first of them (at " + firstUncoveredAt + ") is older than the writer's checkpoint interval of "
                + maxAge + " as of " + asOf : null;
        if (tooMany != null || tooOld != null) {
          problems.add(new VerificationReport.Problem(VerificationReport.Kind.UNSIGNED_TAIL, Checkpoints.FILE, 0,
              lastGoodCheckpoint + 1, what + " are covered by no trusted signature, and "
                  + (tooMany != null ? tooMany : tooOld) + ": the checkpoints that should cover them are missing"
                  + " (removed, or never written by a writer that kept crashing)"));
        } else {
          notes.add(what + " are covered by the hash chain only, not yet by a trusted signature (within the"
              + " writer's bounds of " + maxRecords + " records" + (maxAge.isZero() ? "" : " and " + maxAge)
              + "); a record appended or changed there cannot be told from a genuine one");
        }
      }
    }
    if (v.anchor != null && !anchorChecked && problems.isEmpty()) {
      notes.add("the log has no record 0, so it could not be checked against its checkpoint anchor");
    } else if (v.anchor != null && anchored == null && problems.isEmpty()) {
      notes.add("the checkpoint anchor holds no checkpoint of this log");
    }
    progress.progress(total, total);
    Optional<VerificationReport.Problem> first = problems.stream().min((a, b) -> Long.compare(a.seq(), b.seq()));
    return new VerificationReport(records, segs.size(), checkpointsOk, first, recoveries, notes,
        Math.max(0, uncovered), v.trusted());
  }

  /** The time of a record: its decision's or event's {@code at}; null when it has none. */
  private static Instant recordTime(JsonNode body) {
    if (body == null) {
      return null;
    }
    for (String part : new String[] {"decision", "event", "evidence"}) {
      JsonNode n = body.path(part);
      JsonNode at = n.has("at") ? n.get("at") : n.get("now");
      if (at != null && at.isTextual()) {
        try {
          return Instant.parse(at.asText());
        } catch (RuntimeException e) {
          return null;
        }
      }
    }
    return null;
  }

  private static Duration parseDuration(JsonNode n) {
    try {
      return Duration.parse(n.asText());
    } catch (RuntimeException e) {
      return Duration.ZERO;
    }
  }

  private static VerificationReport.Problem checkAnchored(CheckpointAnchor.Checkpoint c, Map<String, PublicKey> keys) {
    PublicKey key = keys.get(c.kid());
    if (key == null || !Checkpoints.verify(key, c)) {
      return new VerificationReport.Problem(VerificationReport.Kind.BAD_ANCHOR, Checkpoints.FILE, 0, c.seq(),
          "the checkpoint anchor's latest checkpoint (seq " + c.seq() + ", key '" + c.kid() + "') "
              + (key == null ? "is signed by a key not among those checked against" : "does not verify"));
    }
    return null;
  }

  private static VerificationReport.Problem checkCheckpoint(JsonNode cp, int line, String hash,
      Map<String, PublicKey> keys) {
    long seq = cp.get("seq").asLong();
    String kid = cp.get("kid").asText();
    if (!cp.get("hash").asText().equals(hash)) {
      return new VerificationReport.Problem(VerificationReport.Kind.CHECKPOINT_MISMATCH, Checkpoints.FILE, line, seq,
          "checkpoint hash " + Frames.abbrev(cp.get("hash").asText()) + " differs from the record's "
              + Frames.abbrev(hash));
    }
    PublicKey key = keys.get(kid);
    if (key == null) {
      return new VerificationReport.Problem(VerificationReport.Kind.UNKNOWN_CHECKPOINT_KEY, Checkpoints.FILE, line, seq,
          "checkpoint signed with key '" + kid + "', which is not among the keys checked against");
    }
    if (!Checkpoints.verify(key, cp, hash)) {
      return new VerificationReport.Problem(VerificationReport.Kind.BAD_CHECKPOINT_SIGNATURE, Checkpoints.FILE, line,
          seq, "Ed25519 signature by key '" + kid + "' does not verify");
    }
    return null;
  }

  private List<VerificationReport.Recovery> readRecoveries() {
    List<VerificationReport.Recovery> out = new ArrayList<>();
    try {
      for (JsonNode r : LogRecovery.readJsonLines(dir.resolve(Checkpoints.RECOVERIES), false)) {
        out.add(new VerificationReport.Recovery(r.path("segment").asText(), r.path("offset").asLong(),
            r.path("dropped_bytes").asLong(), r.path("next_seq").asLong(), r.path("reason").asText()));
      }
    } catch (IOException e) {
      throw new DecisionLogException("cannot read " + Checkpoints.RECOVERIES + ": " + e.getMessage(), e);
    }
    return Collections.unmodifiableList(out);
  }

  private static byte[] readAll(Path p) {
    try {
      return Files.readAllBytes(p);
    } catch (IOException e) {
      throw new DecisionLogException("cannot read " + p.getFileName() + ": " + e.getMessage(), e);
    }
  }

  /**
   * Reads every decision record in order, checking each record's hash and chain link as it goes,
   * and calls {@code consumer} with it; event records are checked and skipped (see {@link
   * #forEachEntry}). A torn tail at the very end (an unacknowledged, partly written record) is
   * skipped.
   *
   * @param progress progress callback; not null
   * @param consumer receives each decision record; not null; exceptions it throws propagate
   * @return the number of decision records read
   * @throws DecisionLogException when a record is damaged or cannot be decoded; the message names
   *     the segment, the line and the sequence number
   */
  public long forEach(ProgressListener progress, Consumer<LoggedRecord> consumer) {
    Objects.requireNonNull(consumer, "consumer");
    long[] n = {0};
    forEachEntry(progress, e -> {
      if (e instanceof LoggedRecord) {
        consumer.accept((LoggedRecord) e);
        n[0]++;
      }
    });
    return n[0];
  }

  /**
   * Reads every record, decisions and events, in order, checking each record's hash and chain link
   * as it goes. A torn tail at the very end is skipped.
   *
   * @param progress progress callback; not null
   * @param consumer receives each record; not null; exceptions it throws propagate
   * @return the number of records read
   * @throws DecisionLogException when a record is damaged or cannot be decoded
   * @since 0.2
   */
  public long forEachEntry(ProgressListener progress, Consumer<LogEntry> consumer) {
    Objects.requireNonNull(consumer, "consumer");
    Iterator<LogEntry> it = entries(progress);
    long n = 0;
    while (it.hasNext()) {
      consumer.accept(it.next());
      n++;
    }
    return n;
  }

  /**
   * The decisions this log holds in its outbox: logged, but not carried out on the stores or not
   * handed to the action executor when the engine that wrote them stopped (see {@link
   * EngineLog#pending()}). Reads only: the outbox is not repaired or changed. Their ids are the
   * host's raw ids, which the outbox keeps until the decisions are carried out.
   *
   * @return the pending decisions, oldest first; never null
   * @throws DecisionLogException when the log or its outbox cannot be read
   * @since 0.2
   */
  public List<EngineLog.Pending> pending() {
    long next = 0;
    Iterator<LogEntry> it = entries(ProgressListener.NONE);
    while (it.hasNext()) {
      next = it.next().seq() + 1;
    }
    try {
      return new FileOutbox(dir, next, false, false).pending();
    } catch (java.io.IOException | RuntimeException e) {
      throw new DecisionLogException("cannot read the outbox of " + dir + ": " + e.getMessage(), e);
    }
  }

  /**
   * An iterator over the decision records, reading one segment at a time. See {@link #forEach}.
   *
   * @param progress progress callback; not null
   * @return the iterator; not thread-safe; its {@code next} throws {@link DecisionLogException} on
   *     a damaged record
   */
  public Iterator<LoggedRecord> iterator(ProgressListener progress) {
    Iterator<LogEntry> all = entries(progress);
    return new Iterator<>() {
      private LoggedRecord next;

      @Override
      public boolean hasNext() {
        while (next == null && all.hasNext()) {
          LogEntry e = all.next();
          if (e instanceof LoggedRecord) {
            next = (LoggedRecord) e;
          }
        }
        return next != null;
      }

      @Override
      public LoggedRecord next() {
        if (!hasNext()) {
          throw new NoSuchElementException();
        }
        LoggedRecord r = next;
        next = null;
        return r;
      }
    };
  }

  /**
   * An iterator over every record, decisions and events. See {@link #forEachEntry}.
   *
   * @param progress progress callback; not null
   * @return the iterator; not thread-safe
   * @since 0.2
   */
  public Iterator<LogEntry> entries(ProgressListener progress) {
    Objects.requireNonNull(progress, "progress");
    Prunes.Prune pruned = Prunes.last(dir);
    return pruned == null ? new RecordIterator(segmentPaths(), totalBytes(), progress, 0, Frames.GENESIS)
        : new RecordIterator(Prunes.kept(segmentPaths(), pruned.to() + 1), totalBytes(), progress, pruned.to() + 1,
            pruned.lastHash());
  }

  private static final class RecordIterator implements Iterator<LogEntry> {
    private final List<Path> segs;
    private final long total;
    private final ProgressListener progress;
    private final MessageDigest md = Frames.sha256();
    private int si = -1;
    private byte[] buf;
    private String name;
    private int pos;
    private long line;
    private long expected;
    private String prev;
    private long done;
    private LogEntry next;

    RecordIterator(List<Path> segs, long total, ProgressListener progress, long first, String prev) {
      this.segs = segs;
      this.total = total;
      this.progress = progress;
      this.expected = first;
      this.prev = prev;
    }

    @Override
    public boolean hasNext() {
      if (next == null) {
        next = advance();
      }
      return next != null;
    }

    @Override
    public LogEntry next() {
      if (!hasNext()) {
        throw new NoSuchElementException();
      }
      LogEntry r = next;
      next = null;
      return r;
    }

    private DecisionLogException damaged(String what) {
      return new DecisionLogException("decision log damaged at " + name + " line " + line + " (seq " + expected
          + "): " + what + "; run 'haetae verify' for details", null);
    }

    private LogEntry advance() {
      while (buf == null || pos >= buf.length) {
        if (buf != null) {
          done += buf.length;
          progress.progress(done, total);
        }
        si++;
        if (si >= segs.size()) {
          return null;
        }
        buf = readAll(segs.get(si));
        name = segs.get(si).getFileName().toString();
        pos = 0;
        line = 0;
      }
      line++;
      int nl = LogRecovery.indexOf(buf, (byte) '\n', pos);
      if (nl < 0) {
        if (si == segs.size() - 1) {
          pos = buf.length; // torn tail: not an acknowledged record
          return advance();
        }
        throw damaged("segment ends inside a record");
      }
      Frames.Parsed p;
      try {
        p = Frames.parse(buf, pos, nl - pos, true, md);
      } catch (Frames.BadFrame e) {
        throw damaged(e.getMessage());
      }
      if (p.seq != expected) {
        throw damaged("found seq " + p.seq);
      }
      if (!p.prev.equals(prev)) {
        throw damaged("hash chain broken");
      }
      LogEntry r;
      try {
        r = RecordCodec.decode(p.seq, name, line, p.hash, p.body);
      } catch (RuntimeException e) {
        throw damaged("cannot decode: " + e.getMessage());
      }
      prev = p.hash;
      expected++;
      pos = nl + 1;
      if ((expected & 255) == 0) {
        progress.progress(done + pos, total);
      }
      return r;
    }
  }

  @Override
  public String toString() {
    return "AuditLog[" + dir + "]";
  }
}
