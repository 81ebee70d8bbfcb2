package dev.haetae.moderation.core.engine;

import dev.haetae.moderation.api.Decision;
import dev.haetae.moderation.api.InvalidRequestException;
import dev.haetae.moderation.api.UserReport;

/**
 * A waiting report the engine looked at again ({@link ModerationEngine#recheckWaitingReports}), with
 * the logged decision of that re-check. Immutable.
 *
 * @param report the waiting report, as it was received; never null
 * @param decision the re-check's decision, logged and handed to the action executor; never null
 * @since 0.4
 */
public record RecheckedReport(UserReport report, Decision decision) {
  /**
   * Validates.
   *
   * @param report the report component, as described on the record
   * @param decision the decision component, as described on the record
   * @throws InvalidRequestException when a component is null
   */
  public RecheckedReport {
    InvalidRequestException.requireNonNull("report", report);
    InvalidRequestException.requireNonNull("decision", decision);
  }
}
