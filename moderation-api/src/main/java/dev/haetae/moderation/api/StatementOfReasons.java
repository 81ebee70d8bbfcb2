package dev.haetae.moderation.api;

import java.util.Objects;

/**
 * What the affected user is told about a restrictive decision (DSA Art. 17 and its equivalents):
 * what was done, on which ground, on which facts, whether it was automated, and how to seek
 * redress. Immutable and thread-safe.
 *
 * @param ground the legal or contractual ground; not null
 * @param facts the facts and circumstances relied on, without personal data; not null
 * @param automatedDetection whether the content was detected by automated means
 * @param automatedDecision whether the decision was taken by automated means
 * @param redress how to appeal, e.g. the internal complaint window; not null
 * @since 0.1
 */
public record StatementOfReasons(LegalGround ground, String facts, boolean automatedDetection,
    boolean automatedDecision, String redress) {

  /**
   * Validates.
   *
   * @param ground the ground component, as described on the record
   * @param facts the facts component, as described on the record
   * @param automatedDetection the automatedDetection component, as described on the record
   * @param automatedDecision the automatedDecision component, as described on the record
   * @param redress the redress component, as described on the record
   * @throws NullPointerException when a reference component is null
   */
  public StatementOfReasons {
    Objects.requireNonNull(ground, "ground");
    Objects.requireNonNull(facts, "facts");
    Objects.requireNonNull(redress, "redress");
  }
}
