package dev.haetae.moderation.api;

import java.time.Instant;
import java.util.Optional;

/**
 * Facts about an account that reputation needs: when it was created, whether it belongs to a
 * registered trusted flagger. Hosts send it when an account is created or changes.
 * Immutable and thread-safe.
 *
 * @param account the account; not null
 * @param createdAt when the account was created; not null
 * @param trustedFlagger whether the account is a registered trusted flagger (DSA Art. 22, or a
 *     designated national body such as a victim support centre)
 * @param organisation the flagger organisation's name, for trusted flaggers; not null
 * @since 0.1
 */
public record AccountEvent(AccountId account, Instant createdAt, boolean trustedFlagger, Optional<String> organisation)
    implements ModerationRequest {

  /**
   * Validates.
   *
   * @param account the account component, as described on the record
   * @param createdAt the createdAt component, as described on the record
   * @param trustedFlagger the trustedFlagger component, as described on the record
   * @param organisation the organisation component, as described on the record
   * @throws InvalidRequestException naming the first null component
   */
  public AccountEvent {
    InvalidRequestException.requireNonNull("account.account", account);
    InvalidRequestException.requireNonNull("account.createdAt", createdAt);
    InvalidRequestException.requireNonNull("account.organisation", organisation);
  }

  @Override
  public String type() {
    return "account";
  }

  @Override
  public Optional<ContentId> contentId() {
    return Optional.empty();
  }
}
