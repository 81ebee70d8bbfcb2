package dev.haetae.moderation.api;

import java.time.Instant;
import java.util.Optional;

/**
 * A user's appeal (internal complaint) against an earlier decision, e.g. under DSA Art. 20 or
 * Korea's Network Act. An appeal inside the governing instrument's window opens a review; outside
 * it is rejected with the reason. Immutable and thread-safe.
 *
 * @param appealId the host's id of this appeal (duplicates are idempotent); not null, not blank
 * @param decision the decision appealed against; not null
 * @param content the content that decision was about; not null
 * @param appellant who appeals; not null
 * @param informedAt when the appellant was informed of the decision (the window runs from here);
 *     not null
 * @param reason the appellant's explanation, if any; not null; maskable in the log
 * @since 0.1
 */
public record Appeal(
    String appealId,
    DecisionId decision,
    ContentId content,
    AccountId appellant,
    Instant informedAt,
    Optional<String> reason)
    implements ModerationRequest {

  /**
   * Validates.
   *
   * @param appealId the appealId component, as described on the record
   * @param decision the decision component, as described on the record
   * @param content the content component, as described on the record
   * @param appellant the appellant component, as described on the record
   * @param informedAt the informedAt component, as described on the record
   * @param reason the reason component, as described on the record
   * @throws InvalidRequestException naming the first null or blank component
   */
  public Appeal {
    Ids.check("appeal.appealId", appealId);
    InvalidRequestException.requireNonNull("appeal.decision", decision);
    InvalidRequestException.requireNonNull("appeal.content", content);
    InvalidRequestException.requireNonNull("appeal.appellant", appellant);
    InvalidRequestException.requireNonNull("appeal.informedAt", informedAt);
    InvalidRequestException.requireNonNull("appeal.reason", reason);
  }

  @Override
  public Kind requestKind() {
    return Kind.APPEAL;
  }

  @Override
  public Optional<ContentId> contentId() {
    return Optional.of(content);
  }
}
