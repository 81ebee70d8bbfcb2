package dev.haetae.moderation.spring.boot3;

import dev.haetae.moderation.core.engine.ModerationEngine;
import dev.haetae.moderation.spring.HaetaeHealth;
import dev.haetae.moderation.spring.HaetaeSetup;
import java.util.Objects;
import org.springframework.boot.actuate.health.Health;
import org.springframework.boot.actuate.health.HealthIndicator;

/**
 * The {@code haetae} health indicator (Spring Boot 3.5): UP when the decision log is writable, the
 * stores are reachable, the configured banks are loaded and no legal obligation is overdue;
 * otherwise DOWN, each check's finding in the details. See {@link HaetaeHealth#check}. Thread-safe.
 *
 * @since 0.2
 */
public class HaetaeHealthIndicator implements HealthIndicator {
  private final ModerationEngine engine;
  private final HaetaeSetup setup;

  /**
   * Creates the indicator.
   *
   * @param engine the engine; not null
   * @param setup the set-up it was built from; not null
   * @throws NullPointerException when an argument is null
   */
  public HaetaeHealthIndicator(ModerationEngine engine, HaetaeSetup setup) {
    this.engine = Objects.requireNonNull(engine, "engine");
    this.setup = Objects.requireNonNull(setup, "setup");
  }

  /**
   * Checks the engine now.
   *
   * @return UP or DOWN with the details; never null
   */
  @Override
  public Health health() {
    HaetaeHealth h = HaetaeHealth.check(engine, setup);
    return (h.up() ? Health.up() : Health.down()).withDetails(h.details()).build();
  }
}
