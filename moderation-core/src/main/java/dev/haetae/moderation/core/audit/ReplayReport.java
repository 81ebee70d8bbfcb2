package dev.haetae.moderation.core.audit;

import dev.haetae.moderation.api.Decision;
import dev.haetae.moderation.api.PolicyId;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * The outcome of {@link Replayer#replay}: how many records replayed identically, and every record
 * that diverged or could not be replayed (up to a cap). Immutable and thread-safe.
 *
 * @param records records read
 * @param identical records whose replayed decision equals the recorded one in every field
 * @param diverged records whose replayed decision differs
 * @param notReplayable records for which a recorded policy version is not available
 * @param findings the diverged and not replayable records, in log order, at most the replayer's
 *     cap; not null
 * @param findingsTruncated whether more findings existed than were kept
 * @since 0.1
 */
public record ReplayReport(long records, long identical, long diverged, long notReplayable, List<Finding> findings,
    boolean findingsTruncated) {

  /**
   * Validates and copies.
   *
   * @param records the records component, as described on the record

   * @param identical the identical component, as described on the record

   * @param diverged the diverged component, as described on the record

   * @param notReplayable the notReplayable component, as described on the record

   * @param findings the findings component, as described on the record

   * @param findingsTruncated the findingsTruncated component, as described on the record

   * @throws NullPointerException when {@code findings} is null
   */
  public ReplayReport {
    findings = List.copyOf(findings);
  }

  /**
   * Whether every record replayed identically.
   *
   * @return true when nothing diverged and everything was replayable
   */
  public boolean allIdentical() {
    return diverged == 0 && notReplayable == 0;
  }

  /**
   * The result of replaying one record.
   *
   * @since 0.1
   */
  public enum Status {
    /** The replayed decision equals the recorded one. */
    IDENTICAL,
    /** The replayed decision differs; both are shown. */
    DIVERGED,
    /** A recorded policy version is not available; nothing was guessed. */
    NOT_REPLAYABLE
  }

  /**
   * One record that did not replay identically.
   *
   * @param seq the record's sequence number
   * @param segment the segment file; not null
   * @param status {@link Status#DIVERGED} or {@link Status#NOT_REPLAYABLE}; not null
   * @param recorded the recorded decision; not null
   * @param replayed the replayed decision, for a divergence; not null
   * @param differences one line per differing field ({@code actions: recorded … / replayed …});
   *     not null
   * @param missing the recorded policy ids that are not available, when not replayable; not null
   * @since 0.1
   */
  public record Finding(long seq, String segment, Status status, Decision recorded, Optional<Decision> replayed,
      List<String> differences, List<PolicyId> missing) {
    /**
     * Validates and copies.
     *
     * @param seq the seq component, as described on the record
     * @param segment the segment component, as described on the record
     * @param status the status component, as described on the record
     * @param recorded the recorded component, as described on the record
     * @param replayed the replayed component, as described on the record
     * @param differences the differences component, as described on the record
     * @param missing the missing component, as described on the record
     * @throws NullPointerException when a reference component is null
     */
    public Finding {
      Objects.requireNonNull(segment, "segment");
      Objects.requireNonNull(status, "status");
      Objects.requireNonNull(recorded, "recorded");
      Objects.requireNonNull(replayed, "replayed");
      differences = List.copyOf(differences);
      missing = List.copyOf(missing);
    }
  }
}
