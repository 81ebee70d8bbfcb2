package dev.haetae.moderation.video;

import dev.haetae.moderation.api.InvalidRequestException;
import java.util.List;

/**
 * The comparison of a query video with one banked video: both percentages of the vPDQ rule, whether
 * they satisfy it, and which parts of each video matched, so that a reviewer sees which part of a
 * clip was found where.
 *
 * @param videoId the banked video's id; not null
 * @param queryPercent the share of the query's (deduplicated, quality-filtered) frames within the
 *     distance of a frame of the banked video, 0..100
 * @param comparisonPercent the share of the banked video's frames within the distance of a query
 *     frame, 0..100
 * @param matches whether the rule accepted the two percentages
 * @param queryRanges runs of matched query frames; not null, copied
 * @param bankedRanges runs of matched banked frames; not null, copied
 * @since 0.1
 */
public record VideoMatch(String videoId, double queryPercent, double comparisonPercent, boolean matches,
    List<TimeRange> queryRanges, List<TimeRange> bankedRanges) {
  /**
   * Validates and copies.
   *
   * @param videoId the banked video's id; not null
   * @param queryPercent the share of the query's frames matched, 0..100
   * @param comparisonPercent the share of the banked video's frames matched, 0..100
   * @param matches whether the rule accepted the two percentages
   * @param queryRanges runs of matched query frames; not null, copied
   * @param bankedRanges runs of matched banked frames; not null, copied
   * @throws InvalidRequestException when a component is null
   */
  public VideoMatch {
    InvalidRequestException.requireNonNull("videoId", videoId);
    queryRanges = List.copyOf(InvalidRequestException.requireNonNull("queryRanges", queryRanges));
    bankedRanges = List.copyOf(InvalidRequestException.requireNonNull("bankedRanges", bankedRanges));
  }
}
