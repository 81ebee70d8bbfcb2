package dev.haetae.moderation.api;

/**
 * What a report or a review is about: one piece of content, one account, or one room.
 * Immutable and thread-safe.
 *
 * @since 0.1
 */
public sealed interface Target permits Target.OfContent, Target.OfAccount, Target.OfRoom {

  /**
   * The target's id as text, for logs and keys.
   *
   * @return the raw id; never null
   */
  String id();

  /**
   * The target's kind: {@code content}, {@code account} or {@code room}.
   *
   * @return the kind; never null
   */
  String kind();

  /**
   * A content target.
   *
   * @param id the content id; not null
   * @return the target
   */
  static Target content(ContentId id) {
    return new OfContent(id);
  }

  /**
   * An account target.
   *
   * @param id the account id; not null
   * @return the target
   */
  static Target account(AccountId id) {
    return new OfAccount(id);
  }

  /**
   * A room target.
   *
   * @param id the room id; not null
   * @return the target
   */
  static Target room(RoomId id) {
    return new OfRoom(id);
  }

  /**
   * A piece of content.
   *
   * @param content the content id; not null
   */
  record OfContent(ContentId content) implements Target {
    /**
     * Validates.
     *
     * @param content the content component, as described on the record
     * @throws InvalidRequestException when {@code content} is null
     */
    public OfContent {
      InvalidRequestException.requireNonNull("target.content", content);
    }

    @Override
    public String id() {
      return content.value();
    }

    @Override
    public String kind() {
      return "content";
    }
  }

  /**
   * An account.
   *
   * @param account the account id; not null
   */
  record OfAccount(AccountId account) implements Target {
    /**
     * Validates.
     *
     * @param account the account component, as described on the record
     * @throws InvalidRequestException when {@code account} is null
     */
    public OfAccount {
      InvalidRequestException.requireNonNull("target.account", account);
    }

    @Override
    public String id() {
      return account.value();
    }

    @Override
    public String kind() {
      return "account";
    }
  }

  /**
   * A room.
   *
   * @param room the room id; not null
   */
  record OfRoom(RoomId room) implements Target {
    /**
     * Validates.
     *
     * @param room the room component, as described on the record
     * @throws InvalidRequestException when {@code room} is null
     */
    public OfRoom {
      InvalidRequestException.requireNonNull("target.room", room);
    }

    @Override
    public String id() {
      return room.value();
    }

    @Override
    public String kind() {
      return "room";
    }
  }
}
