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
 * @param firstParty whether the reporter says the report is about themselves ("this is me"): a
 *     victim reporting their own intimate image or a sexual deepfake of them is heard in the victim
 *     lane whatever their account's age; false for a report about someone else or when the host
 *     does not ask
 * @since 0.1
 */
public record UserReport(ReporterId reporter, Target target, Category category, Optional<String> text,
    boolean firstParty) implements ModerationRequest {

  /**
   * Validates.
   *
   * @param reporter the reporter component, as described on the record
   * @param target the target component, as described on the record
   * @param category the category component, as described on the record
   * @param text the text component, as described on the record
   * @param firstParty the firstParty component, as described on the record
   * @throws InvalidRequestException naming the first null component
   */
  public UserReport {
    InvalidRequestException.requireNonNull("report.reporter", reporter);
    InvalidRequestException.requireNonNull("report.target", target);
    InvalidRequestException.requireNonNull("report.category", category);
    InvalidRequestException.requireNonNull("report.text", text);
  }

  /**
   * A report about someone else (not first-party).
   *
   * @param reporter who reports; not null
   * @param target what is reported; not null
   * @param category the alleged harm; not null
   * @param text the reporter's free text, if any; not null
   * @throws InvalidRequestException naming the first null argument
   */
  public UserReport(ReporterId reporter, Target target, Category category, Optional<String> text) {
    this(reporter, target, category, text, false);
  }

  /**
   * A report without text, about someone else (not first-party).
   *
   * @param reporter who reports; not null
   * @param target what is reported; not null
   * @param category the alleged harm; not null
   * @return the report
   */
  public static UserReport of(ReporterId reporter, Target target, Category category) {
    return new UserReport(reporter, target, category, Optional.empty(), false);
  }

  /**
   * A first-party report without text: the reporter says the content is about themselves ("this is
   * me").
   *
   * @param reporter who reports, the person the content shows; not null
   * @param target what is reported; not null
   * @param category the alleged harm; not null
   * @return the report
   * @since 0.2
   */
  public static UserReport firstParty(ReporterId reporter, Target target, Category category) {
    return new UserReport(reporter, target, category, Optional.empty(), true);
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
