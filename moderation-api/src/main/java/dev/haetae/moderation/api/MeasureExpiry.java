package dev.haetae.moderation.api;

import java.util.Optional;

/**
 * The expiry of a temporary measure ({@link Action.TemporaryMeasure}) is due: the engine's tick
 * evaluates one of these for each open measure whose expiry has come, so that the lift is a logged
 * decision of its own ({@link Action.EndMeasure} with {@link Action.EndMeasure.Ending#LIFTED}),
 * handed to the action executor and reproduced by replay from the logged evidence alone. A host may
 * send one too: the measure is lifted only when the engine still holds it open and its expiry is not
 * after the decision's instant; otherwise the decision lifts nothing and says why. Immutable and
 * thread-safe.
 *
 * @param content the content under the measure; not null
 * @param measure the decision that took the measure; not null
 * @since 0.4
 */
public record MeasureExpiry(ContentId content, DecisionId measure) implements ModerationRequest {
  /**
   * Validates.
   *
   * @param content the content component, as described on the record
   * @param measure the measure component, as described on the record
   * @throws InvalidRequestException naming the first null component ({@code expiry.content},
   *     {@code expiry.measure})
   */
  public MeasureExpiry {
    InvalidRequestException.requireNonNull("expiry.content", content);
    InvalidRequestException.requireNonNull("expiry.measure", measure);
  }

  @Override
  public Kind requestKind() {
    return Kind.EXPIRY;
  }

  @Override
  public Optional<ContentId> contentId() {
    return Optional.of(content);
  }
}
