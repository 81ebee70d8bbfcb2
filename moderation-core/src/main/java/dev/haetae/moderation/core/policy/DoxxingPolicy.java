package dev.haetae.moderation.core.policy;

import dev.haetae.moderation.api.Action;
import dev.haetae.moderation.api.ContentEvent;
import dev.haetae.moderation.api.ContentKind;
import dev.haetae.moderation.api.Evidence;
import dev.haetae.moderation.api.Outcome;
import dev.haetae.moderation.api.PolicyId;
import dev.haetae.moderation.api.Priority;
import dev.haetae.moderation.api.Reason;
import dev.haetae.moderation.api.Signal;
import dev.haetae.moderation.api.spi.Policy;
import dev.haetae.moderation.core.text.IdentifyingDetails;
import java.util.List;

/**
 * Doxxing alongside images: a person's image whose caption also carries identifying details —
 * a name, an age or school year, a school, an address, a phone number — in Korean or English is how
 * victims of the deepfake rooms were found and harassed offline. Such a post goes to the
 * {@code doxxing} review lane at high priority when it has at least {@code min_kinds} kinds of
 * detail, and at urgent priority when the image itself is suspect (a bank match or a copy of a
 * protected profile photo) and it has any detail. The policy only raises priority: patterns are
 * evidence for a person to weigh, not grounds to remove.
 *
 * <p>The policy reads the engine's {@link Signal.TextFindings} for the caption (see {@link
 * IdentifyingDetails}), never the caption itself: the caption is masked in the decision log, the
 * finding is not, so the decision replays. Its {@code max_scan_chars} (default 1024) sets how much of
 * a caption the engine's detector scans when the engine is configured from a {@link PolicyConfig}:
 * scanning a bounded prefix bounds the cost on the hot path (a padded caption can hide details past
 * that point). Immutable and thread-safe.
 */
final class DoxxingPolicy implements Policy {
  static final String NAME = "doxxing";

  private final PolicyId id;
  private final int minKinds;
  private final int maxScanChars;

  DoxxingPolicy(Params p) {
    this.minKinds = p.integer("min_kinds", 2, 1, IdentifyingDetails.kinds().size());
    this.maxScanChars = p.integer("max_scan_chars", IdentifyingDetails.DEFAULT_MAX_SCAN_CHARS, 16, 1_000_000);
    p.requireNoUnknown();
    this.id = new PolicyId(NAME, "1", p.hash());
  }

  /** How many characters of a caption the engine's detector scans for this policy (its {@code max_scan_chars}). */
  int maxScanChars() {
    return maxScanChars;
  }

  @Override
  public PolicyId id() {
    return id;
  }

  @Override
  public Outcome evaluate(Evidence evidence) {
    if (!(evidence.request() instanceof ContentEvent)) {
      return Outcome.none();
    }
    ContentEvent e = (ContentEvent) evidence.request();
    ContentKind kind = e.content().kind();
    if (kind != ContentKind.IMAGE && kind != ContentKind.VIDEO && kind != ContentKind.PROFILE_PHOTO) {
      return Outcome.none();
    }
    List<String> found = List.of();
    for (Signal.TextFindings f : evidence.signals(Signal.TextFindings.class)) {
      if (f.field().equals(IdentifyingDetails.FIELD)) {
        found = f.details();
      }
    }
    if (found.isEmpty()) {
      return Outcome.none();
    }
    boolean suspectImage = !evidence.signals(Signal.HashMatch.class).isEmpty()
        || !evidence.signals(Signal.ProfilePhotoMatch.class).isEmpty();
    if (!suspectImage && found.size() < minKinds) {
      return Outcome.none();
    }
    Priority p = suspectImage ? Priority.URGENT : Priority.HIGH;
    String facts = "The caption pairs the image with identifying details (" + String.join(", ", found) + ")"
        + (suspectImage ? " and the image itself matched a bank or a protected profile photo." : ".");
    return Outcome.of(List.of(new Action.QueueForReview(p, false, "doxxing")),
        List.of(Reason.note(id, "doxxing_with_image", facts)));
  }
}
