package dev.haetae.moderation.api.observe;

import java.util.List;

/**
 * Something that follows bank change feeds and can say how far behind it is, for a lag gauge (for
 * instance {@code moderation-postgres}'s bank follower).
 *
 * <p><b>Thread safety.</b> Implementations are thread-safe: {@link #lags()} is called from a
 * metrics registry's thread while the follower runs. It reads what the follower already knows and
 * does no I/O.
 *
 * @since 0.2
 */
public interface LagSource {
  /**
   * The lag of every bank followed, as of now.
   *
   * @return one element per bank followed, in a stable order; never null
   */
  List<FollowerLag> lags();
}
