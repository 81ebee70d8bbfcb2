package dev.haetae.moderation.core.audit;

import dev.haetae.moderation.api.Decision;
import dev.haetae.moderation.api.DecisionLogException;
import dev.haetae.moderation.api.Evidence;
import dev.haetae.moderation.api.spi.Pseudonymizer;
import java.io.IOException;
import java.security.MessageDigest;
import dev.haetae.moderation.api.ObligationEvent;
import dev.haetae.moderation.core.effect.Effect;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;

/**
 * The decision log's record format, for adapters that keep the records somewhere other than a
 * directory (a database, for instance) and must stay readable by {@link AuditLog}, {@link Replayer}
 * and the {@code haetae} audit commands.
 *
 * <p>It exposes the same code the directory log uses, so a record framed here is byte for byte the
 * line {@link DecisionLogs#directory} would have written for the same sequence number and previous
 * hash:
 *
 * <ol>
 *   <li>{@link #payload(Evidence, Decision)} encodes the evidence, the decision and the versions as
 *       canonical JSON, with people, rooms, content, notices and appeals replaced by keyed
 *       pseudonyms and free text masked unless kept (see {@link DecisionLogs.Builder#keepText});
 *   <li>{@link #frame(long, String, byte[])} gives the payload its place in the chain: the line
 *       {@code {"seq":N,"prev":"<hash of record N-1>",<payload>,"h":"<hash>"}}, where {@code h} is the
 *       SHA-256 of the line's bytes up to {@code ,"h":} followed by {@code }};
 *   <li>{@link #check(byte[])} checks a stored line's own hash and returns its position in the
 *       chain; {@link #decode(Frame, String, long)} reads its evidence and decision back.
 * </ol>
 *
 * <p>Chaining is the caller's: record 0's {@code prev} is {@link #GENESIS}, record N's is record
 * N-1's {@link Frame#hash()}, and the sequence numbers of one log are 0, 1, 2, ... without gaps.
 * Written to files named {@link #segmentName(long)} (one record a line, each followed by a newline),
 * such lines form a directory that {@link AuditLog#open} reads and verifies.
 *
 * <p>Immutable and thread-safe.
 *
 * @since 0.1
 */
public final class RecordFormat {
  /** The {@code prev} hash of record 0: 64 zeros. */
  public static final String GENESIS = Frames.GENESIS;

  private final RecordCodec codec;

  private RecordFormat(RecordCodec codec) {
    this.codec = codec;
  }

  /**
   * A format that pseudonymizes with {@code pseudonymizer} and masks every free-text field except
   * those in {@code keepText}.
   *
   * @param pseudonymizer maps every id to a keyed pseudonym; not null. Every writer of one log must
   *     use the same key, or the same account gets different pseudonyms in different records
   * @param keepText free-text fields to keep instead of masking, as in {@link
   *     DecisionLogs.Builder#keepText}; not null, usually empty
   * @return the format; never null
   * @throws NullPointerException when an argument is null
   * @throws IllegalArgumentException when {@code keepText} names an unknown field
   */
  public static RecordFormat of(Pseudonymizer pseudonymizer, Set<String> keepText) {
    Objects.requireNonNull(pseudonymizer, "pseudonymizer");
    for (String f : Objects.requireNonNull(keepText, "keepText")) {
      if (!RecordCodec.TEXT_FIELDS.contains(f)) {
        throw new IllegalArgumentException("unknown free-text field '" + f + "'; allowed: "
            + new TreeSet<>(RecordCodec.TEXT_FIELDS));
      }
    }
    return new RecordFormat(new RecordCodec(pseudonymizer, keepText));
  }

  /**
   * The free-text fields {@code keepText} may name.
   *
   * @return {@code content.text}, {@code report.text}, ...; never null, unmodifiable
   */
  public static Set<String> textFields() {
    return RecordCodec.TEXT_FIELDS;
  }

  /**
   * Encodes one record's payload: the JSON members {@code "evidence":…,"decision":…,"versions":…}
   * without the enclosing braces, pseudonymized and masked.
   *
   * @param evidence the evidence; not null
   * @param decision the decision; not null
   * @return UTF-8 bytes; never null; a new array the caller owns
   * @throws NullPointerException when an argument is null
   * @throws DecisionLogException when the record cannot be encoded (for example an action type the
   *     format does not know)
   */
  public byte[] payload(Evidence evidence, Decision decision) {
    Objects.requireNonNull(evidence, "evidence");
    Objects.requireNonNull(decision, "decision");
    try {
      return JsonBytes.members(codec.encode(evidence, decision));
    } catch (IOException | RuntimeException e) {
      throw new DecisionLogException("cannot serialise decision " + decision.id() + ": " + e, e);
    }
  }

  /**
   * Encodes a decision record's payload with the decision's effects and obligation events (the
   * current record format), pseudonymized and masked.
   *
   * @param evidence the evidence; not null
   * @param decision the decision; not null
   * @param effects the state changes it implies; not null
   * @param events the obligation events they give; not null
   * @return UTF-8 bytes; never null; a new array the caller owns
   * @throws NullPointerException when an argument is null
   * @throws DecisionLogException when the record cannot be encoded
   * @since 0.2
   */
  public byte[] payload(Evidence evidence, Decision decision, List<Effect> effects, List<ObligationEvent> events) {
    Objects.requireNonNull(evidence, "evidence");
    Objects.requireNonNull(decision, "decision");
    Objects.requireNonNull(effects, "effects");
    Objects.requireNonNull(events, "events");
    try {
      return JsonBytes.members(codec.encode(evidence, decision, effects, events));
    } catch (IOException | RuntimeException e) {
      throw new DecisionLogException("cannot serialise decision " + decision.id() + ": " + e, e);
    }
  }

  /**
   * Encodes an event record's payload, pseudonymized.
   *
   * @param event the event; not null
   * @return UTF-8 bytes; never null; a new array the caller owns
   * @throws NullPointerException when {@code event} is null
   * @throws DecisionLogException when the record cannot be encoded
   * @since 0.2
   */
  public byte[] payload(LogEvent event) {
    Objects.requireNonNull(event, "event");
    try {
      return JsonBytes.members(codec.encode(event));
    } catch (IOException | RuntimeException e) {
      throw new DecisionLogException("cannot serialise " + event.kind().wireName() + " event: " + e, e);
    }
  }

  /**
   * Encodes a decision's outbox entry: the decision, its evidence and its effects with the host's
   * raw ids and text, as an {@link EngineLog} keeps it until the decision is carried out. Never
   * write it into the log itself.
   *
   * @param evidence the evidence; not null
   * @param decision the decision; not null
   * @param effects the state changes it implies; not null
   * @param events the obligation events they give; not null
   * @return a JSON object, UTF-8; never null
   * @throws DecisionLogException when it cannot be encoded
   * @since 0.2
   */
  public static byte[] outboxEntry(Evidence evidence, Decision decision, List<Effect> effects,
      List<ObligationEvent> events) {
    return FileOutbox.encode(evidence, decision, effects, events);
  }

  /**
   * Reads back an outbox entry written by {@link #outboxEntry}.
   *
   * @param seq the decision record's sequence number
   * @param entry the entry's bytes; not null
   * @return the pending decision; never null
   * @throws DecisionLogException when the entry does not have the documented shape
   * @since 0.2
   */
  public static EngineLog.Pending readOutboxEntry(long seq, byte[] entry) {
    try {
      LogEntry e = RecordCodec.decode(seq, "outbox", 0, GENESIS, Frames.JSON.readTree(entry));
      if (!(e instanceof LoggedRecord)) {
        throw new DecisionLogException("outbox entry " + seq + " is not a decision", null);
      }
      LoggedRecord r = (LoggedRecord) e;
      return new EngineLog.Pending(seq, r.evidence(), r.decision(), r.effects(), r.obligationEvents());
    } catch (IOException | RuntimeException e) {
      if (e instanceof DecisionLogException) {
        throw (DecisionLogException) e;
      }
      throw new DecisionLogException("cannot read outbox entry " + seq + ": " + e.getMessage(), e);
    }
  }

  /**
   * Frames a payload as record {@code seq} of a chain whose previous record hashed to {@code prev}.
   *
   * @param seq the record's sequence number, 0 or more
   * @param prev the previous record's hash ({@link #GENESIS} for record 0): 64 lower-case hex digits
   * @param payload what {@link #payload} returned; not null; not modified
   * @return the framed record; never null
   * @throws IllegalArgumentException when {@code seq} is negative or {@code prev} is not 64
   *     lower-case hex digits
   */
  public static Frame frame(long seq, String prev, byte[] payload) {
    if (seq < 0) {
      throw new IllegalArgumentException("seq must be >= 0, got " + seq);
    }
    requireHash(prev);
    Objects.requireNonNull(payload, "payload");
    Frames.Framed f = Frames.frame(seq, prev, payload, Frames.sha256());
    return new Frame(seq, prev, f.hash, Arrays.copyOf(f.line, f.line.length - 1));
  }

  /**
   * Checks a stored line's own hash and reads its header. The chain (that {@code prev} is the
   * previous record's hash, that sequence numbers follow each other) is the caller's to check.
   *
   * @param line one record line without its newline; not null; not modified
   * @return the line's sequence number, previous hash and hash; never null
   * @throws NullPointerException when {@code line} is null
   * @throws DecisionLogException when the line is not a record or its hash does not match its bytes
   *     (the message says which)
   */
  public static Frame check(byte[] line) {
    Objects.requireNonNull(line, "line");
    try {
      Frames.Parsed p = Frames.parse(line, 0, line.length, false, Frames.sha256());
      return new Frame(p.seq, p.prev, p.hash, line.clone());
    } catch (Frames.BadFrame e) {
      throw new DecisionLogException(e.getMessage(), null);
    }
  }

  /**
   * Reads a checked decision record. Its ids are the stored pseudonyms and masked text reads as a
   * placeholder, as for records read by {@link AuditLog}.
   *
   * @param frame a frame from {@link #check(byte[])} or {@link #frame}; not null
   * @param segment where the record is kept, for {@link LoggedRecord#segment()} and messages (a file
   *     name, or for instance {@code shard:eu-1}); not null
   * @param line the record's line number in {@code segment}, from 1
   * @return the record; never null
   * @throws DecisionLogException when the JSON does not have the documented shape, or the record is
   *     an event record (use {@link #decodeEntry})
   */
  public static LoggedRecord decode(Frame frame, String segment, long line) {
    LogEntry e = decodeEntry(frame, segment, line);
    if (!(e instanceof LoggedRecord)) {
      throw new DecisionLogException(segment + " line " + line + " (seq " + frame.seq + ") is an event record, not"
          + " a decision", null);
    }
    return (LoggedRecord) e;
  }

  /**
   * Reads a checked record, a decision or an event.
   *
   * @param frame a frame from {@link #check(byte[])} or {@link #frame}; not null
   * @param segment where the record is kept; not null
   * @param line the record's line number in {@code segment}, from 1
   * @return the record; never null
   * @throws DecisionLogException when the JSON does not have the documented shape
   * @since 0.2
   */
  public static LogEntry decodeEntry(Frame frame, String segment, long line) {
    Objects.requireNonNull(frame, "frame");
    Objects.requireNonNull(segment, "segment");
    byte[] l = frame.line;
    try {
      Frames.Parsed p = Frames.parse(l, 0, l.length, true, Frames.sha256());
      return RecordCodec.decode(p.seq, segment, line, p.hash, p.body);
    } catch (Frames.BadFrame | RuntimeException e) {
      throw new DecisionLogException("cannot decode " + segment + " line " + line + " (seq " + frame.seq + "): "
          + e.getMessage(), e instanceof RuntimeException ? e : null);
    }
  }

  /**
   * The name of a segment file that starts at {@code firstSeq}: {@code segment-<20 digits>.jsonl}.
   *
   * @param firstSeq the first record's sequence number, 0 or more
   * @return the file name; never null
   */
  public static String segmentName(long firstSeq) {
    return Frames.segmentName(firstSeq);
  }

  private static void requireHash(String h) {
    Objects.requireNonNull(h, "prev");
    if (h.length() != 64) {
      throw new IllegalArgumentException("a record hash is 64 hex digits, got " + h.length() + " characters");
    }
    for (int i = 0; i < 64; i++) {
      char c = h.charAt(i);
      if (!(c >= '0' && c <= '9' || c >= 'a' && c <= 'f')) {
        throw new IllegalArgumentException("a record hash is lower-case hex, got '" + c + "' at " + i);
      }
    }
  }

  /**
   * One framed record: its position in the chain and its line. Immutable.
   *
   * @since 0.1
   */
  public static final class Frame {
    private final long seq;
    private final String prev;
    private final String hash;
    private final byte[] line;

    private Frame(long seq, String prev, String hash, byte[] line) {
      this.seq = seq;
      this.prev = prev;
      this.hash = hash;
      this.line = line;
    }

    /**
     * The record's sequence number.
     *
     * @return 0 or more
     */
    public long seq() {
      return seq;
    }

    /**
     * The previous record's hash, as written in the line.
     *
     * @return 64 hex digits; never null
     */
    public String prev() {
      return prev;
    }

    /**
     * The record's hash: the next record's {@code prev}.
     *
     * @return 64 hex digits; never null
     */
    public String hash() {
      return hash;
    }

    /**
     * The line, UTF-8 JSON without a trailing newline.
     *
     * @return a copy; never null
     */
    public byte[] line() {
      return line.clone();
    }

    /**
     * The line's length in bytes.
     *
     * @return the length
     */
    public int length() {
      return line.length;
    }

    @Override
    public String toString() {
      return "Frame[seq " + seq + ", " + Frames.abbrev(hash) + ", " + line.length + " bytes]";
    }
  }

  @Override
  public String toString() {
    return "RecordFormat";
  }
}
