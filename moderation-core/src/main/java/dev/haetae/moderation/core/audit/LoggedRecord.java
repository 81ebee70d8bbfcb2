package dev.haetae.moderation.core.audit;

import dev.haetae.moderation.api.Decision;
import dev.haetae.moderation.api.Evidence;
import java.util.Objects;

/**
 * One record read back from a decision log. Its ids (content, accounts, rooms, reporters, notices,
 * appeals) are the pseudonyms stored in the log, never the host's raw ids, and masked free text
 * reads as a placeholder {@code [masked N chars #hash]}. Immutable and thread-safe.
 *
 * @param seq the record's sequence number, from 0
 * @param segment the segment file's name; not null
 * @param line the line number in the segment, from 1
 * @param hash the record's SHA-256 (hex), the chain link; not null
 * @param evidence the recorded evidence; not null
 * @param decision the recorded decision; not null
 * @since 0.1
 */
public record LoggedRecord(long seq, String segment, long line, String hash, Evidence evidence, Decision decision) {
  /**
   * Validates.
   *
   * @param seq the seq component, as described on the record
   * @param segment the segment component, as described on the record
   * @param line the line component, as described on the record
   * @param hash the hash component, as described on the record
   * @param evidence the evidence component, as described on the record
   * @param decision the decision component, as described on the record
   * @throws NullPointerException when a reference component is null
   */
  public LoggedRecord {
    Objects.requireNonNull(segment, "segment");
    Objects.requireNonNull(hash, "hash");
    Objects.requireNonNull(evidence, "evidence");
    Objects.requireNonNull(decision, "decision");
  }

  /**
   * Where the record is, for messages: {@code segment-…jsonl line 12 (seq 11)}.
   *
   * @return the location; never null
   */
  public String location() {
    return segment + " line " + line + " (seq " + seq + ")";
  }
}
