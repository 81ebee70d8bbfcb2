package dev.haetae.moderation.core.policy;

import dev.haetae.moderation.api.Action;
import dev.haetae.moderation.api.Category;
import dev.haetae.moderation.api.ContentEvent;
import dev.haetae.moderation.api.ContentKind;
import dev.haetae.moderation.api.Evidence;
import dev.haetae.moderation.api.LegalGround;
import dev.haetae.moderation.api.Outcome;
import dev.haetae.moderation.api.PolicyId;
import dev.haetae.moderation.api.Priority;
import dev.haetae.moderation.api.Reason;
import dev.haetae.moderation.api.Signal;
import dev.haetae.moderation.api.StatementOfReasons;
import dev.haetae.moderation.api.Surface;
import dev.haetae.moderation.api.spi.Policy;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;

/**
 * Profile-photo protection: photos captured from messenger profiles were the raw material of the
 * deepfakes. A user may opt their own profile photos in (a {@code profile_photo} content event with
 * {@code protect}); when another account posts a near-duplicate (within {@code max_distance}, which
 * the engine applies) into one of {@code surfaces} (default group and public channel), the post goes
 * to the {@code profile_photo} review lane and, with {@code notify_owner}, the owner is told that a
 * copy of their photo appeared, so they can act (report, notice) before it is misused. A copy alone
 * is not a violation (friends repost photos), so nothing is restricted unless
 * {@code action} is {@code blur}. Immutable and thread-safe.
 */
final class ProfilePhotoPolicy implements Policy {
  static final String NAME = "profile-photo";
  private static final LegalGround GROUND = LegalGround.terms("ToS 4.3 (misuse of another person's photos)",
      "Posting another person's profile photo to build sexual or humiliating content is prohibited.");

  private final PolicyId id;
  private final int maxDistance;
  private final Set<Surface> surfaces;
  private final boolean notifyOwner;
  private final String action;
  private final Priority priority;

  ProfilePhotoPolicy(Params p) {
    this.maxDistance = p.integer("max_distance", 31, 0, 128);
    List<Surface> s = p.surfaces("surfaces", List.of(Surface.GROUP, Surface.PUBLIC_CHANNEL));
    this.surfaces = s.isEmpty() ? EnumSet.noneOf(Surface.class) : EnumSet.copyOf(s);
    this.notifyOwner = p.bool("notify_owner", true);
    this.action = p.choice("action", "review", "review", "blur");
    this.priority = Priority.fromWire(p.choice("priority", "high", "normal", "high", "urgent"));
    p.requireNoUnknown();
    this.id = new PolicyId(NAME, "1", p.hash());
  }

  /** The largest PDQ distance the engine should report as a copy. */
  int maxDistance() {
    return maxDistance;
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
    if (!surfaces.contains(e.content().surface()) || e.content().kind() == ContentKind.PROFILE_PHOTO) {
      return Outcome.none();
    }
    for (Signal.ProfilePhotoMatch m : evidence.signals(Signal.ProfilePhotoMatch.class)) {
      if (m.owner().equals(e.account()) || m.distance() > maxDistance) {
        continue;
      }
      String facts = "The image is a near-duplicate (PDQ distance " + m.distance() + ") of a profile photo its owner"
          + " asked to protect, posted by another account into a " + e.content().surface().wireName() + ".";
      List<Action> actions = new ArrayList<>(3);
      actions.add(new Action.QueueForReview(priority, false, "profile_photo"));
      if (notifyOwner) {
        actions.add(new Action.NotifyUser(Action.Recipient.PHOTO_OWNER, new StatementOfReasons(GROUND,
            "A copy of your protected profile photo was posted by another account; it is being reviewed.", true,
            true, "You can report the post or send a notice from the in-app safety centre.")));
      }
      if (action.equals("blur")) {
        actions.add(new Action.Blur("copied profile photo, under review"));
        return Outcome.of(actions, List.of(Reason.of(id, "protected_profile_photo", facts, Category.SEXUAL_DEEPFAKE,
            GROUND)));
      }
      return Outcome.of(actions, List.of(Reason.note(id, "protected_profile_photo", facts)));
    }
    return Outcome.none();
  }
}
