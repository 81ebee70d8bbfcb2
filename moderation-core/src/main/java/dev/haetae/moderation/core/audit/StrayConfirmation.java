package dev.haetae.moderation.core.audit;

import dev.haetae.moderation.api.ActionConfirmation;
import java.util.Objects;

/**
 * A logged {@link ActionConfirmation} that confirms nothing the log decided: it names a decision the
 * log does not hold before it (or one that planned no action but {@code allow}), or an action that
 * decision did not plan. The engine logs every confirmation it accepts (nothing accepted is lost);
 * reports and explanations list the stray ones and never count them towards an obligation. A
 * confirmation that reached another shard's log, or one whose decision was pruned from the log's
 * head, reads as stray in this log. Immutable and thread-safe.
 *
 * @param seq the sequence number of the confirmation's own record
 * @param confirmation the confirmation as logged; not null
 * @param problem why it confirms nothing; not null
 * @since 0.3
 */
public record StrayConfirmation(long seq, ActionConfirmation confirmation, Problem problem) {

  /**
   * Why a confirmation confirms nothing.
   *
   * @since 0.3
   */
  public enum Problem {
    /**
     * The log holds no earlier decision with that id that planned an action (other than
     * {@code allow}).
     */
    UNKNOWN_DECISION,
    /** The decision is in the log, but the confirmed action was not among its actions. */
    ACTION_NOT_PLANNED;

    /**
     * The wire name: the constant's name in lower case, e.g. {@code unknown_decision}.
     *
     * @return the wire name; never null
     */
    public String wireName() {
      return name().toLowerCase(java.util.Locale.ROOT);
    }
  }

  /**
   * Validates.
   *
   * @param seq the seq component, as described on the record
   * @param confirmation the confirmation component, as described on the record
   * @param problem the problem component, as described on the record
   * @throws NullPointerException when {@code confirmation} or {@code problem} is null
   */
  public StrayConfirmation {
    Objects.requireNonNull(confirmation, "confirmation");
    Objects.requireNonNull(problem, "problem");
  }

  /**
   * One line of text, e.g. {@code seq 12: remove carried_out at 2026-...Z for decision d-9: the log
   * holds no such decision}.
   *
   * @return the line; never null
   */
  public String describe() {
    return "seq " + seq + ": " + Confirmations.describe(confirmation) + " for decision "
        + confirmation.decision().value() + ": " + (problem == Problem.UNKNOWN_DECISION
            ? "the log holds no earlier decision with that id that planned an action"
            : "that decision did not plan " + confirmation.action().wireName());
  }
}
