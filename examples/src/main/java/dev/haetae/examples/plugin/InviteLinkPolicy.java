package dev.haetae.examples.plugin;

import dev.haetae.moderation.api.Action;
import dev.haetae.moderation.api.Category;
import dev.haetae.moderation.api.ContentEvent;
import dev.haetae.moderation.api.Evidence;
import dev.haetae.moderation.api.LegalGround;
import dev.haetae.moderation.api.Outcome;
import dev.haetae.moderation.api.PolicyId;
import dev.haetae.moderation.api.Priority;
import dev.haetae.moderation.api.Reason;
import dev.haetae.moderation.api.Signal;
import dev.haetae.moderation.api.spi.Policy;
import java.util.List;

/**
 * An example policy plugin, as a trust-and-safety engineer would write one: the deepfake rooms
 * recruited members by posting sample images with an invite link to the room where the rest was
 * traded. When an image that matched a hash bank (certain or not) is posted with an invite link
 * (Telegram {@code t.me/+...} or {@code t.me/joinchat/...}, KakaoTalk open chat
 * {@code open.kakao.com/o/...}, Discord {@code discord.gg/...}), the post cannot be forwarded and goes
 * to the urgent {@code recruitment} review lane, so that moderators follow the link to the room.
 *
 * <p>The plugin comes in two parts, because the decision log masks captions: {@link
 * InviteLinkSignals}, a signal provider, finds the link in the caption before it is masked and
 * records the finding as a custom signal; this policy reads the finding, never the caption, so that
 * its decisions replay from the log. A policy that read the caption itself would decide on live
 * traffic and diverge on replay.
 *
 * <p>Pure: it reads only the evidence. Immutable and thread-safe. Registered with
 * {@code "extra": ["dev.haetae.examples.plugin.InviteLinkPolicy"]} in a policy configuration (or on
 * the engine builder), with {@code InviteLinkSignals} added by {@code signalProvider(...)}. Its tests
 * extend the test kit's {@code PolicyContract}.
 */
public final class InviteLinkPolicy implements Policy {
  private static final PolicyId ID = PolicyId.of("example-invite-link", "2");
  private static final LegalGround GROUND = LegalGround.terms("ToS 7.4 (recruiting to rooms that share prohibited"
      + " content)", "Advertising rooms that trade intimate images or deepfakes is prohibited.");

  /** A new instance; the policy has no configuration. */
  public InviteLinkPolicy() {}

  @Override
  public PolicyId id() {
    return ID;
  }

  @Override
  public Outcome evaluate(Evidence evidence) {
    if (!(evidence.request() instanceof ContentEvent) || evidence.signals(Signal.HashMatch.class).isEmpty()
        || !InviteLinkSignals.found(evidence)) {
      return Outcome.none();
    }
    return Outcome.of(List.of(new Action.RestrictForwarding(), new Action.QueueForReview(Priority.URGENT, false,
            "recruitment")),
        List.of(Reason.of(ID, "invite_link_with_banked_image", "An image that matched a hash bank was posted with an"
            + " invite link to another room.", Category.SEXUAL_DEEPFAKE, GROUND)));
  }
}
