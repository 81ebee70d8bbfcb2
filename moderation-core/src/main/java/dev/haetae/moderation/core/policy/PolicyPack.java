package dev.haetae.moderation.core.policy;

import dev.haetae.moderation.api.spi.Policy;
import java.util.List;

/**
 * The built-in policies.
 *
 * <ul>
 *   <li>{@code known-hash}: a confident hash-bank match removes, blocks re-uploads, preserves
 *       evidence and notifies the uploader (CSAM: reports to the authority, no tip-off); an
 *       uncertain match goes to review.
 *   <li>{@code reports}: weighed user reports queue a review; trusted flaggers get the priority
 *       lane; suspected brigading is flagged and never restricts anything.
 *   <li>{@code legal-notice}: a valid notice for manifestly illegal material removes within the
 *       instrument's deadline; notices that need an assessment go to the legal lane.
 *   <li>{@code review-verdict}: a moderator's verdict is carried out.
 *   <li>{@code appeal}: an appeal within six months goes to the appeal lane; a late one is answered.
 * </ul>
 *
 * @since 0.1
 */
public final class PolicyPack {
  private PolicyPack() {}

  /**
   * The default pack.
   *
   * @return a new list of the built-in policies; each is immutable and thread-safe
   */
  public static List<Policy> defaults() {
    return List.of(new KnownHashPolicy(), new ReportPolicy(), new NoticePolicy(), new ReviewVerdictPolicy(),
        new AppealPolicy());
  }
}
