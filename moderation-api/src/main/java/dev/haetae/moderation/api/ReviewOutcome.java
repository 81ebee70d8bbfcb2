package dev.haetae.moderation.api;

import java.util.Optional;

/**
 * A human moderator's verdict on a target. It feeds back into reporter credibility (reports
 * confirmed or rejected), bank entry precision (matches confirmed or not) and strikes.
 * Immutable and thread-safe.
 *
 * @param target what was reviewed; not null
 * @param verdict the verdict; not null
 * @param category the harm found, for a violating verdict; not null
 * @param note the moderator's note, if any; not null; maskable in the log
 * @param reviewer the host's id of the moderator who gave the verdict, if the host names one; not
 *     null; logged as a keyed pseudonym. With it, the engine refuses the second review of an item
 *     that asked for a second, independent reviewer when it comes from the first reviewer; without
 *     it, independence is the host's to ensure
 * @since 0.1 (reviewer since 0.3)
 */
public record ReviewOutcome(Target target, Verdict verdict, Optional<Category> category, Optional<String> note,
    Optional<String> reviewer) implements ModerationRequest {

  /**
   * Validates.
   *
   * @param target the target component, as described on the record
   * @param verdict the verdict component, as described on the record
   * @param category the category component, as described on the record
   * @param note the note component, as described on the record
   * @param reviewer the reviewer component, as described on the record
   * @throws InvalidRequestException naming the first null component, or a blank reviewer
   */
  public ReviewOutcome {
    InvalidRequestException.requireNonNull("review.target", target);
    InvalidRequestException.requireNonNull("review.verdict", verdict);
    InvalidRequestException.requireNonNull("review.category", category);
    InvalidRequestException.requireNonNull("review.note", note);
    InvalidRequestException.requireNonNull("review.reviewer", reviewer);
    if (reviewer.isPresent() && reviewer.get().isBlank()) {
      throw new InvalidRequestException("review.reviewer", "must not be blank");
    }
  }

  /**
   * A verdict whose moderator the host does not name.
   *
   * @param target the target component, as described on the record
   * @param verdict the verdict component, as described on the record
   * @param category the category component, as described on the record
   * @param note the note component, as described on the record
   * @throws InvalidRequestException naming the first null component
   */
  public ReviewOutcome(Target target, Verdict verdict, Optional<Category> category, Optional<String> note) {
    this(target, verdict, category, note, Optional.empty());
  }

  /**
   * This verdict, given by the named moderator.
   *
   * @param reviewerId the host's id of the moderator; not null, not blank
   * @return a copy naming the reviewer; never null
   * @throws InvalidRequestException when {@code reviewerId} is null or blank
   * @since 0.3
   */
  public ReviewOutcome by(String reviewerId) {
    InvalidRequestException.requireNonNull("review.reviewer", reviewerId);
    return new ReviewOutcome(target, verdict, category, note, Optional.of(reviewerId));
  }

  /**
   * A verdict on content.
   *
   * @param content the content; not null
   * @param verdict the verdict; not null
   * @param category the harm found, or null when none
   * @return the outcome
   */
  public static ReviewOutcome ofContent(ContentId content, Verdict verdict, Category category) {
    return new ReviewOutcome(Target.content(content), verdict, Optional.ofNullable(category), Optional.empty());
  }

  @Override
  public Kind requestKind() {
    return Kind.REVIEW;
  }

  @Override
  public Optional<ContentId> contentId() {
    return target instanceof Target.OfContent ? Optional.of(((Target.OfContent) target).content())
        : Optional.empty();
  }
}
