package dev.haetae.moderation.api;

import java.util.Optional;

/**
 * A user's (or an organisation's) report of content, an account or a room. Immutable and
 * thread-safe.
 *
 * <p>Duplicate reports of one target by one reporter count once. The report's time is the
 * engine's clock at evaluation.
 *
 * @param reporter who reports; not null
 * @param target what is reported; not null
 * @param category what harm the reporter alleges; not null
 * @param text the reporter's free text, if any; not null; bounded by {@link Limits#maxTextChars()}
 *     at evaluation; maskable in the log
 * @since 0.1
 */
public record UserReport(ReporterId reporter, Target target, Category category, Optional<String> text)
    implements ModerationRequest {

  /**
   * Validates.
   *
   * @param reporter the reporter component, as described on the record
   * @param target the target component, as described on the record
   * @param category the category component, as described on the record
   * @param text the text component, as described on the record
   * @throws InvalidRequestException naming the first null component
   */
  public UserReport {
    InvalidRequestException.requireNonNull("report.reporter", reporter);
    InvalidRequestException.requireNonNull("report.target", target);
    InvalidRequestException.requireNonNull("report.category", category);
    InvalidRequestException.requireNonNull("report.text", text);
  }

  /**
   * A report without text.
   *
   * @param reporter who reports; not null
   * @param target what is reported; not null
   * @param category the alleged harm; not null
   * @return the report
   */
  public static UserReport of(ReporterId reporter, Target target, Category category) {
    return new UserReport(reporter, target, category, Optional.empty());
  }

  @Override
  public Kind requestKind() {
    return Kind.REPORT;
  }

  @Override
  public Optional<ContentId> contentId() {
    return target instanceof Target.OfContent ? Optional.of(((Target.OfContent) target).content())
        : Optional.empty();
  }
}
