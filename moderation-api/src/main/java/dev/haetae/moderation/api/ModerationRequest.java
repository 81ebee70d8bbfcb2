package dev.haetae.moderation.api;

import java.util.Locale;
import java.util.Optional;

/**
 * Everything a host hands to {@code ModerationEngine.evaluate}: content events, user reports, legal
 * notices, review outcomes, appeals, account facts, the host's confirmations of actions, the steps of reporters' misuse
 * cases and the expiry of temporary measures all enter through the same door, so that
 * every one of them is decided, logged and replayable in the same way.
 *
 * <p>All implementations are immutable records, validated at construction: a malformed request
 * never reaches the engine.
 *
 * @since 0.1
 */
public sealed interface ModerationRequest
    permits ContentEvent, UserReport, LegalNotice, ReviewOutcome, Appeal, AccountEvent, ActionConfirmation,
    ReporterSanction, MeasureExpiry {

  /**
   * The type of a request, one constant per record type, for exhaustive dispatch.
   *
   * @since 0.2
   */
  enum Kind {
    /** {@link ContentEvent}. */
    CONTENT,
    /** {@link UserReport}. */
    REPORT,
    /** {@link LegalNotice}. */
    NOTICE,
    /** {@link ReviewOutcome}. */
    REVIEW,
    /** {@link Appeal}. */
    APPEAL,
    /** {@link AccountEvent}. */
    ACCOUNT,
    /**
     * {@link ActionConfirmation}.
     *
     * @since 0.3
     */
    CONFIRMATION,
    /**
     * {@link ReporterSanction}.
     *
     * @since 0.3
     */
    SANCTION,
    /**
     * {@link MeasureExpiry}.
     *
     * @since 0.4
     */
    EXPIRY;

    /**
     * The wire name, e.g. {@code content}.
     *
     * @return the lower-case name; never null
     */
    public String wireName() {
      return name().toLowerCase(Locale.ROOT);
    }
  }

  /**
   * The request's type.
   *
   * @return the kind; never null
   * @since 0.2
   */
  Kind requestKind();

  /**
   * The request type's wire name: {@code content}, {@code report}, {@code notice}, {@code review},
   * {@code appeal} or {@code account}.
   *
   * @return the type name; never null
   */
  default String type() {
    return requestKind().wireName();
  }

  /**
   * The content this request is about, if it is about one piece of content.
   *
   * @return the content id, or empty for requests about accounts or rooms
   */
  Optional<ContentId> contentId();
}
