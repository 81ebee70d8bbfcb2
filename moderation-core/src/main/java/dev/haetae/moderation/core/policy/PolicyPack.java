package dev.haetae.moderation.core.policy;

import dev.haetae.moderation.api.Category;
import dev.haetae.moderation.api.spi.Policy;
import java.util.Collections;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;

/**
 * The built-in policies, for the deepfake / NCII crisis and the duties around it. Each is described
 * in the policies guide with what it does, why, and its parameters (see {@link PolicyConfig}).
 *
 * <ul>
 *   <li>{@code known-ncii}: a certain bank match removes, blocks re-uploads, preserves evidence and
 *       notifies the uploader; an uncertain one goes to review and is at most blurred.
 *   <li>{@code csam}: remove, preserve, report to the authority; never tip off the uploader.
 *   <li>{@code reports}: weighed user reports queue a review; brigading is flagged.
 *   <li>{@code legal-notice}: a valid notice removes within the instrument's deadline or goes to the
 *       legal lane.
 *   <li>{@code review-verdict}: a moderator's verdict is carried out.
 *   <li>{@code appeal}: an appeal within six months goes to the appeal lane.
 *   <li>{@code repeat-offender}: strikes with a TTL per policy restrict forwarding, then suspend.
 *   <li>{@code room-escalation}: a room with several matches in a window is escalated as a room.
 *   <li>{@code profile-photo}: copies of a protected profile photo go to review; the owner is told.
 *   <li>{@code doxxing}: an image with names, ages, schools or addresses raises review priority.
 *   <li>{@code unhashed-image}: an uploaded image the engine could not perceptually hash goes to
 *       review rather than being allowed unchecked.
 * </ul>
 *
 * @since 0.1
 */
public final class PolicyPack {
  private PolicyPack() {}

  /**
   * The review lane of a <em>second review</em>: a person must confirm, independently of whoever
   * looked first, before a platform-bank match reached through a flagged report removes, strikes or
   * reports, and before a verdict on reports out of a flagged wave banks the content or strikes its
   * uploader. The host routes items of this lane to a reviewer other than the first; the strike the
   * first decision deferred lands (or is dropped) with the second verdict.
   *
   * @since 0.2
   */
  public static final String SECOND_REVIEW_LANE = "second_review";

  /**
   * The harms a moderator's verdict banks the media for (NCII, sexual deepfakes, CSAM, terrorism):
   * harms that are in the media themselves. A verdict of another harm (harassment, doxxing, spam...)
   * removes that upload but does not bank it: the violation is in the context (a caption, an
   * address, the room), and banking the image would turn every innocent copy into a violation.
   *
   * @since 0.2
   */
  public static final Set<Category> BANKED_ON_REVIEW = Collections.unmodifiableSet(EnumSet.of(Category.NCII,
      Category.SEXUAL_DEEPFAKE, Category.CSAM, Category.TERRORISM));

  /**
   * The default pack: {@link PolicyConfig#defaults()}'s built-in policies.
   *
   * @return an unmodifiable list of the built-in policies with default parameters; each is
   *     immutable and thread-safe
   */
  public static List<Policy> defaults() {
    return PolicyConfig.defaults().builtIn();
  }

  /**
   * Earlier versions of the built-in policies, to replay the decision logs they decided: never
   * enforced, and not part of {@link #defaults()}. An auditor adds them to the policies a
   * {@code Replayer} may look up ({@code haetae audit replay} does, unless {@code --no-defaults}).
   * Today: {@code reports@2}, which read the reputation model's intake of version 0.1, and, with
   * their default parameters, {@code review-verdict@2} (banked every violating verdict),
   * {@code known-ncii@1} and {@code csam@1} (acted on platform-bank matches reached through flagged
   * reports as on any other), {@code known-ncii@2} and {@code csam@2} (acted on a platform-bank match
   * reached through an unflagged report on content posted before the entry as on any other),
   * {@code known-ncii@3} and {@code csam@3} (judged a report-path platform-bank match by the posting
   * time alone, so acted in full on someone else's content posted after the entry), and
   * {@code review-verdict@3} (a second reviewer's "not violating" left the first verdict's removal),
   * {@code review-verdict@4} (one reviewer's verdict outside a flagged wave banked at once),
   * {@code review-verdict@5} (a verdict did not tell the reporters the outcome), and
   * {@code legal-notice@2} (a TAKE IT DOWN notice did not remove the identical copies posted before it),
   * {@code legal-notice@3} (a notice under an instrument with a temporary measure removed the content).
   *
   * @return an unmodifiable list; each policy is immutable and thread-safe
   * @since 0.2
   */
  public static List<Policy> retired() {
    return List.of(new ReportPolicyV2(), new ReviewVerdictPolicy(Params.empty(ReviewVerdictPolicy.NAME), 2),
        new ReviewVerdictPolicy(Params.empty(ReviewVerdictPolicy.NAME), 3),
        new ReviewVerdictPolicy(Params.empty(ReviewVerdictPolicy.NAME), 4),
        new ReviewVerdictPolicy(Params.empty(ReviewVerdictPolicy.NAME), 5), new NoticePolicy(2), new NoticePolicy(3),
        new KnownNciiPolicy(Params.empty(KnownNciiPolicy.NAME), 1), new CsamPolicy(Params.empty(CsamPolicy.NAME), 1),
        new KnownNciiPolicy(Params.empty(KnownNciiPolicy.NAME), 2), new CsamPolicy(Params.empty(CsamPolicy.NAME), 2),
        new KnownNciiPolicy(Params.empty(KnownNciiPolicy.NAME), 3), new CsamPolicy(Params.empty(CsamPolicy.NAME), 3));
  }
}
