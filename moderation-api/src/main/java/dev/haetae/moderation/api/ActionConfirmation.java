package dev.haetae.moderation.api;

import java.time.Instant;
import java.util.Optional;

/**
 * The host's report that it carried out, or failed to carry out, one action of an earlier
 * decision: the engine decides, the host acts (e.g. deletes the file from its storage), and only the
 * host knows whether and when that happened. Sent through {@code evaluate} like every other request,
 * so it is logged; compliance reports count an obligation as met only when the action that fulfilled
 * it was confirmed carried out by its deadline, and show unconfirmed actions separately. Immutable
 * and thread-safe.
 *
 * <p>The engine does not check that {@code decision} exists (a confirmation may reach a shard other
 * than the one that decided); reports list confirmations of decisions they do not find.
 *
 * @param decision the decision whose action this confirms; not null
 * @param action which of its actions, e.g. {@link Action.Kind#REMOVE}; not null
 * @param outcome carried out or failed; not null
 * @param at when the host carried the action out (or gave up); not null
 * @param detail the host's detail, e.g. an error or the storage system's receipt; not null; free
 *     text, scrubbed of the ids the request names and maskable in the log like other free text
 * @param recipient for a {@link Action.Kind#NOTIFY_USER notify_user}, whose notice this confirms
 *     (e.g. the reporters', when the uploader's failed); empty confirms every notice of the decision
 *     (as confirmations without a recipient, from before 0.3's recipient, always did); not null;
 *     present only for {@code notify_user}
 * @since 0.3
 */
public record ActionConfirmation(DecisionId decision, Action.Kind action, Outcome outcome, Instant at,
    Optional<String> detail, Optional<Action.Recipient> recipient) implements ModerationRequest {

  /**
   * Whether the host carried the action out.
   *
   * @since 0.3
   */
  public enum Outcome {
    /** The action took effect, e.g. the content is no longer reachable. */
    CARRIED_OUT,
    /** The host tried and failed; the detail says why. */
    FAILED;

    /**
     * The wire name: the constant's name in lower case, e.g. {@code carried_out}.
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
     * @return the outcome; never null
     * @throws InvalidRequestException when {@code wire} names no outcome
     */
    public static Outcome fromWire(String wire) {
      return WireName.parse(Outcome.class, "confirmation.outcome", wire);
    }
  }

  /**
   * Validates.
   *
   * @param decision the decision component, as described on the record
   * @param action the action component, as described on the record
   * @param outcome the outcome component, as described on the record
   * @param at the at component, as described on the record
   * @param detail the detail component, as described on the record
   * @param recipient the recipient component, as described on the record
   * @throws InvalidRequestException naming the first null component, or {@code confirmation.recipient}
   *     when a recipient is given for an action other than {@code notify_user}
   */
  public ActionConfirmation {
    InvalidRequestException.requireNonNull("confirmation.decision", decision);
    InvalidRequestException.requireNonNull("confirmation.action", action);
    InvalidRequestException.requireNonNull("confirmation.outcome", outcome);
    InvalidRequestException.requireNonNull("confirmation.at", at);
    InvalidRequestException.requireNonNull("confirmation.detail", detail);
    InvalidRequestException.requireNonNull("confirmation.recipient", recipient);
    if (recipient.isPresent() && action != Action.Kind.NOTIFY_USER) {
      throw new InvalidRequestException("confirmation.recipient", "is only for notify_user, not for "
          + action.wireName());
    }
  }

  /**
   * A confirmation without a recipient: for {@code notify_user}, it confirms every notice of the
   * decision.
   *
   * @param decision the decision; not null
   * @param action the action; not null
   * @param outcome carried out or failed; not null
   * @param at when; not null
   * @param detail the host's detail; not null
   * @throws InvalidRequestException naming the first null argument
   */
  public ActionConfirmation(DecisionId decision, Action.Kind action, Outcome outcome, Instant at,
      Optional<String> detail) {
    this(decision, action, outcome, at, detail, Optional.empty());
  }

  /**
   * A confirmation that the notice to one recipient was delivered, without detail.
   *
   * @param decision the decision whose {@code notify_user} it confirms; not null
   * @param recipient whose notice; not null
   * @param at when it was delivered; not null
   * @return the confirmation; never null
   * @throws InvalidRequestException naming the first null argument
   * @since 0.3
   */
  public static ActionConfirmation notified(DecisionId decision, Action.Recipient recipient, Instant at) {
    InvalidRequestException.requireNonNull("confirmation.recipient", recipient);
    return new ActionConfirmation(decision, Action.Kind.NOTIFY_USER, Outcome.CARRIED_OUT, at, Optional.empty(),
        Optional.of(recipient));
  }

  /**
   * A confirmation that an action was carried out, without detail.
   *
   * @param decision the decision; not null
   * @param action the action carried out; not null
   * @param at when; not null
   * @return the confirmation; never null
   * @throws InvalidRequestException naming the first null argument
   */
  public static ActionConfirmation carriedOut(DecisionId decision, Action.Kind action, Instant at) {
    return new ActionConfirmation(decision, action, Outcome.CARRIED_OUT, at, Optional.empty());
  }

  @Override
  public Kind requestKind() {
    return Kind.CONFIRMATION;
  }

  @Override
  public Optional<ContentId> contentId() {
    return Optional.empty();
  }
}
