package dev.haetae.moderation.core.audit;

import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * What a candidate policy set would have changed over a past log ({@link Backtest#run}).
 * Immutable and thread-safe.
 *
 * @param records records read
 * @param changed records whose actions would have differed
 * @param restrictiveBefore records whose recorded decision was restrictive
 * @param restrictiveAfter records whose candidate decision would have been restrictive
 * @param newlyRestricted allowed or reviewed before, restricted by the candidate
 * @param noLongerRestricted restricted before, not restricted by the candidate
 * @param transitions how often each change of action set occurred ({@code "remove+notify_user ->
 *     review"}), most frequent first; not null
 * @param byCategory changed records by the category of their first reason (recorded or candidate),
 *     {@code "none"} when neither gives one; not null
 * @param notComparable records left out because their inputs were masked in the log (records of the
 *     first format whose policies read free text): a candidate would see other inputs than the
 *     decision did, so a change would not be one
 * @param examples the first changed records; not null
 * @since 0.1
 */
public record BacktestReport(long records, long changed, long restrictiveBefore, long restrictiveAfter,
    long newlyRestricted, long noLongerRestricted, Map<String, Long> transitions, Map<String, Long> byCategory,
    List<Example> examples, long notComparable) {

  /**
   * Validates and copies.
   *
   * @param records the records component, as described on the record

   * @param changed the changed component, as described on the record

   * @param restrictiveBefore the restrictiveBefore component, as described on the record

   * @param restrictiveAfter the restrictiveAfter component, as described on the record

   * @param newlyRestricted the newlyRestricted component, as described on the record

   * @param noLongerRestricted the noLongerRestricted component, as described on the record

   * @param transitions the transitions component, as described on the record

   * @param byCategory the byCategory component, as described on the record

   * @param examples the examples component, as described on the record
   * @param notComparable the notComparable component, as described on the record

   * @throws NullPointerException when a reference component is null
   */
  public BacktestReport {
    transitions = java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(transitions));
    byCategory = java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(byCategory));
    examples = List.copyOf(examples);
  }

  /**
   * One changed record.
   *
   * @param seq the sequence number
   * @param segment the segment file; not null
   * @param before the recorded action set, e.g. {@code remove+block_reupload}; not null
   * @param after the candidate's action set; not null
   * @since 0.1
   */
  public record Example(long seq, String segment, String before, String after) {
    /**
     * Validates.
     *
     * @param seq the seq component, as described on the record
     * @param segment the segment component, as described on the record
     * @param before the before component, as described on the record
     * @param after the after component, as described on the record
     * @throws NullPointerException when a reference component is null
     */
    public Example {
      Objects.requireNonNull(segment, "segment");
      Objects.requireNonNull(before, "before");
      Objects.requireNonNull(after, "after");
    }
  }
}
