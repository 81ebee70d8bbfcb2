package dev.haetae.moderation.testkit.adversarial;

import dev.haetae.moderation.core.engine.ModerationEngine;
import dev.haetae.moderation.core.engine.ModerationEngineBuilder;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.function.Consumer;

/**
 * Plays adaptive mass-reporting attacks ({@link AttackFamily}) against a real
 * {@link ModerationEngine} built with a host's configuration, and checks the property each family
 * asks a robust report intake to keep. Hosts run it against their own reputation model, policies
 * and stores:
 *
 * <pre>{@code
 * AdversarialHarness harness = AdversarialHarness.builder()
 *     .engine(b -> b.reputationModel(myModel))     // your configuration
 *     .build();
 * for (AttackFamily family : AttackFamily.values()) {
 *   harness.run(family, 42).assertHeld();
 * }
 * }</pre>
 *
 * <p>Each run builds a fresh engine on a settable clock (starting 2026-12-01T09:00:00Z) with a
 * discarding decision log of the harness's own (it reads the weighed reports from it), an in-memory
 * reputation store (unless the configuration sets another) and no {@code ServiceLoader} plugins,
 * then plays the family's seeded events while a simulated moderator works the host's review queue
 * (one item per target, ordered by priority, then the review action's score, then age) at
 * {@linkplain Builder#reviewsPerHour a fixed rate}. Nothing is read from the wall clock, so a run
 * is a function of family, seed, scale and configuration.
 *
 * <p>Every family also checks one shared property: no reporter's suspension starts without a logged
 * person's confirmation ({@link dev.haetae.moderation.api.ReporterSanction.Step#CONFIRM}), and none
 * is lifted early (nor a warning withdrawn) without a logged upheld appeal. The moderator answers
 * each proposal to suspend truthfully, as a logged request (confirmed when most of the reporter's
 * reports were wrong); the measures {@code suspensions_confirmed} and {@code suspensions_rejected}
 * count the answers. The check watches the harness's own reputation store: a configuration that sets
 * another store is not watched. At scale 1 a family plays a few thousand
 * events (well under a few seconds); time and memory grow linearly with scale, except queue
 * flooding's, which grows with its square (the moderator scans the queue).
 *
 * <p>Immutable and thread-safe; runs share nothing.
 *
 * @since 0.2
 */
public final class AdversarialHarness {
  private final Consumer<ModerationEngineBuilder> engine;
  private final int scale;
  private final int reviewsPerHour;

  private AdversarialHarness(Builder b) {
    this.engine = b.engine;
    this.scale = b.scale;
    this.reviewsPerHour = b.reviewsPerHour;
  }

  /**
   * A builder with scale 1, 60 reviews an hour and the engine's embedded defaults.
   *
   * @return a new builder
   */
  public static Builder builder() {
    return new Builder();
  }

  /**
   * Plays one attack.
   *
   * @param family the family; not null
   * @param seed the generator's seed
   * @return what happened; never null
   * @throws NullPointerException when {@code family} is null
   * @throws RuntimeException whatever the engine or the configuration throws (the attack does not
   *     catch it: a robust configuration does not throw on well-formed events)
   */
  public AttackResult run(AttackFamily family, long seed) {
    Objects.requireNonNull(family, "family");
    Attacks.Findings f = new Attacks.Findings();
    try (World w = new World(seed ^ family.name().hashCode(), scale, reviewsPerHour, engine)) {
      Attacks.play(family, w, f);
      // every family: no reporter is suspended, or has a suspension lifted, without a logged person's step
      w.guard.violations.forEach(f::violation);
      f.measure("suspensions_confirmed", w.confirmed);
      f.measure("suspensions_rejected", w.rejected);
    }
    return new AttackResult(family, seed, scale, f.violations, f.measures);
  }

  /**
   * Plays every family with one seed.
   *
   * @param seed the seed
   * @return one result per family, in declaration order; never null
   */
  public List<AttackResult> runAll(long seed) {
    List<AttackResult> out = new ArrayList<>();
    for (AttackFamily f : AttackFamily.values()) {
      out.add(run(f, seed));
    }
    return out;
  }

  /**
   * Builder of {@link AdversarialHarness}; not thread-safe.
   *
   * @since 0.2
   */
  public static final class Builder {
    private Consumer<ModerationEngineBuilder> engine = b -> { };
    private int scale = 1;
    private int reviewsPerHour = 60;

    private Builder() {}

    /**
     * The host's engine configuration (reputation model, policies, stores...), applied to a builder
     * that already has the harness's clock; the harness's decision log is set after it.
     *
     * @param value the configurer; not null
     * @return this builder
     */
    public Builder engine(Consumer<ModerationEngineBuilder> value) {
      this.engine = Objects.requireNonNull(value, "engine");
      return this;
    }

    /**
     * How many times the attackers (and where it makes sense the targets) are multiplied. Default 1:
     * the sizes of {@link AttackFamily}'s descriptions.
     *
     * @param value 1 to 100
     * @return this builder
     * @throws IllegalArgumentException when out of range
     */
    public Builder scale(int value) {
      if (value < 1 || value > 100) {
        throw new IllegalArgumentException("scale must be 1..100, got " + value);
      }
      this.scale = value;
      return this;
    }

    /**
     * How many review items the simulated moderator finishes per hour. Default 60.
     *
     * @param value 1 to 3600
     * @return this builder
     * @throws IllegalArgumentException when out of range
     */
    public Builder reviewsPerHour(int value) {
      if (value < 1 || value > 3600) {
        throw new IllegalArgumentException("reviewsPerHour must be 1..3600, got " + value);
      }
      this.reviewsPerHour = value;
      return this;
    }

    /**
     * Builds the harness.
     *
     * @return the harness
     */
    public AdversarialHarness build() {
      return new AdversarialHarness(this);
    }
  }
}
