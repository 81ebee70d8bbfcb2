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
 * @since 0.1
 */
public record ReviewOutcome(Target target, Verdict verdict, Optional<Category> category, Optional<String> note)
    implements ModerationRequest {

  /**
   * Validates.
   *
   * @param target the target component, as described on the record
   * @param verdict the verdict component, as described on the record
   * @param category the category component, as described on the record
   * @param note the note component, as described on the record
   * @throws InvalidRequestException naming the first null component
   */
  public ReviewOutcome {
    InvalidRequestException.requireNonNull("review.target", target);
    InvalidRequestException.requireNonNull("review.verdict", verdict);
    InvalidRequestException.requireNonNull("review.category", category);
    InvalidRequestException.requireNonNull("review.note", note);
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
