package dev.haetae.moderation.api;

import java.util.Optional;

/**
 * A step of a reporter's misuse case (DSA Art. 23) that a person takes: a moderator confirms or
 * rejects the model's proposal to suspend a reporter, the reporter appeals a suspension, a moderator
 * upholds or dismisses that appeal. Sent through {@code evaluate} like every other request, so each
 * step is logged before the reporter's record changes, and replay reproduces the record from the
 * log alone. Immutable and thread-safe.
 *
 * <p>The engine accepts a step only when the reporter's case is in the state the step answers and
 * {@code decision} names the decision that opened that state (see {@link Step}); otherwise it throws
 * {@link InvalidRequestException} on {@code sanction.decision} (or {@code sanction.reporter} for a
 * trusted flagger, whose status is the coordinator's to suspend) and logs nothing. Sending the same
 * step again after it was accepted is refused the same way, since the case has moved on.
 *
 * @param step what the person does; not null
 * @param reporter the reporter whose case this is; not null; logged as a keyed pseudonym
 * @param decision the decision this step answers: the proposal for {@link Step#CONFIRM} and {@link
 *     Step#REJECT}, the confirmation that suspended for {@link Step#APPEAL}, {@link Step#UPHOLD} and
 *     {@link Step#DISMISS}; not null
 * @param reviewer the host's id of the moderator: required for every step but {@link Step#APPEAL},
 *     which the reporter makes and which names none; not blank, and never the reporter's own id (no
 *     one decides on their own case); logged as a keyed pseudonym; not null
 * @param note the person's explanation, if any; not null; maskable in the log
 * @since 0.3
 */
public record ReporterSanction(Step step, ReporterId reporter, DecisionId decision, Optional<String> reviewer,
    Optional<String> note) implements ModerationRequest {

  /**
   * What a person does in a reporter's misuse case.
   *
   * @since 0.3
   */
  public enum Step {
    /** A moderator confirms the proposal to suspend: the suspension starts. */
    CONFIRM,
    /** A moderator rejects the proposal to suspend: the case closes, nothing is suspended. */
    REJECT,
    /** The reporter appeals the suspension (DSA Art. 20): a moderator is to decide. */
    APPEAL,
    /**
     * A moderator upholds the appeal: the suspension is lifted, the last warning withdrawn, the
     * counted unfounded reports forgotten.
     */
    UPHOLD,
    /** A moderator dismisses the appeal: the suspension runs on. */
    DISMISS;

    /**
     * The wire name: the constant's name in lower case, e.g. {@code confirm}.
     *
     * @return the wire name; never null
     */
    public String wireName() {
      return WireName.of(this);
    }

    /**
     * Parses a wire name.
     *
     * @param wire the wire name; not null
     * @return the step; never null
     * @throws InvalidRequestException when {@code wire} names no step
     */
    public static Step fromWire(String wire) {
      return WireName.parse(Step.class, "sanction.step", wire);
    }
  }

  /**
   * Validates.
   *
   * @param step the step component, as described on the record
   * @param reporter the reporter component, as described on the record
   * @param decision the decision component, as described on the record
   * @param reviewer the reviewer component, as described on the record
   * @param note the note component, as described on the record
   * @throws InvalidRequestException naming the first null component, a blank reviewer, a reviewer
   *     missing on a moderator's step or present on an appeal, or a reviewer who is the reporter
   */
  public ReporterSanction {
    InvalidRequestException.requireNonNull("sanction.step", step);
    InvalidRequestException.requireNonNull("sanction.reporter", reporter);
    InvalidRequestException.requireNonNull("sanction.decision", decision);
    InvalidRequestException.requireNonNull("sanction.reviewer", reviewer);
    InvalidRequestException.requireNonNull("sanction.note", note);
    if (step == Step.APPEAL) {
      if (reviewer.isPresent()) {
        throw new InvalidRequestException("sanction.reviewer", "must be empty on an appeal: the reporter appeals");
      }
    } else if (reviewer.isEmpty() || reviewer.get().isBlank()) {
      throw new InvalidRequestException("sanction.reviewer", "must name the moderator who takes the step "
          + step.wireName());
    } else if (reviewer.get().equals(reporter.value())) {
      throw new InvalidRequestException("sanction.reviewer", "is the reporter concerned: a person never decides"
          + " on their own misuse case");
    }
  }

  /**
   * A moderator's step.
   *
   * @param step {@link Step#CONFIRM}, {@link Step#REJECT}, {@link Step#UPHOLD} or {@link Step#DISMISS};
   *     not null
   * @param reporter the reporter; not null
   * @param decision the decision answered; not null
   * @param reviewer the moderator's id; not null, not blank, not the reporter's
   * @return the request; never null
   * @throws InvalidRequestException as the canonical constructor does (also for {@link Step#APPEAL})
   */
  public static ReporterSanction by(String reviewer, Step step, ReporterId reporter, DecisionId decision) {
    InvalidRequestException.requireNonNull("sanction.reviewer", reviewer);
    return new ReporterSanction(step, reporter, decision, Optional.of(reviewer), Optional.empty());
  }

  /**
   * The reporter's appeal against a suspension.
   *
   * @param reporter the reporter; not null
   * @param suspension the confirmation decision that suspended them; not null
   * @param reason the reporter's explanation, if any; not null
   * @return the request; never null
   * @throws InvalidRequestException naming the first null argument
   */
  public static ReporterSanction appeal(ReporterId reporter, DecisionId suspension, Optional<String> reason) {
    return new ReporterSanction(Step.APPEAL, reporter, suspension, Optional.empty(), reason);
  }

  @Override
  public Kind requestKind() {
    return Kind.SANCTION;
  }

  @Override
  public Optional<ContentId> contentId() {
    return Optional.empty();
  }
}
