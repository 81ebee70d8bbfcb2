package dev.haetae.moderation.video;

import dev.haetae.moderation.api.InvalidRequestException;

/**
 * The vPDQ comparison rule: frames with quality below {@code qualityFloor} are dropped and
 * duplicates removed on both sides; a query frame matches a banked frame within {@code distance}
 * bits; the query matches a banked video when at least {@code queryMatchPercent} of its frames
 * matched some frame of that video and at least {@code comparisonMatchPercent} of that video's
 * frames matched some query frame.
 *
 * <p>Defaults ({@link #defaults()}): distance 31 and quality floor 50, as upstream; query 80 %,
 * comparison 0 %. Upstream's README example is the reverse (comparison 80 %, query 0 %): that
 * finds uploads containing most of a banked video. A platform mostly meets the other case, a
 * clip cut from a banked video and re-shared: all its frames are in the banked video, but they are
 * a small share of it. With the query side deciding, such a clip matches; a longer upload that
 * merely contains a banked clip among other material is then found only when that material is
 * under 20 % of it. {@link #bothWays()} requires 80 % on both sides.
 *
 * @param distance the largest Hamming distance of matching frames, 0..255 (31 upstream)
 * @param qualityFloor frames below this quality are ignored, 0..100 (50 upstream)
 * @param queryMatchPercent the share of query frames that must match, 0..100
 * @param comparisonMatchPercent the share of the banked video's frames that must match, 0..100
 * @since 0.1
 */
public record VpdqMatchRule(int distance, int qualityFloor, double queryMatchPercent,
    double comparisonMatchPercent) {

  /**
   * Validates.
   *
   * @param distance the largest Hamming distance of matching frames, 0..255
   * @param qualityFloor frames below this quality are ignored, 0..100
   * @param queryMatchPercent the share of query frames that must match, 0..100
   * @param comparisonMatchPercent the share of the banked video's frames that must match, 0..100
   * @throws InvalidRequestException when a value is out of range
   */
  public VpdqMatchRule {
    if (distance < 0 || distance > 255) {
      throw new InvalidRequestException("distance", "must be within 0..255, got " + distance);
    }
    if (qualityFloor < 0 || qualityFloor > 100) {
      throw new InvalidRequestException("qualityFloor", "must be within 0..100, got " + qualityFloor);
    }
    percent("queryMatchPercent", queryMatchPercent);
    percent("comparisonMatchPercent", comparisonMatchPercent);
  }

  /**
   * Distance 31, quality floor 50, query 80 %, comparison 0 %: the query side decides.
   *
   * @return the default rule; never null
   */
  public static VpdqMatchRule defaults() {
    return new VpdqMatchRule(31, 50, 80, 0);
  }

  /**
   * Distance 31, quality floor 50, 80 % on both sides: the two videos are essentially the same.
   *
   * @return the rule; never null
   */
  public static VpdqMatchRule bothWays() {
    return new VpdqMatchRule(31, 50, 80, 80);
  }

  /**
   * Whether two percentages satisfy this rule.
   *
   * @param queryPercent the share of query frames matched
   * @param comparisonPercent the share of the banked video's frames matched
   * @return true when both reach their thresholds
   */
  public boolean accepts(double queryPercent, double comparisonPercent) {
    return queryPercent >= queryMatchPercent && comparisonPercent >= comparisonMatchPercent;
  }

  private static void percent(String name, double v) {
    if (!(v >= 0 && v <= 100)) {
      throw new InvalidRequestException(name, "must be within 0..100, got " + v);
    }
  }
}
