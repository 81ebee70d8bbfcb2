package dev.haetae.moderation.video;

import dev.haetae.moderation.api.Category;
import dev.haetae.moderation.api.ExternalHit;
import dev.haetae.moderation.api.InvalidRequestException;
import java.util.ArrayList;
import java.util.List;

/**
 * Delivers vPDQ matches through the engine's external-matcher interface: each {@link VideoMatch}
 * that satisfies the bank's rule becomes an {@link ExternalHit} of signal type {@value #SIGNAL_TYPE},
 * whose entry is the banked video's id and whose score is the share of the upload's frames that
 * matched (a similarity in percent, against the rule's query threshold). A host hashes and matches a
 * video off the hot path, puts the hits into a {@code PrecomputedMatches} matcher under the video's
 * content id, then asks the engine to evaluate the upload: the hits reach the policies as {@code
 * Signal.ExternalMatch} evidence and the decision log, so a replay needs no video decoder.
 *
 * <p>Stateless and thread-safe.
 *
 * @since 0.1
 */
public final class VideoHits {
  /** The signal type of vPDQ hits. */
  public static final String SIGNAL_TYPE = "vpdq";

  private VideoHits() {}

  /**
   * The hits of a bank's matches.
   *
   * @param matches what {@link VideoBank#match} (or {@link VideoBank#compare}) returned; not null;
   *     matches the rule did not accept are left out
   * @param rule the bank's rule, whose query percentage is the hits' threshold; not null
   * @param list the id of the banked list, as the decision log should name it; not null, 1 to 256
   *     characters
   * @param category the harm the banked videos concern; not null
   * @return the hits, in the order of the matches; never null
   * @throws InvalidRequestException when an argument or element is null or {@code list} is invalid
   */
  public static List<ExternalHit> of(List<VideoMatch> matches, VpdqMatchRule rule, String list, Category category) {
    InvalidRequestException.requireNonNull("matches", matches);
    InvalidRequestException.requireNonNull("rule", rule);
    List<ExternalHit> out = new ArrayList<>(matches.size());
    for (VideoMatch m : matches) {
      InvalidRequestException.requireNonNull("matches[]", m);
      if (m.matches()) {
        out.add(new ExternalHit(SIGNAL_TYPE, list, m.videoId(), m.queryPercent(), ExternalHit.Measure.SIMILARITY,
            rule.queryMatchPercent(), InvalidRequestException.requireNonNull("category", category)));
      }
    }
    return List.copyOf(out);
  }
}
