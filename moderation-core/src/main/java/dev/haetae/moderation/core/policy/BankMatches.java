package dev.haetae.moderation.core.policy;

import dev.haetae.moderation.api.Category;
import dev.haetae.moderation.api.ContentEvent;
import dev.haetae.moderation.api.Evidence;
import dev.haetae.moderation.api.Signal;
import dev.haetae.moderation.api.UserReport;
import java.util.Set;

/** Choosing the hash-bank match a known-material policy acts on; shared by the NCII and CSAM policies. */
final class BankMatches {
  private BankMatches() {}

  /** The match to act on and whether it is certain. */
  record Best(Signal.HashMatch match, boolean certain) {}

  /**
   * The best match among the evidence's matches in the given categories, on an upload, forward or
   * report: a certain match beats an uncertain one, then the smaller distance wins. Null when the
   * request is of another kind or nothing matched.
   */
  static Best best(Evidence evidence, Set<Category> categories, double certainFraction, int minQuality) {
    if (!(evidence.request() instanceof ContentEvent) && !(evidence.request() instanceof UserReport)) {
      return null;
    }
    Signal.HashMatch best = null;
    boolean certain = false;
    for (Signal.HashMatch m : evidence.signals(Signal.HashMatch.class)) {
      if (!categories.contains(m.category())) {
        continue;
      }
      boolean c = certain(m, certainFraction, minQuality);
      if (best == null || (c && !certain) || (c == certain && m.distance() < best.distance())) {
        best = m;
        certain = c;
      }
    }
    return best == null ? null : new Best(best, certain);
  }

  /** Not review-only, well inside the bank's distance, and of sufficient image quality (when known). */
  static boolean certain(Signal.HashMatch m, double certainFraction, int minQuality) {
    return !m.reviewOnly() && m.distance() <= m.maxDistance() * certainFraction
        && (m.quality() < 0 || m.quality() >= minQuality);
  }

  /** The facts of a match, for reasons and statements: no personal data. */
  static String facts(Signal.HashMatch m) {
    return "The content matched entry " + m.entry().substring(0, Math.min(8, m.entry().length())) + "... of hash bank '"
        + m.bank() + "' (" + m.type().wireName() + ", distance " + m.distance() + ", category "
        + m.category().wireName() + ").";
  }
}
