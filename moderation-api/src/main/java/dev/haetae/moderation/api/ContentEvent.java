package dev.haetae.moderation.api;

import java.util.Optional;

/**
 * Content entering or moving through the platform: an upload, a forward, or a profile-photo change.
 * Immutable and thread-safe.
 *
 * <p>Either the content's {@link Content#fingerprints() fingerprints} are supplied by the host, or
 * its {@code bytes} are, and the engine computes them. The bytes are hashed and dropped; they are
 * never logged.
 *
 * @param action what happened; not null
 * @param content the content descriptor; not null
 * @param account the account that posted it; not null
 * @param room the room it was posted to, if any; not null
 * @param forwardedFrom for a forward, the content it copies, if known; not null
 * @param protect for a profile photo: whether the owner opts it into profile-photo protection
 *     (near-duplicates posted by others are flagged)
 * @param bytes the raw bytes, when the engine should fingerprint them; not null
 * @since 0.1
 */
public record ContentEvent(
    Action action,
    Content content,
    AccountId account,
    Optional<RoomId> room,
    Optional<ContentId> forwardedFrom,
    boolean protect,
    Optional<ContentBytes> bytes)
    implements ModerationRequest {

  /**
   * What happened to the content.
   *
   * @since 0.1
   */
  public enum Action {
    /** A new upload. */
    UPLOAD,
    /** A forward or re-share of existing content. */
    FORWARD,
    /** A user set a new profile photo. */
    PROFILE_PHOTO_CHANGE
  }

  /**
   * Validates.
   *
   * @param action the action component, as described on the record
   * @param content the content component, as described on the record
   * @param account the account component, as described on the record
   * @param room the room component, as described on the record
   * @param forwardedFrom the forwardedFrom component, as described on the record
   * @param protect the protect component, as described on the record
   * @param bytes the bytes component, as described on the record
   * @throws InvalidRequestException naming the first null component
   */
  public ContentEvent {
    InvalidRequestException.requireNonNull("content_event.action", action);
    InvalidRequestException.requireNonNull("content_event.content", content);
    InvalidRequestException.requireNonNull("content_event.account", account);
    InvalidRequestException.requireNonNull("content_event.room", room);
    InvalidRequestException.requireNonNull("content_event.forwardedFrom", forwardedFrom);
    InvalidRequestException.requireNonNull("content_event.bytes", bytes);
  }

  /**
   * An upload whose bytes the engine fingerprints.
   *
   * @param contentId the content id; not null
   * @param account the uploader; not null
   * @param room the room; not null
   * @param surface where it was posted; not null
   * @param kind the content kind; not null
   * @param bytes the file's bytes; not null; copied
   * @return the event
   */
  public static ContentEvent upload(ContentId contentId, AccountId account, RoomId room, Surface surface,
      ContentKind kind, byte[] bytes) {
    return new ContentEvent(Action.UPLOAD, Content.of(contentId, kind, surface), account, Optional.of(room),
        Optional.empty(), false, Optional.of(ContentBytes.copyOf(bytes)));
  }

  /**
   * An upload whose fingerprints the host already computed (no bytes).
   *
   * @param content the descriptor, with fingerprints; not null
   * @param account the uploader; not null
   * @param room the room; not null
   * @return the event
   */
  public static ContentEvent upload(Content content, AccountId account, RoomId room) {
    return new ContentEvent(Action.UPLOAD, content, account, Optional.of(room), Optional.empty(), false,
        Optional.empty());
  }

  /**
   * A forward of existing content into a room.
   *
   * @param content the descriptor of the forwarded copy; not null
   * @param account the account forwarding it; not null
   * @param room the destination room; not null
   * @param original the content being forwarded; not null
   * @return the event
   */
  public static ContentEvent forward(Content content, AccountId account, RoomId room, ContentId original) {
    return new ContentEvent(Action.FORWARD, content, account, Optional.of(room), Optional.of(original), false,
        Optional.empty());
  }

  /**
   * A copy of this event with the given fingerprints on its content (the bytes are kept).
   *
   * @param fingerprints the fingerprints; not null
   * @return a new event
   */
  public ContentEvent withFingerprints(Fingerprints fingerprints) {
    return new ContentEvent(action, content.withFingerprints(fingerprints), account, room, forwardedFrom, protect,
        bytes);
  }

  /**
   * A copy of this event without its bytes (as it is logged).
   *
   * @return a new event, or this one when it has no bytes
   */
  public ContentEvent withoutBytes() {
    return bytes.isEmpty() ? this
        : new ContentEvent(action, content, account, room, forwardedFrom, protect, Optional.empty());
  }

  @Override
  public Kind requestKind() {
    return Kind.CONTENT;
  }

  @Override
  public Optional<ContentId> contentId() {
    return Optional.of(content.id());
  }
}
