package dev.haetae.moderation.core.policy;

import dev.haetae.moderation.api.Category;
import dev.haetae.moderation.api.ContentEvent;
import dev.haetae.moderation.api.Evidence;
import dev.haetae.moderation.api.Signal;
import dev.haetae.moderation.api.UserReport;
import java.time.Instant;
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
    return best(evidence, categories, certainFraction, minQuality, 1);
  }

  /**
   * As {@link #best(Evidence, Set, double, int)}, for a policy of the given version: when the best
   * match may act only in part ({@link #bounded(Evidence, Signal.HashMatch, int)}), a match of
   * another bank is preferred, so that a vetted list still acts in full.
   */
  static Best best(Evidence evidence, Set<Category> categories, double certainFraction, int minQuality,
      int version) {
    if (!(evidence.request() instanceof ContentEvent) && !(evidence.request() instanceof UserReport)) {
      return null;
    }
    Best all = pick(evidence, categories, certainFraction, minQuality, false);
    if (all != null && bounded(evidence, all.match(), version) != Bound.NONE) {
      Best external = pick(evidence, categories, certainFraction, minQuality, true);
      if (external != null) {
        return external;
      }
    }
    return all;
  }

  /**
   * The platform's own bank of removed content: its entries come from the engine's decisions
   * (reviews, notices), not from a vetted hash-sharing programme. The same name as the engine's
   * {@code ModerationEngine.PLATFORM_BANK}.
   */
  static final String PLATFORM_BANK = "platform-removals";

  /**
   * Whether the request is a user report out of a flagged wave: its reports look like brigading,
   * its owner is under a campaign, the report re-flagged the item as coordinated, or the reporter is
   * linked to reporters review rejected on the target.
   */
  static boolean flaggedReport(Evidence evidence) {
    if (!(evidence.request() instanceof UserReport)) {
      return false;
    }
    for (Signal.ReportIntake i : evidence.signals(Signal.ReportIntake.class)) {
      if (i.campaign() || i.reflag() || i.linkedToRejected()) {
        return true;
      }
    }
    for (Signal.Reports r : evidence.signals(Signal.Reports.class)) {
      if (r.brigadingSuspected()) {
        return true;
      }
    }
    return false;
  }

  /** Why a match may act only in part, if it may. */
  enum Bound {
    /** It acts in full. */
    NONE,
    /** A platform-bank match reached through a report out of a flagged wave. */
    FLAGGED_REPORT,
    /**
     * A platform-bank match reached through a report on content the evidence does not show was
     * posted after the entry was added: someone else's older upload (it was not removed on sight).
     * From version 4, only for entries that do not record their uploader.
     */
    OLDER_UPLOAD,
    /**
     * From version 4: a platform-bank match reached through a report on content whose poster is not
     * shown to be the account whose removed content the entry came from (the entry's
     * {@link Signal.HashMatch#uploader} against the content's {@link Signal.KnownContent#poster}).
     */
    OTHER_UPLOADER
  }

  /**
   * Whether a match may act only in part, for a policy of the given version: from version 2, a
   * platform-bank match reached through a report out of a flagged wave; from version 3, also a
   * platform-bank match reached through any report on content not shown to have been posted after
   * the entry was added ({@link #postedAfterEntry}); from version 4, when the entry records its
   * uploader, the poster replaces the posting time: a match acts in full only on content the evidence
   * shows was posted by the entry's uploader ({@link #postedByUploader}), and entries without an
   * uploader (banked by a host, or before 0.4) keep the posting-time rule. Each bound at most blurs
   * and queues a review.
   */
  static Bound bounded(Evidence evidence, Signal.HashMatch m, int version) {
    if (version < 2 || !m.bank().equals(PLATFORM_BANK) || !(evidence.request() instanceof UserReport)) {
      return Bound.NONE;
    }
    if (flaggedReport(evidence)) {
      return Bound.FLAGGED_REPORT;
    }
    if (version >= 4 && m.uploader().isPresent()) {
      return postedByUploader(evidence, m) ? Bound.NONE : Bound.OTHER_UPLOADER;
    }
    return version >= 3 && !postedAfterEntry(evidence, m) ? Bound.OLDER_UPLOAD : Bound.NONE;
  }

  /**
   * Whether the evidence shows the reported content was posted by the account whose removed content
   * the matched entry came from: the entry's {@link Signal.HashMatch#uploader} equals the
   * {@link Signal.KnownContent#poster} (both keyed pseudonyms made the same way, so replay compares
   * like with like). An unknown poster, or a pseudonym under another key, shows nothing.
   */
  static boolean postedByUploader(Evidence evidence, Signal.HashMatch m) {
    if (m.uploader().isEmpty()) {
      return false;
    }
    for (Signal.KnownContent k : evidence.signals(Signal.KnownContent.class)) {
      if (k.poster().isPresent() && k.poster().get().equals(m.uploader().get())) {
        return true;
      }
    }
    return false;
  }

  /**
   * Whether the evidence shows the reported content was posted at least a second after the matched
   * entry was added (the bank keeps seconds): the entry's {@link Signal.HashMatch#addedAt} against
   * the {@link Signal.KnownContent#postedAt} the engine remembers. Unknown times show nothing.
   */
  static boolean postedAfterEntry(Evidence evidence, Signal.HashMatch m) {
    if (m.addedAt().isEmpty()) {
      return false;
    }
    Instant added = m.addedAt().get();
    for (Signal.KnownContent k : evidence.signals(Signal.KnownContent.class)) {
      if (k.postedAt().isPresent() && !k.postedAt().get().isBefore(added.plusSeconds(1))) {
        return true;
      }
    }
    return false;
  }

  private static Best pick(Evidence evidence, Set<Category> categories, double certainFraction, int minQuality,
      boolean externalOnly) {
    Signal.HashMatch best = null;
    boolean certain = false;
    for (Signal.HashMatch m : evidence.signals(Signal.HashMatch.class)) {
      if (!categories.contains(m.category()) || (externalOnly && m.bank().equals(PLATFORM_BANK))) {
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
