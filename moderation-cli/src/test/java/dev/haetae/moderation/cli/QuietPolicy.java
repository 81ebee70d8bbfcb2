package dev.haetae.moderation.cli;

import dev.haetae.moderation.api.Evidence;
import dev.haetae.moderation.api.Outcome;
import dev.haetae.moderation.api.PolicyId;
import dev.haetae.moderation.api.spi.Policy;

/**
 * A plugin that proposes nothing, for {@link DistributionIT} to load through a services file: the
 * engine logs its loading at INFO, which the CLI shows only with {@code --verbose}.
 */
public final class QuietPolicy implements Policy {
  /** For the service loader. */
  public QuietPolicy() {}

  @Override
  public PolicyId id() {
    return PolicyId.of("test-quiet", "1");
  }

  @Override
  public Outcome evaluate(Evidence evidence) {
    return Outcome.none();
  }
}
