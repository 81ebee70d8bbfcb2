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
import java.util.List;

/**
 * Images the engine could not perceptually hash go to a person, never to a silent allow. The
 * engine hashes uploaded image bytes itself; when that fails (the file is damaged, in a format or
 * variant no installed decoder reads, over a limit that cannot be met even by decoding it
 * subsampled) it records a {@link Signal.NotHashed} with the reason and still matches the exact
 * digests. Without a PDQ hash, a re-encoded or upscaled copy of banked content would evade
 * the banks, and a file built to break the decoder would be allowed by construction; this policy
 * queues such an upload for review in the {@code unhashed_image} lane at {@code priority} (default
 * normal). It restricts nothing: most such files are merely broken. Immutable and thread-safe.
 */
final class UnhashedImagePolicy implements Policy {
  static final String NAME = "unhashed-image";

  private final PolicyId id;
  private final Priority priority;

  UnhashedImagePolicy(Params p) {
    this.priority = Priority.fromWire(p.choice("priority", "normal", "normal", "high", "urgent"));
    p.requireNoUnknown();
    this.id = new PolicyId(NAME, "1", p.hash());
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
    ContentKind kind = ((ContentEvent) evidence.request()).content().kind();
    if (kind != ContentKind.IMAGE && kind != ContentKind.PROFILE_PHOTO) {
      return Outcome.none();
    }
    for (Signal.NotHashed n : evidence.signals(Signal.NotHashed.class)) {
      String facts = "The image could not be perceptually hashed (" + n.reason() + "), so only its exact digests"
          + " were matched; a person looks at it instead of allowing it unchecked.";
      return Outcome.of(List.of(new Action.QueueForReview(priority, false, "unhashed_image")),
          List.of(Reason.note(id, "image_not_hashed", facts)));
    }
    return Outcome.none();
  }
}
