package dev.haetae.moderation.core.audit;

import dev.haetae.moderation.api.Decision;
import dev.haetae.moderation.api.Evidence;
import dev.haetae.moderation.api.ObligationEvent;
import dev.haetae.moderation.core.effect.Effect;
import java.util.List;
import java.util.Objects;

/**
 * One decision record read back from a decision log. Its ids (content, accounts, rooms, reporters,
 * notices, appeals) are the pseudonyms stored in the log, never the host's raw ids, and masked free
 * text reads as a placeholder {@code [masked N chars #hash]}. Immutable and thread-safe.
 *
 * @param seq the record's sequence number, from 0
 * @param segment the segment file's name; not null
 * @param line the line number in the segment, from 1
 * @param hash the record's SHA-256 (hex), the chain link; not null
 * @param evidence the recorded evidence; not null
 * @param decision the recorded decision; not null
 * @param format the record format's version: 1 for records written before effects were logged, 2
 *     since
 * @param effects the state changes the decision implied, in the order applied (empty in format 1);
 *     not null
 * @param obligationEvents the obligation events those changes gave (empty in format 1); not null
 * @param masked the free-text inputs that were masked when written and that the policies of format
 *     1 read directly (so such a record cannot be replayed); empty in format 2, where policies read
 *     what the engine derived from the text; not null
 * @since 0.1
 */
public record LoggedRecord(long seq, String segment, long line, String hash, Evidence evidence, Decision decision,
    int format, List<Effect> effects, List<ObligationEvent> obligationEvents, List<String> masked)
    implements LogEntry {
  /**
   * Validates and copies.
   *
   * @param seq the seq component, as described on the record
   * @param segment the segment component, as described on the record
   * @param line the line component, as described on the record
   * @param hash the hash component, as described on the record
   * @param evidence the evidence component, as described on the record
   * @param decision the decision component, as described on the record
   * @param format the format component, as described on the record
   * @param effects the effects component, as described on the record
   * @param obligationEvents the obligationEvents component, as described on the record
   * @param masked the masked component, as described on the record
   * @throws NullPointerException when a reference component is null
   */
  public LoggedRecord {
    Objects.requireNonNull(segment, "segment");
    Objects.requireNonNull(hash, "hash");
    Objects.requireNonNull(evidence, "evidence");
    Objects.requireNonNull(decision, "decision");
    effects = List.copyOf(effects);
    obligationEvents = List.copyOf(obligationEvents);
    masked = List.copyOf(masked);
  }

  /**
   * A record of the current format with no effects.
   *
   * @param seq the record's sequence number, from 0
   * @param segment the segment file's name; not null
   * @param line the line number in the segment, from 1
   * @param hash the record's SHA-256 (hex); not null
   * @param evidence the recorded evidence; not null
   * @param decision the recorded decision; not null
   * @throws NullPointerException when a reference argument is null
   */
  public LoggedRecord(long seq, String segment, long line, String hash, Evidence evidence, Decision decision) {
    this(seq, segment, line, hash, evidence, decision, RecordCodec.FORMAT, List.of(), List.of(), List.of());
  }

  @Override
  public String location() {
    return segment + " line " + line + " (seq " + seq + ")";
  }
}
