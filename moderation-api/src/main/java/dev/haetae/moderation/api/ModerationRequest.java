package dev.haetae.moderation.api;

import java.util.Optional;

/**
 * Everything a host hands to {@code ModerationEngine.evaluate}: content events, user reports, legal
 * notices, review outcomes, appeals and account facts all enter through the same door, so that
 * every one of them is decided, logged and replayable in the same way.
 *
 * <p>All implementations are immutable records, validated at construction: a malformed request
 * never reaches the engine.
 *
 * @since 0.1
 */
public sealed interface ModerationRequest
    permits ContentEvent, UserReport, LegalNotice, ReviewOutcome, Appeal, AccountEvent {

  /**
   * The request type's wire name: {@code content}, {@code report}, {@code notice}, {@code review},
   * {@code appeal} or {@code account}.
   *
   * @return the type name; never null
   */
  String type();

  /**
   * The content this request is about, if it is about one piece of content.
   *
   * @return the content id, or empty for requests about accounts or rooms
   */
  Optional<ContentId> contentId();
}
