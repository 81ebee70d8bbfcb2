package dev.haetae.moderation.core.audit;

import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * The outcome of {@link AuditLog#verify}: whether the log is intact, and if not, the first bad
 * record or checkpoint, by segment, line and sequence number. Immutable and thread-safe.
 *
 * @param records the number of records whose hash and chain link verified
 * @param segments the number of segment files
 * @param checkpoints the number of checkpoints whose signature and hash verified
 * @param firstProblem the first problem found, or empty when the log verifies; not null
 * @param recoveries torn tails truncated when the log was reopened after a crash (expected after a
 *     crash; each names what was dropped); not null
 * @param notes remarks that are not failures (e.g. which keys the signatures were checked
 *     against, records after the last checkpoint); not null
 * @param uncheckpointed how many records come after the last checkpoint that verified (with
 *     trusted keys: the last trusted one), so that no signature covers them; 0 or more
 * @param trusted whether checkpoint signatures were checked against keys the auditor gave
 *     (authorship), rather than against the log's own {@code keys.jsonl} (consistency only)
 * @since 0.1
 */
public record VerificationReport(long records, int segments, int checkpoints, Optional<Problem> firstProblem,
    List<Recovery> recoveries, List<String> notes, long uncheckpointed, boolean trusted) {

  /**
   * Validates and copies.
   *
   * @param records the records component, as described on the record

   * @param segments the segments component, as described on the record

   * @param checkpoints the checkpoints component, as described on the record

   * @param firstProblem the firstProblem component, as described on the record

   * @param recoveries the recoveries component, as described on the record

   * @param notes the notes component, as described on the record
   * @param uncheckpointed the uncheckpointed component, as described on the record
   * @param trusted the trusted component, as described on the record
   * @throws NullPointerException when a reference component is null
   */
  public VerificationReport {
    Objects.requireNonNull(firstProblem, "firstProblem");
    recoveries = List.copyOf(recoveries);
    notes = List.copyOf(notes);
  }

  /**
   * One line saying what was verified, for the outputs made from the log: the record count, whose
   * keys the signatures were checked against, how many records no signature covers; or the first
   * problem.
   *
   * @return the line; never null
   * @since 0.2
   */
  public String summary() {
    if (firstProblem.isPresent()) {
      return "the log does not verify: " + firstProblem.get();
    }
    return records + " records verified (hash chain; " + checkpoints + " checkpoint signature(s) checked against "
        + (trusted ? "trusted keys" : "the log's own keys, which proves consistency, not authorship")
        + (uncheckpointed > 0 ? "; " + uncheckpointed + " record(s) at the end not yet covered by a signature" : "")
        + ")";
  }

  /**
   * Whether the log verified.
   *
   * @return true when no problem was found
   */
  public boolean ok() {
    return firstProblem.isEmpty();
  }

  /**
   * What kind of damage was found.
   *
   * @since 0.1
   */
  public enum Kind {
    /** A line is not a well-formed record or its own hash does not match its bytes (a changed byte). */
    CORRUPT_RECORD,
    /** A record's {@code prev} is not the previous record's hash (an inserted or replaced record). */
    CHAIN_BROKEN,
    /** A sequence number is missing (a deleted record or segment). */
    MISSING_RECORD,
    /** A sequence number appears again or out of order (a duplicated, reordered or inserted record). */
    OUT_OF_ORDER,
    /** A segment that is not the last one ends in the middle of a record (a truncated segment). */
    TRUNCATED_SEGMENT,
    /**
     * The last segment ends in the middle of a record: a crash while writing, or a truncation.
     * Reopening the log for writing truncates it and records a recovery.
     */
    TORN_TAIL,
    /** A checkpoint's signature does not verify, or is malformed. */
    BAD_CHECKPOINT_SIGNATURE,
    /** A checkpoint is signed with a key that is not trusted or not known. */
    UNKNOWN_CHECKPOINT_KEY,
    /**
     * With trusted keys: more records than the writer's bound, or records older than its
     * checkpoint interval, are covered by no trusted signature (checkpoints removed, or a rewritten
     * tail whose checkpoints could not be forged).
     *
     * @since 0.2
     */
    UNSIGNED_TAIL,
    /**
     * The checkpoint anchor's latest checkpoint does not verify, or is signed by an unknown key.
     *
     * @since 0.2
     */
    BAD_ANCHOR,
    /**
     * The record of the anchor's latest checkpoint has another hash: the log was rewritten.
     *
     * @since 0.2
     */
    ANCHOR_MISMATCH,
    /**
     * The log ends before the anchor's latest checkpoint: records were removed from its end, or an
     * older copy of the log was put back.
     *
     * @since 0.2
     */
    ANCHOR_BEYOND_END,
    /**
     * A prune record (which says what a retention duty removed from the log's head) is malformed,
     * not signed by a key checked against, altered, or does not continue the log's head.
     *
     * @since 0.2
     */
    BAD_PRUNE_RECORD,
    /** A checkpoint's hash differs from the record it names. */
    CHECKPOINT_MISMATCH,
    /** A checkpoint names a record that is not in the log (records deleted at the end). */
    CHECKPOINT_BEYOND_END
  }

  /**
   * One problem, located.
   *
   * @param kind what kind; not null
   * @param segment the segment file (or {@code checkpoints.jsonl}); not null
   * @param line the line number in that file, from 1, or 0 when not applicable
   * @param seq the sequence number of the first record affected
   * @param message a description an operator can act on; not null
   * @since 0.1
   */
  public record Problem(Kind kind, String segment, long line, long seq, String message) {
    /**
     * Validates.
     *
     * @param kind the kind component, as described on the record
     * @param segment the segment component, as described on the record
     * @param line the line component, as described on the record
     * @param seq the seq component, as described on the record
     * @param message the message component, as described on the record
     * @throws NullPointerException when a reference component is null
     */
    public Problem {
      Objects.requireNonNull(kind, "kind");
      Objects.requireNonNull(segment, "segment");
      Objects.requireNonNull(message, "message");
    }

    @Override
    public String toString() {
      return kind + " at " + segment + (line > 0 ? " line " + line : "") + " (seq " + seq + "): " + message;
    }
  }

  /**
   * A torn tail that the writer truncated when it reopened the log.
   *
   * @param segment the segment file; not null
   * @param offset the byte offset where the file was cut
   * @param droppedBytes how many bytes were dropped
   * @param nextSeq the sequence number the writer continued with
   * @param reason why the tail was unreadable; not null
   * @since 0.1
   */
  public record Recovery(String segment, long offset, long droppedBytes, long nextSeq, String reason) {
    /**
     * Validates.
     *
     * @param segment the segment component, as described on the record
     * @param offset the offset component, as described on the record
     * @param droppedBytes the droppedBytes component, as described on the record
     * @param nextSeq the nextSeq component, as described on the record
     * @param reason the reason component, as described on the record
     * @throws NullPointerException when a reference component is null
     */
    public Recovery {
      Objects.requireNonNull(segment, "segment");
      Objects.requireNonNull(reason, "reason");
    }
  }
}
