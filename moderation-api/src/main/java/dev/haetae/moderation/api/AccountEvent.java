package dev.haetae.moderation.api;

import java.time.Instant;
import java.util.List;
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
 * @param rooms rooms the account joined, with when (the reputation model uses them to see
 *     reporters who joined a room together); not null; copied; at most the reputation model's
 *     configured number are kept per account, the most recent
 * @since 0.1
 */
public record AccountEvent(AccountId account, Instant createdAt, boolean trustedFlagger, Optional<String> organisation,
    List<RoomJoin> rooms)
    implements ModerationRequest {

  /**
   * One room an account joined.
   *
   * @param room the room; not null
   * @param joinedAt when the account joined it; not null
   * @since 0.1
   */
  public record RoomJoin(RoomId room, Instant joinedAt) {
    /**
     * Validates.
     *
     * @param room the room component, as described on the record
     * @param joinedAt the joinedAt component, as described on the record
     * @throws InvalidRequestException naming the first null component
     */
    public RoomJoin {
      InvalidRequestException.requireNonNull("account.rooms.room", room);
      InvalidRequestException.requireNonNull("account.rooms.joinedAt", joinedAt);
    }
  }

  /**
   * An account event without room memberships (the form of version 0.1).
   *
   * @param account the account; not null
   * @param createdAt when the account was created; not null
   * @param trustedFlagger whether the account is a registered trusted flagger
   * @param organisation the flagger organisation's name; not null
   * @throws InvalidRequestException naming the first null argument
   */
  public AccountEvent(AccountId account, Instant createdAt, boolean trustedFlagger, Optional<String> organisation) {
    this(account, createdAt, trustedFlagger, organisation, List.of());
  }

  /**
   * Validates.
   *
   * @param account the account component, as described on the record
   * @param createdAt the createdAt component, as described on the record
   * @param trustedFlagger the trustedFlagger component, as described on the record
   * @param organisation the organisation component, as described on the record
   * @param rooms the rooms component, as described on the record
   * @throws InvalidRequestException naming the first null component or element
   */
  public AccountEvent {
    InvalidRequestException.requireNonNull("account.account", account);
    InvalidRequestException.requireNonNull("account.createdAt", createdAt);
    InvalidRequestException.requireNonNull("account.organisation", organisation);
    InvalidRequestException.requireNonNull("account.rooms", rooms);
    for (RoomJoin j : rooms) {
      InvalidRequestException.requireNonNull("account.rooms[]", j);
    }
    rooms = List.copyOf(rooms);
  }

  @Override
  public Kind requestKind() {
    return Kind.ACCOUNT;
  }

  @Override
  public Optional<ContentId> contentId() {
    return Optional.empty();
  }
}
