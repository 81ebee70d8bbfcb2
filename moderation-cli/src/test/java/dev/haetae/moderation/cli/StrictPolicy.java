package dev.haetae.moderation.cli;

import dev.haetae.moderation.api.Action;
import dev.haetae.moderation.api.Category;
import dev.haetae.moderation.api.ContentEvent;
import dev.haetae.moderation.api.Evidence;
import dev.haetae.moderation.api.LegalGround;
import dev.haetae.moderation.api.Outcome;
import dev.haetae.moderation.api.PolicyId;
import dev.haetae.moderation.api.Reason;
import dev.haetae.moderation.api.spi.Policy;
import java.util.List;
import java.util.Optional;

/** A policy that suspends the poster of every upload: it must never enforce when configured as shadow. */
public final class StrictPolicy implements Policy {
  private static final PolicyId ID = PolicyId.of("strict-suspend", "1");

  /** For the class loader. */
  public StrictPolicy() {}

  @Override
  public PolicyId id() {
    return ID;
  }

  @Override
  public Outcome evaluate(Evidence evidence) {
    if (!(evidence.request() instanceof ContentEvent)) {
      return Outcome.none();
    }
    return Outcome.of(List.of(new Action.SuspendAccount(Optional.empty())), List.of(Reason.of(ID, "strict",
        "every poster is suspended", Category.OTHER, LegalGround.terms("ToS 9", "strict mode"))));
  }
}
